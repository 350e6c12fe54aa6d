from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from feedback import services
from feedback.models import (
    TEXT_MAX,
    TITLE_MAX,
    Category,
    Comment,
    Frequency,
    Impact,
    Insight,
    InsightEvent,
    Privacy,
    Status,
)
from feedback.selectors import is_mine, served_channels
from portal.api.fields import TextField
from portal.api.serializers import BilingualSerializer, CodeField, ModelSerializer, SlugLookupField
from portal.models import Channel, Department, Location, Team, User
from portal.selectors import managers
from training.models import Standard


class CategorySerializer(BilingualSerializer):
    class Meta(BilingualSerializer.Meta):
        model = Category
        fields = [*BilingualSerializer.Meta.fields, "is_active"]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()


def _person(user: User | None):
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "display_name": user.display_name}


class InsightSerializer(ModelSerializer):
    """An insight as the requesting user may see it. The author of an anonymous
    insight is never part of it: ``author`` is null and ``is_mine`` is only true
    for the submitter themselves."""

    title = TextField(max_length=TITLE_MAX)
    pain_point = TextField(max_length=TEXT_MAX, multiline=True)
    suggested_fix = TextField(
        multiline=True, max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    # Optional when the author's team serves one channel: that one is the default.
    channel = CodeField(queryset=Channel.objects.filter(is_active=True), required=False)
    category = CodeField(queryset=Category.objects.filter(is_active=True))
    location = CodeField(queryset=Location.objects.all(), required=False)
    team = CodeField(queryset=Team.objects.all(), required=False, allow_null=True)
    standard = CodeField(
        queryset=Standard.objects.filter(is_active=True), required=False, allow_null=True
    )
    # Set by managers through triage (TriageSerializer); read-only here, so
    # a submission cannot probe which usernames exist.
    owner_department = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    customer_impact = serializers.ChoiceField(choices=Impact.choices, default=Impact.MEDIUM)
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.WEEKLY)
    privacy = serializers.ChoiceField(choices=Privacy.choices, default=Privacy.NAMED)
    photo = serializers.ImageField(required=False, allow_null=True, write_only=True)
    photo_url = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    assignee_name = serializers.SerializerMethodField()
    endorsement_count = serializers.IntegerField(read_only=True, default=0)
    comment_count = serializers.IntegerField(read_only=True, default=0)
    endorsed_by_me = serializers.BooleanField(read_only=True, default=False)
    following = serializers.BooleanField(source="followed_by_me", read_only=True, default=False)
    is_mine = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Insight
        fields = [
            "id",
            "title",
            "pain_point",
            "suggested_fix",
            "channel",
            "category",
            "location",
            "team",
            "customer_impact",
            "frequency",
            "privacy",
            "status",
            "author",
            "endorsement_count",
            "comment_count",
            "created_at",
            "first_response_at",
            "implemented_at",
            "duplicate_of",
            "standard",
            "owner_department",
            "assignee",
            "assignee_name",
            "photo",
            "photo_url",
            "is_mine",
            "is_overdue",
            "endorsed_by_me",
            "following",
            "url",
        ]
        read_only_fields = [
            "id",
            "status",
            "created_at",
            "first_response_at",
            "implemented_at",
            "duplicate_of",
        ]

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_author(self, insight: Insight):
        return _person(insight.public_author)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assignee_name(self, insight: Insight):
        return insight.assignee.display_name if insight.assignee_id else None

    @extend_schema_field(serializers.BooleanField())
    def get_is_mine(self, insight: Insight) -> bool:
        return is_mine(self.context["request"].user, insight)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_photo_url(self, insight: Insight):
        if not insight.photo:
            return None
        # The API's own copy: it answers token-authenticated clients too.
        return reverse("insight-photo", args=[insight.pk])

    @extend_schema_field(serializers.CharField())
    def get_url(self, insight: Insight) -> str:
        return insight.get_absolute_url()

    # Fields the request may not carry at this stage, with why.
    fixed_fields = {
        "owner_department": _("Set by a manager after submission."),
        "assignee": _("Set by a manager after submission."),
    }

    def validate(self, attrs):
        refused = {
            name: [message]
            for name, message in self.fixed_fields.items()
            if name in getattr(self, "initial_data", {})
        }
        if refused:
            raise serializers.ValidationError(refused)
        if self.instance is None and "channel" not in attrs:
            served = served_channels(self.context["request"].user)
            if len(served) != 1:
                raise serializers.ValidationError({"channel": [_("This field is required.")]})
            attrs["channel"] = served[0]
        return attrs

    def create(self, validated_data):
        insight = services.insight_submit(author=self.context["request"].user, **validated_data)
        # What the response shows of a new insight is known without reading it back.
        insight.endorsement_count = insight.comment_count = 0
        insight.endorsed_by_me = insight.followed_by_me = False
        return insight

    def update(self, instance, validated_data):
        return services.insight_edit(
            insight=instance, by=self.context["request"].user, **validated_data
        )


class InsightEditSerializer(InsightSerializer):
    """PATCH: the submitter's own edit while the insight is new (triage is ``/triage/``)."""

    privacy = serializers.CharField(read_only=True)
    location = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fixed_fields = {
        "privacy": _("Cannot be changed after submission."),
        "location": _("Cannot be changed after submission."),
        "owner_department": _("Set by a manager through triage."),
        "assignee": _("Set by a manager through triage."),
    }


class TriageSerializer(serializers.Serializer):
    """A manager's triage of an insight. Every field is optional; only those sent change."""

    channel = CodeField(queryset=Channel.objects.filter(is_active=True), required=False)
    category = CodeField(queryset=Category.objects.filter(is_active=True), required=False)
    customer_impact = serializers.ChoiceField(choices=Impact.choices, required=False)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    standard = CodeField(
        queryset=Standard.objects.filter(is_active=True), required=False, allow_null=True
    )
    owner_department = CodeField(queryset=Department.objects.all(), required=False, allow_null=True)
    assignee = SlugLookupField(
        slug_field="username", queryset=managers(), required=False, allow_null=True
    )

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {})) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("Not something triage changes.")] for name in unknown}
            )
        return attrs


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = TextField(
        max_length=TEXT_MAX, multiline=True, required=False, allow_blank=True, default=""
    )
    # Resolved by the service, as the manager may see it (one place for that rule).
    duplicate_of = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1
    )
    implemented_at = serializers.DateField(required=False, allow_null=True)


class BulkTransitionSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)
    status = serializers.ChoiceField(choices=Status.choices)
    note = TextField(
        max_length=TEXT_MAX, multiline=True, required=False, allow_blank=True, default=""
    )


class EndorsementSerializer(serializers.Serializer):
    endorsed = serializers.BooleanField()
    endorsement_count = serializers.IntegerField()


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField()


class CommentSerializer(ModelSerializer):
    author = serializers.SerializerMethodField()
    body = TextField(max_length=TEXT_MAX, multiline=True)
    is_internal = serializers.BooleanField(default=False)

    class Meta:
        model = Comment
        fields = ["id", "author", "by_submitter", "body", "is_internal", "created_at"]
        read_only_fields = ["id", "author", "by_submitter", "created_at"]

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_author(self, comment: Comment):
        return _person(comment.author)


class EventSerializer(ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = InsightEvent
        fields = [
            "id",
            "kind",
            "actor",
            "by_submitter",
            "from_status",
            "to_status",
            "note",
            "created_at",
        ]

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_actor(self, event: InsightEvent):
        return _person(event.actor)


class SimilarInsightSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="insight.id")
    title = serializers.CharField(source="insight.title")
    pain_point = serializers.CharField(source="insight.pain_point")
    status = serializers.CharField(source="insight.status")
    channel = serializers.CharField(source="insight.channel.code")
    category = serializers.CharField(source="insight.category.code")
    location = serializers.CharField(source="insight.location.code")
    endorsement_count = serializers.IntegerField(source="insight.endorsement_count")
    score = serializers.FloatField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_url(self, item) -> str:
        return item.insight.get_absolute_url()
