"""Taking a module's quiz, and acknowledging a standard.

The quiz is scored here, on the server, against the copy of the questions the
attempt showed. Nothing that reveals an answer leaves the server before the attempt
is submitted: :func:`questions_shown` is what pages and the API show. The attempt
limit holds against concurrent submissions: each submission locks the assignment row.
"""

import calendar
import datetime
import hashlib
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Language, User
from training.errors import Conflict
from training.models import (
    Acknowledgement,
    Assignment,
    AssignmentStatus,
    Attempt,
    AttemptStandard,
    Standard,
    StandardVersion,
)
from training.models.standards import in_language
from training.services.assignments import compliance_changed

_shuffler = random.SystemRandom()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _snapshot(module) -> list[dict]:
    """The module's questions and choices, each list shuffled for this attempt."""
    questions = []
    for question in module.questions.prefetch_related("choices"):
        choices = [
            {"id": c.pk, "text_en": c.text_en, "text_ar": c.text_ar, "correct": c.correct}
            for c in question.choices.all()
        ]
        _shuffler.shuffle(choices)
        questions.append(
            {
                "id": question.pk,
                "kind": question.kind,
                "text_en": question.text_en,
                "text_ar": question.text_ar,
                "explanation_en": question.explanation_en,
                "explanation_ar": question.explanation_ar,
                "choices": choices,
            }
        )
    _shuffler.shuffle(questions)
    return questions


def questions_shown(attempt: Attempt, language: str | None = None) -> list[dict]:
    """The attempt's questions as the person sees them: no answers, no explanations."""
    return [
        {
            "id": q["id"],
            "kind": q["kind"],
            "text": in_language(_Texts(q), "text", language),
            "text_en": q["text_en"],
            "text_ar": q["text_ar"],
            "choices": [
                {
                    "id": c["id"],
                    "text": in_language(_Texts(c), "text", language),
                    "text_en": c["text_en"],
                    "text_ar": c["text_ar"],
                }
                for c in q["choices"]
            ],
        }
        for q in attempt.questions
    ]


class _Texts:
    """Lets :func:`in_language` read a question or choice copied as a dict."""

    def __init__(self, data: dict):
        self.__dict__.update(data)


def _lock(assignment_id: int) -> Assignment:
    return Assignment.objects.select_for_update().select_related("module").get(pk=assignment_id)


@transaction.atomic
def attempt_start(
    *, assignment: Assignment, by: User, now: datetime.datetime | None = None
) -> tuple[Attempt, bool]:
    """Start (or resume) ``by``'s attempt at their assignment's quiz; ``(attempt, created)``."""
    if assignment.user_id != by.pk:
        raise PermissionDenied(_("Only the person it is assigned to takes this quiz."))
    now = now or timezone.now()
    assignment = _lock(assignment.pk)
    if assignment.status != AssignmentStatus.OPEN:
        raise Conflict(
            _("You have passed this module.")
            if assignment.status == AssignmentStatus.PASSED
            else _("You have no attempts left at this module.")
        )
    attempts = list(assignment.attempts.all())
    unfinished = next((a for a in attempts if not a.is_submitted), None)
    if unfinished is not None:
        return unfinished, False
    used = len(attempts)
    module = assignment.module
    if used >= module.max_attempts:
        raise Conflict(_("You have no attempts left at this module."))
    attempt = Attempt.objects.create(
        assignment=assignment,
        user=by,
        module=module,
        module_revision=module.revision,
        number=used + 1,
        questions=_snapshot(module),
        started_at=now,
    )
    return attempt, True


def _clean_answers(attempt: Attempt, answers) -> dict[str, list[int]]:
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Give the answers as {question id: [choice ids]}.")})
    questions = {str(q["id"]): q for q in attempt.questions}
    cleaned = {}
    for key, chosen in answers.items():
        question = questions.get(str(key))
        if question is None:
            raise ValidationError(
                {"answers": _("Question %(id)s is not part of this quiz.") % {"id": key}}
            )
        if not isinstance(chosen, list) or not all(
            isinstance(c, int) and not isinstance(c, bool) for c in chosen
        ):
            raise ValidationError(
                {"answers": _("Answer question %(id)s with a list of choice ids.") % {"id": key}}
            )
        offered = {c["id"] for c in question["choices"]}
        if not set(chosen) <= offered:
            raise ValidationError(
                {
                    "answers": _("A choice given for question %(id)s is not one of its choices.")
                    % {"id": key}
                }
            )
        if question["kind"] == "single" and len(set(chosen)) > 1:
            raise ValidationError({"answers": _("Question %(id)s takes one answer.") % {"id": key}})
        cleaned[str(key)] = sorted(set(chosen))
    return cleaned


def _score(attempt: Attempt, answers: dict[str, list[int]]) -> Decimal:
    if not attempt.questions:
        return Decimal(100)
    right = sum(
        1
        for q in attempt.questions
        if answers.get(str(q["id"]), []) == sorted(c["id"] for c in q["choices"] if c["correct"])
    )
    return (Decimal(100) * right / len(attempt.questions)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@transaction.atomic
def attempt_submit(
    *, attempt: Attempt, by: User, answers, now: datetime.datetime | None = None
) -> Attempt:
    """Score an attempt. Submitting twice, or past the module's attempt limit, is a
    :class:`Conflict`: the assignment row is locked, so of two submissions at once
    exactly one counts."""
    if attempt.user_id != by.pk:
        raise PermissionDenied(_("Only the person taking this quiz submits it."))
    now = now or timezone.now()
    assignment = _lock(attempt.assignment_id)
    attempts = {a.pk: a for a in assignment.attempts.all()}
    attempt = attempts[attempt.pk]
    if attempt.is_submitted:
        raise Conflict(_("This attempt has already been submitted."))
    if assignment.status != AssignmentStatus.OPEN:
        raise Conflict(_("This assignment is closed."))
    module = assignment.module
    submitted = sum(1 for a in attempts.values() if a.is_submitted)
    if submitted >= module.max_attempts:
        raise Conflict(_("You have no attempts left at this module."))
    cleaned = _clean_answers(attempt, answers)
    score = _score(attempt, cleaned)
    attempt.answers = cleaned
    attempt.score = score
    attempt.passed = score >= module.pass_mark
    attempt.submitted_at = now
    if attempt.passed and module.recertify_months:
        attempt.expires_on = add_months(timezone.localdate(now), module.recertify_months)
    # Conditional on still being open: the row lock above already guarantees it, and a
    # submitted attempt is never written again (the model refuses it too).
    fields = ["answers", "score", "passed", "submitted_at", "expires_on"]
    Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        **{name: getattr(attempt, name) for name in fields}
    )
    AttemptStandard.objects.bulk_create(
        [
            AttemptStandard(attempt=attempt, standard_id=standard_id, version_id=version_id)
            for standard_id, version_id in _versions_in_force(module, now).items()
        ]
    )
    if attempt.passed:
        assignment.status = AssignmentStatus.PASSED
    elif submitted + 1 >= module.max_attempts:
        assignment.status = AssignmentStatus.FAILED
    if assignment.status != AssignmentStatus.OPEN:
        assignment.closed_at = now
        assignment.save(update_fields=["status", "closed_at"])
    compliance_changed()
    return attempt


def _versions_in_force(module, now: datetime.datetime) -> dict[int, int | None]:
    """For each standard the module covers, its version in force at ``now`` (if any)."""
    in_force = (
        StandardVersion.objects.filter(standard=OuterRef("standard_id"))
        .in_force(timezone.localdate(now))
        .filter(published_at__lte=now)
        .order_by("-number")
        .values("pk")[:1]
    )
    links = module.standards.through.objects.filter(module=module).annotate(
        version_id=Subquery(in_force)
    )
    return dict(links.values_list("standard_id", "version_id"))


@dataclass
class QuestionResult:
    id: int
    text: str
    correct: bool
    chosen: list[int]
    correct_choices: list[int]
    explanation: str
    choices: list[dict]


def attempt_results(attempt: Attempt, language: str | None = None) -> list[QuestionResult]:
    """Per question of a submitted attempt: right or not, the answers and why. Never
    for an attempt still open."""
    if not attempt.is_submitted:
        raise Conflict(_("Submit the attempt to see the answers."))
    results = []
    for q in attempt.questions:
        chosen = attempt.answers.get(str(q["id"]), [])
        right = sorted(c["id"] for c in q["choices"] if c["correct"])
        results.append(
            QuestionResult(
                id=q["id"],
                text=in_language(_Texts(q), "text", language),
                correct=chosen == right,
                chosen=chosen,
                correct_choices=right,
                explanation=in_language(_Texts(q), "explanation", language),
                choices=[
                    {
                        "id": c["id"],
                        "text": in_language(_Texts(c), "text", language),
                        "correct": c["correct"],
                        "chosen": c["id"] in chosen,
                    }
                    for c in q["choices"]
                ],
            )
        )
    return results


# --- acknowledgements -----------------------------------------------------------------------
def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def acknowledge(
    *,
    user: User,
    standard: Standard,
    version_number: int,
    language: str,
    now: datetime.datetime | None = None,
) -> tuple[Acknowledgement, bool]:
    """ "I have read and will apply this standard", for its current version (or a
    published later one), in the language shown; ``(acknowledgement, created)``.
    Acknowledging the same version again returns the first acknowledgement."""
    now = now or timezone.now()
    if language not in Language.values:
        raise ValidationError({"language": _("Choose “ar” or “en”.")})
    published = list(
        StandardVersion.objects.published()
        .filter(standard=standard, published_at__lte=now)
        .order_by("number")
    )
    version = next((v for v in published if v.number == version_number), None)
    if version is None:
        raise ValidationError({"version": _("No such published version of this standard.")})
    in_force = [v for v in published if v.effective_date <= timezone.localdate(now)]
    current = in_force[-1] if in_force else None
    if current is not None and version.number < current.number:
        raise ValidationError(
            {
                "version": _(
                    "Version %(number)s is no longer current: acknowledge version %(current)s."
                )
                % {"number": version.number, "current": current.number}
            }
        )
    existing = Acknowledgement.objects.filter(user=user, version=version).first()
    if existing is not None:
        return existing, False
    shown = version.text_ar if language == Language.ARABIC else version.text_en
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                user=user,
                standard=standard,
                version=version,
                language=language,
                text_sha256=text_sha256(shown),
                acknowledged_at=now,
            )
    except IntegrityError:
        # The same person acknowledged it a moment ago (a double click).
        return Acknowledgement.objects.get(user=user, version=version), False
    compliance_changed()
    return ack, True
