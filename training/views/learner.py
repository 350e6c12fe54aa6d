"""Pages for the people who take training: my training, the module player, the quiz,
its result and acknowledging a standard. Only the person an assignment is for takes it;
the quiz page never holds an answer before the attempt is submitted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training import services
from training.compliance import person_standards
from training.errors import Conflict
from training.forms import QuizForm
from training.markdown import render as markdown
from training.models import AssignmentStatus, StandardVersion
from training.selectors import (
    acknowledgements_visible_to,
    assignments_visible_to,
    attempts_visible_to,
    my_open_assignments,
    standards_visible_to,
)


def _language() -> str:
    return (translation.get_language() or "en")[:2]


@login_required
def my_training(request):
    user, today = request.user, timezone.localdate()
    finished = (
        assignments_visible_to(user)
        .filter(user=user)
        .exclude(status=AssignmentStatus.OPEN)
        .select_related("module")
        .order_by("-closed_at", "-id")[:20]
    )
    return render(
        request,
        "training/my_training.html",
        {
            "open": my_open_assignments(user),
            "finished": finished,
            "standards": person_standards(user, today),
            "today": today,
        },
    )


def _own_assignment(request, pk: int):
    assignment = get_object_or_404(
        assignments_visible_to(request.user).select_related("module", "user"), pk=pk
    )
    if assignment.user_id != request.user.pk:
        raise PermissionDenied
    return assignment


@login_required
def assignment(request, pk: int):
    """The module player: the content in the reader's language, then the quiz."""
    assignment = _own_assignment(request, pk)
    module = assignment.module
    attempts = list(assignment.attempts.order_by("number"))
    submitted = [a for a in attempts if a.is_submitted]
    unfinished = next((a for a in attempts if not a.is_submitted), None)
    return render(
        request,
        "training/player.html",
        {
            "assignment": assignment,
            "module": module,
            "content": markdown(module.content(_language())),
            "standards": module.standards.filter(is_active=True),
            "attempts": submitted,
            "unfinished": unfinished,
            "attempts_left": max(0, module.max_attempts - len(submitted)),
            "overdue": assignment.is_overdue_on(timezone.localdate()),
        },
    )


@login_required
@require_POST
def assignment_start(request, pk: int):
    assignment = _own_assignment(request, pk)
    try:
        attempt, _created = services.attempt_start(assignment=assignment, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(assignment)
    return redirect(attempt)


def _own_attempt(request, pk: int):
    attempt = get_object_or_404(
        attempts_visible_to(request.user).select_related("module", "assignment"), pk=pk
    )
    if attempt.user_id != request.user.pk:
        raise PermissionDenied
    return attempt


@login_required
def attempt(request, pk: int, form=None, status: int = 200):
    """The quiz while the attempt is open; its result, with explanations, after."""
    attempt = _own_attempt(request, pk)
    if attempt.is_submitted:
        return render(
            request,
            "training/result.html",
            {
                "attempt": attempt,
                "module": attempt.module,
                "assignment": attempt.assignment,
                "results": services.attempt_results(attempt, _language()),
            },
        )
    questions = services.questions_shown(attempt, _language())
    return render(
        request,
        "training/quiz.html",
        {
            "attempt": attempt,
            "module": attempt.module,
            "form": form or QuizForm(questions=questions),
        },
        status=status,
    )


@login_required
@require_POST
def attempt_submit(request, pk: int):
    attempt_obj = _own_attempt(request, pk)
    if attempt_obj.is_submitted:
        messages.error(request, _("This attempt has already been submitted."))
        return redirect(attempt_obj)
    form = QuizForm(request.POST, questions=services.questions_shown(attempt_obj, _language()))
    if not form.is_valid():
        return attempt(request, pk, form=form, status=400)
    try:
        services.attempt_submit(attempt=attempt_obj, by=request.user, answers=form.answers())
    except Conflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return attempt(request, pk, form=form, status=400)
    return redirect(attempt_obj)


def _current_version(standard) -> StandardVersion | None:
    return (
        StandardVersion.objects.filter(standard=standard)
        .in_force(timezone.localdate())
        .filter(published_at__lte=timezone.now())
        .order_by("-number")
        .first()
    )


@login_required
def acknowledge(request, code: str):
    """A standard's current version, in the reader's language, and "I have read and will
    apply this standard"."""
    standard = get_object_or_404(standards_visible_to(request.user), code=code)
    version = _current_version(standard)
    if request.method == "POST" and version is not None:
        try:
            number = int(request.POST.get("version", ""))
        except ValueError:
            number = version.number
        try:
            _ack, created = services.acknowledge(
                user=request.user,
                standard=standard,
                version_number=number,
                language=request.POST.get("language") or _language(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("training:acknowledge", code=standard.code)
        if created:
            messages.success(request, _("Thank you. Your acknowledgement is recorded."))
        return redirect("training:my-training")
    acknowledged = (
        version is not None
        and acknowledgements_visible_to(request.user)
        .filter(user=request.user, version=version)
        .exists()
    )
    return render(
        request,
        "training/acknowledge.html",
        {
            "standard": standard,
            "version": version,
            "text": markdown(version.text(_language())) if version else "",
            "language": _language(),
            "acknowledged": acknowledged,
        },
    )
