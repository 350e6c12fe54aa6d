from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from portal import services
from portal.api.fields import TextField
from portal.models import Channel, Department, Language, Location, Region, Role, Team, User


class SlugLookupField(serializers.SlugRelatedField):
    """A related object written and read by a slug (a code, a username).

    Text no database column can hold (a NUL character) is "not found" like any
    other unknown slug, instead of an error from the database.
    """

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class CodeField(SlugLookupField):
    """A related object written and read by its ``code``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)


class ModelSerializer(serializers.ModelSerializer):
    """The project's model serializer: text columns are read as user text (cleaned)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_class is TextField and isinstance(model_field, models.TextField):
            kwargs["multiline"] = True
        return field_class, kwargs


class BilingualSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        fields = ["code", "name", "name_en", "name_ar"]

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_name == "code":
            # "ruh" beside "RUH" would be two codes people cannot tell apart.
            kwargs["validators"] = [
                UniqueValidator(
                    queryset=self.Meta.model._default_manager.all(),
                    lookup="iexact",
                    message=_("This code is taken (upper and lower case count as the same)."),
                )
                if isinstance(validator, UniqueValidator)
                else validator
                for validator in kwargs.get("validators", [])
            ]
        return field_class, kwargs


class RegionSerializer(BilingualSerializer):
    class Meta(BilingualSerializer.Meta):
        model = Region


class LocationSerializer(BilingualSerializer):
    region = CodeField(queryset=Region.objects.all())

    class Meta(BilingualSerializer.Meta):
        model = Location
        fields = [*BilingualSerializer.Meta.fields, "region", "kind"]


class TeamSerializer(BilingualSerializer):
    location = CodeField(queryset=Location.objects.all())

    class Meta(BilingualSerializer.Meta):
        model = Team
        fields = [*BilingualSerializer.Meta.fields, "location"]


class DepartmentSerializer(BilingualSerializer):
    class Meta(BilingualSerializer.Meta):
        model = Department


class ChannelSerializer(BilingualSerializer):
    class Meta(BilingualSerializer.Meta):
        model = Channel
        fields = [*BilingualSerializer.Meta.fields, "is_active"]


class RolesField(serializers.ListField):
    child = serializers.ChoiceField(choices=Role.choices)

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty", False)
        super().__init__(**kwargs)


class UserSerializer(ModelSerializer):
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}, max_length=128
    )
    roles = RolesField(required=False)
    team = CodeField(queryset=Team.objects.all(), required=False, allow_null=True)
    managed_locations = CodeField(queryset=Location.objects.all(), many=True, required=False)
    location = serializers.SerializerMethodField()
    language = serializers.ChoiceField(choices=Language.choices, required=False)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "password",
            "roles",
            "team",
            "location",
            "managed_locations",
            "language",
            "is_active",
        ]
        read_only_fields = ["id", "location"]
        extra_kwargs = {"display_name": {"required": True}}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_location(self, user) -> str | None:
        return user.team.location.code if user.team_id else None

    def validate(self, attrs):
        # The password's strength is checked by the service, which knows the user.
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": [_("This field is required.")]})
        return attrs

    def create(self, validated_data):
        return services.user_create(
            roles=validated_data.pop("roles", [Role.FRONTLINE]),
            managed_locations=validated_data.pop("managed_locations", []),
            **validated_data,
        )

    def update(self, instance, validated_data):
        return services.user_update(user=instance, **validated_data)


class UserUpdateSerializer(UserSerializer):
    """PATCH of a member of staff: the username is theirs for good."""

    class Meta(UserSerializer.Meta):
        read_only_fields = [*UserSerializer.Meta.read_only_fields, "username"]

    def validate(self, attrs):
        if "username" in getattr(self, "initial_data", {}):
            raise serializers.ValidationError({"username": [_("The username cannot be changed.")]})
        return super().validate(attrs)


class MeSerializer(ModelSerializer):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), read_only=True
    )
    team = serializers.SlugRelatedField(slug_field="code", read_only=True)
    location = serializers.SerializerMethodField()
    managed_locations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "roles",
            "team",
            "location",
            "managed_locations",
            "language",
            "email_notifications",
        ]
        read_only_fields = ["id", "username", "email", "roles", "team", "managed_locations"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_location(self, user) -> str | None:
        return user.team.location.code if user.team_id else None

    def update(self, instance, validated_data):
        return services.user_update(user=instance, **validated_data)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
