"""Standards, versions and modules in the API. Every view starts from the access
functions of ``training.selectors``; a write by someone who may not make it is 403, a
change a published version (or a submitted attempt) cannot take is 409."""

from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from training import links, services
from training.api import serializers as s
from training.diff import side_by_side
from training.errors import Conflict
from training.models import Module, Question, Standard, StandardVersion
from training.selectors import (
    is_author,
    modules_visible_to,
    standards_visible_to,
    versions_visible_to,
)


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This cannot be done in the current state.")
    default_code = "conflict"


class TrainingAPIMixin:
    """Service conflicts answer 409 with the service's message."""

    def handle_exception(self, exc):
        if isinstance(exc, Conflict):
            exc = ConflictError(str(exc.message))
        return super().handle_exception(exc)


class ReadAnyWriteAuthor(BasePermission):
    """Anyone signed in reads (what the access function lets them); trainers and
    administrators write."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or is_author(request.user)


def conflict(when: str) -> OpenApiResponse:
    """The schema's 409: its body is every refusal's ``{"detail"}`` (portal.api.schema)."""
    return OpenApiResponse(description=f"Conflict: {when}")


PUBLISHED = conflict("the version is published; a published version is never changed.")


def _fake(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


class StandardViewSet(
    TrainingAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Service standards: anyone signed in reads them; trainers write them. A standard
    is never deleted (make it inactive); its text lives in its versions."""

    permission_classes = [ReadAnyWriteAuthor]
    lookup_field = "code"
    lookup_value_regex = "[^/\x00]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if _fake(self):
            return Standard.objects.none()
        current = (
            StandardVersion.objects.filter(standard=OuterRef("pk"))
            .in_force(timezone.localdate())
            .order_by("-number")
            .values("number")[:1]
        )
        return (
            standards_visible_to(self.request.user)
            .select_related("department")
            .prefetch_related("channels")
            .annotate(current_version=Subquery(current))
            .order_by("code")
        )

    def get_serializer_class(self):
        return (
            s.StandardUpdateSerializer if self.action == "partial_update" else s.StandardSerializer
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.standard_create(
            by=self.request.user,
            code=data["code"],
            title_en=data["title_en"],
            title_ar=data["title_ar"],
            channels=data.get("channels", []),
            department=data.get("department"),
        )

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        fresh = self.get_queryset().get(code=response.data["code"])
        response.data = self.get_serializer(fresh).data
        return response

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        standard = self.get_object()
        serializer = self.get_serializer(standard, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.standard_update(
            standard=standard, by=request.user, channels=data.pop("channels", None), **data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=standard.pk)).data)


@extend_schema_view(
    create=extend_schema(
        responses={
            201: s.VersionSerializer,
            409: conflict("the standard already has a draft; edit or publish it first."),
        }
    ),
    partial_update=extend_schema(responses={200: s.VersionSerializer, 409: PUBLISHED}),
    destroy=extend_schema(responses={204: None, 409: PUBLISHED}),
)
class VersionViewSet(
    TrainingAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A standard's versions: published ones for everyone, drafts for trainers. A draft
    is edited (PATCH) or deleted until it is published; after that, 409. A POST starts
    the next version as a draft (one at a time; any field left out starts empty or at
    its default), which is published only once its text is written in both languages."""

    permission_classes = [ReadAnyWriteAuthor]
    serializer_class = s.VersionSerializer
    lookup_field = "number"
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    pagination_class = None

    def standard(self) -> Standard:
        if not hasattr(self, "_standard"):
            self._standard = get_object_or_404(
                standards_visible_to(self.request.user), code=self.kwargs["standard_code"]
            )
        return self._standard

    def get_queryset(self):
        if _fake(self):
            return StandardVersion.objects.none()
        return (
            versions_visible_to(self.request.user)
            .filter(standard=self.standard())
            .select_related("standard", "created_by", "published_by")
            .prefetch_related("answers")
            .order_by("number")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not _fake(self) and self.request.user.is_authenticated:
            ids = self.get_queryset().values_list("answers__insight_id", flat=True)
            context["visible_insights"] = set(
                links.insights_for(self.request.user, [i for i in ids if i])
            )
        return context

    def _respond(self, version, code=status.HTTP_200_OK, serializer_class=None, **context):
        fresh = self.get_queryset().get(pk=version.pk)
        serializer_class = serializer_class or s.VersionSerializer
        data = serializer_class(fresh, context={**self.get_serializer_context(), **context})
        return Response(data.data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.version_create_draft(
            standard=self.standard(), by=request.user, **serializer.validated_data
        )
        return self._respond(version, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        version = self.get_object()
        if version.is_published:
            raise ConflictError(_("A published version is never changed: write a new version."))
        serializer = self.get_serializer(version, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.version_update(version=version, by=request.user, **serializer.validated_data)
        return self._respond(version)

    def destroy(self, request, *args, **kwargs):
        version = self.get_object()
        if version.is_published:
            raise ConflictError(_("A published version is never deleted."))
        services.version_delete_draft(version=version, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: s.PublishResultSerializer, 409: PUBLISHED})
    @action(detail=True, methods=["post"])
    def publish(self, request, **kwargs):
        """Publish the draft. A major version after the first assigns the modules that
        cover the standard to everyone it covers (reason ``revision``)."""
        if not is_author(request.user):
            raise exceptions.PermissionDenied
        result = services.version_publish(version=self.get_object(), by=request.user)
        return self._respond(
            result.version, serializer_class=s.PublishResultSerializer, assigned=result.assigned
        )

    @extend_schema(
        parameters=[OpenApiParameter("against", OpenApiTypes.INT, required=True)],
        responses={200: s.DiffSerializer},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, **kwargs):
        """What changed from version ``against`` to this one, line by line, per language."""
        version = self.get_object()
        raw = request.query_params.get("against", "")
        if not raw.isdigit():
            raise serializers.ValidationError({"against": [_("Give a version number.")]})
        other = self.get_queryset().filter(number=int(raw)).first()
        if other is None:
            raise serializers.ValidationError({"against": [_("No such version.")]})
        return Response(
            {
                "standard": version.standard.code,
                "against": other.number,
                "number": version.number,
                "en": [vars(line) for line in side_by_side(other.text_en, version.text_en)],
                "ar": [vars(line) for line in side_by_side(other.text_ar, version.text_ar)],
                "change_notes": version.change_notes,
            }
        )


class ModuleViewSet(
    TrainingAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Modules and their quizzes. Trainers see and write the answers; anyone else
    reads only the modules assigned to them, never with answers or explanations."""

    permission_classes = [ReadAnyWriteAuthor]
    lookup_field = "code"
    lookup_value_regex = "[^/\x00]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if _fake(self):
            return Module.objects.none()
        return (
            modules_visible_to(self.request.user)
            .prefetch_related(
                "standards",
                Prefetch("questions", Question.objects.prefetch_related("choices")),
            )
            .order_by("code")
        )

    def get_serializer_class(self):
        if _fake(self):
            return s.ModuleSerializer
        if not is_author(self.request.user):
            return s.LearnerModuleSerializer
        return s.ModuleUpdateSerializer if self.action == "partial_update" else s.ModuleSerializer

    def _respond(self, module, code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(self.get_queryset().get(pk=module.pk)).data, status=code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        module = services.module_create(by=request.user, **serializer.validated_data)
        return self._respond(module, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        module = self.get_object()
        serializer = self.get_serializer(module, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.module_update(module=module, by=request.user, **serializer.validated_data)
        return self._respond(module)
