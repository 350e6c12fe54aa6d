"""Who sees which survey data. One access function per resource, used by every page,
API view, export, admin queryset and service:

* :func:`survey_responses_visible_to` – responses at the locations a manager manages
  (admins and organisation-wide managers: all; anyone else: none);
* :func:`survey_rollups_visible_to` – the daily rollup, under the same rule (what the
  analytics read);
* :func:`survey_imports_visible_to` – import jobs: a manager's own, every job for an
  administrator.
"""

from django.db.models import QuerySet

from feedback.models import SurveyDailyRollup, SurveyImport, SurveyResponse
from portal.models import User
from portal.scope import in_scope


def _is_manager(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_manager)


def survey_responses_visible_to(user: User) -> QuerySet[SurveyResponse]:
    """The survey responses ``user`` may see: those in their management scope."""
    if not _is_manager(user):
        return SurveyResponse.objects.none()
    return in_scope(SurveyResponse.objects.all(), user)


def survey_rollups_visible_to(user: User) -> QuerySet[SurveyDailyRollup]:
    """The daily rollup rows ``user`` may read (the same scope as the responses):
    one row per day × location × channel × team × category × metric with ``n``,
    ``score_sum``, ``top_box``, ``promoters`` and ``detractors``."""
    if not _is_manager(user):
        return SurveyDailyRollup.objects.none()
    return in_scope(SurveyDailyRollup.objects.all(), user)


def survey_imports_visible_to(user: User) -> QuerySet[SurveyImport]:
    """Import jobs ``user`` may follow: their own; administrators see every job."""
    if not _is_manager(user):
        return SurveyImport.objects.none()
    qs = SurveyImport.objects.select_related("created_by")
    if user.is_portal_admin:
        return qs
    return qs.filter(created_by=user)
