"""What the demo's manager sees: every planted truth of ``portal.demo_truths`` found by
the analytics API (called after ``seed_demo``, on the same data as the test of the raw
responses, so the demo is seeded once)."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from feedback.models import Insight, Status
from portal import demo_truths as truths
from portal.models import User

ANALYTICS = "/api/v1/analytics/"


def assert_the_analytics_find_the_planted_truths() -> None:
    client = APIClient()
    client.force_authenticate(User.objects.get(username="manager"))
    today = timezone.localdate()

    # 1. Phone lags: the lagging channel of most recent months.
    months = client.get(
        f"{ANALYTICS}consistency/",
        {"period": "month", "from": today - datetime.timedelta(days=365)},
    ).json()["periods"]
    laggards = [period["lagging"] for period in months if period["lagging"]]
    assert laggards.count("phone") > len(laggards) / 2, laggards

    # 2. Every implemented demo fix shows "improved".
    fixes = Insight.objects.filter(status=Status.IMPLEMENTED)
    assert fixes.count() >= 5
    for insight in fixes:
        body = client.get(f"{ANALYTICS}insights/{insight.pk}/impact/").json()
        assert body["verdict"] == "improved", (insight.pk, body)

    # 3. The drop raises an early warning on its channel and category, in its weeks.
    drop_start = today - datetime.timedelta(weeks=truths.DROP_STARTS_WEEKS_AGO)
    warnings = client.get(
        f"{ANALYTICS}early-warnings/",
        {"from": drop_start - datetime.timedelta(weeks=2), "to": today},
    ).json()["warnings"]
    found = [
        w for w in warnings
        if (w["channel"], w["category"]) == (truths.DROP_CHANNEL, truths.DROP_CATEGORY)
    ]  # fmt: skip
    assert found, warnings
    drop_end = drop_start + datetime.timedelta(weeks=truths.DROP_WEEKS)
    for warning in found:
        week = datetime.date.fromisoformat(warning["week"])
        assert drop_start - datetime.timedelta(days=6) <= week < drop_end, warning

    # 4. Training pays: a clearly positive rank correlation across teams.
    body = client.get(f"{ANALYTICS}training-vs-csat/").json()
    assert body["n"] >= 10, body
    assert body["rho"] > 0.3 and body["p_value"] < 0.05, body
