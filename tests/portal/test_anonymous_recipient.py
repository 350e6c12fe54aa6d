"""Issue 7.5: the person behind an anonymous recipient is found in constant time."""

import hmac

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import services
from portal.anonymity import author_token, seal_user_id
from portal.models import Notification, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _staff(n: int) -> None:
    User.objects.bulk_create(
        [User(username=f"s{i:05d}", display_name=f"S{i}", email=f"s{i}@example.test")
         for i in range(n)]
    )  # fmt: skip


def test_an_anonymous_authors_email_costs_the_same_at_5000_staff(org, mailoutbox, monkeypatch):
    author = make_user("samir", team=org.team_ruh)
    hmacs = []
    real_new = hmac.new
    monkeypatch.setattr(hmac, "new", lambda *a, **k: hmacs.append(1) or real_new(*a, **k))

    def send_one() -> tuple[int, int]:
        notification = services.notify(
            recipient_token=author_token(author),
            recipient_sealed=seal_user_id(author.pk),
            kind="message",
            context={"title": "News", "body": "."},
        )
        hmacs.clear()
        with CaptureQueriesContext(connection) as queries:
            assert services.notification_send_email(notification_id=notification.pk)
        return len(queries), len(hmacs)

    few = send_one()
    _staff(5000)
    many = send_one()

    # claim; the notification; the person, by the id in the sealed value; done
    assert few == many == (4, 0)
    assert [m.to for m in mailoutbox] == [["samir@example.test"]] * 2
    assert Notification.objects.filter(email_status="sent").count() == 2
