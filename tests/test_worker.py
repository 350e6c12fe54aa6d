"""A real Celery worker process, on Redis, sends a notification e-mail after commit."""

import email
import email.policy
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import _state
from django.conf import settings
from django.db import connection, transaction

from portal import services
from portal.celery import app as celery_app
from portal.models import Notification
from tests.factories import make_user

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TIMEOUT = 30


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    # CI must run this test: a missing or unreachable Redis is a failure, never a skip.
    if not url:
        pytest.fail("TEST_REDIS_URL is not set: the worker test needs a Redis database")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {url} is not reachable: {exc}")
    return url


def _database_url() -> str:
    """The URL of the test database this process uses, for the worker to share it."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.fail("the worker test needs PostgreSQL: run the suite with DATABASE_URL set")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _reset_celery_connections() -> None:
    # The app caches its producer pool and router; drop them so the new settings apply.
    celery_app.close()
    celery_app.__dict__.pop("amqp", None)
    # close() also forgets the app: a task module first imported after it (once the app
    # is finalized) would not register with it, and its tasks be NotRegistered.
    _state._register_app(celery_app)


@pytest.fixture
def worker(redis_url, tmp_path):
    """A worker process on its own queue, and this process sending to it, for one test."""
    queue = f"fv-test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "CELERY_", "DJANGO_ENV"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=_database_url(),
        DATABASE_CONN_MAX_AGE="0",
        CELERY_BROKER_URL=redis_url,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker",
        "--pool=solo", "--concurrency=1", "--queues", queue, "--hostname", f"{queue}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    saved = {
        key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "task_routes")
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        celery_app.conf.update(
            broker_url=redis_url,
            task_always_eager=False,
            task_routes={"portal.tasks.*": {"queue": queue}},
        )
        _reset_celery_connections()
        yield WorkerHandle(process=process, mail_dir=mail_dir, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        celery_app.conf.update(saved)
        _reset_celery_connections()
        redis.Redis.from_url(redis_url).delete(queue)


class WorkerHandle:
    def __init__(self, *, process, mail_dir: Path, log_path: Path):
        self.process = process
        self.mail_dir = mail_dir
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def wait_for(self, condition, what: str):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}):\n{self.log()}")
            time.sleep(0.2)
        pytest.fail(f"no {what} within {TIMEOUT} s; worker log:\n{self.log()}")

    def messages(self) -> list[email.message.EmailMessage]:
        found = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if raw.strip():
                    found.append(email.message_from_bytes(raw, policy=email.policy.default))
        return found


def test_a_real_worker_sends_the_notification_email_after_commit(worker, org):
    # Given an Arabic-speaking member of staff
    reader = make_user("layla", team=org.team_ruh, language="ar", display_name="ليلى")

    # When a notification is created in a transaction that commits
    with transaction.atomic():
        notification = services.notify(
            recipient=reader, kind="welcome", context={"username": "layla"}
        )

    # Then the worker process claims it and e-mails it, in her language
    def sent() -> bool:
        status = Notification.objects.values_list("email_status", flat=True).get(pk=notification.pk)
        return status == Notification.EmailStatus.SENT and bool(worker.messages())

    worker.wait_for(sent, "e-mail")
    [message] = worker.messages()
    assert message["To"] == "layla@example.test"
    assert message["Subject"].strip() == "مرحبًا بك في صوت الميدان"
    assert message["Content-Language"] == "ar"
    notification.refresh_from_db()
    assert notification.email_attempts == 1
    assert "send_notification_email_task" in worker.log()


def test_nothing_is_queued_when_the_transaction_rolls_back(worker, org):
    reader = make_user("omar2", team=org.team_ruh)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipient=reader, kind="welcome", context={"username": "omar2"})
        raise RuntimeError("the request failed")

    # A notification that did commit goes through, and it is the only e-mail.
    with transaction.atomic():
        kept = services.notify(
            recipient=reader, kind="message", context={"title": "Kept", "body": "."}
        )
    worker.wait_for(lambda: Notification.objects.get(pk=kept.pk).email_status == "sent", "e-mail")
    assert Notification.objects.count() == 1
    assert [m["Subject"] for m in worker.messages()] == ["Kept"]
