"""The manager dashboard: the headline figures of the last complete period, the trend
and the consistency of the channels, significant movers, early warnings, the insights
staff endorse most with their customer evidence, and the fixes that went live with
their verdict. It is the manager's home page (a panel of ``portal.homepage``) and a
page of its own, where its filters lead.

The page itself holds the filters and the headline; each section (``PARTS``) is read
by a request of its own once the page is shown, so the headline shows at once and the
sections fill in side by side, each as fast as its own figures. Without a script each
section is a link to a page of its own. Every figure is a report's (cached per scope
and parameters); the few lists of insights are read once each, with what they show
joined in.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from feedback.analytics import charts, params, reports
from feedback.analytics.access import analytics_insight, can_see_analytics
from feedback.analytics.dashboard import headline_report, last_complete_day
from feedback.analytics.forms import CODE_LABELS
from feedback.analytics.pages.analyses import ANALYSES, warning_rows
from feedback.analytics.pages.common import checked, filters_form, given, query, require_analytics
from feedback.analytics.reads import Scope
from feedback.metrics import Metric, period_start, shift_period
from feedback.models import Endorsement, Status
from feedback.selectors import triage_queue
from portal import homepage, results_cache

FIELDS = ("period", "location", "channel")
MOVER_BREAKDOWNS = ("channel", "location", "team", "category")
# How many insights the two lists show: a constant, so the page's queries are too.
TOP_INSIGHTS = 5
RECENT_FIXES = 5
EVIDENCE_COMMENTS = 3
IMPACT_WEEKS = 8
# Insight ids linked from each early warning; the warnings page lists them all.
WARNING_LINKS = 5


def _top_endorsed(user, scope: Scope, filters: dict) -> list:
    """The open insights in the viewer's scope with the most "me too"s (which, and how
    many, cached until an insight or an endorsement changes)."""
    queue = triage_queue(user).open().filter(**{f"{k}_id": v for k, v in filters.items()})

    def compute():
        return list(
            Endorsement.objects.filter(insight__in=queue)
            .values_list("insight")
            .annotate(n=Count("pk"))
            .order_by("-n", "-insight")[:TOP_INSIGHTS]
        )

    top = results_cache.cached(
        "top-endorsed",
        # The triage queue is the viewer's own (their scope, what they may see).
        scope=f"{scope.key}:user:{user.pk}",
        params={"filters": filters},
        reads=[results_cache.INSIGHTS, results_cache.ENDORSEMENTS],
        compute=compute,
    )
    counts = dict(top)
    found = queue.filter(pk__in=counts).select_related("channel", "location")
    insights = sorted(found, key=lambda i: (-counts[i.pk], -i.pk))
    for insight in insights:
        insight.me_too = counts[insight.pk]
    return insights


def _recent_fixes(user, filters: dict) -> list:
    return list(
        triage_queue(user)
        .filter(status=Status.IMPLEMENTED, implemented_at__isnull=False)
        .filter(**{f"{k}_id": v for k, v in filters.items()})
        .select_related("channel", "location")
        .order_by("-implemented_at", "-pk")[:RECENT_FIXES]
    )


@dataclass(frozen=True)
class Part:
    """A section of the dashboard, loaded on its own once the page is shown (htmx), or
    opened as a page of its own without a script."""

    slug: str
    title: str
    compute: Callable[..., dict]


def _span(period: str) -> dict:
    """The dashboard's span: ``DEFAULT_POINTS`` periods up to the last complete one."""
    last = last_complete_day(period)
    first = shift_period(period_start(last, period), period, -(params.DEFAULT_POINTS[period] - 1))
    return {"metric": Metric.CSAT, "period": period, "from": first, "to": last}


def _checked(request, data: dict, *, form: bool = True) -> tuple[Scope, dict | None, dict, dict]:
    """The viewer's scope, the checked parameters (or None), their errors and, unless
    not shown, the filters form showing them."""
    scope = Scope.of(request.user)
    found, errors = checked(params.TrendsParams, data, scope)
    if not form:
        return scope, found, errors, None
    values = {"period": found["period"] if found else data.get("period", "week"), **data}
    return scope, found, errors, filters_form(FIELDS, values, scope, errors)


def dashboard_context(request, data: dict) -> dict:
    """The dashboard's frame for ``data`` (period, location, channel codes): the filters,
    the headline and where each section loads from; with bad parameters only the
    filters, with their errors."""
    scope, found, _errors, form = _checked(request, data)
    context = {"form": form, "analyses": ANALYSES.values(), "ready": found is not None}
    if found is None:
        return context
    period, filters = found["period"], found["filters"]
    part_query = query(data)
    return context | {
        "headline": headline_report(
            scope, period=period, day=last_complete_day(period), filters=filters
        ),
        "query": part_query,
        "parts": {
            slug: {
                "slug": slug,
                "title": part.title,
                "url": reverse("analytics:dashboard-part", args=[slug])
                + (f"?{part_query}" if part_query else ""),
            }
            for slug, part in PARTS.items()
        },
    }


def part_context(request, part: Part, data: dict, *, form: bool = True) -> dict:
    """One section's figures for ``data`` (and the filters form, for a page of its
    own); with bad parameters only the filters."""
    scope, found, _errors, form = _checked(request, data, form=form)
    context = {"form": form, "part": part, "ready": found is not None, "query": query(data)}
    if found is None:
        return context
    span = _span(found["period"])
    return context | part.compute(
        user=request.user, scope=scope, span=span, filters=found["filters"], data=data
    )


def _trend(*, scope: Scope, span: dict, filters: dict, **_unused) -> dict:
    """CSAT by channel over the span."""
    trend = reports.trends_report(scope, span | {"by": "channel", "filters": filters})
    chart = None
    if trend.series:
        chart = {
            "id": "chart-dashboard-trend",
            # xgettext:no-python-format
            "caption": _("CSAT by channel, with 95% intervals"),
            "spec": charts.trends_chart(trend),
        }
    return {"trend": trend, "trend_chart": chart}


def _consistency(*, scope: Scope, span: dict, filters: dict, **_unused) -> dict:
    """The channels compared in the latest period that can be (only a location narrows
    it: it compares the channels)."""
    location = {k: v for k, v in filters.items() if k == "location"}
    consistency = reports.consistency_report(scope, span | {"filters": location})
    latest = charts.latest_comparable(consistency)
    found = {"consistency": consistency, "latest": latest, "consistency_chart": None}
    if latest:
        names = {channel.key: channel for channel in latest.channels}
        found |= {
            "lagging": names[latest.lagging],
            "leading": names[latest.leading],
            "consistency_chart": {
                "id": "chart-dashboard-consistency",
                "caption": _("CSAT of each channel in the latest period compared"),
                "spec": charts.consistency_chart(consistency, latest),
            },
        }
    return found


def _movers(*, scope: Scope, span: dict, filters: dict, data: dict, **_unused) -> dict:
    """The significant moves of the last period, by channel, location, team and
    category."""
    moves, method = [], None
    for by in MOVER_BREAKDOWNS:
        report = reports.movers_report(
            scope, {"metric": span["metric"], "period": span["period"], "by": by,
                    "date": span["to"], "filters": filters},
        )  # fmt: skip
        method = report.method
        moves += [(CODE_LABELS[by], group) for group in report.result.groups if group.significant]
    return {
        "movers": moves,
        "movers_method": method,
        "movers_query": query(data, period=span["period"], date=span["to"].isoformat()),
    }


def _warnings(*, scope: Scope, data: dict, **_unused) -> dict:
    """The early warnings of the last 12 weeks (the warnings page's default), on the
    chosen channel only when there is one."""
    channel = data.get("channel")
    warnings_params, _errors = checked(params.WarningsParams, {}, scope)
    report = reports.warnings_report(scope, warnings_params)
    rows = [
        row | {"links": row["insight_ids"][:WARNING_LINKS],
               "more": max(0, len(row["insight_ids"]) - WARNING_LINKS)}
        for row in warning_rows(report)
        if channel is None or row["channel"] == channel
    ]  # fmt: skip
    return {"warnings": rows, "warnings_report": report}


def _endorsed(*, user, scope: Scope, filters: dict, **_unused) -> dict:
    """The most endorsed open insights (each one's customer evidence loads after)."""
    return {"top": _top_endorsed(user, scope, filters)}


def _fixes(*, user, filters: dict, **_unused) -> dict:
    """The latest fixes gone live (each one's verdict loads after)."""
    return {"fixes": _recent_fixes(user, filters)}


# In the order the page shows them, two to a row.
PARTS = {
    part.slug: part
    for part in (
        Part("trend", gettext_lazy("CSAT by channel"), _trend),
        Part("consistency", gettext_lazy("Channel consistency"), _consistency),
        Part("movers", gettext_lazy("Significant movers"), _movers),
        Part("warnings", gettext_lazy("Early warnings"), _warnings),
        Part("endorsed", gettext_lazy("What staff endorse most"), _endorsed),
        Part("fixes", gettext_lazy("Fixes that went live"), _fixes),
    )
}


@login_required
@require_GET
def dashboard(request):
    require_analytics(request)
    context = dashboard_context(request, given(request, FIELDS))
    return render(
        request,
        "feedback/analytics/dashboard.html",
        {"dashboard": context},
        status=200 if context["ready"] else 400,
    )


@login_required
@require_GET
def dashboard_part(request, slug: str):
    """One section of the dashboard: the section alone when the dashboard asks for it
    (htmx), else a page of its own (the link shown without a script)."""
    part = PARTS.get(slug)
    if part is None:
        raise Http404
    require_analytics(request)
    fragment = request.headers.get("HX-Request") == "true"
    context = part_context(request, part, given(request, FIELDS), form=not fragment)
    template = "section" if fragment else "section_page"
    response = render(
        request,
        f"feedback/analytics/dashboard_{template}.html",
        {"d": context, "analyses": ANALYSES.values()},
        status=200 if context["ready"] else 400,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


# What an insight of the two lists shows beside it, loaded after the list (a customer
# evidence and an impact each read the survey responses of their own weeks).
CARDS = {
    "evidence": lambda scope, insight: {
        "evidence": reports.evidence_report(scope, insight, limit=EVIDENCE_COMMENTS)
    },
    "impact": lambda scope, insight: {
        "impact": reports.impact_report(scope, insight, weeks=IMPACT_WEEKS)
    },
}


@login_required
@require_GET
def dashboard_card(request, kind: str, pk: int):
    """An insight's customer evidence or verdict, as the dashboard's lists show them;
    followed as a link (no script), the insight's page, where its panels show both."""
    scope = require_analytics(request)
    insight = analytics_insight(request.user, pk)
    if kind not in CARDS or (kind == "impact" and insight.implemented_at is None):
        raise Http404  # no such card; no verdict before the fix goes live
    if request.headers.get("HX-Request") != "true":
        response = redirect(f"{insight.get_absolute_url()}#{kind}")
    else:
        response = render(
            request,
            f"feedback/analytics/_card_{kind}.html",
            {"insight": insight, **CARDS[kind](scope, insight)},
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


@homepage.register
def dashboard_panel(request):
    """Managers and administrators land on their dashboard (its defaults: last week)."""
    if not can_see_analytics(request.user):
        return None
    return homepage.Panel(
        template="feedback/analytics/_home_dashboard.html",
        context=dashboard_context(request, {}),
        order=1,
    )
