"""Raw responses for the truth tests, and the figures computed from them independently
of the product: numpy, pandas and statsmodels only, never ``feedback.metrics``'
formulas (its ``Counts`` is only the input format the analyses take)."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from feedback.metrics import Counts

Z = 1.959963984540054
SCALES = {"csat": (1, 5, 4), "nps": (0, 10, 9), "ces": (1, 7, 5)}  # low, high, top box from


def draw(rng, metric: str, size: int, satisfied: float) -> np.ndarray:
    """``size`` scores whose chance of being top box (NPS: a promoter) is ``satisfied``;
    for NPS the rest splits evenly between passives and detractors."""
    low, high, top = SCALES[metric]
    if metric == "nps":
        rest = (1 - satisfied) / 2
        kind = rng.choice(3, size, p=[satisfied, rest, rest])  # promoter, passive, detractor
        return np.select(
            [kind == 0, kind == 1],
            [rng.integers(9, 11, size), rng.integers(7, 9, size)],
            rng.integers(0, 7, size),
        )
    is_top = rng.random(size) < satisfied
    return np.where(is_top, rng.integers(top, high + 1, size), rng.integers(low, top, size))


def counts_of(metric: str, scores) -> Counts:
    """What a rollup row would hold, summed with numpy."""
    scores = np.asarray(scores, dtype=int)
    top = SCALES[metric][2]
    nps = metric == "nps"
    return Counts(
        n=int(scores.size),
        score_sum=int(scores.sum()),
        top_box=int((scores >= top).sum()),
        promoters=int((scores >= 9).sum()) if nps else 0,
        detractors=int((scores <= 6).sum()) if nps else 0,
    )


def daily_cells(frame: pd.DataFrame, metric: str, key: str = "key") -> list:
    """(key, day, Counts) per key and day of raw responses (columns key, day, score)."""
    return [
        (group_key, day, counts_of(metric, group["score"]))
        for (group_key, day), group in frame.groupby([key, "day"], dropna=False, sort=False)
    ]


def expected_figure(metric: str, scores, min_n: int) -> dict:
    """The API figure object of raw scores, by PRODUCT.md's definitions."""
    scores = np.asarray(scores, dtype=int)
    n = int(scores.size)
    if n == 0 or n < min_n:
        return {"n": n, "value": None, "low": None, "high": None, "mean": None, "suppressed": True}
    if metric == "nps":
        promoters, detractors = (scores >= 9).sum(), (scores <= 6).sum()
        p, d = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
        value = 100 * (promoters - detractors) / n
        half = Z * 100 * np.sqrt((p + d - (p - d) ** 2) / (n + 3))
        low, high = max(-100, value - half), min(100, value + half)
    else:
        top = int((scores >= SCALES[metric][2]).sum())
        value = 100 * top / n
        low, high = (100 * bound for bound in proportion_confint(top, n, method="wilson"))
    return {
        "n": n,
        "value": value,
        "low": low,
        "high": high,
        "mean": float(scores.mean()),
        "suppressed": False,
    }


def assert_figure(actual: dict, expected: dict):
    """n and suppression exactly, numbers to 1e-9."""
    assert actual["n"] == expected["n"]
    assert actual["suppressed"] is expected["suppressed"]
    for name in ("value", "low", "high", "mean"):
        if expected[name] is None:
            assert actual[name] is None
        else:
            assert actual[name] == pytest.approx(expected[name], abs=1e-9), name


def pandas_period_start(days: pd.Series, period: str, week_start: str) -> pd.Series:
    """Period starts by pandas (weekly periods are named by their last day)."""
    if period == "day":
        return days
    weekly = {"monday": "W-SUN", "sunday": "W-SAT", "saturday": "W-FRI"}[week_start]
    freq = "M" if period == "month" else weekly
    return pd.to_datetime(days).dt.to_period(freq).dt.start_time.dt.date


def pandas_period_range(from_day: date, to_day: date, period: str, week_start: str) -> list:
    days = pd.Series(pd.date_range(from_day, to_day, freq="D").date)
    return sorted(set(pandas_period_start(days, period, week_start)))


def responses(rng, metric, keys, from_day, to_day, *, rates, satisfied) -> pd.DataFrame:
    """Raw responses (key, day, score): per key a Poisson number a day at its rate."""
    days = pd.date_range(from_day, to_day, freq="D").date
    frames = []
    for key, rate, share in zip(keys, rates, satisfied, strict=True):
        on_day = np.repeat(days, rng.poisson(rate, len(days)))
        scores = draw(rng, metric, len(on_day), share)
        frames.append(pd.DataFrame({"key": [key] * len(on_day), "day": on_day, "score": scores}))
    return pd.concat(frames, ignore_index=True)
