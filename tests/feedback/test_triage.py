"""The triage page: open insights by default, sortable columns from a fixed list of
keys, statuses as checkboxes, and an export with the page's rows in the page's order."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from feedback.models import Insight
from tests.feedback.conftest import detail_url
from tests.feedback.test_pages import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(submit, move, api, bob, tariq, ada):
    """At RUH-01 (mona's scope), oldest first: an overdue new insight, a new one still
    in time, one accepted (answered) with the most "me too", one implemented; and one
    at JED-01."""
    made = {
        "overdue": submit(title="Queue at the door", channel="branch"),
        "waiting": submit(title="Hold music too loud", channel="phone"),
        "accepted": submit(title="Card machine broken", channel="branch"),
        "done": submit(title="Lights fixed", channel="branch"),
        "elsewhere": submit(by=bob, title="Jeddah parking full", location="JED-01"),
    }
    ids = {name: insight["id"] for name, insight in made.items()}
    for offset, name in enumerate(made):
        # created a day apart, in this order; "overdue" past the first-response target
        Insight.objects.filter(pk=ids[name]).update(
            created_at=timezone.now() - datetime.timedelta(days=5 - offset, hours=1)
            if name == "overdue"
            else timezone.now() - datetime.timedelta(hours=10 - offset)
        )
    move(ids["accepted"], "accepted")
    move(ids["done"], "accepted", "implemented")
    for user in (bob, tariq):
        assert api(user).post(detail_url(ids["accepted"], "endorse")).status_code in (200, 201)
    assert api(bob).post(detail_url(ids["waiting"], "endorse")).status_code in (200, 201)
    return ids


def rows(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="ids" value="(\d+)"', html)]


def names(queue, order: list[int]) -> list[str]:
    by_id = {pk: name for name, pk in queue.items()}
    return [by_id[pk] for pk in order]


def test_triage_shows_open_insights_by_default(client, mona, queue):
    """Issue 6.16: a manager opening triage sees what still needs work."""
    html = signed_in(client, mona).get("/insights/triage/").text

    assert set(names(queue, rows(html))) == {"overdue", "waiting", "accepted"}
    # the open statuses are the ones ticked, the closed ones are offered
    for status in ("new", "under_review", "accepted", "in_progress"):
        assert re.search(
            rf'<input type="checkbox" name="status" value="{status}"[^>]*checked', html
        )
    for status in ("implemented", "declined", "duplicate"):
        assert not re.search(rf'name="status" value="{status}"[^>]*checked', html)


def test_ticking_no_status_shows_every_status(client, mona, queue):
    """Issue 6.16: the filter form sent with nothing ticked means every status."""
    html = signed_in(client, mona).get("/insights/triage/", {"filtered": "1"}).text

    assert set(names(queue, rows(html))) == {"overdue", "waiting", "accepted", "done"}


def test_the_status_filter_is_checkboxes_not_a_multiple_select(client, mona, queue):
    """Issue 6.16: statuses are chips to tick, never a multi-select box."""
    html = signed_in(client, mona).get("/insights/triage/").text

    assert html.count('type="checkbox" name="status"') == 7
    assert not re.search(r"<select[^>]*multiple", html)
    assert '<fieldset class="field status-filter">' in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["accepted", "waiting", "overdue"]),
        ("-created", ["accepted", "waiting", "overdue"]),
        ("created", ["overdue", "waiting", "accepted"]),
        ("status", ["waiting", "overdue", "accepted"]),
        ("-status", ["accepted", "waiting", "overdue"]),
        ("-endorsements", ["accepted", "waiting", "overdue"]),
        ("endorsements", ["overdue", "waiting", "accepted"]),
        ("overdue", ["overdue", "waiting", "accepted"]),
        ("-overdue", ["accepted", "waiting", "overdue"]),
    ],
)
def test_triage_sorts_by_its_columns(client, mona, queue, sort, expected):
    """Issue 6.16: created, status, endorsements and overdue sort, both ways."""
    html = signed_in(client, mona).get("/insights/triage/", {"sort": sort}).text

    assert names(queue, rows(html)) == expected


@pytest.mark.parametrize(
    "sort",
    ["bogus", "title", "-", "--created", "created_at", "__class__", "pk;drop", "endorsement_count"],
)
def test_an_unknown_sort_key_is_ignored(client, mona, queue, sort):
    """Issue 6.16: only the listed sort keys are used; anything else sorts as by default."""
    response = signed_in(client, mona).get("/insights/triage/", {"sort": sort})

    assert response.status_code == 200
    assert names(queue, rows(response.text)) == ["accepted", "waiting", "overdue"]


def test_column_headers_link_to_their_sort_and_say_which_is_current(client, mona, queue):
    """Issue 6.16: each sortable header links to its sort (reversed when current) and
    carries aria-sort; the filters are kept in the links."""
    html = signed_in(client, mona).get("/insights/triage/?channel=branch&sort=-endorsements").text

    assert (
        '<th scope="col" aria-sort="descending"><a href="?channel=branch&amp;sort=endorsements"'
        in html
    )
    assert '<th scope="col" aria-sort="none"><a href="?channel=branch&amp;sort=status"' in html
    assert 'href="?channel=branch&amp;sort=-created"' in html
    assert 'href="?channel=branch&amp;sort=overdue"' in html
    # and the filter form keeps the sort
    assert '<input type="hidden" name="sort" value="-endorsements">' in html


def export_ids(client, query: dict) -> list[int]:
    response = client.get("/insights/export.csv", query)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="insights-')
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return [int(row["ID"]) for row in csv.DictReader(io.StringIO(text))]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"filtered": "1"},
        {"status": ["new", "implemented"]},
        {"sort": "-endorsements"},
        {"sort": "overdue", "channel": "branch"},
        {"filtered": "1", "sort": "status"},
        {"sort": "bogus"},
        {"status": "bogus"},
        {"q": "card"},
        {"overdue": "true"},
    ],
    ids=str,
)
def test_the_triage_export_has_the_pages_rows_in_the_pages_order(client, mona, queue, query):
    """Issue 6.16: the triage page and its CSV export show the same rows for the same
    filters and sort."""
    page = rows(signed_in(client, mona).get("/insights/triage/", query).text)

    assert export_ids(client, query) == page


def test_the_triage_page_links_to_its_export(client, mona, queue):
    """Issue 6.16: the page's export link carries its filters and sort."""
    html = signed_in(client, mona).get("/insights/triage/?channel=phone&sort=status").text

    assert 'href="/insights/export.csv?channel=phone&amp;sort=status"' in html


@pytest.mark.parametrize("user", ["alice", "bob", "tariq"])
def test_the_triage_export_is_for_managers(client, cast, user):
    """Issue 6.16: the export is refused like the page."""
    response = signed_in(client, cast[user]).get("/insights/export.csv")

    assert response.status_code == 403


def test_the_filters_fold_behind_a_summary(client, mona, queue):
    """Issue 6.16: the filters sit in a <details> that app.js folds on phones."""
    html = signed_in(client, mona).get("/insights/triage/?channel=branch").text

    assert '<details class="card filters-fold" open data-fold-on-phone>' in html
    assert re.search(
        r"<summary>Filters <span class=\"badge muted\">1 active</span></summary>", html
    )
