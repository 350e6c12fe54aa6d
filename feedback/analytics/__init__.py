"""The analyses linking employee insight and training to customer satisfaction.

One module per analysis; each is a pure function from counts (read from the rollups
by the caller) to a result object with ``as_dict()`` giving the API's JSON shape,
a ``method`` sentence and ``caveats``, all translatable. No database here.
"""

from feedback.analytics.consistency import Consistency, ConsistencyPeriod, consistency
from feedback.analytics.early_warning import EarlyWarning, EarlyWarnings, early_warnings
from feedback.analytics.evidence import Evidence, evidence
from feedback.analytics.impact import Control, Impact, Placebo, Verdict, impact
from feedback.analytics.movers import Mover, Movers, movers
from feedback.analytics.training import TeamPoint, TeamRecord, TrainingVsCsat, training_vs_csat
from feedback.analytics.trends import Point, Series, Trends, trends

__all__ = [
    "Consistency",
    "ConsistencyPeriod",
    "Control",
    "EarlyWarning",
    "EarlyWarnings",
    "Evidence",
    "Impact",
    "Mover",
    "Movers",
    "Placebo",
    "Point",
    "Series",
    "TeamPoint",
    "TeamRecord",
    "TrainingVsCsat",
    "Trends",
    "Verdict",
    "consistency",
    "early_warnings",
    "evidence",
    "impact",
    "movers",
    "training_vs_csat",
    "trends",
]
