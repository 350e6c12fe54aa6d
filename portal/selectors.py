"""Reads that need scoping: who may see which person, location and notification."""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Concat, RowNumber

from portal.anonymity import author_token
from portal.models import Notification, Role, User


def notifications_for(user: User) -> QuerySet[Notification]:
    """The notifications addressed to ``user``, including those to their anonymous stand-in."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(Q(recipient=user) | Q(recipient_token=author_token(user)))


def _thread():
    """What makes notifications one thread: the page they lead to (all the news of one
    insight), or, for one that leads nowhere in particular, itself alone."""
    return Case(
        When(url="", then=Concat(Value("#"), Cast("pk", output_field=CharField()))),
        default=F("url"),
        output_field=CharField(),
    )


def unread_notification_count(user: User) -> int:
    """Threads with unread news (what the notifications page highlights)."""
    return (
        notifications_for(user)
        .unread()
        .annotate(thread=_thread())
        .order_by()
        .values("thread")
        .distinct()
        .count()
    )


@dataclass
class NotificationThread:
    """The news of one thread, newest first: ``latest`` and up to
    ``THREAD_SHOWN - 1`` of the ``older`` ones, out of ``total`` (``unread`` unread)."""

    key: str
    total: int
    unread: int
    latest: Notification | None = None
    older: list[Notification] = field(default_factory=list)

    @property
    def older_count(self) -> int:
        return self.total - 1


THREAD_SHOWN = 20


def notification_threads_for(user: User) -> QuerySet:
    """One row per thread of ``user``'s notifications, latest news first: its
    ``thread`` key, ``total``, ``unread`` and ``latest_at``. Page it, then fill the
    page with :func:`notification_threads_filled`."""
    return (
        notifications_for(user)
        .annotate(thread=_thread())
        .order_by()
        .values("thread")
        .annotate(
            total=Count("pk"),
            unread=Count("pk", filter=Q(read_at__isnull=True)),
            latest_at=Max("created_at"),
            latest_id=Max("pk"),
        )
        .order_by("-latest_at", "-latest_id")
    )


def notification_threads_filled(user: User, rows) -> list[NotificationThread]:
    """The threads of a page of :func:`notification_threads_for`, each with its
    newest notifications (one query, however many threads and notifications)."""
    threads = {
        row["thread"]: NotificationThread(
            key=row["thread"], total=row["total"], unread=row["unread"]
        )
        for row in rows
    }
    if not threads:
        return []
    newest = (
        notifications_for(user)
        .annotate(
            thread=_thread(),
            place=Window(
                RowNumber(),
                partition_by=[_thread()],
                order_by=[F("created_at").desc(), F("pk").desc()],
            ),
        )
        .filter(thread__in=list(threads), place__lte=THREAD_SHOWN)
        .order_by("-created_at", "-pk")
    )
    for notification in newest:
        thread = threads[notification.thread]
        if thread.latest is None:
            thread.latest = notification
        else:
            thread.older.append(notification)
    return [thread for thread in threads.values() if thread.latest is not None]


def notification_thread_ids(user: User, key: str) -> list[int]:
    """The ids of ``user``'s notifications in the thread ``key`` (none for a key that
    is not one of theirs)."""
    return list(
        notifications_for(user)
        .annotate(thread=_thread())
        .filter(thread=key)
        .values_list("pk", flat=True)
    )


def manager_location_ids(user: User) -> list[int] | None:
    """The location ids a manager may see, or ``None`` for the whole organisation.

    Admins and managers with no managed locations see everything. Anyone who is
    not a manager has no management scope at all (an empty list).
    """
    if not user.is_authenticated or not user.is_manager:
        return []
    if user.is_portal_admin:
        return None
    cached = getattr(user, "_scope_cache", False)
    if cached is False:
        prefetched = getattr(user, "_prefetched_objects_cache", {}).get("managed_locations")
        if prefetched is not None:
            ids = [location.pk for location in prefetched]
        else:
            ids = list(user.managed_locations.values_list("pk", flat=True))
        cached = ids or None
        user._scope_cache = cached
    return cached


def users_visible_to(user: User) -> QuerySet[User]:
    """People the user may list and manage: admins see everyone, nobody else anyone."""
    if user.is_authenticated and user.is_portal_admin:
        return User.objects.select_related("team__location").prefetch_related(
            "role_links", "managed_locations"
        )
    return User.objects.none()


def managers() -> QuerySet[User]:
    """Active people who may triage insights (managers and administrators)."""
    return User.objects.filter(
        is_active=True, role_links__role__in=[Role.MANAGER, Role.ADMIN]
    ).distinct()
