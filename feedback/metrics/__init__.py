"""The metric module: every CSAT, NPS and CES figure in the product comes from here.

Pure functions over counts, no database: the import validates scores with it, the
rollups store what :class:`Counts` holds, and pages, API, exports and analyses turn
counts into :class:`Figure` objects and test statistics with it. Import from here
(``from feedback.metrics import figure``), not from the submodules.
"""

from feedback.metrics.figures import (
    Estimate,
    Figure,
    Z,
    bh_q_values,
    did_wald,
    difference,
    difference_in_differences,
    figure,
    min_responses,
    newcombe_interval,
    nps_adjusted,
    nps_difference_p_value,
    nps_interval,
    shown,
    two_proportion_p_value,
    wilson_interval,
    z_p_value,
)
from feedback.metrics.periods import (
    WEEK_STARTS,
    Period,
    local_day,
    period_start,
    period_starts,
    shift_period,
)
from feedback.metrics.scores import (
    DETRACTOR_UP_TO,
    PROMOTER_FROM,
    SCORE_RANGES,
    TOP_BOX_FROM,
    Counts,
    Metric,
    is_detractor,
    is_promoter,
    is_top_box,
    is_valid_score,
    satisfied,
    score_range,
)

__all__ = [
    "DETRACTOR_UP_TO",
    "PROMOTER_FROM",
    "SCORE_RANGES",
    "TOP_BOX_FROM",
    "WEEK_STARTS",
    "Counts",
    "Estimate",
    "Figure",
    "Metric",
    "Period",
    "Z",
    "bh_q_values",
    "did_wald",
    "difference",
    "difference_in_differences",
    "figure",
    "is_detractor",
    "is_promoter",
    "is_top_box",
    "is_valid_score",
    "local_day",
    "min_responses",
    "newcombe_interval",
    "nps_adjusted",
    "nps_difference_p_value",
    "nps_interval",
    "period_start",
    "period_starts",
    "satisfied",
    "score_range",
    "shift_period",
    "shown",
    "two_proportion_p_value",
    "wilson_interval",
    "z_p_value",
]
