"""Acceptance 5: reminders with a real Celery worker on Redis. The clock moves over a
due date: 3 days before, on the day, then weekly; after 7 days overdue the person's
manager is told. Each is sent once, in the recipient's language; running the daily task
again sends nothing."""

import datetime
import re
import uuid
from collections import Counter

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from portal.celery import app as celery_app
from portal.models import Notification, Role
from portal.services import notifications_without_email
from tests.conftest import WorkerHandle, _database_url, redis_url
from tests.factories import make_user
from tests.workers import _reset_connections, celery_worker, child_env
from training import services
from training.models import Reminder
from training.services.reminders import reminder_due
from training.tasks import send_training_reminders_task

__all__ = ["redis_url"]  # the fixture, from the notification e-mail test

TODAY = timezone.localdate()


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-10, None),
        (-4, None),
        (-3, ("before", -3)),
        (-1, ("before", -3)),
        (0, ("due", 0)),
        (6, ("due", 0)),
        (7, ("overdue", 7)),
        (13, ("overdue", 7)),
        (14, ("overdue", 14)),
        (30, ("overdue", 28)),
    ],
)
def test_which_reminder_is_owed_on_a_day(offset, expected):
    due = day(10)
    owed = reminder_due(due, due + datetime.timedelta(days=offset))
    if expected is None:
        assert owed is None
    else:
        assert owed == (expected[0], due + datetime.timedelta(days=expected[1]))


@pytest.fixture
def worker(redis_url, tmp_path):
    """A worker on its own queue, which is also where the tasks it queues (e-mails) go."""
    queue = f"fv-training-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = child_env(
        DATABASE_URL=_database_url(),
        DATABASE_CONN_MAX_AGE="0",
        CELERY_BROKER_URL=redis_url,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )
    process = celery_worker(env=env, log_path=tmp_path / "worker.log", queue=queue).start()
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    try:
        celery_app.conf.update(
            broker_url=redis_url, task_always_eager=False, task_default_queue=queue
        )
        _reset_connections(celery_app)
        yield WorkerHandle(process=process, mail_dir=mail_dir)
    finally:
        process.stop(timeout=10)
        celery_app.conf.update(saved)
        _reset_connections(celery_app)
        redis.Redis.from_url(redis_url).delete(queue)


def finished_runs(worker) -> int:
    log = worker.log(tail=10_000_000)
    return len(re.findall(r"send_training_reminders_task\[[^\]]+\] succeeded", log))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reminders_and_the_escalation_are_sent_once_each_in_the_readers_language(worker, org):
    # Given layla (Arabic), at RUH-01, with training due in 10 days; mona manages RUH-01,
    # omar JED-01, and sam the whole organisation
    layla = make_user("layla", team=org.team_ruh, language="ar", display_name="ليلى")
    make_user("mona", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01])
    make_user("omar", roles=[Role.MANAGER], team=org.team_jed, managed=[org.jed01])
    make_user("sam", roles=[Role.MANAGER], team=org.team_jed)
    tariq = make_user("tariq", roles=[Role.TRAINER], team=org.team_ruh)
    module = services.module_create(
        by=tariq, code="MOD-PRIV", title_en="Data privacy", title_ar="خصوصية البيانات"
    )
    with notifications_without_email():  # the "new training" notice is not counted here
        services.assign(module=module, due_date=day(10), by=tariq, users=[layla])

    runs = 0

    def addressed() -> Counter:
        return Counter(
            (m["To"], m["Subject"].strip(), m["Content-Language"]) for m in worker.messages()
        )

    def run_on(offset: int, *, new_mail: int):
        nonlocal runs
        seen = addressed()
        before = sum(seen.values())
        send_training_reminders_task.apply_async(args=[day(10 + offset).isoformat()])
        runs += 1
        worker.wait_for(lambda: finished_runs(worker) == runs, "reminder run")
        worker.wait_for(
            lambda: (
                len(worker.messages()) == before + new_mail
                and not Notification.objects.exclude(
                    email_status__in=["sent", "not_wanted"]
                ).exists()
            ),
            f"{new_mail} e-mails",
        )
        # (the file backend names its files by the second and an object id, so their
        # order is not the order of sending: what is new is what was not there before)
        return sorted((addressed() - seen).elements())

    # When the days pass, the task running (some of them twice)
    before = run_on(-3, new_mail=1)
    assert run_on(-3, new_mail=0) == []
    due = run_on(0, new_mail=1)
    overdue = run_on(7, new_mail=2)
    assert run_on(7, new_mail=0) == []
    later = run_on(14, new_mail=1)

    # Then layla hears in Arabic: before, on the day, a week after and two weeks after
    [(to, subject, language)] = before
    assert (to, language) == ("layla@example.test", "ar")
    assert subject.startswith("تدريب مستحق في") and "خصوصية البيانات" in subject
    [(to, subject, language)] = due
    assert (to, language, subject.startswith("تدريب مستحق:")) == ("layla@example.test", "ar", True)
    [(to, subject, language)] = later
    assert (to, language, subject.startswith("تدريب متأخر:")) == ("layla@example.test", "ar", True)
    # and, a week overdue, mona (her manager) hears in English, once; omar and sam do not
    assert sorted(overdue) == [
        ("layla@example.test", "تدريب متأخر: \u2068خصوصية البيانات\u2069", "ar"),
        ("mona@example.test", "Overdue training: \u2068ليلى\u2069", "en"),
    ]
    kinds = sorted(Reminder.objects.values_list("kind", "date"))
    assert kinds == sorted(
        [
            ("before", day(7)),
            ("due", day(10)),
            ("overdue", day(17)),
            ("escalation", day(17)),
            ("overdue", day(24)),
        ]
    )
    assert Notification.objects.filter(kind="training_escalation").count() == 1


def test_the_daily_task_is_on_celery_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["training-reminders"]

    assert entry["task"] == send_training_reminders_task.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}


@pytest.mark.django_db
def test_reminders_skip_finished_training_and_people_who_left(org, alice, bob, tariq, module):
    from portal.services import user_update

    services.assign(module=module, due_date=day(3), by=tariq, users=[alice, bob])
    attempt, _created = services.attempt_start(
        assignment=module.assignments.get(user=alice), by=alice
    )
    from tests.training.conftest import right_answers

    services.attempt_submit(attempt=attempt, by=alice, answers=right_answers(attempt.pk))
    user_update(user=bob, is_active=False)

    counts = services.send_reminders(today=day(0))

    assert (counts.reminders, counts.escalations) == (0, 0)
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_expired_passes_are_assigned_again_for_recertification_once(org, alice, tariq, standard):
    from tests.training.conftest import QUESTIONS, publish, right_answers
    from training.compliance import compliance_as_of

    long_ago = timezone.now() - datetime.timedelta(days=60)
    alice.date_joined = long_ago - datetime.timedelta(days=30)
    alice.save(update_fields=["date_joined"])
    publish(standard, tariq, now=long_ago - datetime.timedelta(days=1))
    module = services.module_create(
        by=tariq,
        code="MOD-RECERT",
        title_en="R",
        title_ar="ر",
        standards=[standard],
        recertify_months=1,
        questions=QUESTIONS,
    )
    services.assign_people(
        module=module, people=[alice], due_date=day(-50), reason="manual", now=long_ago
    )
    assignment = module.assignments.get()
    attempt, _created = services.attempt_start(assignment=assignment, by=alice, now=long_ago)
    services.attempt_submit(
        attempt=attempt, by=alice, answers=right_answers(attempt.pk), now=long_ago
    )
    services.acknowledge(
        user=alice, standard=standard, version_number=1, language="en", now=long_ago
    )
    status = compliance_as_of(as_of=TODAY).cells[(alice.pk, standard.pk)]
    assert status == "expired"

    created = [services.recertify_expired(today=TODAY) for _run in range(2)]

    assert created == [1, 0]
    new = module.assignments.get(status="open")
    assert new.reason == "recertification"
    assert new.due_date == day(settings.TRAINING_RECERTIFICATION_DUE_DAYS)
