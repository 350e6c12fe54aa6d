"""Insights through the REST API, full stack: submit in every privacy mode, filter,
move through the workflow (allowed and refused), endorse, follow, comment, merge
duplicates, first response and overdue reminders, bulk changes."""

import datetime

import pytest
from django.utils import timezone

from feedback.models import Comment, Endorsement, Follow, Insight, InsightEvent
from feedback.tasks import remind_overdue_insights_task
from portal.anonymity import author_token
from portal.models import Notification
from portal.tasks import requeue_notification_emails
from tests.feedback.conftest import INSIGHTS, detail_url

pytestmark = pytest.mark.django_db

OPEN = ["new", "under_review", "accepted", "in_progress"]
# How to reach each status from new, as mona would.
PATH_TO = {
    "new": [],
    "under_review": ["under_review"],
    "accepted": ["accepted"],
    "in_progress": ["accepted", "in_progress"],
    "implemented": ["accepted", "implemented"],
    "declined": ["declined"],
}


def _history(client, pk) -> list[dict]:
    response = client.get(detail_url(pk, "history"))
    assert response.status_code == 200
    return response.json()


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["results"]}


# --- submitting ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("privacy", "anonymous"),
    [
        ("named", False),
        ("anonymous", True),
        ("confidential", False),
        ("anonymous_confidential", True),
    ],
)
def test_submitting_in_each_privacy_mode(api, alice, mona, privacy, anonymous):
    # given alice at RUH-01, and the payload of a report
    client = api(alice)

    # when she submits it in the chosen privacy mode
    response = client.post(
        INSIGHTS,
        {
            "title": "Card reader freezes",
            "pain_point": "Payments fail twice a day.",
            "channel": "branch",
            "category": "billing",
            "privacy": privacy,
        },
        format="json",
    )

    # then it is created at her location, new, and hers; her team is filled in only
    # when named (in a small team it would all but name an anonymous author)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["privacy"] == privacy
    assert body["status"] == "new"
    expected_team = None if anonymous else "RUH-01-TELLER"
    assert (body["location"], body["team"]) == ("RUH-01", expected_team)
    assert (body["customer_impact"], body["frequency"]) == ("medium", "weekly")
    assert body["is_mine"] is True
    assert (body["endorsement_count"], body["comment_count"]) == (0, 0)
    assert body["first_response_at"] is None
    # and the author is shown only when named
    if anonymous:
        assert body["author"] is None
    else:
        assert body["author"] == {
            "id": alice.pk,
            "username": "alice",
            "display_name": "Alice Anwar",
        }
    # and the row keeps a user reference only when named
    row = Insight.objects.get(pk=body["id"])
    assert (row.author_id is None) is anonymous
    assert (row.author_token == author_token(alice)) is anonymous
    # and the manager in scope sees it, never as theirs, with the same author rule
    seen = api(mona).get(detail_url(body["id"]))
    assert seen.status_code == 200
    assert seen.json()["is_mine"] is False
    assert (seen.json()["author"] is None) is anonymous
    # and the history starts with the submission, by nobody named when anonymous
    [submitted] = _history(api(mona), body["id"])
    assert (submitted["kind"], submitted["to_status"], submitted["by_submitter"]) == (
        "submitted",
        "new",
        True,
    )
    assert (submitted["actor"] is None) is anonymous


def test_submitting_at_another_location_leaves_the_team_empty(api, alice):
    # given alice, whose team is at RUH-01
    # when she reports something she saw at JED-01
    response = api(alice).post(
        INSIGHTS,
        {
            "title": "Sign missing",
            "pain_point": "No queue sign.",
            "channel": "branch",
            "category": "facilities",
            "location": "JED-01",
        },
        format="json",
    )

    # then it is filed at JED-01 with no team (hers is elsewhere)
    assert response.status_code == 201, response.content
    assert (response.json()["location"], response.json()["team"]) == ("JED-01", None)


# --- listing and filters -------------------------------------------------------------------
@pytest.fixture
def catalogue(submit, move, alice, bob, mona, omar):
    """Three insights that differ in every filterable attribute."""
    queue = submit(
        by=alice,
        title="Queue at the teller counter is too long",
        pain_point="Customers leave before they are served.",
        channel="branch",
        category="waiting_time",
    )
    bill = submit(
        by=bob,
        title="الفاتورة تصل متأخرة",
        pain_point="العملاء يشتكون من تأخُّر وصول الفاتورة الشهرية إلى البريد",
        channel="phone",
        category="billing",
    )
    login = submit(
        by=mona,
        title="App login fails after the update",
        pain_point="The new version logs people out.",
        channel="app",
        category="digital_channels",
        location="JED-01",
    )
    move(bill["id"], "accepted", by=omar)
    move(login["id"], "under_review", by=omar)
    return {"queue": queue, "bill": bill, "login": login}


QUEUE = "Queue at the teller counter is too long"
BILL = "الفاتورة تصل متأخرة"
LOGIN = "App login fails after the update"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {QUEUE, BILL, LOGIN}),
        ("status=new", {QUEUE}),
        ("status=accepted&status=under_review", {BILL, LOGIN}),
        ("channel=phone", {BILL}),
        ("category=digital_channels", {LOGIN}),
        ("location=JED-01", {BILL, LOGIN}),
        ("team=RUH-01-TELLER", {QUEUE}),
        ("team=JED-01-TELLER", {BILL}),
        ("q=TELLER counter", {QUEUE}),
        ("q=login", {LOGIN}),
        # ة typed as ه, أ as ا, with a diacritic: found through the normalised text
        ("q=الفاتوره الشهريه", {BILL}),
        ("q=تأخّر", {BILL}),
        ("q=nothing-like-this", set()),
    ],
    ids=[
        "no-filter",
        "status",
        "two-statuses",
        "channel",
        "category",
        "location",
        "team-ruh",
        "team-jed",
        "q-english-any-case",
        "q-english-word",
        "q-arabic-variant-letters",
        "q-arabic-diacritics",
        "q-no-match",
    ],
)
def test_list_filters(api, ada, catalogue, query, expected):
    # given three insights (catalogue), and ada who sees everything
    # when she lists with a filter
    response = api(ada).get(f"{INSIGHTS}?{query}")

    # then exactly the matching ones come back
    assert _titles(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("user", "mine", "expected"),
    [
        ("alice", "true", {QUEUE}),
        ("bob", "true", {BILL}),
        ("alice", "false", {BILL, LOGIN}),
        ("tariq", "true", set()),
    ],
)
def test_mine_filter(api, cast, catalogue, user, mine, expected):
    # when someone lists their own insights (or everyone else's)
    response = api(cast[user]).get(f"{INSIGHTS}?mine={mine}")

    # then only those they submitted (or did not) come back
    assert _titles(response) == expected


def test_mine_filter_finds_anonymous_insights_of_the_submitter_only(api, submit, alice, bob):
    # given an anonymous insight by alice
    submit(by=alice, title="Secret about the queue", privacy="anonymous")

    # then it is hers, and not bob's
    assert _titles(api(alice).get(f"{INSIGHTS}?mine=true")) == {"Secret about the queue"}
    assert _titles(api(bob).get(f"{INSIGHTS}?mine=true")) == set()
    assert _titles(api(bob).get(f"{INSIGHTS}?mine=false")) == {"Secret about the queue"}


@pytest.mark.parametrize(
    "query",
    ["status=nope", "channel=nope", "category=nope", "location=NOPE-99", "team=NOPE"],
)
def test_an_unknown_filter_value_is_a_400_naming_the_filter(api, ada, catalogue, query):
    response = api(ada).get(f"{INSIGHTS}?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


# --- transitions allowed -------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        ["under_review", "accepted", "in_progress", "implemented"],
        ["accepted"],
        ["accepted", "implemented"],
        ["under_review", "declined"],
        ["declined"],
        ["accepted", "declined"],
        ["accepted", "in_progress", "declined"],
        ["under_review", "accepted", "in_progress"],
    ],
    ids=lambda path: "new→" + "→".join(path),
)
def test_allowed_transitions_are_applied_and_recorded(api, submit, mona, path):
    # given a new insight by alice at RUH-01
    insight = submit()
    client = api(mona)

    # when mona, manager of RUH-01, moves it along the path with a note at each step
    for step, status in enumerate(path):
        response = client.post(
            detail_url(insight["id"], "transition"),
            {"status": status, "note": f"step {step}"},
            format="json",
        )
        # then each step succeeds and answers the new state
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status

    # and the history has every change: who, from, to, note
    changes = [e for e in _history(client, insight["id"]) if e["kind"] == "status"]
    assert [(e["from_status"], e["to_status"]) for e in changes] == list(
        zip(["new", *path[:-1]], path, strict=True)
    )
    assert {e["actor"]["username"] for e in changes} == {"mona"}
    assert [e["note"] for e in changes] == [f"step {i}" for i in range(len(path))]
    assert Insight.objects.get(pk=insight["id"]).status == path[-1]


def test_implementing_records_the_date_the_fix_went_live(api, submit, move, mona):
    # given an accepted insight submitted a week ago
    insight = submit()
    Insight.objects.filter(pk=insight["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=7)
    )
    move(insight["id"], "accepted")
    live_since = timezone.localdate() - datetime.timedelta(days=2)

    # when mona marks it implemented since two days ago
    response = api(mona).post(
        detail_url(insight["id"], "transition"),
        {"status": "implemented", "implemented_at": live_since.isoformat()},
        format="json",
    )

    # then the date is recorded
    assert response.status_code == 200, response.content
    assert response.json()["implemented_at"] == live_since.isoformat()


def test_implementing_without_a_date_records_today(api, submit, move):
    insight = submit()

    body = move(insight["id"], "accepted", "implemented")

    assert body["implemented_at"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("start", OPEN)
def test_any_open_insight_can_be_marked_duplicate(api, submit, move, mona, start):
    # given an original and another insight in an open state
    original = submit(title="Original")
    insight = submit(title="Copy")
    move(insight["id"], *PATH_TO[start])

    # when mona marks it a duplicate of the original
    response = api(mona).post(
        detail_url(insight["id"], "transition"),
        {"status": "duplicate", "duplicate_of": original["id"], "note": "Same as the original"},
        format="json",
    )

    # then it points at the original, and the history says so
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["duplicate_of"]) == (
        "duplicate",
        original["id"],
    )
    last = _history(api(mona), insight["id"])[-1]
    assert (last["from_status"], last["to_status"], last["note"]) == (
        start,
        "duplicate",
        "Same as the original",
    )


# --- transitions refused -------------------------------------------------------------------
def _refused_cases():
    cases = [
        ("new", {"status": "implemented"}, "status"),
        ("new", {"status": "in_progress"}, "status"),
        ("new", {"status": "new"}, "status"),
        ("under_review", {"status": "in_progress"}, "status"),
        ("under_review", {"status": "implemented"}, "status"),
        ("under_review", {"status": "new"}, "status"),
        ("accepted", {"status": "under_review"}, "status"),
        ("declined", {"status": "accepted"}, "status"),
        ("declined", {"status": "new"}, "status"),
        ("new", {"status": "nope"}, "status"),
        ("new", {}, "status"),
        ("new", {"status": "declined"}, "note"),
        ("accepted", {"status": "declined", "note": "   "}, "note"),
        ("new", {"status": "duplicate"}, "duplicate_of"),
        ("new", {"status": "duplicate", "duplicate_of": "self"}, "duplicate_of"),
        ("new", {"status": "duplicate", "duplicate_of": 999999}, "duplicate_of"),
        ("new", {"status": "accepted", "duplicate_of": "other"}, "duplicate_of"),
        ("accepted", {"status": "implemented", "implemented_at": "tomorrow"}, "implemented_at"),
        ("accepted", {"status": "implemented", "implemented_at": "last-year"}, "implemented_at"),
        ("accepted", {"status": "in_progress", "implemented_at": "today"}, "implemented_at"),
        ("accepted", {"status": "implemented", "implemented_at": "31/12/2024"}, "implemented_at"),
    ]
    cases += [
        ("implemented", {"status": target, "note": "x"}, "status")
        for target in ["new", "under_review", "accepted", "in_progress", "declined", "implemented"]
    ]
    cases.append(("implemented", {"status": "duplicate", "duplicate_of": "other"}, "status"))
    return cases


def _case_id(case):
    start, body, field = case
    extra = ",".join(f"{k}={v}" for k, v in body.items() if k != "status")
    return f"{start}→{body.get('status', '∅')}{'[' + extra + ']' if extra else ''}:{field}"


@pytest.mark.parametrize("case", _refused_cases(), ids=_case_id)
def test_refused_transitions_answer_400_and_write_nothing(api, submit, move, mona, bob, case):
    start, body, field = case
    # given an insight in the start state, with a follower and an endorsement
    other = submit(title="Another one")
    insight = submit()
    move(insight["id"], *PATH_TO[start])
    api(bob).post(detail_url(insight["id"], "follow"))
    api(bob).post(detail_url(insight["id"], "endorse"))
    dates = {
        "tomorrow": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        "last-year": (timezone.localdate() - datetime.timedelta(days=365)).isoformat(),
        "today": timezone.localdate().isoformat(),
    }
    ids = {"self": insight["id"], "other": other["id"]}
    body = {
        key: dates.get(value, ids.get(value, value)) if isinstance(value, str) else value
        for key, value in body.items()
    }
    before = {
        "events": InsightEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "endorsements": list(Endorsement.objects.values_list("insight_id", "user_id")),
        "follows": list(Follow.objects.values_list("insight_id", "user_id")),
        "row": Insight.objects.filter(pk=insight["id"]).values().get(),
    }

    # when mona asks for the change
    response = api(mona).post(detail_url(insight["id"], "transition"), body, format="json")

    # then it is refused with an error on the offending field
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert all(isinstance(message, str) and message for message in errors[field])
    # and nothing at all was written
    after = {
        "events": InsightEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "endorsements": list(Endorsement.objects.values_list("insight_id", "user_id")),
        "follows": list(Follow.objects.values_list("insight_id", "user_id")),
        "row": Insight.objects.filter(pk=insight["id"]).values().get(),
    }
    assert after == before
    assert api(mona).get(detail_url(insight["id"])).json()["status"] == start


def test_a_refused_transition_says_which_move_is_not_allowed(api, submit, mona):
    insight = submit()

    response = api(mona).post(
        detail_url(insight["id"], "transition"), {"status": "implemented"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"status": ["An insight cannot move from “New” to “Implemented”."]}


# --- notifications of changes --------------------------------------------------------------
def test_submitter_and_followers_are_notified_of_a_change_but_not_the_actor(
    api, submit, mona, bob, tariq, alice, django_capture_on_commit_callbacks, mailoutbox
):
    # given alice's named insight, followed by bob and tariq (and by mona herself)
    insight = submit()
    for follower in (bob, tariq, mona):
        assert api(follower).post(detail_url(insight["id"], "follow")).json() == {"following": True}

    # when mona accepts it with a note
    with django_capture_on_commit_callbacks(execute=True):
        api(mona).post(
            detail_url(insight["id"], "transition"),
            {"status": "accepted", "note": "We will fix it"},
            format="json",
        )

    # then the submitter and followers get one notification each, mona none
    sent = Notification.objects.filter(kind="insight_status")
    assert sorted(n.recipient.username for n in sent) == ["alice", "bob", "tariq"]
    assert {n.context["to"] for n in sent} == {"accepted"}
    assert {n.url for n in sent} == {f"/insights/{insight['id']}/"}
    # and each of them is e-mailed, with the note
    assert sorted(m.to[0] for m in mailoutbox) == [
        "alice@example.test",
        "bob@example.test",
        "tariq@example.test",
    ]
    assert all("We will fix it" in m.body for m in mailoutbox)
    assert all(f"Insight #{insight['id']} was accepted" == m.subject for m in mailoutbox)


def test_unfollowing_stops_the_notifications(api, submit, move, bob):
    insight = submit()
    api(bob).post(detail_url(insight["id"], "follow"))
    assert api(bob).delete(detail_url(insight["id"], "follow")).json() == {"following": False}

    move(insight["id"], "accepted")

    assert not Notification.objects.filter(recipient=bob).exists()


def test_the_anonymous_submitter_is_notified_through_their_stand_in(
    api, client, submit, move, alice, bob, django_capture_on_commit_callbacks, mailoutbox
):
    # given an anonymous insight by alice
    insight = submit(privacy="anonymous", title="Quiet complaint")

    # when mona accepts it
    with django_capture_on_commit_callbacks(execute=True):
        move(insight["id"], "accepted")

    # then the notification is addressed to alice's stand-in, not to her
    [notification] = Notification.objects.filter(kind="insight_status")
    assert notification.recipient_id is None
    assert notification.recipient_token == author_token(alice)
    # and she sees it on her notifications page, and bob does not
    client.force_login(alice)
    assert f"Insight #{insight['id']} was accepted" in client.get("/notifications/").text
    client.force_login(bob)
    assert f"Insight #{insight['id']}" not in client.get("/notifications/").text
    # and it reaches her mailbox once its hour is over, saying only that there is news
    assert mailoutbox == []
    requeue_notification_emails(timezone.now() + datetime.timedelta(hours=1))
    assert [m.to for m in mailoutbox] == [["alice@example.test"]]
    assert mailoutbox[0].subject == "There is news about one of your reports"


def test_a_follower_who_comments_is_not_notified_of_their_own_comment(api, submit, bob, alice):
    insight = submit()
    api(bob).post(detail_url(insight["id"], "follow"))

    api(bob).post(detail_url(insight["id"], "comments"), {"body": "Me as well"}, format="json")

    assert list(
        Notification.objects.filter(kind="insight_comment").values_list(
            "recipient__username", flat=True
        )
    ) == ["alice"]


def test_a_comment_notification_says_who_replied_without_naming_an_anonymous_submitter(
    api, submit, alice, bob, mona
):
    # Given alice's anonymous insight, which bob follows
    insight = submit(privacy="anonymous", title="Card reader down")
    api(bob).post(detail_url(insight["id"], "follow"))

    # When mona answers, and then alice replies
    api(mona).post(detail_url(insight["id"], "comments"), {"body": "On it"}, format="json")
    api(alice).post(detail_url(insight["id"], "comments"), {"body": "Thanks"}, format="json")

    # Then bob reads who replied: mona by name, alice only as the submitter
    bodies = [
        n.body.replace("\u2068", "").replace("\u2069", "")
        for n in Notification.objects.filter(recipient=bob, kind="insight_comment").order_by("pk")
    ]
    assert bodies == [
        "Mona replied on “Card reader down”.",
        "The submitter replied on “Card reader down”.",
    ]


# --- endorsements --------------------------------------------------------------------------
def test_endorsing_twice_is_one_endorsement(api, submit, bob):
    insight = submit()
    client = api(bob)

    first = client.post(detail_url(insight["id"], "endorse"))
    second = client.post(detail_url(insight["id"], "endorse"))

    assert first.json() == second.json() == {"endorsed": True, "endorsement_count": 1}
    assert Endorsement.objects.filter(insight_id=insight["id"]).count() == 1
    listed = client.get(detail_url(insight["id"])).json()
    assert (listed["endorsement_count"], listed["endorsed_by_me"]) == (1, True)


def test_endorsements_are_counted_per_person(api, submit, bob, mona, tariq):
    insight = submit()

    for person in (bob, mona, tariq):
        api(person).post(detail_url(insight["id"], "endorse"))

    assert api(bob).get(detail_url(insight["id"])).json()["endorsement_count"] == 3


def test_withdrawing_an_endorsement(api, submit, bob, tariq):
    # given bob and tariq endorse
    insight = submit()
    api(bob).post(detail_url(insight["id"], "endorse"))
    api(tariq).post(detail_url(insight["id"], "endorse"))

    # when bob withdraws, twice
    first = api(bob).delete(detail_url(insight["id"], "endorse"))
    again = api(bob).delete(detail_url(insight["id"], "endorse"))

    # then only his endorsement is gone
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"endorsed": False, "endorsement_count": 1}
    assert list(Endorsement.objects.values_list("user__username", flat=True)) == ["tariq"]


@pytest.mark.parametrize("privacy", ["named", "anonymous"])
def test_nobody_endorses_their_own_insight(api, submit, alice, privacy):
    insight = submit(privacy=privacy)

    response = api(alice).post(detail_url(insight["id"], "endorse"))

    assert response.status_code == 400
    assert "insight" in response.json()
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("closed", ["declined", "duplicate"])
def test_a_declined_or_duplicate_insight_cannot_be_endorsed(api, submit, move, bob, closed):
    original = submit(title="Original")
    insight = submit()
    extra = {"duplicate_of": original["id"]} if closed == "duplicate" else {}
    move(insight["id"], closed, **extra)

    response = api(bob).post(detail_url(insight["id"], "endorse"))

    assert response.status_code == 400
    assert not Endorsement.objects.filter(insight_id=insight["id"]).exists()


# --- comments ------------------------------------------------------------------------------
def test_internal_comments_reach_managers_in_scope_only(api, submit, mona, alice, bob, omar, ada):
    # given alice's insight with a public and an internal comment by mona
    insight = submit()
    url = detail_url(insight["id"], "comments")
    public = api(mona).post(url, {"body": "Thanks, looking into it"}, format="json")
    internal = api(mona).post(
        url, {"body": "Budget is tight, park it", "is_internal": True}, format="json"
    )
    assert (public.status_code, internal.status_code) == (201, 201)
    assert internal.json()["is_internal"] is True

    def bodies(user):
        response = api(user).get(url)
        assert response.status_code == 200
        return [c["body"] for c in response.json()["results"]]

    # then managers of the location (and admins) read both
    assert bodies(mona) == bodies(ada) == ["Thanks, looking into it", "Budget is tight, park it"]
    # and the submitter, another frontline and a manager elsewhere read the public one only
    for user in (alice, bob, omar):
        assert bodies(user) == ["Thanks, looking into it"]
        assert api(user).get(detail_url(insight["id"])).json()["comment_count"] == 1
        listed = api(user).get(INSIGHTS).json()["results"]
        assert [i["comment_count"] for i in listed if i["id"] == insight["id"]] == [1]
    # and nobody but mona was told about the internal one
    assert Notification.objects.filter(kind="insight_comment").count() == 1


@pytest.mark.parametrize("user", ["alice", "bob", "omar", "tariq"])
def test_only_managers_in_scope_write_internal_comments(api, cast, submit, user):
    insight = submit()

    response = api(cast[user]).post(
        detail_url(insight["id"], "comments"), {"body": "psst", "is_internal": True}, format="json"
    )

    assert response.status_code == 400
    assert "is_internal" in response.json()
    assert not Comment.objects.exists()


def test_the_anonymous_submitter_comments_without_a_name(api, submit, alice, mona):
    insight = submit(privacy="anonymous")

    response = api(alice).post(
        detail_url(insight["id"], "comments"), {"body": "It happened again"}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["author"], response.json()["by_submitter"]) == (None, True)
    comment = api(mona).get(detail_url(insight["id"], "comments")).json()["results"][0]
    assert (comment["author"], comment["by_submitter"]) == (None, True)
    assert Comment.objects.get().author_id is None


# --- duplicates ----------------------------------------------------------------------------
def test_merging_a_duplicate_moves_endorsements_and_followers(
    api, submit, move, alice, bob, mona, tariq, ada
):
    # given an original by tariq, endorsed by bob
    original = submit(by=tariq, title="Original report")
    api(bob).post(detail_url(original["id"], "endorse"))
    # and alice's duplicate, endorsed by bob (again), ada and tariq (the original's author),
    # and followed by bob and ada
    duplicate = submit(by=alice, title="Same thing again")
    for person in (bob, ada, tariq):
        api(person).post(detail_url(duplicate["id"], "endorse"))
    for person in (bob, ada):
        api(person).post(detail_url(duplicate["id"], "follow"))

    # when mona marks it a duplicate of the original
    move(duplicate["id"], "duplicate", duplicate_of=original["id"])

    # then the endorsements moved (once per person, never the original's author's own)
    merged = api(mona).get(detail_url(original["id"])).json()
    assert merged["endorsement_count"] == 2
    assert sorted(
        Endorsement.objects.filter(insight_id=original["id"]).values_list(
            "user__username", flat=True
        )
    ) == ["ada", "bob"]
    assert not Endorsement.objects.filter(insight_id=duplicate["id"]).exists()
    # and the followers, with the duplicate's submitter, now follow the original
    assert sorted(
        Follow.objects.filter(insight_id=original["id"]).values_list("user__username", flat=True)
    ) == ["ada", "alice", "bob"]
    assert not Follow.objects.filter(insight_id=duplicate["id"]).exists()
    # and the original's history records the merge
    merge = _history(api(mona), original["id"])[-1]
    assert (merge["kind"], merge["actor"]["username"]) == ("merged", "mona")
    # and when the original moves on, everyone who cared hears of it
    Notification.objects.all().delete()
    move(original["id"], "accepted")
    assert sorted(
        Notification.objects.filter(kind="insight_status").values_list(
            "recipient__username", flat=True
        )
    ) == ["ada", "alice", "bob", "tariq"]


def test_a_duplicate_of_a_duplicate_is_refused(api, submit, move, mona):
    first = submit(title="First")
    second = submit(title="Second")
    third = submit(title="Third")
    move(second["id"], "duplicate", duplicate_of=first["id"])

    response = api(mona).post(
        detail_url(third["id"], "transition"),
        {"status": "duplicate", "duplicate_of": second["id"]},
        format="json",
    )

    assert response.status_code == 400
    assert "duplicate_of" in response.json()


def test_a_duplicate_of_an_insight_the_manager_cannot_see_is_refused(api, submit, move, mona, bob):
    # given a confidential insight at JED-01, which mona (RUH-01) cannot see
    hidden = submit(by=bob, title="Hidden", privacy="confidential")
    insight = submit()

    response = api(mona).post(
        detail_url(insight["id"], "transition"),
        {"status": "duplicate", "duplicate_of": hidden["id"]},
        format="json",
    )

    # then it is refused exactly like an insight that does not exist
    missing = api(mona).post(
        detail_url(insight["id"], "transition"),
        {"status": "duplicate", "duplicate_of": 999999},
        format="json",
    )
    assert response.status_code == missing.status_code == 400
    assert response.json() == missing.json()
    assert Insight.objects.get(pk=insight["id"]).status == "new"


# --- first response and overdue ------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "body", "responded"),
    [
        ("mona", {"body": "We are on it"}, True),
        ("mona", {"body": "Internal only", "is_internal": True}, False),
        ("ada", {"body": "Admin answer"}, True),
        ("bob", {"body": "Me too"}, False),
        ("omar", {"body": "Not my branch, but same here"}, False),
        ("alice", {"body": "More detail"}, False),
    ],
    ids=[
        "manager-public-comment",
        "manager-internal-comment",
        "admin-comment",
        "frontline-comment",
        "manager-out-of-scope-comment",
        "submitter-comment",
    ],
)
def test_first_response_is_set_by_a_public_answer_from_a_manager_in_scope(
    api, cast, submit, who, body, responded
):
    insight = submit()

    response = api(cast[who]).post(detail_url(insight["id"], "comments"), body, format="json")

    assert response.status_code == 201
    first_response = api(cast["mona"]).get(detail_url(insight["id"])).json()["first_response_at"]
    assert (first_response is not None) is responded


def test_first_response_is_set_by_the_first_transition_and_kept(api, submit, move, mona):
    insight = submit()

    first = move(insight["id"], "under_review")["first_response_at"]
    later = move(insight["id"], "accepted")["first_response_at"]

    assert first is not None
    assert later == first


def test_an_insight_is_overdue_past_the_first_response_target(api, submit, move, mona, settings):
    # given an insight, and the default 48-hour target
    insight = submit()
    assert settings.FIRST_RESPONSE_TARGET_HOURS == 48
    assert api(mona).get(detail_url(insight["id"])).json()["is_overdue"] is False

    # when it has waited 49 hours
    Insight.objects.filter(pk=insight["id"]).update(
        created_at=timezone.now() - datetime.timedelta(hours=49)
    )

    # then it is flagged, and found by the overdue filter
    assert api(mona).get(detail_url(insight["id"])).json()["is_overdue"] is True
    assert [i["id"] for i in api(mona).get(f"{INSIGHTS}?overdue=true").json()["results"]] == [
        insight["id"]
    ]
    # and a first response clears the flag
    move(insight["id"], "under_review")
    assert api(mona).get(detail_url(insight["id"])).json()["is_overdue"] is False
    assert api(mona).get(f"{INSIGHTS}?overdue=true").json()["results"] == []


def test_the_target_is_a_setting(api, submit, mona, settings):
    insight = submit()
    Insight.objects.filter(pk=insight["id"]).update(
        created_at=timezone.now() - datetime.timedelta(hours=3)
    )

    settings.FIRST_RESPONSE_TARGET_HOURS = 4
    assert api(mona).get(detail_url(insight["id"])).json()["is_overdue"] is False
    settings.FIRST_RESPONSE_TARGET_HOURS = 2
    assert api(mona).get(detail_url(insight["id"])).json()["is_overdue"] is True


def test_owners_are_reminded_of_overdue_insights_once_a_day(
    api, submit, mona, omar, django_capture_on_commit_callbacks, mailoutbox
):
    # given an insight at RUH-01 waiting for 3 days, and a fresh one
    late = submit(title="Waiting for ages")
    submit(title="Just arrived")
    Insight.objects.filter(pk=late["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )

    # when the reminder task runs twice
    with django_capture_on_commit_callbacks(execute=True):
        first = remind_overdue_insights_task()
        second = remind_overdue_insights_task()

    # then mona, who manages RUH-01, is reminded once, of the late one only; omar never
    assert (first, second) == (1, 0)
    [reminder] = Notification.objects.filter(kind="insight_overdue")
    assert reminder.recipient == mona
    assert reminder.context["insight_id"] == late["id"]
    assert [m.to for m in mailoutbox] == [["mona@example.test"]]


def test_the_reminder_repeats_the_next_day_while_still_overdue(submit, mona):
    from feedback.services import remind_overdue_insights

    late = submit()
    Insight.objects.filter(pk=late["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    now = timezone.now()

    assert remind_overdue_insights(now=now) == 1
    assert remind_overdue_insights(now=now + datetime.timedelta(hours=12)) == 0
    assert remind_overdue_insights(now=now + datetime.timedelta(hours=25)) == 1
    assert Notification.objects.filter(kind="insight_overdue", recipient=mona).count() == 2


def test_a_late_assigned_insight_reminds_its_assignee_not_the_other_managers(
    api, submit, mona, ada
):
    from feedback.services import remind_overdue_insights

    # given a late insight that mona assigned to ada, without answering the submitter
    late = submit()
    Insight.objects.filter(pk=late["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    assigned = api(mona).post(detail_url(late["id"], "triage"), {"assignee": "ada"}, format="json")
    assert assigned.status_code == 200
    assert assigned.json()["first_response_at"] is None

    # when the reminder runs
    reminded = remind_overdue_insights()

    # then the assignee, and only she, is reminded
    assert reminded == 1
    assert [n.recipient for n in Notification.objects.filter(kind="insight_overdue")] == [ada]


def test_answered_insights_are_not_reminded(submit, move):
    late = submit()
    Insight.objects.filter(pk=late["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    move(late["id"], "under_review")

    assert remind_overdue_insights_task() == 0
    assert not Notification.objects.filter(kind="insight_overdue").exists()


# --- bulk transition -----------------------------------------------------------------------
BULK = f"{INSIGHTS}bulk-transition/"


def test_bulk_transition_changes_them_all(api, submit, mona):
    ids = [submit(title=f"Report {n}")["id"] for n in range(3)]

    response = api(mona).post(
        BULK, {"ids": ids, "status": "under_review", "note": "Triaged"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"changed": 3}
    assert set(Insight.objects.values_list("status", flat=True)) == {"under_review"}
    assert InsightEvent.objects.filter(kind="status", note="Triaged").count() == 3


def test_bulk_transition_is_all_or_nothing(api, submit, move, mona):
    # given two new insights and one already implemented
    fresh = [submit(title=f"Fresh {n}")["id"] for n in range(2)]
    done = submit(title="Done")["id"]
    move(done, "accepted", "implemented")
    before = (
        list(Insight.objects.order_by("pk").values_list("status", "first_response_at")),
        InsightEvent.objects.count(),
        Notification.objects.count(),
    )

    # when mona accepts all three at once
    response = api(mona).post(BULK, {"ids": [*fresh, done], "status": "accepted"}, format="json")

    # then it is refused naming the one that cannot move, and none changed
    assert response.status_code == 400
    assert f"#{done}" in " ".join(response.json()["insights"])
    assert all(f"#{pk}" not in " ".join(response.json()["insights"]) for pk in fresh)
    after = (
        list(Insight.objects.order_by("pk").values_list("status", "first_response_at")),
        InsightEvent.objects.count(),
        Notification.objects.count(),
    )
    assert after == before


def test_bulk_transition_refuses_insights_outside_the_managers_scope(api, submit, mona, bob):
    mine = submit()["id"]
    elsewhere = submit(by=bob)["id"]

    response = api(mona).post(BULK, {"ids": [mine, elsewhere], "status": "accepted"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"ids": [f"Insight #{elsewhere} is not in your triage queue."]}
    assert set(Insight.objects.values_list("status", flat=True)) == {"new"}


def test_bulk_decline_needs_a_note(api, submit, mona):
    ids = [submit(title=f"Report {n}")["id"] for n in range(2)]

    response = api(mona).post(BULK, {"ids": ids, "status": "declined"}, format="json")

    assert response.status_code == 400
    assert set(Insight.objects.values_list("status", flat=True)) == {"new"}


def test_followers_of_a_duplicate_are_told_it_was_merged(api, submit, move, bob, tariq):
    # given alice's report, a duplicate of tariq's, followed by bob
    original = submit(by=tariq, title="Original report")
    duplicate = submit(title="Same thing again")
    api(bob).post(detail_url(duplicate["id"], "follow"))

    # when mona merges it
    move(duplicate["id"], "duplicate", duplicate_of=original["id"], note="See the original")

    # then its submitter and its follower hear of it
    told = Notification.objects.filter(kind="insight_status", context__to="duplicate")
    assert sorted(n.recipient.username for n in told) == ["alice", "bob"]
    assert {n.context["insight_id"] for n in told} == {duplicate["id"]}


@pytest.mark.parametrize(
    ("language", "subject", "status_words"),
    [
        ("en", "Insight #{id} was accepted", ("New", "Accepted")),
        ("ar", "قُبلت الملاحظة رقم {id}", ("جديدة", "مقبولة")),
    ],
)
def test_followers_are_told_in_their_own_language(
    api,
    submit,
    move,
    bob,
    language,
    subject,
    status_words,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    # given bob, who reads the portal in the given language, follows an insight
    from portal.services import user_update

    user_update(user=bob, language=language)
    insight = submit()
    api(bob).post(detail_url(insight["id"], "follow"))

    # when mona accepts it
    with django_capture_on_commit_callbacks(execute=True):
        move(insight["id"], "accepted")

    # then his e-mail is in his language
    [message] = [m for m in mailoutbox if m.to == ["bob@example.test"]]
    assert message.subject == subject.format(id=insight["id"])
    assert all(word in message.body for word in status_words)
    assert message.extra_headers["Content-Language"] == language


def test_merging_into_an_anonymous_original_by_the_same_submitter_notifies_once(
    api, submit, move, alice, bob
):
    # given alice's anonymous report, and her later named report of the same, followed by bob
    original = submit(title="Said it anonymously", privacy="anonymous")
    duplicate = submit(title="Said it again by name")
    api(bob).post(detail_url(duplicate["id"], "follow"))

    # when mona merges the named one into the anonymous one
    move(duplicate["id"], "duplicate", duplicate_of=original["id"])

    # then bob follows the original, but alice is not tied to it by name
    assert list(
        Follow.objects.filter(insight_id=original["id"]).values_list("user__username", flat=True)
    ) == ["bob"]
    # and when the original moves on, each of them hears of it once
    Notification.objects.all().delete()
    move(original["id"], "accepted")
    told = Notification.objects.filter(kind="insight_status")
    assert sorted((n.recipient.username if n.recipient else "stand-in") for n in told) == [
        "bob",
        "stand-in",
    ]
    assert told.get(recipient=None).recipient_token == author_token(alice)


@pytest.mark.parametrize(
    "change",
    [{"privacy": "named"}, {"location": "JED-01"}],
    ids=["privacy", "location"],
)
def test_privacy_and_location_stay_as_submitted(api, submit, alice, mona, change):
    # given alice's anonymous insight at RUH-01
    insight = submit(privacy="anonymous")

    # when she, or the manager, tries to change where or how privately it was posted
    for user in (alice, mona):
        api(user).patch(detail_url(insight["id"]), change, format="json")

    # then it is still anonymous, at RUH-01, with no author
    row = Insight.objects.get(pk=insight["id"])
    assert (row.privacy, row.location.code, row.author_id) == ("anonymous", "RUH-01", None)
