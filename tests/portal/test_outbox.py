"""Queueing work never fails a committed write, and a broker outage costs one
time-out, not one per e-mail (portal.outbox).

(tests/reliability/ and tests/reliability/test_faults.py stop a real broker.)
"""

import logging
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError

from portal import outbox
from portal.celery import app as celery_app
from portal.tasks import send_notification_email_task
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
