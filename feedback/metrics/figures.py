"""Figures and the test statistics of the analyses, over counts.

Proportions are 0–1 inside the statistics functions; figures and estimates are in
percent (0–100, NPS −100…100) and differences in points.
"""

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.conf import settings
from scipy.stats import norm

from feedback.metrics.scores import Counts, Metric, check_metric

# The two-sided 95% normal quantile, 1.959964 to the six decimals PRODUCT.md gives.
# Computed rather than typed so intervals agree with statsmodels to the last digit.
Z = float(norm.isf(0.025))


@dataclass(slots=True)
class Figure:
    """One figure as every page, API and export shows it: suppressed figures have
    ``n`` and nothing else."""

    n: int
    value: float | None
    low: float | None
    high: float | None
    mean: float | None
    suppressed: bool

    def as_dict(self) -> dict:
        """The API's figure object ``{"n", "value", "low", "high", "mean", "suppressed"}``."""
        return asdict(self)


@dataclass(slots=True)
class Estimate:
    """A difference in points with its 95% interval and two-sided p-value (all None
    when a figure it needs is suppressed)."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    p_value: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def min_responses() -> int:
    """``ANALYTICS_MIN_RESPONSES``, read at call time so tests and settings changes apply."""
    return settings.ANALYTICS_MIN_RESPONSES


def shown(counts: Counts, min_n: int | None = None) -> bool:
    """Whether a figure of ``counts`` is shown (n at least the minimum, and not 0)."""
    return counts.n > 0 and counts.n >= (min_responses() if min_n is None else min_n)


def figure(metric: str, counts: Counts, *, min_n: int | None = None) -> Figure:
    """The figure of ``counts``: CSAT/CES % top box with its Wilson interval, NPS with
    its adjusted-Wald interval around the raw NPS; the mean score beside it.
    Below ``min_n`` (default ``ANALYTICS_MIN_RESPONSES``) only n is given."""
    metric = check_metric(metric)
    n = counts.n
    if not shown(counts, min_n):
        return Figure(n, None, None, None, None, True)
    if metric == Metric.NPS:
        value = (counts.promoters - counts.detractors) / n
        low, high = nps_interval(counts.promoters, counts.detractors, n)
    else:
        value = counts.top_box / n
        low, high = wilson_interval(counts.top_box, n)
    return Figure(n, 100 * value, 100 * low, 100 * high, counts.score_sum / n, False)


def wilson_interval(count: int, n: int, z: float = Z) -> tuple[float, float]:
    """Wilson score interval of the proportion ``count / n`` (0–1)."""
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def nps_adjusted(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    """The adjusted-Wald NPS estimate (−1…1) and its variance: ¾ added to promoters
    and to detractors, 3 to n."""
    p = (promoters + 0.75) / (n + 3)
    d = (detractors + 0.75) / (n + 3)
    return p - d, (p + d - (p - d) ** 2) / (n + 3)


def nps_interval(promoters: int, detractors: int, n: int, z: float = Z) -> tuple[float, float]:
    """95% adjusted-Wald interval (−1…1) around the raw NPS, clipped to ±1."""
    raw = (promoters - detractors) / n
    half = z * math.sqrt(nps_adjusted(promoters, detractors, n)[1])
    return max(-1.0, raw - half), min(1.0, raw + half)


def z_p_value(z: float) -> float:
    """Two-sided p-value of a standard normal statistic."""
    return float(2 * norm.sf(abs(z)))


def two_proportion_p_value(count1: int, n1: int, count2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test of count1/n1 against count2/n2."""
    pooled = (count1 + count2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        # Both groups all satisfied, or none: no difference to test.
        return 1.0
    return z_p_value((count1 / n1 - count2 / n2) / se)


def nps_difference_p_value(first: Counts, second: Counts) -> float:
    """Two-sided p-value of the z-test on two adjusted-Wald NPS estimates."""
    e1, v1 = nps_adjusted(first.promoters, first.detractors, first.n)
    e2, v2 = nps_adjusted(second.promoters, second.detractors, second.n)
    return z_p_value((e1 - e2) / math.sqrt(v1 + v2))


def newcombe_interval(count1: int, n1: int, count2: int, n2: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval (his method 10) of count1/n1 − count2/n2,
    built from the two Wilson intervals."""
    p1, p2 = count1 / n1, count2 / n2
    low1, high1 = wilson_interval(count1, n1)
    low2, high2 = wilson_interval(count2, n2)
    difference = p1 - p2
    return (
        difference - math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2),
        difference + math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2),
    )


def did_wald(cells: Sequence[tuple[int, int]]) -> tuple[float, float, float, float]:
    """Difference-in-differences (treated after − before) − (control after − before)
    of four cells ``(count, n)`` in that order: treated after, treated before, control
    after, control before. Returns the estimate, its Wald interval (0–1 units) and p."""
    (ta, nta), (tb, ntb), (ca, nca), (cb, ncb) = cells
    shares = [(count / n, n) for count, n in cells]
    did = (ta / nta - tb / ntb) - (ca / nca - cb / ncb)
    se = math.sqrt(sum(p * (1 - p) / n for p, n in shares))
    if se == 0:
        # Every cell all satisfied or none: the estimate is exact.
        return did, did, did, 1.0 if did == 0 else 0.0
    return did, did - Z * se, did + Z * se, z_p_value(did / se)


def bh_q_values(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg q-values, in the order given: monotone in p, capped at 1."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q_values = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q_values[i] = running
    return q_values


def difference(
    metric: str, current: Counts, previous: Counts, *, min_n: int | None = None
) -> Estimate:
    """``current`` minus ``previous`` in points. CSAT/CES: Newcombe interval and pooled
    two-proportion z-test; NPS: interval and z-test on the adjusted-Wald estimates
    around the raw difference. Empty when either figure is suppressed."""
    metric = check_metric(metric)
    if not (shown(current, min_n) and shown(previous, min_n)):
        return Estimate()
    if metric == Metric.NPS:
        value = (current.promoters - current.detractors) / current.n - (
            previous.promoters - previous.detractors
        ) / previous.n
        v1 = nps_adjusted(current.promoters, current.detractors, current.n)[1]
        v2 = nps_adjusted(previous.promoters, previous.detractors, previous.n)[1]
        half = Z * math.sqrt(v1 + v2)
        low, high = value - half, value + half
        p_value = nps_difference_p_value(current, previous)
    else:
        cells = (current.top_box, current.n, previous.top_box, previous.n)
        value = current.top_box / current.n - previous.top_box / previous.n
        low, high = newcombe_interval(*cells)
        p_value = two_proportion_p_value(*cells)
    return Estimate(100 * value, 100 * low, 100 * high, p_value)


def difference_in_differences(
    *,
    treated_before: Counts,
    treated_after: Counts,
    control_before: Counts,
    control_after: Counts,
    metric: str = Metric.CSAT,
    min_n: int | None = None,
) -> Estimate:
    """(treated after − before) − (control after − before) of the share satisfied, in
    points, with the Wald interval from the four cells' proportions and its p-value.
    Empty when any cell is suppressed."""
    if check_metric(metric) == Metric.NPS:
        raise ValueError("difference-in-differences is defined on a share, not on NPS")
    cells = (treated_after, treated_before, control_after, control_before)
    if not all(shown(cell, min_n) for cell in cells):
        return Estimate()
    did, low, high, p_value = did_wald([(cell.top_box, cell.n) for cell in cells])
    return Estimate(100 * did, 100 * low, 100 * high, p_value)
