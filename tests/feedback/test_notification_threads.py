"""The notifications page groups the news of one insight: one entry, its latest news
on top with a count, the earlier news folded under it; reading the entry reads all."""

import re

import pytest

from portal.models import Notification
from portal.selectors import notifications_for
from portal.services import notify
from tests.feedback.conftest import detail_url
from tests.feedback.test_pages import signed_in

pytestmark = pytest.mark.django_db


def entries(html: str) -> list[str]:
    """The entries of the notifications page, each with what is folded under it."""
    listing = html.split('<ul class="notification-list">', 1)[1].split("</ul>\n", 1)[0]
    return listing.split('<li class="card notification')[1:]


@pytest.fixture
def news(submit, move, api, alice, mona):
    """Alice's insight moves twice and gets a comment; another of hers moves once; and
    she has a welcome."""
    notify(recipient=alice, kind="welcome", context={"username": "alice"})
    busy = submit(title="Queue at the door")
    quiet = submit(title="Printer jams")
    move(busy["id"], "under_review")
    move(quiet["id"], "under_review")
    move(busy["id"], "accepted")
    response = api(mona).post(detail_url(busy["id"], "comments"), {"body": "On it."}, format="json")
    assert response.status_code == 201
    return {"busy": busy["id"], "quiet": quiet["id"]}


def test_the_news_of_one_insight_is_one_entry_with_its_latest_on_top(client, alice, news):
    """Issue 6.19: notifications of one insight are grouped, the latest first, counted."""
    assert notifications_for(alice).count() == 5

    html = signed_in(client, alice).get("/notifications/").text

    found = entries(html)
    assert len(found) == 3  # the busy insight, the quiet one, the welcome
    busy, quiet, welcome = found
    assert f"New comment on insight #{news['busy']}" in busy
    assert "3 updates" in busy and "3 unread" in busy
    assert "<summary>2 earlier updates</summary>" in busy
    assert busy.index("New comment") < busy.index("was accepted") < busy.index("under review")
    assert f"Insight #{news['quiet']} is under review" in quiet and "update" not in quiet
    assert "Welcome to Frontline Voice" in welcome and "<details" not in welcome
    # the header counts entries with unread news, as the page highlights them
    assert re.search(r'aria-label="3 unread">3<', html)


def test_opening_an_entry_reads_all_the_news_of_its_insight(client, alice, news):
    """Issue 6.19: opening the latest news of an insight marks its earlier news read."""
    latest = notifications_for(alice).filter(url=f"/insights/{news['busy']}/").first()

    response = signed_in(client, alice).get(f"/notifications/{latest.pk}/")

    assert response["Location"] == f"/insights/{news['busy']}/"
    unread = notifications_for(alice).unread()
    assert not unread.filter(url=f"/insights/{news['busy']}/").exists()
    assert unread.count() == 2  # the quiet insight and the welcome


def test_marking_an_entry_read_reads_its_whole_thread_only(client, alice, bob, news):
    """Issue 6.19: "Mark as read" on an entry marks its thread, nothing else, and
    nobody else's."""
    thread = f"/insights/{news['busy']}/"
    notify(recipient=bob, kind="welcome", context={"username": "bob"}, url=thread)

    response = signed_in(client, alice).post("/notifications/read/", {"thread": thread})

    assert response.status_code == 302
    assert not notifications_for(alice).unread().filter(url=thread).exists()
    assert notifications_for(alice).unread().count() == 2
    assert Notification.objects.get(recipient=bob).read_at is None
    # and a thread that is not hers changes nothing
    client.post("/notifications/read/", {"thread": "#999999"})
    assert notifications_for(alice).unread().count() == 2


def test_a_thread_shows_its_newest_news_and_counts_all(client, alice, settings):
    """Issue 6.19: a long thread folds its older news, showing only the newest ones."""
    for i in range(25):
        notify(recipient=alice, kind="message", context={"title": f"News {i}"}, url="/x/")

    html = signed_in(client, alice).get("/notifications/").text

    [entry] = entries(html)
    assert "25 updates" in entry
    assert "News 24" in entry and "News 5" in entry and "News 4" not in entry
    assert "Open it to see the whole story" in entry
