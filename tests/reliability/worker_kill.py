"""Reliability: ``kill -9`` the Celery worker during a batch of e-mails; none is lost,
none is sent twice.

A prefork worker with four pool processes e-mails a batch of notifications (2,000 by
default) through the file-based backend. While it does, the script kills the pool
processes (children only) three times, and the whole worker (its process group)
twice, restarting it a second later. Celery beat runs the outbox sweeper every 2 s and
the leases are 8 s (``stack.SHORT_LEASES``), so what a dead process had claimed, and
what a dead worker had prefetched, is queued again within seconds.

Each e-mail's subject is a marker unique to its notification, so e-mails are counted
per notification: delivered (at least once) and duplicated (more than once).

One window is documented (portal.outbox): a process killed after the e-mail was
handed over and before its row was marked sent sends it again. A kill there is an
expected duplicate, not a bug, so each kill first freezes the processes (SIGSTOP),
looks for a row in that window and, if there is one, lets them run a moment and
looks again; how often it had to wait is printed. Any duplicate fails the script.

Usage (from the repository root; needs PostgreSQL 15 binaries and redis-server):

    .venv/bin/python -m tests.reliability.worker_kill [--count 2000]
"""

import argparse
import re
from collections import Counter

from tests.reliability.stack import SHORT_LEASES, Stack, run, setup_django
from tests.workers import Timeout, celery_beat, celery_worker, wait_until

CONCURRENCY = 4
# (fraction of the batch delivered, what is killed)
PLAN = [
    (0.10, "children"),
    (0.25, "children"),
    (0.40, "whole"),
    (0.55, "children"),
    (0.70, "whole"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=150, help="seconds for the batch")
    args = parser.parse_args()

    with Stack("worker-kill") as stack:
        database = stack.postgres().createdb("fv_worker_kill")
        redis = stack.redis()
        env = stack.environment(database_url=database, broker_url=redis.url(), **SHORT_LEASES)
        stack.migrate(env)
        setup_django(env)
        from portal import services
        from portal.models import Notification
        from tests.reliability.scenarios import KillPlan, delivery_tally, queue_messages

        readers = [
            services.user_create(
                username=f"reader{i:02d}",
                display_name=f"Reader {i}",
                email=f"reader{i:02d}@example.test",
                send_welcome=False,
            )
            for i in range(20)
        ]
        worker = stack.start(
            celery_worker(
                env=env, log_path=stack.log_path("worker"), pool="prefork", concurrency=CONCURRENCY
            )
        )
        stack.start(
            celery_beat(env=env, log_path=stack.log_path("beat"), schedule=stack.directory / "beat")
        )
        stack.say(f"queueing {args.count} e-mails")
        titles = queue_messages(readers, count=args.count, marker="kill")
        plan = KillPlan(steps=PLAN, concurrency=CONCURRENCY)
        problems = []
        try:
            plan.run(worker, titles, stack.mail_dir, timeout=args.timeout)
            stack.say("; ".join(plan.done))

            def all_sent() -> bool:
                return not Notification.objects.filter(
                    context__title__in=titles, email_status__in=["pending", "sending"]
                ).exists()

            wait_until(all_sent, timeout=args.timeout, what="every e-mail sent", step=0.25)
            stack.say("every row is marked sent; stopping the worker")
        except Timeout as exc:
            problems.append(str(exc))
        worker.stop()
        tally = delivery_tally("worker kill -9", titles, stack.mail_dir)
        tally.details[:0] = plan.done
        tally.failures.extend(problems)
        log = stack.log_path("worker").read_text(errors="replace")
        runs = Counter(
            re.findall(r"send_notification_email_task\[[^]]+\] succeeded in \S+ (\w+)", log)
        )
        requeued = sum(map(int, re.findall(r"'notification-emails': (\d+)", log)))
        tally.details.append(
            f"worker log: {runs['True']} e-mail tasks sent, {runs['False']} found their row"
            f" claimed or sent; the sweeper queued {requeued} again"
        )
        tally.details.append(f"took {stack.elapsed():.0f} s")
        if not tally.ok:
            print(stack.logs())
        return tally


if __name__ == "__main__":
    run(main)
