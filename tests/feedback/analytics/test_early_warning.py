"""Early warning: truth against binom.ppf on the raw responses' weekly counts, a planted
drop found, stable data quiet."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from feedback.analytics import early_warnings
from tests.feedback.analytics.truth import (
    assert_figure,
    counts_of,
    daily_cells,
    draw,
    expected_figure,
    pandas_period_range,
    pandas_period_start,
    responses,
)

CHANNELS = ["app", "branch", "phone", "web"]
CATEGORIES = ["billing", "staff", "waiting_time"]
START = date(2024, 1, 1)
# A quarter of history, then a quarter watched.
WEEKS = 24


def raw_insights(rng, from_day, to_day, rate, spikes=()) -> pd.DataFrame:
    """Insights per (channel, category, day): Poisson, plus ``spikes`` of
    (channel, category, day, count)."""
    days = pd.date_range(from_day, to_day, freq="D").date
    rows = [
        (channel, category, day, int(count))
        for channel in CHANNELS
        for category in CATEGORIES
        for day, count in zip(days, rng.poisson(rate, len(days)), strict=True)
        if count
    ]
    return pd.DataFrame([*rows, *spikes], columns=["channel", "category", "day", "count"])


@pytest.mark.parametrize("seed", range(12))
def test_every_warning_equals_the_p_chart_on_the_raw_responses(seed):
    # Given daily responses on four channels (one sparse) with drops in some weeks,
    # and insights with spikes
    rng = np.random.default_rng(seed)
    week_start = ["monday", "sunday", "saturday"][seed % 3]
    to_day = START + timedelta(weeks=WEEKS)
    raw = responses(
        rng, "csat", CHANNELS, START, to_day, rates=[1, 20, 30, 25], satisfied=[0.8] * 4
    )
    days = raw["day"].unique()
    dropped = raw["day"].isin(rng.choice(days, 60)) & (raw["key"] != "web")
    raw.loc[dropped, "score"] = draw(rng, "csat", int(dropped.sum()), 0.3)
    spikes = [
        (str(rng.choice(CHANNELS)), str(rng.choice(CATEGORIES)), day, int(rng.integers(1, 9)))
        for day in rng.choice(days, 60)
    ]
    insights = raw_insights(rng, START, to_day, 0.15, spikes)
    from_day = START + timedelta(weeks=int(rng.integers(4, 14)))

    # When the early warnings are computed
    result = early_warnings(
        csat_cells=daily_cells(raw, "csat"),
        insight_cells=list(insights.itertuples(index=False, name=None)),
        from_day=from_day,
        to_day=to_day,
        min_n=30,
        week_start=week_start,
    ).as_dict()["warnings"]

    # Then they are exactly the weeks that break the rule on the raw data
    raw["week"] = pandas_period_start(raw["day"], "week", week_start)
    insights["week"] = pandas_period_start(insights["day"], "week", week_start)
    scores = {key: group.to_numpy() for key, group in raw.groupby(["key", "week"])["score"]}
    reported = insights.groupby(["channel", "category", "week"])["count"].sum().to_dict()
    expected = []
    for week in pandas_period_range(from_day, to_day, "week", week_start):
        history = [week - timedelta(weeks=k) for k in range(1, 13)]
        for channel in CHANNELS:
            now = scores.get((channel, week), np.array([], int))
            past = np.concatenate([scores.get((channel, h), np.array([], int)) for h in history])
            if now.size < 30 or past.size < 30:
                continue
            baseline = (past >= 4).mean()
            limit = binom.ppf(0.00135, now.size, baseline)
            if not (now >= 4).sum() < limit:
                continue
            for category in CATEGORIES:
                count = reported.get((channel, category, week), 0)
                mean = sum(reported.get((channel, category, h), 0) for h in history) / 12
                if count >= 3 and count >= 2 * mean:
                    expected.append((channel, category, week, now, limit, baseline, count, mean))
    assert expected, "the planted drops and spikes raise at least one warning"
    assert len(result) == len(expected)
    for warning, (channel, category, week, now, limit, baseline, count, mean) in zip(
        result, expected, strict=True
    ):
        assert (warning["channel"], warning["category"]) == (channel, category)
        assert warning["week"] == week.isoformat()
        assert_figure(warning["csat"], expected_figure("csat", now, 30))
        assert warning["limit"] == pytest.approx(100 * limit / now.size, abs=1e-9)
        assert warning["baseline"] == pytest.approx(100 * baseline, abs=1e-9)
        assert (warning["insights"], warning["insights_mean"]) == (count, pytest.approx(mean))


def weekly(rng, *, drop_weeks=(), spike=0):
    """Weekly CSAT cells (150 responses a channel, 80% satisfied; 55% on the phone in
    ``drop_weeks``) and insights (Poisson 1 a category, ``spike`` more on the phone's
    waiting time in ``drop_weeks``)."""
    csat, insights = [], []
    for week in range(WEEKS):
        day = START + timedelta(weeks=week)
        for channel in CHANNELS:
            share = 0.55 if channel == "phone" and week in drop_weeks else 0.8
            csat.append((channel, day, counts_of("csat", draw(rng, "csat", 150, share))))
            for category in CATEGORIES:
                count = int(rng.poisson(1))
                if (channel, category) == ("phone", "waiting_time") and week in drop_weeks:
                    count += spike
                insights.append((channel, category, day, count))
    return csat, insights


def test_a_planted_drop_is_found():
    for seed in range(10):
        rng = np.random.default_rng(300 + seed)
        csat, insights = weekly(rng, drop_weeks={20, 21, 22}, spike=7)

        result = early_warnings(
            csat_cells=csat,
            insight_cells=insights,
            from_day=START + timedelta(weeks=12),
            to_day=START + timedelta(weeks=WEEKS - 1),
            week_start="monday",
        )

        found = {(w.channel, w.category, w.week) for w in result.warnings}
        assert ("phone", "waiting_time", START + timedelta(weeks=20)) in found
        assert all(w.csat.value < 70 for w in result.warnings)
        assert "p-chart" in str(result.method)


def test_stable_data_raises_no_warning():
    # 4 channels x 12 weeks watched: each week's chance of a false CSAT signal is about
    # 0.2%, and then a category needs 3+ insights (8% a week at Poisson 1).
    noisy = 0
    for seed in range(100):
        rng = np.random.default_rng(400 + seed)
        csat, insights = weekly(rng)

        result = early_warnings(
            csat_cells=csat,
            insight_cells=insights,
            from_day=START + timedelta(weeks=12),
            to_day=START + timedelta(weeks=WEEKS - 1),
            week_start="monday",
        )

        noisy += bool(result.warnings)
    assert noisy <= 5


def test_a_drop_without_more_insights_is_no_warning():
    rng = np.random.default_rng(5)
    csat, insights = weekly(rng, drop_weeks={20}, spike=0)

    result = early_warnings(
        csat_cells=csat,
        insight_cells=[cell for cell in insights if cell[1] != "waiting_time"],
        from_day=START + timedelta(weeks=20),
        to_day=START + timedelta(weeks=20),
        week_start="monday",
    )

    assert result.warnings == ()
