"""Writes for notifications: creating them, e-mailing them through the outbox, reading them.

A notification is addressed to a user, or — for the author of an anonymous insight — to
the keyed hash that stands in for them plus their sealed id (portal.anonymity). What is
recorded for such an anonymous identity is stamped to the hour, and its e-mail waits for
the next full hour and says only that one of their reports has news: neither the
database nor a mail log ties the person to an insight by content or by time.
"""

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import notifications as kinds
from portal import outbox
from portal.anonymity import coarse, coarse_now, unseal_user_id
from portal.models import Notification, User

_emails_held = ContextVar("emails_held", default=False)
# An e-mail to an anonymous identity waits until the hour it was recorded in is over,
# then goes out with every other one of that hour (portal.tasks sweeps them).
ANONYMOUS_EMAIL_DELAY = datetime.timedelta(hours=1)


@contextmanager
def notifications_without_email():
    """Notifications made inside this block appear in the portal but are not e-mailed
    (demo data replaying years of history, for one)."""
    token = _emails_held.set(True)
    try:
        yield
    finally:
        _emails_held.reset(token)


@dataclass(frozen=True)
class Recipient:
    """Who a notification is for: a ``user``, or an anonymous author's ``token`` (their
    keyed hash) with ``sealed`` (their encrypted id, for the e-mail)."""

    user: User | None = None
    token: str = ""
    sealed: str = ""


def _build(recipient: Recipient, *, kind: str, context: dict, url: str, dedupe_key: str):
    if (recipient.user is None) == (not recipient.token):
        raise ValueError("give exactly one of a user and a token")
    user = recipient.user
    if user is not None and not user.is_active:
        return None
    if user is None:
        # Whether the person wants e-mail is checked when it is sent: only then is
        # the sealed id opened.
        wants_email = bool(recipient.sealed)
    else:
        wants_email = bool(user.email) and user.email_notifications
    wants_email = wants_email and not _emails_held.get()
    return Notification(
        recipient=user,
        recipient_token=recipient.token,
        recipient_sealed=recipient.sealed,
        kind=kind,
        context=context or {},
        url=url,
        dedupe_key=dedupe_key,
        created_at=coarse_now() if user is None else timezone.now(),
        email_status=(
            Notification.EmailStatus.PENDING if wants_email else Notification.EmailStatus.NOT_WANTED
        ),
    )


def _queue_emails(notifications: Iterable[Notification]) -> None:
    from portal.tasks import send_notification_email_task

    ids = [
        n.pk
        for n in notifications
        if n.recipient_id is not None and n.email_status == Notification.EmailStatus.PENDING
    ]
    for notification_id in ids:
        outbox.enqueue_on_commit(send_notification_email_task, notification_id)


def notify(
    *,
    kind: str,
    context: dict | None = None,
    recipient: User | None = None,
    recipient_token: str = "",
    recipient_sealed: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> Notification | None:
    """Create an in-app notification and queue its e-mail after the transaction commits.

    Give either a ``recipient`` or, for the author of an anonymous insight, their
    ``recipient_token`` and ``recipient_sealed``. With a ``dedupe_key`` the same
    notification is created at most once per recipient: reminders call this freely.
    Returns ``None`` when it already existed.
    """
    if not kinds.is_registered(kind):
        raise ValueError(f"unknown notification kind {kind!r}")
    notification = _build(
        Recipient(user=recipient, token=recipient_token, sealed=recipient_sealed),
        kind=kind,
        context=context or {},
        url=url,
        dedupe_key=dedupe_key,
    )
    if notification is None:
        return None
    if dedupe_key:
        lookup = {"dedupe_key": dedupe_key}
        lookup.update(
            {"recipient": recipient} if recipient else {"recipient_token": recipient_token}
        )
        if Notification.objects.filter(**lookup).exists():
            return None
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            # A concurrent caller created it first: that one is the notification.
            return None
    else:
        notification.save()
    _queue_emails([notification])
    return notification


def notify_many(
    *, kind: str, context: dict, url: str, recipients: Iterable[Recipient]
) -> list[Notification]:
    """The same notification for many recipients, in one insert (no ``dedupe_key``)."""
    if not kinds.is_registered(kind):
        raise ValueError(f"unknown notification kind {kind!r}")
    built = [
        _build(recipient, kind=kind, context=context, url=url, dedupe_key="")
        for recipient in recipients
    ]
    notifications = Notification.objects.bulk_create([n for n in built if n is not None])
    _queue_emails(notifications)
    return notifications


def _recipient_of(notification: Notification) -> User | None:
    if notification.recipient_id is not None:
        return notification.recipient
    user_id = (
        unseal_user_id(notification.recipient_sealed) if notification.recipient_sealed else None
    )
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id).first()


def _message(notification: Notification, recipient: User) -> EmailMultiAlternatives:
    anonymous = notification.recipient_id is None
    with translation.override(recipient.language):
        if anonymous:
            # Mail servers log subjects and recipients: to an anonymous author it
            # says only that there is news, never which report or what it says.
            title = _("There is news about one of your reports")
            body = _("Sign in to Frontline Voice and open your notifications to read it.")
            url = reverse("notifications")
        else:
            rendered = kinds.render(notification)
            title, body, url = rendered.title, rendered.body, notification.get_absolute_url()
        context = {
            "recipient": recipient,
            "title": title,
            "body": body,
            "url": settings.SITE_URL.rstrip("/") + url,
            "profile_url": settings.SITE_URL.rstrip("/") + reverse("profile"),
            "LANGUAGE_CODE": recipient.language,
        }
        text = render_to_string("portal/email/notification.txt", context)
        html = render_to_string("portal/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=title,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Content-Language": recipient.language},
    )
    message.attach_alternative(html, "text/html")
    return message


def _finish(notification_id: int, status: str, *, anonymous: bool) -> None:
    now = timezone.now()
    Notification.objects.filter(pk=notification_id).update(
        email_status=status,
        # The lease is over: no precise time stays on the row of an anonymous identity.
        email_claimed_at=None,
        emailed_at=(coarse(now) if anonymous else now)
        if status == Notification.EmailStatus.SENT
        else None,
    )


def notification_send_email(*, notification_id: int) -> bool:
    """E-mail one notification in its recipient's language, at most once.

    The row is claimed with a conditional update that takes a lease (portal.outbox),
    so a retried or duplicated task never sends it twice, and a claim whose worker
    died is taken again once its lease expires. Returns whether this call sent it.
    """
    now = timezone.now()
    claimable = Q(email_status=Notification.EmailStatus.PENDING) | Q(
        email_status=Notification.EmailStatus.SENDING,
        email_claimed_at__lt=outbox.lease_expired_before(now),
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id).update(
        email_status=Notification.EmailStatus.SENDING,
        email_claimed_at=now,
        email_attempts=F("email_attempts") + 1,
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    anonymous = notification.recipient_id is None
    recipient = _recipient_of(notification)
    # Checked here, not when queued, for the author of an anonymous report: only
    # here is the sealed id opened to the person and their settings.
    if (
        recipient is None
        or not recipient.email
        or not recipient.is_active
        or not recipient.email_notifications
    ):
        _finish(notification_id, Notification.EmailStatus.NOT_WANTED, anonymous=anonymous)
        return False
    try:
        _message(notification, recipient).send()
    except Exception:
        # Give the row back so the retry can claim it again.
        Notification.objects.filter(pk=notification_id).update(
            email_status=Notification.EmailStatus.PENDING, email_claimed_at=timezone.now()
        )
        raise
    _finish(notification_id, Notification.EmailStatus.SENT, anonymous=anonymous)
    return True


def notification_emails_requeue(*, now: datetime.datetime) -> list[int]:
    """E-mails to send now: pending past a lease (their task was never queued, or was
    lost), claimed by a worker whose lease expired, or — to an anonymous identity —
    whose hour is over. Returns their ids, for the sweeper to queue; it marks what it
    queued with :func:`notification_emails_requeued`."""
    expired = outbox.lease_expired_before(now)
    pending = Q(email_status=Notification.EmailStatus.PENDING)
    named = Q(recipient__isnull=False) & (
        Q(email_claimed_at__lt=expired) | Q(email_claimed_at__isnull=True, created_at__lt=expired)
    )
    anonymous = Q(recipient__isnull=True) & (
        Q(email_claimed_at__lt=expired)
        | Q(email_claimed_at__isnull=True, created_at__lte=now - ANONYMOUS_EMAIL_DELAY)
    )
    due = pending & (named | anonymous)
    abandoned = Q(email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=expired)
    ids = list(
        Notification.objects.filter(due | abandoned)
        .filter(email_attempts__lt=settings.EMAIL_MAX_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.OUTBOX_SWEEP_BATCH]
    )
    return ids


def notification_emails_requeued(*, ids: list[int], now: datetime.datetime) -> None:
    """The pending e-mails among ``ids`` were queued again at ``now``: the next sweep
    leaves them alone for a lease. (Ones the broker refused stay due.)"""
    Notification.objects.filter(pk__in=ids, email_status=Notification.EmailStatus.PENDING).update(
        email_claimed_at=now
    )


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when ``ids`` is None).

    Those addressed to their anonymous stand-in are stamped to the hour, apart from
    the named ones: one shared instant would tie the two together.
    """
    from portal.selectors import notifications_for

    qs = notifications_for(user).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    now = timezone.now()
    named = qs.filter(recipient__isnull=False).update(read_at=now)
    anonymous = qs.filter(recipient__isnull=True).update(read_at=coarse(now))
    return named + anonymous
