"""Benchmark: ``import_survey`` of N survey responses on PostgreSQL, against the fastest
any import into that table can be.

Usage (from the repository root):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frontline_voice_bench \\
        .venv/bin/python -m tests.benchmarks.bench_import_survey --count 1000000

In one run it

1. generates N rows as a CSV file (the demo's realistic bilingual comments, every
   metric, channel and location, a third with a team or category);
2. times ``COPY`` of that file into a bare table of text columns (reading the file,
   nothing else: for reference);
3. times ``COPY`` of the same rows, codes already resolved to ids, into a copy of the
   responses table with the same constraints, foreign keys and indexes: the fastest
   any import into this table can be;
4. times ``manage.py import_survey`` of the file (a child process, so its peak memory
   is its own) into the emptied responses table, then again (re-import, all rows
   unchanged), and prints both times, rows/s, the ratio to (3) and the peak memory.

The survey tables of the database named in DATABASE_URL are emptied first.
"""

import argparse
import csv
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = [
    "source",
    "external_id",
    "metric",
    "score",
    "responded_at",
    "channel",
    "location",
    "team",
    "category",
    "comment",
    "language",
]
BASELINE_COLUMNS = [
    "source",
    "external_id",
    "metric",
    "score",
    "responded_at",
    "channel_id",
    "location_id",
    "team_id",
    "category_id",
    "comment",
    "language",
    "comment_match",
    "created_at",
    "updated_at",
]


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def generate(count: int, csv_path: Path, copy_path: Path, seed: int = 1) -> None:
    """The CSV to import — the demo's generator (``feedback.survey.demo``), so the rows
    are spread over days, channels, teams and categories as real survey data is — and
    the same rows as COPY text with ids, for the baseline."""
    import itertools

    from django.utils import timezone

    from feedback.demo import FIXES
    from feedback.models import Category
    from feedback.survey.demo import Fix
    from feedback.survey.demo import generate as demo_rows
    from feedback.text import guess_language, match_key
    from portal.models import Channel, Location, Team

    channels = {c.code: c.pk for c in Channel.objects.all()}
    locations = {loc.code: loc.pk for loc in Location.objects.all()}
    teams = {team.code: team.pk for team in Team.objects.all()}
    categories = {c.code: c.pk for c in Category.objects.all()}
    teams_at: dict[str, list[str]] = {}
    for code, location in Team.objects.values_list("code", "location__code"):
        teams_at.setdefault(location, []).append(code)
    today = timezone.localdate()
    rows = demo_rows(
        rng=random.Random(seed),
        locations=sorted(Location.objects.values_list("code", "kind")),
        teams={code: sorted(codes) for code, codes in teams_at.items()},
        fixes=[Fix(c, loc, today - datetime.timedelta(weeks=w)) for _k, c, loc, w in FIXES],
        today=today,
        volume=count / 75_000,
    )
    stamp = datetime.datetime.now(datetime.UTC).isoformat()

    def text(value) -> str:
        if value is None:
            return r"\N"
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    written = 0
    with (
        csv_path.open("w", newline="", encoding="utf-8") as out,
        copy_path.open("w", encoding="utf-8") as copy,
    ):
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for row in itertools.islice(rows, count):
            row["source"] = "bench"
            writer.writerow([row[name] for name in HEADER])
            comment = row["comment"]
            values = [
                "bench", row["external_id"], row["metric"], row["score"], row["responded_at"],
                channels[row["channel"]], locations[row["location"]], teams.get(row["team"]),
                categories.get(row["category"]), comment, guess_language(comment),
                match_key(comment), stamp, stamp,
            ]  # fmt: skip
            copy.write("\t".join(text(v) for v in values) + "\n")
            written += 1
    assert written == count, f"the generator gave {written} rows, not {count}"


def timed(cursor, sql: str, path: Path) -> float:
    started = time.perf_counter()
    with path.open("rb") as source, cursor.copy(sql) as copy:
        while chunk := source.read(1 << 20):
            copy.write(chunk)
    return time.perf_counter() - started


def baselines(csv_path: Path, copy_path: Path) -> tuple[float, float]:
    from django.db import connection

    raw = connection.connection  # psycopg, autocommit as Django leaves it
    with raw.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare, bench_same_shape")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_bare (" + ", ".join(f"{n} text" for n in HEADER) + ")"
        )
        bare = timed(cursor, "COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)", csv_path)
        cursor.execute("CREATE TABLE bench_same_shape (LIKE feedback_surveyresponse INCLUDING ALL)")
        for column, table in [
            ("channel_id", "portal_channel"),
            ("location_id", "portal_location"),
            ("team_id", "portal_team"),
            ("category_id", "feedback_category"),
        ]:
            cursor.execute(
                f"ALTER TABLE bench_same_shape ADD FOREIGN KEY ({column}) REFERENCES {table} (id) "
                "DEFERRABLE INITIALLY DEFERRED"
            )
        cursor.execute("CHECKPOINT")
        same = timed(
            cursor, f"COPY bench_same_shape ({', '.join(BASELINE_COLUMNS)}) FROM STDIN", copy_path
        )
        cursor.execute("DROP TABLE bench_bare, bench_same_shape")
    return bare, same


def run_child(csv_path: Path) -> tuple[dict, float]:
    """The import in a child process: its result, timings and its own peak memory."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.bench_import_survey", "--child", str(csv_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    return json.loads(done.stdout.strip().splitlines()[-1]), elapsed


def child(csv_path: str) -> int:
    _setup_django()
    from io import StringIO

    from django.core.management import call_command

    from feedback.models import SurveyImport
    from feedback.survey import importing

    timings = {}
    original = importing._run

    def timed_run(*args, **kwargs):  # the command's own result, with its phase timings
        result = original(*args, **kwargs)
        timings.update(result.timings)
        return result

    importing._run = timed_run
    started = time.perf_counter()
    call_command("import_survey", csv_path, stdout=StringIO(), stderr=StringIO())
    elapsed = time.perf_counter() - started
    job = SurveyImport.objects.order_by("-pk").first()
    print(
        json.dumps(
            {"seconds": elapsed, "created": job.created, "updated": job.updated,
             "unchanged": job.unchanged, "rejected": job.rejected, "timings": timings,
             "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        )
    )  # fmt: skip
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        return child(args.child)

    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    from portal.demo import seed_org

    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    seed_org(rng=random.Random(1), scale="small", password="bench-password-2026")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE feedback_surveyresponse, feedback_surveydailyrollup")

    folder = Path(tempfile.mkdtemp(prefix="bench-survey-"))
    csv_path, copy_path = folder / "responses.csv", folder / "responses.copy"
    started = time.perf_counter()
    generate(args.count, csv_path, copy_path)
    size = csv_path.stat().st_size / 1e6
    print(
        f"generated {args.count:,} rows ({size:.0f} MB CSV) in {time.perf_counter() - started:.1f}s"
    )

    bare, same = baselines(csv_path, copy_path)
    print(f"COPY of the file into a bare text table:            {bare:7.2f} s")
    print(f"COPY, ids resolved, into a same-shape table:       {same:7.2f} s")

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    first, first_s = run_child(csv_path)
    # As a later re-import finds the table: vacuumed (autovacuum would otherwise be
    # working on the million new rows while it runs) and checkpointed.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) feedback_surveyresponse, feedback_surveydailyrollup")
        cursor.execute("CHECKPOINT")
    second, second_s = run_child(csv_path)
    n = args.count
    for label, run, wall in (("first", first, first_s), ("again", second, second_s)):
        seconds = run["seconds"]
        print(
            f"import_survey ({label}): {seconds:7.2f} s ({wall:.1f} s with Python's start) "
            f"{n / seconds:9,.0f} rows/s  {same / seconds:.2f}x the same-shape COPY's speed  "
            f"peak {run['rss_mb']:.0f} MB  ({run['created']:,} created, "
            f"{run['unchanged']:,} unchanged)"
        )
        print(f"  phases (s): {run['timings']}")
    csv_path.unlink()
    copy_path.unlink()
    folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
