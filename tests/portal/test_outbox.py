"""Queueing work never fails a committed write, and a broker outage costs one
time-out, not one per e-mail (portal.outbox).

(tests/reliability/ and tests/reliability/test_faults.py stop a real broker.)
"""

import datetime
import logging
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone
from kombu.exceptions import OperationalError

from feedback.models import Insight
from portal import outbox
from portal.celery import app as celery_app
from portal.models import Notification
from portal.tasks import send_notification_email_task
from tests.feedback.conftest import INSIGHTS, insight_payload
from tests.workers import free_port, tasks_sent_to


class FakeTask:
    name = "fake_task"

    def __init__(self, error: Exception | None = None):
        self.error = error
        self.calls = 0

    def apply_async(self, args):
        self.calls += 1
        if self.error is not None:
            raise self.error


@pytest.fixture
def clock(monkeypatch):
    """The outbox's monotonic clock, moved by hand; no pause left by another test."""
    now = [1000.0]
    monkeypatch.setattr(outbox.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    return now


def test_a_broker_failure_is_logged_and_the_broker_left_alone_for_a_while(clock, caplog):
    task = FakeTask(OperationalError("Error 111 connecting to 127.0.0.1:6379."))

    with caplog.at_level(logging.DEBUG, logger="portal.outbox"):
        first = outbox.enqueue(task, 1)
        clock[0] += outbox.BROKER_PAUSE_SECONDS - 1
        second = outbox.enqueue(task, 2)

    # The first call tried and failed; the second did not try at all.
    assert (first, second, task.calls) == (False, False, 1)
    assert "could not queue fake_task(1,)" in caplog.text
    assert "fake_task(2,) is left to the sweeper" in caplog.text

    # After the pause the broker is tried again, and works.
    clock[0] += 2
    task.error = None
    assert outbox.enqueue(task, 3) is True
    assert task.calls == 2


def test_a_task_failing_in_process_does_not_pause_the_broker(clock):
    # Without a broker, tasks run in-process: their own errors are no broker outage.
    task = FakeTask(RuntimeError("the task failed"))

    assert outbox.enqueue(task, 1) is False
    assert outbox.enqueue(task, 2) is False
    assert task.calls == 2


def test_a_sweeper_out_of_time_stops_instead_of_logging_each_email(clock):
    # Celery's soft time limit is an exception raised wherever the task is: inside a
    # sweeper's enqueue it must stop the sweeper, not be logged as a broker failure.
    task = FakeTask(SoftTimeLimitExceeded())

    with pytest.raises(SoftTimeLimitExceeded):
        outbox.enqueue(task, 1)


@pytest.fixture
def unreachable_broker(monkeypatch):
    """This process sends tasks to a Redis port where nothing listens."""
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    with tasks_sent_to(celery_app, f"redis://127.0.0.1:{free_port()}/0"):
        yield


def test_with_the_broker_down_many_emails_are_queued_in_about_one_timeout(unreachable_broker):
    # A bulk change queues hundreds of e-mails after its commit: without the pause each
    # one would wait out its connection attempts and retries (0.2 s each here, seconds
    # on a network that drops packets), and the request outlast the web server's limit.
    started = time.monotonic()
    sent = [outbox.enqueue(send_notification_email_task, pk) for pk in range(200)]
    elapsed = time.monotonic() - started

    assert not any(sent)
    assert elapsed < 5, f"200 e-mails took {elapsed:.1f} s to give up on"


# --- leases and the sweeper, in this process ---------------------------------------------
# (Issue 7: every e-mail is a row first; a claim carries a lease; the sweeper re-queues
# what was left pending or abandoned; enqueueing after commit never fails the write.)
SECOND = datetime.timedelta(seconds=1)
TITLES = [
    "lost",
    "abandoned",
    "on its way",
    "being sent",
    "sent",
    "given up",
    "queued by the last sweep",
]


def _pending_email(user, title: str):
    """A notification whose e-mail is pending, its task never run (the test's
    transaction never commits, so nothing is queued)."""
    from portal import services

    notification = services.notify(
        recipient=user, kind="message", context={"title": title, "body": "."}
    )
    assert notification.email_status == Notification.EmailStatus.PENDING
    return notification


def _lease() -> datetime.timedelta:
    from django.conf import settings

    return datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _set(notification, **fields) -> None:
    Notification.objects.filter(pk=notification.pk).update(**fields)


@pytest.mark.django_db
def test_a_claim_is_taken_over_only_once_its_lease_has_expired(alice, mailoutbox, settings):
    from portal import services

    notification = _pending_email(alice, "Claimed")
    lease = _lease()
    now = timezone.now()

    # Given a worker claimed it a moment less than a lease ago (it may still be sending)
    _set(notification, email_status="sending", email_claimed_at=now - lease + SECOND * 5)
    # Then another delivery of its task leaves it alone
    assert services.notification_send_email(notification_id=notification.pk) is False
    assert mailoutbox == []

    # Given that worker died: its claim is older than a lease
    _set(notification, email_claimed_at=now - lease - SECOND)
    # Then the next delivery claims it again and sends it, once
    assert services.notification_send_email(notification_id=notification.pk) is True
    assert services.notification_send_email(notification_id=notification.pk) is False
    assert [m.subject for m in mailoutbox] == ["Claimed"]
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == ("sent", 1)


@pytest.mark.django_db
def test_the_sweeper_requeues_what_was_left_pending_or_abandoned_and_nothing_else(
    alice, mailoutbox, settings
):
    from portal import services
    from portal.tasks import requeue_notification_emails

    lease = _lease()
    now = timezone.now()
    old = now - lease - SECOND
    rows = {title: _pending_email(alice, title) for title in TITLES}
    _set(rows["lost"], created_at=old)  # its task never reached a worker
    _set(rows["abandoned"], email_status="sending", email_claimed_at=old)  # worker died
    _set(rows["on its way"], created_at=now)  # its task may be in the queue
    _set(rows["being sent"], email_status="sending", email_claimed_at=now)  # worker alive
    _set(rows["sent"], created_at=old, email_status="sent")
    _set(rows["given up"], created_at=old, email_attempts=settings.EMAIL_MAX_ATTEMPTS)
    _set(rows["queued by the last sweep"], created_at=old, email_claimed_at=now)

    due = services.notification_emails_requeue(now=now)

    assert sorted(due) == sorted(rows[title].pk for title in ("lost", "abandoned"))
    # and the sweep (its tasks run in-process here) sends those two, once each
    assert requeue_notification_emails(now) == 2
    assert sorted(m.subject for m in mailoutbox) == ["abandoned", "lost"]
    assert services.notification_emails_requeue(now=now) == []


@pytest.mark.django_db
def test_a_status_change_with_the_broker_down_succeeds_and_its_email_comes_later(
    api, mona, alice, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from portal.tasks import requeue_notification_emails

    # Given alice's insight, and a broker nobody can reach
    insight = api(alice).post(INSIGHTS, insight_payload(), format="json").json()
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    broker_down = tasks_sent_to(celery_app, f"redis://127.0.0.1:{free_port()}/0")

    # When mona accepts it, and its e-mail cannot be queued after the commit
    with broker_down, django_capture_on_commit_callbacks(execute=True):
        response = api(mona).post(
            f"/api/v1/insights/{insight['id']}/transition/", {"status": "accepted"}
        )

    # Then the change answered 200 and stayed; the e-mail waits, pending, in its row
    assert response.status_code == 200, response.content
    assert Insight.objects.get(pk=insight["id"]).status == "accepted"
    [notification] = Notification.objects.filter(kind="insight_status", recipient=alice)
    assert notification.email_status == "pending"
    assert mailoutbox == []

    # And once the broker is back, the sweeper's next round delivers it
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    assert requeue_notification_emails(timezone.now() + _lease() + SECOND) == 1
    assert [m.to for m in mailoutbox] == [["alice@example.test"]]


def test_beat_runs_the_outbox_sweeper_more_often_than_a_lease(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-outbox"]

    assert entry["task"] == "portal.tasks.sweep_outbox_task"
    assert entry["schedule"] <= datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    assert "notification-emails" in outbox._SWEEPERS
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_TIME_LIMIT < visibility < 3600
