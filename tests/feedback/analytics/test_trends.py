"""Trends against an independent computation from the raw responses."""

from datetime import date, timedelta

import numpy as np
import pytest
from django.core.cache import cache
from django.utils import translation

from feedback.analytics import trends
from feedback.metrics import Counts
from tests.feedback.analytics.truth import (
    assert_figure,
    daily_cells,
    expected_figure,
    pandas_period_range,
    pandas_period_start,
    responses,
)

SEEDS = range(15)


@pytest.mark.parametrize("metric", ["csat", "nps", "ces"])
@pytest.mark.parametrize("seed", SEEDS)
def test_every_point_equals_the_raw_responses(metric, seed):
    # Given raw responses for a few channels, busy and sparse, over a random span
    rng = np.random.default_rng(seed)
    period = ["day", "week", "month"][seed % 3]
    week_start = ["monday", "sunday", "saturday"][seed // 3 % 3]
    from_day = date(2024, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
    to_day = from_day + timedelta(days=int(rng.integers(20, 200)))
    keys = ["branch", "phone", "app", "kiosk"]
    raw = responses(
        rng,
        metric,
        keys,
        from_day,
        to_day,
        rates=rng.choice([0.3, 2, 8, 40], len(keys)),
        satisfied=rng.uniform(0.3, 0.95, len(keys)),
    )
    min_n = int(rng.choice([1, 10, 30]))

    # When the trend is computed from the daily counts
    result = trends(
        metric=metric,
        period=period,
        from_day=from_day,
        to_day=to_day,
        cells=daily_cells(raw, metric),
        labels={"kiosk": "Kiosk"},
        min_n=min_n,
        week_start=week_start,
    ).as_dict()

    # Then every period of the span has a point per channel, equal to the raw responses
    raw["start"] = pandas_period_start(raw["day"], period, week_start)
    starts = pandas_period_range(from_day, to_day, period, week_start)
    assert (result["metric"], result["period"]) == (metric, period)
    present = [key for key in keys if key == "kiosk" or (raw["key"] == key).any()]
    assert [series["key"] for series in result["series"]] == [
        "kiosk",
        *sorted(k for k in present if k != "kiosk"),
    ]
    assert result["series"][0]["label"] == "Kiosk"
    scores = {key: group.to_numpy() for key, group in raw.groupby(["key", "start"])["score"]}
    for series in result["series"]:
        assert [point["period_start"] for point in series["points"]] == [
            start.isoformat() for start in starts
        ]
        for point, start in zip(series["points"], starts, strict=True):
            mine = scores.get((series["key"], start), [])
            assert_figure(point, expected_figure(metric, mine, min_n))


def test_a_period_without_responses_is_a_gap_not_a_zero():
    cells = [(None, date(2025, 1, 6), Counts(n=40, score_sum=160, top_box=30))]

    result = trends(
        metric="csat",
        period="week",
        from_day=date(2025, 1, 6),
        to_day=date(2025, 1, 19),
        cells=cells,
        week_start="monday",
    )

    first, gap = result.as_dict()["series"][0]["points"]
    assert result.series[0].key is None
    assert str(result.series[0].label) == "All responses"
    assert first["value"] == 75.0
    assert gap == {
        "period_start": "2025-01-13",
        "n": 0,
        "value": None,
        "low": None,
        "high": None,
        "mean": None,
        "suppressed": True,
    }
    assert [str(caveat) for caveat in result.caveats] == [
        "Figures from fewer than 30 responses are not shown."
    ]
    assert "Wilson" in str(result.method)


def test_counts_summed_per_period_count_towards_their_period():
    # The caller may sum the rollup per period already: a start before from_day still counts.
    cells = [("phone", date(2025, 1, 1), Counts(n=50, score_sum=200, top_box=40))]

    result = trends(
        metric="csat",
        period="month",
        from_day=date(2025, 1, 15),
        to_day=date(2025, 1, 31),
        cells=cells,
    )

    assert result.as_dict()["series"][0]["points"][0]["n"] == 50


def test_a_cached_result_speaks_the_language_of_whoever_reads_it():
    # Given a result computed in English and cached (the cache pickles it)
    with translation.override("en"):
        result = trends(
            metric="csat",
            period="week",
            from_day=date(2025, 1, 6),
            to_day=date(2025, 1, 12),
            cells=[(None, date(2025, 1, 6), Counts(n=3, score_sum=12, top_box=3))],
        )
    cache.set("trends", result)
    cached = cache.get("trends")

    # Then an Arabic reader gets Arabic method, caveats and labels
    with translation.override("ar"):
        assert cached.as_dict()["series"][0]["label"] == "جميع الردود"
        assert str(cached.caveats[0]) == "لا تُعرض الأرقام المبنية على أقل من 30 ردًا."
        assert str(cached.method).startswith("كل نقطة هي نسبة ردود رضا العملاء")
    assert cached.as_dict() == result.as_dict()
