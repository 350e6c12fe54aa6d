"""The compliance selector (acceptance 6): it agrees with a brute-force reading of the
definition on hundreds of random histories (major and minor revisions, expiring
passes, failed attempts, acknowledgements of old and new versions, dates in the past),
and it reads a constant number of queries whatever the number of people and standards.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Channel, Role, Team, User, UserRole
from tests.factories import LocationFactory
from training.compliance import ROLLUPS, compliance_as_of, rollup, team_compliance
from training.compliance.core import compliant_cells
from training.models import (
    Acknowledgement,
    Assignment,
    Attempt,
    AttemptStandard,
    Module,
    Standard,
    StandardVersion,
    day_end,
)

pytestmark = pytest.mark.django_db

CASES = 200
TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=500)


def moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(0, 23), rng.randint(0, 59)))
    )


def day_after(rng, start: datetime.date, low: int, high: int) -> datetime.date:
    return min(TODAY, start + datetime.timedelta(days=rng.randint(low, high)))


# --- random histories -----------------------------------------------------------------------
@dataclass
class History:
    standards: list
    people: list
    teams: list


def make_history(rng: random.Random, *, people: int = 5, standards: int = 3) -> History:
    """An organisation with a random training history, written straight to the tables in
    bulk (the selector reads only what is recorded)."""
    channels = list(Channel.objects.filter(code__in=["branch", "phone", "chat"]))
    location = LocationFactory()
    tag = rng.randrange(10**9)
    teams = Team.objects.bulk_create(
        [Team(code=f"T{tag}-{i}", name_en="T", name_ar="ت", location=location) for i in range(2)]
    )
    Team.channels.through.objects.bulk_create(
        [
            Team.channels.through(team_id=team.pk, channel_id=channel.pk)
            for team in teams
            for channel in rng.sample(channels, rng.randint(0, 2))
        ]
    )
    persons = User.objects.bulk_create(
        [
            User(
                username=f"p{tag}-{i}",
                display_name=f"Person {i}",
                team=rng.choice([*teams, *teams, None]),
                date_joined=moment(
                    START + datetime.timedelta(days=rng.choice([0, 0, 200, 450])), rng
                ),
                is_active=rng.random() > 0.05,
            )
            for i in range(people)
        ]
    )
    UserRole.objects.bulk_create(
        [
            UserRole(user=user, role=Role.FRONTLINE if rng.random() > 0.1 else Role.MANAGER)
            for user in persons
        ]
    )

    stds = Standard.objects.bulk_create(
        [Standard(code=f"S{tag}-{i}", title_en="S", title_ar="م") for i in range(standards)]
    )
    Standard.channels.through.objects.bulk_create(
        [
            Standard.channels.through(standard_id=standard.pk, channel_id=channel.pk)
            for standard in stds
            for channel in rng.sample(channels, rng.choice([0, 1, 1, 2]))
        ]
    )
    versions = []
    for standard in stds:
        day, effective, standard.test_versions = START, START, []
        for number in range(1, rng.randint(1, 5) + 1):
            day = day_after(rng, day, 1, 150)
            effective = max(effective, day + datetime.timedelta(days=rng.randint(-3, 10)))
            published = rng.random() > 0.1 or number == 1
            version = StandardVersion(
                standard=standard,
                number=number,
                text_en="t",
                text_ar="ن",
                change="major" if number == 1 or rng.random() < 0.45 else "minor",
                effective_date=effective,
                published_at=moment(day, rng) if published else None,
            )
            versions.append(version)
            if not published:
                break
            standard.test_versions.append(version)
    StandardVersion.objects.bulk_create(versions)

    modules = Module.objects.bulk_create(
        [
            Module(
                code=f"M{tag}-{i}",
                title_en="M",
                title_ar="و",
                max_attempts=rng.randint(1, 3),
                recertify_months=rng.choice([None, None, 3, 12]),
            )
            for i in range(rng.randint(1, 3))
        ]
    )
    for module in modules:
        module.test_standards = rng.sample(stds, rng.randint(1, len(stds)))
    Module.standards.through.objects.bulk_create(
        [
            Module.standards.through(module_id=module.pk, standard_id=standard.pk)
            for module in modules
            for standard in module.test_standards
        ]
    )

    assignments, attempts = [], []
    for person in persons:
        for module in rng.sample(modules, rng.randint(0, len(modules))):
            created = day_after(rng, START, 0, 300)
            for _round in range(rng.randint(1, 3)):
                created = _plan_assignment(
                    rng, person, module, stds, created, assignments, attempts
                )
                if created is None:
                    break
    Assignment.objects.bulk_create(assignments)
    Attempt.objects.bulk_create(attempts)  # their assignments have primary keys now
    AttemptStandard.objects.bulk_create(
        [
            AttemptStandard(attempt=attempt, standard=standard)
            for attempt in attempts
            for standard in attempt.test_covered
        ]
    )
    acks = []
    for person in persons:
        for standard in stds:
            for version in standard.test_versions:
                if rng.random() < 0.5:
                    day = day_after(rng, timezone.localdate(version.published_at), 0, 120)
                    acks.append(
                        Acknowledgement(
                            user=person,
                            standard=standard,
                            version=version,
                            language="en",
                            text_sha256="0" * 64,
                            acknowledged_at=max(version.published_at, moment(day, rng)),
                        )
                    )
    Acknowledgement.objects.bulk_create(acks)
    return History(standards=stds, people=persons, teams=teams)


def _plan_assignment(rng, person, module, stds, created, assignments, attempts):
    """One assignment, open, failed or passed, with its attempts; returns the day after it
    closed (``None`` once it stays open: one open assignment per person and module)."""
    outcome = rng.choice(["open", "passed", "passed", "failed"])
    assignment = Assignment(
        user=person,
        module=module,
        due_date=created + datetime.timedelta(days=rng.randint(-5, 45)),
        reason="manual",
        created_at=moment(created, rng),
        status=outcome,
    )
    assignments.append(assignment)
    count = module.max_attempts if outcome == "failed" else rng.randint(0, module.max_attempts)
    if outcome == "passed":
        count = max(1, count)
    day, at = created, assignment.created_at
    for number in range(1, count + 1):
        day = day_after(rng, day, 0, 40)
        at = max(at, moment(day, rng))
        passed = outcome == "passed" and number == count
        expires = None
        if passed and module.recertify_months:
            expires = day + datetime.timedelta(days=30 * module.recertify_months)
        attempt = Attempt(
            assignment=assignment,
            user=person,
            module=module,
            module_revision=1,
            number=number,
            score=100 if passed else 20,
            passed=passed,
            started_at=at,
            submitted_at=at,
            expires_on=expires,
        )
        # Usually the module's standards; sometimes the module covered others then.
        attempt.test_covered = module.test_standards
        if rng.random() < 0.15:
            attempt.test_covered = rng.sample(stds, rng.randint(0, len(stds)))
        attempts.append(attempt)
    if outcome == "open":
        return None
    assignment.closed_at = at
    return day_after(rng, day, 1, 200)


# --- the definition, read naively -----------------------------------------------------------
@dataclass
class Records:
    """Every row the definition reads, loaded once per history."""

    people: list
    standards: list
    attempts: list
    acks: list
    assignments: list

    @classmethod
    def load(cls) -> "Records":
        return cls(
            people=list(User.objects.prefetch_related("role_links", "team__channels")),
            standards=list(Standard.objects.prefetch_related("channels", "versions")),
            attempts=list(
                Attempt.objects.prefetch_related("standards").select_related("assignment")
            ),
            acks=list(Acknowledgement.objects.select_related("version")),
            assignments=list(Assignment.objects.prefetch_related("module__standards")),
        )


def brute_force(records: Records, as_of: datetime.date) -> dict[tuple[int, int], str]:
    """Compliance read straight from the definition: every person, every standard, every
    record, one at a time, no aggregation."""
    end = day_end(as_of)
    people = [
        u for u in records.people if u.is_active and "frontline" in u.roles and u.date_joined < end
    ]
    result = {}
    for standard in records.standards:
        in_force = [
            v
            for v in standard.versions.all()
            if v.published_at and v.published_at < end and v.effective_date <= as_of
        ]
        if not standard.is_active or not in_force:
            continue
        majors = [v for v in in_force if v.change == "major"]
        last_major = max(majors or [min(in_force, key=lambda v: v.number)], key=lambda v: v.number)
        channels = {c.pk for c in standard.channels.all()}
        for person in people:
            served = {c.pk for c in person.team.channels.all()} if person.team else set()
            if channels and not channels & served:
                continue
            passes = [
                a
                for a in records.attempts
                if a.user_id == person.pk
                and a.passed
                and a.submitted_at < end
                and standard.pk in {s.standard_id for s in a.standards.all()}
                and a.submitted_at >= last_major.published_at
            ]
            valid = [a for a in passes if a.expires_on is None or a.expires_on > as_of]
            acknowledged = [
                k.version.number
                for k in records.acks
                if k.user_id == person.pk
                and k.standard_id == standard.pk
                and k.acknowledged_at < end
            ]
            if valid and max(acknowledged, default=0) >= last_major.number:
                status = "compliant"
            elif passes and not valid:
                status = "expired"
            else:
                dues = [
                    a.due_date
                    for a in records.assignments
                    if a.user_id == person.pk
                    and standard in a.module.standards.all()
                    and a.created_at < end
                    and not (a.status == "passed" and a.closed_at < end)
                ]
                dues += [a.assignment.due_date for a in passes]
                status = "not_assigned"
                if dues:
                    status = "due" if max(dues) >= as_of else "overdue"
            result[(person.pk, standard.pk)] = status
    return result


def compliant_of(cells: dict) -> set:
    return {cell for cell, status in cells.items() if status == "compliant"}


def dates_to_check(rng) -> list[datetime.date]:
    return [TODAY, *(START + datetime.timedelta(days=rng.randint(0, 500)) for _ in range(3))]


def test_the_selector_agrees_with_the_definition_on_random_histories():
    seen = Counter()
    for case in range(CASES):
        rng = random.Random(case)
        with transaction.atomic():
            history = make_history(rng)
            records = Records.load()
            for as_of in dates_to_check(rng):
                expected = brute_force(records, as_of)
                got = compliance_as_of(as_of=as_of).cells
                assert got == expected, (case, as_of)
                seen.update(expected.values())
                # The fast path of team compliance finds exactly the compliant cells,
                # for everyone and (some cases) for some people and one standard.
                assert compliant_cells(as_of=as_of)[2] == compliant_of(got), (case, as_of)
                if case % 4 == 0:
                    some = User.objects.filter(pk__in=[p.pk for p in records.people[::2]])
                    one = [history.standards[case % len(history.standards)]]
                    part = compliance_as_of(as_of=as_of, people=some, standards=one).cells
                    found = compliant_cells(as_of=as_of, people=some, standards=one)[2]
                    assert found == compliant_of(part), (case, as_of)
            transaction.set_rollback(True)
    # The histories reach every status, often: the comparison is not vacuous.
    assert min(seen[s] for s in ("compliant", "due", "overdue", "expired", "not_assigned")) > 50, (
        seen
    )


def test_team_compliance_counts_members_compliant_with_every_standard_covering_them():
    for case in range(20):
        rng = random.Random(1000 + case)
        with transaction.atomic():
            history = make_history(rng, people=8)
            records = Records.load()
            team_of = {person.pk: person.team_id for person in records.people}
            for as_of in dates_to_check(rng):
                cells = brute_force(records, as_of)
                for standard in [None, *history.standards]:
                    expected = {}
                    for team in history.teams:
                        members = {
                            person
                            for (person, std), _status in cells.items()
                            if team_of[person] == team.pk
                            and (standard is None or std == standard.pk)
                        }
                        if not members:
                            continue
                        ok = [
                            p
                            for p in members
                            if all(
                                status == "compliant"
                                for (person, std), status in cells.items()
                                if person == p and (standard is None or std == standard.pk)
                            )
                        ]
                        expected[team.pk] = (len(members), len(ok))
                    got = team_compliance(as_of=as_of, standard=standard, teams=history.teams)
                    assert {k: (v.members, v.compliant) for k, v in got.items()} == expected
                    for value in got.values():
                        assert value.share == pytest.approx(value.compliant / value.members)
                    # and for every team at once (the organisation-wide analytics)
                    everyone = team_compliance(as_of=as_of, standard=standard)
                    ours = {team.pk for team in history.teams}
                    assert {
                        k: (v.members, v.compliant) for k, v in everyone.items() if k in ours
                    } == expected
            transaction.set_rollback(True)


def _queries(as_of) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        compliance = compliance_as_of(as_of=as_of)
        for by in ROLLUPS:
            rollup(compliance, by)
        team_compliance(as_of=as_of)
    return len(queries), [q["sql"] for q in queries]


def test_compliance_reads_a_constant_number_of_queries_whatever_the_size():
    # Versions, standards and their channels, staff and their teams' channels, passes,
    # acknowledgements, modules' standards and assignments; one query for the labels
    # of the team, location and channel roll-ups; team_compliance again.
    make_history(random.Random(1), people=4, standards=2)
    few, few_sql = _queries(TODAY)
    make_history(random.Random(2), people=60, standards=8)
    many, many_sql = _queries(TODAY)

    assert Standard.objects.count() == 10
    assert many == few, "\n".join([*few_sql, f"--- {few} at 4 people, {many} at 64:", *many_sql])
    assert few <= 25
