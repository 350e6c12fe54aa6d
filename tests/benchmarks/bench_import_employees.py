"""Benchmark: import_employees of N staff on PostgreSQL, created then all changed.

Usage (from the repository root):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frontline_voice_bench \\
        .venv/bin/python -m tests.benchmarks.bench_import_employees --count 5000

The database named in DATABASE_URL is migrated; staff named bench-staff* are replaced.
"""

import argparse
import os
import sys
import time


def staff_csv(count: int, teams: list[str], name: str) -> str:
    lines = ["username,display_name,email,team,roles,language"]
    for i in range(count):
        roles = "frontline;trainer" if i % 10 == 0 else "frontline"
        lines.append(
            f"bench-staff{i},{name} {i},bench{i}@example.test,{teams[i % len(teams)]},"
            f"{roles},{'ar' if i % 2 else 'en'}"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5_000)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from portal.employees import employees_import
    from portal.models import Location, Region, Team, User

    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    region, _ = Region.objects.get_or_create(code="B", defaults={"name_en": "B", "name_ar": "ب"})
    location, _ = Location.objects.get_or_create(
        code="B-01", defaults={"name_en": "B", "name_ar": "ب", "region": region}
    )
    teams = []
    for n in range(10):
        team, _ = Team.objects.get_or_create(
            code=f"B-01-T{n}", defaults={"name_en": "T", "name_ar": "ت", "location": location}
        )
        teams.append(team.code)
    User.objects.filter(username__startswith="bench-staff").delete()

    for label, name in [("create", "Staff"), ("unchanged", "Staff"), ("change all", "موظف")]:
        started = time.perf_counter()
        result = employees_import(data=staff_csv(args.count, teams, name))
        assert not result.errors, result.errors[:3]
        print(
            f"{label}: {args.count} rows in {time.perf_counter() - started:.2f}s "
            f"({result.created} created, {result.updated} updated)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
