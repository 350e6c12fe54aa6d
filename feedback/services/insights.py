"""Submitting, editing and moving insights through their workflow."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import (
    ANONYMOUS_MODES,
    Category,
    Follow,
    Frequency,
    Impact,
    Insight,
    InsightEvent,
    Privacy,
    Status,
)
from feedback.selectors import can_manage, can_see, insights_visible_to, is_mine, triage_queue
from feedback.services._notify import notify_all, recipients_of
from feedback.services.photos import clean_photo
from feedback.text import insight_match_text, insight_search_text
from portal.anonymity import author_token
from portal.models import Channel, Location, Team, User
from portal.services import notify
from training.models import Standard

# Where each open status may go. Closed statuses go nowhere.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.UNDER_REVIEW, Status.ACCEPTED, Status.DECLINED, Status.DUPLICATE},
    Status.UNDER_REVIEW: {Status.ACCEPTED, Status.DECLINED, Status.DUPLICATE},
    Status.ACCEPTED: {Status.IN_PROGRESS, Status.IMPLEMENTED, Status.DECLINED, Status.DUPLICATE},
    Status.IN_PROGRESS: {Status.IMPLEMENTED, Status.DECLINED, Status.DUPLICATE},
}


def allowed_transitions(insight: Insight) -> list[str]:
    return [s for s in Status.values if s in TRANSITIONS.get(insight.status, set())]


def _require_choice(field: str, value: str, choices) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("“%(value)s” is not a valid choice.") % {"value": value}})


@transaction.atomic
def insight_submit(
    *,
    author: User,
    title: str,
    pain_point: str,
    channel: Channel,
    category: Category,
    location: Location | None = None,
    team: Team | None = None,
    suggested_fix: str = "",
    customer_impact: str = Impact.MEDIUM,
    frequency: str = Frequency.WEEKLY,
    privacy: str = Privacy.NAMED,
    photo=None,
    standard: Standard | None = None,
) -> Insight:
    """Record what a member of staff saw customers struggle with.

    Anonymous insights keep no reference to the author, only the keyed hash that
    lets them find it again and be told of its progress.
    """
    _require_choice("privacy", privacy, Privacy)
    location = location or author.location
    if location is None:
        raise ValidationError({"location": _("This field is required.")})
    anonymous = privacy in ANONYMOUS_MODES
    # The author's team is filled in for named reports only: in a small team it
    # would all but name the author of an anonymous one.
    if team is None and not anonymous and author.team_id and author.team.location_id == location.pk:
        team = author.team
    if team is not None and team.location_id != location.pk:
        raise ValidationError({"team": _("The team does not belong to that location.")})
    insight = Insight(
        title=title.strip(),
        pain_point=pain_point.strip(),
        suggested_fix=(suggested_fix or "").strip(),
        channel=channel,
        category=category,
        location=location,
        team=team,
        customer_impact=customer_impact,
        frequency=frequency,
        privacy=privacy,
        standard=standard,
        author=None if anonymous else author,
        author_token=author_token(author) if anonymous else "",
    )
    if photo:
        insight.photo = clean_photo(photo)
    _index_text(insight)
    insight.full_clean(exclude=["photo"])
    insight.save()
    InsightEvent.objects.create(
        insight=insight,
        kind=InsightEvent.Kind.SUBMITTED,
        actor=None if anonymous else author,
        by_submitter=True,
        to_status=Status.NEW,
        created_at=insight.created_at,
    )
    return insight


def _index_text(insight: Insight) -> None:
    insight.search_text = insight_search_text(
        insight.title, insight.pain_point, insight.suggested_fix
    )
    insight.match_text = insight_match_text(insight.title, insight.pain_point)


AUTHOR_EDITABLE = {
    "title",
    "pain_point",
    "suggested_fix",
    "channel",
    "category",
    "team",
    "customer_impact",
    "frequency",
    "standard",
    "photo",
}
MANAGER_EDITABLE = {
    "channel",
    "category",
    "customer_impact",
    "frequency",
    "standard",
    "owner_department",
    "assignee",
}


@transaction.atomic
def insight_update(*, insight: Insight, by: User, **changes) -> Insight:
    """Edit an insight: its author while it is new, or a manager in scope (triage fields)."""
    insight = Insight.objects.select_for_update().get(pk=insight.pk)
    managing = can_manage(by, insight)
    authoring = is_mine(by, insight) and insight.status == Status.NEW
    allowed = (MANAGER_EDITABLE if managing else set()) | (AUTHOR_EDITABLE if authoring else set())
    if not allowed:
        raise PermissionDenied(_("You cannot edit this insight."))
    refused = sorted(set(changes) - allowed)
    if refused:
        raise ValidationError({name: _("You cannot change this field.") for name in refused})
    assignee = changes.get("assignee")
    if assignee is not None and not (assignee.is_active and can_manage(assignee, insight)):
        raise ValidationError(
            {"assignee": _("The assignee must be an active manager responsible for its location.")}
        )
    team = changes.get("team", insight.team)
    if team is not None and team.location_id != insight.location_id:
        raise ValidationError({"team": _("The team does not belong to that location.")})

    changed = []
    for name, value in changes.items():
        if name == "photo":
            changed.append(name)
            insight.photo = clean_photo(value) if value else ""
            continue
        if getattr(insight, name) != value:
            setattr(insight, name, value)
            changed.append(name)
    if not changed:
        return insight
    # A manager who reports at a location they manage edits their own report both as
    # its submitter and as its manager. Fields a manager may change anyway are
    # recorded as the manager's; only the submitter's own fields (title, text...) as
    # the submitter's, nameless when anonymous. Both at once on an anonymous report
    # would put the manager's name next to the nameless edit: refused.
    author_only = AUTHOR_EDITABLE - (MANAGER_EDITABLE if managing else set())
    author_fields = sorted(name for name in changed if authoring and name in author_only)
    manager_fields = sorted(set(changed) - set(author_fields))
    if author_fields and manager_fields and insight.is_anonymous:
        raise ValidationError(
            {
                name: _("Save the changes to your own report apart from its triage.")
                for name in manager_fields
            }
        )
    _index_text(insight)
    insight.full_clean(exclude=["photo"])
    insight.save()
    if author_fields:
        InsightEvent.objects.create(
            insight=insight,
            kind=InsightEvent.Kind.EDITED,
            actor=None if insight.is_anonymous else by,
            by_submitter=True,
            data={"fields": author_fields},
        )
    if manager_fields:
        assignment = {"assignee", "owner_department"} & set(manager_fields)
        InsightEvent.objects.create(
            insight=insight,
            kind=InsightEvent.Kind.ASSIGNED if assignment else InsightEvent.Kind.EDITED,
            actor=by,
            data={
                "fields": manager_fields,
                "assignee": insight.assignee.display_name if insight.assignee else None,
                "owner_department": insight.owner_department.code
                if insight.owner_department
                else None,
            },
        )
    if "assignee" in changed and insight.assignee and insight.assignee != by:
        notify(
            recipient=insight.assignee,
            kind="insight_assigned",
            context={"insight_id": insight.pk, "title": insight.title},
            url=insight.get_absolute_url(),
        )
    # Triage edits (category, assignee…) are not an answer to the submitter: the
    # first response stays open, so the assignee is still reminded when it is late.
    return insight


def _merge_into(duplicate: Insight, original: Insight) -> dict:
    """Move endorsements and followers of ``duplicate`` to ``original``."""
    moved_endorsements = moved_follows = 0
    original_endorsers = set(original.endorsements.values_list("user_id", flat=True))
    original_followers = set(original.follows.values_list("user_id", flat=True))
    for endorsement in duplicate.endorsements.all():
        if endorsement.user_id in original_endorsers or is_mine(endorsement.user, original):
            endorsement.delete()
        else:
            endorsement.insight = original
            endorsement.save(update_fields=["insight"])
            moved_endorsements += 1
    follower_ids = list(duplicate.follows.values_list("user_id", flat=True))
    if duplicate.author_id:
        # The named submitter now follows the original, so they hear how it ends.
        follower_ids.append(duplicate.author_id)
    for user in User.objects.filter(pk__in=set(follower_ids) - original_followers):
        # The original's submitter hears of it anyway; a follow row would tie them,
        # by name, to an anonymous original. Nobody follows what they may not see.
        if is_mine(user, original) or not can_see(user, original):
            continue
        Follow.objects.create(insight=original, user=user)
        moved_follows += 1
    duplicate.follows.all().delete()
    return {"endorsements": moved_endorsements, "followers": moved_follows}


@transaction.atomic
def insight_transition(
    *,
    insight: Insight,
    by: User,
    to_status: str,
    note: str = "",
    duplicate_of: Insight | None = None,
    implemented_at: datetime.date | None = None,
) -> Insight:
    """Move an insight along its workflow, record it and tell the submitter and followers.

    Declining needs a reason; a duplicate needs its original (endorsements and
    followers move there); implementing records the date the fix went live.
    """
    # Lock only the insight row: PostgreSQL cannot lock the nullable side of the author join.
    insight = (
        Insight.objects.select_for_update(of=("self",)).select_related("author").get(pk=insight.pk)
    )
    if not can_manage(by, insight):
        raise PermissionDenied(_("Only a manager responsible for this location can do that."))
    _require_choice("status", to_status, Status)
    note = (note or "").strip()
    from_status = insight.status
    if to_status not in TRANSITIONS.get(from_status, set()):
        raise ValidationError(
            {
                "status": _("An insight cannot move from “%(from)s” to “%(to)s”.")
                % {"from": Status(from_status).label, "to": Status(to_status).label}
            }
        )
    if to_status == Status.DECLINED and not note:
        raise ValidationError({"note": _("Give the reason for declining.")})
    data = {}
    recipients = None
    if to_status == Status.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": _("Say which insight this one duplicates.")})
        if duplicate_of.pk == insight.pk:
            raise ValidationError({"duplicate_of": _("An insight cannot duplicate itself.")})
        if not insights_visible_to(by).filter(pk=duplicate_of.pk).exists():
            raise ValidationError({"duplicate_of": _("No such insight.")})
        if duplicate_of.status == Status.DUPLICATE:
            raise ValidationError(
                {"duplicate_of": _("That insight is itself a duplicate; choose its original.")}
            )
        original = Insight.objects.select_for_update().get(pk=duplicate_of.pk)
        insight.duplicate_of = original
        # Who follows the duplicate is told of the merge before the follows move away.
        recipients = recipients_of(insight, exclude=by)
        data = {"duplicate_of": original.pk, "moved": _merge_into(insight, original)}
        InsightEvent.objects.create(
            insight=original,
            kind=InsightEvent.Kind.MERGED,
            actor=by,
            note=note,
            data={"duplicate": insight.pk, **data["moved"]},
        )
    elif duplicate_of is not None:
        raise ValidationError({"duplicate_of": _("Only a duplicate has an original.")})
    if to_status == Status.IMPLEMENTED:
        today = timezone.localdate()
        implemented_at = implemented_at or today
        if implemented_at > today:
            raise ValidationError({"implemented_at": _("The date cannot be in the future.")})
        if implemented_at < insight.created_at.date() - datetime.timedelta(days=1):
            raise ValidationError(
                {"implemented_at": _("The date cannot be before the insight was submitted.")}
            )
        insight.implemented_at = implemented_at
        data["implemented_at"] = implemented_at.isoformat()
    elif implemented_at is not None:
        raise ValidationError({"implemented_at": _("Only an implemented insight has this date.")})

    now = timezone.now()
    insight.status = to_status
    insight.first_response_at = insight.first_response_at or now
    insight.save(
        update_fields=[
            "status",
            "first_response_at",
            "duplicate_of",
            "implemented_at",
            "updated_at",
        ]
    )
    InsightEvent.objects.create(
        insight=insight,
        kind=InsightEvent.Kind.STATUS,
        actor=by,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data,
        created_at=now,
    )
    notify_all(
        insight,
        kind="insight_status",
        context={"from": from_status, "to": to_status, "note": note},
        exclude=by,
        recipients=recipients,
    )
    return insight


@transaction.atomic
def insights_bulk_transition(
    *, ids: Iterable[int], by: User, to_status: str, note: str = ""
) -> int:
    """Apply one transition to many insights of ``by``'s triage queue: all of them
    or, on any error (one outside the queue included), none."""
    ids = set(ids)
    insights = list(triage_queue(by).filter(pk__in=ids).order_by("pk"))
    missing = sorted(ids - {insight.pk for insight in insights})
    if missing:
        raise ValidationError(
            {
                "ids": [
                    _("Insight #%(id)s is not in your triage queue.") % {"id": pk} for pk in missing
                ]
            }
        )
    count = 0
    errors = {}
    for insight in insights:
        try:
            with transaction.atomic():
                insight_transition(insight=insight, by=by, to_status=to_status, note=note)
            count += 1
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            errors[f"#{insight.pk}"] = messages
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(
            {
                "insights": [
                    _("Insight %(id)s: %(errors)s") % {"id": key, "errors": " ".join(msgs)}
                    for key, msgs in errors.items()
                ]
            }
        )
    return count
