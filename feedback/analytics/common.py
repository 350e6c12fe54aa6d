"""What the analyses share: summing counts into periods, and the caveats they print.

Caveats and methods are lazy translations, so a cached result speaks the language of
whoever reads it, not of whoever computed it.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from feedback.metrics import Counts, period_start

# (key, day, counts): a rollup row summed over everything but the key and the day.
Cell = tuple[Hashable, date, Counts]


def period_of(period: str, *, week_start: str | None = None) -> Callable[[date], date]:
    """``period_start`` for one period and week start, remembering each day's answer:
    rollup rows repeat the same days many times."""
    starts: dict[date, date] = {}

    def start_of(day: date) -> date:
        start = starts.get(day)
        if start is None:
            start = starts[day] = period_start(day, period, week_start=week_start)
        return start

    return start_of


def by_period(
    cells: Iterable[Cell], period: str, *, week_start: str | None = None
) -> dict[tuple[Hashable, date], Counts]:
    """Counts per (key, period start). A cell dated any day of a period counts towards
    it, so daily rollup rows and counts already summed per period both work."""
    # Sums of plain ints: this loop runs over every rollup row a page reads.
    sums: dict[tuple[Hashable, date], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    start_of = period_of(period, week_start=week_start)
    for key, day, counts in cells:
        total = sums[key, start_of(day)]
        total[0] += counts.n
        total[1] += counts.score_sum
        total[2] += counts.top_box
        total[3] += counts.promoters
        total[4] += counts.detractors
    return {cell: Counts(*total) for cell, total in sums.items()}


def ordered_keys(keys: Iterable[Hashable], labels: Mapping | None) -> list[Hashable]:
    """The keys of ``labels`` in their order, then any other key, sorted."""
    known = list(labels or {})
    others = sorted(set(keys) - set(known), key=lambda key: (key is not None, str(key)))
    return known + others


def _few_responses(min_n: int) -> str:
    return ngettext(
        "A figure from fewer than %(count)d response is not shown.",
        "Figures from fewer than %(count)d responses are not shown.",
        min_n,
    ) % {"count": min_n}


few_responses = lazy(_few_responses, str)

NOT_CAUSE = _(
    "Correlation is not cause: teams that train more may differ from the others in other ways too."
)
NOT_AN_EXPERIMENT = _(
    "This is not an experiment: anything else that changed at the same time and place "
    "moves the figures too."
)
