import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import results_cache
from portal.anonymity import coarse_now
from portal.fields import CleanCharField, CleanTextField
from portal.models import BilingualNamed, Channel, Department, Location, Team
from training.models import Standard

TITLE_MAX = 200
TEXT_MAX = 4000
MATCH_MAX = 300


class Category(BilingualNamed):
    """What an insight is about (waiting time, billing, …); shared with survey data."""

    is_active = models.BooleanField(_("active"), default=True)

    class Meta(BilingualNamed.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Status(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    DECLINED = "declined", _("Declined")
    DUPLICATE = "duplicate", _("Duplicate")


OPEN_STATUSES = (Status.NEW, Status.UNDER_REVIEW, Status.ACCEPTED, Status.IN_PROGRESS)
# Statuses still waiting for a first response from a manager.
AWAITING_RESPONSE = (Status.NEW, Status.UNDER_REVIEW)


class Privacy(models.TextChoices):
    NAMED = "named", _("Named")
    ANONYMOUS = "anonymous", _("Anonymous")
    CONFIDENTIAL = "confidential", _("Confidential")
    ANONYMOUS_CONFIDENTIAL = "anonymous_confidential", _("Anonymous and confidential")


ANONYMOUS_MODES = (Privacy.ANONYMOUS, Privacy.ANONYMOUS_CONFIDENTIAL)
CONFIDENTIAL_MODES = (Privacy.CONFIDENTIAL, Privacy.ANONYMOUS_CONFIDENTIAL)


class Impact(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Frequency(models.TextChoices):
    RARE = "rare", _("Rarely")
    WEEKLY = "weekly", _("Weekly")
    DAILY = "daily", _("Daily")
    HOURLY = "hourly", _("Every hour")


def photo_upload_to(instance, filename: str) -> str:
    # Never keep the uploaded name: it may hold the author's name or a path trick.
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"insights/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def first_response_deadline_cutoff():
    return timezone.now() - timedelta(hours=settings.FIRST_RESPONSE_TARGET_HOURS)


class InsightQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self):
        """Still waiting for a first response past the target."""
        return self.filter(
            status__in=AWAITING_RESPONSE,
            first_response_at__isnull=True,
            created_at__lt=first_response_deadline_cutoff(),
        )

    def with_related(self):
        """What a page of insights shows of each. Only the people are joined: the
        small lookup tables come in one short query each (prefetch), which keeps the
        main query's planning time low (eight joins took longer to plan than to run)."""
        return self.select_related("author", "assignee").prefetch_related(
            "channel", "category", "location", "team", "standard", "owner_department"
        )

    def with_counts(self):
        endorsements = (
            Endorsement.objects.filter(insight=models.OuterRef("pk"))
            .order_by()
            .values("insight")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        comments = (
            Comment.objects.filter(insight=models.OuterRef("pk"), is_internal=False)
            .order_by()
            .values("insight")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            endorsement_count=Coalesce(models.Subquery(endorsements), 0),
            comment_count=Coalesce(models.Subquery(comments), 0),
        )

    def with_viewer_flags(self, user):
        """Annotate whether ``user`` endorses and follows each insight."""
        return self.annotate(
            endorsed_by_me=models.Exists(
                Endorsement.objects.filter(insight=models.OuterRef("pk"), user=user)
            ),
            followed_by_me=models.Exists(
                Follow.objects.filter(insight=models.OuterRef("pk"), user=user)
            ),
        )


class Insight(models.Model):
    """What a frontline employee saw customers struggle with, and what they suggest."""

    title = CleanCharField(_("title"), max_length=TITLE_MAX)
    pain_point = CleanTextField(
        _("pain point"),
        validators=[MaxLengthValidator(TEXT_MAX)],
        help_text=_("What did the customer experience?"),
    )
    suggested_fix = CleanTextField(
        _("suggested fix"),
        blank=True,
        validators=[MaxLengthValidator(TEXT_MAX)],
        help_text=_("What would fix it? Optional."),
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="insights", verbose_name=_("channel")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="insights", verbose_name=_("category")
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="insights", verbose_name=_("location")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insights",
        verbose_name=_("team"),
    )
    customer_impact = models.CharField(
        _("customer impact"), max_length=10, choices=Impact.choices, default=Impact.MEDIUM
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    photo = models.ImageField(_("photo"), upload_to=photo_upload_to, blank=True)
    standard = models.ForeignKey(
        Standard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insights",
        verbose_name=_("service standard"),
    )
    privacy = models.CharField(
        _("privacy"), max_length=30, choices=Privacy.choices, default=Privacy.NAMED
    )
    # Named insights keep their author; anonymous ones keep only a keyed hash
    # (portal.anonymity), so the row itself never names the person.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insights",
        verbose_name=_("author"),
    )
    author_token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The anonymous author's id, encrypted (portal.anonymity): copied to their
    # notifications so the e-mail finds them. Never shown, filtered or exported.
    author_sealed = models.CharField(max_length=120, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    owner_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insights",
        verbose_name=_("owner department"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_insights",
        verbose_name=_("assignee"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    # Set on every save (to the hour for an anonymous insight: see save()).
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    implemented_at = models.DateField(
        _("fix live since"),
        null=True,
        blank=True,
        help_text=_("The date the fix went live: the anchor for before/after analysis."),
    )
    last_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Title, pain point and fix, normalised (feedback.text): what the `q` filter searches
    # (trigram GIN index, migration 0003).
    search_text = models.TextField(blank=True, editable=False)
    # Title and the start of the pain point, normalised and capped: what similarity
    # compares (trigram GiST index, nearest first). Comparing whole long texts was slow.
    match_text = models.CharField(max_length=MATCH_MAX, blank=True, editable=False)

    objects = InsightQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("insight")
        verbose_name_plural = _("insights")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(privacy__in=ANONYMOUS_MODES, author__isnull=True) & ~Q(author_token="")
                )
                | (~Q(privacy__in=ANONYMOUS_MODES) & Q(author_token="")),
                name="insight_anonymous_has_no_author",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DUPLICATE) | Q(duplicate_of__isnull=False),
                name="insight_duplicate_has_original",
            ),
        ]
        indexes = [
            models.Index(fields=["location", "status"], name="insight_location_status_idx"),
            models.Index(fields=["status", "created_at"], name="insight_status_created_idx"),
            # Insights still waiting for a first response (the overdue count on every
            # manager's home page): a small index of only those, by age.
            models.Index(
                fields=["created_at"],
                include=["location"],
                condition=Q(status__in=["new", "under_review"], first_response_at__isnull=True),
                name="insight_awaiting_idx",
            ),
            # Insights counted by channel, category and day (early warnings) read this
            # index alone, never the wide rows.
            models.Index(
                fields=["created_at"],
                include=["channel", "category", "location"],
                name="insight_created_cover_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def save(self, *args, **kwargs):
        # Nothing recorded about an anonymous insight keeps a precise time: it could
        # be matched with what its author did under their name at that instant.
        self.updated_at = coarse_now() if self.is_anonymous else timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "updated_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "updated_at"]
        super().save(*args, **kwargs)
        # Analyses that count insights (early warnings, impact) read afresh.
        results_cache.data_changed(results_cache.INSIGHTS, using=kwargs.get("using"))

    def get_absolute_url(self):
        return reverse("feedback:insight-detail", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.privacy in ANONYMOUS_MODES

    @property
    def is_confidential(self) -> bool:
        return self.privacy in CONFIDENTIAL_MODES

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in AWAITING_RESPONSE
            and self.first_response_at is None
            and self.created_at < first_response_deadline_cutoff()
        )

    @property
    def first_response_due_at(self):
        """When the first manager response is due (the target after submission)."""
        return self.created_at + timedelta(hours=settings.FIRST_RESPONSE_TARGET_HOURS)

    @property
    def public_author(self):
        """The author as others may see them: ``None`` when anonymous."""
        return None if self.is_anonymous else self.author


class InsightEvent(models.Model):
    """One change to an insight: who, when, from, to and why. Append-only."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        STATUS = "status", _("Status changed")
        EDITED = "edited", _("Edited")
        ASSIGNED = "assigned", _("Assigned")
        MERGED = "merged", _("Duplicate merged in")

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    # Null for the author of an anonymous insight and for the system.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_submitter = models.BooleanField(default=False)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Status.choices, blank=True)
    note = CleanTextField(_("note"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)])
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [models.Index(fields=["insight", "created_at"], name="insightevent_insight_idx")]

    def __str__(self):
        if self.kind == self.Kind.STATUS:
            return _("%(kind)s: %(from)s → %(to)s") % {
                "kind": self.get_kind_display(),
                "from": self.get_from_status_display(),
                "to": self.get_to_status_display(),
            }
        return str(self.get_kind_display())


class Endorsement(models.Model):
    """ "Me too": one per person and insight."""

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(fields=["insight", "user"], name="endorsement_unique_user"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.insight_id}"


@receiver([post_save, post_delete], sender=Endorsement)
def _endorsements_changed(sender, using=None, **kwargs):
    """Every "me too" added or removed — by the services, a merge, a deleted person or
    insight — replaces the cached results that count them, once committed."""
    results_cache.data_changed(results_cache.ENDORSEMENTS, using=using)


class Follow(models.Model):
    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["insight", "user"], name="follow_unique_user"),
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.insight_id}"


class Comment(models.Model):
    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="comments")
    # Null when the anonymous submitter writes on their own insight.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insight_comments",
    )
    by_submitter = models.BooleanField(default=False)
    body = CleanTextField(_("comment"), validators=[MaxLengthValidator(TEXT_MAX)])
    is_internal = models.BooleanField(
        _("internal"), default=False, help_text=_("Only managers see internal comments.")
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["insight", "created_at"], name="comment_insight_idx")]

    def __str__(self):
        return self.body[:60]
