"""Pages and lists read at a constant number of queries: the same for 10 insights
as for 200, and for a conversation of 2 rounds as for 22 (no query per row)."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import Category, Comment, Endorsement, Insight, Privacy, Status
from feedback.text import insight_match_text, insight_search_text
from portal.anonymity import author_token
from portal.models import Channel, Department, User
from training.models import Standard

pytestmark = pytest.mark.django_db


def add_insights(n: int, *, org, people, start: int = 0) -> None:
    """``n`` insights across statuses, privacy modes, channels, categories and both
    locations, with assignees, departments, endorsements and comments."""
    channels = list(Channel.objects.all())
    categories = list(Category.objects.all())
    statuses = itertools.cycle(Status.values)
    privacies = itertools.cycle(Privacy.values)
    authors = itertools.cycle([people["alice"], people["bob"]])
    original = Insight.objects.order_by("pk").first()
    standard, _ = Standard.objects.get_or_create(
        code="STD-TEST",
        defaults={"title_en": "Answer within a minute", "title_ar": "الرد خلال دقيقة"},
    )
    rows = []
    for i in range(start, start + n):
        author = next(authors)
        privacy = next(privacies)
        anonymous = privacy in (Privacy.ANONYMOUS, Privacy.ANONYMOUS_CONFIDENTIAL)
        status = next(statuses)
        if original is None:
            status = Status.NEW
        title = f"Report {i}: queue at the counter"
        pain_point = f"Customers wait {i} minutes."
        rows.append(
            Insight(
                title=title,
                pain_point=pain_point,
                channel=channels[i % len(channels)],
                category=categories[i % len(categories)],
                location=author.team.location,
                team=author.team,
                privacy=privacy,
                author=None if anonymous else author,
                author_token=author_token(author) if anonymous else "",
                status=status,
                # duplicates need an original: the first insight stands in for it
                duplicate_of=original if status == Status.DUPLICATE else None,
                # Every row names each lookup (department, standard): a page's lookups
                # are read once each, so both sizes then read all of them.
                owner_department=Department.objects.first(),
                standard=standard,
                assignee=people["mona"] if i % 4 == 0 else None,
                search_text=insight_search_text(title, pain_point),
                match_text=insight_match_text(title, pain_point),
            )
        )
    if original is None:
        # The first one is saved alone, as the original that duplicates point at.
        first = rows.pop(0)
        first.save()
        original = first
        for row in rows:
            if row.status == Status.DUPLICATE:
                row.duplicate_of = original
    created = Insight.objects.bulk_create(rows)
    Endorsement.objects.bulk_create(
        Endorsement(insight=insight, user=people[name])
        for insight in created[::3]
        for name in ("mona", "tariq", "ada")
    )
    Comment.objects.bulk_create(
        Comment(insight=insight, author=people["mona"], body="Looking", is_internal=internal)
        for insight in created[::4]
        for internal in (False, True)
    )


@pytest.fixture
def people(cast):
    return cast


def _fresh(user: User) -> User:
    # A new instance each time, as a request has: no roles or scope cached from before.
    return User.objects.get(pk=user.pk)


def _api_list_queries(api, user) -> tuple[int, int, list[str]]:
    client = api(_fresh(user))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/insights/")
    assert response.status_code == 200
    return len(queries), len(response.json()["results"]), [q["sql"] for q in queries]


@pytest.mark.parametrize("viewer", ["alice", "mona", "ada"])
def test_the_insight_list_api_reads_at_a_constant_number_of_queries(api, org, people, viewer):
    # given 10 insights
    add_insights(10, org=org, people=people)
    few, few_rows, few_sql = _api_list_queries(api, people[viewer])

    # when there are 200
    add_insights(190, org=org, people=people, start=10)
    many, many_rows, many_sql = _api_list_queries(api, people[viewer])

    # then the list reads the same queries (a full page of 50 rows at 200):
    #   1. the viewer's roles
    #   2. (managers) the viewer's managed locations, i.e. the scope
    #   3. the count of visible insights
    #   4. the page, with author and assignee joined in, and the endorsement and
    #      public-comment counts and the viewer's endorse/follow flags as subqueries
    # 5-10. the page's channels, categories, locations, teams, standards and owner
    #      departments, one short query each (joining them made the page's query
    #      slow to plan)
    expected = {"alice": 9, "mona": 10, "ada": 9}[viewer]
    assert many_rows == 50 and few_rows < 50
    assert (few, many) == (expected, expected), "\n".join([*few_sql, "--- at 200:", *many_sql])


def _triage_queries(client, user) -> tuple[int, str, list[str]]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/insights/triage/")
    assert response.status_code == 200
    return len(queries), response.content.decode(), [q["sql"] for q in queries]


@pytest.mark.parametrize("viewer", ["mona", "ada"])
def test_the_triage_page_reads_at_a_constant_number_of_queries(client, org, people, viewer):
    # given 10 insights
    add_insights(10, org=org, people=people)
    few, few_html, few_sql = _triage_queries(client, people[viewer])

    # when there are 200
    add_insights(190, org=org, people=people, start=10)
    many, many_html, many_sql = _triage_queries(client, people[viewer])

    # then the page reads the same queries (a full page of 50 rows at 200):
    #    1. the session
    #    2. the user
    #    3. the user's roles
    #    4. (managers) the managed locations, i.e. the scope
    #    5. the count of insights in the queue (the paginator)
    #    6. the count of overdue ones (the badge)
    #    7. the header's unread-notification count
    #  8-12. the filter form's choices: channels, categories, locations, teams,
    #        owner departments
    #   13. the page of insights, with its people joined and its counts annotated
    # 14-19. the page's channels, categories, locations, teams, standards and owner
    #        departments
    assert many_html.count('name="ids"') == 50
    assert few_html.count('name="ids"') < 50
    expected = {"mona": 19, "ada": 18}[viewer]
    assert (few, many) == (expected, expected), "\n".join([*few_sql, "--- at 200:", *many_sql])


def grow_one_insight(insight: Insight, people, n: int) -> None:
    """``n`` more rounds of conversation on one insight, through the services:
    public and internal comments, the submitter's replies, endorsements, and the
    notifications they send to the submitter."""
    from feedback import services

    managers = [people["mona"], people["ada"]]
    for i in range(n):
        manager = managers[i % 2]
        services.comment_add(insight=insight, by=manager, body=f"Update {i}")
        services.comment_add(insight=insight, by=manager, body=f"Note {i}", is_internal=True)
        services.comment_add(insight=insight, by=people["alice"], body=f"Reply {i}")
    for name in ("bob", "tariq", "omar", "ada")[: max(1, n // 5)]:
        services.insight_endorse(insight=insight, user=people[name])


def _page_queries(client, user, url: str) -> tuple[int, list[str]]:
    client.force_login(_fresh(user))
    client.get(url)  # warm process-wide caches (content types, permissions) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), [q["sql"] for q in queries]


FOCUS = "{focus}"
PAGES = [
    ("alice", "/"),
    ("alice", "/insights/mine/"),
    ("alice", "/insights/"),
    ("alice", "/notifications/"),
    ("alice", f"/insights/{FOCUS}/"),
    ("alice", f"/api/v1/insights/{FOCUS}/"),
    ("alice", f"/api/v1/insights/{FOCUS}/comments/"),
    ("alice", f"/api/v1/insights/{FOCUS}/history/"),
    ("mona", "/"),
    ("mona", "/insights/"),
    ("mona", f"/insights/{FOCUS}/"),
    ("mona", f"/api/v1/insights/{FOCUS}/comments/"),
    ("mona", "/insights/export.csv"),
    ("mona", "/admin/feedback/insight/"),
    ("mona", f"/admin/feedback/insight/{FOCUS}/change/"),
    ("ada", "/insights/export.csv"),
    ("ada", "/admin/feedback/insight/"),
]


@pytest.mark.parametrize(("viewer", "url"), PAGES)
def test_pages_and_lists_read_at_a_constant_number_of_queries(
    client, submit, move, org, people, viewer, url
):
    # given alice's named insight, moving, among 10 others
    focus = Insight.objects.get(pk=submit(title="Counter queue")["id"])
    move(focus.pk, "under_review", "accepted")
    add_insights(10, org=org, people=people)
    grow_one_insight(focus, people, 2)
    url = url.replace(FOCUS, str(focus.pk))
    few, few_sql = _page_queries(client, people[viewer], url)

    # when there are 200 insights, and the focus one has ten times the conversation
    add_insights(190, org=org, people=people, start=10)
    grow_one_insight(focus, people, 20)
    many, many_sql = _page_queries(client, people[viewer], url)

    # then the page or list reads no more queries than before
    assert many == few, "\n".join([*few_sql, f"--- {few} at 10, {many} at 200:", *many_sql])


SEARCHES = [
    # the list filtered by text: as the list, its page found through the trigram index
    ("alice", "/api/v1/insights/?q=queue"),
    ("mona", "/api/v1/insights/?q=queue&status=new"),
    # similar insights, the API and the report form's panel
    ("alice", "/api/v1/insights/similar/?text=queue+at+the+counter"),
    ("mona", "/insights/similar/?title=queue+at+the+counter"),
    # triage searched
    ("mona", "/insights/triage/?q=queue"),
]


@pytest.mark.parametrize(("viewer", "url"), SEARCHES)
def test_searches_read_at_a_constant_number_of_queries(client, org, people, viewer, url):
    """Issue 7: the list, triage and search at two sizes."""
    # given 10 insights that all match
    add_insights(10, org=org, people=people)
    few, few_sql = _page_queries(client, people[viewer], url)
    found_few = _found(client, url)

    # when there are 200
    add_insights(190, org=org, people=people, start=10)
    many, many_sql = _page_queries(client, people[viewer], url)

    # then the search finds as many or more (similar shows five at most), and reads no
    # more queries than before
    assert 0 < found_few <= _found(client, url)
    assert many == few, "\n".join([*few_sql, f"--- {few} at 10, {many} at 200:", *many_sql])


def _found(client, url: str) -> int:
    """How many insights the search shows (on its page, or as its panel's lines)."""
    response = client.get(url)
    if url.startswith("/api/"):
        body = response.json()
        return body["count"] if isinstance(body, dict) else len(body)
    html = response.content.decode()
    return html.count('name="ids"') or html.count('class="similar-item"')


@pytest.mark.parametrize(
    ("viewer", "url"),
    [
        ("alice", "/api/v1/insights/"),
        ("mona", "/api/v1/insights/?q=queue"),
        ("mona", "/insights/"),
        ("mona", "/insights/triage/"),
        ("ada", "/insights/triage/?q=queue&sort=endorsements"),
    ],
)
def test_a_page_of_insights_joins_only_its_people(client, org, people, viewer, url):
    """Issue 7.4: joining eight tables made the page's query slow to plan (18-32 ms at
    100,000 insights); it joins the author and the assignee only, and reads the small
    lookups (channel, category, location, ...) apart, one short query each."""
    add_insights(10, org=org, people=people)
    _count, sql = _page_queries(client, people[viewer], url)

    pages = [q for q in sql if 'FROM "feedback_insight"' in q and "LIMIT" in q]
    assert pages
    for page in pages:
        joined = re.findall(r'JOIN "(\w+)"', page)
        assert len(joined) <= 2 and set(joined) <= {"portal_user"}, (joined, page)
