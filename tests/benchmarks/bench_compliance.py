"""Benchmark: training compliance for N staff × 20 standards on PostgreSQL, rolled up by
team and by location (and the rest), today and six months ago; time and query count.

Usage (from the repository root):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frontline_voice_bench \\
        .venv/bin/python -m tests.benchmarks.bench_compliance --staff 10000

``--no-build`` measures again what a previous run built. The database named in
DATABASE_URL is migrated and is for benchmarks only: its training
tables are emptied (acknowledgements and attempts cannot be deleted any other way) and
the bench-* organisation is replaced. Every person has an assignment, attempts and
acknowledgements for each standard covering them, with major revisions and expiries.
"""

import argparse
import datetime
import os
import random
import sys
import time

STANDARDS = 20
TEAMS = 200
LOCATIONS = 40
BATCH = 5000


def build(staff: int, rng: random.Random) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from portal.models import Channel, Location, Region, Role, Team, User, UserRole
    from training.models import (
        Acknowledgement,
        Assignment,
        Attempt,
        AttemptStandard,
        Module,
        Standard,
        StandardVersion,
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE training_acknowledgement, training_attemptstandard, training_attempt, "
            "training_reminder, training_assignment, training_assignmentrule, training_choice, "
            "training_question, training_module_standards, training_module, "
            "training_versionanswer, training_standardversion, training_standard_channels "
            "CASCADE"
        )
    User.objects.filter(username__startswith="bench-").delete()
    Team.objects.filter(code__startswith="bench-").delete()
    Location.objects.filter(code__startswith="bench-").delete()
    Standard.objects.filter(code__startswith="bench-").delete()

    today = timezone.localdate()
    now = timezone.now()

    def ago(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days, minutes=rng.randint(0, 600))

    channels = list(Channel.objects.all())
    with transaction.atomic():
        region, _ = Region.objects.get_or_create(
            code="bench", defaults={"name_en": "Bench", "name_ar": "اختبار"}
        )
        locations = Location.objects.bulk_create(
            [
                Location(code=f"bench-{i}", name_en=f"L{i}", name_ar=f"م{i}", region=region)
                for i in range(LOCATIONS)
            ]
        )
        teams = Team.objects.bulk_create(
            [
                Team(
                    code=f"bench-t{i}",
                    name_en=f"T{i}",
                    name_ar=f"ف{i}",
                    location=locations[i % LOCATIONS],
                )
                for i in range(TEAMS)
            ]
        )
        Team.channels.through.objects.bulk_create(
            [
                Team.channels.through(team_id=team.pk, channel_id=channel.pk)
                for team in teams
                for channel in rng.sample(channels, rng.randint(3, 5))
            ]
        )
        team_channels = {
            team.pk: set(
                Team.channels.through.objects.filter(team=team).values_list("channel_id", flat=True)
            )
            for team in teams
        }
        people = User.objects.bulk_create(
            [
                User(
                    username=f"bench-{i}",
                    display_name=f"Person {i}",
                    team=teams[i % TEAMS],
                    date_joined=ago(900),
                    password="!",
                )
                for i in range(staff)
            ],
            batch_size=BATCH,
        )
        UserRole.objects.bulk_create(
            [UserRole(user=p, role=Role.FRONTLINE) for p in people], batch_size=BATCH
        )

        standards = Standard.objects.bulk_create(
            [
                Standard(code=f"bench-s{i}", title_en=f"S{i}", title_ar=f"م{i}")
                for i in range(STANDARDS)
            ]
        )
        standard_channels = {}
        for i, standard in enumerate(standards):
            chosen = [] if i < 8 else rng.sample(channels, rng.randint(2, 3))
            standard.channels.set(chosen)
            standard_channels[standard.pk] = {c.pk for c in chosen}
        versions = {}
        for standard in standards:
            rows = [(1, "major", 800)]
            if rng.random() < 0.5:
                rows.append((2, "minor", 500))
            if rng.random() < 0.4:
                rows.append((len(rows) + 1, "major", 200))
            made = StandardVersion.objects.bulk_create(
                [
                    StandardVersion(
                        standard=standard,
                        number=number,
                        text_en="t",
                        text_ar="ن",
                        change=change,
                        effective_date=today - datetime.timedelta(days=days),
                        published_at=now - datetime.timedelta(days=days),
                    )
                    for number, change, days in rows
                ]
            )
            versions[standard.pk] = made
        modules = Module.objects.bulk_create(
            [
                Module(
                    code=f"bench-m{i}",
                    title_en=f"M{i}",
                    title_ar=f"و{i}",
                    recertify_months=12 if i % 4 == 0 else None,
                )
                for i in range(STANDARDS)
            ]
        )
        Module.standards.through.objects.bulk_create(
            [
                Module.standards.through(module_id=m.pk, standard_id=s.pk)
                for m, s in zip(modules, standards, strict=True)
            ]
        )

        assignments, attempts, links, acks = [], [], [], []
        for person in people:
            served = team_channels[person.team_id]
            for module, standard in zip(modules, standards, strict=True):
                wanted = standard_channels[standard.pk]
                if wanted and not wanted & served:
                    continue
                last_major = [v for v in versions[standard.pk] if v.change == "major"][-1]
                since = (now - last_major.published_at).days
                outcome = rng.choices(["passed", "open", "failed"], weights=[80, 15, 5])[0]
                created = ago(rng.randint(max(1, since - 60), since + 30))
                assignment = Assignment(
                    user=person,
                    module=module,
                    due_date=timezone.localdate(created) + datetime.timedelta(days=30),
                    reason="team",
                    status=outcome,
                    created_at=created,
                    closed_at=None if outcome == "open" else created + datetime.timedelta(days=5),
                )
                assignments.append(assignment)
                if outcome == "open":
                    continue
                passed = outcome == "passed"
                at = created + datetime.timedelta(days=5)
                attempt = Attempt(
                    assignment=assignment,
                    user=person,
                    module=module,
                    module_revision=1,
                    number=1,
                    score=100 if passed else 10,
                    passed=passed,
                    started_at=at,
                    submitted_at=at,
                    expires_on=(
                        timezone.localdate(at) + datetime.timedelta(days=365)
                        if passed and module.recertify_months
                        else None
                    ),
                )
                attempts.append(attempt)
                links.append(AttemptStandard(attempt=attempt, standard=standard))
                if passed and rng.random() < 0.9:
                    acks.append(
                        Acknowledgement(
                            user=person,
                            standard=standard,
                            version=versions[standard.pk][-1],
                            language="ar",
                            text_sha256="0" * 64,
                            acknowledged_at=at,
                        )
                    )
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        Attempt.objects.bulk_create(attempts, batch_size=BATCH)
        AttemptStandard.objects.bulk_create(links, batch_size=BATCH)
        Acknowledgement.objects.bulk_create(acks, batch_size=BATCH)
    print(
        f"built: {staff} staff, {len(standards)} standards, {len(assignments)} assignments, "
        f"{len(attempts)} attempts, {len(acks)} acknowledgements"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(label: str, fn) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    print(f"{label}: {time.perf_counter() - started:.2f}s, {len(queries)} queries, {result}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--no-build", action="store_true", help="measure the data a previous run built"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from training.compliance import compliance_as_of, rollup, team_compliance

    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    if not args.no_build:
        started = time.perf_counter()
        build(args.staff, random.Random(args.seed))
        print(f"built in {time.perf_counter() - started:.1f}s")

    today = timezone.localdate()
    half_year = today - datetime.timedelta(days=182)
    for as_of in (today, half_year):
        for by in ("team", "location"):

            def run(as_of=as_of, by=by):
                compliance = compliance_as_of(as_of=as_of)
                rows = rollup(compliance, by)
                return f"{len(compliance.cells)} cells, {len(rows)} rows"

            measure(f"compliance by {by} as of {as_of}", run)
    for by in ("person", "channel", "standard"):
        measure(
            f"compliance by {by} as of {today}",
            lambda by=by: f"{len(rollup(compliance_as_of(as_of=today), by))} rows",
        )
    measure(f"team_compliance as of {today}", lambda: f"{len(team_compliance(as_of=today))} teams")
    return 0


if __name__ == "__main__":
    sys.exit(main())
