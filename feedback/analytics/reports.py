"""The analyses as the API, the pages and the exports show them: checked parameters in,
a result object out, read through :mod:`feedback.analytics.reads` (on the analytics
database), computed by the pure modules of this package and cached per scope and
parameters (:mod:`feedback.analytics.cache`).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.analytics import reads
from feedback.analytics.consistency import Consistency, consistency
from feedback.analytics.early_warning import HISTORY_WEEKS, EarlyWarnings, early_warnings
from feedback.analytics.evidence import Evidence, evidence
from feedback.analytics.impact import Impact, impact
from feedback.analytics.movers import Movers, movers
from feedback.analytics.params import as_of_end
from feedback.analytics.training import TeamRecord, TrainingVsCsat, training_vs_csat
from feedback.analytics.trends import Trends, trends
from feedback.metrics import TOP_BOX_FROM, Counts, Metric, Period, period_start, shift_period
from feedback.models import Insight
from feedback.text import match_key
from portal import results_cache as cache
from portal.routers import analytics_reads

# Customer evidence looks at this many weeks before an insight was reported, up to the
# day its fix went live (or today).
EVIDENCE_WEEKS_BEFORE = 26


NONE_LABELS = {"team": _("No team"), "category": _("No category")}


def _labels(kind: str | None, scope: reads.Scope) -> tuple[dict, dict]:
    """(codes by id, names by code) for a breakdown; empty for ``none``. Rows without a
    team or category have the key ``None``."""
    if kind is None or kind == "none":
        return {}, {}
    found = reads.lookup(kind, scope if kind in ("location", "team") else None)
    names = dict(found.names)
    if kind in NONE_LABELS:
        names[None] = NONE_LABELS[kind]
    return found.codes, names


def _present(names: dict, cells: list) -> dict:
    """The names of the keys that have data, in their order: a series or channel with no
    response in the whole span is left out."""
    keys = {key for key, _day, _counts in cells}
    return {key: name for key, name in names.items() if key in keys}


def _params_key(params: dict) -> dict:
    return {
        key: getattr(value, "pk", value) for key, value in params.items() if key not in ("filters",)
    } | {"filters": params.get("filters", {})}


# --- trends, movers, consistency -------------------------------------------------------------
def _daily(scope: reads.Scope, params: dict, by: str) -> tuple[list, dict]:
    """The day-by-day cells of the span and metric in ``params``, broken down ``by``,
    and the names of the keys that have data."""
    with analytics_reads():
        codes, names = _labels(by, scope)
        rows = reads.rollups(
            scope,
            metric=params["metric"],
            from_day=params["from"],
            to_day=params["to"],
            filters=params["filters"],
        )
        cells = reads.daily_cells(rows, by, codes)
    return cells, _present(names, cells)


def _span(params: dict) -> dict:
    return {key: params[key] for key in ("metric", "period")} | {
        "from_day": params["from"],
        "to_day": params["to"],
    }


def trends_report(scope: reads.Scope, params: dict) -> Trends:
    def compute():
        cells, labels = _daily(scope, params, params["by"])
        return trends(**_span(params), cells=cells, labels=labels)

    return cache.cached(
        "trends", scope=scope.key, params=_params_key(params), reads=[cache.SURVEY], compute=compute
    )


class _Described:
    """A report around a pure result: its method sentence and caveats are the result's."""

    @property
    def method(self):
        return self.result.method

    @property
    def caveats(self):
        return self.result.caveats


@dataclass(frozen=True)
class MoversReport(_Described):
    """Movers with the two periods compared."""

    result: Movers
    current_start: date
    previous_start: date
    period: str

    def as_dict(self) -> dict:
        return {
            "metric": self.result.metric,
            "period": self.period,
            "current_start": self.current_start.isoformat(),
            "previous_start": self.previous_start.isoformat(),
            **self.result.as_dict(),
        }


def movers_report(scope: reads.Scope, params: dict) -> MoversReport:
    period = params["period"]
    current = period_start(params["date"], period)
    previous = shift_period(current, period, -1)
    current_end = shift_period(current, period, 1) - timedelta(days=1)

    def compute():
        with analytics_reads():
            codes, names = _labels(params["by"], scope)
            rows = reads.rollups(
                scope,
                metric=params["metric"],
                from_day=previous,
                to_day=current_end,
                filters=params["filters"],
            )
            split = reads.before_after(rows, by=params["by"], split=current)
        groups = {
            codes.get(pk, str(pk)) if pk is not None else None: (after, before)
            for pk, (before, after) in split.items()
        }
        result = movers(metric=params["metric"], groups=groups, labels=names)
        return MoversReport(result, current, previous, period)

    return cache.cached(
        "movers",
        scope=scope.key,
        params=_params_key(params) | {"date": current},
        reads=[cache.SURVEY],
        compute=compute,
    )


def consistency_report(scope: reads.Scope, params: dict) -> Consistency:
    def compute():
        cells, labels = _daily(scope, params, "channel")
        return consistency(**_span(params), cells=cells, labels=labels)

    return cache.cached(
        "consistency",
        scope=scope.key,
        params=_params_key(params),
        reads=[cache.SURVEY],
        compute=compute,
    )


# --- one insight: customer evidence and impact -----------------------------------------------
@dataclass(frozen=True)
class EvidenceReport(_Described):
    result: Evidence
    from_day: date
    to_day: date

    def as_dict(self) -> dict:
        return {
            **self.result.as_dict(),
            "from": self.from_day.isoformat(),
            "to": self.to_day.isoformat(),
        }


def evidence_window(insight: Insight) -> tuple[date, date]:
    reported = timezone.localdate(insight.created_at)
    end = min(insight.implemented_at or timezone.localdate(), timezone.localdate())
    return reported - timedelta(weeks=EVIDENCE_WEEKS_BEFORE), max(end, reported)


def evidence_report(scope: reads.Scope, insight: Insight, *, limit: int) -> EvidenceReport:
    """Survey comments in ``scope`` on the insight's channel resembling its title, the
    CSAT of those responses, and the CSAT of all responses on its channel and location,
    over the same weeks."""
    from_day, to_day = evidence_window(insight)

    def compute():
        text = match_key(insight.title)
        with analytics_reads():
            matched, scores = reads.matching_responses(
                scope, channel_id=insight.channel_id, text=text, from_day=from_day, to_day=to_day
            )
            csat = {"metric": Metric.CSAT}
            matching = _response_counts(matched.filter(**csat))
            overall_rows = reads.rollups(
                scope,
                metric=Metric.CSAT,
                from_day=from_day,
                to_day=to_day,
                filters={"channel": insight.channel_id, "location": insight.location_id},
            )
            overall = reads.totals(overall_rows)[None]
            comments = _comments(matched, scores, limit)
        return EvidenceReport(
            evidence(matching=matching, overall=overall, comments=comments), from_day, to_day
        )

    return cache.cached(
        "evidence",
        scope=scope.key,
        params={"insight": insight.pk, "limit": limit, "title": insight.title,
                "from": from_day, "to": to_day},
        reads=[cache.SURVEY],
        compute=compute,
    )  # fmt: skip


def _response_counts(queryset) -> Counts:
    """Counts of raw CSAT responses (the matched ones have no rollup of their own)."""
    from django.db.models import Count, Q, Sum

    top = TOP_BOX_FROM[Metric.CSAT]
    row = queryset.order_by().aggregate(
        n=Count("pk"), score_sum=Sum("score"), top_box=Count("pk", filter=Q(score__gte=top))
    )
    return Counts(row["n"], row["score_sum"] or 0, row["top_box"], 0, 0)


def _comments(matched, scores: dict | None, limit: int) -> list[dict]:
    ordered = matched.select_related("location")
    if scores is not None:
        rows = sorted(ordered, key=lambda r: (-scores[r.pk], -r.responded_at.timestamp(), -r.pk))
    else:
        rows = ordered.order_by("-similarity", "-responded_at", "-pk")
    return [
        {
            "comment": row.comment,
            "metric": row.metric,
            "score": row.score,
            "date": timezone.localdate(row.responded_at).isoformat(),
            "location": row.location.code,
            "language": row.language,
        }
        for row in list(rows[:limit])
    ]


@dataclass(frozen=True)
class ImpactReport(_Described):
    result: Impact
    insight_id: int
    implemented_at: date
    weeks: int
    weekly: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            **self.result.as_dict(),
            "implemented_at": self.implemented_at.isoformat(),
            "weeks": self.weeks,
        }

    @property
    def verdict(self) -> str:
        return self.result.verdict


def impact_report(viewer_scope: reads.Scope, insight: Insight, *, weeks: int) -> ImpactReport:
    """Before/after CSAT on the insight's channel at its location, against the same
    channel at the locations of the whole organisation that had no implemented insight
    of the same channel and category in that span (their codes named only where the
    viewer's scope holds them)."""
    on = insight.implemented_at
    start, end = on - timedelta(weeks=weeks), on + timedelta(weeks=weeks) - timedelta(days=1)

    def compute():
        with analytics_reads():
            rows = reads.rollups(
                reads.Scope.everywhere(),
                metric=Metric.CSAT,
                from_day=start,
                to_day=end,
                filters={"channel": insight.channel_id},
            )
            split = reads.before_after(rows, by="location", split=on)
            excluded = reads.fixed_locations(
                channel_id=insight.channel_id,
                category_id=insight.category_id,
                from_day=start,
                to_day=end,
            )
            codes = reads.lookup("location").codes
        treated_before, treated_after = split.get(insight.location_id, (Counts(), Counts()))
        controls = {
            codes[pk]: pair
            for pk, pair in split.items()
            if pk != insight.location_id and pk not in excluded
        }
        visible = {codes[pk] for pk in split if viewer_scope.contains(pk)}
        result = impact(
            treated_before=treated_before,
            treated_after=treated_after,
            controls=controls,
            visible_codes=visible,
        )
        return ImpactReport(result, insight.pk, on, weeks)

    return cache.cached(
        "impact",
        scope=viewer_scope.key,
        params={"insight": insight.pk, "on": on, "weeks": weeks,
                "channel": insight.channel_id, "category": insight.category_id,
                "location": insight.location_id},
        reads=[cache.SURVEY, cache.INSIGHTS],
        compute=compute,
    )  # fmt: skip


# --- training vs CSAT, early warnings ---------------------------------------------------------
@dataclass(frozen=True)
class TrainingReport(_Described):
    result: TrainingVsCsat
    from_day: date
    to_day: date
    as_of: date

    def as_dict(self) -> dict:
        return {
            **self.result.as_dict(),
            "from": self.from_day.isoformat(),
            "to": self.to_day.isoformat(),
            "as_of": self.as_of.isoformat(),
        }


def training_report(scope: reads.Scope, params: dict) -> TrainingReport:
    """Per team in scope: compliance at the end of the period (with the standards that
    cover it, or ``standard``), and its CSAT over the period."""
    from training.compliance import team_compliance

    as_of = as_of_end(params)

    def compute():
        with analytics_reads():
            teams = reads.lookup("team", scope)
            # Organisation-wide, every team: no need to list them to the database.
            in_scope = None if scope.location_ids is None else list(teams.codes)
            compliance = team_compliance(
                as_of=as_of, standard=params.get("standard"), teams=in_scope
            )
            rows = reads.rollups(
                scope, metric=Metric.CSAT, from_day=params["from"], to_day=params["to"]
            ).filter(team__isnull=False)
            csat = reads.totals(rows, by="team")
        records = [
            TeamRecord(
                team=teams.codes[team_id],
                members=share.members,
                compliance=share.share,
                csat=csat.get(team_id, Counts()),
                label=teams.names[teams.codes[team_id]],
            )
            for team_id, share in sorted(compliance.items(), key=lambda i: teams.codes[i[0]])
            if team_id in teams.codes
        ]
        return TrainingReport(training_vs_csat(records), params["from"], params["to"], as_of)

    return cache.cached(
        "training",
        scope=scope.key,
        params=_params_key(params) | {"as_of": as_of},
        reads=[cache.SURVEY, cache.TRAINING],
        compute=compute,
    )


@dataclass(frozen=True)
class WarningsReport(_Described):
    result: EarlyWarnings
    insight_ids: dict
    labels: dict

    def as_dict(self) -> dict:
        warnings = []
        for warning in self.result.warnings:
            key = (warning.channel, warning.category, warning.week)
            warnings.append(
                {
                    **warning.as_dict(),
                    "channel_label": str(self.labels.get(("channel", warning.channel), "")),
                    "category_label": str(self.labels.get(("category", warning.category), "")),
                    "insight_ids": list(self.insight_ids.get(key, [])),
                }
            )
        return {"warnings": warnings}

    @property
    def warnings(self):
        return self.result.warnings


def warnings_report(scope: reads.Scope, params: dict) -> WarningsReport:
    first_week = period_start(params["from"], Period.WEEK)
    history_from = first_week - timedelta(weeks=HISTORY_WEEKS)

    def compute():
        with analytics_reads():
            codes, channel_names = _labels("channel", scope)
            category_codes, category_names = _labels("category", scope)
            rows = reads.rollups(
                scope, metric=Metric.CSAT, from_day=history_from, to_day=params["to"]
            )
            csat_cells = reads.daily_cells(rows, "channel", codes)
            insight_cells = reads.insight_cells(
                scope,
                from_day=history_from,
                to_day=params["to"],
                channels=codes,
                categories=category_codes,
            )
            result = early_warnings(
                csat_cells=csat_cells,
                insight_cells=insight_cells,
                from_day=params["from"],
                to_day=params["to"],
            )
            keys = [(w.channel, w.category, w.week) for w in result.warnings]
            ids = reads.insights_of_weeks(scope, keys)
        labels = {("channel", k): v for k, v in channel_names.items()}
        labels |= {("category", k): v for k, v in category_names.items()}
        return WarningsReport(result, ids, labels)

    return cache.cached(
        "warnings",
        scope=scope.key,
        params=_params_key(params),
        reads=[cache.SURVEY, cache.INSIGHTS],
        compute=compute,
    )
