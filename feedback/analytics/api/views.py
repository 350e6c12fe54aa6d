"""The analytics API (``/api/v1/analytics/…``): managers and administrators, each
limited to their scope; JSON, or the same figures as a CSV or XLSX table
(``?format=csv|xlsx``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from feedback.analytics import params as p
from feedback.analytics import reports, tables
from feedback.analytics.access import analytics_insight, can_see_analytics
from feedback.analytics.api import serializers as s
from feedback.analytics.reads import Scope
from portal.api.permissions import IsManager
from portal.api.renderers import ExportMixin
from portal.exports import table_response


class NotImplementedYet(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This insight's fix has not gone live: there is nothing to compare yet.")
    default_code = "not_implemented"


class AnalyticsPermission(IsManager):
    def has_permission(self, request, view):
        return can_see_analytics(request.user)


FORMAT = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"], description="A table instead."
)


def _query_parameters(params_class) -> list[OpenApiParameter]:
    types = {
        "DateField": OpenApiTypes.DATE,
        "IntegerField": OpenApiTypes.INT,
    }
    found = []
    for name, field in params_class().fields.items():
        choices = list(getattr(field, "choices", {}) or {}) or None
        found.append(
            OpenApiParameter(
                name,
                types.get(type(field).__name__, OpenApiTypes.STR),
                enum=choices,
                description=str(field.help_text or ""),
            )
        )
    return [*found, FORMAT]


class AnalyticsView(ExportMixin, APIView):
    """One analysis: parameters checked, the result computed (or read from the cache)
    for the viewer's scope, answered as JSON with its method and caveats, or as a
    table."""

    permission_classes = [AnalyticsPermission]
    params_class = None
    name = ""

    def report(self, request, scope: Scope, params: dict, **kwargs):
        raise NotImplementedError

    def get(self, request, *args, format=None, **kwargs):
        scope = Scope.of(request.user)
        params = p.parse(self.params_class, request.query_params, scope=scope)
        result = self.report(request, scope, params, **kwargs)
        fmt = self.export_format(request)
        if fmt:
            headers, rows = tables.table(self.name, result)
            return table_response(fmt, f"analytics-{self.name}", headers, rows)
        return Response(
            {
                **result.as_dict(),
                "method": str(result.method),
                "caveats": [str(caveat) for caveat in result.caveats],
            }
        )


def _documented(serializer, params_class, *, conflict: bool = False):
    responses = {200: serializer}
    if conflict:
        responses[409] = OpenApiResponse(description=str(NotImplementedYet.default_detail))
    return extend_schema(parameters=_query_parameters(params_class), responses=responses)


class TrendsView(AnalyticsView):
    """CSAT, NPS or CES per day, week or month, one series per channel, location, team
    or category (or one for all), each point with n, interval and mean."""

    params_class, name = p.TrendsParams, "trends"

    @_documented(s.TrendsSerializer, p.TrendsParams)
    def get(self, request, *args, format=None, **kwargs):
        return super().get(request, *args, format=format, **kwargs)

    def report(self, request, scope, params, **kwargs):
        return reports.trends_report(scope, params)


class MoversView(AnalyticsView):
    """The period holding ``date`` against the one before, per group: difference,
    p-value and Benjamini–Hochberg q-value."""

    params_class, name = p.MoversParams, "movers"

    @_documented(s.MoversSerializer, p.MoversParams)
    def get(self, request, *args, format=None, **kwargs):
        return super().get(request, *args, format=format, **kwargs)

    def report(self, request, scope, params, **kwargs):
        return reports.movers_report(scope, params)


class ConsistencyView(AnalyticsView):
    """Per period, each channel's figure, the spread between them, the leading and
    lagging channel and a chi-square test of whether the spread is more than noise."""

    params_class, name = p.ConsistencyParams, "consistency"

    @_documented(s.ConsistencySerializer, p.ConsistencyParams)
    def get(self, request, *args, format=None, **kwargs):
        return super().get(request, *args, format=format, **kwargs)

    def report(self, request, scope, params, **kwargs):
        return reports.consistency_report(scope, params)


class EvidenceView(AnalyticsView):
    """Survey comments on the insight's channel that resemble it, the CSAT of those
    responses, and the CSAT of all responses on its channel and location."""

    params_class, name = p.EvidenceParams, "evidence"

    @_documented(s.EvidenceSerializer, p.EvidenceParams)
    def get(self, request, *args, format=None, **kwargs):
        return super().get(request, *args, format=format, **kwargs)

    def report(self, request, scope, params, pk=None):
        insight = analytics_insight(request.user, pk)
        return reports.evidence_report(scope, insight, limit=params["limit"])


class ImpactView(AnalyticsView):
    """CSAT before and after an implemented fix, against control locations."""

    params_class, name = p.ImpactParams, "impact"

    @_documented(s.ImpactSerializer, p.ImpactParams, conflict=True)
    def get(self, request, *args, format=None, **kwargs):
        return super().get(request, *args, format=format, **kwargs)

    def report(self, request, scope, params, pk=None):
        insight = analytics_insight(request.user, pk)
        if insight.implemented_at is None:
            raise NotImplementedYet
        return reports.impact_report(scope, insight, weeks=params["weeks"])


class TrainingView(AnalyticsView):
    """Per team: the share of members compliant at the end of the period and the
    team's CSAT in it; Spearman's ρ with a permutation p-value."""

    params_class, name = p.TrainingParams, "training-vs-csat"

    @_documented(s.TrainingSerializer, p.TrainingParams)
    def get(self, request, *args, format=None, **kwargs):
        return super().get(request, *args, format=format, **kwargs)

    def report(self, request, scope, params, **kwargs):
        return reports.training_report(scope, params)


class WarningsView(AnalyticsView):
    """Weeks in which a channel's CSAT fell below its control limit while one category
    of insight on it spiked."""

    params_class, name = p.WarningsParams, "early-warnings"

    @_documented(s.WarningsSerializer, p.WarningsParams)
    def get(self, request, *args, format=None, **kwargs):
        return super().get(request, *args, format=format, **kwargs)

    def report(self, request, scope, params, **kwargs):
        return reports.warnings_report(scope, params)
