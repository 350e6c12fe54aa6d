"""Standard pages: everyone reads published versions; trainers write drafts (with a
Markdown preview in both languages), publish them after seeing who will re-train, and
compare any two versions side by side."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.forms import add_service_errors
from training import links, services
from training.diff import side_by_side
from training.errors import Conflict
from training.forms import StandardForm, VersionForm
from training.markdown import render as markdown
from training.models import StandardVersion
from training.selectors import is_author, standards_visible_to, versions_visible_to


def _author_required(request) -> None:
    if not is_author(request.user):
        raise PermissionDenied


def _standard(request, code: str):
    return get_object_or_404(
        standards_visible_to(request.user)
        .select_related("department")
        .prefetch_related("channels"),
        code=code,
    )


def _version(request, standard, number: int) -> StandardVersion:
    return get_object_or_404(
        versions_visible_to(request.user)
        .filter(standard=standard)
        .select_related("standard", "created_by", "published_by"),
        number=number,
    )


@login_required
def standard_list(request):
    current = (
        StandardVersion.objects.filter(standard=OuterRef("pk"))
        .in_force(timezone.localdate())
        .order_by("-number")
        .values("number")[:1]
    )
    standards = (
        standards_visible_to(request.user)
        .select_related("department")
        .prefetch_related("channels")
        .annotate(current_version=Subquery(current))
        .order_by("code")
    )
    return render(
        request,
        "training/standard_list.html",
        {"standards": standards, "author": is_author(request.user)},
    )


@login_required
def standard_create(request):
    _author_required(request)
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Standard created. Now write its first version."))
            return redirect("training:version-create", code=standard.code)
    return render(request, "training/standard_form.html", {"form": form})


@login_required
def standard_edit(request, code: str):
    _author_required(request)
    standard = _standard(request, code)
    initial = {
        "title_en": standard.title_en,
        "title_ar": standard.title_ar,
        "channels": [c.code for c in standard.channels.all()],
        "department": standard.department.code if standard.department else None,
    }
    form = StandardForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.standard_update(
                standard=standard, by=request.user, channels=data.pop("channels"), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Standard saved."))
            return redirect(standard)
    return render(request, "training/standard_form.html", {"form": form, "standard": standard})


@login_required
def standard_detail(request, code: str):
    standard = _standard(request, code)
    versions = list(versions_visible_to(request.user).filter(standard=standard).order_by("-number"))
    current = next(
        (
            v
            for v in versions
            if v.is_published
            and v.effective_date <= timezone.localdate()
            and v.published_at <= timezone.now()
        ),
        None,
    )
    return render(
        request,
        "training/standard_detail.html",
        {
            "standard": standard,
            "versions": versions,
            "current": current,
            "text": markdown(current.text()) if current else "",
            "author": is_author(request.user),
            "has_draft": any(not v.is_published for v in versions),
        },
    )


def _previews(form) -> dict:
    data = form.data if form.is_bound else form.initial
    return {"en": markdown(data.get("text_en", "")), "ar": markdown(data.get("text_ar", ""))}


def _version_form_page(request, standard, form, version=None, status=200):
    return render(
        request,
        "training/version_form.html",
        {"standard": standard, "form": form, "version": version, "preview": _previews(form)},
        status=status,
    )


@login_required
def version_create(request, code: str):
    _author_required(request)
    standard = _standard(request, code)
    latest = StandardVersion.objects.filter(standard=standard).order_by("-number").first()
    initial = {
        "text_en": latest.text_en if latest else "",
        "text_ar": latest.text_ar if latest else "",
        "change": "major" if latest is None else "minor",
        "effective_date": timezone.localdate(),
    }
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            version = services.version_create_draft(
                standard=standard, by=request.user, **form.cleaned_data
            )
        except Conflict as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(version)
    return _version_form_page(
        request, standard, form, status=400 if form.is_bound and form.errors else 200
    )


@login_required
def version_detail(request, code: str, number: int):
    """A version: read it; a draft can also be edited here by a trainer."""
    standard = _standard(request, code)
    version = _version(request, standard, number)
    answered = links.insights_for(
        request.user, version.answers.values_list("insight_id", flat=True)
    )
    if version.is_published or not is_author(request.user):
        if request.method == "POST":
            raise PermissionDenied
        return render(
            request,
            "training/version_detail.html",
            {
                "standard": standard,
                "version": version,
                "text_en": markdown(version.text_en),
                "text_ar": markdown(version.text_ar),
                "answered": answered,
                "author": is_author(request.user),
            },
        )
    initial = {
        "text_en": version.text_en,
        "text_ar": version.text_ar,
        "change_notes": version.change_notes,
        "change": version.change,
        "effective_date": version.effective_date,
        "answers_insights": ", ".join(str(i) for i in sorted(answered)),
    }
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.version_update(
                version=version,
                by=request.user,
                answers_insights=data.pop("answers_insights"),
                **data,
            )
        except Conflict as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(version)
    return _version_form_page(
        request, standard, form, version, status=400 if form.is_bound and form.errors else 200
    )


@login_required
def version_publish(request, code: str, number: int):
    """Confirm, saying who will have to re-train; then publish."""
    _author_required(request)
    standard = _standard(request, code)
    version = _version(request, standard, number)
    if version.is_published:
        messages.error(request, _("This version is already published."))
        return redirect(version)
    if request.method == "POST":
        try:
            result = services.version_publish(version=version, by=request.user)
        except (Conflict, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect(version)
        created = result.assigned.created
        messages.success(
            request,
            ngettext(
                "Version %(number)s is published. %(created)s person was assigned training.",
                "Version %(number)s is published. %(created)s people were assigned training.",
                created,
            )
            % {"number": version.number, "created": created},
        )
        return redirect(standard)
    return render(
        request,
        "training/version_publish.html",
        {
            "standard": standard,
            "version": version,
            "impact": services.version_publish_impact(version),
        },
    )


@login_required
def version_diff(request, code: str):
    standard = _standard(request, code)
    versions = list(versions_visible_to(request.user).filter(standard=standard).order_by("number"))
    if len(versions) < 1:
        raise Http404
    by_number = {v.number: v for v in versions}

    def pick(name, default):
        raw = request.GET.get(name, "")
        return by_number.get(int(raw)) if raw.isdigit() else default

    new = pick("to", versions[-1])
    old = pick("from", versions[-2] if len(versions) > 1 else versions[-1])
    if old is None or new is None:
        raise Http404
    return render(
        request,
        "training/version_diff.html",
        {
            "standard": standard,
            "versions": versions,
            "old": old,
            "new": new,
            "diffs": [
                (_("English"), "en", "ltr", side_by_side(old.text_en, new.text_en)),
                (_("Arabic"), "ar", "rtl", side_by_side(old.text_ar, new.text_ar)),
            ],
        },
    )


@login_required
@require_POST
def preview(request):
    """The htmx preview of Markdown as it will be shown (sanitised)."""
    _author_required(request)
    language = "ar" if request.POST.get("language") == "ar" else "en"
    text = request.POST.get(f"text_{language}") or request.POST.get(f"content_{language}") or ""
    return render(
        request,
        "training/_preview.html",
        {"html": markdown(text[:20_000]), "language": language},
    )
