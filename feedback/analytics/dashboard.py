"""The manager dashboard's headline: CSAT, NPS and CES of the last complete period
against the one before, for the viewer's scope, from the same metric module and rollups
as every analysis.

The dashboard compares the last *complete* period (last week, not this week so far), so
that a Monday morning does not show a week of a few hours.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.analytics import reads
from feedback.analytics.common import few_responses
from feedback.metrics import (
    Counts,
    Estimate,
    Figure,
    Metric,
    difference,
    figure,
    min_responses,
    period_start,
    shift_period,
)
from portal import results_cache as cache
from portal.routers import analytics_reads

# A change is called significant at this two-sided p-value (one comparison per metric).
SIGNIFICANCE = 0.05

METHOD = _(
    # xgettext:no-python-format
    "CSAT and CES are the share of responses scoring 4–5 and 5–7, NPS the percentage of "
    "promoters minus detractors, each with its 95% interval (Wilson; adjusted Wald for "
    "NPS); the change against the period before has a Newcombe interval and a "
    "two-proportion z-test (for NPS, a z-test on the adjusted-Wald estimates)."
)


def last_complete_day(period: str, today: date | None = None) -> date:
    """The last day of the last complete day, week or month before ``today``."""
    today = today or timezone.localdate()
    return period_start(today, period) - timedelta(days=1)


@dataclass(frozen=True)
class HeadlineFigure:
    metric: str
    current: Figure
    previous: Figure
    change: Estimate  # current − previous, in points

    @property
    def label(self) -> str:
        return Metric(self.metric).label

    @property
    def unit(self) -> str:
        # NPS runs from −100 to 100 and is not a percentage.
        return "" if self.metric == Metric.NPS else "%"

    @property
    def significant(self) -> bool:
        p_value = self.change.p_value
        return p_value is not None and p_value <= SIGNIFICANCE


@dataclass(frozen=True)
class Headline:
    period: str
    current_start: date
    current_end: date
    previous_start: date
    figures: tuple[HeadlineFigure, ...]
    method: str
    caveats: tuple[str, ...]


def headline_report(scope: reads.Scope, *, period: str, day: date, filters: dict) -> Headline:
    """CSAT, NPS and CES of the period holding ``day`` and of the period before, in
    ``scope`` narrowed by ``filters`` (``{"channel": id, "location": id}``)."""
    current = period_start(day, period)
    previous = shift_period(current, period, -1)
    current_end = shift_period(current, period, 1) - timedelta(days=1)

    def compute():
        figures = []
        with analytics_reads():
            for metric in Metric.values:
                rows = reads.rollups(
                    scope, metric=metric, from_day=previous, to_day=current_end, filters=filters
                )
                # One query: the two periods' counts per channel, summed here.
                split = reads.before_after(rows, by="channel", split=current).values()
                before = sum((pair[0] for pair in split), Counts())
                after = sum((pair[1] for pair in split), Counts())
                figures.append(
                    HeadlineFigure(
                        metric=metric,
                        current=figure(metric, after),
                        previous=figure(metric, before),
                        change=difference(metric, after, before),
                    )
                )
        shown_all = all(not (f.current.suppressed or f.previous.suppressed) for f in figures)
        return Headline(
            period=period,
            current_start=current,
            current_end=current_end,
            previous_start=previous,
            figures=tuple(figures),
            method=METHOD,
            caveats=() if shown_all else (few_responses(min_responses()),),
        )

    return cache.cached(
        "headline",
        scope=scope.key,
        params={"period": period, "current": current, "filters": filters},
        reads=[cache.SURVEY],
        compute=compute,
    )
