"""Each analysis as a table: what its CSV and XLSX exports hold and what its page shows
under the chart (the accessible alternative to it). A suppressed figure is an empty
cell with "yes" under "not enough responses" — never a number."""

from django.utils.translation import gettext as _

FIGURE = ("n", "value", "low", "high", "mean")


def _figure_headers(prefix: str = "") -> list[str]:
    names = {
        "n": _("responses"),
        "value": _("value"),
        # xgettext:no-python-format
        "low": _("95% interval, low"),
        # xgettext:no-python-format
        "high": _("95% interval, high"),
        "mean": _("mean score"),
    }
    headers = [f"{prefix}{names[name]}" for name in FIGURE]
    return [*headers, f"{prefix}{_('not enough responses')}"]


def _figure(figure) -> list:
    return [figure.n, figure.value, figure.low, figure.high, figure.mean, _yes(figure.suppressed)]


def _yes(flag) -> str:
    return _("yes") if flag else _("no")


def _trends(result):
    headers = [_("series"), _("code"), _("period start"), *_figure_headers()]
    rows = (
        [str(series.label), series.key or "", point.period_start, *_figure(point.figure)]
        for series in result.series
        for point in series.points
    )
    return headers, rows


def _movers(report):
    headers = [
        _("group"),
        _("code"),
        *_figure_headers(_("this period: ")),
        *_figure_headers(_("previous period: ")),
        _("difference (points)"),
        _("p-value"),
        _("q-value"),
        _("significant"),
    ]
    rows = (
        [
            str(group.label),
            group.key or "",
            *_figure(group.current),
            *_figure(group.previous),
            group.difference,
            group.p_value,
            group.q_value,
            _yes(group.significant),
        ]
        for group in report.result.groups
    )
    return headers, rows


def _consistency(result):
    headers = [
        _("period start"),
        _("channel"),
        *_figure_headers(),
        _("spread (points)"),
        _("leading"),
        _("lagging"),
        _("chi-square"),
        _("p-value"),
    ]
    rows = (
        [
            period.period_start,
            str(channel.label),
            *_figure(channel.figure),
            period.spread,
            period.leading or "",
            period.lagging or "",
            period.chi2,
            period.p_value,
        ]
        for period in result.periods
        for channel in period.channels
    )
    return headers, rows


def _evidence(report):
    headers = [_("row"), _("date"), _("location"), _("metric"), _("score"), _("comment")]
    headers += _figure_headers()
    result = report.result
    rows = [
        [_("matching comments' CSAT"), "", "", "", "", "", *_figure(result.matching)],
        [_("all responses' CSAT"), "", "", "", "", "", *_figure(result.overall)],
    ]
    blank = [""] * len(_figure_headers())
    rows += [
        [_("comment"), c["date"], c["location"], c["metric"], c["score"], c["comment"], *blank]
        for c in result.comments
    ]
    return headers, rows


def _impact(report):
    result = report.result
    headers = [_("row"), *_figure_headers(), _("p-value")]

    def estimate(label, est):
        return [label, "", est.value, est.low, est.high, "", "", est.p_value]

    rows = [
        [_("before"), *_figure(result.before), ""],
        [_("after"), *_figure(result.after), ""],
        [_("control before"), *_figure(result.control.before), ""],
        [_("control after"), *_figure(result.control.after), ""],
        estimate(_("difference (points)"), result.difference),
        estimate(_("difference in differences (points)"), result.did),
        [_("control locations"), result.control.locations, *[""] * 5, ""],
    ]
    if result.placebo:
        rows.append([_("placebo"), result.placebo.locations, *[""] * 5, result.placebo.p_value])
    rows.append([_("verdict"), str(result.verdict_label), *[""] * 5, ""])
    return headers, rows


def _training(report):
    result = report.result
    headers = [_("team"), _("code"), _("members"), _("compliant (%)"), *_figure_headers()]
    rows = (
        [str(team.label), team.team, team.members, team.compliance, *_figure(team.csat)]
        for team in result.teams
    )
    return headers, rows


def _warnings(report):
    headers = [
        _("week"),
        _("channel"),
        _("category"),
        *_figure_headers(),
        _("lower limit (%)"),
        _("baseline (%)"),
        _("insights"),
        _("insights in an average week"),
    ]
    rows = (
        [
            warning.week,
            warning.channel,
            warning.category,
            *_figure(warning.csat),
            warning.limit,
            warning.baseline,
            warning.insights,
            warning.insights_mean,
        ]
        for warning in report.warnings
    )
    return headers, rows


TABLES = {
    "trends": _trends,
    "movers": _movers,
    "consistency": _consistency,
    "evidence": _evidence,
    "impact": _impact,
    "training-vs-csat": _training,
    "early-warnings": _warnings,
}


def table(name: str, result) -> tuple[list, list]:
    """(headers, rows) of an analysis' result, in the current language."""
    headers, rows = TABLES[name](result)
    return headers, list(rows)
