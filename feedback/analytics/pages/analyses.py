"""A page per analysis: its filters, its chart, the data table under it (what the CSV
and XLSX links export, from the API with the same parameters), the method sentence and
the caveats."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from feedback.analytics import charts, params, reports, tables
from feedback.analytics.dashboard import last_complete_day
from feedback.analytics.pages.common import (
    TABLE_ROWS,
    checked,
    filters_form,
    given,
    in_effect,
    query,
    require_analytics,
)
from feedback.metrics import PERIODS


@dataclass(frozen=True)
class Analysis:
    slug: str  # the page's URL, the table's name
    title: str
    intro: str
    params_class: type
    fields: tuple[str, ...]
    api: str  # the API's URL name: the exports
    report: Callable
    charts: Callable  # result → [(caption, spec)]
    breakdowns: tuple[str, ...] | None = None
    details: Callable = field(default=lambda result: {})
    # The page's defaults where the API's would not suit a page (query string → values).
    defaults: Callable = field(default=lambda data: {})


def _trends_charts(result):
    if not result.series:
        return []
    # xgettext:no-python-format
    return [(_("Each series over time, with its 95% interval"), charts.trends_chart(result))]


def _consistency_charts(result):
    period = charts.latest_comparable(result)
    if period is None:
        return []
    return [(_("Each channel in the latest period with two or more to compare"),
             charts.consistency_chart(result, period))]  # fmt: skip


def _consistency_details(result):
    period = charts.latest_comparable(result)
    if period is None:
        return {}
    names = {channel.key: channel for channel in period.channels}
    return {
        "unit": charts.unit(result.metric),
        "latest": period,
        "lagging": names.get(period.lagging),
        "leading": names.get(period.leading),
    }


def _movers_charts(report):
    if not report.result.groups:
        return []
    return [(_("Each group this period and the previous one"), charts.movers_chart(report))]


def _movers_defaults(data):
    """The last complete period against the one before, as on the dashboard: this
    period so far would compare a few hours with a whole week."""
    period = data.get("period", "week")
    if period not in PERIODS:
        return {}
    return {"date": last_complete_day(period).isoformat()}


def _movers_details(report):
    return {
        "unit": charts.unit(report.result.metric),
        "significant": [group for group in report.result.groups if group.significant],
    }


def _training_charts(report):
    if not report.result.teams:
        return []
    return [(_("Each team: compliance against CSAT"), charts.training_chart(report))]


def warning_labels(report) -> list[list[str]]:
    """Each warning's channel, category and week, one per line: a phone's narrow chart
    has room for short lines only."""
    labels = report.labels
    return [
        [
            str(labels.get(("channel", w.channel), w.channel)),
            str(labels.get(("category", w.category), w.category)),
            date_format(w.week, "DATE_FORMAT"),
        ]
        for w in report.warnings
    ]


def _warnings_charts(report):
    if not report.warnings:
        return []
    return [(_("Each warning's CSAT against its limit"),
             charts.warnings_chart(report, warning_labels(report)))]  # fmt: skip


def warning_rows(report) -> list[dict]:
    """The warnings with their channel's and category's names and their insights' ids,
    for a list (the table holds their figures)."""
    found = report.as_dict()["warnings"]
    return [
        {"warning": warning, **row} for warning, row in zip(report.warnings, found, strict=True)
    ]


def _warnings_details(report):
    return {"warnings": warning_rows(report)}


ANALYSES = {
    analysis.slug: analysis
    for analysis in (
        Analysis(
            slug="trends",
            title=gettext_lazy("Trends"),
            intro=gettext_lazy(
                "CSAT, NPS or CES per day, week or month, for each channel, location, team "
                "or category."
            ),
            params_class=params.TrendsParams,
            fields=("metric", "period", "by", "from", "to", "channel", "location", "team",
                    "category"),
            api="analytics-trends",
            report=reports.trends_report,
            charts=_trends_charts,
        ),
        Analysis(
            slug="movers",
            title=gettext_lazy("Movers"),
            intro=gettext_lazy(
                "Which groups moved between the previous period and this one, and which "
                "moves are more than chance."
            ),
            params_class=params.MoversParams,
            fields=("metric", "period", "by", "date", "channel", "location", "team",
                    "category"),
            api="analytics-movers",
            report=reports.movers_report,
            charts=_movers_charts,
            breakdowns=("channel", "location", "team", "category"),
            details=_movers_details,
            defaults=_movers_defaults,
        ),
        Analysis(
            slug="consistency",
            title=gettext_lazy("Channel consistency"),
            intro=gettext_lazy(
                "A customer should get the same service on every channel: how far apart "
                "the channels are, period by period, and whether the gap is more than "
                "chance."
            ),
            params_class=params.ConsistencyParams,
            fields=("metric", "period", "from", "to", "location"),
            api="analytics-consistency",
            report=reports.consistency_report,
            charts=_consistency_charts,
            details=_consistency_details,
        ),
        Analysis(
            slug="training-vs-csat",
            title=gettext_lazy("Training and satisfaction"),
            intro=gettext_lazy(
                "Do teams with more members compliant with their service standards have "
                "more satisfied customers?"
            ),
            params_class=params.TrainingParams,
            fields=("from", "to", "standard"),
            api="analytics-training",
            report=reports.training_report,
            charts=_training_charts,
        ),
        Analysis(
            slug="early-warnings",
            title=gettext_lazy("Early warnings"),
            intro=gettext_lazy(
                "Weeks in which a channel's CSAT fell below its control limit while staff "
                "reported one kind of problem on it far more often than usual."
            ),
            params_class=params.WarningsParams,
            fields=("from", "to"),
            api="analytics-warnings",
            report=reports.warnings_report,
            charts=_warnings_charts,
            details=_warnings_details,
        ),
    )
}  # fmt: skip


@login_required
@require_GET
def analysis_page(request, slug: str):
    analysis = ANALYSES.get(slug)
    if analysis is None:
        raise Http404
    scope = require_analytics(request)
    data = given(request, analysis.fields)
    data = analysis.defaults(data) | data
    found, errors = checked(analysis.params_class, data, scope)
    values = in_effect(analysis.fields, data, found)
    context = {
        "analysis": analysis,
        "analyses": ANALYSES.values(),
        "form": filters_form(
            analysis.fields, values, scope, errors, breakdowns=analysis.breakdowns
        ),
        "result": None,
    }
    if found is not None:
        result = analysis.report(scope, found)
        headers, rows = tables.table(analysis.slug, result)
        api = reverse(analysis.api)
        context |= {
            "result": result,
            "charts": [
                {"id": f"chart-{analysis.slug}-{i}", "caption": caption, "spec": spec}
                for i, (caption, spec) in enumerate(analysis.charts(result))
            ],
            "headers": headers,
            "rows": rows[:TABLE_ROWS],
            "row_count": len(rows),
            "exports": {
                "csv": f"{api}?{query(values, format='csv')}",
                "xlsx": f"{api}?{query(values, format='xlsx')}",
            },
            "params": found,
            **analysis.details(result),
        }
    return render(
        request, "feedback/analytics/analysis.html", context, status=400 if errors else 200
    )
