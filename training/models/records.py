"""What people did: quiz attempts and acknowledgements. Evidence for auditors, so a
submitted attempt and an acknowledgement are never changed or deleted."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Language
from training.errors import Immutable
from training.models.assignments import Assignment
from training.models.modules import Module
from training.models.standards import Standard, StandardVersion


class Attempt(models.Model):
    """One go at a module's quiz. ``questions`` is a copy of the questions and choices
    in the order shown, with the answers, kept on the server; it is what the attempt is
    scored against, so editing the module never changes it."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("assignment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_attempts",
        verbose_name=_("person"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("module")
    )
    module_revision = models.PositiveIntegerField(_("module revision"))
    number = models.PositiveSmallIntegerField(_("attempt"))
    questions = models.JSONField(_("questions shown"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField(_("passed"), null=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    expires_on = models.DateField(_("pass expires"), null=True, blank=True)

    class Meta:
        ordering = ["assignment", "number"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "number"], name="attempt_unique_assignment_number"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "passed", "submitted_at"], name="attempt_user_pass_idx"),
            # Compliance reads every pass up to a day: this index alone holds what it
            # needs, never the wide rows (each carries a copy of its questions).
            models.Index(
                fields=["submitted_at"],
                include=["id", "user", "assignment", "expires_on"],
                condition=models.Q(passed=True),
                name="attempt_passed_cover_idx",
            ),
        ]

    def __str__(self):
        return f"{self.module.code} #{self.number} – {self.user}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self._submitted_in_database():
            raise Immutable(_("A submitted attempt is never changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("training:attempt", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise Immutable(_("A quiz attempt is never deleted."))

    def _submitted_in_database(self) -> bool:
        return Attempt.objects.filter(pk=self.pk, submitted_at__isnull=False).exists()

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class AttemptStandard(models.Model):
    """A standard an attempt's module covered, and its version in force then."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="standards")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        StandardVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("standard covered")
        verbose_name_plural = _("standards covered")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "standard"], name="attemptstandard_unique_standard"
            ),
        ]
        indexes = [models.Index(fields=["standard", "attempt"], name="attemptstandard_std_idx")]

    def __str__(self):
        return f"{self.attempt_id}: {self.standard_id}"


class AcknowledgementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise Immutable()

    def delete(self):
        raise Immutable()


class Acknowledgement(models.Model):
    """ "I have read and will apply this standard": who, which version, in which
    language, a SHA-256 of the exact text shown, and when. Append-only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("person"),
    )
    standard = models.ForeignKey(
        Standard,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("standard"),
    )
    version = models.ForeignKey(
        StandardVersion,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("version"),
    )
    language = models.CharField(_("language shown"), max_length=5, choices=Language.choices)
    text_sha256 = models.CharField(_("SHA-256 of the text shown"), max_length=64)
    acknowledged_at = models.DateTimeField(_("acknowledged"), default=timezone.now)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["-acknowledged_at", "-id"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="acknowledgement_unique"),
        ]
        indexes = [
            models.Index(fields=["user", "standard"], name="acknowledgement_user_std_idx"),
        ]

    def __str__(self):
        return f"{self.user} – {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Immutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable()
