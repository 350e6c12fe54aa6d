"""What the pages' charts draw, as plain JSON for ``feedback/static/feedback/analytics.js``
(embedded with ``json_script``): the figures of a result object, never recomputed. A
suppressed figure is ``None`` — a gap in a line, no bar — never a zero.

Each chart is ``{"kind": "line" | "bar" | "scatter", "labels", "series", "unit",
"text"}``: ``labels`` the categories (ISO dates when ``time`` is true, formatted by
the browser in the page's language), each series ``{"label", "values", "low", "high",
"n"}`` (a scatter's ``points`` instead), and ``text`` the translated words the script
prints. ``horizontal`` bars suit many categories on a phone. ``hidden`` names what is
left out of the drawing for want of responses (the table still lists it), so that an
absent bar or line is never read as a zero.
"""

from django.utils.translation import gettext as _

from feedback.metrics import Metric


def unit(metric: str) -> str:
    # NPS runs from −100 to 100 and is not a percentage; CSAT and CES are.
    return "" if metric == Metric.NPS else "%"


def _text(**extra) -> dict:
    return {
        # xgettext:no-python-format
        "interval": _("95% interval"),
        "responses": _("responses"),
        "not_enough": _("not enough responses"),
        **extra,
    }


def _series(label, figures) -> dict:
    figures = list(figures)
    return {
        "label": str(label),
        "values": [f.value for f in figures],
        "low": [f.low for f in figures],
        "high": [f.high for f in figures],
        "n": [f.n for f in figures],
    }


def _scale(metric: str) -> dict:
    return {"min": -100, "max": 100} if metric == Metric.NPS else {"min": 0, "max": 100}


def trends_chart(result) -> dict:
    """One line per series over the periods, its 95% interval a band around it; a
    series without one figure to show is left out (and named)."""
    starts = [p.period_start.isoformat() for p in result.series[0].points] if result.series else []
    drawn = [s for s in result.series if any(not p.figure.suppressed for p in s.points)]
    return {
        "kind": "line",
        "time": True,
        "period": result.period,
        "labels": starts,
        "series": [
            _series(series.label, (point.figure for point in series.points)) for series in drawn
        ],
        "hidden": [str(s.label) for s in result.series if s not in drawn],
        "unit": unit(result.metric),
        "scale": _scale(result.metric),
        "text": _text(),
    }


def latest_comparable(result):
    """The last period of a consistency result in which two channels or more had enough
    responses to be compared (None when there is none)."""
    for period in reversed(result.periods):
        if period.lagging is not None:
            return period
    return None


def consistency_chart(result, period) -> dict:
    """Each channel's figure in ``period`` (one of the result's periods) as a bar with
    its interval; the lagging channel's bar stands out. Channels without enough
    responses are named, not drawn."""
    channels = [c for c in period.channels if not c.figure.suppressed]
    lagging = next((i for i, c in enumerate(channels) if c.key == period.lagging), None)
    return {
        "kind": "bar",
        "horizontal": True,
        "hidden": [str(c.label) for c in period.channels if c.figure.suppressed],
        "labels": [str(channel.label) for channel in channels],
        "series": [_series(Metric(result.metric).label, (c.figure for c in channels))],
        "highlight": lagging,
        "unit": unit(result.metric),
        "scale": _scale(result.metric),
        "text": _text(),
    }


def movers_chart(report) -> dict:
    """Each group's previous and current figure side by side, with intervals; a
    significant move is marked ▲ or ▼ after the group's name. Groups with neither
    figure to show are named, not drawn."""
    groups = [
        g for g in report.result.groups if not (g.current.suppressed and g.previous.suppressed)
    ]

    def name(group):
        if not group.significant:
            return str(group.label)
        return f"{group.label} {'▲' if group.difference > 0 else '▼'}"

    return {
        "kind": "bar",
        "horizontal": True,
        "hidden": [str(g.label) for g in report.result.groups if g not in groups],
        "labels": [name(group) for group in groups],
        "series": [
            _series(_("Previous period"), (g.previous for g in groups)),
            _series(_("This period"), (g.current for g in groups)),
        ],
        "unit": unit(report.result.metric),
        "scale": _scale(report.result.metric),
        "text": _text(),
    }


def impact_chart(report) -> dict:
    """CSAT before and after the fix at its location and, pooled, at the control
    locations, with intervals."""
    result = report.result
    series = [_series(_("This location"), (result.before, result.after))]
    if result.control.locations:
        control = result.control
        series.append(_series(_("Control locations"), (control.before, control.after)))
    return {
        "kind": "bar",
        "labels": [_("Before the fix"), _("After the fix")],
        "series": series,
        "unit": "%",
        "scale": _scale(Metric.CSAT),
        "text": _text(),
    }


def training_chart(report) -> dict:
    """One point per team: share of members compliant (x) against the team's CSAT (y),
    with the CSAT's interval."""
    teams = report.result.teams
    return {
        "kind": "scatter",
        "series": [
            {
                "label": _("Teams"),
                "points": [
                    {
                        "x": team.compliance,
                        "y": team.csat.value,
                        "low": team.csat.low,
                        "high": team.csat.high,
                        "n": team.csat.n,
                        "name": str(team.label),
                    }
                    for team in teams
                ],
            }
        ],
        "unit": "%",
        "scale": _scale(Metric.CSAT),
        "text": _text(
            x_title=_("Members compliant with their standards (%)"), y_title=_("CSAT (%)")
        ),
    }


def warnings_chart(report, labels: list[str]) -> dict:
    """Each warning's CSAT (with its interval) beside the CSAT of the 12 weeks before
    and the lower limit it fell below. ``labels`` name the warnings, in order (each a
    list of lines)."""
    warnings = list(report.warnings)
    return {
        "kind": "bar",
        "horizontal": True,
        "labels": labels,
        "series": [
            _series(_("CSAT that week"), (w.csat for w in warnings)),
            {
                "label": _("CSAT of the 12 weeks before"),
                "values": [w.baseline for w in warnings],
            },
            {"label": _("Lower limit"), "values": [w.limit for w in warnings]},
        ],
        "unit": "%",
        "scale": _scale(Metric.CSAT),
        "text": _text(),
    }
