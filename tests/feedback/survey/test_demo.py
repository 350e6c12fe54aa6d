"""The demo's survey data carries every planted truth of portal.demo_truths, checked
from the raw responses with statsmodels and scipy (not with the product's own
metric module or rollups)."""

import datetime
import random
from collections import defaultdict
from io import StringIO
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from scipy.stats import spearmanr
from statsmodels.stats.proportion import proportions_ztest

from feedback.models import Insight, Status, SurveyResponse
from feedback.survey import demo
from portal import demo_truths as truths
from tests.feedback.analytics.demo_truths import assert_the_analytics_find_the_planted_truths
from tests.feedback.survey.conftest import assert_rollup_is_a_recount

pytestmark = pytest.mark.django_db

WEEKS = 8


class Cells:
    """CSAT responses by (channel, location, day in TIME_ZONE): satisfied and all."""

    def __init__(self):
        zone = ZoneInfo(settings.TIME_ZONE)
        self.rows = defaultdict(lambda: [0, 0])
        for channel, location, at, score in SurveyResponse.objects.filter(
            metric="csat"
        ).values_list("channel__code", "location__code", "responded_at", "score"):
            cell = self.rows[(channel, location, at.astimezone(zone).date())]
            cell[0] += score >= 4
            cell[1] += 1

    def count(self, channel=None, locations=None, start=None, end=None) -> tuple[int, int]:
        satisfied = total = 0
        for (c, loc, day), (yes, n) in self.rows.items():
            if channel and c != channel:
                continue
            if locations is not None and loc not in locations:
                continue
            if (start and day < start) or (end and day >= end):
                continue
            satisfied += yes
            total += n
        return satisfied, total


def share(counts: tuple[int, int]) -> float:
    return counts[0] / counts[1]


def did(treated_before, treated_after, control_before, control_after) -> tuple[float, float]:
    """Difference-in-differences of four cells and its Wald standard error."""
    cells = (treated_after, treated_before, control_after, control_before)
    p = [share(c) for c in cells]
    se = np.sqrt(sum(pi * (1 - pi) / c[1] for pi, c in zip(p, cells, strict=True)))
    return (p[0] - p[1]) - (p[2] - p[3]), se


def test_the_demo_carries_every_planted_truth():
    call_command("seed_demo", "--password", "demo-test-passphrase-7", stdout=StringIO())
    cells = Cells()
    today = timezone.localdate()
    assert SurveyResponse.objects.filter(source="demo").count() > 50_000
    assert_rollup_is_a_recount()

    # 1. Channels differ: phone lags every other channel.
    by_channel = {c: share(cells.count(channel=c)) for c in {key[0] for key in cells.rows}}
    phone = by_channel.pop("phone")
    assert phone < min(by_channel.values())
    assert np.mean(list(by_channel.values())) - phone > 0.05

    # 2. Fixes work: each implemented insight lifts its channel at its location, against
    #    the other locations of that channel (which had no fix of their own meanwhile).
    fixes = Insight.objects.filter(status=Status.IMPLEMENTED).select_related("channel", "location")
    assert fixes.count() >= 5
    for insight in fixes:
        channel, location, on = insight.channel.code, insight.location.code, insight.implemented_at
        before, after = on - datetime.timedelta(weeks=WEEKS), on + datetime.timedelta(weeks=WEEKS)
        assert after <= today
        here = {location}
        others = {loc for (c, loc, _d) in cells.rows if c == channel} - here
        tb, ta = cells.count(channel, here, before, on), cells.count(channel, here, on, after)
        assert tb[1] >= 300 and ta[1] >= 300, (insight, tb, ta)
        _z, p_value = proportions_ztest([ta[0], tb[0]], [ta[1], tb[1]], alternative="larger")
        assert p_value < 0.001, (insight, tb, ta)
        assert share(ta) - share(tb) > 0.05
        if not others:
            continue
        cb, ca = cells.count(channel, others, before, on), cells.count(channel, others, on, after)
        estimate, se = did(tb, ta, cb, ca)
        assert estimate - 1.959964 * se > 0, (insight, estimate, se)
        if len(others) >= 9:
            placebos = []
            for placebo in others:
                rest = others - {placebo}
                value, _se = did(
                    cells.count(channel, {placebo}, before, on),
                    cells.count(channel, {placebo}, on, after),
                    cells.count(channel, rest, before, on),
                    cells.count(channel, rest, on, after),
                )
                placebos.append(value)
            p_placebo = (1 + sum(abs(v) >= abs(estimate) for v in placebos)) / (1 + len(placebos))
            assert p_placebo <= 0.10, (insight, estimate, placebos)

    # 3. A sudden drop on the app, with a burst of digital-channels reports about it.
    drop_start = today - datetime.timedelta(weeks=truths.DROP_STARTS_WEEKS_AGO)
    drop_end = drop_start + datetime.timedelta(weeks=truths.DROP_WEEKS)
    during = cells.count(truths.DROP_CHANNEL, None, drop_start, drop_end)
    weeks_before = cells.count(
        truths.DROP_CHANNEL, None, drop_start - datetime.timedelta(weeks=12), drop_start
    )
    _z, p_value = proportions_ztest([weeks_before[0], during[0]], [weeks_before[1], during[1]])
    assert share(weeks_before) - share(during) > 0.15
    assert p_value < 1e-6
    reports = Insight.objects.filter(
        channel__code=truths.DROP_CHANNEL, category__code=truths.DROP_CATEGORY
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    days = [timezone.localtime(i.created_at, zone).date() for i in reports]
    burst = sum(drop_start <= d < drop_end for d in days) / truths.DROP_WEEKS
    usual = sum(drop_start - datetime.timedelta(weeks=12) <= d < drop_start for d in days) / 12
    assert burst >= 3 and burst >= 2 * usual, (burst, usual)

    # 4. Training pays: teams' CSAT rises with their compliance.
    recent = today - datetime.timedelta(weeks=26)
    per_team = defaultdict(lambda: [0, 0])
    for team, score in SurveyResponse.objects.filter(
        metric="csat", team__isnull=False, responded_at__date__gte=recent
    ).values_list("team__code", "score"):
        per_team[team][0] += score >= 4
        per_team[team][1] += 1
    teams = [(code, yes / n) for code, (yes, n) in per_team.items() if n >= 30]
    rho, p_value = spearmanr(
        [truths.team_compliance_target(code) for code, _csat in teams],
        [csat for _code, csat in teams],
    )
    assert len(teams) >= 10
    assert rho > 0.3 and p_value < 0.05, (rho, p_value)

    # 5. And the analytics find every one of them, as the demo's manager sees them.
    assert_the_analytics_find_the_planted_truths()


def test_the_demo_rows_are_the_same_for_a_seed():
    def rows(seed):
        return list(
            demo.generate(
                rng=random.Random(seed),
                locations=[("RUH-01", "branch"), ("RUH-CC", "call_centre")],
                teams={"RUH-01": ["RUH-01-TELLER"], "RUH-CC": ["RUH-CC-VOICE"]},
                fixes=[demo.Fix("branch", "RUH-01", datetime.date(2026, 3, 1))],
                today=datetime.date(2026, 11, 1),
                volume=0.2,
            )
        )

    first = rows(5)
    assert first == rows(5)
    assert first != rows(6)
    assert {r["channel"] for r in first} == {
        "branch",
        "app",
        "web",
        "phone",
        "chat",
        "email",
        "social",
    }
