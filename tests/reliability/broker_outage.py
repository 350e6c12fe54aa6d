"""Reliability: the broker goes away during status changes; every request succeeds
and every e-mail is delivered once the broker is back.

gunicorn (3 workers) serves the portal against a private PostgreSQL and Redis, with a
real Celery worker and beat (the outbox sweeper every 2 s, leases of 8 s). A manager
moves insights along their workflow through the HTTP API; each change notifies the
submitter and a follower by e-mail. Three phases:

* the broker is up;
* the broker is stopped (``kill -9``, no persistence: what was queued is gone), while
  single changes and a bulk change of 80 insights (160 e-mails in one request) are made;
* the broker hangs (restarted, then SIGSTOP: connections are accepted, nothing is
  answered, as in a network partition), while more single and bulk changes are made.

Then the broker comes back. Every request must answer 200 (no 500, no time-out:
gunicorn's default 30 s), and every notification's e-mail must arrive exactly once:
the ones never queued, and the ones queued and lost with the broker, are queued
again by the sweeper. E-mails are counted per (recipient, subject), which is one per
notification here.

Usage (from the repository root; needs PostgreSQL 15 binaries and redis-server):

    .venv/bin/python -m tests.reliability.broker_outage
"""

import argparse
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.reliability.stack import SHORT_LEASES, Stack, Tally, run, setup_django
from tests.workers import Timeout, addressed_counts, celery_beat, celery_worker, wait_until

CLIENT_TIMEOUT = 90  # longer than gunicorn's own 30 s, so its time-outs show


class Manager:
    """A manager's API client; remembers every answer."""

    def __init__(self, base_url: str, token: str):
        self.base_url = base_url
        self.headers = {"Authorization": f"Token {token}"}
        self.answers: list[tuple[str, int | str, float]] = []  # (phase, status, seconds)

    def post(self, phase: str, path: str, payload: dict) -> int | str:
        started = time.monotonic()
        try:
            response = requests.post(
                self.base_url + path, json=payload, headers=self.headers, timeout=CLIENT_TIMEOUT
            )
            status: int | str = response.status_code
        except requests.RequestException as exc:
            status = type(exc).__name__
        self.answers.append((phase, status, time.monotonic() - started))
        return status

    def transition(self, phase: str, insight_id: int, to: str):
        return self.post(phase, f"/api/v1/insights/{insight_id}/transition/", {"status": to})

    def transition_all(self, phase: str, ids: list[int], to: str, *, clients: int = 6) -> None:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(lambda pk: self.transition(phase, pk, to), ids))

    def bulk(self, phase: str, ids: list[int], to: str):
        return self.post(phase, "/api/v1/insights/bulk-transition/", {"ids": ids, "status": to})


def main() -> Tally:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=120, help="seconds for the e-mails")
    args = parser.parse_args()

    with Stack("broker-outage") as stack:
        database = stack.postgres().createdb("fv_broker_outage")
        redis = stack.redis()
        env = stack.environment(database_url=database, broker_url=redis.url(), **SHORT_LEASES)
        stack.migrate(env)
        setup_django(env)
        from django.utils import translation

        from feedback import services
        from feedback.models import Category
        from portal import notifications, outbox
        from portal.models import Channel, Notification
        from tests.reliability.scenarios import make_staff

        staff = make_staff(20, prefix="broker")
        channel, category = Channel.objects.get(code="branch"), Category.objects.get(code="other")
        insights = []
        for i in range(150):
            author = staff.frontline[i % len(staff.frontline)]
            insight = services.insight_submit(
                author=author,
                title=f"Broker outage {i:03d}",
                pain_point="Customers wait too long at the counter.",
                channel=channel,
                category=category,
            )
            services.insight_follow(
                insight=insight, user=staff.frontline[(i + 1) % len(staff.frontline)]
            )
            insights.append(insight.pk)
        singles, bulk_stopped, bulk_hung = insights[:30], insights[30:110], insights[110:150]

        base_url = stack.gunicorn(env, workers=3)
        worker = stack.start(
            celery_worker(env=env, log_path=stack.log_path("worker"), pool="prefork", concurrency=2)
        )
        stack.start(
            celery_beat(env=env, log_path=stack.log_path("beat"), schedule=stack.directory / "beat")
        )
        manager = Manager(base_url, staff.tokens[staff.manager.username])
        health: dict[str, int] = {}

        stack.say("broker up: 30 status changes")
        manager.transition_all("up", singles, "under_review")

        stack.say("broker stopped: 30 status changes and a bulk change of 80")
        redis.stop()
        health["stopped"] = requests.get(f"{base_url}/healthz", timeout=30).status_code
        manager.transition_all("stopped", singles, "accepted")
        manager.bulk("stopped", bulk_stopped, "under_review")

        redis.start()
        # Past the pause that follows a failure (portal.outbox), so every web process
        # meets the hung broker afresh.
        time.sleep(outbox.BROKER_PAUSE_SECONDS + 1)
        stack.say("broker hung: 30 status changes and a bulk change of 40")
        redis.freeze()
        manager.transition_all("hung", singles, "in_progress")
        manager.bulk("hung", bulk_hung, "accepted")

        stack.say("broker back")
        redis.thaw()
        health["back"] = requests.get(f"{base_url}/healthz", timeout=30).status_code
        wanted = Notification.objects.filter(kind="insight_status").exclude(
            email_status=Notification.EmailStatus.NOT_WANTED
        )
        problems = []
        try:
            wait_until(
                lambda: not wanted.filter(email_status__in=["pending", "sending"]).exists(),
                timeout=args.timeout,
                what="every e-mail sent",
                step=0.5,
            )
        except Timeout as exc:
            problems.append(str(exc))
        worker.stop()

        expected = set()
        with translation.override("en"):
            for notification in wanted.select_related("recipient"):
                expected.add(
                    (notification.recipient.email, notifications.render(notification).title)
                )
        counts = addressed_counts(stack.mail_dir)
        tally = Tally(
            name="broker outage",
            expected=len(expected),
            delivered=sum(1 for key in expected if counts[key]),
            duplicated=sum(1 for key in expected if counts[key] > 1),
        )
        changes = 30 * 3 + len(bulk_stopped) + len(bulk_hung)
        if wanted.count() != 2 * changes or len(expected) != wanted.count():
            tally.failures.append(
                f"{wanted.count()} notifications for {changes} changes (2 each expected)"
            )
        for phase in ("up", "stopped", "hung"):
            answers = [(status, seconds) for p, status, seconds in manager.answers if p == phase]
            statuses = Counter(status for status, _ in answers)
            slowest = max(seconds for _, seconds in answers)
            tally.details.append(
                f"broker {phase}: {len(answers)} requests, answers {dict(statuses)},"
                f" slowest {slowest:.2f} s"
            )
            if set(statuses) != {200}:
                tally.failures.append(f"broker {phase}: not every request answered 200")
        tally.details.append(f"/healthz: {health}")
        if health != {"stopped": 503, "back": 200}:
            tally.failures.append("/healthz did not say the broker was down, then back")
        statuses = Counter(wanted.values_list("email_status", flat=True))
        tally.details.append(f"rows by e-mail status: {dict(statuses)}")
        tally.details.append(f"took {stack.elapsed():.0f} s")
        tally.failures.extend(problems)
        if not tally.ok:
            print(stack.logs())
        return tally


if __name__ == "__main__":
    run(main)
