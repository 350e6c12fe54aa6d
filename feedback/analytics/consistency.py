"""Channel consistency: how far apart the channels are, period by period, and whether
that spread is more than noise."""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from scipy.stats import chi2_contingency

from feedback.analytics.common import Cell, by_period, few_responses, ordered_keys
from feedback.metrics import (
    Counts,
    Figure,
    Metric,
    Period,
    figure,
    min_responses,
    period_starts,
    satisfied,
)

METHODS = {
    Metric.CSAT: _(
        "Each channel's CSAT (share of responses scoring 4 or 5) per period; the spread is "
        "the highest minus the lowest among channels with enough responses, and a "
        "chi-square test of independence (4–5 or not, by channel) says whether it is more "
        "than chance."
    ),
    Metric.CES: _(
        "Each channel's CES (share of responses scoring 5 to 7) per period; the spread is "
        "the highest minus the lowest among channels with enough responses, and a "
        "chi-square test of independence (5–7 or not, by channel) says whether it is more "
        "than chance."
    ),
    Metric.NPS: _(
        "Each channel's NPS per period; the spread is the highest minus the lowest among "
        "channels with enough responses, and a chi-square test of independence (promoter "
        "or not, by channel) says whether it is more than chance."
    ),
}


@dataclass(frozen=True)
class ChannelFigure:
    key: Hashable
    label: str
    figure: Figure

    def as_dict(self) -> dict:
        return {"key": self.key, **self.figure.as_dict()}


@dataclass(frozen=True)
class ConsistencyPeriod:
    period_start: date
    channels: tuple[ChannelFigure, ...]
    spread: float | None
    leading: Hashable | None
    lagging: Hashable | None
    chi2: float | None
    p_value: float | None

    def as_dict(self) -> dict:
        return {
            "period_start": self.period_start.isoformat(),
            "channels": [channel.as_dict() for channel in self.channels],
            "spread": self.spread,
            "leading": self.leading,
            "lagging": self.lagging,
            "chi2": self.chi2,
            "p_value": self.p_value,
        }


@dataclass(frozen=True)
class Consistency:
    metric: str
    period: str
    periods: tuple[ConsistencyPeriod, ...]
    method: str
    caveats: tuple[str, ...]

    def as_dict(self) -> dict:
        """``{"periods": [{"period_start", "channels": [{"key", ...figure}], "spread",
        "leading", "lagging", "chi2", "p_value"}]}`` (with ``metric`` and ``period``)."""
        return {
            "metric": self.metric,
            "period": self.period,
            "periods": [period.as_dict() for period in self.periods],
        }


def consistency(
    *,
    metric: str,
    period: str,
    from_day: date,
    to_day: date,
    cells: Iterable[Cell],
    labels: Mapping[Hashable, str] | None = None,
    min_n: int | None = None,
    week_start: str | None = None,
) -> Consistency:
    """Per period from ``from_day`` to ``to_day``: every channel's figure; among the
    channels with at least ``min_n`` responses the spread (highest − lowest, in
    points), the leading and lagging channel, and ``chi2_contingency`` (scipy's
    default, Yates-corrected for two channels) of satisfied or not × channel.
    Those are ``None`` with fewer than two such channels, and chi2 and p when no one,
    or everyone, is satisfied (the test is undefined).

    ``cells`` are ``(channel, day, Counts)`` of the requested days.
    """
    metric, period = Metric(metric), Period(period)
    min_n = min_responses() if min_n is None else min_n
    totals = by_period(cells, period, week_start=week_start)
    keys = ordered_keys({key for key, _start in totals}, labels)
    periods = []
    for start in period_starts(from_day, to_day, period, week_start=week_start):
        counts = {key: totals.get((key, start), Counts()) for key in keys}
        channels = tuple(
            ChannelFigure(key, (labels or {}).get(key, str(key)), figure(metric, c, min_n=min_n))
            for key, c in counts.items()
        )
        periods.append(_compare(metric, start, channels, counts))
    suppressed = any(c.figure.suppressed for one in periods for c in one.channels)
    return Consistency(
        metric=metric.value,
        period=period.value,
        periods=tuple(periods),
        method=METHODS[metric],
        caveats=(few_responses(min_n),) if suppressed else (),
    )


def _compare(metric, start, channels, counts) -> ConsistencyPeriod:
    shown = [channel for channel in channels if not channel.figure.suppressed]
    if len(shown) < 2:
        return ConsistencyPeriod(start, channels, None, None, None, None, None)
    leading = max(shown, key=lambda channel: channel.figure.value)
    lagging = min(shown, key=lambda channel: channel.figure.value)
    yes = [satisfied(metric, counts[channel.key]) for channel in shown]
    no = [counts[channel.key].n - y for channel, y in zip(shown, yes, strict=True)]
    chi2 = p_value = None
    if sum(yes) and sum(no):
        test = chi2_contingency([yes, no])
        chi2, p_value = float(test.statistic), float(test.pvalue)
    return ConsistencyPeriod(
        period_start=start,
        channels=channels,
        spread=leading.figure.value - lagging.figure.value,
        leading=leading.key,
        lagging=lagging.key,
        chi2=chi2,
        p_value=p_value,
    )
