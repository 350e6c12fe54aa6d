"""The reliability scripts' first two faults, at test size, with a real worker.

A prefork worker is killed (its pool processes, then the whole worker) during a batch
of e-mails, and the broker is stopped, then hung, during status changes made through
the API. Every e-mail arrives, none twice. The worker and this process run on leases
of seconds (``stack.SHORT_LEASES``); the outbox sweeper is run here, in the test
process, as beat would run it. Each uses a private Redis, which it may stop.
(The full-size runs: ``python -m tests.reliability.run_all``.)
"""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import translation

from feedback import services as feedback_services
from feedback.models import Category
from portal import notifications, outbox
from portal.models import Channel, Notification, Role
from portal.tasks import sweep_outbox_task
from tests.factories import make_user
from tests.reliability.scenarios import KillPlan, delivery_tally, queue_messages
from tests.reliability.stack import SHORT_LEASES, Tally
from tests.workers import RedisServer, addressed_counts

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONCURRENCY = 3


@pytest.fixture
def private_redis(tmp_path):
    with RedisServer(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def short_leases(settings):
    # This process sweeps, so it judges leases as the worker does.
    settings.OUTBOX_LEASE_SECONDS = int(SHORT_LEASES["OUTBOX_LEASE_SECONDS"])


def sweeping(condition, every: float = 1.0):
    """``condition`` for ``wait_for``, running the outbox sweeper at most every ``every`` s."""
    last = [0.0]

    def check() -> bool:
        if time.monotonic() - last[0] >= every:
            sweep_outbox_task()
            last[0] = time.monotonic()
        return condition()

    return check


def unsent(**lookup) -> bool:
    return Notification.objects.filter(email_status__in=["pending", "sending"], **lookup).exists()


def test_no_email_is_lost_or_sent_twice_when_the_worker_is_killed(
    start_worker, private_redis, short_leases, org
):
    # Given a prefork worker and a batch of 200 e-mails, each with a subject of its own
    worker = start_worker(
        broker_url=private_redis.url(), pool="prefork", concurrency=CONCURRENCY, **SHORT_LEASES
    )
    readers = [make_user(f"reader{i}", team=org.team_ruh) for i in range(5)]
    titles = queue_messages(readers, count=200, marker=f"kill-{uuid.uuid4().hex[:6]}")

    # When its pool processes, then the whole worker, then the new pool are killed -9
    # while it sends them (the whole worker restarted a second later)
    plan = KillPlan(
        steps=[(0.15, "children"), (0.40, "whole"), (0.65, "children")], concurrency=CONCURRENCY
    )
    plan.run(worker.process, titles, worker.mail_dir, timeout=40)
    worker.wait_for(
        sweeping(lambda: not unsent(context__title__in=titles)), "every e-mail", timeout=45
    )

    # Then every notification was e-mailed exactly once
    tally = delivery_tally("worker kill -9", titles, worker.mail_dir)
    assert tally.ok, _explain(tally, worker)
    assert (tally.delivered, tally.duplicated) == (200, 0)
    assert len(plan.done) == 3


def test_every_email_arrives_once_after_the_broker_was_stopped_and_hung(
    start_worker, private_redis, short_leases, org, alice, api, monkeypatch
):
    # Given a worker, 35 insights by Alice and a manager of her branch
    worker = start_worker(
        broker_url=private_redis.url(), pool="prefork", concurrency=2, **SHORT_LEASES
    )
    manager = make_user("maha", roles=[Role.MANAGER], managed=[org.ruh01], team=org.team_ruh)
    channel, category = Channel.objects.get(code="branch"), Category.objects.get(code="other")
    ids = [
        feedback_services.insight_submit(
            author=alice,
            title=f"Outage {i}",
            pain_point="The card reader keeps failing.",
            channel=channel,
            category=category,
        ).pk
        for i in range(35)
    ]
    singles, bulk_stopped, bulk_hung = ids[:5], ids[5:25], ids[25:]
    client = api(manager)

    def change(pk: int, to: str) -> int:
        return client.post(f"/api/v1/insights/{pk}/transition/", {"status": to}).status_code

    def bulk(pks: list[int], to: str) -> int:
        response = client.post(
            "/api/v1/insights/bulk-transition/", {"ids": pks, "status": to}, format="json"
        )
        return response.status_code

    # When she is notified of changes made with the broker up...
    answers = [change(pk, "under_review") for pk in singles]
    # ...with it stopped (what it held is gone)...
    private_redis.stop()
    answers += [change(pk, "accepted") for pk in singles]
    started = time.monotonic()
    answers.append(bulk(bulk_stopped, "under_review"))
    bulk_took = time.monotonic() - started
    # ...and with it hung (connections accepted, nothing answered), once the pause that
    # followed the failure above is over
    private_redis.start()
    private_redis.freeze()
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    with ThreadPoolExecutor(1) as pool:
        hung = pool.submit(
            lambda: [change(pk, "in_progress") for pk in singles] + [bulk(bulk_hung, "accepted")]
        )
        try:
            answers += hung.result(timeout=30)
        finally:
            private_redis.thaw()
    # The sweeper runs here, in the process that met the outage; beat would run it in
    # a worker, which did not.
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)

    # Then every change answered 200, without waiting on the broker for each e-mail
    assert answers == [200] * len(answers)
    assert len(answers) == 5 * 3 + 2
    # (20 e-mails: 0.2 s each if every one waited for the broker to refuse)
    assert bulk_took < 3, f"a bulk change with the broker stopped took {bulk_took:.1f} s"
    # and once the broker is back, every notification is e-mailed exactly once
    wanted = Notification.objects.filter(kind="insight_status", recipient=alice)
    worker.wait_for(sweeping(lambda: not unsent(kind="insight_status")), "every e-mail")
    with translation.override("en"):
        expected = {(n.recipient.email, notifications.render(n).title) for n in wanted}
    counts = addressed_counts(worker.mail_dir)
    tally = Tally(
        name="broker outage",
        expected=len(expected),
        delivered=sum(1 for key in expected if counts[key]),
        duplicated=sum(1 for key in expected if counts[key] > 1),
    )
    assert tally.ok, _explain(tally, worker)
    assert (tally.expected, wanted.count()) == (5 * 3 + 20 + 10, 45)


def _explain(tally: Tally, worker) -> str:
    tally.report()
    return f"{tally}\nworker log:\n{worker.log()}"
