from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal import results_cache
from portal.api import serializers as s
from portal.api.authentication import token_issue, token_revoke
from portal.api.permissions import IsPortalAdmin, ReadAnyWriteAdmin
from portal.models import Channel, Department, Location, Region, Team, User
from portal.selectors import users_visible_to


class TokenView(APIView):
    """POST: exchange a username and password for a new API key (shown once, stored only
    as a digest). DELETE: revoke the key the request is made with (``?all=true``: every
    key of that person)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def get_authenticators(self):
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return super().get_permissions()

    @extend_schema(request=s.TokenRequestSerializer, responses={200: s.TokenResponseSerializer})
    def post(self, request):
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # authenticate() goes through django-axes, so failures count towards the lock-out.
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with the given username and password.")]}
            )
        return Response({"token": token_issue(user=user)})

    @extend_schema(
        parameters=[OpenApiParameter("all", OpenApiTypes.BOOL, required=False)],
        responses={204: None},
    )
    def delete(self, request):
        key = request.auth if isinstance(request.auth, str) else None
        revoke_all = request.query_params.get("all") in ("true", "1")
        if key is None and not revoke_all:
            raise serializers.ValidationError(
                {"all": [_("Signed in without a key: say all=true to revoke every key.")]}
            )
        token_revoke(user=request.user, key=None if revoke_all else key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(RetrieveUpdateAPIView):
    """The signed-in user. PATCH changes display name, language and e-mail preference."""

    serializer_class = s.MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return (
            User.objects.select_related("team__location")
            .prefetch_related("role_links", "managed_locations")
            .get(pk=self.request.user.pk)
        )


class CodeViewSet(viewsets.ModelViewSet):
    """Org structure and taxonomies: any member of staff reads, administrators write."""

    permission_classes = [ReadAnyWriteAdmin]
    lookup_field = "code"
    lookup_value_regex = "[^/\x00]+"  # a NUL in the URL is no code: 404
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def perform_destroy(self, instance):
        from django.db.models import ProtectedError

        try:
            instance.delete()
        except ProtectedError as exc:
            raise serializers.ValidationError(
                {"non_field_errors": [_("This item is still in use and cannot be deleted.")]}
            ) from exc


class RegionViewSet(CodeViewSet):
    queryset = Region.objects.all()
    serializer_class = s.RegionSerializer


class LocationViewSet(CodeViewSet):
    queryset = Location.objects.select_related("region")
    serializer_class = s.LocationSerializer
    filterset_fields = ["kind"]


class TeamViewSet(CodeViewSet):
    queryset = Team.objects.select_related("location").prefetch_related("channels")
    serializer_class = s.TeamSerializer

    def perform_create(self, serializer):
        super().perform_create(serializer)
        # The channels a team serves decide which standards cover its people.
        results_cache.data_changed(results_cache.TRAINING)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        results_cache.data_changed(results_cache.TRAINING)


class DepartmentViewSet(CodeViewSet):
    queryset = Department.objects.all()
    serializer_class = s.DepartmentSerializer


class ChannelViewSet(CodeViewSet):
    queryset = Channel.objects.all()
    serializer_class = s.ChannelSerializer


class UserViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Administrators create, list and update members of staff."""

    serializer_class = s.UserSerializer

    def get_serializer_class(self):
        return s.UserUpdateSerializer if self.action == "partial_update" else s.UserSerializer

    permission_classes = [IsPortalAdmin]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return users_visible_to(self.request.user).order_by("username")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.save()
        fresh = self.get_queryset().get(pk=user.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
