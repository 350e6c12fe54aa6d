import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.fields import CleanCharField, CleanTextField
from portal.models import Channel, Department, code_validator
from training.errors import Immutable

TEXT_MAX = 20_000


def day_end(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` in ``TIME_ZONE``: "by that date" means before it."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight)


def in_language(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>_ar`` for Arabic readers, ``obj.<field>_en`` otherwise, falling
    back to the other language when one is empty."""
    arabic = (language or get_language() or "en").startswith("ar")
    first, second = ("ar", "en") if arabic else ("en", "ar")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


class Standard(models.Model):
    """A service standard: a stable code and title; its text lives in versions."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    title_en = CleanCharField(_("title (English)"), max_length=200)
    title_ar = CleanCharField(_("title (Arabic)"), max_length=200)
    channels = models.ManyToManyField(
        Channel,
        blank=True,
        related_name="standards",
        verbose_name=_("channels"),
        help_text=_("The channels it applies to. None: it applies to everyone."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="standards",
        verbose_name=_("owning department"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")

    def __str__(self):
        return f"{self.code} – {self.title}"

    def get_absolute_url(self):
        return reverse("training:standard-detail", args=[self.code])

    @property
    def title(self) -> str:
        return in_language(self, "title")


class ChangeKind(models.TextChoices):
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")


class VersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def in_force(self, as_of: datetime.date):
        """Published by the end of ``as_of`` and effective on or before it."""
        return self.filter(published_at__lt=day_end(as_of), effective_date__lte=as_of)

    def update(self, **kwargs):
        if self.published().exists():
            raise Immutable(_("A published version is never changed."))
        return super().update(**kwargs)

    def delete(self):
        if self.published().exists():
            raise Immutable(_("A published version is never deleted."))
        return super().delete()


class StandardVersion(models.Model):
    """One version of a standard's text. A draft until published; never changed after."""

    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="versions", verbose_name=_("standard")
    )
    number = models.PositiveIntegerField(_("version"))
    text_en = CleanTextField(
        _("text (English)"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    text_ar = CleanTextField(
        _("text (Arabic)"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    change_notes = CleanTextField(
        _("change notes"), blank=True, validators=[MaxLengthValidator(4000)]
    )
    change = models.CharField(
        _("change"),
        max_length=10,
        choices=ChangeKind.choices,
        default=ChangeKind.MAJOR,
        help_text=_(
            "Major: everyone covered re-trains and acknowledges again. "
            "Minor: completions carry over."
        ),
    )
    effective_date = models.DateField(_("effective date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["standard", "number"]
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "number"], name="standardversion_unique_number"
            ),
            # Versions are published in order: one draft at a time per standard.
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(published_at__isnull=True),
                name="standardversion_one_draft",
            ),
        ]
        indexes = [
            models.Index(
                fields=["standard", "effective_date"], name="standardversion_effective_idx"
            )
        ]

    def __str__(self):
        return f"{self.standard.code} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self._published_in_database():
            raise Immutable(_("A published version is never changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("training:version-detail", args=[self.standard.code, self.number])

    def delete(self, *args, **kwargs):
        if self._published_in_database():
            raise Immutable(_("A published version is never deleted."))
        return super().delete(*args, **kwargs)

    def _published_in_database(self) -> bool:
        return StandardVersion.objects.filter(pk=self.pk, published_at__isnull=False).exists()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_major(self) -> bool:
        return self.change == ChangeKind.MAJOR

    def text(self, language: str | None = None) -> str:
        return in_language(self, "text", language)


class VersionAnswer(models.Model):
    """An insight a version answers. Insights live in the feedback app, which training
    does not import: the id is resolved through ``training.links``."""

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="answers")
    insight_id = models.PositiveBigIntegerField(_("insight"))

    class Meta:
        ordering = ["version", "insight_id"]
        verbose_name = _("insight answered")
        verbose_name_plural = _("insights answered")
        constraints = [
            models.UniqueConstraint(fields=["version", "insight_id"], name="versionanswer_unique"),
        ]
        indexes = [models.Index(fields=["insight_id"], name="versionanswer_insight_idx")]

    def __str__(self):
        return f"{self.version} ← #{self.insight_id}"

    def save(self, *args, **kwargs):
        if self.version._published_in_database():
            raise Immutable(_("A published version is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version._published_in_database():
            raise Immutable(_("A published version is never changed."))
        return super().delete(*args, **kwargs)
