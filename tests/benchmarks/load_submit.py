"""Benchmark: submitting insights under load, against ``GET /api/v1/me/`` on the same
server in the same run.

Starts gunicorn (``--workers 3``) on PostgreSQL with a real Celery worker on Redis,
creates 50 staff with API tokens, then 50 concurrent clients send N submissions
(``POST /api/v1/insights/``, each title unique) interleaved with as many
``GET /api/v1/me/`` (each client alternates). Prints requests per second, p50/p95/p99
latency of both, the ratio of their throughputs, the answers by status, and the rows
in the database against the 201s (lost: a 201 without its row; duplicated: a title
with two rows).

Fifty clients on three sync workers wait mostly in gunicorn's queue, and that wait is
the same whichever request is waiting: the latencies the clients see (printed) are
nearly equal by construction. What tells the two apart is the time a worker spends on
each request (gunicorn's access log, from the request read to the response sent), so
the throughput of one kind is what the workers would sustain doing only that: its
count ÷ (the workers' time spent on it ÷ workers). The ratio is submit / me.

Usage (from the repository root; needs redis-server):

    .venv/bin/python -m tests.benchmarks.load_submit --count 10000
        [--clients 50] [--server postgres://postgres@127.0.0.1:5432]
        [--database fv_load_submit] [--keep]

The database ``--database`` on ``--server`` is dropped and created afresh, and dropped
again at the end unless ``--keep``; no other database is touched. Redis is a private
redis-server on a free port.
"""

import argparse
import threading
import time
from collections import Counter

import psycopg
import requests

from tests.reliability.stack import Stack, setup_django
from tests.workers import celery_worker

WORKERS = 3
PAIN_POINTS = [
    "Customers wait twenty minutes at the counter at lunchtime.",
    "العملاء ينتظرون طويلاً عند الشباك وقت الظهيرة.",
    "The card reader rejects contactless payments after 8 pm.",
    "تطبيق الجوال يطلب تحديث البيانات في كل مرة.",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def fresh_database(server: str, name: str) -> str:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    return f"{server}/{name}"


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Client(threading.Thread):
    """One member of staff: submit, read /me, submit, read /me…"""

    def __init__(self, number: int, base_url: str, token: str, count: int):
        super().__init__(daemon=True)
        self.number = number
        self.base_url = base_url
        self.count = count
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"
        self.results: list[tuple[str, int | str, float, str]] = []  # kind, status, s, title

    def call(self, kind: str, method: str, path: str, title: str = "", **kwargs) -> None:
        started = time.perf_counter()
        try:
            status = self.session.request(
                method, self.base_url + path, timeout=120, **kwargs
            ).status_code
        except requests.RequestException as exc:
            status = type(exc).__name__
        self.results.append((kind, status, time.perf_counter() - started, title))

    def warm_up(self) -> None:
        self.session.get(f"{self.base_url}/api/v1/me/", timeout=60)

    def run(self) -> None:
        for i in range(self.count):
            title = f"Load {self.number:02d}-{i:05d}"
            payload = {
                "title": title,
                "pain_point": PAIN_POINTS[i % len(PAIN_POINTS)],
                "channel": "branch",
                "category": "other",
            }
            self.call("submit", "POST", "/api/v1/insights/", title, json=payload)
            self.call("me", "GET", "/api/v1/me/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="submissions in all")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="fv_load_submit")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    database_url = fresh_database(args.server, args.database)
    with Stack("load-submit") as stack:
        if not args.keep:
            stack.callback(drop_database, args.server, args.database)
        redis = stack.redis()
        env = stack.environment(
            database_url=database_url,
            broker_url=redis.url(),
            AXES_ENABLED="true",
        )
        stack.migrate(env)
        setup_django(env)
        from django.db import connection

        from tests.reliability.scenarios import make_staff

        staff = make_staff(args.clients, prefix="load")
        connection.close()
        stack.start(celery_worker(env=env, log_path=stack.log_path("worker"), pool="prefork"))
        access_log = stack.log_path("access")
        base_url = stack.gunicorn(env, workers=WORKERS, access_log=access_log)

        per_client = [
            args.count // args.clients + (1 if i < args.count % args.clients else 0)
            for i in range(args.clients)
        ]
        clients = [
            Client(i, base_url, staff.tokens[user.username], per_client[i])
            for i, user in enumerate(staff.frontline)
        ]
        for client in clients:
            client.warm_up()
        warm_up_lines = len(access_log.read_text().splitlines())
        stack.say(f"{args.count} submissions and {args.count} reads from {args.clients} clients")
        started = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        wall = time.perf_counter() - started

        results = [result for client in clients for result in client.results]
        served: dict[str, list[float]] = {"submit": [], "me": []}
        for line in access_log.read_text().splitlines()[warm_up_lines:]:
            method, path, _, micros = line.split()
            if (method, path) == ("POST", "/api/v1/insights/"):
                served["submit"].append(int(micros) / 1e6)
            elif (method, path) == ("GET", "/api/v1/me/"):
                served["me"].append(int(micros) / 1e6)
        rows = Counter()
        with psycopg.connect(database_url) as conn:
            for (title,) in conn.execute(
                "SELECT title FROM feedback_insight WHERE title LIKE 'Load %%'"
            ):
                rows[title] += 1

    print(
        f"load_submit: {args.count} submissions + {args.count} GET /api/v1/me/ from"
        f" {args.clients} clients in {wall:.1f} s ({len(results) / wall:.1f} requests/s)"
    )
    rates = {}
    for kind, label in (("submit", "POST /api/v1/insights/"), ("me", "GET /api/v1/me/")):
        seen = [s for k, _, s, _ in results if k == kind]
        worked = served[kind]
        rates[kind] = len(worked) / (sum(worked) / WORKERS)
        print(
            f"  {label:24} {rates[kind]:6.1f} requests/s;"
            f" served in p50 {percentile(worked, 50) * 1000:5.0f} ms,"
            f" p95 {percentile(worked, 95) * 1000:5.0f} ms,"
            f" p99 {percentile(worked, 99) * 1000:5.0f} ms;"
            f" answered (queue included) in p50 {percentile(seen, 50) * 1000:5.0f} ms,"
            f" p95 {percentile(seen, 95) * 1000:5.0f} ms,"
            f" p99 {percentile(seen, 99) * 1000:5.0f} ms"
        )
    print(f"  submit / me throughput: {rates['submit'] / rates['me']:.2f}")
    statuses = {
        kind: dict(Counter(status for k, status, _, _ in results if k == kind))
        for kind in ("submit", "me")
    }
    print(f"  answers by status: {statuses}")
    created = [title for kind, status, _, title in results if kind == "submit" and status == 201]
    lost = sum(1 for title in created if not rows[title])
    duplicated = sum(1 for count in rows.values() if count > 1)
    unanswered = len(set(rows) - set(created))
    print(
        f"  rows: {sum(rows.values())} in the database for {len(created)} 201s;"
        f" lost {lost}, duplicated {duplicated}, rows without a 201 {unanswered}"
    )
    return 0 if lost == duplicated == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
