"""Survey responses and import jobs in the API. Related objects are read and written
by their code; rows written are checked by the import service, not here."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from feedback.metrics import Metric
from feedback.models import COMMENT_MAX, EXTERNAL_ID_MAX, SOURCE_MAX, SurveyImport, SurveyResponse
from feedback.survey.errors import RowError
from portal.models import Language

MAX_JSON_ROWS = 10_000


class SurveyResponseSerializer(serializers.ModelSerializer):
    channel = serializers.SlugRelatedField(slug_field="code", read_only=True)
    location = serializers.SlugRelatedField(slug_field="code", read_only=True)
    team = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # A read-only model field loses ``allow_blank``: say that a language may be unknown.
    language = serializers.ChoiceField(
        choices=Language.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("Empty when it was not given and there was no comment to guess it from."),
    )

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "source",
            "external_id",
            "metric",
            "score",
            "responded_at",
            "channel",
            "location",
            "team",
            "category",
            "comment",
            "language",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SurveyResponseInputSerializer(serializers.Serializer):
    """One response as written (the CSV columns). Describes the request body; the
    import service checks each row and reports every problem with its position."""

    source = serializers.CharField(
        max_length=SOURCE_MAX,
        required=False,
        help_text=_("A short code of the survey tool; defaults to the ?source= parameter."),
    )
    external_id = serializers.CharField(max_length=EXTERNAL_ID_MAX)
    metric = serializers.ChoiceField(choices=Metric.choices)
    score = serializers.IntegerField(
        min_value=0, max_value=10, help_text=_("CSAT 1–5, NPS 0–10, CES 1–7; whole numbers.")
    )
    responded_at = serializers.DateTimeField(
        help_text=_("ISO 8601; without an offset, in the portal's time zone; not in the future.")
    )
    channel = serializers.CharField(help_text=_("Channel code, e.g. phone."))
    location = serializers.CharField(help_text=_("Location code, e.g. RUH-01."))
    team = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    category = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    comment = serializers.CharField(max_length=COMMENT_MAX, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        allow_blank=True,
        help_text=_("Guessed from the comment when empty."),
    )


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        allow_null=True, help_text=_("Line in the file (list position + 1); null: the whole file.")
    )
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportCountsSerializer(serializers.Serializer):
    """The answer to a bulk JSON write: what it did (or, for a dry run, would do)."""

    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    error_count = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
    dry_run = serializers.BooleanField()


def result_data(result) -> dict:
    return {
        **result.counts(),
        "errors": [error.as_report() for error in result.errors],
        "dry_run": result.dry_run,
    }


class SurveyImportSerializer(serializers.ModelSerializer):
    """An import job. ``errors`` is one page of its row errors (``error_count`` counts
    them all; a job keeps the first 1,000 by line)."""

    errors = serializers.SerializerMethodField()

    class Meta:
        model = SurveyImport
        fields = [
            "id",
            "status",
            "file_name",
            "total_rows",
            "processed_rows",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "error_count",
            "errors",
            "dry_run",
            "on_error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RowErrorSerializer(many=True))
    def get_errors(self, job) -> list[dict]:
        start, stop = self.context.get("errors_slice", (0, 10))
        return [RowError.from_stored(data).as_report() for data in job.errors[start:stop]]


class SurveyImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text=_("A CSV (with a header row) or an XLSX file.")
    )
    source = serializers.CharField(
        max_length=SOURCE_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Source for rows without one."),
    )
    encoding = serializers.ChoiceField(
        choices=SurveyImport.Encoding.choices, default=SurveyImport.Encoding.UTF8
    )
    on_error = serializers.ChoiceField(
        choices=SurveyImport.OnError.choices,
        default=SurveyImport.OnError.ABORT,
        help_text=_("abort: any bad row means nothing is imported; skip: import the good rows."),
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Check the file and report the counts, writing nothing.")
    )
