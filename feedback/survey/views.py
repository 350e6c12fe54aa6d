"""Survey pages for managers: responses (filters, export), the import page with live
progress, past imports. Everything starts from ``feedback.survey.selectors``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from feedback.survey import exports
from feedback.survey.errors import RowError
from feedback.survey.filters import SurveyResponseFilter
from feedback.survey.forms import SurveyImportForm
from feedback.survey.jobs import survey_import_start
from feedback.survey.selectors import survey_imports_visible_to, survey_responses_visible_to
from portal.exports import EXPORT_FORMATS, csv_response, table_response
from portal.forms import add_service_errors

ERRORS_PER_PAGE = 100


def _manager_required(request) -> None:
    if not request.user.is_manager:
        raise PermissionDenied


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _filtered(request):
    """The filter and the responses it leaves; none while a filter value is not valid
    (a mistyped filter must not widen a list or an export to everything)."""
    qs = survey_responses_visible_to(request.user).with_related().order_by("-responded_at", "-id")
    filterset = SurveyResponseFilter(request.GET or None, queryset=qs, request=request)
    if not filterset.is_bound:
        return filterset, qs
    return filterset, (filterset.qs if filterset.is_valid() else qs.none())


@login_required
@require_GET
def responses(request):
    _manager_required(request)
    filterset, qs = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/survey/responses.html",
        {"filter": filterset, "page": page, "query_string": _query_string(request)},
    )


@login_required
@require_GET
def responses_export(request):
    """The responses of the list (with its filters) as CSV or XLSX."""
    _manager_required(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filterset, qs = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponseBadRequest(
            "\n".join(
                f"{filterset.form.fields[name].label}: {' '.join(errors)}"
                for name, errors in filterset.form.errors.items()
            ),
            content_type="text/plain; charset=utf-8",
        )
    headers, rows = exports.responses_table(qs.iterator(chunk_size=2000))
    return table_response(fmt, "survey-responses", headers, rows)


@login_required
@require_GET
def imports(request):
    _manager_required(request)
    qs = survey_imports_visible_to(request.user).order_by("-created_at", "-id")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "feedback/survey/imports.html", {"page": page})


@login_required
def import_new(request):
    _manager_required(request)
    if request.method == "POST":
        form = SurveyImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = survey_import_start(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if job.dry_run:
                    messages.success(request, _("Checking the file. Nothing will be written."))
                else:
                    messages.success(request, _("The file is being imported."))
                return redirect("survey:import-detail", pk=job.pk)
    else:
        form = SurveyImportForm()
    status = 400 if form.is_bound else 200
    return render(request, "feedback/survey/import_new.html", {"form": form}, status=status)


def _job(request, pk: int):
    _manager_required(request)
    return get_object_or_404(survey_imports_visible_to(request.user), pk=pk)


def _status_context(request, job) -> dict:
    paginator = Paginator(job.errors, ERRORS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "job": job,
        "errors_page": page,
        "errors": [RowError.from_stored(data) for data in page.object_list],
    }


@login_required
@require_GET
def import_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "feedback/survey/import_detail.html", _status_context(request, job))


@login_required
@require_GET
def import_progress(request, pk: int):
    """The job's status block, which the page polls (htmx) until the job has finished."""
    job = _job(request, pk)
    return render(request, "feedback/survey/_import_status.html", _status_context(request, job))


@login_required
@require_GET
def import_errors(request, pk: int):
    job = _job(request, pk)
    headers, rows = exports.errors_table(job)
    return csv_response(f"survey-import-{job.pk}-errors", headers, rows)
