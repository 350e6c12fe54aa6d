"""Channel consistency against chi2_contingency on the raw responses' crosstab."""

from datetime import date, timedelta

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from feedback.analytics import consistency
from feedback.metrics import Counts
from tests.feedback.analytics.truth import (
    SCALES,
    assert_figure,
    daily_cells,
    expected_figure,
    pandas_period_range,
    pandas_period_start,
    responses,
)

SEEDS = range(8)
CHANNELS = ["app", "branch", "phone", "web"]


@pytest.mark.parametrize("metric", ["csat", "nps", "ces"])
@pytest.mark.parametrize("seed", SEEDS)
def test_spread_leader_lagger_and_chi_square_equal_the_raw_responses(metric, seed):
    # Given responses on four channels that differ, one of them sparse
    rng = np.random.default_rng(seed)
    period, week_start = ["week", "month"][seed % 2], ["monday", "sunday", "saturday"][seed % 3]
    from_day = date(2024, 3, 1) + timedelta(days=int(rng.integers(0, 200)))
    to_day = from_day + timedelta(days=int(rng.integers(30, 150)))
    raw = responses(
        rng,
        metric,
        CHANNELS,
        from_day,
        to_day,
        rates=[rng.choice([1, 3]), 15, 25, 10],
        satisfied=[0.8, 0.78, 0.68, rng.uniform(0.6, 0.9)],
    )

    # When consistency is computed
    result = consistency(
        metric=metric,
        period=period,
        from_day=from_day,
        to_day=to_day,
        cells=daily_cells(raw, metric),
        min_n=30,
        week_start=week_start,
    ).as_dict()

    # Then per period it equals the crosstab of the raw responses
    raw["start"] = pandas_period_start(raw["day"], period, week_start)
    starts = pandas_period_range(from_day, to_day, period, week_start)
    top = SCALES[metric][2]
    assert [row["period_start"] for row in result["periods"]] == [s.isoformat() for s in starts]
    by_start = {key: group.to_numpy() for key, group in raw.groupby(["start", "key"])["score"]}
    for row, start in zip(result["periods"], starts, strict=True):
        assert [channel["key"] for channel in row["channels"]] == CHANNELS
        scores = {key: by_start.get((start, key), np.array([], int)) for key in CHANNELS}
        for channel in row["channels"]:
            assert_figure(channel, expected_figure(metric, scores[channel["key"]], 30))
        enough = {key: s for key, s in scores.items() if s.size >= 30}
        if len(enough) < 2:
            assert row["spread"] is row["leading"] is row["lagging"] is row["chi2"] is None
            continue
        values = {key: expected_figure(metric, s, 30)["value"] for key, s in enough.items()}
        assert row["spread"] == pytest.approx(max(values.values()) - min(values.values()))
        assert values[row["leading"]] == max(values.values())
        assert values[row["lagging"]] == min(values.values())
        # Satisfied or not x channel, straight from the scores
        table = np.array([[(s >= top).sum(), (s < top).sum()] for s in enough.values()])
        if 0 in table.sum(axis=0):
            assert row["chi2"] is row["p_value"] is None
            continue
        expected = chi2_contingency(table)
        assert row["chi2"] == pytest.approx(expected.statistic, abs=1e-9)
        assert row["p_value"] == pytest.approx(expected.pvalue, abs=1e-9)


def test_one_channel_with_enough_responses_has_no_spread_and_no_test():
    cells = [
        ("branch", date(2025, 1, 6), Counts(n=100, score_sum=400, top_box=80)),
        ("phone", date(2025, 1, 6), Counts(n=29, score_sum=100, top_box=10)),
    ]

    result = consistency(
        metric="csat",
        period="week",
        from_day=date(2025, 1, 6),
        to_day=date(2025, 1, 12),
        cells=cells,
        min_n=30,
    )

    (row,) = result.as_dict()["periods"]
    assert [channel["suppressed"] for channel in row["channels"]] == [False, True]
    assert (row["spread"], row["leading"], row["lagging"], row["chi2"], row["p_value"]) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_the_lagging_channel_is_named_and_the_method_says_what_satisfied_means():
    cells = [
        ("branch", date(2025, 1, 6), Counts(n=500, top_box=400, promoters=250, detractors=50)),
        ("phone", date(2025, 1, 6), Counts(n=500, top_box=350, promoters=150, detractors=150)),
    ]
    for metric, words in [("csat", "4 or 5"), ("ces", "5 to 7"), ("nps", "promoter")]:
        result = consistency(
            metric=metric,
            period="week",
            from_day=date(2025, 1, 6),
            to_day=date(2025, 1, 6),
            cells=cells,
        )

        (row,) = result.periods
        assert (row.leading, row.lagging) == ("branch", "phone")
        assert row.p_value < 0.01
        assert words in str(result.method)
