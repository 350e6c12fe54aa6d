"""The metric module against statsmodels/scipy and independent formulas written here.

Every figure of the product comes from ``feedback.metrics``; these tests compare it
on thousands of random inputs with computations that share no code with it.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from feedback import metrics
from feedback.metrics import Counts, Estimate, Figure, Metric

RANDOM_INPUTS = 1000
Z = 1.959963984540054


def random_cells(seed: int, size: int = RANDOM_INPUTS) -> tuple[np.ndarray, np.ndarray]:
    """Random (count, n) pairs, small and large n, including counts of 0 and n."""
    rng = np.random.default_rng(seed)
    n = np.concatenate([rng.integers(1, 40, size // 2), rng.integers(40, 5000, size - size // 2)])
    count = rng.binomial(n, rng.uniform(0, 1, size))
    count[:10], count[10:20] = 0, n[10:20]
    return count, n


def adjusted_wald_nps(promoters, detractors, n):
    """PRODUCT.md's formula, in points: the raw NPS and its clipped interval."""
    p = (promoters + 0.75) / (n + 3)
    d = (detractors + 0.75) / (n + 3)
    half = Z * 100 * np.sqrt((p + d - (p - d) ** 2) / (n + 3))
    raw = 100 * (promoters - detractors) / n
    return raw, np.clip(raw - half, -100, 100), np.clip(raw + half, -100, 100)


def test_z_is_the_95_percent_quantile_of_product_md():
    assert round(metrics.Z, 6) == 1.959964


# Scores and counts


@pytest.mark.parametrize(
    ("metric", "valid", "invalid", "top_box", "not_top_box"),
    [
        ("csat", [1, 5], [0, 6, 4.5, True, "4"], [4, 5], [1, 3]),
        ("nps", [0, 10], [-1, 11, 9.0, None], [9, 10], [0, 8]),
        ("ces", [1, 7], [0, 8], [5, 7], [1, 4]),
    ],
)
def test_score_ranges_and_top_box(metric, valid, invalid, top_box, not_top_box):
    assert all(metrics.is_valid_score(metric, score) for score in valid)
    assert all(metrics.is_valid_score(metric, np.int64(score)) for score in valid)
    assert not any(metrics.is_valid_score(metric, score) for score in invalid)
    assert all(metrics.is_top_box(metric, score) for score in top_box)
    assert not any(metrics.is_top_box(metric, score) for score in not_top_box)


def test_promoters_are_9_and_10_and_detractors_0_to_6():
    assert [s for s in range(11) if metrics.is_promoter(s)] == [9, 10]
    assert [s for s in range(11) if metrics.is_detractor(s)] == [0, 1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("metric", ["csat", "nps", "ces"])
def test_counts_from_scores_match_numpy_and_add_up(metric):
    rng = np.random.default_rng(7)
    low, high = metrics.score_range(metric)
    scores = rng.integers(low, high + 1, 500)

    counts = Counts.from_scores(metric, scores)
    halves = Counts.from_scores(metric, scores[:200]) + Counts.from_scores(metric, scores[200:])

    assert counts.n == 500
    assert counts.score_sum == scores.sum()
    assert counts.top_box == (scores >= {"csat": 4, "nps": 9, "ces": 5}[metric]).sum()
    if metric == "nps":
        assert (counts.promoters, counts.detractors) == ((scores >= 9).sum(), (scores <= 6).sum())
    else:
        assert (counts.promoters, counts.detractors) == (0, 0)
    assert halves == counts
    assert sum([Counts.from_scores(metric, [s]) for s in scores]) == counts


def test_counts_refuse_a_score_out_of_range_or_not_whole():
    with pytest.raises(ValueError, match="6 is not a csat score"):
        Counts.from_scores("csat", [5, 6])
    with pytest.raises(ValueError, match=r"4\.5 is not a csat score"):
        Counts.from_scores("csat", [4.5])


def test_counts_from_a_rollup_row_mapping_or_object():
    row = {"n": 3, "score_sum": 12, "top_box": 2, "promoters": None, "detractors": 0}

    class Row:
        n, score_sum, top_box = 3, 12, 2

    assert Counts.from_row(row) == Counts(3, 12, 2, 0, 0)
    assert Counts.from_row(Row()) == Counts(3, 12, 2, 0, 0)


# Figures


@pytest.mark.parametrize("metric", ["csat", "ces"])
def test_wilson_interval_equals_statsmodels_on_random_inputs(metric):
    count, n = random_cells(seed=1)
    low, high = proportion_confint(count, n, alpha=0.05, method="wilson")

    for i in range(RANDOM_INPUTS):
        shown = metrics.figure(metric, Counts(n=int(n[i]), top_box=int(count[i])), min_n=1)
        assert shown.n == n[i]
        assert shown.value == pytest.approx(100 * count[i] / n[i], abs=1e-9)
        assert shown.low == pytest.approx(100 * low[i], abs=1e-9)
        assert shown.high == pytest.approx(100 * high[i], abs=1e-9)
        assert not shown.suppressed


def test_nps_interval_equals_an_independent_adjusted_wald_on_random_inputs():
    rng = np.random.default_rng(2)
    n = rng.integers(1, 3000, RANDOM_INPUTS)
    shares = rng.dirichlet([1, 1, 1], RANDOM_INPUTS)
    split = np.array([rng.multinomial(k, s) for k, s in zip(n, shares, strict=True)])
    promoters, detractors = split[:, 0], split[:, 2]
    promoters[:5], detractors[:5] = n[:5], 0  # everyone a promoter: the clip at +100
    raw, low, high = adjusted_wald_nps(promoters, detractors, n)

    for i in range(RANDOM_INPUTS):
        counts = Counts(n=int(n[i]), promoters=int(promoters[i]), detractors=int(detractors[i]))
        shown = metrics.figure("nps", counts, min_n=1)
        assert shown.value == pytest.approx(raw[i], abs=1e-9)
        assert shown.low == pytest.approx(low[i], abs=1e-9)
        assert shown.high == pytest.approx(high[i], abs=1e-9)
    assert metrics.figure("nps", Counts(n=5, promoters=5), min_n=1).high == 100


@pytest.mark.parametrize("metric", ["csat", "nps", "ces"])
def test_mean_score_is_beside_the_figure(metric):
    rng = np.random.default_rng(3)
    low, high = metrics.score_range(metric)
    scores = rng.integers(low, high + 1, 321)

    shown = metrics.figure(metric, Counts.from_scores(metric, scores))

    assert shown.mean == pytest.approx(scores.mean(), abs=1e-12)


@pytest.mark.parametrize("minimum", [30, 5])
def test_suppression_exactly_at_the_minimum_n(settings, minimum):
    settings.ANALYTICS_MIN_RESPONSES = minimum
    below = Counts(n=minimum - 1, score_sum=4 * (minimum - 1), top_box=minimum - 1)
    at = Counts(n=minimum, score_sum=4 * minimum, top_box=minimum)

    for metric in ("csat", "nps", "ces"):
        assert metrics.figure(metric, below) == Figure(minimum - 1, None, None, None, None, True)
        shown = metrics.figure(metric, at)
        assert not shown.suppressed
        assert None not in (shown.value, shown.low, shown.high, shown.mean)


def test_min_n_argument_overrides_the_setting_and_no_responses_are_always_suppressed(settings):
    settings.ANALYTICS_MIN_RESPONSES = 30

    assert not metrics.figure("csat", Counts(n=3, score_sum=12, top_box=3), min_n=3).suppressed
    assert metrics.figure("csat", Counts(), min_n=0).suppressed


def test_figure_as_dict_is_the_api_figure_object():
    shown = metrics.figure("csat", Counts(n=40, score_sum=160, top_box=30))

    assert list(shown.as_dict()) == ["n", "value", "low", "high", "mean", "suppressed"]
    assert shown.as_dict()["value"] == 75.0
    assert metrics.figure("csat", Counts(n=2)).as_dict() == {
        "n": 2,
        "value": None,
        "low": None,
        "high": None,
        "mean": None,
        "suppressed": True,
    }


# Test statistics


def test_newcombe_interval_equals_statsmodels_on_random_inputs():
    count1, n1 = random_cells(seed=4)
    count2, n2 = random_cells(seed=5)

    for i in range(RANDOM_INPUTS):
        cells = int(count1[i]), int(n1[i]), int(count2[i]), int(n2[i])
        expected = confint_proportions_2indep(*cells, method="newcomb", compare="diff")
        assert metrics.newcombe_interval(*cells) == pytest.approx(expected, abs=1e-9)


def test_two_proportion_z_test_equals_statsmodels_on_random_inputs():
    count1, n1 = random_cells(seed=6)
    count2, n2 = random_cells(seed=7)
    compared = 0

    for i in range(RANDOM_INPUTS):
        cells = int(count1[i]), int(n1[i]), int(count2[i]), int(n2[i])
        pooled = (cells[0] + cells[2]) / (cells[1] + cells[3])
        if pooled in (0, 1):
            # statsmodels divides 0 by 0 there; the difference is exactly 0.
            assert metrics.two_proportion_p_value(*cells) == 1.0
            continue
        _, expected = proportions_ztest([cells[0], cells[2]], [cells[1], cells[3]])
        assert metrics.two_proportion_p_value(*cells) == pytest.approx(expected, abs=1e-9)
        compared += 1
    assert compared > 950


def test_difference_in_points_uses_newcombe_and_the_pooled_z_test():
    current, previous = Counts(n=400, top_box=330), Counts(n=380, top_box=280)

    estimate = metrics.difference("csat", current, previous)

    low, high = confint_proportions_2indep(330, 400, 280, 380, method="newcomb")
    assert estimate.value == pytest.approx(100 * (330 / 400 - 280 / 380), abs=1e-9)
    assert (estimate.low, estimate.high) == pytest.approx((100 * low, 100 * high), abs=1e-9)
    assert estimate.p_value == pytest.approx(proportions_ztest([330, 280], [400, 380])[1])
    assert metrics.difference("csat", current, Counts(n=29, top_box=20)) == Estimate()


def test_nps_difference_is_a_z_test_on_the_two_adjusted_wald_estimates():
    rng = np.random.default_rng(8)
    for _ in range(200):
        n = rng.integers(30, 2000, 2)
        split = [rng.multinomial(k, rng.dirichlet([1, 1, 1])) for k in n]
        first, second = (
            Counts(n=int(k), promoters=int(s[0]), detractors=int(s[2]))
            for k, s in zip(n, split, strict=True)
        )
        p = (np.array([s[0] for s in split]) + 0.75) / (n + 3)
        d = (np.array([s[2] for s in split]) + 0.75) / (n + 3)
        variance = (p + d - (p - d) ** 2) / (n + 3)
        z = ((p[0] - d[0]) - (p[1] - d[1])) / np.sqrt(variance.sum())
        expected = 2 * norm.sf(abs(z))

        assert metrics.nps_difference_p_value(first, second) == pytest.approx(expected, abs=1e-9)
        estimate = metrics.difference("nps", first, second)
        raw = 100 * ((split[0][0] - split[0][2]) / n[0] - (split[1][0] - split[1][2]) / n[1])
        assert estimate.value == pytest.approx(raw, abs=1e-9)
        assert estimate.high - estimate.value == pytest.approx(
            100 * Z * np.sqrt(variance.sum()), abs=1e-9
        )


def test_difference_in_differences_wald_interval_on_random_inputs():
    counts, ns = zip(*(random_cells(seed=s, size=300) for s in range(10, 14)), strict=True)

    for i in range(300):
        ta, tb, ca, cb = (
            Counts(n=int(n[i]), top_box=int(c[i])) for c, n in zip(counts, ns, strict=True)
        )
        p = np.array([c[i] / n[i] for c, n in zip(counts, ns, strict=True)])
        n = np.array([n[i] for n in ns])
        did = (p[0] - p[1]) - (p[2] - p[3])
        se = np.sqrt((p * (1 - p) / n).sum())

        estimate = metrics.difference_in_differences(
            treated_before=tb, treated_after=ta, control_before=cb, control_after=ca, min_n=1
        )

        assert estimate.value == pytest.approx(100 * did, abs=1e-9)
        assert estimate.low == pytest.approx(100 * (did - Z * se), abs=1e-9)
        assert estimate.high == pytest.approx(100 * (did + Z * se), abs=1e-9)
        if se > 0:
            z = did / se
            expected = 2 * norm.sf(abs(z))
            assert estimate.p_value == pytest.approx(expected, abs=1e-12)


def test_benjamini_hochberg_equals_statsmodels_on_random_inputs():
    rng = np.random.default_rng(9)
    for size in [1, 2, 3, 10, 57]:
        for _ in range(200):
            p_values = rng.uniform(0, 1, size) ** rng.uniform(0.5, 4)
            p_values[: size // 3] = p_values[0]  # ties
            expected = multipletests(p_values, method="fdr_bh")[1]

            q_values = metrics.bh_q_values(list(p_values))

            assert q_values == pytest.approx(list(expected), abs=1e-12)
            assert max(q_values) <= 1
    assert metrics.bh_q_values([]) == []


# Periods


def pandas_week_start(day: date, week_start: str) -> date:
    """Independent: pandas weekly periods are named by their last day."""
    ends_on = {"monday": "SUN", "sunday": "SAT", "saturday": "FRI"}[week_start]
    return pd.Period(day, freq=f"W-{ends_on}").start_time.date()


@pytest.mark.parametrize("week_start", ["monday", "sunday", "saturday"])
def test_week_boundaries_for_each_week_start(settings, week_start):
    settings.ANALYTICS_WEEK_START = week_start
    first_weekday = {"monday": 0, "sunday": 6, "saturday": 5}[week_start]

    for offset in range(800):
        day = date(2024, 1, 1) + timedelta(days=offset)
        start = metrics.period_start(day, "week")
        assert start == pandas_week_start(day, week_start)
        assert start.weekday() == first_weekday
        assert 0 <= (day - start).days < 7
        assert metrics.period_start(day, "week", week_start="monday").weekday() == 0


def test_a_bad_week_start_is_refused(settings):
    settings.ANALYTICS_WEEK_START = "friday"

    with pytest.raises(ValueError, match="not 'friday'"):
        metrics.period_start(date(2025, 1, 1), "week")


def test_day_and_month_buckets():
    assert metrics.period_start(date(2024, 2, 29), "day") == date(2024, 2, 29)
    assert metrics.period_start(date(2024, 2, 29), "month") == date(2024, 2, 1)
    assert metrics.period_starts(date(2024, 11, 15), date(2025, 2, 1), "month") == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]
    assert metrics.shift_period(date(2025, 1, 1), "month", -13) == date(2023, 12, 1)
    assert len(metrics.period_starts(date(2024, 1, 1), date(2024, 12, 31), "day")) == 366


@pytest.mark.parametrize("week_start", ["monday", "sunday", "saturday"])
def test_period_starts_cover_the_span(week_start):
    starts = metrics.period_starts(
        date(2025, 3, 5), date(2025, 3, 25), "week", week_start=week_start
    )

    assert starts[0] <= date(2025, 3, 5) < starts[0] + timedelta(days=7)
    assert starts[-1] <= date(2025, 3, 25) < starts[-1] + timedelta(days=7)
    assert all(b - a == timedelta(days=7) for a, b in pairwise(starts))
    with pytest.raises(ValueError, match="after"):
        metrics.period_starts(date(2025, 3, 5), date(2025, 3, 4), "week")


@pytest.mark.parametrize("time_zone", ["UTC", "Europe/London", "Asia/Riyadh"])
def test_a_day_is_a_calendar_day_in_time_zone_across_dst(settings, time_zone):
    settings.TIME_ZONE = time_zone
    # Every hour around both 2024 clock changes in London.
    instants = [datetime(2024, 3, 29, tzinfo=UTC) + timedelta(hours=h) for h in range(96)] + [
        datetime(2024, 10, 25, tzinfo=UTC) + timedelta(hours=h) for h in range(96)
    ]

    for instant in instants:
        expected = pd.Timestamp(instant).tz_convert(time_zone).date()
        assert metrics.local_day(instant) == expected
        assert metrics.period_start(instant, "week", week_start="monday") == pandas_week_start(
            expected, "monday"
        )


@pytest.mark.parametrize(
    ("time_zone", "day", "week"),
    [
        # 23:30 UTC on Sunday 31 March 2024 is already Monday 1 April in London (BST).
        ("UTC", date(2024, 3, 31), date(2024, 3, 25)),
        ("Europe/London", date(2024, 4, 1), date(2024, 4, 1)),
        ("Asia/Riyadh", date(2024, 4, 1), date(2024, 4, 1)),
    ],
)
def test_the_same_instant_falls_in_the_week_of_its_local_day(settings, time_zone, day, week):
    settings.TIME_ZONE = time_zone
    instant = datetime(2024, 3, 31, 23, 30, tzinfo=UTC)

    assert metrics.local_day(instant) == day
    assert metrics.period_start(instant, "week", week_start="monday") == week


def test_local_day_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        metrics.local_day(datetime(2024, 1, 1, 12))


def test_metric_choices():
    assert Metric.values == ["csat", "nps", "ces"]
    with pytest.raises(ValueError):
        metrics.figure("star_rating", Counts(n=50))
