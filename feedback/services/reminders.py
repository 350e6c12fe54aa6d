"""Reminders to owners of insights waiting past the first-response target."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from feedback.models import (
    Insight,
)
from portal.models import Role, User
from portal.scope import managers_of
from portal.services import notify


def _active_managers() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_links__role=Role.MANAGER)
        .prefetch_related("managed_locations")
        .distinct()
        .order_by("pk")
    )


def remind_overdue_insights(*, now: datetime.datetime | None = None) -> int:
    """Remind owners of insights past the first-response target, once a day at most.

    Each insight is claimed with a conditional update, so overlapping runs never
    remind twice. Owners are the assignee, else the managers of the location,
    else the organisation-wide managers. Returns the number of insights reminded.
    """
    now = now or timezone.now()
    day_ago = now - datetime.timedelta(days=1)
    due = Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=day_ago)
    candidates = list(
        Insight.objects.overdue()
        .filter(due)
        .select_related("assignee")
        .only("pk", "title", "location_id", "assignee", "created_at", "status")
    )
    if not candidates:
        return 0
    managers = _active_managers()
    # The managers of each location, by the one scope rule (portal.scope).
    owners_at: dict[int, list[User]] = {}
    reminded = 0
    for insight in candidates:
        if insight.location_id not in owners_at:
            owners_at[insight.location_id] = managers_of(insight.location_id, managers)
        owners = [insight.assignee] if insight.assignee_id else owners_at[insight.location_id]
        hours = int((now - insight.created_at).total_seconds() // 3600)
        # The claim and the reminders commit together: a failure leaves the insight
        # unclaimed, so the retried task reminds it instead of skipping it.
        with transaction.atomic():
            claimed = Insight.objects.filter(due, pk=insight.pk).update(last_reminded_at=now)
            if not claimed:
                continue
            for owner in owners:
                notify(
                    recipient=owner,
                    kind="insight_overdue",
                    context={"insight_id": insight.pk, "title": insight.title, "hours": hours},
                    url=insight.get_absolute_url(),
                    dedupe_key=f"insight-overdue:{insight.pk}:{timezone.localdate(now).isoformat()}",
                )
        reminded += 1
    return reminded
