"""Movers against proportions_ztest, multipletests and the raw responses."""

import numpy as np
import pytest
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from feedback.analytics import movers
from feedback.metrics import Counts
from tests.feedback.analytics.truth import SCALES, assert_figure, counts_of, draw, expected_figure

SEEDS = range(40)


def nps_z_test_p(current, previous) -> float:
    """PRODUCT.md: a z-test on the two adjusted-Wald NPS estimates."""
    estimates, variances = [], []
    for scores in (current, previous):
        n = scores.size
        p = ((scores >= 9).sum() + 0.75) / (n + 3)
        d = ((scores <= 6).sum() + 0.75) / (n + 3)
        estimates.append(p - d)
        variances.append((p + d - (p - d) ** 2) / (n + 3))
    return 2 * norm.sf(abs(estimates[0] - estimates[1]) / np.sqrt(sum(variances)))


def value(metric, scores) -> float:
    if metric == "nps":
        return 100 * ((scores >= 9).mean() - (scores <= 6).mean())
    return 100 * (scores >= SCALES[metric][2]).mean()


@pytest.mark.parametrize("metric", ["csat", "nps", "ces"])
def test_differences_p_and_q_values_equal_an_independent_computation(metric):
    significant = 0
    for seed in SEEDS:
        # Given groups, some small, some that really moved
        rng = np.random.default_rng(seed)
        raw = {}
        for index in range(int(rng.integers(2, 25))):
            before = rng.uniform(0.4, 0.9)
            after = np.clip(before + rng.choice([0, 0, 0, 0.15, -0.2]), 0.05, 0.95)
            sizes = rng.choice([5, 29, 30, 80, 300, 1000], 2)
            raw[f"G{index:02}"] = (
                draw(rng, metric, sizes[0], after),
                draw(rng, metric, sizes[1], before),
            )
        groups = {key: (counts_of(metric, c), counts_of(metric, p)) for key, (c, p) in raw.items()}

        # When movers are computed
        result = movers(metric=metric, groups=groups, min_n=30).as_dict()["groups"]

        # Then every group's figures, difference, p and q equal the raw computation
        compared = [key for key, (c, p) in raw.items() if c.size >= 30 and p.size >= 30]
        p_values = {}
        for key in compared:
            current, previous = raw[key]
            if metric == "nps":
                p_values[key] = nps_z_test_p(current, previous)
            else:
                top = SCALES[metric][2]
                counts = [(current >= top).sum(), (previous >= top).sum()]
                if sum(counts) in (0, current.size + previous.size):
                    p_values[key] = 1.0
                else:
                    p_values[key] = proportions_ztest(counts, [current.size, previous.size])[1]
        q_values = {}
        if compared:
            bh = multipletests([p_values[key] for key in compared], method="fdr_bh")[1]
            q_values = dict(zip(compared, bh, strict=True))
        assert sorted(row["key"] for row in result) == sorted(raw)
        for row in result:
            current, previous = raw[row["key"]]
            assert_figure(row["current"], expected_figure(metric, current, 30))
            assert_figure(row["previous"], expected_figure(metric, previous, 30))
            if row["key"] in compared:
                difference = value(metric, current) - value(metric, previous)
                assert row["difference"] == pytest.approx(difference, abs=1e-9)
                assert row["p_value"] == pytest.approx(p_values[row["key"]], abs=1e-9)
                assert row["q_value"] == pytest.approx(q_values[row["key"]], abs=1e-9)
                assert row["significant"] is bool(q_values[row["key"]] <= 0.05)
                significant += row["significant"]
            else:
                assert (row["difference"], row["p_value"], row["q_value"]) == (None, None, None)
                assert row["significant"] is False
        # Biggest move first, groups that cannot be compared last
        moves = [abs(row["difference"]) for row in result if row["difference"] is not None]
        assert moves == sorted(moves, reverse=True)
        assert [row["difference"] is None for row in result] == sorted(
            row["difference"] is None for row in result
        )
    assert significant > 10


def test_the_minimum_n_applies_to_both_periods(settings):
    settings.ANALYTICS_MIN_RESPONSES = 30
    enough, short = Counts(n=30, top_box=20), Counts(n=29, top_box=20)

    result = movers(metric="csat", groups={"a": (enough, enough), "b": (enough, short)})

    rows = {row.key: row for row in result.groups}
    assert rows["a"].p_value == 1.0
    assert rows["b"].p_value is None
    assert rows["b"].current.value is not None
    assert rows["b"].previous.suppressed
    assert list(result.as_dict()["groups"][0]) == [
        "key",
        "label",
        "current",
        "previous",
        "difference",
        "p_value",
        "q_value",
        "significant",
    ]
    assert [str(caveat) for caveat in result.caveats] == [
        "Figures from fewer than 30 responses are not shown."
    ]
