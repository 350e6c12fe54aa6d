"""Who may see the analytics: the one access rule for their API, pages and exports.

Managers and administrators see the analyses of their scope (``portal.scope``);
nobody else sees any. An insight's evidence and impact are shown to those who may
see the insight *and* manage its location: its figures are that location's.
"""

from django.http import Http404

from feedback.models import Insight
from feedback.selectors import insights_visible_to
from portal.scope import location_in_scope


def can_see_analytics(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_manager)


def analytics_insight(user, pk) -> Insight:
    """The insight ``pk`` if ``user`` may see its analyses; 404 otherwise."""
    insight = None
    if can_see_analytics(user):
        insight = insights_visible_to(user).filter(pk=pk).first()
    if insight is None or not location_in_scope(user, insight.location_id):
        raise Http404
    return insight
