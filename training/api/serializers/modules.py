"""Modules and their quizzes in the API: with the answers for their authors only."""

from rest_framework import serializers

from portal.api.serializers import CodeField
from training.api.serializers.standards import unique_code
from training.models import (
    Module,
    QuestionKind,
    Standard,
)


# --- modules --------------------------------------------------------------------------------
class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    text_en = serializers.CharField(max_length=500)
    text_ar = serializers.CharField(max_length=500)
    correct = serializers.BooleanField(default=False)


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text_en = serializers.CharField(max_length=2000)
    text_ar = serializers.CharField(max_length=2000)
    explanation_en = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    explanation_ar = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    choices = ChoiceSerializer(many=True)


class ModuleSerializer(serializers.ModelSerializer):
    """A module as its authors (trainers, administrators) see it: with the answers."""

    code = serializers.CharField(max_length=40, validators=[unique_code(Module)])
    title = serializers.CharField(read_only=True)
    standards = CodeField(queryset=Standard.objects.all(), many=True, required=False)
    recertify_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=120
    )
    questions = QuestionSerializer(many=True, required=False)

    class Meta:
        model = Module
        fields = [
            "code",
            "title",
            "title_en",
            "title_ar",
            "content_en",
            "content_ar",
            "standards",
            "minutes",
            "pass_mark",
            "max_attempts",
            "recertify_months",
            "revision",
            "is_active",
            "questions",
        ]
        read_only_fields = ["revision"]

    def validate_code(self, value):
        Module._meta.get_field("code").run_validators(value)
        return value

    def to_representation(self, module):
        data = super().to_representation(module)
        data["questions"] = [
            {
                "id": q.pk,
                "kind": q.kind,
                "text_en": q.text_en,
                "text_ar": q.text_ar,
                "explanation_en": q.explanation_en,
                "explanation_ar": q.explanation_ar,
                "choices": [
                    {"id": c.pk, "text_en": c.text_en, "text_ar": c.text_ar, "correct": c.correct}
                    for c in q.choices.all()
                ],
            }
            for q in module.questions.all()
        ]
        return data


class ModuleUpdateSerializer(ModuleSerializer):
    code = serializers.CharField(read_only=True)


class LearnerChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text_en = serializers.CharField()
    text_ar = serializers.CharField()


class LearnerQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text_en = serializers.CharField()
    text_ar = serializers.CharField()
    choices = LearnerChoiceSerializer(many=True)


class LearnerModuleSerializer(serializers.ModelSerializer):
    """A module as the staff it is assigned to see it: no answers, no explanations."""

    title = serializers.CharField(read_only=True)
    standards = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    questions = LearnerQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = [
            "code",
            "title",
            "title_en",
            "title_ar",
            "content_en",
            "content_ar",
            "standards",
            "minutes",
            "pass_mark",
            "max_attempts",
            "recertify_months",
            "revision",
            "questions",
        ]
        read_only_fields = fields
