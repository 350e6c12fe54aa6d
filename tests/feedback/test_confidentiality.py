"""What a confidential or anonymous report must not give away, beyond who may see it:
through merges, assignment, the admin's filters and log, mixed edits, internal notes
and the answers to edits that are refused."""

import pytest
from django.contrib.admin.models import LogEntry

from feedback.models import Comment, Follow, Insight, InsightEvent
from portal.models import Notification, Role
from tests.factories import make_user
from tests.feedback.conftest import INSIGHTS, detail_url, insight_payload

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Supervisor harasses the night shift"
SECRET_NOTE = "HR case opened, keep quiet"


def notified_about(user, insight_id: int) -> list[Notification]:
    return [
        n
        for n in Notification.objects.filter(recipient=user)
        if n.context.get("insight_id") == insight_id
    ]


def test_merging_into_a_confidential_insight_tells_nothing_to_who_may_not_see_it(
    api, submit, move, alice, bob, tariq, mona
):
    # Given alice's confidential report, and tariq's named one at the same branch
    # that bob follows
    secret = submit(title=SECRET_TITLE, privacy="confidential")["id"]
    duplicate = submit(by=tariq, title="Night shift problems", location="RUH-01")["id"]
    assert api(bob).post(detail_url(duplicate, "follow")).status_code == 200

    # When mona merges tariq's report into alice's and then declines it with a note
    move(duplicate, "duplicate", duplicate_of=secret)
    move(secret, "declined", note=SECRET_NOTE)

    # Then tariq and bob heard of the merge of the report they know, and nothing of
    # the confidential one: no follow, no notification, no e-mail
    for user in (tariq, bob):
        assert api(user).get(detail_url(secret)).status_code == 404
        assert not Follow.objects.filter(insight_id=secret, user=user).exists()
        assert notified_about(user, secret) == []
        assert len(notified_about(user, duplicate)) == 1
        page = api(user).get("/notifications/")
        assert SECRET_TITLE not in page.content.decode()
    # while alice, its submitter, was told
    assert [n.context["note"] for n in notified_about(alice, secret)] == [SECRET_NOTE]


def test_a_follower_who_lost_sight_of_a_confidential_insight_is_not_told(
    api, submit, move, org, mona
):
    # Given a second manager for alice's branch who follows her confidential report
    deputy = make_user("deputy", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01])
    secret = submit(title=SECRET_TITLE, privacy="confidential")["id"]
    assert api(deputy).post(detail_url(secret, "follow")).status_code == 200

    # When the deputy moves to Jeddah, and the report moves on
    deputy.managed_locations.set([org.jed01])
    move(secret, "under_review")

    # Then the deputy is not told
    assert notified_about(deputy, secret) == []


def test_a_confidential_insight_is_assigned_only_to_a_manager_who_may_see_it(
    api, submit, mona, omar
):
    secret = submit(title=SECRET_TITLE, privacy="confidential")["id"]

    response = api(mona).post(detail_url(secret, "triage"), {"assignee": "omar"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "assignee": ["The assignee must be an active manager responsible for its location."]
    }
    assert Insight.objects.get(pk=secret).assignee is None
    assert Notification.objects.filter(recipient=omar).count() == 0


@pytest.mark.parametrize("username", ["mona", "nobody-by-that-name", "bob"])
def test_a_submitter_cannot_tell_managers_from_others_by_assigning(api, submit, alice, username):
    insight = submit()["id"]

    edited = api(alice).patch(detail_url(insight), {"assignee": username}, format="json")
    triaged = api(alice).post(detail_url(insight, "triage"), {"assignee": username}, format="json")

    assert edited.status_code == 400
    assert edited.json() == {"assignee": ["Set by a manager through triage."]}
    assert triaged.status_code == 403
    assert triaged.json() == {"detail": "Only a manager responsible for this location can do that."}


# --- a manager who reports anonymously at their own branch ---------------------------------
@pytest.fixture
def reporting_manager(org):
    """A manager of alice's branch who also reports there, anonymously."""
    return make_user("hana", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01])


def _anonymous_report(api, manager) -> int:
    response = api(manager).post(INSIGHTS, insight_payload(privacy="anonymous"), format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_a_reporting_manager_edits_as_submitter_and_triages_as_manager(
    api, reporting_manager, mona
):
    """Issue 6.22: own edits and triage are two actions, each recorded as what it is."""
    insight = _anonymous_report(api, reporting_manager)
    client = api(reporting_manager)

    mixed = client.patch(
        detail_url(insight), {"title": "Queue at noon", "assignee": "mona"}, format="json"
    )
    assert mixed.status_code == 400
    assert mixed.json() == {"assignee": ["Set by a manager through triage."]}
    assert InsightEvent.objects.filter(insight_id=insight).count() == 1  # submitted

    edited = client.patch(detail_url(insight), {"title": "Queue at noon"}, format="json")
    triaged = client.post(
        detail_url(insight, "triage"), {"assignee": "mona", "channel": "phone"}, format="json"
    )
    assert (edited.status_code, triaged.status_code) == (200, 200)
    edits = InsightEvent.objects.filter(insight_id=insight).exclude(kind="submitted").order_by("pk")
    assert [(e.actor_id, e.by_submitter, e.data["fields"]) for e in edits] == [
        (None, True, ["title"]),
        (reporting_manager.pk, False, ["assignee", "channel"]),
    ]


def test_a_reporting_managers_internal_note_is_a_managers_note(api, reporting_manager):
    insight = _anonymous_report(api, reporting_manager)

    response = api(reporting_manager).post(
        detail_url(insight, "comments"),
        {"body": "Check the rota", "is_internal": True},
        format="json",
    )

    assert response.status_code == 201
    comment = Comment.objects.get(insight_id=insight)
    assert (comment.author_id, comment.by_submitter) == (reporting_manager.pk, False)


# --- the admin -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "author_token__startswith=a",
        "author_token=abc",
        "search_text__contains=queue",
        "match_text=x",
    ],
)
def test_the_admin_refuses_filters_on_hidden_fields(client, submit, mona, query):
    submit(privacy="anonymous")
    client.force_login(mona)

    response = client.get(f"/admin/feedback/insight/?{query}")

    assert response.status_code == 400


def test_the_admin_shows_history_and_comments_to_managers_but_logs_no_names(
    client, api, submit, move, mona, omar, reporting_manager
):
    # Given hana's anonymous report at her own branch, with an internal note by mona
    insight = _anonymous_report(api, reporting_manager)
    move(insight, "under_review", note="Looking into it")
    api(mona).post(
        detail_url(insight, "comments"),
        {"body": "Internal: rota", "is_internal": True},
        format="json",
    )
    api(mona).post(detail_url(insight, "comments"), {"body": "Public: thanks"}, format="json")
    url = f"/admin/feedback/insight/{insight}/change/"

    # Then mona, a manager in scope, sees the history and both comments in the admin
    client.force_login(mona)
    page = client.get(url).content.decode()
    assert "Looking into it" in page
    assert "Internal: rota" in page and "Public: thanks" in page
    # omar, out of scope, sees the history and only the public comment
    client.force_login(omar)
    page = client.get(url).content.decode()
    assert "Looking into it" in page
    assert "Public: thanks" in page and "Internal: rota" not in page

    # And when hana changes its category in the admin, the change is in the insight's
    # timeline and not in the admin's log, which would name her
    client.force_login(reporting_manager)
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["category"] = form.fields["category"].queryset.exclude(pk=data["category"]).first().pk
    for formset in client.get(url).context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v or 0 for k, v in management.initial.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert InsightEvent.objects.filter(insight_id=insight, data__fields=["category"]).exists()
    assert not LogEntry.objects.exists()
