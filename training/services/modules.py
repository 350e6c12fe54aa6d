"""Modules and their quizzes. Every change raises the module's revision; attempts keep
their own copy of the questions, so past attempts never change."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from training.models import Choice, Module, Question, QuestionKind, Standard
from training.selectors import is_author

MODULE_FIELDS = {
    "title_en",
    "title_ar",
    "content_en",
    "content_ar",
    "minutes",
    "pass_mark",
    "max_attempts",
    "recertify_months",
    "is_active",
}
QUESTION_FIELDS = ("kind", "text_en", "text_ar", "explanation_en", "explanation_ar")
MAX_CHOICES = 8


def _require_author(user: User) -> None:
    if not is_author(user):
        raise PermissionDenied(_("Only trainers write standards and modules."))


def _check_question(data: dict, where: str) -> None:
    if data.get("kind", QuestionKind.SINGLE) not in QuestionKind.values:
        raise ValidationError({where: _("Choose “single” or “multiple”.")})
    if not (str(data.get("text_en", "")).strip() and str(data.get("text_ar", "")).strip()):
        raise ValidationError({where: _("Write the question in both languages.")})
    choices = data.get("choices") or []
    if not 2 <= len(choices) <= MAX_CHOICES:
        raise ValidationError(
            {where: _("Give between 2 and %(max)s answer choices.") % {"max": MAX_CHOICES}}
        )
    for choice in choices:
        if not (str(choice.get("text_en", "")).strip() and str(choice.get("text_ar", "")).strip()):
            raise ValidationError({where: _("Write every answer choice in both languages.")})
    correct = sum(1 for choice in choices if choice.get("correct"))
    if data.get("kind", QuestionKind.SINGLE) == QuestionKind.SINGLE and correct != 1:
        raise ValidationError({where: _("A single-choice question has exactly one right answer.")})
    if correct < 1:
        raise ValidationError({where: _("Mark at least one answer as right.")})


def _write_questions(module: Module, questions: list[dict]) -> None:
    """Make the module's quiz exactly ``questions``: those with a known ``id`` are
    updated, the others added, and the ones left out removed."""
    for index, data in enumerate(questions):
        _check_question(data, f"questions[{index}]")
    existing = {q.pk: q for q in module.questions.prefetch_related("choices")}
    kept = set()
    for position, data in enumerate(questions):
        question = existing.get(data.get("id"))
        if question is None:
            question = Question(module=module)
        for name in QUESTION_FIELDS:
            setattr(question, name, data.get(name, "") or ("single" if name == "kind" else ""))
        question.position = position
        question.full_clean(exclude=["module"])
        question.save()
        kept.add(question.pk)
        choices = {c.pk: c for c in question.choices.all()} if question.pk in existing else {}
        kept_choices = set()
        for choice_position, choice_data in enumerate(data.get("choices") or []):
            choice = choices.get(choice_data.get("id")) or Choice(question=question)
            choice.text_en = choice_data.get("text_en", "")
            choice.text_ar = choice_data.get("text_ar", "")
            choice.correct = bool(choice_data.get("correct"))
            choice.position = choice_position
            choice.full_clean(exclude=["question"])
            choice.save()
            kept_choices.add(choice.pk)
        question.choices.exclude(pk__in=kept_choices).delete()
    module.questions.exclude(pk__in=kept).delete()


@transaction.atomic
def module_create(
    *,
    by: User,
    code: str,
    title_en: str,
    title_ar: str,
    content_en: str = "",
    content_ar: str = "",
    standards: Iterable[Standard] = (),
    minutes: int = 15,
    pass_mark: int = 80,
    max_attempts: int = 3,
    recertify_months: int | None = None,
    questions: list[dict] = (),
    now: datetime.datetime | None = None,
) -> Module:
    """A module covering ``standards``, with its quiz."""
    _require_author(by)
    now = now or timezone.now()
    if Module.objects.filter(code__iexact=code).exists():
        raise ValidationError({"code": _("A module with this code already exists.")})
    module = Module(
        code=code,
        title_en=title_en,
        title_ar=title_ar,
        content_en=content_en,
        content_ar=content_ar,
        minutes=minutes,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        recertify_months=recertify_months,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    module.full_clean()
    module.save()
    module.standards.set(standards)
    _write_questions(module, list(questions))
    return module


@transaction.atomic
def module_update(
    *,
    module: Module,
    by: User,
    standards: Iterable[Standard] | None = None,
    questions: list[dict] | None = None,
    now: datetime.datetime | None = None,
    **fields,
) -> Module:
    """Change a module and, given ``questions``, its whole quiz. Raises its revision."""
    _require_author(by)
    unexpected = set(fields) - MODULE_FIELDS
    if unexpected:
        raise TypeError(f"module_update() got unexpected fields {sorted(unexpected)}")
    module = Module.objects.select_for_update().get(pk=module.pk)
    for name, value in fields.items():
        setattr(module, name, value)
    module.full_clean()
    module.updated_at = now or timezone.now()
    module.save(update_fields=[*fields, "updated_at"])
    if standards is not None:
        module.standards.set(standards)
    if questions is not None:
        _write_questions(module, list(questions))
    Module.objects.filter(pk=module.pk).update(revision=F("revision") + 1)
    module.refresh_from_db(fields=["revision"])
    return module


def _question_data(question: Question) -> dict:
    return {
        "id": question.pk,
        **{name: getattr(question, name) for name in QUESTION_FIELDS},
        "choices": [
            {"id": c.pk, "text_en": c.text_en, "text_ar": c.text_ar, "correct": c.correct}
            for c in question.choices.all()
        ],
    }


@transaction.atomic
def question_save(
    *, module: Module, by: User, data: dict, question: Question | None = None
) -> Module:
    """Add a question to the module's quiz, or replace one (the page's builder)."""
    questions = [_question_data(q) for q in module.questions.prefetch_related("choices")]
    if question is None:
        questions.append({**data, "id": None})
    else:
        questions = [{**data, "id": q["id"]} if q["id"] == question.pk else q for q in questions]
    try:
        return module_update(module=module, by=by, questions=questions)
    except ValidationError as exc:
        # Name the form's fields, not the position in the module's list.
        raise ValidationError({"__all__": exc.messages}) from exc


@transaction.atomic
def question_delete(*, module: Module, by: User, question: Question) -> Module:
    questions = [
        _question_data(q) for q in module.questions.prefetch_related("choices") if q != question
    ]
    return module_update(module=module, by=by, questions=questions)
