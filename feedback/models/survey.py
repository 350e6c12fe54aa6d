"""Customer-satisfaction survey data: responses, their daily rollup, and import jobs.

Every write to responses goes through ``feedback.survey.services``, which keeps
:class:`SurveyDailyRollup` equal to a recount of the responses in the same
transaction; the analytics read the rollup.
"""

import functools
import operator
import uuid
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from feedback.metrics import SCORE_RANGES, Metric
from feedback.models.insights import MATCH_MAX, Category
from portal.fields import CleanCharField, CleanTextField
from portal.models import Channel, Language, Location, Team

SOURCE_MAX = 40
EXTERNAL_ID_MAX = 100
COMMENT_MAX = 4000


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under ``MEDIA_ROOT/private``: no URL serves them; only code reads them
    (the import worker). The folder follows ``MEDIA_ROOT`` when settings change."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / "private")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no URL")


private_storage = PrivateStorage()


def survey_upload_to(instance, filename: str) -> str:
    # The uploaded name is kept on the job for people to read, never in the path.
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"survey-imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def _score_in_range() -> Q:
    return functools.reduce(
        operator.or_,
        (Q(metric=m, score__gte=low, score__lte=high) for m, (low, high) in SCORE_RANGES.items()),
    )


class SurveyResponseQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("channel", "location", "team", "category")


class SurveyResponse(models.Model):
    """One customer's answer to one survey question, from any survey tool.

    ``(source, external_id)`` identifies it across imports: importing it again
    leaves it unchanged, or updates it when anything differs.
    """

    source = models.CharField(_("source"), max_length=SOURCE_MAX)
    external_id = CleanCharField(_("external ID"), max_length=EXTERNAL_ID_MAX)
    metric = models.CharField(_("metric"), max_length=4, choices=Metric.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    responded_at = models.DateTimeField(_("responded at"))
    # The composite index below starts with the location; the others are looked up
    # by the rollup, not here. Fewer indexes make a million-row import faster.
    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("channel"),
        db_index=False,
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("location"),
        db_index=False,
    )
    # PROTECT, not SET_NULL: a nulled team would change the rollup behind its back.
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("team"),
        db_index=False,
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("category"),
        db_index=False,
    )
    # Cleaned of control characters and bidi overrides like all user text (portal.text);
    # formula-like text is stored as written and neutralised only in exports.
    comment = CleanTextField(_("comment"), blank=True, validators=[MaxLengthValidator(COMMENT_MAX)])
    # Empty only when there is no comment to guess it from.
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)
    # The comment normalised like insights (feedback.text.match_key): what "customer
    # evidence" compares with an insight's text, and what the `q` filter searches
    # (trigram GIN index, migration 0008).
    comment_match = models.CharField(max_length=MATCH_MAX, blank=True, editable=False)
    # Which job last wrote the row, for the record. No database constraint: jobs are
    # never deleted, and checking the reference once per written row would cost a
    # million-row import as much as checking its location.
    imported_by_job = models.ForeignKey(
        "feedback.SurveyImport",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
        db_constraint=False,
        verbose_name=_("last written by import"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-responded_at", "-id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="surveyresponse_unique_source_external_id"
            ),
            models.CheckConstraint(
                condition=_score_in_range(), name="surveyresponse_score_in_range"
            ),
        ]
        indexes = [
            models.Index(
                fields=["location", "channel", "responded_at"],
                name="surveyresponse_loc_chan_at_idx",
            ),
            models.Index(fields=["responded_at"], name="surveyresponse_responded_idx"),
        ]

    def __str__(self):
        return f"{self.source}:{self.external_id}"


class SurveyDailyRollup(models.Model):
    """Survey counts per day (in ``TIME_ZONE``) × location × channel × team × category
    × metric: what every figure of the analytics is computed from.

    ``top_box`` counts CSAT 4–5, CES 5–7 and NPS promoters (9–10); ``promoters`` and
    ``detractors`` (0–6) are NPS only. Kept equal to a recount of the responses by
    every write (``feedback.survey.rollups``); ``manage.py rebuild_rollups`` checks it.
    """

    metric = models.CharField(_("metric"), max_length=4, choices=Metric.choices)
    day = models.DateField(_("day"))
    # No database constraints on these: a rollup row exists only where responses do,
    # and theirs protect every location, channel, team and category they name. The
    # checks would only slow down every import.
    location = models.ForeignKey(
        Location, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # Plain integers, not positive ones: a write adds negative contributions through
    # INSERT … ON CONFLICT DO UPDATE, and PostgreSQL checks the row proposed for
    # insertion before it finds the conflict. rebuild_rollups checks the sums.
    n = models.IntegerField(_("responses"))
    score_sum = models.IntegerField(_("sum of scores"))
    top_box = models.IntegerField(_("top box"))
    promoters = models.IntegerField(_("promoters"))
    detractors = models.IntegerField(_("detractors"))

    class Meta:
        ordering = ["metric", "day"]
        verbose_name = _("daily survey rollup")
        verbose_name_plural = _("daily survey rollups")
        constraints = [
            # One row per cell; no team or category is a value of its own (NULL would
            # make every such row distinct).
            models.UniqueConstraint(
                F("metric"),
                F("day"),
                F("location"),
                F("channel"),
                Coalesce(F("team"), Value(0)),
                Coalesce(F("category"), Value(0)),
                name="surveyrollup_unique_cell",
            ),
        ]
        indexes = [
            models.Index(fields=["location", "metric", "day"], name="surveyrollup_location_idx"),
        ]

    def __str__(self):
        return f"{self.metric} {self.day} {self.location_id}/{self.channel_id}: {self.n}"


class SurveyImport(models.Model):
    """One import of a survey file: the row that the Celery task claims and reports
    its progress on (``portal.outbox``), and the record of what it did."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class OnError(models.TextChoices):
        ABORT = "abort", _("Import nothing if any row is bad")
        SKIP = "skip", _("Skip bad rows, import the rest")

    class Encoding(models.TextChoices):
        UTF8 = "utf-8", _("UTF-8 (with or without BOM)")
        UTF16 = "utf-16", _("UTF-16")
        WINDOWS_1256 = "windows-1256", _("Windows-1256 (Arabic Excel)")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_imports",
        verbose_name=_("imported by"),
    )
    # Deleted when the job ends; kept only while a worker may still need it.
    file = models.FileField(storage=private_storage, upload_to=survey_upload_to, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.BigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    source = models.CharField(
        _("default source"),
        max_length=SOURCE_MAX,
        blank=True,
        help_text=_("Used for rows that do not name their source."),
    )
    encoding = models.CharField(
        _("encoding"), max_length=20, choices=Encoding.choices, default=Encoding.UTF8
    )
    on_error = models.CharField(
        _("bad rows"), max_length=10, choices=OnError.choices, default=OnError.ABORT
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # The first errors by line (feedback.survey.errors.KEPT_ERRORS); error_count has them all.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The lease of portal.outbox: set when queued or claimed, refreshed with progress.
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")
        indexes = [
            models.Index(fields=["created_by", "created_at"], name="surveyimport_by_idx"),
            # The outbox sweeper looks for unfinished jobs; they are few.
            models.Index(
                fields=["status", "claimed_at"],
                condition=Q(status__in=["queued", "running"]),
                name="surveyimport_outbox_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
