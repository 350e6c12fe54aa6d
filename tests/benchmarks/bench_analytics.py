"""Benchmark: every analytics endpoint and the manager dashboard at 1M survey responses
and 100k insights on PostgreSQL, cold and warm cache.

The data is the demo's at ``--scale large`` (about a million survey responses through
the import path, with every planted truth), topped up with insights (real Arabic
reviews from ../shared/datasets, not shipped) to ``--insights``, then vacuumed and
analysed, as autovacuum leaves a production database (this machine runs PostgreSQL
with autovacuum off: without the visibility map no index-only scan is possible).

For each endpoint, as the organisation-wide demo manager and as the Riyadh manager:
the median and p95 server time of the whole request (Django test client, no network),
with the results cache (Redis, as in production) emptied before each request (cold)
and kept (warm), and its query count. The dashboard is its page (filters and
headline: ``/analytics/``, and the manager's home ``/``) and six sections the page
loads after it, side by side, and the evidence or verdict beside each insight of two of
them, loaded after the section; each is timed on its own, and then the whole of it as a
browser gets it from gunicorn (four workers, six connections): the page, its six
sections at once, and each section's cards as soon as it arrives, until the last byte
of the last one.

    createdb -h 127.0.0.1 -U postgres -E UTF8 -T template0 fv_bench_analytics
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fv_bench_analytics \\
        .venv/bin/python -m tests.benchmarks.bench_analytics [--insights 100000] [--runs 15]

The database is migrated and seeded once; later runs reuse what is there.
"""

import argparse
import csv
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock

from tests.datasets import arabic_reviews_dir

PARTS = ["trend", "consistency", "movers", "warnings", "endorsed", "fixes"]
ENDPOINTS = [
    "/api/v1/analytics/trends/?by=channel",
    "/api/v1/analytics/trends/?by=location&period=month&from={year_ago}",
    "/api/v1/analytics/trends/?by=team&metric=nps",
    "/api/v1/analytics/trends/?by=category&period=day",
    "/api/v1/analytics/movers/?by=location",
    "/api/v1/analytics/consistency/?period=month&from={year_ago}",
    "/api/v1/analytics/insights/{top}/evidence/",
    "/api/v1/analytics/insights/{fixed}/impact/",
    "/api/v1/analytics/training-vs-csat/",
    "/api/v1/analytics/early-warnings/",
    "/",
    "/analytics/",
    *(f"/analytics/dashboard/{part}/" for part in PARTS),
    "/analytics/dashboard/evidence/{top}/",
    "/analytics/dashboard/impact/{fixed}/",
]


def top_up_insights(count: int, rng: random.Random) -> None:
    """Named insights by demo staff, spread over the last two years, until ``count``."""
    from django.db import connection
    from django.utils import timezone

    from feedback.models import Category, Insight, Status
    from feedback.text import insight_match_text, insight_search_text
    from portal.models import Channel, User

    missing = count - Insight.objects.count()
    if missing <= 0:
        return
    with open(arabic_reviews_dir() / "RES1.csv", encoding="utf-8", newline="") as f:
        texts = [r["text"].strip() for r in csv.DictReader(f) if len(r["text"].strip()) > 20]
    staff = list(User.objects.filter(username__startswith="staff").select_related("team"))
    channels = list(Channel.objects.all())
    categories = list(Category.objects.all())
    statuses = [Status.NEW, Status.UNDER_REVIEW, Status.ACCEPTED, Status.DECLINED]
    today = timezone.localdate()
    batch = []
    for i in range(missing):
        author = staff[i % len(staff)]
        text = texts[i % len(texts)][:4000]
        day = today - timedelta(days=rng.randrange(730))
        batch.append(
            Insight(
                title=text[:80],
                pain_point=text,
                channel=channels[i % len(channels)],
                category=categories[i % len(categories)],
                location_id=author.team.location_id,
                team=author.team,
                author=author,
                status=rng.choice(statuses),
                created_at=timezone.make_aware(datetime.combine(day, clock(10))),
                search_text=insight_search_text(text[:80], text),
                match_text=insight_match_text(text[:80], text),
            )
        )
        if len(batch) == 5000:
            Insight.objects.bulk_create(batch)
            batch = []
    Insight.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--insights", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["CACHE_URL"] = args.cache_url
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from feedback.models import Insight, Status, SurveyResponse
    from portal.models import User
    from portal.scope import in_scope

    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not SurveyResponse.objects.exists():
        call_command("seed_demo", "--scale", "large", verbosity=0)
    top_up_insights(args.insights, random.Random(7))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"{SurveyResponse.objects.count():,} survey responses, "
        f"{Insight.objects.count():,} insights ready in {time.perf_counter() - started:.0f} s"
    )
    viewers = {
        "manager": User.objects.get(username="manager"),
        "manager.riyadh": User.objects.get(username="manager.riyadh"),
    }
    year_ago = (timezone.localdate() - timedelta(days=365)).isoformat()

    def values_for(user) -> dict:
        """The most endorsed insight and an implemented one the viewer may analyse."""
        mine = in_scope(Insight.objects.all(), user)
        top = mine.annotate(n=Count("endorsements")).order_by("-n", "pk").first()
        fixed = mine.filter(status=Status.IMPLEMENTED).order_by("pk").first()
        return {"year_ago": year_ago, "top": top.pk, "fixed": fixed.pk if fixed else None}

    print(
        f"{'endpoint':62} {'viewer':14} {'cold p50':>8} {'p95':>7} "
        f"{'warm p50':>8} {'p95':>7} {'queries':>7}"
    )
    for template in ENDPOINTS:
        for role, user in viewers.items():
            values = values_for(user)
            if "{fixed}" in template and values["fixed"] is None:
                continue  # no fix in this viewer's locations
            url = template.format(**values)
            # A section of the dashboard is asked for as the dashboard's script asks.
            headers = {"HX-Request": "true"} if "/dashboard/" in url else {}
            client = Client()
            client.force_login(user)
            client.get(url, headers=headers)  # the process's first use of the page
            cold, warm = [], []
            for _ in range(args.runs):
                cache.clear()
                # The debug log holds 9,000 queries: a full one counts nothing new.
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    response = client.get(url, headers=headers)
                    cold.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                t = time.perf_counter()
                client.get(url, headers=headers)
                warm.append((time.perf_counter() - t) * 1000)
            cold.sort()
            warm.sort()
            p95 = int(len(cold) * 0.95) - 1
            print(
                f"{url[:62]:62} {role:14} {statistics.median(cold):>8.1f} {cold[p95]:>7.1f} "
                f"{statistics.median(warm):>8.1f} {warm[p95]:>7.1f} {len(queries):>7}"
            )
    connection.close()
    whole_dashboard(viewers, args)
    return 0


def whole_dashboard(viewers: dict, args) -> None:
    """The dashboard as a browser gets it from gunicorn: the page, then its six sections
    at once (a browser opens six connections to a host) and each one's cards as it
    arrives, until the last one is in."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    import requests
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from tests.feedback.analytics.sections import section_urls
    from tests.reliability.stack import Stack

    with Stack("bench-analytics") as stack:
        env = stack.environment(
            database_url=os.environ["DATABASE_URL"],
            broker_url="redis://127.0.0.1:6379/0",
            CACHE_URL=args.cache_url,
        )
        base_url = stack.gunicorn(env, workers=4)
        print(
            f"\nthe whole dashboard from gunicorn (4 workers): {'viewer':14} "
            f"{'page p50':>8} {'all p50':>8} {'p95':>7}   (cold, then warm)"
        )
        for role, user in viewers.items():
            client = Client()
            client.force_login(user)
            session = requests.Session()
            session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies["sessionid"].value)

            def get(url, session=session, **headers):
                response = session.get(base_url + url, headers=headers, timeout=60)
                assert response.status_code == 200, (url, response.status_code)
                return response.text

            with ThreadPoolExecutor(max_workers=len(PARTS)) as pool:
                for label, clear in (("cold", True), ("warm", False)):
                    page_times, all_times = [], []
                    get("/analytics/")
                    for _ in range(args.runs):
                        if clear:
                            cache.clear()
                        t = time.perf_counter()
                        html = get("/analytics/")
                        page_times.append((time.perf_counter() - t) * 1000)
                        urls = section_urls(html)
                        assert len(urls) == len(PARTS), urls
                        # Each section's cards are asked for as soon as it arrives.
                        waiting = {pool.submit(get, u, **{"HX-Request": "true"}) for u in urls}
                        while waiting:
                            done = next(as_completed(waiting))
                            waiting.remove(done)
                            waiting |= {
                                pool.submit(get, u, **{"HX-Request": "true"})
                                for u in section_urls(done.result())
                            }
                        all_times.append((time.perf_counter() - t) * 1000)
                    all_times.sort()
                    p95 = all_times[int(len(all_times) * 0.95) - 1]
                    print(
                        f"{'':46}{role:14} {statistics.median(page_times):>8.1f} "
                        f"{statistics.median(all_times):>8.1f} {p95:>7.1f}   ({label})"
                    )


if __name__ == "__main__":
    sys.exit(main())
