"""A new person's notifications: one welcome, whichever way they joined, and the news
of one insight as one entry on the notifications page."""

import re

import pytest

from portal.models import Notification, User
from portal.selectors import notifications_for
from tests.portal.test_commands import DEMO_USERS, seed

pytestmark = pytest.mark.django_db


def kinds_of(user: User) -> list[str]:
    return list(notifications_for(user).values_list("kind", flat=True))


def test_after_seed_demo_each_person_has_one_welcome_and_no_replayed_news(client):
    """Issue 6.19: the demo's replayed history is not a dozen unread notifications."""
    seed()

    people = User.objects.filter(username__in=[*DEMO_USERS, "staff0001", "staff0002"])
    assert people.count() == len(DEMO_USERS) + 2
    for person in people:
        assert kinds_of(person) == ["welcome"], person.username
    assert set(Notification.objects.values_list("kind", flat=True)) == {"welcome"}
    assert Notification.objects.count() == User.objects.count()

    # and the first log-in shows one unread notification: the welcome
    client.force_login(User.objects.get(username="frontline"))
    html = client.get("/notifications/").text
    assert html.count('class="card notification unread"') == 1
    assert "Welcome to Frontline Voice" in html
    assert re.search(r'class="badge" aria-label="1 unread">1<', html)

    # and seeding again welcomes nobody twice
    seed()
    assert Notification.objects.count() == User.objects.count()


def test_someone_added_in_the_admin_is_welcomed_once(client, ada, org):
    """Issue 6.19: a new person added through the admin gets one welcome, like any other."""
    client.force_login(ada)
    response = client.post(
        "/admin/portal/user/add/",
        {
            "username": "newbie",
            "display_name": "New Colleague",
            "email": "newbie@example.test",
            "language": "ar",
            "team": org.team_ruh.pk,
            "roles": ["frontline"],
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "usable_password": "true",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    newbie = User.objects.get(username="newbie")
    assert kinds_of(newbie) == ["welcome"]
    # and saving the person again does not welcome them again
    client.post(
        f"/admin/portal/user/{newbie.pk}/change/",
        {
            "username": "newbie",
            "display_name": "New Colleague",
            "email": "newbie@example.test",
            "language": "ar",
            "team": org.team_ruh.pk,
            "email_notifications": "on",
            "roles": ["frontline"],
            "is_active": "on",
            "_save": "Save",
        },
    )
    assert kinds_of(newbie) == ["welcome"]
