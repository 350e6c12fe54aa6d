"""A real Celery worker process, on Redis, sends a notification e-mail after commit."""

import time

import pytest
from django.db import transaction

from portal import services
from portal.models import Notification
from tests.factories import make_user

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_real_worker_sends_the_notification_email_after_commit(worker, org):
    # Given an Arabic-speaking member of staff
    reader = make_user("layla", team=org.team_ruh, language="ar", display_name="ليلى")
    # and a worker already consuming: a task sent before the commit would reach it at
    # once (one still starting would find the row committed, and hide the mistake)
    worker.wait_until_ready()

    # When a notification is created in a transaction that stays open a while, then
    # commits
    with transaction.atomic():
        notification = services.notify(
            recipient=reader, kind="welcome", context={"username": "layla"}
        )
        time.sleep(2)
        # nothing is queued before the commit (a task sent now would find no row,
        # claim nothing and never send: the e-mail would be lost)
        assert "send_notification_email_task[" not in worker.log(tail=1_000_000)

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
    # and the worker was handed the kept one only: the rolled-back one never left
    log = worker.log(tail=1_000_000)
    assert log.count("send_notification_email_task[") == 2, log  # received, succeeded
