"""Issue 7.5: the person behind an anonymous recipient is found in constant time."""

import base64
import hmac

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import services
from portal.anonymity import author_token, seal_user_id, unseal_user_id
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


def test_a_sealed_recipient_names_nobody_without_the_key(settings):
    """Issue 7.5: the database alone does not name the person behind a sealed id."""
    settings.ANONYMITY_KEY = "the-portal-key-" + "k" * 40
    first, second = seal_user_id(4242), seal_user_id(4242)

    # Two seals of one person look unrelated, and neither spells the id
    assert first != second
    assert "4242" not in first and b"4242" not in base64.urlsafe_b64decode(first)
    # The portal's key opens both
    assert unseal_user_id(first) == unseal_user_id(second) == 4242
    # Another key, a changed byte or anything else opens nothing
    tampered = base64.urlsafe_b64encode(
        bytes([base64.urlsafe_b64decode(first)[0] ^ 1]) + base64.urlsafe_b64decode(first)[1:]
    ).decode()
    assert unseal_user_id(tampered) is None
    assert unseal_user_id("not sealed at all") is None
    settings.ANONYMITY_KEY = "another-portal-key-" + "k" * 40
    assert unseal_user_id(first) is None
