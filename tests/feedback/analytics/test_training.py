"""Training vs satisfaction: ρ against spearmanr and pandas, the permutation p-value
against an exact enumeration and scipy re-ranking every pairing, and a planted
relation."""

from itertools import permutations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import pearsonr, permutation_test, rankdata, spearmanr

from feedback.analytics import TeamRecord, training_vs_csat
from feedback.analytics.training import SEED
from tests.feedback.analytics.truth import assert_figure, counts_of, draw, expected_figure


def teams_of(rng, count: int, *, slope: float = 0.0):
    """Random teams: members 2–30, compliance 0–1, CSAT responses 5–300 (raw scores)."""
    rows = []
    for index in range(count):
        compliance = float(rng.uniform(0, 1))
        scores = draw(rng, "csat", int(rng.integers(5, 300)), 0.5 + slope * compliance)
        rows.append((f"T{index:02}", int(rng.integers(2, 31)), compliance, scores))
    return rows


def run(rows, **kwargs):
    records = [TeamRecord(key, members, c, counts_of("csat", s)) for key, members, c, s in rows]
    return training_vs_csat(records, min_n=30, **kwargs)


def exact_two_sided_p(x, y) -> float:
    """Every pairing enumerated: scipy's two-sided definition, 2·min(P(≤), P(≥))."""
    rx, ry = pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy()
    observed = np.corrcoef(rx, ry)[0, 1]
    null = np.array(
        [np.corrcoef(rx, ry[list(order)])[0, 1] for order in permutations(range(len(y)))]
    )
    tolerance = 1e-12 * max(1, abs(observed))
    less = (null <= observed + tolerance).mean()
    greater = (null >= observed - tolerance).mean()
    return min(1.0, 2 * min(less, greater))


@pytest.mark.parametrize("seed", range(30))
def test_teams_rho_and_exclusions_equal_an_independent_computation(seed):
    # Given teams, some small and some with few responses
    rng = np.random.default_rng(seed)
    rows = teams_of(rng, int(rng.integers(0, 30)), slope=rng.uniform(-0.4, 0.4))

    result = run(rows).as_dict()

    # Then the teams kept, their figures and the exclusions are as the rule says
    kept = [row for row in rows if row[1] >= 5 and row[3].size >= 30]
    assert [team["team"] for team in result["teams"]] == [row[0] for row in kept]
    for team, (_key, members, compliance, scores) in zip(result["teams"], kept, strict=True):
        assert team["members"] == members
        assert team["compliance"] == pytest.approx(100 * compliance, abs=1e-12)
        assert_figure(team["csat"], expected_figure("csat", scores, 30))
    few_members = sum(row[1] < 5 for row in rows)
    assert result["excluded"] == {
        "count": len(rows) - len(kept),
        "too_few_members": few_members,
        "too_few_responses": len(rows) - len(kept) - few_members,
    }
    # And ρ equals spearmanr and pandas on (compliance, CSAT)
    x = [row[2] for row in kept]
    y = [100 * (row[3] >= 4).mean() for row in kept]
    assert result["n"] == len(kept)
    if len(kept) >= 3:
        assert result["rho"] == pytest.approx(spearmanr(x, y).statistic, abs=1e-9)
        assert result["rho"] == pytest.approx(pd.Series(x).corr(pd.Series(y), "spearman"))
        assert 0 < result["p_value"] <= 1
    else:
        assert result["rho"] is result["p_value"] is None
    assert (result["warning"] is None) is (len(kept) >= 10)


@pytest.mark.parametrize("count", [3, 4, 5, 6, 7])
def test_with_few_teams_the_p_value_is_the_exact_permutation_p_value(count):
    # Given few teams: every pairing can be enumerated here
    rng = np.random.default_rng(100 + count)
    rows = [
        (f"T{i}", 8, float(c), draw(rng, "csat", 200, 0.5 + 0.3 * c))
        for i, c in enumerate(rng.uniform(0, 1, count))
    ]

    result = run(rows)

    # Then up to 4 teams scipy enumerates them too ((4!)² ≤ 9,999), and the p-value is
    # exact; from 5 on it samples 9,999 and lands within Monte Carlo error of it.
    x = [row[2] for row in rows]
    y = [(row[3] >= 4).mean() for row in rows]
    exact = exact_two_sided_p(x, y)
    assert result.n == count
    if count <= 4:
        assert result.p_value == pytest.approx(exact, abs=1e-9)
    else:
        assert abs(result.p_value - exact) <= 4 * np.sqrt(exact * (1 - exact) / 9_999) + 2e-4


def test_with_many_teams_the_p_value_equals_scipy_re_ranking_every_pairing():
    # The product ranks once and scores the pairings of the ranks; here each of the same
    # 9,999 seeded pairings of the raw values is ranked again and correlated by scipy.
    rng = np.random.default_rng(7)
    rows = teams_of(rng, 40, slope=0.2)

    result = run(rows)

    kept = [row for row in rows if row[1] >= 5 and row[3].size >= 30]
    x = [row[2] for row in kept]
    y = [(row[3] >= 4).mean() for row in kept]
    expected = permutation_test(
        (x, y),
        lambda a, b, axis: (
            pearsonr(rankdata(a, axis=axis), rankdata(b, axis=axis), axis=axis).statistic
        ),
        permutation_type="pairings",
        vectorized=True,
        n_resamples=9_999,
        rng=np.random.default_rng(SEED),
    )
    assert result.n >= 10
    assert result.p_value == pytest.approx(expected.pvalue, abs=1e-12)


def test_a_planted_monotone_relation_is_found():
    for seed in range(5):
        rng = np.random.default_rng(200 + seed)
        compliance = np.linspace(0.2, 1.0, 15) + rng.uniform(-0.02, 0.02, 15)
        rows = [
            (f"T{i:02}", 12, float(np.clip(c, 0, 1)), draw(rng, "csat", 300, 0.45 + 0.4 * c))
            for i, c in enumerate(compliance)
        ]

        result = run(rows)

        assert result.n == 15
        assert result.rho > 0
        assert result.p_value < 0.05
        assert result.warning is None
        assert "not cause" in str(result.caveats[0])


def test_few_teams_carry_a_warning_and_none_vary_no_rho():
    rows = [(f"T{i}", 6, 0.5, np.full(40, 5)) for i in range(4)]

    result = run(rows)

    assert result.rho is None and result.p_value is None
    assert result.as_dict()["warning"] == (
        "Only 4 teams could be compared: a correlation over so few teams is unreliable."
    )


def test_compliance_must_be_a_share():
    with pytest.raises(ValueError, match="share from 0 to 1"):
        run([("T1", 6, 75.0, np.full(40, 5))])
