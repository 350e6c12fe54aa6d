"""The anonymity promise, end to end.

Zainab submits anonymously and her insights go through the whole workflow: edits,
endorsements, follows, public and internal comments, her own comments, assignment,
a merged duplicate, every status up to implemented, a decline, notifications and
e-mails. Then every API endpoint, page, admin page and export is fetched as every
role, and her username, display name and e-mail must appear nowhere, except in the
account menu and the greeting of her own pages, and in e-mails addressed to her.
She still finds the insights as hers.
"""

import datetime
import json
import re
from urllib.parse import quote

import pytest
from django.core import serializers
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from feedback.models import Comment, Endorsement, Follow, Insight, InsightEvent
from portal import services
from portal.anonymity import author_token
from portal.models import Notification
from portal.tasks import requeue_notification_emails
from tests.conftest import PASSWORD
from tests.feedback.conftest import INSIGHTS, detail_url, insight_payload

pytestmark = pytest.mark.django_db

USERNAME = "zqunique7"
DISPLAY_NAME = "Zainab Qurashi-Unique"
EMAIL = "zq-unique@example.test"
# Every way her identity could be written into a response: whole, in parts, encoded.
NEEDLES = [
    USERNAME,
    DISPLAY_NAME,
    "Zainab",
    "Qurashi",
    EMAIL,
    "zq-unique",
    quote(EMAIL),
    escape(DISPLAY_NAME),
    json.dumps(DISPLAY_NAME)[1:-1],
]
ROLES = ["zainab", "bob", "mona", "omar", "tariq", "ada"]

OPEN_TITLE = "Kiosk screen frozen since Sunday"
DONE_TITLE = "Lunchtime queue reaches the door"
DECLINED_TITLE = "Manager shouts at staff in front of customers"
DUPLICATE_TITLE = "Queue at lunch is far too long"


@pytest.fixture
def zainab(org):
    return services.user_create(
        username=USERNAME,
        display_name=DISPLAY_NAME,
        email=EMAIL,
        password=PASSWORD,
        team=org.team_ruh,
        send_welcome=False,
    )


@pytest.fixture
def people(zainab, bob, mona, omar, tariq, ada) -> dict:
    return {"zainab": zainab, "bob": bob, "mona": mona, "omar": omar, "tariq": tariq, "ada": ada}


def found_in(text: str) -> list[str]:
    """The needles present in ``text`` (case-insensitive)."""
    lowered = text.lower()
    return [needle for needle in NEEDLES if needle.lower() in lowered]


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


ACCOUNT_MENU = re.compile(r'<details class="account-menu">\s*<summary>(.*?)</summary>', re.S)


def without_own_chrome(text: str, path: str) -> str:
    """Zainab's page minus the two places that show the signed-in user their own name.

    Each is removed exactly where expected and exactly once, so a second
    occurrence anywhere else (a title, a timeline, a comment) still fails.
    """
    if 'class="account-menu"' not in text:
        return text
    menus = ACCOUNT_MENU.findall(text)
    assert menus == [escape(DISPLAY_NAME)], menus
    text = ACCOUNT_MENU.sub('<details class="account-menu"><summary></summary>', text)
    if path == "/":
        greeting = f"<h1>Welcome, {escape(DISPLAY_NAME)}</h1>"
        assert text.count(greeting) == 1
        text = text.replace(greeting, "<h1></h1>")
    return text


def run_the_workflow(api, people) -> dict[str, int]:
    """Everything that happens to zainab's anonymous insights; their ids by name."""
    zainab, bob, mona, tariq = people["zainab"], people["bob"], people["mona"], people["tariq"]

    def ok(response, code=200):
        assert response.status_code == code, response.content
        return response.json()

    def post(user, url, body=None):
        return api(user).post(url, body, format="json")

    submitted = ok(
        post(
            zainab,
            INSIGHTS,
            insight_payload(
                title="Lunchtime queue is long",
                pain_point="Between 12 and 2 the queue reaches the door; customers leave.",
                privacy="anonymous",
            ),
        ),
        201,
    )
    done = submitted["id"]
    assert (submitted["author"], submitted["is_mine"]) == (None, True)
    # she corrects the title while it is new
    ok(api(zainab).patch(detail_url(done), {"title": DONE_TITLE}, format="json"))
    # bob says "me too" and follows; tariq follows
    ok(post(bob, detail_url(done, "endorse")))
    ok(post(bob, detail_url(done, "follow")))
    ok(post(tariq, detail_url(done, "follow")))
    # mona answers publicly and notes something internally; zainab replies
    ok(post(mona, detail_url(done, "comments"), {"body": "Thanks, we are looking at rotas"}), 201)
    ok(
        post(
            mona,
            detail_url(done, "comments"),
            {"body": "Check who is on the early shift", "is_internal": True},
        ),
        201,
    )
    ok(post(zainab, detail_url(done, "comments"), {"body": "It happened again today"}), 201)
    # mona takes it on
    ok(post(mona, detail_url(done, "triage"), {"assignee": "mona", "owner_department": "CS"}))
    # bob reported the same thing by name; zainab endorsed it; mona merges it in
    duplicate = ok(
        post(bob, INSIGHTS, insight_payload(title=DUPLICATE_TITLE, location="RUH-01")), 201
    )
    ok(post(zainab, detail_url(duplicate["id"], "endorse")))
    ok(
        post(
            mona,
            detail_url(duplicate["id"], "transition"),
            {"status": "duplicate", "duplicate_of": done, "note": "Same as the lunchtime queue"},
        )
    )
    # the whole workflow, with notes
    for status in ["under_review", "accepted", "in_progress", "implemented"]:
        ok(post(mona, detail_url(done, "transition"), {"status": status, "note": f"Now {status}"}))

    # a confidential one, declined with a reason
    declined = ok(
        post(
            zainab,
            INSIGHTS,
            insight_payload(title=DECLINED_TITLE, privacy="anonymous_confidential"),
        ),
        201,
    )["id"]
    ok(post(mona, detail_url(declined, "comments"), {"body": "Can you tell us more?"}), 201)
    ok(post(zainab, detail_url(declined, "comments"), {"body": "Every Thursday evening"}), 201)
    ok(post(mona, detail_url(declined, "transition"), {"status": "declined", "note": "HR case"}))

    # and one still open, that others endorse
    still_open = ok(
        post(
            zainab,
            INSIGHTS,
            insight_payload(
                title=OPEN_TITLE,
                pain_point="The queue kiosk shows a frozen screen; customers cannot take a ticket.",
                channel="branch",
                category="digital_channels",
                privacy="anonymous",
            ),
        ),
        201,
    )["id"]
    ok(post(bob, detail_url(still_open, "endorse")))
    ok(post(tariq, detail_url(still_open, "endorse")))
    return {"done": done, "declined": declined, "open": still_open, "duplicate": duplicate["id"]}


def urls_to_fetch(ids: dict[str, int]) -> list[str]:
    urls = [
        # API
        INSIGHTS,
        f"{INSIGHTS}?mine=true",
        f"{INSIGHTS}?q=queue",
        f"{INSIGHTS}?status=implemented",
        f"{INSIGHTS}similar/?text={OPEN_TITLE}",
        f"{INSIGHTS}similar/?text={DONE_TITLE}",
        # pages
        "/",
        "/insights/",
        "/insights/?q=queue",
        "/insights/mine/",
        "/insights/triage/",
        "/insights/triage/?status=implemented",
        "/insights/export.csv",
        f"/insights/similar/?title={OPEN_TITLE}",
        "/notifications/",
        # admin
        "/admin/",
        "/admin/feedback/insight/",
        "/admin/feedback/insight/?q=queue",
        "/admin/feedback/insight/?privacy__exact=anonymous",
        "/admin/portal/notification/",
    ]
    for pk in ids.values():
        urls += [
            detail_url(pk),
            detail_url(pk, "history"),
            detail_url(pk, "comments"),
            f"/insights/{pk}/",
            f"/insights/{pk}/edit/",
            f"/admin/feedback/insight/{pk}/change/",
            f"/admin/feedback/insight/{pk}/history/",
        ]
    # every notification to her stand-in, and a few to the others
    to_her = Notification.objects.exclude(recipient_token="")
    to_others = Notification.objects.filter(recipient_token="")[:4]
    urls += [f"/admin/portal/notification/{n.pk}/change/" for n in [*to_her, *to_others]]
    return urls


# Where each role must actually see the insight, so the absence of her name means something.
MUST_SHOW = {
    "zainab": ["/api/v1/insights/", "/api/v1/insights/?mine=true", "/insights/mine/", "/"],
    "bob": ["/api/v1/insights/", "/insights/"],
    "mona": [
        "/insights/triage/?status=implemented",
        "/insights/export.csv",
        "/admin/feedback/insight/",
    ],
    "omar": ["/api/v1/insights/"],
    "tariq": ["/insights/"],
    "ada": ["/admin/feedback/insight/", "/insights/export.csv"],
}


def test_the_anonymous_author_appears_nowhere(
    api, people, zainab, django_capture_on_commit_callbacks, mailoutbox
):
    # given zainab's anonymous insights, driven through the whole workflow
    with django_capture_on_commit_callbacks(execute=True):
        ids = run_the_workflow(api, people)

    # when every role fetches every endpoint, page, admin page and export
    leaks = []
    fetched = 0
    for role in ROLES:
        client = Client()
        client.force_login(people[role])
        for url in urls_to_fetch(ids):
            response = client.get(url)
            assert response.status_code < 500, (role, url, response.status_code)
            text = body_of(response)
            if role == "zainab":
                text = without_own_chrome(text, url)
            if response.status_code == 200:
                fetched += 1
            if url in MUST_SHOW[role]:
                assert response.status_code == 200, (role, url)
                assert DONE_TITLE in text or OPEN_TITLE in text, (role, url)
            leaks += [(role, url, needle) for needle in found_in(text)]

    # then her name, username and e-mail are in none of them
    assert leaks == []
    assert fetched > 200  # most of them really answered with content

    # and no e-mail to anyone else names her
    to_others = [m for m in mailoutbox if m.to != [EMAIL]]
    assert [m for m in mailoutbox if m.to == [EMAIL]] == []
    assert {m.to[0] for m in to_others} >= {"bob@example.test", "tariq@example.test"}
    for message in to_others:
        parts = [message.subject, message.body, *(c for c, _t in message.alternatives)]
        assert found_in("\n".join(parts)) == [], message.to
    # and hers leave after the hour, saying only that there is news (issue 6.4)
    requeue_notification_emails(timezone.now() + datetime.timedelta(hours=1))
    to_her = [m for m in mailoutbox if m.to == [EMAIL]]
    assert len(to_her) >= 3
    for message in to_her:
        assert message.subject == "There is news about one of your reports"
        text = "\n".join([message.body, *(c for c, _t in message.alternatives)])
        assert not any(f"#{pk}" in text or f"/{pk}/" in text for pk in ids.values()), text
        assert DONE_TITLE not in text and OPEN_TITLE not in text


def test_the_database_keeps_no_reference_to_the_anonymous_author(
    api, people, zainab, django_capture_on_commit_callbacks
):
    # given the same workflow
    with django_capture_on_commit_callbacks(execute=True):
        ids = run_the_workflow(api, people)
    hers = [ids["done"], ids["declined"], ids["open"]]

    # then her insights hold only the keyed stand-in, never her
    for insight in Insight.objects.filter(pk__in=hers):
        assert insight.author_id is None
        assert insight.author_token == author_token(zainab)
    # and no history entry, comment, notification, endorsement or follow points at her
    assert not InsightEvent.objects.filter(actor=zainab).exists()
    assert not Comment.objects.filter(author=zainab).exists()
    assert not Notification.objects.filter(recipient=zainab).exists()
    assert not Follow.objects.filter(user=zainab).exists()
    assert not Endorsement.objects.filter(user=zainab, insight_id__in=hers).exists()
    # yet her part is recorded as the submitter's
    assert InsightEvent.objects.filter(insight_id__in=hers, by_submitter=True).count() == 4
    assert Comment.objects.filter(insight_id__in=hers, by_submitter=True).count() == 2
    assert Notification.objects.filter(recipient_token=author_token(zainab)).count() == 7
    # and nothing in any of those rows spells her name or her id as a person
    dumped = serializers.serialize(
        "json",
        [
            *Insight.objects.all(),
            *InsightEvent.objects.all(),
            *Comment.objects.all(),
            *Notification.objects.all(),
            *Endorsement.objects.all(),
            *Follow.objects.all(),
        ],
    )
    assert found_in(dumped) == []
    for record in json.loads(dumped):
        for field in ("author", "actor", "recipient", "user", "assignee"):
            assert record["fields"].get(field) != zainab.pk, record


def test_the_anonymous_author_still_sees_them_as_theirs(
    api, client, people, zainab, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ids = run_the_workflow(api, people)
    hers = {ids["done"], ids["declined"], ids["open"]}

    # when she lists her insights
    mine = api(zainab).get(f"{INSIGHTS}?mine=true").json()["results"]

    # then all three are there, marked hers, with no author
    assert {i["id"] for i in mine} == hers
    assert all(i["is_mine"] and i["author"] is None for i in mine)
    # and bob, who sees two of them, never sees them as his
    seen_by_bob = api(bob).get(INSIGHTS).json()["results"]
    assert {i["id"] for i in seen_by_bob} >= {ids["done"], ids["open"]}
    assert ids["declined"] not in {i["id"] for i in seen_by_bob}
    assert not any(i["is_mine"] for i in seen_by_bob if i["id"] in hers)
    # and her page of insights lists them, bob's does not
    client.force_login(zainab)
    page = client.get("/insights/mine/").text
    assert all(title in page for title in (DONE_TITLE, DECLINED_TITLE, OPEN_TITLE))
    detail = client.get(f"/insights/{ids['open']}/").text
    assert "You reported this" in detail
    client.force_login(bob)
    page = client.get("/insights/mine/").text
    assert not any(title in page for title in (DONE_TITLE, DECLINED_TITLE, OPEN_TITLE))
    assert "You reported this" not in client.get(f"/insights/{ids['open']}/").text
    # and her notifications page tells her how each ended
    client.force_login(zainab)
    notifications = client.get("/notifications/").text
    assert f"Insight #{ids['done']}: the fix is live" in notifications
    assert f"Insight #{ids['declined']} was declined" in notifications


def test_the_leak_check_finds_her_where_she_is_meant_to_be(api, client, zainab, ada, people):
    # The check above only means something if it would find her: the people admin
    # and the users API show her by design.
    client.force_login(ada)
    users_page = body_of(client.get("/admin/portal/user/"))
    users_api = body_of(client.get("/api/v1/users/"))
    own_home = body_of(Client().get("/"))  # signed out: redirected, nothing of hers

    assert set(found_in(users_page)) >= {USERNAME, DISPLAY_NAME, EMAIL}
    assert set(found_in(users_api)) >= {USERNAME, DISPLAY_NAME, EMAIL}
    assert found_in(own_home) == []
    # and her own chrome is recognised, but a second mention would not be stripped
    mine = Client()
    mine.force_login(zainab)
    home = without_own_chrome(body_of(mine.get("/")), "/")
    assert found_in(home) == []
    doubled = body_of(mine.get("/insights/")).replace("</main>", f"<p>{DISPLAY_NAME}</p></main>")
    assert found_in(without_own_chrome(doubled, "/insights/")) != []


def test_a_manager_reporting_anonymously_where_she_manages_stays_anonymous(api, mona, bob, ada):
    # given mona reports anonymously at RUH-01, which she manages
    insight = api(mona).post(
        INSIGHTS, insight_payload(title="Rota unfair", privacy="anonymous"), format="json"
    )
    assert insight.status_code == 201
    pk = insight.json()["id"]

    # when she edits and comments on it as its author
    edited = api(mona).patch(detail_url(pk), {"title": "Rota is unfair"}, format="json")
    commented = api(mona).post(detail_url(pk, "comments"), {"body": "Still so"}, format="json")

    # then others see the submitter's edit and comment, never her
    assert (edited.status_code, commented.status_code) == (200, 201)
    for reader in (bob, ada):
        history = api(reader).get(detail_url(pk, "history")).json()
        assert [(e["kind"], e["actor"], e["by_submitter"]) for e in history] == [
            ("submitted", None, True),
            ("edited", None, True),
        ]
        [comment] = api(reader).get(detail_url(pk, "comments")).json()["results"]
        assert (comment["author"], comment["by_submitter"]) == (None, True)
    assert not InsightEvent.objects.filter(actor=mona).exists()
    assert not Comment.objects.filter(author=mona).exists()
    # and answering herself is no first response
    assert api(ada).get(detail_url(pk)).json()["first_response_at"] is None

    # when she then assigns it, as a manager
    api(mona).post(detail_url(pk, "triage"), {"owner_department": "CS"}, format="json")

    # then that, and only that, is her manager's action
    history = api(bob).get(detail_url(pk, "history")).json()
    assert [(e["kind"], (e["actor"] or {}).get("username")) for e in history] == [
        ("submitted", None),
        ("edited", None),
        ("assigned", "mona"),
    ]
    # (triage is no answer to the submitter, so the first response is still due)
    assert api(ada).get(detail_url(pk)).json()["first_response_at"] is None
