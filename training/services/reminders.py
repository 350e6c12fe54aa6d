"""Reminders of training due: 3 days before the due date, on it, then weekly while
overdue; after 7 days overdue the person's managers are told.

Each reminder is a :class:`~training.models.Reminder` row, unique per assignment, kind
and scheduled date, written in the same transaction as its notifications. The daily
task can therefore run twice, or be retried, and nothing is sent twice. A day the task
missed is caught up with the latest reminder due (not every one missed).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.models import Role, User
from portal.scope import managers_of
from portal.services import notify_many
from training.models import Assignment, AssignmentStatus, Reminder

BEFORE_DAYS = 3
OVERDUE_EVERY_DAYS = 7
ESCALATE_AFTER_DAYS = 7
BATCH = 500


def reminder_due(due: datetime.date, today: datetime.date) -> tuple[str, datetime.date] | None:
    """The learner's reminder owed on ``today`` for a due date: ``(kind, scheduled date)``."""
    if today < due - datetime.timedelta(days=BEFORE_DAYS):
        return None
    if today < due:
        return Reminder.Kind.BEFORE, due - datetime.timedelta(days=BEFORE_DAYS)
    weeks = (today - due).days // OVERDUE_EVERY_DAYS
    if weeks == 0:
        return Reminder.Kind.DUE, due
    return Reminder.Kind.OVERDUE, due + datetime.timedelta(days=OVERDUE_EVERY_DAYS * weeks)


@dataclass
class ReminderCounts:
    reminders: int = 0
    escalations: int = 0


def _context(assignment: Assignment, today: datetime.date, **extra) -> dict:
    module = assignment.module
    return {
        "module": module.code,
        "title_en": module.title_en,
        "title_ar": module.title_ar,
        "due": assignment.due_date.isoformat(),
        "days_overdue": max(0, (today - assignment.due_date).days),
        **extra,
    }


def send_reminders(*, today: datetime.date | None = None) -> ReminderCounts:
    """Send every reminder and escalation owed on ``today`` (default: today), once."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=BEFORE_DAYS)
    open_ids = list(
        Assignment.objects.filter(
            status=AssignmentStatus.OPEN, due_date__lte=horizon, user__is_active=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    managers = list(
        User.objects.filter(is_active=True, role_links__role=Role.MANAGER)
        .prefetch_related("managed_locations")
        .distinct()
        .order_by("pk")
    )
    counts = ReminderCounts()
    for start in range(0, len(open_ids), BATCH):
        batch = _send_batch(open_ids[start : start + BATCH], today, managers)
        counts.reminders += batch.reminders
        counts.escalations += batch.escalations
    return counts


@transaction.atomic
def _send_batch(ids: list[int], today: datetime.date, managers: list[User]) -> ReminderCounts:
    assignments = list(
        Assignment.objects.filter(pk__in=ids, status=AssignmentStatus.OPEN)
        .select_related("user__team", "module")
        .order_by("pk")
    )
    owed: list[tuple[Assignment, str, datetime.date]] = []
    for assignment in assignments:
        due = reminder_due(assignment.due_date, today)
        if due is not None:
            owed.append((assignment, *due))
        escalate_on = assignment.due_date + datetime.timedelta(days=ESCALATE_AFTER_DAYS)
        if today >= escalate_on:
            owed.append((assignment, Reminder.Kind.ESCALATION, escalate_on))
    if not owed:
        return ReminderCounts()
    already = set(
        Reminder.objects.filter(assignment_id__in=[a.pk for a, _k, _d in owed]).values_list(
            "assignment_id", "kind", "date"
        )
    )
    new = [(a, kind, date) for a, kind, date in owed if (a.pk, kind, date) not in already]
    # A run at the same moment that got there first makes this insert fail: the whole
    # batch rolls back, nothing is sent twice, and the task's retry skips what it sent.
    Reminder.objects.bulk_create([Reminder(assignment=a, kind=k, date=d) for a, k, d in new])
    learner_notes, manager_notes = [], []
    for assignment, kind, date in new:
        if kind == Reminder.Kind.ESCALATION:
            location_id = assignment.user.team.location_id if assignment.user.team_id else None
            for manager in managers_of(location_id, managers):
                manager_notes.append(
                    {
                        "recipient": manager,
                        "context": _context(assignment, today, person=assignment.user.display_name),
                        "url": reverse("training:compliance-people")
                        + f"?q={assignment.user.username}",
                        "dedupe_key": f"training-escalation:{assignment.pk}",
                    }
                )
        else:
            learner_notes.append(
                {
                    "recipient": assignment.user,
                    "context": _context(assignment, today, when=kind),
                    "url": assignment.get_absolute_url(),
                    "dedupe_key": f"training-reminder:{assignment.pk}:{kind}:{date.isoformat()}",
                }
            )
    notify_many(kind="training_reminder", notes=learner_notes)
    notify_many(kind="training_escalation", notes=manager_notes)
    return ReminderCounts(
        reminders=len(learner_notes),
        escalations=sum(1 for _a, kind, _d in new if kind == Reminder.Kind.ESCALATION),
    )
