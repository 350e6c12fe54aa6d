"""Impact of a fix: truth against statsmodels and an independent DiD and placebo test,
and planted effects that the verdict must find (or not invent)."""

import numpy as np
import pytest
from scipy.stats import norm
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from feedback.analytics import Placebo, impact
from feedback.metrics import Counts
from tests.feedback.analytics.truth import assert_figure, counts_of, draw, expected_figure

MIN_N = 30


def share(scores) -> float:
    return float((scores >= 4).mean())


def did_of(treated, control) -> tuple[float, float]:
    """Independent DiD (treated after − before) − (control after − before), with its
    Wald standard error, in points."""
    (tb, ta), (cb, ca) = treated, control
    shares = [share(s) for s in (ta, tb, ca, cb)]
    se = np.sqrt(sum(p * (1 - p) / s.size for p, s in zip(shares, (ta, tb, ca, cb), strict=True)))
    return 100 * ((shares[0] - shares[1]) - (shares[2] - shares[3])), 100 * se


def pooled(pairs):
    pairs = list(pairs)
    return np.concatenate([b for b, _ in pairs]), np.concatenate([a for _, a in pairs])


def expected_verdict(treated, controls, did, did_se, difference, placebo_p) -> str:
    """PRODUCT.md's rule, written from its text."""
    cells = list(treated) + (list(pooled(controls.values())) if controls else [])
    if any(cell.size < MIN_N for cell in cells):
        return "not_enough_data"
    low, high = (did - 1.959964 * did_se, did + 1.959964 * did_se) if controls else difference
    placebo_ok = len(controls) < 9 or placebo_p <= 0.10
    if low > 0 and placebo_ok:
        return "improved"
    if high < 0 and placebo_ok:
        return "worse"
    return "no_detectable_change"


def generate(rng, *, controls: int, size: int, effect: float, trend: float = -0.03):
    """Raw CSAT scores: treated (before, after) and each control location's, with a
    common trend everywhere and ``effect`` added at the treated location after the fix."""
    base = rng.uniform(0.55, 0.8, controls + 1)
    treated = (draw(rng, "csat", size, base[0]), draw(rng, "csat", size, base[0] + trend + effect))
    control = {
        f"L{i:02}": (draw(rng, "csat", size, p), draw(rng, "csat", size, p + trend))
        for i, p in enumerate(base[1:])
    }
    return treated, control


def run(treated, control, visible=()):
    return impact(
        treated_before=counts_of("csat", treated[0]),
        treated_after=counts_of("csat", treated[1]),
        controls={
            key: (counts_of("csat", b), counts_of("csat", a)) for key, (b, a) in control.items()
        },
        visible_codes=visible,
        min_n=MIN_N,
    )


@pytest.mark.parametrize("seed", range(60))
def test_every_figure_equals_an_independent_computation(seed):
    # Given a treated location and 0 to 12 control locations of varied sizes, some
    # without responses in one of the periods, some below the minimum n
    rng = np.random.default_rng(seed)
    sizes = [5, 29, 30, 60, 200, 500]
    tb, ta = (draw(rng, "csat", int(rng.choice(sizes)), rng.uniform(0.4, 0.95)) for _ in "ab")
    control = {}
    for i in range(int(rng.integers(0, 13))):
        p = rng.uniform(0.4, 0.95)
        control[f"L{i:02}"] = (
            draw(rng, "csat", int(rng.choice([0, *sizes])), p),
            draw(rng, "csat", int(rng.choice(sizes)), p + rng.uniform(-0.1, 0.1)),
        )
    visible = {key for key in control if rng.random() < 0.5}

    result = run((tb, ta), control, visible).as_dict()

    # Then before, after and the difference equal statsmodels on the raw scores
    assert_figure(result["before"], expected_figure("csat", tb, MIN_N))
    assert_figure(result["after"], expected_figure("csat", ta, MIN_N))
    difference = None
    if min(tb.size, ta.size) >= MIN_N:
        xa, xb = int((ta >= 4).sum()), int((tb >= 4).sum())
        low, high = confint_proportions_2indep(xa, ta.size, xb, tb.size, method="newcomb")
        difference = (100 * low, 100 * high)
        assert result["difference"]["value"] == pytest.approx(
            100 * (share(ta) - share(tb)), abs=1e-9
        )
        assert result["difference"]["low"] == pytest.approx(100 * low, abs=1e-9)
        assert result["difference"]["high"] == pytest.approx(100 * high, abs=1e-9)
        if 0 < xa + xb < ta.size + tb.size:
            p_value = proportions_ztest([xa, xb], [ta.size, tb.size])[1]
            assert result["difference"]["p_value"] == pytest.approx(p_value, abs=1e-9)
    else:
        assert result["difference"] == {"value": None, "low": None, "high": None, "p_value": None}

    # And the control is the pooled locations with responses in both periods
    usable = {key: pair for key, pair in control.items() if pair[0].size and pair[1].size}
    assert result["control"]["locations"] == len(usable)
    assert result["control"]["codes"] == sorted(set(usable) & visible)
    did = did_se = placebo_p = None
    if usable:
        cb, ca = pooled(usable.values())
        assert_figure(result["control"]["before"], expected_figure("csat", cb, MIN_N))
        assert_figure(result["control"]["after"], expected_figure("csat", ca, MIN_N))
        did, did_se = did_of((tb, ta), (cb, ca))
        if min(tb.size, ta.size, cb.size, ca.size) >= MIN_N:
            assert result["did"]["value"] == pytest.approx(did, abs=1e-9)
            assert result["did"]["low"] == pytest.approx(did - 1.959964 * did_se, abs=1e-5)
            assert result["did"]["high"] == pytest.approx(did + 1.959964 * did_se, abs=1e-5)
            p_value = 2 * norm.sf(abs(did) / did_se)
            assert result["did"]["p_value"] == pytest.approx(p_value, abs=1e-9)
        else:
            assert result["did"]["value"] is None

    # And the placebo p-value counts the control locations treated as if fixed
    if len(usable) >= 5 and result["did"]["value"] is not None:
        placebos = [
            did_of(pair, pooled(v for k, v in usable.items() if k != key))[0]
            for key, pair in usable.items()
        ]
        larger = sum(abs(p) >= abs(did) - 1e-10 for p in placebos)
        placebo_p = (1 + larger) / (1 + len(placebos))
        assert result["placebo"] == {"locations": len(usable), "p_value": placebo_p}
    else:
        assert result["placebo"] is None

    # And the verdict follows the rule of PRODUCT.md
    assert result["verdict"] == expected_verdict(
        (tb, ta), usable, did, did_se, difference, placebo_p
    )


def test_a_fix_that_lifts_csat_by_10_points_is_found():
    improved = covered = 0
    for seed in range(100):
        rng = np.random.default_rng(1000 + seed)
        treated, control = generate(rng, controls=12, size=800, effect=0.10)

        result = run(treated, control)

        improved += result.verdict == "improved"
        covered += result.did.low <= 10 <= result.did.high
        assert result.placebo.locations == 12
    assert improved >= 90
    assert covered >= 90


def test_no_effect_is_rarely_called_a_change():
    called = 0
    for seed in range(100):
        rng = np.random.default_rng(2000 + seed)
        treated, control = generate(rng, controls=12, size=800, effect=0.0)

        called += run(treated, control).verdict in ("improved", "worse")
    assert called <= 10


def test_too_little_data_is_not_enough_data():
    rng = np.random.default_rng(3)
    treated, control = generate(rng, controls=12, size=800, effect=0.3)
    short = (treated[0][:29], treated[1])

    result = run(short, control)

    assert result.verdict == "not_enough_data"
    assert result.before.suppressed
    assert result.difference.value is None and result.did.value is None
    assert result.placebo is None


def test_control_cells_below_the_minimum_are_not_enough_data():
    rng = np.random.default_rng(4)
    treated, _ = generate(rng, controls=0, size=600, effect=0.3)
    control = {"L01": (draw(rng, "csat", 10, 0.7), draw(rng, "csat", 10, 0.7))}

    assert run(treated, control).verdict == "not_enough_data"


def test_without_control_the_verdict_follows_the_difference():
    treated = Counts(n=500, top_box=300), Counts(n=500, top_box=400)

    result = impact(treated_before=treated[0], treated_after=treated[1], controls={})

    assert result.verdict == "improved"
    assert result.control.locations == 0 and result.did.value is None
    assert "no control locations" in " ".join(str(caveat) for caveat in result.caveats)


def test_with_fewer_than_9_controls_the_placebo_is_shown_but_not_required():
    # A clear lift, and 6 control locations: one of them moved as much (placebo p = 2/7)
    lifted, flat = (
        (Counts(n=500, top_box=300), Counts(n=500, top_box=400)),
        (
            Counts(n=500, top_box=350),
            Counts(n=500, top_box=350),
        ),
    )
    controls = {f"L{i}": flat for i in range(5)} | {"L5": lifted}

    result = impact(treated_before=lifted[0], treated_after=lifted[1], controls=controls)

    assert result.placebo.p_value == pytest.approx(2 / 7)
    assert result.verdict == "improved"
    assert "With only 6 control locations" in " ".join(str(c) for c in result.caveats)


def test_with_9_controls_a_weak_placebo_blocks_the_verdict():
    lifted = Counts(n=2000, top_box=1200), Counts(n=2000, top_box=1600)
    flat = Counts(n=2000, top_box=1400), Counts(n=2000, top_box=1400)
    controls = {f"L{i}": flat for i in range(8)} | {"L8": lifted}

    result = impact(treated_before=lifted[0], treated_after=lifted[1], controls=controls)

    assert result.did.low > 0
    assert result.placebo.p_value == pytest.approx(2 / 10)
    assert result.verdict == "no_detectable_change"


def test_the_control_group_is_shown_by_size_and_only_visible_codes():
    rng = np.random.default_rng(5)
    treated, control = generate(rng, controls=6, size=100, effect=0)

    hidden = run(treated, control).as_dict()["control"]
    shown = run(treated, control, visible={"L01", "L04", "RUH-01"}).as_dict()["control"]

    assert (hidden["locations"], hidden["codes"]) == (6, [])
    assert (shown["locations"], shown["codes"]) == (6, ["L01", "L04"])
    assert list(run(treated, control).as_dict()) == [
        "before",
        "after",
        "difference",
        "control",
        "did",
        "placebo",
        "verdict",
    ]


def test_placebos_as_large_as_the_real_estimate_count_against_it():
    # Nothing changed anywhere: every placebo ties the real estimate of 0
    flat = Counts(n=300, top_box=240), Counts(n=300, top_box=240)

    result = impact(
        treated_before=flat[0], treated_after=flat[1], controls={f"L{i}": flat for i in range(9)}
    )

    assert result.did.value == 0
    assert result.placebo == Placebo(locations=9, p_value=1.0)
    assert result.verdict == "no_detectable_change"
