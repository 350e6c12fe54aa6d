"""Assignments, rules, attempts, acknowledgements and compliance in the API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import CodeField, SlugLookupField
from portal.models import Language, Location, Role, Team, User
from training.models import (
    Acknowledgement,
    Assignment,
    AssignmentRule,
    Module,
    QuestionKind,
    Standard,
)


# --- assignments ----------------------------------------------------------------------------
class AssignmentSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    module = serializers.SlugRelatedField(slug_field="code", read_only=True)
    module_title = serializers.CharField(source="module.title", read_only=True)
    assigned_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("Null when the portal assigned it (a rule, recertification)."),
    )
    attempts_used = serializers.IntegerField(read_only=True, default=0)
    attempts_left = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "user",
            "user_name",
            "module",
            "module_title",
            "due_date",
            "reason",
            "status",
            "assigned_by",
            "created_at",
            "closed_at",
            "attempts_used",
            "attempts_left",
            "is_overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_attempts_left(self, assignment) -> int:
        if not assignment.is_open:
            return 0
        return max(0, assignment.module.max_attempts - getattr(assignment, "attempts_used", 0))

    @extend_schema_field(serializers.BooleanField())
    def get_is_overdue(self, assignment) -> bool:
        return assignment.is_overdue_on(self.context["today"])


class AssignRequestSerializer(serializers.Serializer):
    module = CodeField(queryset=Module.objects.all())
    due_date = serializers.DateField()
    users = SlugLookupField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
    )
    team = CodeField(queryset=Team.objects.all(), required=False, allow_null=True)
    location = CodeField(queryset=Location.objects.all(), required=False, allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True)

    def validate(self, attrs):
        given = [name for name in ("users", "team", "location", "role") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give exactly one of: users, team, location, role.")]}
            )
        return attrs


class AssignResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    already_open = serializers.IntegerField()


class RuleSerializer(serializers.ModelSerializer):
    module = CodeField(queryset=Module.objects.all())
    team = CodeField(queryset=Team.objects.all(), required=False, allow_null=True)
    location = CodeField(queryset=Location.objects.all(), required=False, allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True)
    due_in_days = serializers.IntegerField(min_value=1, max_value=365, default=30)

    class Meta:
        model = AssignmentRule
        fields = ["id", "module", "team", "location", "role", "due_in_days", "created_at"]
        read_only_fields = ["id", "created_at"]
        # The service refuses a duplicate rule; DRF's checks of the partial unique
        # constraints would make every target field required.
        validators = []

    def validate(self, attrs):
        given = [name for name in ("team", "location", "role") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give exactly one of: team, location, role.")]}
            )
        return attrs


class RuleCreatedSerializer(RuleSerializer):
    assigned = AssignResultSerializer(read_only=True)

    class Meta(RuleSerializer.Meta):
        fields = [*RuleSerializer.Meta.fields, "assigned"]


# --- attempts -------------------------------------------------------------------------------
class ShownChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    text_en = serializers.CharField()
    text_ar = serializers.CharField()


class ShownQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField()
    text_en = serializers.CharField()
    text_ar = serializers.CharField()
    choices = ShownChoiceSerializer(many=True)


class AttemptStartedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    module = serializers.CharField()
    questions = ShownQuestionSerializer(many=True)


class SubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(), max_length=20),
        help_text=_("For each question id, the ids of the chosen answers."),
    )


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    correct = serializers.BooleanField()
    chosen = serializers.ListField(child=serializers.IntegerField())
    correct_choices = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.CharField()


class AttemptResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    module = serializers.CharField()
    submitted = serializers.BooleanField()
    score = serializers.FloatField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    pass_mark = serializers.IntegerField()
    attempts_left = serializers.IntegerField()
    questions = serializers.ListField(child=serializers.DictField())


# --- acknowledgements -----------------------------------------------------------------------
class AcknowledgementSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    standard = CodeField(queryset=Standard.objects.filter(is_active=True))
    version = serializers.IntegerField(source="version.number", min_value=1)
    language = serializers.ChoiceField(choices=Language.choices, required=False)

    class Meta:
        model = Acknowledgement
        fields = ["id", "user", "standard", "version", "language", "text_sha256", "acknowledged_at"]
        read_only_fields = ["id", "user", "text_sha256", "acknowledged_at"]


# --- compliance -----------------------------------------------------------------------------
class ComplianceRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    compliant = serializers.IntegerField()
    due = serializers.IntegerField()
    overdue = serializers.IntegerField()
    expired = serializers.IntegerField()
    not_assigned = serializers.IntegerField()
    total = serializers.IntegerField()
    share = serializers.FloatField(help_text=_("Share compliant, 0–1."))


class ComplianceSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    by = serializers.CharField()
    standard = serializers.CharField(allow_null=True)
    rows = ComplianceRowSerializer(many=True)


class EvidenceRowSerializer(serializers.Serializer):
    """One person × standard version, the columns of the CSV/XLSX export
    (``training.evidence``). What is not recorded (no acknowledgement, no passing
    attempt, no team) is null. Times are local (``TIME_ZONE``), ``YYYY-MM-DD HH:MM:SS``;
    the change and the language are named in the reader's language."""

    username = serializers.CharField()
    person = serializers.CharField()
    team = serializers.CharField(allow_null=True)
    location = serializers.CharField(allow_null=True, help_text=_("Location code"))
    standard = serializers.CharField()
    standard_title = serializers.CharField()
    version = serializers.IntegerField()
    change = serializers.CharField()
    effective_date = serializers.DateField()
    acknowledged_at = serializers.CharField(allow_null=True)
    acknowledged_language = serializers.CharField(allow_null=True)
    text_sha256 = serializers.CharField(allow_null=True)
    passed_at = serializers.CharField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    module = serializers.CharField(allow_null=True)
    module_revision = serializers.IntegerField(allow_null=True)
