"""Trainer pages: the module builder with its quiz, assigning, and assignment rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.forms import add_service_errors
from training import services
from training.forms import AssignForm, ModuleForm, QuestionForm, RuleForm
from training.markdown import render as markdown
from training.models import Question
from training.selectors import is_author, modules_visible_to, rules_visible_to


def _author_required(request) -> None:
    if not is_author(request.user):
        raise PermissionDenied


def _module(request, code: str):
    _author_required(request)
    return get_object_or_404(
        modules_visible_to(request.user).prefetch_related(
            "standards", Prefetch("questions", Question.objects.prefetch_related("choices"))
        ),
        code=code,
    )


@login_required
def module_list(request):
    _author_required(request)
    modules = (
        modules_visible_to(request.user)
        .prefetch_related("standards")
        .annotate(
            question_count=Count("questions", distinct=True),
            open_count=Count("assignments", filter=Q(assignments__status="open"), distinct=True),
        )
        .order_by("code")
    )
    return render(request, "training/module_list.html", {"modules": modules})


@login_required
def module_create(request):
    _author_required(request)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Module created. Now add its quiz questions."))
            return redirect(module)
    return render(request, "training/module_form.html", {"form": form})


@login_required
def module_edit(request, code: str):
    module = _module(request, code)
    fields = ["title_en", "title_ar", "content_en", "content_ar", "minutes", "pass_mark"]
    initial = {
        name: getattr(module, name) for name in [*fields, "max_attempts", "recertify_months"]
    }
    initial["standards"] = [s.code for s in module.standards.all()]
    form = ModuleForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.module_update(
                module=module, by=request.user, standards=data.pop("standards"), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Module saved."))
            return redirect(module)
    return render(request, "training/module_form.html", {"form": form, "module": module})


@login_required
def module_detail(request, code: str):
    """The builder: the module, its content in both languages and its quiz."""
    module = _module(request, code)
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "content_en": markdown(module.content_en),
            "content_ar": markdown(module.content_ar),
            "questions": module.questions.all(),
        },
    )


def _question_page(request, module, form, question=None):
    status = 400 if form.is_bound and form.errors else 200
    context = {"module": module, "form": form, "question": question}
    return render(request, "training/question_form.html", context, status=status)


@login_required
def question_create(request, code: str):
    module = _module(request, code)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(module=module, by=request.user, data=form.question_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question added."))
            return redirect(module)
    return _question_page(request, module, form)


@login_required
def question_edit(request, code: str, pk: int):
    module = _module(request, code)
    question = get_object_or_404(module.questions.prefetch_related("choices"), pk=pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                module=module, by=request.user, data=form.question_data(), question=question
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect(module)
    return _question_page(request, module, form, question)


@login_required
@require_POST
def question_delete(request, code: str, pk: int):
    module = _module(request, code)
    question = get_object_or_404(module.questions, pk=pk)
    services.question_delete(module=module, by=request.user, question=question)
    messages.success(request, _("Question removed."))
    return redirect(module)


def _assigned_message(result) -> str:
    return (
        ngettext(
            "%(created)s new assignment",
            "%(created)s new assignments",
            result.created,
        )
        % {"created": result.created}
        + " · "
        + ngettext(
            "%(open)s already open",
            "%(open)s already open",
            result.already_open,
        )
        % {"open": result.already_open}
    )


@login_required
def assign(request):
    """Assign a module to people, a team, a location or a role."""
    _author_required(request)
    initial = {"module": request.GET.get("module")} if request.GET.get("module") else None
    form = AssignForm(request.POST or None, initial=initial)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.assign(
                module=data["module"],
                due_date=data["due_date"],
                by=request.user,
                users=data.get("users") or None,
                team=data.get("team"),
                location=data.get("location"),
                role=data.get("role", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _assigned_message(result))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "training/assign.html", {"form": form, "result": result}, status=status)


@login_required
def rules(request):
    _author_required(request)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _rule, result = services.rule_create(
                by=request.user,
                module=data["module"],
                team=data.get("team"),
                location=data.get("location"),
                role=data.get("role", ""),
                due_in_days=data["due_in_days"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Rule saved: %(result)s.") % {"result": _assigned_message(result)}
            )
            return redirect("training:rules")
    listing = rules_visible_to(request.user).select_related("module", "team", "location")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "training/rules.html", {"form": form, "rules": listing}, status=status)


@login_required
@require_POST
def rule_delete(request, pk: int):
    _author_required(request)
    rule = get_object_or_404(rules_visible_to(request.user), pk=pk)
    services.rule_delete(rule=rule, by=request.user)
    messages.success(request, _("Rule removed; the assignments it made stay."))
    return redirect("training:rules")
