"""Reliability: PostgreSQL restarts during submissions; the outage answers a clean 503,
the portal recovers by itself, and every 201 has its row.

gunicorn (3 workers, persistent database connections with health checks) serves the
portal against a private PostgreSQL cluster. Twenty API clients submit insights
without pause (each title unique) and a signed-in browser-like client keeps opening a
page, while the cluster is stopped twice for a few seconds and started again: once
cleanly (``pg_ctl stop -m fast``, sessions are ended) and once as a crash (``-m
immediate``).

Every API answer must be 201 or a 503 in JSON, every page a 200 or a 503 page (never
a traceback, never a 500); the portal must answer 201 again within seconds of the
database being back, with no restart of its own; and every title answered 201 must
be in the database exactly once. ("delivered" below: 201s whose row is there.)

Usage (from the repository root; needs PostgreSQL 15 binaries):

    .venv/bin/python -m tests.reliability.database_restart
"""

import argparse
import itertools
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass

import requests

from tests.reliability.stack import Stack, Tally, run, setup_django
from tests.workers import wait_until

CLIENTS = 20
RECOVERY_BOUND = 10  # seconds from the database answering to the portal answering


@dataclass
class Answer:
    kind: str  # "api" or "page"
    title: str
    started: float
    ended: float
    status: int | str
    content_type: str = ""
    body: str = ""


class Load:
    """API clients submitting insights, and one page client, until stopped."""

    def __init__(self, base_url: str, tokens: list[str], page_session: requests.Session):
        self.base_url = base_url
        self.tokens = tokens
        self.page_session = page_session
        self.answers: list[Answer] = []
        self.stopping = threading.Event()
        self.numbers = itertools.count()
        self.threads = [
            threading.Thread(target=self.submitter, args=(token,), daemon=True) for token in tokens
        ] + [threading.Thread(target=self.reader, daemon=True)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _record(self, kind: str, title: str, started: float, call) -> None:
        try:
            response = call()
            answer = Answer(
                kind,
                title,
                started,
                time.monotonic(),
                response.status_code,
                response.headers.get("Content-Type", ""),
                response.text if response.status_code not in {200, 201} else "",
            )
        except requests.RequestException as exc:
            answer = Answer(kind, title, started, time.monotonic(), type(exc).__name__)
        self.answers.append(answer)

    def submitter(self, token: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        while not self.stopping.is_set():
            title = f"Restart {next(self.numbers):06d}"
            payload = {
                "title": title,
                "pain_point": "The queue ticket machine was out of paper.",
                "channel": "branch",
                "category": "other",
            }
            self._record(
                "api",
                title,
                time.monotonic(),
                lambda payload=payload: session.post(
                    f"{self.base_url}/api/v1/insights/", json=payload, timeout=30
                ),
            )

    def reader(self) -> None:
        while not self.stopping.is_set():
            self._record(
                "page",
                "",
                time.monotonic(),
                lambda: self.page_session.get(
                    f"{self.base_url}/notifications/", timeout=30, allow_redirects=False
                ),
            )
            time.sleep(0.05)


def log_in(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base_url}/accounts/login/", timeout=10)
    response = session.post(
        f"{base_url}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base_url}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, f"log-in failed: {response.status_code}"
    return session


def main() -> Tally:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=4, help="seconds the database is down")
    args = parser.parse_args()

    with Stack("database-restart") as stack:
        cluster = stack.postgres()
        database = cluster.createdb("fv_database_restart")
        env = stack.environment(database_url=database, broker_url="", DATABASE_CONN_MAX_AGE="60")
        stack.migrate(env)
        setup_django(env)
        from django.db import connection

        from feedback.models import Insight
        from tests.reliability.scenarios import make_staff

        staff = make_staff(CLIENTS, prefix="restart")
        reader = staff.frontline[0]
        reader.set_password("restart-reader-password-9")
        reader.save(update_fields=["password"])
        connection.close()

        stack.say("data ready")
        base_url = stack.gunicorn(env, workers=3)
        stack.say("gunicorn answers")
        load = Load(
            base_url,
            [staff.tokens[user.username] for user in staff.frontline],
            log_in(base_url, reader.username, "restart-reader-password-9"),
        )
        load.start()
        stack.say("submitting")
        outages: list[tuple[str, float, float]] = []  # (how, stopped, answering again)
        try:
            for how in ("fast", "immediate"):
                time.sleep(5)
                stack.say(f"stopping PostgreSQL ({how})")
                stopped = time.monotonic()
                cluster.stop(how)
                time.sleep(args.outage)
                cluster.start()
                wait_until(cluster.ready, timeout=30, what="PostgreSQL")
                outages.append((how, stopped, time.monotonic()))
                stack.say("PostgreSQL is back")
            time.sleep(RECOVERY_BOUND)
        finally:
            load.stop()
        ended = time.monotonic()

        answers = sorted(load.answers, key=lambda answer: answer.started)
        created = [a.title for a in answers if a.kind == "api" and a.status == 201]
        rows = Counter(
            Insight.objects.filter(title__startswith="Restart ").values_list("title", flat=True)
        )
        tally = Tally(
            name="database restart",
            expected=len(created),
            delivered=sum(1 for title in created if rows[title]),
            duplicated=sum(1 for count in rows.values() if count > 1),
        )
        for kind, fine in (("api", {201, 503}), ("page", {200, 503})):
            mine = [a for a in answers if a.kind == kind]
            statuses = Counter(a.status for a in mine)
            tally.details.append(f"{kind} answers: {dict(statuses)}")
            wrong = [a for a in mine if a.status not in fine]
            if wrong:
                tally.failures.append(
                    f"{len(wrong)} {kind} answers neither success nor 503, e.g. {wrong[0].status}:"
                    f" {wrong[0].body[:300]!r}"
                )
        for answer in answers:
            if answer.status != 503:
                continue
            if answer.kind == "api" and not answer.content_type.startswith("application/json"):
                tally.failures.append(f"an API 503 is not JSON: {answer.content_type}")
                break
            if answer.kind == "page" and (
                not answer.content_type.startswith("text/html") or "Traceback" in answer.body
            ):
                tally.failures.append(f"a 503 page is not the portal's page: {answer.body[:300]!r}")
                break
        examples = {
            a.kind: re.sub(r"\s+", " ", re.sub(r"(?s).*<title>(.*?)</title>.*", r"\1", a.body))
            for a in answers
            if a.status == 503
        }
        tally.details.extend(f"a {kind} 503 reads: {body!r}" for kind, body in examples.items())
        for i, (how, stopped, back) in enumerate(outages):
            until = outages[i + 1][1] if i + 1 < len(outages) else ended
            # Answered before the next outage began (requests wait in gunicorn's backlog).
            after = [
                a for a in answers if a.kind == "api" and back <= a.started and a.ended < until
            ]
            during = [a for a in answers if a.kind == "api" and stopped <= a.started < back]
            failing = [a.ended for a in after if a.status != 201]
            recovered = max(failing) - back if failing else 0.0
            first = min((a.ended - back for a in after if a.status == 201), default=float("nan"))
            tally.details.append(
                f"outage ({how}): {len(during)} API answers while down"
                f" {dict(Counter(a.status for a in during))}; once it was back, the first 201"
                f" after {first:.2f} s, the last failure after {recovered:.2f} s"
            )
            if recovered > RECOVERY_BOUND or not any(a.status == 201 for a in after):
                tally.failures.append(f"outage ({how}): no recovery within {RECOVERY_BOUND} s")
            if not any(a.status == 503 for a in during):
                tally.failures.append(f"outage ({how}): no request met the outage")
        unanswered = len(set(rows) - set(created))
        tally.details.append(f"rows without a 201 (committed, the answer failed): {unanswered}")
        tally.details.append(f"took {stack.elapsed():.0f} s")
        if not tally.ok:
            print(stack.logs())
        return tally


if __name__ == "__main__":
    run(main)
