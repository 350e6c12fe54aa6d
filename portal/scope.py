"""A manager's scope: the one rule for what part of the organisation someone manages.

Everything a manager sees — insights they triage, survey data, analytics, training
compliance, who is told about what — is limited to the locations they manage. An empty
set of managed locations means the whole organisation; administrators see all;
anyone who is not a manager manages nothing.
"""

from django.db.models import Q, QuerySet

from portal.selectors import manager_location_ids


def in_scope(queryset: QuerySet, user, field: str = "location") -> QuerySet:
    """``queryset`` limited to rows whose ``field`` (a location, or a path to one such
    as ``team__location``) lies in ``user``'s management scope."""
    ids = manager_location_ids(user)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": ids})


def scope_q(user, field: str = "location") -> Q | None:
    """The condition of :func:`in_scope` as a ``Q`` (``None``: no limit), for callers
    that combine it with other conditions."""
    ids = manager_location_ids(user)
    if ids is None:
        return None
    return Q(**{f"{field}__in": ids}) if ids else Q(pk__in=[])


def location_in_scope(user, location_id: int | None) -> bool:
    """The predicate of :func:`in_scope`, for one location."""
    ids = manager_location_ids(user)
    if ids is None:
        return True
    return location_id is not None and location_id in ids


def managers_of(location_id: int, managers) -> list:
    """Among ``managers`` (with ``managed_locations`` prefetched), those whose scope
    holds ``location_id``; organisation-wide managers only when nobody manages it
    directly."""
    direct, org_wide = [], []
    for manager in managers:
        locations = {location.pk for location in manager.managed_locations.all()}
        if not locations:
            org_wide.append(manager)
        elif location_id in locations:
            direct.append(manager)
    return direct or org_wide
