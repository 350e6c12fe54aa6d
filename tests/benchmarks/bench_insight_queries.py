"""Benchmark: the insight list, triage, ``q`` search and similar search at N insights.

For each, as a frontline member, a scoped manager and an administrator: the planning
and execution time PostgreSQL reports for the page's query (``EXPLAIN (ANALYZE,
SUMMARY)``, median of the runs) and the median server time of the whole request
(Django test client, no network). Insights are built from the real Arabic reviews in
../shared/datasets (not shipped), across 12 locations, 8 channels and 10 categories,
with endorsements and comments.

    createdb -h 127.0.0.1 -U postgres -E UTF8 -T template0 fv_bench_queries
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fv_bench_queries \\
        .venv/bin/python -m tests.benchmarks.bench_insight_queries --count 100000

The database named in DATABASE_URL is migrated and its insights replaced (``--reuse``
keeps them when there are already N).
"""

import argparse
import csv
import json
import os
import random
import statistics
import sys
import time

from tests.datasets import arabic_reviews_dir


def build(count: int, rng: random.Random):
    from django.db import connection

    from feedback.models import Category, Comment, Endorsement, Insight, Privacy, Status
    from feedback.text import insight_match_text, insight_search_text
    from portal.anonymity import author_token
    from portal.models import Channel, Location, Region, Role, Team, User
    from portal.services import user_create

    with open(arabic_reviews_dir() / "RES1.csv", encoding="utf-8", newline="") as f:
        texts = [r["text"].strip() for r in csv.DictReader(f) if len(r["text"].strip()) > 20]
    region, _ = Region.objects.get_or_create(code="BR", defaults={"name_en": "B", "name_ar": "ب"})
    locations = [
        Location.objects.get_or_create(
            code=f"BQ-{i:02d}", defaults={"name_en": f"B{i}", "name_ar": "ب", "region": region}
        )[0]
        for i in range(12)
    ]
    teams = [
        Team.objects.get_or_create(
            code=f"BQ-{i:02d}-T", defaults={"name_en": "T", "name_ar": "ف", "location": loc}
        )[0]
        for i, loc in enumerate(locations)
    ]

    def person(username, roles, team, managed=()):
        return User.objects.filter(username=username).first() or user_create(
            username=username,
            display_name=username.title(),
            roles=roles,
            team=team,
            managed_locations=managed,
            send_welcome=False,
        )

    staff = [person(f"bq-staff{i}", [Role.FRONTLINE], teams[i % 12]) for i in range(60)]
    viewers = {
        "frontline": staff[0],
        "manager": person("bq-manager", [Role.MANAGER], teams[0], managed=locations[:2]),
        "admin": person("bq-admin", [Role.ADMIN], teams[0]),
    }
    if Insight.objects.count() == count:
        return viewers
    Insight.objects.all().delete()
    channels = list(Channel.objects.all())
    categories = list(Category.objects.all())
    statuses = [s for s in Status.values if s != Status.DUPLICATE]
    batch = []
    for i in range(count):
        author = staff[i % len(staff)]
        privacy = rng.choices(Privacy.values, weights=[70, 18, 8, 4])[0]
        anonymous = privacy in (Privacy.ANONYMOUS, Privacy.ANONYMOUS_CONFIDENTIAL)
        text = texts[i % len(texts)][:4000]
        title = text[:80]
        batch.append(
            Insight(
                title=title,
                pain_point=text,
                channel=channels[i % len(channels)],
                category=categories[i % len(categories)],
                location=author.team.location,
                team=None if anonymous else author.team,
                privacy=privacy,
                author=None if anonymous else author,
                author_token=author_token(author) if anonymous else "",
                status=rng.choices(statuses, weights=[30, 10, 15, 10, 25, 10])[0],
                search_text=insight_search_text(title, text),
                match_text=insight_match_text(title, text),
            )
        )
        if len(batch) == 5000:
            Insight.objects.bulk_create(batch)
            batch = []
    Insight.objects.bulk_create(batch)
    ids = list(Insight.objects.values_list("pk", flat=True))
    endorsements = {(rng.choice(ids), rng.choice(staff).pk) for _ in range(count // 2)}
    Endorsement.objects.bulk_create(
        [Endorsement(insight_id=i, user_id=u) for i, u in endorsements], batch_size=5000
    )
    Comment.objects.bulk_create(
        [Comment(insight_id=rng.choice(ids), author=rng.choice(staff), body="نفس المشكلة")
         for _ in range(count // 4)],
        batch_size=5000,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return viewers


def explain(qs) -> tuple[float, float]:
    from django.db import connection

    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Planning Time"], plan[0]["Execution Time"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from feedback.filters import InsightFilter
    from feedback.models import Insight
    from feedback.selectors import insights_visible_to, similar_insights, triage_queue

    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    viewers = build(args.count, random.Random(7))
    print(f"{Insight.objects.count()} insights ready in {time.perf_counter() - started:.0f} s")

    def page_query(user, base, params):
        qs = (
            base.with_related().with_counts().with_viewer_flags(user).order_by("-created_at", "-id")
        )
        return InsightFilter(params, queryset=qs, request=type("R", (), {"user": user})).qs[:50]

    cases = {
        "list": lambda u: page_query(u, insights_visible_to(u), {}),
        "triage": lambda u: page_query(u, triage_queue(u), {"status": ["new", "under_review"]}),
        "q": lambda u: page_query(u, insights_visible_to(u), {"q": "الخدمة ممتازة"}),
    }
    urls = {
        "list": "/api/v1/insights/",
        "triage": "/insights/triage/",
        "q": "/api/v1/insights/?q=" + "الخدمة ممتازة",
        "similar": "/api/v1/insights/similar/?text=" + "الانتظار طويل جدا في الفرع",
    }
    print(f"{'query':8} {'viewer':10} {'plan p50 ms':>11} {'exec p50 ms':>11} "
          f"{'request p50 ms':>14} {'p95':>7} {'queries':>7}")  # fmt: skip
    for name, url in urls.items():
        for role, user in viewers.items():
            if name == "triage" and role == "frontline":
                continue
            plans, execs = [], []
            if name in cases:
                for _ in range(args.runs):
                    plan, execution = explain(cases[name](user))
                    plans.append(plan)
                    execs.append(execution)
            else:
                similar_insights(user, "الانتظار طويل جدا في الفرع")
            client = APIClient() if url.startswith("/api/") else Client()
            client.force_login(user)
            client.get(url)  # warm
            times = []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            times.sort()
            plan = f"{statistics.median(plans):.2f}" if plans else "-"
            execution = f"{statistics.median(execs):.2f}" if execs else "-"
            print(
                f"{name:8} {role:10} {plan:>11} {execution:>11} "
                f"{statistics.median(times):>14.1f} {times[int(len(times) * 0.95) - 1]:>7.1f} "
                f"{len(queries):>7}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
