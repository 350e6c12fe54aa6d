from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import CleanCharField, CleanTextField
from portal.models import code_validator
from training.models.standards import TEXT_MAX, Standard, in_language

QUESTION_MAX = 2000


class Module(models.Model):
    """A training module: bilingual Markdown content, the standards it covers and a quiz.

    Every edit raises ``revision``; attempts keep a copy of the questions they showed,
    so editing a module never changes a past attempt.
    """

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    title_en = CleanCharField(_("title (English)"), max_length=200)
    title_ar = CleanCharField(_("title (Arabic)"), max_length=200)
    content_en = CleanTextField(
        _("content (English)"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    content_ar = CleanTextField(
        _("content (Arabic)"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    standards = models.ManyToManyField(
        Standard, blank=True, related_name="modules", verbose_name=_("standards covered")
    )
    minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=15, validators=[MinValueValidator(1)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    recertify_months = models.PositiveSmallIntegerField(
        _("recertify after (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Empty: a pass does not expire."),
    )
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="module_pass_mark_range"
            ),
            models.CheckConstraint(condition=Q(max_attempts__gte=1), name="module_max_attempts"),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def get_absolute_url(self):
        return reverse("training:module-detail", args=[self.code])

    @property
    def title(self) -> str:
        return in_language(self, "title")

    def content(self, language: str | None = None) -> str:
        return in_language(self, "content", language)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")


class Question(models.Model):
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="questions", verbose_name=_("module")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    text_en = CleanTextField(_("question (English)"), validators=[MaxLengthValidator(QUESTION_MAX)])
    text_ar = CleanTextField(_("question (Arabic)"), validators=[MaxLengthValidator(QUESTION_MAX)])
    explanation_en = CleanTextField(
        _("explanation (English)"), blank=True, validators=[MaxLengthValidator(QUESTION_MAX)]
    )
    explanation_ar = CleanTextField(
        _("explanation (Arabic)"), blank=True, validators=[MaxLengthValidator(QUESTION_MAX)]
    )

    class Meta:
        ordering = ["module", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:80]

    @property
    def text(self) -> str:
        return in_language(self, "text")


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_en = CleanCharField(_("answer (English)"), max_length=500)
    text_ar = CleanCharField(_("answer (Arabic)"), max_length=500)
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return in_language(self, "text")
