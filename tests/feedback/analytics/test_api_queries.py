"""Every analytics endpoint reads the same number of queries whatever the data: counted
with few responses and insights, then with many more (and more locations and teams)."""

from datetime import timedelta

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.models import Insight
from tests.factories import LocationFactory, TeamFactory
from tests.feedback.analytics.conftest import ANALYTICS, generate, load
from tests.feedback.conftest import INSIGHTS, insight_payload

pytestmark = pytest.mark.django_db

PATHS = [
    "trends/?by=channel",
    "trends/?by=location",
    "trends/?by=team",
    "trends/?by=category&period=month",
    "trends/?by=none&metric=nps",
    "movers/?by=location",
    "consistency/",
    "training-vs-csat/",
    "early-warnings/",
    "insights/{insight}/evidence/",
    "insights/{insight}/impact/",
]


def _grow(org, rng, size: int, alice, api, mona) -> int:
    """``size`` locations' worth of responses, teams and insights; the implemented
    insight's id."""
    today = timezone.localdate()
    cells = []
    for i in range(size):
        location = LocationFactory(code=f"Q-{size}-{i}", region=org.ruh)
        team = TeamFactory(code=f"Q-{size}-{i}-T", location=location)
        for channel in ("branch", "phone"):
            cells.append(
                {"channel": channel, "location": location.code, "team": team.code,
                 "category": "billing", "rate": size, "satisfied": 0.8}
            )  # fmt: skip
    load(
        generate(
            rng,
            metric="csat",
            from_day=today - timedelta(days=120),
            to_day=today - timedelta(days=1),
            cells=cells,
        ),
        source=f"q{size}",
    )
    ids = [
        api(alice)
        .post(INSIGHTS, insight_payload(title=f"Queue {size} {i}"), format="json")
        .json()["id"]
        for i in range(size)
    ]
    Insight.objects.filter(pk__in=ids).update(created_at=timezone.now() - timedelta(days=200))
    body = {"note": ""}
    for status in ("under_review", "accepted", "in_progress"):
        api(mona).post(f"{INSIGHTS}{ids[0]}/transition/", body | {"status": status}, format="json")
    live = (today - timedelta(days=30)).isoformat()
    api(mona).post(
        f"{INSIGHTS}{ids[0]}/transition/",
        body | {"status": "implemented", "implemented_at": live},
        format="json",
    )
    return ids[0]


def _count(api, user, path: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        answer = api(user).get(f"{ANALYTICS}{path}")
    assert answer.status_code == 200, (path, answer.content)
    return len(captured)


@pytest.mark.parametrize("path", PATHS)
def test_each_endpoint_reads_a_constant_number_of_queries(api, org, alice, mona, ada, path):
    rng = np.random.default_rng(1)
    insight = _grow(org, rng, 1, alice, api, mona)
    small = {who: _count(api, user, path.format(insight=insight)) for who, user in
             (("mona", mona), ("ada", ada))}  # fmt: skip

    _grow(org, rng, 6, alice, api, mona)
    large = {who: _count(api, user, path.format(insight=insight)) for who, user in
             (("mona", mona), ("ada", ada))}  # fmt: skip

    assert small == large
