"""Writes for the organisation, people and notifications."""

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import hooks, outbox
from portal import notifications as kinds
from portal.anonymity import user_for_token
from portal.models import Location, Notification, Role, Team, User, UserRole

# --- users ---------------------------------------------------------------------------------
# What user_update() changes besides roles, scope and password.
USER_UPDATE_FIELDS = {
    "display_name",
    "email",
    "team",
    "language",
    "is_active",
    "email_notifications",
}


def _apply_roles(user: User, roles: Iterable[str]) -> bool:
    """Give ``user`` exactly ``roles``; returns whether that changed anything."""
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %s") % ", ".join(sorted(unknown))})
    existing = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
    if existing - wanted:
        UserRole.objects.filter(user=user, role__in=existing - wanted).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(wanted - existing)])
    set_admin_access(user, wanted)
    user.save(update_fields=["is_staff", "is_superuser"])
    user._roles_cache = sorted(wanted)
    return existing != wanted


def set_admin_access(user: User, roles: Iterable[str]) -> None:
    """Managers and admins work in the Django admin; nobody else gets in (unsaved)."""
    roles = set(roles)
    user.is_staff = bool(roles & {Role.MANAGER, Role.ADMIN})
    user.is_superuser = Role.ADMIN in roles


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def user_create(
    *,
    username: str,
    display_name: str,
    email: str = "",
    password: str | None = None,
    roles: Iterable[str] = (Role.FRONTLINE,),
    team: Team | None = None,
    managed_locations: Iterable[Location] = (),
    language: str = "en",
    is_active: bool = True,
    send_welcome: bool = True,
) -> User:
    """Create a member of staff with their roles and scope, and welcome them."""
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        team=team,
        language=language,
        is_active=is_active,
    )
    if password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    return user_register(
        user=user, roles=roles, managed_locations=managed_locations, send_welcome=send_welcome
    )


@transaction.atomic
def user_register(
    *,
    user: User,
    roles: Iterable[str] = (Role.FRONTLINE,),
    managed_locations: Iterable[Location] = (),
    send_welcome: bool = True,
) -> User:
    """Save a new member of staff built elsewhere (its password already set, as the
    admin's creation form does): roles, scope, welcome, and the apps that follow
    people joining (portal.hooks)."""
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"username": _("A user with that username already exists.")}) from exc
    _apply_roles(user, roles)
    user.managed_locations.set(managed_locations)
    if send_welcome:
        notify(
            recipient=user,
            kind="welcome",
            context={"username": user.username},
            dedupe_key="welcome",
        )
    hooks.people_changed([user], created=True)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    roles: Iterable[str] | None = None,
    managed_locations: Iterable[Location] | None = None,
    password: str | None = None,
    **fields,
) -> User:
    """Update a member of staff; only the given fields change."""
    unexpected = set(fields) - USER_UPDATE_FIELDS
    if unexpected:
        raise TypeError(f"user_update() got unexpected fields {sorted(unexpected)}")
    team_before = None
    if "team" in fields and user.pk:
        # Read from the database: a form may already have set the new team on ``user``.
        team_before = User.objects.filter(pk=user.pk).values_list("team_id", flat=True).first()
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        _check_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    update_fields = list(fields) + (["password"] if password else [])
    if update_fields:
        user.save(update_fields=update_fields)
    roles_changed = _apply_roles(user, roles) if roles is not None else False
    if managed_locations is not None:
        user.managed_locations.set(managed_locations)
    moved = "team" in fields and team_before != user.team_id
    if moved or roles_changed:
        hooks.people_changed([user], created=False)
    return user


# --- notifications -------------------------------------------------------------------------
_emails_held = ContextVar("emails_held", default=False)
NOTIFY_BATCH = 1000


@contextmanager
def notifications_without_email():
    """Notifications made inside this block appear in the portal but are not e-mailed
    (demo data replaying years of history, for one)."""
    token = _emails_held.set(True)
    try:
        yield
    finally:
        _emails_held.reset(token)


def notify(
    *,
    kind: str,
    context: dict | None = None,
    recipient: User | None = None,
    recipient_token: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> Notification | None:
    """Create an in-app notification and queue its e-mail after the transaction commits.

    Give either a ``recipient`` or, for the author of an anonymous insight, their
    ``recipient_token``. With a ``dedupe_key`` the same notification is created at
    most once per recipient: reminders call this freely. Returns ``None`` when it
    already existed.
    """
    if not kinds.is_registered(kind):
        raise ValueError(f"unknown notification kind {kind!r}")
    if (recipient is None) == (not recipient_token):
        raise ValueError("give exactly one of recipient and recipient_token")
    if recipient is not None and not recipient.is_active:
        return None
    wants_email = not _emails_held.get() and (
        recipient_token != "" or (bool(recipient.email) and recipient.email_notifications)
    )
    notification = Notification(
        recipient=recipient,
        recipient_token=recipient_token,
        kind=kind,
        context=context or {},
        url=url,
        dedupe_key=dedupe_key,
        email_status=(
            Notification.EmailStatus.PENDING if wants_email else Notification.EmailStatus.NOT_WANTED
        ),
    )
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
    if wants_email:
        from portal.tasks import send_notification_email_task

        outbox.enqueue_on_commit(send_notification_email_task, notification.pk)
    return notification


def notify_many(*, kind: str, notes: Iterable[dict]) -> int:
    """:func:`notify` for many people at once, in a few queries whatever their number.

    Each note is a dict of ``recipient`` (a user), ``context``, ``url`` and
    ``dedupe_key``. Inactive recipients are skipped, and so is any note whose
    ``dedupe_key`` the recipient already has. Returns how many were created.
    """
    if not kinds.is_registered(kind):
        raise ValueError(f"unknown notification kind {kind!r}")
    notes = [note for note in notes if note["recipient"].is_active]
    if not notes:
        return 0
    taken: set[tuple[int, str]] = set()
    for start in range(0, len(notes), NOTIFY_BATCH):
        batch = [note for note in notes[start : start + NOTIFY_BATCH] if note.get("dedupe_key")]
        if batch:
            taken |= set(
                Notification.objects.filter(
                    recipient__in={note["recipient"].pk for note in batch},
                    dedupe_key__in={note["dedupe_key"] for note in batch},
                ).values_list("recipient_id", "dedupe_key")
            )
    held = _emails_held.get()
    rows = []
    for note in notes:
        recipient, key = note["recipient"], note.get("dedupe_key", "")
        if key and (recipient.pk, key) in taken:
            continue
        taken.add((recipient.pk, key))
        wants_email = not held and bool(recipient.email) and recipient.email_notifications
        rows.append(
            Notification(
                recipient=recipient,
                kind=kind,
                context=note.get("context") or {},
                url=note.get("url", ""),
                dedupe_key=key,
                email_status=(
                    Notification.EmailStatus.PENDING
                    if wants_email
                    else Notification.EmailStatus.NOT_WANTED
                ),
            )
        )
    Notification.objects.bulk_create(rows, batch_size=NOTIFY_BATCH)
    from portal.tasks import send_notification_email_task

    for row in rows:
        if row.email_status == Notification.EmailStatus.PENDING:
            outbox.enqueue_on_commit(send_notification_email_task, row.pk)
    return len(rows)


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
    recipient = notification.recipient or user_for_token(notification.recipient_token)
    # Checked here, not when queued, for the author of an anonymous report: only
    # here is the keyed hash resolved to the person and their settings.
    if (
        recipient is None
        or not recipient.email
        or not recipient.is_active
        or not recipient.email_notifications
    ):
        Notification.objects.filter(pk=notification_id).update(
            email_status=Notification.EmailStatus.NOT_WANTED
        )
        return False
    try:
        with translation.override(recipient.language):
            rendered = kinds.render(notification)
            context = {
                "recipient": recipient,
                "title": rendered.title,
                "body": rendered.body,
                "url": settings.SITE_URL.rstrip("/") + notification.get_absolute_url(),
                "profile_url": settings.SITE_URL.rstrip("/") + reverse("profile"),
                "LANGUAGE_CODE": recipient.language,
            }
            text = render_to_string("portal/email/notification.txt", context)
            html = render_to_string("portal/email/notification.html", context)
        message = EmailMultiAlternatives(
            subject=rendered.title,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={"Content-Language": recipient.language},
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        # Give the row back so the retry can claim it again.
        Notification.objects.filter(pk=notification_id).update(
            email_status=Notification.EmailStatus.PENDING, email_claimed_at=timezone.now()
        )
        raise
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now()
    )
    return True


def notification_emails_requeue(*, now: datetime.datetime) -> list[int]:
    """E-mails left behind: pending past a lease (their task was never queued, or
    lost) or claimed by a worker whose lease expired. Marks the pending ones as
    queued again and returns every id, for the sweeper to queue."""
    expired = outbox.lease_expired_before(now)
    pending = Q(email_status=Notification.EmailStatus.PENDING) & (
        Q(email_claimed_at__lt=expired) | Q(email_claimed_at__isnull=True, created_at__lt=expired)
    )
    abandoned = Q(email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=expired)
    ids = list(
        Notification.objects.filter(pending | abandoned)
        .filter(email_attempts__lt=settings.EMAIL_MAX_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.OUTBOX_SWEEP_BATCH]
    )
    Notification.objects.filter(pending, pk__in=ids).update(email_claimed_at=now)
    return ids


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when ``ids`` is None)."""
    from portal.selectors import notifications_for

    qs = notifications_for(user).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
