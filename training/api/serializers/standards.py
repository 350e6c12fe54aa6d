"""Standards and their versions in the API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from portal.api.serializers import CodeField
from portal.models import Channel, Department
from training.models import (
    ChangeKind,
    Standard,
    StandardVersion,
)
from training.models.standards import TEXT_MAX


def unique_code(model):
    return UniqueValidator(
        queryset=model.objects.all(),
        lookup="iexact",
        message=_("This code is taken (upper and lower case count as the same)."),
    )


class StandardSerializer(serializers.ModelSerializer):
    code = serializers.CharField(max_length=40, validators=[unique_code(Standard)])
    title = serializers.CharField(read_only=True)
    channels = CodeField(queryset=Channel.objects.all(), many=True, required=False)
    department = CodeField(queryset=Department.objects.all(), required=False, allow_null=True)
    current_version = serializers.IntegerField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Standard
        fields = [
            "code",
            "title",
            "title_en",
            "title_ar",
            "channels",
            "department",
            "is_active",
            "current_version",
        ]

    def validate_code(self, value):
        Standard._meta.get_field("code").run_validators(value)
        return value


class StandardUpdateSerializer(StandardSerializer):
    code = serializers.CharField(read_only=True)


class VersionSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    text_en = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    text_ar = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    change_notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    change = serializers.ChoiceField(choices=ChangeKind.choices, required=False)
    effective_date = serializers.DateField(required=False)
    answers_insights = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=200
    )
    # published_by is null until the version is published; either is null once the
    # account is deleted (the version stays).
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    published_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = StandardVersion
        fields = [
            "number",
            "status",
            "text_en",
            "text_ar",
            "change_notes",
            "change",
            "effective_date",
            "answers_insights",
            "created_at",
            "created_by",
            "published_at",
            "published_by",
        ]
        read_only_fields = ["number", "created_at", "published_at"]

    @extend_schema_field(serializers.ChoiceField(choices=["draft", "published"]))
    def get_status(self, version) -> str:
        return "published" if version.is_published else "draft"

    def to_representation(self, version):
        data = super().to_representation(version)
        # Only the insights this reader may see (feedback's access rule, training.links).
        visible = self.context.get("visible_insights", set())
        data["answers_insights"] = [
            a.insight_id for a in version.answers.all() if a.insight_id in visible
        ]
        return data


class PublishResultSerializer(VersionSerializer):
    assigned = serializers.SerializerMethodField()

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "assigned"]

    @extend_schema_field(
        serializers.DictField(child=serializers.IntegerField(), help_text="created, already_open")
    )
    def get_assigned(self, version) -> dict:
        result = self.context["assigned"]
        return {"created": result.created, "already_open": result.already_open}


class DiffLineSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete", "replace"])
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)


class DiffSerializer(serializers.Serializer):
    standard = serializers.CharField()
    against = serializers.IntegerField()
    number = serializers.IntegerField()
    en = DiffLineSerializer(many=True)
    ar = DiffLineSerializer(many=True)
    change_notes = serializers.CharField()
