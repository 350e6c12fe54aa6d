"""The one scoped selector the analytics read through.

Every count an analysis gets comes from here: survey counts summed in the database
from the daily rollup (never from raw responses, except the comments of customer
evidence), insight counts, and the codes and names of what they are broken down by.
Everything is limited to the viewer's :class:`Scope` (the locations they manage) —
with one exception, the control group of an impact analysis, which is drawn from the
whole organisation and leaves here only as counts per location.

Callers run inside ``portal.routers.analytics_reads()``, so with a read replica
configured all of it is read there.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone, translation

from feedback.metrics import Counts
from feedback.models import Category, Insight, SurveyDailyRollup, SurveyResponse
from portal.models import Channel, Location, Team
from portal.selectors import manager_location_ids

BREAKDOWNS = ("channel", "location", "team", "category", "none")
FILTERS = ("channel", "location", "team", "category")
_MODELS = {"channel": Channel, "location": Location, "team": Team, "category": Category}
_COUNT_FIELDS = ("n", "score_sum", "top_box", "promoters", "detractors")


@dataclass(frozen=True)
class Name:
    """A bilingual name that reads in the language of whoever prints it (results are
    cached across languages)."""

    en: str
    ar: str

    def __str__(self) -> str:
        if (translation.get_language() or "").startswith("ar"):
            return self.ar or self.en
        return self.en or self.ar


@dataclass(frozen=True)
class Scope:
    """The locations a viewer manages; ``location_ids`` None: the whole organisation."""

    location_ids: frozenset | None

    @classmethod
    def of(cls, user) -> "Scope":
        ids = manager_location_ids(user)
        return cls(None if ids is None else frozenset(ids))

    @classmethod
    def everywhere(cls) -> "Scope":
        return cls(None)

    @property
    def key(self) -> str:
        """A stable name for the cache."""
        if self.location_ids is None:
            return "all"
        return ",".join(str(pk) for pk in sorted(self.location_ids))

    def contains(self, location_id: int | None) -> bool:
        return self.location_ids is None or location_id in self.location_ids

    def limit(self, queryset: QuerySet, field: str = "location_id") -> QuerySet:
        if self.location_ids is None:
            return queryset
        return queryset.filter(**{f"{field}__in": sorted(self.location_ids)})


# --- codes and names ---------------------------------------------------------------------------
@dataclass
class Lookup:
    """Ids, codes and names of one kind of thing (channels, locations…), read once."""

    codes: dict[int, str]
    names: dict[str, Name]
    ids: dict[str, int]
    location_of: dict[int, int]  # teams only: the team's location

    def labels(self, codes: Iterable[str] | None = None) -> dict[str, Name]:
        wanted = self.names if codes is None else {c: self.names[c] for c in codes}
        return dict(wanted)


def lookup(kind: str, scope: Scope | None = None) -> Lookup:
    """Every channel, location, team or category (in their order); locations and teams
    only those in ``scope`` when one is given."""
    model = _MODELS[kind]
    queryset = model.objects.all()
    fields = ["pk", "code", "name_en", "name_ar"]
    if kind == "team":
        fields.append("location_id")
        if scope is not None:
            queryset = scope.limit(queryset)
    elif kind == "location" and scope is not None:
        queryset = scope.limit(queryset, "pk")
    rows = list(queryset.order_by("code").values_list(*fields))
    return Lookup(
        codes={row[0]: row[1] for row in rows},
        names={row[1]: Name(row[2], row[3]) for row in rows},
        ids={row[1]: row[0] for row in rows},
        location_of={row[0]: row[4] for row in rows} if kind == "team" else {},
    )


# --- survey counts ------------------------------------------------------------------------------
def _sums() -> dict:
    return {name: Sum(name) for name in _COUNT_FIELDS}


def _counts(row: dict) -> Counts:
    return Counts(*(row[name] or 0 for name in _COUNT_FIELDS))


def rollups(
    scope: Scope,
    *,
    metric: str,
    from_day: date,
    to_day: date,
    filters: dict[str, int] | None = None,
) -> QuerySet[SurveyDailyRollup]:
    """The rollup rows of ``metric`` from ``from_day`` to ``to_day`` in ``scope``,
    narrowed by ``filters`` (``{"channel": id, "location": id, …}``)."""
    queryset = SurveyDailyRollup.objects.filter(metric=metric, day__range=(from_day, to_day))
    queryset = scope.limit(queryset)
    for name, pk in (filters or {}).items():
        queryset = queryset.filter(**{f"{name}_id": pk})
    return queryset.order_by()


def daily_cells(queryset: QuerySet, by: str, codes: dict[int, str] | None) -> list:
    """``(key, day, Counts)`` per key and day: ``key`` the code of what ``by`` names
    (a channel, location, team or category; ``None`` for rows without a team or
    category, and for ``by="none"``)."""
    if by == "none":
        rows = queryset.values("day").annotate(**_sums())
        return [(None, row["day"], _counts(row)) for row in rows]
    field = f"{by}_id"
    rows = queryset.values(field, "day").annotate(**_sums())
    return [
        (
            None if row[field] is None else codes.get(row[field], str(row[field])),
            row["day"],
            _counts(row),
        )
        for row in rows
    ]


def totals(queryset: QuerySet, by: str | None = None) -> dict:
    """Counts summed over the whole queryset, per value of ``by`` (an id) when given."""
    if by is None:
        return {None: _counts(queryset.aggregate(**_sums()))}
    field = f"{by}_id"
    return {row[field]: _counts(row) for row in queryset.values(field).annotate(**_sums())}


def before_after(queryset: QuerySet, *, by: str, split: date) -> dict[int, tuple[Counts, Counts]]:
    """Per value of ``by`` (an id): counts before ``split`` and from ``split`` on."""
    field = f"{by}_id"
    before = {f"b_{name}": Sum(name, filter=Q(day__lt=split)) for name in _COUNT_FIELDS}
    after = {f"a_{name}": Sum(name, filter=Q(day__gte=split)) for name in _COUNT_FIELDS}
    result = {}
    for row in queryset.values(field).annotate(**before, **after):
        result[row[field]] = (
            Counts(*(row[f"b_{name}"] or 0 for name in _COUNT_FIELDS)),
            Counts(*(row[f"a_{name}"] or 0 for name in _COUNT_FIELDS)),
        )
    return result


# --- insights ---------------------------------------------------------------------------------
def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def insight_cells(scope: Scope, *, from_day: date, to_day: date) -> list:
    """``(channel code, category code, day, count)`` of the insights reported at the
    locations in ``scope`` from ``from_day`` to ``to_day`` (days in ``TIME_ZONE``)."""
    queryset = scope.limit(
        Insight.objects.filter(
            created_at__gte=day_start(from_day), created_at__lt=day_start(to_day + timedelta(1))
        )
    )
    rows = (
        queryset.annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values("channel__code", "category__code", "day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return [(r["channel__code"], r["category__code"], r["day"], r["count"]) for r in rows]


def insights_of_weeks(
    scope: Scope, keys: Iterable[tuple[str, str, date]], *, days: int = 7
) -> dict[tuple[str, str, date], list[int]]:
    """The ids of the insights behind each ``(channel, category, week start)``."""
    keys = list(keys)
    if not keys:
        return {}
    condition = Q()
    for channel, category, start in keys:
        condition |= Q(
            channel__code=channel,
            category__code=category,
            created_at__gte=day_start(start),
            created_at__lt=day_start(start + timedelta(days)),
        )
    rows = (
        scope.limit(Insight.objects.filter(condition))
        .values_list("pk", "channel__code", "category__code", "created_at")
        .order_by("created_at", "pk")
    )
    found: dict[tuple[str, str, date], list[int]] = {key: [] for key in keys}
    for pk, channel, category, created in rows:
        day = timezone.localdate(created)
        for key in keys:
            if (
                key[0] == channel
                and key[1] == category
                and key[2] <= day < key[2] + timedelta(days)
            ):
                found[key].append(pk)
    return found


def fixed_locations(*, channel_id: int, category_id: int, from_day: date, to_day: date) -> set:
    """Locations (ids, anywhere) with an insight of this channel and category
    implemented from ``from_day`` to ``to_day``: no control for such a fix."""
    return set(
        Insight.objects.filter(
            channel_id=channel_id,
            category_id=category_id,
            implemented_at__range=(from_day, to_day),
        ).values_list("location_id", flat=True)
    )


# --- customer evidence ------------------------------------------------------------------------
# Comments whose trigram similarity to the insight's title reaches this are evidence
# (pg_trgm's own default threshold for its % operator, so the GIN index serves it).
EVIDENCE_SIMILARITY = 0.3
# Without PostgreSQL the comparison runs in Python over at most this many comments.
EVIDENCE_SCAN_LIMIT = 20_000


def _trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of a normalised text: each word padded by two spaces before
    and one after."""
    grams = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of both."""
    first, second = _trigrams(a), _trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def matching_responses(
    scope: Scope, *, channel_id: int, text: str, from_day: date, to_day: date
) -> tuple[QuerySet[SurveyResponse], dict[int, float] | None]:
    """Responses on a channel in ``scope`` whose normalised comment resembles ``text``
    (normalised like ``feedback.text.match_key``), and each one's similarity.

    PostgreSQL filters with pg_trgm's ``%`` (the trigram GIN index on the comment) and
    annotates ``similarity`` (the second item is then None); other databases compare
    trigrams in Python over the most recent comments and return the scores by id.
    """
    queryset = scope.limit(
        SurveyResponse.objects.filter(
            channel_id=channel_id,
            responded_at__gte=day_start(from_day),
            responded_at__lt=day_start(to_day + timedelta(1)),
        ).exclude(comment_match="")
    )
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        matched = queryset.filter(comment_match__trigram_similar=text).annotate(
            similarity=TrigramSimilarity("comment_match", text)
        )
        return matched, None
    scores = {}
    for pk, comment in queryset.order_by("-responded_at").values_list("pk", "comment_match")[
        :EVIDENCE_SCAN_LIMIT
    ]:
        score = similarity(text, comment)
        if score >= EVIDENCE_SIMILARITY:
            scores[pk] = score
    return SurveyResponse.objects.filter(pk__in=list(scores)), scores
