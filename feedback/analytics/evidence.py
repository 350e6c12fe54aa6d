"""Customer evidence for an insight: the CSAT of the survey responses whose comments
resemble the insight, beside the CSAT of all responses on its channel and location.

The text matching happens in the database; this module gets its counts.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from feedback.analytics.common import few_responses
from feedback.metrics import Counts, Figure, Metric, figure, min_responses

METHOD = _(
    "The CSAT (share scoring 4 or 5) of the survey responses on this channel whose comment "
    "resembles the insight's text, beside the CSAT of all responses on the same channel "
    "and location over the same time."
)
MATCHED_ON_WORDS = _(
    "Comments are matched on shared words, not on meaning; the matching responses are "
    "part of all responses, so the two figures are not independent."
)


@dataclass(frozen=True)
class Evidence:
    comments: tuple
    matching: Figure
    overall: Figure
    method: str
    caveats: tuple[str, ...]

    def as_dict(self) -> dict:
        """``{"comments": [...], "matching": figure, "overall": figure}``."""
        return {
            "comments": list(self.comments),
            "matching": self.matching.as_dict(),
            "overall": self.overall.as_dict(),
        }


def evidence(
    *,
    matching: Counts,
    overall: Counts,
    comments: Sequence = (),
    min_n: int | None = None,
) -> Evidence:
    """The figures of customer evidence: CSAT ``matching`` (the responses whose comment
    matched) and ``overall`` (all responses on the channel and location over the same
    time). ``comments`` (already serialisable, e.g. dicts of text, score and date) are
    passed through."""
    min_n = min_responses() if min_n is None else min_n
    matching_figure = figure(Metric.CSAT, matching, min_n=min_n)
    overall_figure = figure(Metric.CSAT, overall, min_n=min_n)
    caveats = [MATCHED_ON_WORDS]
    if matching_figure.suppressed or overall_figure.suppressed:
        caveats.append(few_responses(min_n))
    return Evidence(
        comments=tuple(comments),
        matching=matching_figure,
        overall=overall_figure,
        method=METHOD,
        caveats=tuple(caveats),
    )
