"""``/api/v1/survey-responses/`` and ``/api/v1/survey-imports/``: managers and
administrators only; everything starts from the access functions of
``feedback.survey.selectors``."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from feedback.models import SurveyImport, SurveyResponse
from feedback.survey import exports
from feedback.survey import serializers as s
from feedback.survey.filters import SurveyResponseFilter
from feedback.survey.importing import survey_import_rows
from feedback.survey.jobs import survey_import_start
from feedback.survey.selectors import survey_imports_visible_to, survey_responses_visible_to
from portal.api.parsers import JSONParser
from portal.api.permissions import IsManager
from portal.api.renderers import ExportMixin
from portal.exports import XLSX_TYPE, table_response

FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "xlsx"],
    description="csv or xlsx: every filtered response as a table, in the reader's language.",
)
WRITE_OPTIONS = [
    OpenApiParameter(
        "on_error", OpenApiTypes.STR, enum=["abort", "skip"], description="Default abort."
    ),
    OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Report only, write nothing."),
    OpenApiParameter("source", OpenApiTypes.STR, description="Source for rows without one."),
]
ONE_OR_MANY = PolymorphicProxySerializer(
    component_name="SurveyResponseWrite",
    serializers=[s.SurveyResponseInputSerializer, s.SurveyResponseInputSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)
TRUE = {"1", "true", "yes", "on"}


@extend_schema_view(
    list=extend_schema(
        summary="Survey responses in your scope",
        parameters=[FORMAT],
        responses={
            (200, "application/json"): s.SurveyResponseSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_TYPE): OpenApiTypes.BINARY,
        },
    ),
    create=extend_schema(
        summary="Write one response or a list of up to 10,000",
        description=(
            "Idempotent on (source, external_id): an equal row is unchanged, a different "
            "one updated. With any bad row nothing is written (400) unless on_error=skip. "
            "Errors name the item (line = list position + 1) and the field."
        ),
        parameters=WRITE_OPTIONS,
        request=ONE_OR_MANY,
        responses={
            201: s.ImportCountsSerializer,
            200: OpenApiResponse(s.ImportCountsSerializer, description="Dry run: nothing written."),
            400: OpenApiResponse(s.ImportCountsSerializer, description="Refused: nothing written."),
        },
    ),
)
class SurveyResponseViewSet(
    ExportMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsManager]
    serializer_class = s.SurveyResponseSerializer
    filterset_class = SurveyResponseFilter
    parser_classes = [JSONParser]

    def get_renderers(self):
        # Only the list is also a table; a write answers in JSON.
        if self.action == "list":
            return super().get_renderers()
        return [JSONRenderer()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SurveyResponse.objects.none()
        return (
            survey_responses_visible_to(self.request.user)
            .with_related()
            .order_by("-responded_at", "-id")
        )

    def list(self, request, *args, **kwargs):
        fmt = self.export_format(request)
        if fmt is None:
            return super().list(request, *args, **kwargs)
        rows = self.filter_queryset(self.get_queryset()).iterator(chunk_size=2000)
        headers, table = exports.responses_table(rows)
        return table_response(fmt, "survey-responses", headers, table)

    def create(self, request, *args, **kwargs):
        data = request.data
        items = [data] if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send a response object or a list of them.")]}
            )
        if len(items) > s.MAX_JSON_ROWS:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("At most %(max)s responses per request.")
                        % {"max": f"{s.MAX_JSON_ROWS:,}"}
                    ]
                }
            )
        params = request.query_params
        on_error = params.get("on_error", SurveyImport.OnError.ABORT)
        if on_error not in SurveyImport.OnError.values:
            raise serializers.ValidationError({"on_error": [_("Choose “abort” or “skip”.")]})
        dry_run = params.get("dry_run", "").lower() in TRUE
        result = survey_import_rows(
            rows=items,
            by=request.user,
            source=params.get("source", ""),
            on_error=on_error,
            dry_run=dry_run,
        )
        if result.refused:
            code = status.HTTP_400_BAD_REQUEST
        else:
            code = status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED
        return Response(s.result_data(result), status=code)


ERRORS_PAGE = OpenApiParameter(
    "page", OpenApiTypes.INT, description="Page of the job's row errors (100 a page)."
)
ERRORS_PAGE_SIZE = OpenApiParameter(
    "page_size", OpenApiTypes.INT, description="Row errors per page (at most 1,000)."
)


@extend_schema_view(
    list=extend_schema(
        summary="Your survey imports (every import, for administrators)",
        description="Each job carries its first 10 row errors; read a job for the others.",
    ),
    retrieve=extend_schema(
        summary="One import: status, progress, counts, one page of row errors",
        parameters=[ERRORS_PAGE, ERRORS_PAGE_SIZE],
    ),
    create=extend_schema(
        summary="Upload a CSV or XLSX file to import in the background",
        request={"multipart/form-data": s.SurveyImportCreateSerializer},
        responses={202: s.SurveyImportSerializer},
    ),
)
class SurveyImportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsManager]
    serializer_class = s.SurveyImportSerializer
    parser_classes = [MultiPartParser, FormParser]
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SurveyImport.objects.none()
        return survey_imports_visible_to(self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        if self.action == "create":
            return s.SurveyImportCreateSerializer
        return s.SurveyImportSerializer

    def retrieve(self, request, *args, **kwargs):
        job = self.get_object()
        page, size = _page_numbers(request)
        start = (page - 1) * size
        context = {**self.get_serializer_context(), "errors_slice": (start, start + size)}
        response = Response(s.SurveyImportSerializer(job, context=context).data)
        links = []
        if start + size < len(job.errors):
            links.append(f'<{_page_url(request, page + 1)}>; rel="next"')
        if page > 1:
            links.append(f'<{_page_url(request, page - 1)}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        return response

    def create(self, request, *args, **kwargs):
        payload = s.SurveyImportCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = survey_import_start(by=request.user, **payload.validated_data)
        job = self.get_queryset().get(pk=job.pk)
        return Response(s.SurveyImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def _page_numbers(request) -> tuple[int, int]:
    def number(name: str, default: int, high: int) -> int:
        raw = request.query_params.get(name, "")
        if not raw:
            return default
        if not raw.isdigit() or not 1 <= int(raw) <= high:
            raise serializers.ValidationError(
                {name: [_("A whole number from 1 to %(max)s.") % {"max": high}]}
            )
        return int(raw)

    return number("page", 1, 10_000), number("page_size", 100, 1000)


def _page_url(request, page: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
