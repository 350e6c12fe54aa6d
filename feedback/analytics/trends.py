"""Trends: CSAT, NPS or CES per period, for each key of a breakdown."""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from feedback.analytics.common import Cell, by_period, few_responses, ordered_keys
from feedback.metrics import Counts, Figure, Metric, Period, figure, min_responses, period_starts

METHODS = {
    Metric.CSAT: _(
        "Each point is the share of CSAT responses scoring 4 or 5 in that period, with its "
        "95% Wilson score interval and the mean score beside it."
    ),
    Metric.CES: _(
        "Each point is the share of CES responses scoring 5 to 7 in that period, with its "
        "95% Wilson score interval and the mean score beside it."
    ),
    Metric.NPS: _(
        "Each point is the percentage of promoters (9–10) minus the percentage of "
        "detractors (0–6) in that period, with its 95% adjusted-Wald interval."
    ),
}
ALL_RESPONSES = _("All responses")


@dataclass(frozen=True)
class Point:
    period_start: date
    figure: Figure

    def as_dict(self) -> dict:
        return {"period_start": self.period_start.isoformat(), **self.figure.as_dict()}


@dataclass(frozen=True)
class Series:
    key: Hashable
    label: str
    points: tuple[Point, ...]

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": str(self.label),
            "points": [point.as_dict() for point in self.points],
        }


@dataclass(frozen=True)
class Trends:
    metric: str
    period: str
    series: tuple[Series, ...]
    method: str
    caveats: tuple[str, ...]

    def as_dict(self) -> dict:
        """``{"metric", "period", "series": [{"key", "label", "points": [...]}]}``."""
        return {
            "metric": self.metric,
            "period": self.period,
            "series": [series.as_dict() for series in self.series],
        }


def trends(
    *,
    metric: str,
    period: str,
    from_day: date,
    to_day: date,
    cells: Iterable[Cell],
    labels: Mapping[Hashable, str] | None = None,
    min_n: int | None = None,
    week_start: str | None = None,
) -> Trends:
    """One series per key (channel, location, team, category code; ``None`` for no
    breakdown) with a point for every period from ``from_day`` to ``to_day``.

    ``cells`` are ``(key, day, Counts)`` of the requested days. A period without
    enough responses is a suppressed point (a gap, never a zero). Series follow the
    order of ``labels`` (which may name keys without data); other keys come after.
    """
    metric, period = Metric(metric), Period(period)
    min_n = min_responses() if min_n is None else min_n
    totals = by_period(cells, period, week_start=week_start)
    starts = period_starts(from_day, to_day, period, week_start=week_start)
    series = []
    for key in ordered_keys({key for key, _start in totals}, labels):
        label = (labels or {}).get(key, ALL_RESPONSES if key is None else str(key))
        points = tuple(
            Point(start, figure(metric, totals.get((key, start), Counts()), min_n=min_n))
            for start in starts
        )
        series.append(Series(key, label, points))
    suppressed = any(point.figure.suppressed for one in series for point in one.points)
    return Trends(
        metric=metric.value,
        period=period.value,
        series=tuple(series),
        method=METHODS[metric],
        caveats=(few_responses(min_n),) if suppressed else (),
    )
