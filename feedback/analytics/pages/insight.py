"""The insight page's analytics panels.

"What customers say" (customer evidence) and, once the fix is live, "Did it work?"
(impact) are for managers whose scope holds the insight's location: their figures are
that location's. The submitter of an implemented insight — named or anonymous — is
told the verdict in words, never the figures or anything of other locations.
"""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from feedback.analytics import charts, reports
from feedback.analytics.access import analytics_insight, can_see_analytics
from feedback.analytics.reads import Scope
from feedback.metrics import Metric
from feedback.models import Insight

EVIDENCE_COMMENTS = 5
IMPACT_WEEKS = 8


def insight_panels(user, insight: Insight, *, mine: bool) -> dict:
    """The panels' context for ``user`` on ``insight`` (already looked up as they may
    see it): ``evidence`` and ``impact`` for managers in scope, ``verdict`` alone for
    its submitter; nothing for anyone else."""
    if can_see_analytics(user):
        try:
            analytics_insight(user, insight.pk)
        except Http404:
            pass
        else:
            scope = Scope.of(user)
            evidence = reports.evidence_report(scope, insight, limit=EVIDENCE_COMMENTS)
            panels = {"evidence": evidence, "customer_comments": _comments(evidence)}
            if insight.implemented_at:
                impact = reports.impact_report(scope, insight, weeks=IMPACT_WEEKS)
                chart = {"id": "chart-impact", "caption": _("CSAT before and after the fix"),
                         "spec": charts.impact_chart(impact)}  # fmt: skip
                panels |= {"impact": impact, "impact_chart": chart}
            return panels
    if mine and insight.implemented_at:
        # The verdict does not depend on the viewer's scope (only the control group's
        # codes do, and they are not shown here).
        impact = reports.impact_report(Scope.of(user), insight, weeks=IMPACT_WEEKS)
        return {"verdict": impact.verdict}
    return {}


def _comments(evidence) -> list[dict]:
    """The matching comments, with their day and measure ready to print."""
    return [
        {**comment, "day": date.fromisoformat(comment["date"]),
         "metric_label": Metric(comment["metric"]).label}
        for comment in evidence.result.comments
    ]  # fmt: skip
