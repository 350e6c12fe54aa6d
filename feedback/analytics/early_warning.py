"""Early warning: a channel's weekly CSAT falls out of its control limits while staff
report one category of problem on that channel far more often than usual."""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from scipy.stats import binom

from feedback.analytics.common import Cell, by_period, period_of
from feedback.metrics import (
    Counts,
    Figure,
    Metric,
    Period,
    figure,
    min_responses,
    period_starts,
    shift_period,
    shown,
)

# The lower tail of a 3-sigma p-chart, as a probability limit of the binomial.
LOWER_TAIL = 0.00135
HISTORY_WEEKS = 12
SPIKE_FACTOR = 2
SPIKE_MIN = 3

METHOD = _(
    "A week's CSAT on a channel is flagged when it falls below its lower p-chart "
    "probability limit (the binomial 0.135% quantile around the CSAT pooled over the 12 "
    "weeks before) while staff reported a category of problem on that channel that week "
    "at least 3 times and at least twice as often as in an average week of those 12."
)
A_PROMPT = _("A warning is a prompt to look at the insights, not proof that they explain the drop.")


def _unchecked_weeks(count: int) -> str:
    return ngettext(
        "A week with fewer than %(count)d response, or with fewer in the 12 weeks before "
        "it, is not checked.",
        "A week with fewer than %(count)d responses, or with fewer in the 12 weeks before "
        "it, is not checked.",
        count,
    ) % {"count": count}


unchecked_weeks = lazy(_unchecked_weeks, str)


@dataclass(frozen=True)
class EarlyWarning:
    channel: Hashable
    category: Hashable
    week: date
    csat: Figure
    limit: float  # percent: the lower probability limit of that week's CSAT
    baseline: float  # percent: CSAT pooled over the 12 weeks before
    insights: int
    insights_mean: float

    def as_dict(self) -> dict:
        return {
            "channel": self.channel,
            "category": self.category,
            "week": self.week.isoformat(),
            "csat": self.csat.as_dict(),
            "limit": self.limit,
            "baseline": self.baseline,
            "insights": self.insights,
            "insights_mean": self.insights_mean,
        }


@dataclass(frozen=True)
class EarlyWarnings:
    warnings: tuple[EarlyWarning, ...]
    method: str
    caveats: tuple[str, ...]

    def as_dict(self) -> dict:
        """``{"warnings": [{"channel", "category", "week", "csat", "limit",
        "baseline", "insights", "insights_mean"}]}``."""
        return {"warnings": [warning.as_dict() for warning in self.warnings]}


def early_warnings(
    *,
    csat_cells: Iterable[Cell],
    insight_cells: Iterable[tuple[Hashable, Hashable, date, int]],
    from_day: date,
    to_day: date,
    min_n: int | None = None,
    week_start: str | None = None,
) -> EarlyWarnings:
    """Warnings for the weeks covering ``from_day``…``to_day``.

    ``csat_cells`` are ``(channel, day, Counts)`` of CSAT and ``insight_cells``
    ``(channel, category, day, count)`` of insights, both from 12 weeks before the
    first week on. A week is checked when it and its 12 weeks before each have at
    least ``min_n`` responses; it warns when its top-box count is below
    ``binom.ppf(0.00135, n, p̄)`` (p̄ pooled over the 12 weeks before) and a category's
    insight count is at least 3 and at least twice its mean over those weeks (weeks
    without insights count as 0).
    """
    min_n = min_responses() if min_n is None else min_n
    week = Period.WEEK
    csat = by_period(csat_cells, week, week_start=week_start)
    insights: dict[tuple, int] = defaultdict(int)
    categories = defaultdict(set)
    start_of = period_of(week, week_start=week_start)
    for channel, category, day, count in insight_cells:
        insights[channel, category, start_of(day)] += count
        categories[channel].add(category)

    # Every (week, channel) with enough responses first, so that scipy computes all
    # their limits in one vectorised call.
    checked = []
    channels = sorted({key for key, _start in csat}, key=str)
    for start in period_starts(from_day, to_day, week, week_start=week_start):
        history = [shift_period(start, week, -k) for k in range(1, HISTORY_WEEKS + 1)]
        for channel in channels:
            current = csat.get((channel, start), Counts())
            past = sum((csat.get((channel, h), Counts()) for h in history), Counts())
            if shown(current, min_n) and shown(past, min_n):
                checked.append((start, history, channel, current, past.top_box / past.n))
    limits = binom.ppf(LOWER_TAIL, [c[3].n for c in checked], [c[4] for c in checked])

    warnings = []
    for (start, history, channel, current, baseline), limit in zip(checked, limits, strict=True):
        if not current.top_box < limit:
            continue
        for category in sorted(categories[channel], key=str):
            count = insights.get((channel, category, start), 0)
            mean = sum(insights.get((channel, category, h), 0) for h in history) / HISTORY_WEEKS
            if count >= SPIKE_MIN and count >= SPIKE_FACTOR * mean:
                warnings.append(
                    EarlyWarning(
                        channel=channel,
                        category=category,
                        week=start,
                        csat=figure(Metric.CSAT, current, min_n=min_n),
                        limit=100 * float(limit) / current.n,
                        baseline=100 * baseline,
                        insights=count,
                        insights_mean=mean,
                    )
                )
    return EarlyWarnings(
        warnings=tuple(warnings), method=METHOD, caveats=(A_PROMPT, unchecked_weeks(min_n))
    )
