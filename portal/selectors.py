"""Reads that need scoping: who may see which person, location and notification."""

from django.db.models import Q, QuerySet

from portal.anonymity import author_token
from portal.models import Notification, Role, User


def notifications_for(user: User) -> QuerySet[Notification]:
    """The notifications addressed to ``user``, including those to their anonymous stand-in."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(Q(recipient=user) | Q(recipient_token=author_token(user)))


def unread_notification_count(user: User) -> int:
    return notifications_for(user).unread().count()


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
