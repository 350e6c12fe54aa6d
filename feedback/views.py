"""Insight pages. Every insight is looked up through ``insights_visible_to``."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from feedback import services
from feedback.analytics.pages.insight import insight_panels
from feedback.filters import (
    TRIAGE_DEFAULT_SORT,
    TRIAGE_FIRST_SORT,
    InsightFilter,
    TriageFilter,
    sort_for_triage,
    triage_sort_key,
)
from feedback.forms import AssignForm, BulkTransitionForm, CommentForm, InsightForm, TransitionForm
from feedback.models import OPEN_STATUSES, Insight, Status
from feedback.selectors import (
    can_manage,
    comments_visible_to,
    insight_timeline,
    insights_visible_to,
    is_mine,
    my_insights,
    similar_insight_groups,
    triage_queue,
)
from feedback.standards import versions_answering
from portal.exports import columns_table, csv_response
from portal.forms import add_service_errors
from portal.request_input import next_url


def _visible(request, pk: int) -> Insight:
    user = request.user
    qs = insights_visible_to(user).with_related().with_counts().with_viewer_flags(user)
    return get_object_or_404(qs, pk=pk)


def _manager_required(request) -> None:
    if not request.user.is_manager:
        raise PermissionDenied


@login_required
def insight_create(request):
    if request.method == "POST":
        form = InsightForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                insight = services.insight_submit(author=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Thank you. Your insight was sent; you can follow it here.")
                )
                return redirect(insight)
    else:
        form = InsightForm(user=request.user)
    return render(request, "feedback/insight_form.html", {"form": form})


@login_required
def insight_edit(request, pk: int):
    insight = _visible(request, pk)
    if not (is_mine(request.user, insight) and insight.status == Status.NEW):
        raise PermissionDenied
    if request.method == "POST":
        form = InsightForm(request.POST, request.FILES, user=request.user, editing=True)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            if not changes.get("photo"):
                changes.pop("photo", None)
            try:
                services.insight_edit(insight=insight, by=request.user, **changes)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your insight was updated."))
                return redirect(insight)
    else:
        form = InsightForm(
            user=request.user,
            editing=True,
            initial={
                "title": insight.title,
                "pain_point": insight.pain_point,
                "suggested_fix": insight.suggested_fix,
                "channel": insight.channel.code,
                "category": insight.category.code,
                "customer_impact": insight.customer_impact,
                "frequency": insight.frequency,
                "standard": insight.standard.code if insight.standard else None,
            },
        )
    return render(request, "feedback/insight_form.html", {"form": form, "insight": insight})


@login_required
def insight_detail(request, pk: int):
    return _detail_page(request, _visible(request, pk))


def _detail_page(request, insight: Insight, *, status: int = 200, **forms):
    """The insight page; a refused comment, status change or assignment comes back
    here with its form bound (what was typed kept, errors next to the fields)."""
    managing = can_manage(request.user, insight)
    mine = is_mine(request.user, insight)
    context = {
        "insight": insight,
        "mine": mine,
        "managing": managing,
        "comments": comments_visible_to(request.user, insight),
        "timeline": insight_timeline(insight),
        "answered_by": versions_answering(insight),
        "comment_form": forms.get("comment_form") or CommentForm(),
        # What customers say and whether the fix worked (managers in scope; the
        # submitter sees the verdict alone).
        **insight_panels(request.user, insight, mine=mine),
    }
    if managing:
        allowed = services.allowed_transitions(insight)
        context["transition_form"] = forms.get("transition_form") or (
            TransitionForm(allowed=allowed) if allowed else None
        )
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            initial={
                "owner_department": insight.owner_department.code
                if insight.owner_department
                else None,
                "assignee": insight.assignee.username if insight.assignee else None,
            }
        )
    return render(request, "feedback/insight_detail.html", context, status=status)


@login_required
@require_POST
def insight_comment(request, pk: int):
    insight = _visible(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(insight=insight, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(insight)
    return _detail_page(request, insight, status=400, comment_form=form)


@login_required
@require_POST
def insight_transition(request, pk: int):
    insight = _visible(request, pk)
    form = TransitionForm(request.POST, allowed=services.allowed_transitions(insight))
    if form.is_valid():
        try:
            services.insight_transition(
                insight=insight,
                by=request.user,
                to_status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                duplicate_of=form.cleaned_data.get("duplicate_of"),
                implemented_at=form.cleaned_data.get("implemented_at"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Status changed. The submitter and followers were told."))
            return redirect(insight)
    return _detail_page(request, insight, status=400, transition_form=form)


@login_required
@require_POST
def insight_assign(request, pk: int):
    insight = _visible(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.insight_triage(insight=insight, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Assignment saved."))
            return redirect(insight)
    return _detail_page(request, insight, status=400, assign_form=form)


@login_required
@require_POST
def insight_endorse(request, pk: int):
    insight = _visible(request, pk)
    htmx = bool(request.headers.get("HX-Request"))
    withdraw = request.POST.get("action") == "withdraw"
    error = ""
    try:
        if withdraw:
            services.insight_unendorse(insight=insight, user=request.user)
        else:
            services.insight_endorse(insight=insight, user=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if not htmx:
            messages.error(request, error)
    if htmx:
        insight = _visible(request, pk)
        context = {
            "insight": insight,
            "mine": False,
            "bare": bool(request.POST.get("bare")),
            "error": error,
            # From the report form: say it is done, and offer a way out of the form.
            "just_endorsed": not withdraw and not error,
        }
        return render(request, "feedback/_endorse.html", context)
    return redirect(next_url(request, insight.get_absolute_url()))


@login_required
@require_POST
def insight_follow(request, pk: int):
    insight = _visible(request, pk)
    if request.POST.get("action") == "unfollow":
        services.insight_unfollow(insight=insight, user=request.user)
    else:
        services.insight_follow(insight=insight, user=request.user)
    return redirect(insight)


@login_required
@require_GET
def insight_photo(request, pk: int):
    return photo_response(get_object_or_404(insights_visible_to(request.user), pk=pk))


def photo_response(insight: Insight) -> FileResponse:
    """The photo of an insight already looked up through the access rule, or 404."""
    if not insight.photo:
        raise Http404
    content_type = mimetypes.guess_type(insight.photo.name)[0] or "application/octet-stream"
    response = FileResponse(insight.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def similar(request):
    """The htmx panel of similar open insights while someone types a new one."""
    text = " ".join(request.GET.get(name, "") for name in ("title", "pain_point"))[:4000]
    groups = similar_insight_groups(request.user, text)
    return render(request, "feedback/_similar.html", {"groups": groups})


@login_required
def my_list(request):
    qs = (
        my_insights(request.user)
        .with_related()
        .with_counts()
        .with_viewer_flags(request.user)
        .order_by("-created_at", "-id")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "feedback/my_insights.html", {"page": page})


def _filtered(request, base, *, viewer_flags: bool = True):
    qs = base.with_related().with_counts().order_by("-created_at", "-id")
    if viewer_flags:  # "me too" and "following" marks: pages only, not the export
        qs = qs.with_viewer_flags(request.user)
    filterset = InsightFilter(request.GET or None, queryset=qs, request=request)
    return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else qs)


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def insight_list(request):
    filterset, qs = _filtered(request, insights_visible_to(request.user))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/insight_list.html",
        {"filter": filterset, "page": page, "query_string": _query_string(request)},
    )


def _triage_rows(request, *, viewer_flags: bool = True):
    """The triage queue with the page's filters and sort: what the page lists and its
    export writes, row for row. A filter value that is not valid is left out (and
    shown as an error on the page); an unknown sort key is ignored."""
    qs = triage_queue(request.user).with_related().with_counts()
    if viewer_flags:
        qs = qs.with_viewer_flags(request.user)
    filterset = TriageFilter(request.GET, queryset=qs, request=request)
    sort = triage_sort_key(request.GET.get("sort"))
    return filterset, sort, sort_for_triage(filterset.qs, sort)


def _sort_links(request, current: str) -> dict[str, dict]:
    """Per sortable column: the link that sorts by it (the other way round when it is
    the current sort) and its aria-sort state."""
    links = {}
    for name, first in TRIAGE_FIRST_SORT.items():
        params = request.GET.copy()
        params.pop("page", None)
        if current.removeprefix("-") == name:
            params["sort"] = name if current.startswith("-") else f"-{name}"
            state = "descending" if current.startswith("-") else "ascending"
        else:
            params["sort"] = first
            state = "none"
        links[name] = {"url": f"?{params.urlencode()}", "state": state}
    return links


def _active_filter_count(filterset) -> int:
    data = filterset.data
    active = sum(1 for name in filterset.filters if name != "status" and data.get(name))
    if sorted(data.getlist("status")) != sorted(str(s) for s in OPEN_STATUSES):
        active += 1
    return active


@login_required
def triage(request):
    _manager_required(request)
    filterset, sort, qs = _triage_rows(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/triage.html",
        {
            "filter": filterset,
            "page": page,
            "sort": sort,
            "default_sort": TRIAGE_DEFAULT_SORT,
            "sorting": _sort_links(request, sort),
            "active_filters": _active_filter_count(filterset),
            "query_string": _query_string(request),
            "bulk_form": BulkTransitionForm(auto_id="bulk_%s"),  # the filters have id_status
            "overdue_count": triage_queue(request.user).overdue().count(),
        },
    )


@login_required
@require_POST
def triage_bulk(request):
    _manager_required(request)
    form = BulkTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose at least one insight and a status."))
        return redirect(next_url(request, "feedback:triage"))
    try:
        changed = services.insights_bulk_transition(
            ids=form.cleaned_data["ids"],
            by=request.user,
            to_status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            ngettext("%(count)s insight changed.", "%(count)s insights changed.", changed)
            % {"count": changed},
        )
    except ValidationError as exc:
        messages.error(
            request, _("Nothing was changed: %(errors)s") % {"errors": " ".join(exc.messages)}
        )
    return redirect(next_url(request, "feedback:triage"))


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _name(obj) -> str:
    return obj.name if obj else ""


# The export speaks the reader's language: headers, statuses, channels, places.
# Dates stay ISO (YYYY-MM-DD HH:MM, local time) so spreadsheets sort them.
EXPORT_COLUMNS = [
    (gettext_lazy("ID"), lambda i: i.pk),
    (pgettext_lazy("export column", "Submitted"), lambda i: _when(i.created_at)),
    (gettext_lazy("Status"), lambda i: i.get_status_display()),
    (gettext_lazy("Title"), lambda i: i.title),
    (gettext_lazy("Pain point"), lambda i: i.pain_point),
    (gettext_lazy("Suggested fix"), lambda i: i.suggested_fix),
    (gettext_lazy("Channel"), lambda i: _name(i.channel)),
    (gettext_lazy("Category"), lambda i: _name(i.category)),
    (gettext_lazy("Location"), lambda i: _name(i.location)),
    (gettext_lazy("Location code"), lambda i: i.location.code),
    (gettext_lazy("Team"), lambda i: _name(i.team)),
    (gettext_lazy("Customer impact"), lambda i: i.get_customer_impact_display()),
    (gettext_lazy("Frequency"), lambda i: i.get_frequency_display()),
    (gettext_lazy("Privacy"), lambda i: i.get_privacy_display()),
    (gettext_lazy("Author"), lambda i: i.public_author.display_name if i.public_author else ""),
    (gettext_lazy("Me too"), lambda i: i.endorsement_count),
    (gettext_lazy("Comments"), lambda i: i.comment_count),
    (gettext_lazy("First response"), lambda i: _when(i.first_response_at)),
    (
        gettext_lazy("Fix live since"),
        lambda i: i.implemented_at.isoformat() if i.implemented_at else "",
    ),
    (gettext_lazy("Duplicate of"), lambda i: i.duplicate_of_id or ""),
    (gettext_lazy("Owner department"), lambda i: _name(i.owner_department)),
    (gettext_lazy("Assignee"), lambda i: i.assignee.display_name if i.assignee else ""),
]


@login_required
@require_GET
def export_csv(request):
    """The triage page's rows (its filters and sort, every page of them), as CSV."""
    _manager_required(request)
    _filterset, _sort, qs = _triage_rows(request, viewer_flags=False)
    headers, rows = columns_table(EXPORT_COLUMNS, qs.iterator(chunk_size=1000))
    return csv_response("insights", headers, rows)
