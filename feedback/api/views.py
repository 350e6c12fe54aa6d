from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from feedback import services
from feedback.api import serializers as s
from feedback.filters import InsightFilter
from feedback.models import Category, Insight
from feedback.selectors import (
    can_manage,
    comments_visible_to,
    insight_timeline,
    insights_visible_to,
    similar_insights,
)
from feedback.views import photo_response
from portal.api.permissions import IsManager
from portal.api.views import CodeViewSet


class CategoryViewSet(CodeViewSet):
    queryset = Category.objects.all()
    serializer_class = s.CategorySerializer


class InsightViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Employee insights. Everything starts from ``insights_visible_to``: an insight
    the user may not see answers 404, one they see but may not change answers 403."""

    filterset_class = InsightFilter
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            # Schema generation runs without a user; nobody else gets this far signed out.
            return Insight.objects.none()
        return (
            insights_visible_to(user)
            .with_related()
            .with_counts()
            .with_viewer_flags(user)
            .order_by("-created_at", "-id")
        )

    def filter_queryset(self, queryset):
        # The list's filters are the list's: an insight's own resources (comments,
        # endorse, transition…) answer whatever the query string says.
        if self.action != "list":
            return queryset
        user = self.request.user
        if not user.is_manager:
            asked = sorted(set(InsightFilter.MANAGER_ONLY) & set(self.request.query_params))
            if asked:
                raise serializers.ValidationError(
                    {name: [_("Only managers can filter on this.")] for name in asked}
                )
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        if self.action == "partial_update":
            return s.InsightEditSerializer
        return s.InsightSerializer

    def _fresh(self, pk: int) -> Insight:
        return self.get_queryset().get(pk=pk)

    def _respond(self, insight: Insight, code=status.HTTP_200_OK) -> Response:
        data = s.InsightSerializer(self._fresh(insight.pk), context=self.get_serializer_context())
        return Response(data.data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        # The new insight is answered as created, not read back through its joins.
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        insight = self.get_object()
        serializer = self.get_serializer(insight, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return self._respond(insight)

    @extend_schema(request=s.TriageSerializer, responses={200: s.InsightSerializer})
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        """A manager's triage: owner department, assignee and classification."""
        insight = self.get_object()
        if not can_manage(request.user, insight):
            # Refused before the payload is read: the answer tells nobody which
            # usernames are managers.
            raise PermissionDenied(_("Only a manager responsible for this location can do that."))
        payload = s.TriageSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.insight_triage(insight=insight, by=request.user, **payload.validated_data)
        return self._respond(insight)

    @extend_schema(request=s.TransitionSerializer, responses={200: s.InsightSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the insight along its workflow (managers in scope)."""
        insight = self.get_object()
        payload = s.TransitionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.insight_transition(
            insight=insight,
            by=request.user,
            to_status=data["status"],
            note=data.get("note", ""),
            duplicate_of=data.get("duplicate_of"),
            implemented_at=data.get("implemented_at"),
        )
        return self._respond(insight)

    @extend_schema(
        request=s.BulkTransitionSerializer,
        responses={
            200: inline_serializer("BulkTransitionResult", {"changed": serializers.IntegerField()})
        },
    )
    @action(
        detail=False, methods=["post"], url_path="bulk-transition", permission_classes=[IsManager]
    )
    def bulk_transition(self, request):
        """Apply one transition to many insights in scope: all or none."""
        payload = s.BulkTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        changed = services.insights_bulk_transition(
            ids=payload.validated_data["ids"],
            by=request.user,
            to_status=payload.validated_data["status"],
            note=payload.validated_data["note"],
        )
        return Response({"changed": changed})

    @extend_schema(
        methods=["POST", "DELETE"], request=None, responses={200: s.EndorsementSerializer}
    )
    @action(detail=True, methods=["post", "delete"])
    def endorse(self, request, pk=None):
        """POST: "me too" (once per person). DELETE: withdraw."""
        insight = self.get_object()
        if request.method == "POST":
            services.insight_endorse(insight=insight, user=request.user)
        else:
            services.insight_unendorse(insight=insight, user=request.user)
        fresh = self._fresh(insight.pk)
        return Response(
            {"endorsed": fresh.endorsed_by_me, "endorsement_count": fresh.endorsement_count}
        )

    @extend_schema(methods=["POST", "DELETE"], request=None, responses={200: s.FollowSerializer})
    @action(detail=True, methods=["post", "delete"])
    def follow(self, request, pk=None):
        """POST: follow the insight's progress. DELETE: stop following."""
        insight = self.get_object()
        if request.method == "POST":
            services.insight_follow(insight=insight, user=request.user)
        else:
            services.insight_unfollow(insight=insight, user=request.user)
        return Response({"following": self._fresh(insight.pk).followed_by_me})

    @extend_schema(methods=["GET"], responses={200: s.CommentSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=s.CommentSerializer, responses={201: s.CommentSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def comments(self, request, pk=None):
        """Comments the user may read; internal ones only for managers in scope."""
        insight = self.get_object()
        if request.method == "POST":
            payload = s.CommentSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            comment = services.comment_add(
                insight=insight,
                by=request.user,
                body=payload.validated_data["body"],
                is_internal=payload.validated_data["is_internal"],
            )
            return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(comments_visible_to(request.user, insight))
        return self.get_paginated_response(s.CommentSerializer(page, many=True).data)

    @extend_schema(responses={200: s.EventSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, pk=None):
        """Every change: who, when, from, to and the note."""
        insight = self.get_object()
        return Response(s.EventSerializer(insight_timeline(insight), many=True).data)

    @extend_schema(
        responses={
            (200, "image/*"): OpenApiTypes.BINARY,
        }
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def photo(self, request, pk=None):
        """The insight's photo (its metadata removed when it was uploaded)."""
        return photo_response(self.get_object())

    @extend_schema(
        parameters=[OpenApiParameter("text", OpenApiTypes.STR, required=True)],
        responses={200: s.SimilarInsightSerializer(many=True)},
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def similar(self, request):
        """Open insights the user may see that are most like ``text`` (Arabic or English)."""
        text = request.query_params.get("text", "")
        if len(text) > 4000:
            raise serializers.ValidationError(
                {"text": [_("Ensure this field has no more than 4000 characters.")]}
            )
        items = similar_insights(request.user, text)
        return Response(s.SimilarInsightSerializer(items, many=True).data)
