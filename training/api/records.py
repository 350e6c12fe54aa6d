"""Assignments, rules, attempts, acknowledgements and compliance in the API."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.renderers import ExportMixin
from portal.exports import XLSX_TYPE, table_response
from training import services
from training.api import serializers as s
from training.api.views import TrainingAPIMixin, _fake, conflict
from training.compliance import ROLLUPS, compliance_as_of, rollup
from training.evidence import EVIDENCE_COLUMNS, evidence_rows
from training.models import Acknowledgement, Assignment, AssignmentRule, Attempt, Standard
from training.selectors import (
    acknowledgements_visible_to,
    assignments_visible_to,
    attempts_visible_to,
    can_see_compliance,
    is_author,
    people_in_compliance_scope,
    rules_visible_to,
    standards_visible_to,
)


def _language(request) -> str:
    return (translation.get_language() or request.user.language or "en")[:2]


class AssignmentViewSet(
    TrainingAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Frontline staff see their own assignments, managers those of the people in
    their scope, trainers all. Trainers assign (POST) to people, a team, a location
    or a role; idempotent: ``{"created", "already_open"}``."""

    serializer_class = s.AssignmentSerializer
    filterset_fields = ["status", "reason"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if _fake(self):
            return Assignment.objects.none()
        qs = (
            assignments_visible_to(self.request.user)
            .select_related("user", "module", "assigned_by")
            .annotate(attempts_used=Count("attempts"))
            .order_by("due_date", "id")
        )
        params = self.request.query_params
        if params.get("module"):
            qs = qs.filter(module__code=params["module"])
        if params.get("user"):
            qs = qs.filter(user__username=params["user"])
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(request=s.AssignRequestSerializer, responses={201: s.AssignResultSerializer})
    def create(self, request, *args, **kwargs):
        if not is_author(request.user):
            raise exceptions.PermissionDenied
        payload = s.AssignRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = services.assign(
            module=data["module"],
            due_date=data["due_date"],
            by=request.user,
            users=data.get("users"),
            team=data.get("team"),
            location=data.get("location"),
            role=data.get("role", ""),
        )
        return Response(
            {"created": result.created, "already_open": result.already_open},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={
            201: s.AttemptStartedSerializer,
            200: OpenApiResponse(
                s.AttemptStartedSerializer, description="The attempt in progress, resumed."
            ),
            409: conflict("the module is passed, or no attempts are left."),
        },
    )
    @action(detail=True, methods=["post"])
    def attempts(self, request, pk=None):
        """Start the quiz (201), or resume the attempt in progress (200): the questions
        shuffled for this attempt, without answers. A passed module, or one with no
        attempts left, is 409."""
        assignment = self.get_object()
        attempt, created = services.attempt_start(assignment=assignment, by=request.user)
        return Response(
            {
                "id": attempt.pk,
                "number": attempt.number,
                "module": assignment.module.code,
                "questions": services.questions_shown(attempt, _language(request)),
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def attempt_payload(attempt: Attempt, language: str) -> dict:
    """An attempt as its taker sees it: the questions while it is open; after it is
    submitted, the score and, per question, whether it was right and why."""
    module = attempt.module
    assignment = attempt.assignment
    used = getattr(attempt, "submitted_on_assignment", None)
    if used is None:
        used = assignment.attempts.filter(submitted_at__isnull=False).count()
    data = {
        "id": attempt.pk,
        "number": attempt.number,
        "module": module.code,
        "submitted": attempt.is_submitted,
        "score": float(attempt.score) if attempt.score is not None else None,
        "passed": attempt.passed,
        "pass_mark": module.pass_mark,
        "attempts_left": 0 if not assignment.is_open else max(0, module.max_attempts - used),
    }
    if not attempt.is_submitted:
        data["questions"] = services.questions_shown(attempt, language)
        return data
    data["questions"] = [
        {
            "id": r.id,
            "text": r.text,
            "correct": r.correct,
            "chosen": r.chosen,
            "correct_choices": r.correct_choices,
            "explanation": r.explanation,
        }
        for r in services.attempt_results(attempt, language)
    ]
    return data


class AttemptViewSet(
    TrainingAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Quiz attempts: the taker's own; managers in scope and trainers see them too."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = s.AttemptResultSerializer

    def get_queryset(self):
        if _fake(self):
            return Attempt.objects.none()
        submitted = Count(
            "assignment__attempts", filter=Q(assignment__attempts__submitted_at__isnull=False)
        )
        return (
            attempts_visible_to(self.request.user)
            .select_related("module", "assignment__module", "user")
            .annotate(submitted_on_assignment=submitted)
            .order_by("-started_at", "-id")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([attempt_payload(a, _language(request)) for a in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(attempt_payload(self.get_object(), _language(request)))

    @extend_schema(
        request=s.SubmitSerializer,
        responses={
            200: s.AttemptResultSerializer,
            409: conflict("already submitted, the assignment is closed, or no attempts left."),
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the answers: scored here. Twice, or past the attempt limit, is 409."""
        attempt = self.get_object()
        payload = s.SubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        attempt = services.attempt_submit(
            attempt=attempt, by=request.user, answers=payload.validated_data["answers"]
        )
        return Response(attempt_payload(attempt, _language(request)))


class RuleViewSet(
    TrainingAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Assignment rules (trainers): a module for everyone in a team, at a location or
    with a role; applied at once, and to whoever joins or moves in later."""

    serializer_class = s.RuleSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        if _fake(self):
            return AssignmentRule.objects.none()
        return rules_visible_to(self.request.user).select_related("module", "team", "location")

    def check_permissions(self, request):
        super().check_permissions(request)
        if not is_author(request.user):
            raise exceptions.PermissionDenied

    @extend_schema(request=s.RuleSerializer, responses={201: s.RuleCreatedSerializer})
    def create(self, request, *args, **kwargs):
        payload = s.RuleSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rule, result = services.rule_create(by=request.user, **payload.validated_data)
        data = s.RuleSerializer(rule).data
        data["assigned"] = {"created": result.created, "already_open": result.already_open}
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.rule_delete(rule=instance, by=self.request.user)


class AcknowledgementViewSet(
    TrainingAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """ "I have read and will apply this standard". Append-only: no PUT, PATCH or
    DELETE. Staff see their own; managers in scope and trainers see them too."""

    serializer_class = s.AcknowledgementSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if _fake(self):
            return Acknowledgement.objects.none()
        qs = (
            acknowledgements_visible_to(self.request.user)
            .select_related("user", "standard", "version")
            .order_by("-acknowledged_at", "-id")
        )
        if self.request.query_params.get("standard"):
            qs = qs.filter(standard__code=self.request.query_params["standard"])
        return qs

    @extend_schema(
        responses={
            201: s.AcknowledgementSerializer,
            200: OpenApiResponse(
                s.AcknowledgementSerializer,
                description="Already acknowledged: the first acknowledgement of that version.",
            ),
        }
    )
    def create(self, request, *args, **kwargs):
        """Acknowledge a published version (201); the same version again answers the
        first acknowledgement (200), since an acknowledgement is never changed."""
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        standard = data["standard"]
        if not standards_visible_to(request.user).filter(pk=standard.pk).exists():
            raise serializers.ValidationError({"standard": [_("No such standard.")]})
        ack, created = services.acknowledge(
            user=request.user,
            standard=standard,
            version_number=data["version"]["number"],
            language=data.get("language") or _language(request),
        )
        fresh = self.get_queryset().get(pk=ack.pk)
        return Response(
            self.get_serializer(fresh).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def _as_of(request) -> datetime.date:
    raw = request.query_params.get("as_of", "")
    if not raw:
        return timezone.localdate()
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({"as_of": [_("Give a date as YYYY-MM-DD.")]}) from None
    if day > timezone.localdate():
        raise serializers.ValidationError({"as_of": [_("The date cannot be in the future.")]})
    return day


def _standard(request) -> Standard | None:
    code = request.query_params.get("standard", "")
    if not code:
        return None
    standard = standards_visible_to(request.user).filter(code=code).first()
    if standard is None:
        raise serializers.ValidationError({"standard": [_("No such standard.")]})
    return standard


def _require_compliance_access(request) -> None:
    if not can_see_compliance(request.user):
        raise exceptions.PermissionDenied


class ComplianceView(APIView):
    """Compliance with the service standards on a date, rolled up by person, team,
    location, channel or standard; managers see the people in their scope."""

    @extend_schema(
        parameters=[
            OpenApiParameter("by", OpenApiTypes.STR, enum=list(ROLLUPS), default="standard"),
            OpenApiParameter("standard", OpenApiTypes.STR),
            OpenApiParameter("as_of", OpenApiTypes.DATE),
        ],
        responses={200: s.ComplianceSerializer},
    )
    def get(self, request):
        _require_compliance_access(request)
        by = request.query_params.get("by", "standard")
        if by not in ROLLUPS:
            raise serializers.ValidationError(
                {"by": [_("Choose one of: %s.") % ", ".join(ROLLUPS)]}
            )
        as_of, standard = _as_of(request), _standard(request)
        compliance = compliance_as_of(
            as_of=as_of,
            people=people_in_compliance_scope(request.user),
            standards=[standard] if standard else None,
        )
        rows = rollup(compliance, by)
        return Response(
            {
                "as_of": as_of.isoformat(),
                "by": by,
                "standard": standard.code if standard else None,
                "rows": [row.as_dict() for row in rows],
            }
        )


class EvidenceView(ExportMixin, APIView):
    """For an auditor: per person × standard version, the acknowledgement (time,
    language, text hash) and the passing attempt (time, score, module revision), for
    the people in the reader's scope. JSON, or CSV/XLSX by ``Accept`` or ``?format=``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("standard", OpenApiTypes.STR),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"]),
        ],
        responses={
            (200, "application/json"): s.EvidenceRowSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_TYPE): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, format=None):
        _require_compliance_access(request)
        standard = _standard(request)
        rows = evidence_rows(people=people_in_compliance_scope(request.user), standard=standard)
        fmt = self.export_format(request)
        if fmt:
            headers = [header for _name, header in EVIDENCE_COLUMNS]
            names = [name for name, _header in EVIDENCE_COLUMNS]
            table = ([row[name] for name in names] for row in rows)
            return table_response(fmt, "training-evidence", headers, table)
        return Response(s.EvidenceRowSerializer(rows, many=True).data)
