"""Submitting, editing, triaging and moving insights through their workflow.

Every service looks the insight up again through the access rule
(``feedback.selectors.visible_insight``): a caller cannot act on an insight its user
may not see, whatever it passes in.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import (
    ANONYMOUS_MODES,
    Category,
    Endorsement,
    Follow,
    Frequency,
    Impact,
    Insight,
    InsightEvent,
    Privacy,
    Status,
)
from feedback.selectors import can_manage, can_see, is_mine, triage_queue, visible_insight
from feedback.services._notify import FOLLOWER_USERS, notify_all, recipients_of
from feedback.services.photos import clean_photo
from feedback.text import insight_match_text, insight_search_text
from portal.anonymity import author_token, coarse_now, seal_user_id, token_for_user_id
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
# What the author may change while the insight is new, and what a manager triages.
AUTHOR_EDITABLE = (
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
)
TRIAGE_FIELDS = (
    "channel",
    "category",
    "customer_impact",
    "frequency",
    "standard",
    "owner_department",
    "assignee",
)


def allowed_transitions(insight: Insight) -> list[str]:
    return [s for s in Status.values if s in TRANSITIONS.get(insight.status, set())]


def _require_choice(field: str, value: str, choices) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("“%(value)s” is not a valid choice.") % {"value": value}})


def _index_text(insight: Insight) -> None:
    insight.search_text = insight_search_text(
        insight.title, insight.pain_point, insight.suggested_fix
    )
    insight.match_text = insight_match_text(insight.title, insight.pain_point)


RELATIONS = [f.name for f in Insight._meta.concrete_fields if f.is_relation]


def _validate(insight: Insight) -> None:
    # The related objects arrive resolved (serializers, forms, the services' own
    # lookups): checking that they exist again would cost a query each. Values are
    # checked here; the check constraints hold in the database.
    insight.clean_fields(exclude=["photo", *RELATIONS])


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
    lets them find it again and their sealed id for e-mail, and are stamped to the hour.
    """
    _require_choice("privacy", privacy, Privacy)
    _require_choice("customer_impact", customer_impact, Impact)
    _require_choice("frequency", frequency, Frequency)
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
    created_at = coarse_now() if anonymous else timezone.now()
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
        author_sealed=seal_user_id(author.pk) if anonymous else "",
        created_at=created_at,
        updated_at=created_at,
    )
    if photo:
        insight.photo = clean_photo(photo)
    _index_text(insight)
    _validate(insight)
    insight.save(force_insert=True)
    InsightEvent.objects.create(
        insight=insight,
        kind=InsightEvent.Kind.SUBMITTED,
        actor=None if anonymous else author,
        by_submitter=True,
        to_status=Status.NEW,
        created_at=created_at,
    )
    return insight


def _apply(insight: Insight, changes: dict) -> list[str]:
    changed = []
    for name, value in changes.items():
        if name == "photo":
            changed.append(name)
            insight.photo = clean_photo(value) if value else ""
        elif getattr(insight, name) != value:
            setattr(insight, name, value)
            changed.append(name)
    return changed


def _refuse_unknown(changes: dict, allowed: Iterable[str]) -> None:
    refused = sorted(set(changes) - set(allowed))
    if refused:
        raise ValidationError({name: _("You cannot change this field.") for name in refused})


@transaction.atomic
def insight_edit(*, insight: Insight, by: User, **changes) -> Insight:
    """The author's own edit of their insight, while it is still new.

    Recorded as the submitter's (nameless when anonymous, stamped to the hour).
    """
    insight = visible_insight(by, insight.pk, lock=True)
    if not (is_mine(by, insight) and insight.status == Status.NEW):
        raise PermissionDenied(_("You cannot edit this insight."))
    _refuse_unknown(changes, AUTHOR_EDITABLE)
    team = changes.get("team", insight.team)
    if team is not None and team.location_id != insight.location_id:
        raise ValidationError({"team": _("The team does not belong to that location.")})
    changed = _apply(insight, changes)
    if not changed:
        return insight
    _index_text(insight)
    _validate(insight)
    insight.save()
    InsightEvent.objects.create(
        insight=insight,
        kind=InsightEvent.Kind.EDITED,
        actor=None if insight.is_anonymous else by,
        by_submitter=True,
        data={"fields": sorted(changed)},
        created_at=coarse_now() if insight.is_anonymous else timezone.now(),
    )
    return insight


@transaction.atomic
def insight_triage(
    *,
    insight: Insight,
    by: User,
    **changes,
) -> Insight:
    """A manager's triage: owner department, assignee, and the classification
    (channel, category, impact, frequency, standard). Managers in scope only."""
    insight = visible_insight(by, insight.pk, lock=True)
    if not can_manage(by, insight):
        raise PermissionDenied(_("Only a manager responsible for this location can do that."))
    _refuse_unknown(changes, TRIAGE_FIELDS)
    assignee = changes.get("assignee")
    if assignee is not None and not (assignee.is_active and can_manage(assignee, insight)):
        raise ValidationError(
            {"assignee": _("The assignee must be an active manager responsible for its location.")}
        )
    changed = _apply(insight, changes)
    if not changed:
        return insight
    _validate(insight)
    insight.save()
    assignment = {"assignee", "owner_department"} & set(changed)
    InsightEvent.objects.create(
        insight=insight,
        kind=InsightEvent.Kind.ASSIGNED if assignment else InsightEvent.Kind.EDITED,
        actor=by,
        data={
            "fields": sorted(changed),
            "assignee": insight.assignee.display_name if insight.assignee else None,
            "owner_department": insight.owner_department.code if insight.owner_department else None,
        },
    )
    if "assignee" in changed and insight.assignee and insight.assignee != by:
        notify(
            recipient=insight.assignee,
            kind="insight_assigned",
            context={"insight_id": insight.pk, "title": insight.title},
            url=insight.get_absolute_url(),
        )
    # Triage (category, assignee…) is not an answer to the submitter: the first
    # response stays open, so the assignee is still reminded when it is late.
    return insight


def _merge_into(duplicate: Insight, original: Insight) -> dict:
    """Move endorsements and followers of ``duplicate`` to ``original``, set-based."""

    def owns_original(user_id: int) -> bool:
        if original.author_id is not None:
            return original.author_id == user_id
        return bool(original.author_token) and token_for_user_id(user_id) == original.author_token

    original_endorsers = set(original.endorsements.values_list("user_id", flat=True))
    moving = [
        user_id
        for user_id in duplicate.endorsements.values_list("user_id", flat=True)
        if user_id not in original_endorsers and not owns_original(user_id)
    ]
    moved_endorsements = Endorsement.objects.filter(insight=duplicate, user_id__in=moving).update(
        insight=original
    )
    Endorsement.objects.filter(insight=duplicate).delete()

    follower_ids = set(duplicate.follows.values_list("user_id", flat=True))
    if duplicate.author_id:
        # The named submitter now follows the original, so they hear how it ends.
        follower_ids.add(duplicate.author_id)
    follower_ids -= set(original.follows.values_list("user_id", flat=True))
    # The original's submitter hears of it anyway; a follow row would tie them, by
    # name, to an anonymous original. Nobody follows what they may not see.
    new_follows = [
        Follow(insight=original, user=user)
        for user in FOLLOWER_USERS.filter(pk__in=follower_ids).order_by("pk")
        if not owns_original(user.pk) and can_see(user, original)
    ]
    Follow.objects.bulk_create(new_follows)
    duplicate.follows.all().delete()
    return {"endorsements": moved_endorsements, "followers": len(new_follows)}


def _duplicate_original(by: User, insight: Insight, duplicate_of) -> Insight:
    """The original a duplicate is merged into, looked up as ``by`` may see it."""
    if duplicate_of is None:
        raise ValidationError({"duplicate_of": _("Say which insight this one duplicates.")})
    pk = duplicate_of.pk if isinstance(duplicate_of, Insight) else duplicate_of
    if pk == insight.pk:
        raise ValidationError({"duplicate_of": _("An insight cannot duplicate itself.")})
    try:
        original = visible_insight(by, pk, lock=True)
    except Http404 as exc:
        # One not visible answers exactly like one that does not exist.
        raise ValidationError({"duplicate_of": _("No such insight.")}) from exc
    if original.status == Status.DUPLICATE:
        raise ValidationError(
            {"duplicate_of": _("That insight is itself a duplicate; choose its original.")}
        )
    return original


@transaction.atomic
def insight_transition(
    *,
    insight: Insight,
    by: User,
    to_status: str,
    note: str = "",
    duplicate_of: Insight | int | None = None,
    implemented_at: datetime.date | None = None,
) -> Insight:
    """Move an insight along its workflow, record it and tell the submitter and followers.

    Declining needs a reason; a duplicate needs its original (an id or an insight,
    looked up as ``by`` may see it; endorsements and followers move there);
    implementing records the date the fix went live.
    """
    insight = visible_insight(by, insight.pk, lock=True)
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
        original = _duplicate_original(by, insight, duplicate_of)
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
    insight.save(update_fields=["status", "first_response_at", "duplicate_of", "implemented_at"])
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
