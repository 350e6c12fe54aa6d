"""Benchmark: similar-insight search over N insights on PostgreSQL.

Insights are built from the real Arabic reviews in ../shared/datasets (not shipped).
Usage (from the repository root):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frontline_voice_bench \\
        .venv/bin/python -m tests.benchmarks.bench_similar --count 10000

The database named in DATABASE_URL is migrated and its insights replaced.
"""

import argparse
import csv
import os
import statistics
import sys
import time

from tests.datasets import arabic_reviews_dir

DATASET = arabic_reviews_dir()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from feedback.models import Category, Insight
    from feedback.selectors import similar_insights
    from feedback.text import insight_match_text, insight_search_text
    from portal.models import Channel, Location, Region, Role
    from portal.services import user_create

    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)

    with open(DATASET / "RES1.csv", encoding="utf-8", newline="") as f:
        texts = [row["text"].strip() for row in csv.DictReader(f) if len(row["text"].strip()) > 20]
    region, _ = Region.objects.get_or_create(code="B", defaults={"name_en": "B", "name_ar": "ب"})
    location, _ = Location.objects.get_or_create(
        code="B-01", defaults={"name_en": "B", "name_ar": "ب", "region": region}
    )
    admin = Role.ADMIN
    from portal.models import User

    user = User.objects.filter(username="bench-admin").first() or user_create(
        username="bench-admin", display_name="Bench", roles=[admin], send_welcome=False
    )
    channel = Channel.objects.get(code="branch")
    category = Category.objects.get(code="other")

    Insight.objects.all().delete()
    started = time.perf_counter()
    batch = []
    for i in range(args.count):
        text = texts[i % len(texts)]
        title = text[:80]
        batch.append(
            Insight(
                title=title,
                pain_point=text[:4000],
                channel=channel,
                category=category,
                location=location,
                privacy="named",
                author=user,
                search_text=insight_search_text(title, text[:4000]),
                match_text=insight_match_text(title, text[:4000]),
            )
        )
    Insight.objects.bulk_create(batch, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feedback_insight")
    print(f"inserted {args.count} insights in {time.perf_counter() - started:.1f}s")

    # Queries: real review sentences, retyped with diacritics and letter variants.
    def vary(text: str) -> str:
        return text.replace("ا", "أ", 1).replace("ي", "ى").replace("ه ", "ة ") + "َ"

    queries = [
        vary(texts[(i * 97) % min(len(texts), args.count)][:120]) for i in range(args.queries)
    ]
    similar_insights(user, queries[0])  # warm the cache and the plan
    timings = []
    hits = 0
    for query in queries:
        t0 = time.perf_counter()
        found = similar_insights(user, query)
        timings.append((time.perf_counter() - t0) * 1000)
        hits += bool(found)
    timings.sort()
    print(
        f"similar_insights over {args.count} insights, {len(queries)} queries: "
        f"median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms; "
        f"{hits}/{len(queries)} found their source"
    )
    with connection.cursor() as cursor:
        from feedback.text import match_key

        cursor.execute(
            "EXPLAIN ANALYZE SELECT id FROM feedback_insight ORDER BY match_text <-> %s LIMIT 20",
            [match_key(queries[1])],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(plan)

    # The `q` filter of the list API, triage page and export: every word must
    # appear in the normalised text (LIKE '%word%', served by a trigram GIN index).
    from feedback.filters import InsightFilter
    from feedback.selectors import insights_visible_to

    words = [" ".join(q.split()[1:3]) for q in queries]
    timings = []
    for q in words:
        t0 = time.perf_counter()
        page = list(InsightFilter({"q": q}, queryset=insights_visible_to(user)).qs[:20])
        timings.append((time.perf_counter() - t0) * 1000)
        hits += bool(page)
    timings.sort()
    print(
        f"q search over {args.count} insights, {len(words)} two-word queries: "
        f"median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN ANALYZE SELECT id FROM feedback_insight WHERE search_text LIKE %s",
            ["%" + words[1].split()[0] + "%"],
        )
        print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
