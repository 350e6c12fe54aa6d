"""The analytics pages read a constant number of queries: the same with three times the
survey responses, four times the insights, endorsements and fixes, and more teams.
Each page is measured cold (the results cache emptied), after a first request has
warmed what the process keeps (content types and the like)."""

from datetime import timedelta

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import User
from tests.factories import TeamFactory, make_user
from tests.feedback.analytics.planted import endorse, implement, insight, plant, responses

pytestmark = pytest.mark.django_db

DASHBOARD_PARTS = ["trend", "consistency", "movers", "warnings", "endorsed", "fixes"]
PAGES = [
    ("mona", "/"),
    ("mona", "/analytics/"),
    ("ada", "/analytics/?period=month&channel=phone"),
    *(("mona", f"/analytics/dashboard/{part}/") for part in DASHBOARD_PARTS),
    ("ada", "/analytics/dashboard/endorsed/?period=month&channel=phone"),
    ("ada", "/analytics/dashboard/fixes/?period=month&channel=phone"),
    ("mona", "/analytics/dashboard/evidence/{fix}/"),
    ("mona", "/analytics/dashboard/impact/{fix}/"),
    ("mona", "/analytics/trends/?by=location"),
    ("ada", "/analytics/trends/?by=team&period=day"),
    ("mona", "/analytics/movers/?by=location"),
    ("mona", "/analytics/consistency/"),
    ("ada", "/analytics/training-vs-csat/"),
    ("mona", "/analytics/early-warnings/"),
    ("mona", "/insights/{fix}/"),
    ("alice", "/insights/{fix}/"),
]


def more_insights(count: int, *, author, manager, colleagues, start: int) -> None:
    """``count`` open insights, each endorsed, and as many fixes gone live."""
    fix_day = timezone.localdate() - timedelta(weeks=4)
    for i in range(start, start + count):
        open_one = insight(by=author, title=f"Open report {i}", day=fix_day)
        endorse(open_one, colleagues[: 1 + i % len(colleagues)])
        fixed = insight(by=author, title=f"Fixed report {i}", category="billing", day=fix_day)
        implement(fixed, by=manager, on=fix_day + timedelta(days=i % 7))


def more_teams(count: int, *, location, start: int) -> None:
    for i in range(start, start + count):
        team = TeamFactory(code=f"RUH-01-T{i}", location=location)
        for j in range(5):
            make_user(f"staff{i}x{j}", team=team)


def measure(client, user: User, url: str) -> tuple[int, list[str]]:
    # A dashboard section is asked for as the dashboard's script asks for it.
    headers = {"HX-Request": "true"} if "/dashboard/" in url else {}
    client.force_login(User.objects.get(pk=user.pk))
    assert client.get(url, headers=headers).status_code == 200  # warm the process
    cache.clear()
    client.force_login(User.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(queries), [q["sql"] for q in queries]


@pytest.mark.parametrize(("viewer", "url"), PAGES)
def test_an_analytics_page_reads_a_constant_number_of_queries(
    client, cast, org, places, viewer, url
):
    alice, mona = cast["alice"], cast["mona"]
    colleagues = [cast["bob"], cast["ada"], cast["tariq"], cast["omar"]]
    # Given the planted organisation, six endorsed insights and six fixes, one team more
    planted = plant(author=alice, manager=mona)
    more_insights(6, author=alice, manager=mona, colleagues=colleagues, start=0)
    more_teams(1, location=org.ruh01, start=0)
    url = url.format(fix=planted.fix.pk)
    few, few_sql = measure(client, cast[viewer], url)

    # When there are three times the responses, four times the insights, more teams
    responses(
        np.random.default_rng(99),
        first=planted.first_day,
        last=planted.last_day,
        fix_day=planted.fix.implemented_at,
        last_week=planted.last_week,
        scale=2,
    )
    more_insights(18, author=alice, manager=mona, colleagues=colleagues, start=6)
    more_teams(3, location=org.ruh01, start=1)
    many, many_sql = measure(client, cast[viewer], url)

    # Then the page reads the same queries. The dashboard reads the session, the user,
    # her roles and scope, the filters' locations and channels, the headline (one per
    # measure) and the header's unread count; each of its sections the same few more:
    # trend and consistency (codes and rollup); movers by channel, location, team and
    # category (two each); the early warnings (channels, rollup, insight counts, the
    # warned insights, categories); the most endorsed insights (two); the fixes (one);
    # at most 5 insights in each list. Beside each, loaded after the list: its evidence
    # (matches, comments, rollup) or its impact (rollup, fixed locations, their codes).
    assert many == few, "\n".join([*few_sql, f"--- {few} before, {many} after:", *many_sql])
