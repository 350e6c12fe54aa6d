"""Issue 6.1: nothing recorded for an anonymous identity shares a precise time with what
the same person does under their name, and no precise time of an anonymous act shows."""

import datetime

import pytest
from axes.models import AccessLog
from django.test import Client
from django.utils import timezone

from feedback.models import Comment, Insight, InsightEvent
from portal.models import Notification
from portal.tasks import requeue_notification_emails
from tests.conftest import PASSWORD
from tests.feedback.conftest import INSIGHTS, detail_url, insight_payload

pytestmark = pytest.mark.django_db


def _is_coarse(moment) -> bool:
    return moment is None or (moment.minute, moment.second, moment.microsecond) == (0, 0, 0)


def _anonymous_times(insight_id: int) -> list[datetime.datetime]:
    insight = Insight.objects.get(pk=insight_id)
    times = [insight.created_at, insight.updated_at]
    times += InsightEvent.objects.filter(insight=insight, by_submitter=True).values_list(
        "created_at", flat=True
    )
    times += Comment.objects.filter(insight=insight, by_submitter=True).values_list(
        "created_at", flat=True
    )
    for row in Notification.objects.filter(recipient__isnull=True).values(
        "created_at", "read_at", "emailed_at", "email_claimed_at"
    ):
        times += row.values()
    return [t for t in times if t is not None]


def _named_times(user) -> list[datetime.datetime]:
    times = list(
        AccessLog.objects.filter(username=user.username).values_list("attempt_time", flat=True)
    )
    for row in Notification.objects.filter(recipient=user).values("created_at", "read_at"):
        times += [t for t in row.values() if t is not None]
    user.refresh_from_db()
    return [*times, user.last_login]


def test_an_anonymous_act_leaves_only_hour_stamps(
    api, alice, mona, mailoutbox, django_capture_on_commit_callbacks
):
    # Given alice, logged in through the page (axes records the instant)
    browser = Client()
    logged_in = browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert logged_in.status_code == 302

    # When she reports anonymously, edits it, answers on it, hears news and marks all read
    with django_capture_on_commit_callbacks(execute=True):
        created = api(alice).post(INSIGHTS, insight_payload(privacy="anonymous"), format="json")
        pk = created.json()["id"]
        api(alice).patch(detail_url(pk), {"title": "Queue at noon, again"}, format="json")
        api(mona).post(detail_url(pk, "comments"), {"body": "Looking into it"}, format="json")
        api(alice).post(detail_url(pk, "comments"), {"body": "Thank you"}, format="json")
        api(mona).post(detail_url(pk, "transition"), {"status": "accepted"}, format="json")
        services_notify_named(alice)
    requeue_notification_emails(timezone.now() + datetime.timedelta(hours=1))
    browser.post("/notifications/read/")

    # Then every time recorded for her anonymous identity is to the hour …
    anonymous = _anonymous_times(pk)
    assert len(anonymous) >= 8
    assert all(_is_coarse(t) for t in anonymous), anonymous
    # … and none of them is an instant of her named records
    named = _named_times(alice)
    assert named and not set(anonymous) & set(named)
    assert Notification.objects.filter(recipient=alice, read_at__isnull=False).exists()

    # And what is shown of the anonymous insight is to the hour as well
    shown = api(mona).get(detail_url(pk)).json()["created_at"]
    assert shown.endswith(":00:00+03:00"), shown
    comments = api(mona).get(detail_url(pk, "comments")).json()["results"]
    submitter_times = [c["created_at"] for c in comments if c["by_submitter"]]
    assert submitter_times and all(t.endswith(":00:00+03:00") for t in submitter_times)


def services_notify_named(user):
    from portal import services

    services.notify(recipient=user, kind="message", context={"title": "Hello", "body": "."})


def test_named_acts_keep_their_precise_time(api, alice):
    before = timezone.now()
    created = api(alice).post(INSIGHTS, insight_payload(), format="json").json()
    after = timezone.now()

    insight = Insight.objects.get(pk=created["id"])
    assert before <= insight.created_at <= after
