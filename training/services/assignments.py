"""Assigning modules: to people, teams, locations and roles, by rule, after a revision
and for recertification. Idempotent: at most one open assignment per person and
module (a database constraint), and every function reports what already was open."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import results_cache
from portal.models import Location, Role, Team, User, UserRole
from portal.services import notify_many
from training.models import Assignment, AssignmentRule, AssignmentStatus, Attempt, Module, Reason
from training.selectors import is_author, staff


@dataclass
class AssignResult:
    created: int = 0
    already_open: int = 0

    def __add__(self, other: "AssignResult") -> "AssignResult":
        return AssignResult(self.created + other.created, self.already_open + other.already_open)


def _require_author(user: User | None) -> None:
    if user is not None and not is_author(user):
        raise PermissionDenied(_("Only trainers assign training."))


def _notice(assignment: Assignment) -> dict:
    module = assignment.module
    return {
        "recipient": assignment.user,
        "context": {
            "module": module.code,
            "title_en": module.title_en,
            "title_ar": module.title_ar,
            "due": assignment.due_date.isoformat(),
            "reason": assignment.reason,
        },
        "url": assignment.get_absolute_url(),
        "dedupe_key": f"training-assigned:{assignment.pk}",
    }


@transaction.atomic
def compliance_changed(**_people) -> None:
    """Say compliance may have changed: analyses that read it compute afresh
    (``portal.results_cache``). Also called, through ``portal.hooks``, when people
    join or move."""
    results_cache.data_changed(results_cache.TRAINING)


def assign_people(
    *,
    module: Module,
    people: Iterable[User],
    due_date: datetime.date,
    reason: str,
    by: User | None = None,
    rule: AssignmentRule | None = None,
    now: datetime.datetime | None = None,
) -> AssignResult:
    """Assign ``module`` to each of ``people`` who has no open assignment of it, and
    tell them. A few queries whatever the number of people."""
    now = now or timezone.now()
    # Nobody is assigned training from before they joined (history replayed by the demo).
    people = {
        person.pk: person for person in people if person.is_active and person.date_joined <= now
    }
    # One writer per module at a time: two bulk assignments at once cannot both
    # create the same person's open assignment (the constraint would fail the second).
    module = Module.objects.select_for_update().get(pk=module.pk)
    already = set(
        Assignment.objects.filter(
            module=module, status=AssignmentStatus.OPEN, user_id__in=list(people)
        ).values_list("user_id", flat=True)
    )
    new = [
        Assignment(
            user=person,
            module=module,
            due_date=due_date,
            reason=reason,
            rule=rule,
            assigned_by=by,
            created_at=now,
        )
        for pk, person in sorted(people.items())
        if pk not in already
    ]
    Assignment.objects.bulk_create(new, batch_size=1000)
    notify_many(kind="training_assigned", notes=[_notice(a) for a in new])
    compliance_changed()
    return AssignResult(created=len(new), already_open=len(already))


def _check_due(due_date: datetime.date, now: datetime.datetime) -> None:
    if due_date < timezone.localdate(now):
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})


def _one_target(**targets) -> tuple[str, object]:
    given = [(name, value) for name, value in targets.items() if value not in (None, "", [], ())]
    if len(given) != 1:
        raise ValidationError(
            {"non_field_errors": _("Give exactly one of: %s.") % ", ".join(targets)}
        )
    return given[0]


def people_matching(*, team: Team | None = None, location: Location | None = None, role=""):
    """The staff (frontline) in ``team`` or at ``location``, or the active people with
    ``role``: a team's manager is not trained with the team, but a role can be."""
    if team is not None:
        return staff().filter(team=team)
    if location is not None:
        return staff().filter(team__location=location)
    holders = UserRole.objects.filter(user=OuterRef("pk"), role=role)
    return User.objects.filter(Exists(holders), is_active=True)


@transaction.atomic
def assign(
    *,
    module: Module,
    due_date: datetime.date,
    by: User,
    users: Iterable[User] | None = None,
    team: Team | None = None,
    location: Location | None = None,
    role: str = "",
    now: datetime.datetime | None = None,
) -> AssignResult:
    """Assign ``module`` to some people, a team, a location or a role (exactly one).

    Idempotent: people with an open assignment of the module are counted in
    ``already_open`` and left as they are.
    """
    _require_author(by)
    now = now or timezone.now()
    kind, _target = _one_target(users=list(users or []), team=team, location=location, role=role)
    if role and role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %s") % role})
    _check_due(due_date, now)
    if not module.is_active:
        raise ValidationError({"module": _("This module is no longer active.")})
    if kind == "users":
        people, reason = list(users), Reason.MANUAL
    else:
        people = list(people_matching(team=team, location=location, role=role))
        reason = {"team": Reason.TEAM, "location": Reason.LOCATION, "role": Reason.ROLE}[kind]
    return assign_people(
        module=module, people=people, due_date=due_date, reason=reason, by=by, now=now
    )


# --- rules ----------------------------------------------------------------------------------
@transaction.atomic
def rule_create(
    *,
    module: Module,
    by: User,
    team: Team | None = None,
    location: Location | None = None,
    role: str = "",
    due_in_days: int = 30,
    now: datetime.datetime | None = None,
) -> tuple[AssignmentRule, AssignResult]:
    """A rule, applied at once to the staff it matches; later to people who join or
    move into it (:func:`rules_apply`)."""
    _require_author(by)
    now = now or timezone.now()
    _one_target(team=team, location=location, role=role)
    if role and role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %s") % role})
    duplicate = AssignmentRule.objects.filter(module=module)
    duplicate = duplicate.filter(
        **({"team": team} if team else {"location": location} if location else {"role": role})
    )
    if duplicate.exists():
        raise ValidationError({"non_field_errors": _("This module already has that rule.")})
    rule = AssignmentRule(
        module=module,
        team=team,
        location=location,
        role=role,
        due_in_days=due_in_days,
        created_by=by,
        created_at=now,
    )
    rule.full_clean()
    rule.save()
    people = list(people_matching(team=team, location=location, role=role))
    result = _apply(rule, people, reason=rule.target_kind, now=now)
    return rule, result


@transaction.atomic
def rule_delete(*, rule: AssignmentRule, by: User) -> None:
    """Stop a rule; the assignments it made stay."""
    _require_author(by)
    rule.delete()


def _apply(rule: AssignmentRule, people: list[User], *, reason: str, now) -> AssignResult:
    # A rule assigns a person once: moving away and back, or a second role change,
    # does not assign the module again. Nor does it assign someone whose pass of the
    # module still holds (recertification and revisions re-train them when due).
    ids = [p.pk for p in people]
    done = set(Assignment.objects.filter(rule=rule, user__in=ids).values_list("user_id", flat=True))
    today = timezone.localdate(now)
    done |= set(
        Attempt.objects.filter(module=rule.module, user__in=ids, passed=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))
        .values_list("user_id", flat=True)
    )
    due = timezone.localdate(now) + datetime.timedelta(days=rule.due_in_days)
    return assign_people(
        module=rule.module,
        people=[p for p in people if p.pk not in done],
        due_date=due,
        reason=reason,
        rule=rule,
        now=now,
    )


def rules_apply(*, users: list[User], created: bool, now: datetime.datetime | None = None) -> int:
    """The rules that match ``users`` (who just joined, or whose team, location or roles
    changed) assign their modules. Registered with ``portal.hooks``; a few queries per
    rule whatever the number of people. Returns how many assignments it made."""
    rules = list(AssignmentRule.objects.select_related("module").filter(module__is_active=True))
    if not rules:
        return 0
    now = now or timezone.now()
    fresh = list(
        User.objects.filter(pk__in=[u.pk for u in users], is_active=True)
        .select_related("team")
        .prefetch_related("role_links")
    )
    made = 0
    for rule in rules:
        matching = [
            person
            for person in fresh
            if (rule.role and person.has_role(rule.role))
            or (
                person.has_role(Role.FRONTLINE)
                and (
                    (rule.team_id and person.team_id == rule.team_id)
                    or (
                        rule.location_id
                        and person.team_id
                        and person.team.location_id == rule.location_id
                    )
                )
            )
        ]
        if matching:
            reason = Reason.NEW_HIRE_RULE if created else rule.target_kind
            made += _apply(rule, matching, reason=reason, now=now).created
    return made


# --- recertification ------------------------------------------------------------------------
@transaction.atomic
def recertify_expired(*, today: datetime.date | None = None) -> int:
    """Passes that have expired, on the newest assignment of their module, get a new
    assignment with reason ``recertification``. Running it again the same day
    creates nothing. Returns how many it created."""
    today = today or timezone.localdate()
    newer = Assignment.objects.filter(
        user=OuterRef("user_id"),
        module=OuterRef("module_id"),
        created_at__gt=OuterRef("assignment__created_at"),
    )
    expired = (
        Attempt.objects.filter(
            passed=True,
            expires_on__lte=today,
            assignment__status=AssignmentStatus.PASSED,
            module__is_active=True,
        )
        .filter(user__in=staff())
        .exclude(Exists(newer))
        .values_list("module_id", "user_id")
        .distinct()
    )
    by_module: dict[int, set[int]] = defaultdict(set)
    for module_id, user_id in expired:
        by_module[module_id].add(user_id)
    due = today + datetime.timedelta(days=settings.TRAINING_RECERTIFICATION_DUE_DAYS)
    created = 0
    for module_id, user_ids in sorted(by_module.items()):
        created += assign_people(
            module=Module.objects.get(pk=module_id),
            people=User.objects.filter(pk__in=user_ids),
            due_date=due,
            reason=Reason.RECERTIFICATION,
        ).created
    return created
