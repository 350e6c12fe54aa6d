"""Compliance with the service standards, as of a date. Every page, API answer, export
and analysis of compliance comes from :func:`compliance_as_of`.

A person is covered by a standard when their team serves one of its channels, or
always when it lists none. As of a date ``D`` (versions effective and published by
then, attempts, acknowledgements and assignments made by the end of ``D``):

* the standard's *current* version is its highest-numbered version in force, its
  *last major* version the highest-numbered major one (the first if none is major);
* **compliant**: a pass, since the last major version was published, of a module that
  covered the standard (as the attempt recorded it), not expired on ``D``, and an
  acknowledgement of the last major version or a later one;
* otherwise **expired** when such passes exist but all have expired;
* otherwise **due** / **overdue** by the latest due date of the person's assignments
  that still count: those open on ``D`` (or closed with no attempts left) of a module
  covering the standard, and those whose pass since the last major version covered it
  (the acknowledgement is what is missing); due on or after ``D`` is ``due``;
* otherwise **not_assigned**.

Staff are the active people with the frontline role who had joined by ``D``. A
standard with no version in force on ``D`` covers nobody. The computation runs a fixed
number of queries, whatever the number of people and standards.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, DateTimeField, Max, Q, QuerySet, Value, When
from django.db.models import IntegerField as IntField
from django.utils.translation import gettext_lazy as _

from portal.models import Team, User
from training.models import (
    Acknowledgement,
    Assignment,
    AssignmentStatus,
    AttemptStandard,
    ChangeKind,
    Module,
    Standard,
    StandardVersion,
    day_end,
)
from training.models.standards import in_language
from training.selectors import staff

COMPLIANT, DUE, OVERDUE, EXPIRED, NOT_ASSIGNED = (
    "compliant",
    "due",
    "overdue",
    "expired",
    "not_assigned",
)
STATUSES = (COMPLIANT, DUE, OVERDUE, EXPIRED, NOT_ASSIGNED)
STATUS_LABELS = {
    COMPLIANT: _("Compliant"),
    DUE: _("Due"),
    OVERDUE: _("Overdue"),
    EXPIRED: _("Expired"),
    NOT_ASSIGNED: _("Not assigned"),
}
ROLLUPS = ("person", "team", "location", "channel", "standard")


@dataclass(frozen=True)
class StandardState:
    """A standard as it stood on the date."""

    id: int
    code: str
    title_en: str
    title_ar: str
    channel_ids: frozenset
    current: int  # number of the current version
    major: int  # number of the last major version
    baseline: datetime.datetime  # when the last major version was published

    @property
    def title(self) -> str:
        return in_language(self, "title")

    def covers(self, person: "Person") -> bool:
        return not self.channel_ids or bool(self.channel_ids & person.channel_ids)


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    display_name: str
    team_id: int | None
    location_id: int | None
    channel_ids: frozenset


@dataclass
class Compliance:
    """Every covered person × standard and their status on ``as_of``."""

    as_of: datetime.date
    standards: dict[int, StandardState]
    people: dict[int, Person]
    cells: dict[tuple[int, int], str] = field(default_factory=dict)

    def statuses_of(self, person_id: int) -> dict[int, str]:
        return {s: status for (p, s), status in self.cells.items() if p == person_id}


def ids_of(items) -> list[int] | None:
    if items is None:
        return None
    return [getattr(item, "pk", item) for item in items]


def _standards_in_force(as_of: datetime.date, standard_ids) -> dict[int, StandardState]:
    versions = StandardVersion.objects.in_force(as_of).filter(standard__is_active=True)
    if standard_ids is not None:
        versions = versions.filter(standard_id__in=standard_ids)
    by_standard: dict[int, list] = defaultdict(list)
    for row in versions.values_list("standard_id", "number", "change", "published_at"):
        by_standard[row[0]].append(row[1:])
    if not by_standard:
        return {}
    channels: dict[int, set] = defaultdict(set)
    through = Standard.channels.through.objects.filter(standard_id__in=list(by_standard))
    for standard_id, channel_id in through.values_list("standard_id", "channel_id"):
        channels[standard_id].add(channel_id)
    states = {}
    rows = Standard.objects.filter(pk__in=list(by_standard)).values_list(
        "pk", "code", "title_en", "title_ar"
    )
    for pk, code, title_en, title_ar in rows:
        versions_of = sorted(by_standard[pk])
        majors = [v for v in versions_of if v[1] == ChangeKind.MAJOR] or versions_of[:1]
        number, _change, published_at = majors[-1]
        states[pk] = StandardState(
            id=pk,
            code=code,
            title_en=title_en,
            title_ar=title_ar,
            channel_ids=frozenset(channels[pk]),
            current=versions_of[-1][0],
            major=number,
            baseline=published_at,
        )
    return states


def _people(as_of: datetime.date, people: QuerySet | None) -> dict[int, Person]:
    qs = staff().filter(date_joined__lt=day_end(as_of))
    if people is not None:
        qs = qs.filter(pk__in=people.values("pk"))
    team_channels: dict[int, set] = defaultdict(set)
    for team_id, channel_id in Team.channels.through.objects.values_list("team_id", "channel_id"):
        team_channels[team_id].add(channel_id)
    rows = qs.values_list("pk", "username", "display_name", "team_id", "team__location_id")
    return {
        pk: Person(pk, username, name, team_id, location_id, frozenset(team_channels[team_id]))
        for pk, username, name, team_id, location_id in rows
    }


def _raw(queryset) -> list[tuple]:
    """The rows of a counting query as the database gives them: counts and ids are
    integers already, and Django's converters cost more than the query at 10,000 people
    × 20 standards."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _limit(people: QuerySet | None) -> dict:
    return {} if people is None else {"user__in": people.values("pk")}


def _passes(states: dict[int, StandardState], as_of: datetime.date, limit: dict) -> QuerySet:
    """Per person × standard, counts of their passes by the end of ``as_of`` that
    covered it: since its last major version (``qualifying``), of those the ones not
    expired (``valid``), and the ones of an assignment not yet due (``not_yet_due``).
    Counts, not times or dates, so that 10,000 people × 20 standards read fast: only
    whether such passes exist matters."""
    baseline = Case(
        *[When(standard_id=s.id, then=Value(s.baseline)) for s in states.values()],
        output_field=DateTimeField(),
    )
    since_baseline = Q(attempt__submitted_at__gte=baseline)
    valid = Q(attempt__expires_on__isnull=True) | Q(attempt__expires_on__gt=as_of)
    not_yet_due = Q(attempt__assignment__due_date__gte=as_of)
    return (
        AttemptStandard.objects.filter(
            standard_id__in=list(states),
            attempt__passed=True,
            attempt__submitted_at__lt=day_end(as_of),
        )
        .filter(**{f"attempt__{k}": v for k, v in limit.items()})
        .values("attempt__user_id", "standard_id")
        .annotate(
            qualifying=Count("pk", filter=since_baseline),
            valid=Count("pk", filter=since_baseline & valid),
            not_yet_due=Count("pk", filter=since_baseline & not_yet_due),
        )
        .order_by()
    )


def _acknowledged(states: dict[int, StandardState], as_of: datetime.date, limit: dict) -> QuerySet:
    """Per person × standard, the highest version number they acknowledged by the end
    of ``as_of`` (``top``)."""
    return (
        Acknowledgement.objects.filter(
            standard_id__in=list(states), acknowledged_at__lt=day_end(as_of), **limit
        )
        .values("user_id", "standard_id")
        .annotate(top=Max("version__number", output_field=IntField()))
        .order_by()
    )


def compliant_cells(
    *, as_of: datetime.date, people: QuerySet[User] | None = None, standards=None
) -> tuple[dict[int, StandardState], dict[int, "Person"], set[tuple[int, int]]]:
    """The standards in force, the staff, and which covered person × standard cells
    are compliant on ``as_of`` — exactly those :func:`compliance_as_of` calls
    compliant, for counts that need nothing else (``team_compliance``): two of its
    queries, each narrowed in the database to the pairs that qualify (a valid pass
    since the last major version; an acknowledgement of it or a later one)."""
    states = _standards_in_force(as_of, ids_of(standards))
    if not states:
        return states, {}, set()
    persons = _people(as_of, people)
    if not persons:
        return states, persons, set()
    limit = _limit(people)
    baseline = Case(
        *[When(standard_id=s.id, then=Value(s.baseline)) for s in states.values()],
        output_field=DateTimeField(),
    )
    major = Case(
        *[When(standard_id=s.id, then=Value(s.major)) for s in states.values()],
        output_field=IntField(),
    )
    # A pass since the last major version, not expired on the date ("qualifying" and
    # "valid" in _passes); an acknowledgement of the last major version or a later one.
    passed = (
        AttemptStandard.objects.filter(
            standard_id__in=list(states),
            attempt__passed=True,
            attempt__submitted_at__lt=day_end(as_of),
            attempt__submitted_at__gte=baseline,
        )
        .filter(Q(attempt__expires_on__isnull=True) | Q(attempt__expires_on__gt=as_of))
        .filter(**{f"attempt__{k}": v for k, v in limit.items()})
        .values_list("attempt__user_id", "standard_id")
        .distinct()
        .order_by()
    )
    acknowledged = (
        Acknowledgement.objects.filter(
            standard_id__in=list(states),
            acknowledged_at__lt=day_end(as_of),
            version__number__gte=major,
            **limit,
        )
        .values_list("user_id", "standard_id")
        .distinct()
        .order_by()
    )
    acknowledged_cells = set(_raw(acknowledged))
    # A last major version numbered 0 or less needs no acknowledgement (0 ≥ it).
    no_acknowledgement = {state.id for state in states.values() if state.major <= 0}
    ok = {
        cell
        for cell in _raw(passed)
        if (cell[1] in no_acknowledgement or cell in acknowledged_cells)
        and _covered(cell, states, persons)
    }
    return states, persons, ok


def _covered(cell: tuple[int, int], states: dict, persons: dict) -> bool:
    person = persons.get(cell[0])
    return person is not None and states[cell[1]].covers(person)


def compliance_as_of(
    *,
    as_of: datetime.date,
    people: QuerySet[User] | None = None,
    standards: Iterable | None = None,
) -> Compliance:
    """The status of every covered person × standard on ``as_of``.

    ``people`` limits it to some staff (a viewer's scope: see
    ``training.selectors.people_in_compliance_scope``); ``standards`` to some standards.
    """
    end = day_end(as_of)
    states = _standards_in_force(as_of, ids_of(standards))
    result = Compliance(as_of=as_of, standards=states, people={})
    if not states:
        return result
    result.people = persons = _people(as_of, people)
    if not persons:
        return result
    ids = list(states)
    limit = _limit(people)
    passes = _passes(states, as_of, limit).values_list(
        "attempt__user_id", "standard_id", "qualifying", "valid", "not_yet_due"
    )
    passed = {(user, std): counts for user, std, *counts in _raw(passes)}

    acks = _acknowledged(states, as_of, limit).values_list("user_id", "standard_id", "top")
    acknowledged = {(user, std): top for user, std, top in _raw(acks)}

    module_standards: dict[int, list[int]] = defaultdict(list)
    through = Module.standards.through.objects.filter(standard_id__in=ids)
    for module_id, standard_id in through.values_list("module_id", "standard_id"):
        module_standards[module_id].append(standard_id)
    # Per person × standard: (assignments that still count, those not yet due).
    open_counts: dict[tuple[int, int], list[int]] = {}
    assignments = (
        Assignment.objects.filter(created_at__lt=end, module_id__in=list(module_standards), **limit)
        .exclude(status=AssignmentStatus.PASSED, closed_at__lt=end)
        .values("user_id", "module_id")
        .annotate(open=Count("pk"), not_yet_due=Count("pk", filter=Q(due_date__gte=as_of)))
        .values_list("user_id", "module_id", "open", "not_yet_due")
        .order_by()
    )
    for user_id, module_id, count, not_due in _raw(assignments):
        for standard_id in module_standards[module_id]:
            counts = open_counts.setdefault((user_id, standard_id), [0, 0])
            counts[0] += count
            counts[1] += not_due

    cells = result.cells
    for state in states.values():
        for person in persons.values():
            if state.channel_ids and not state.channel_ids & person.channel_ids:
                continue
            key = (person.id, state.id)
            cells[key] = _status(
                state, passed.get(key), acknowledged.get(key, 0), open_counts.get(key)
            )
    return result


def _status(state: StandardState, passed, acknowledged: int, open_counts) -> str:
    """A cell's status from its counts: ``passed`` (qualifying, valid, not yet due) and
    ``open_counts`` (assignments that count, not yet due)."""
    qualifying, valid, pass_not_due = passed or (0, 0, 0)
    if qualifying and valid and acknowledged >= state.major:
        return COMPLIANT
    if qualifying and not valid:
        return EXPIRED
    assigned, open_not_due = open_counts or (0, 0)
    if not (assigned or qualifying):
        return NOT_ASSIGNED
    return DUE if open_not_due or pass_not_due else OVERDUE
