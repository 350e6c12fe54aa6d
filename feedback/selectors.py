"""Reads of insights. ``insights_visible_to`` is the one access rule for insights:
every page, API view, export and admin queryset starts from it."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from feedback.models import (
    CONFIDENTIAL_MODES,
    Comment,
    Insight,
    InsightEvent,
    Status,
)
from feedback.text import match_key, normalize
from portal.anonymity import author_token
from portal.models import User
from portal.scope import in_scope, location_in_scope, scope_q


def _mine_q(user: User) -> Q:
    return Q(author=user) | Q(author_token=author_token(user))


def insights_visible_to(user: User) -> QuerySet[Insight]:
    """The insights ``user`` may see.

    * everyone signed in sees non-confidential insights (to endorse "me too");
    * submitters always see their own, anonymous ones included;
    * confidential insights are seen only by their submitter and by managers
      whose scope covers the insight's location (admins see all).
    """
    if not user.is_authenticated or not user.is_active:
        return Insight.objects.none()
    qs = Insight.objects.all()
    if user.is_portal_admin:
        return qs
    visible = ~Q(privacy__in=CONFIDENTIAL_MODES) | _mine_q(user)
    if user.is_manager:
        in_my_scope = scope_q(user)
        if in_my_scope is None:
            return qs
        visible |= in_my_scope
    return qs.filter(visible)


def served_channels(user: User) -> list:
    """The active channels the user's team serves, by code: what a new insight of theirs
    is most likely about."""
    if not user.is_authenticated or not user.team_id:
        return []
    return list(user.team.channels.filter(is_active=True).order_by("code"))


def can_see(user: User, insight: Insight) -> bool:
    """Whether ``user`` may see ``insight``: :func:`insights_visible_to`, for one loaded
    insight. No query when the user's roles and managed locations are loaded (a
    prefetch of ``role_links`` and ``managed_locations``), so it can judge many people."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not insight.is_confidential or is_mine(user, insight):
        return True
    return user.is_manager and location_in_scope(user, insight.location_id)


def visible_insight(user: User, pk, *, lock: bool = False) -> Insight:
    """The insight ``pk`` as ``user`` may see it, or 404: one insight is looked up the
    same way everywhere (services included), so no caller can forget the rule. With
    ``lock`` the row is locked for the rest of the transaction."""
    qs = insights_visible_to(user)
    if lock:
        # Lock only the insight row: PostgreSQL cannot lock the nullable side of a join.
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (Insight.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such insight.")) from None


def triage_queue(user: User) -> QuerySet[Insight]:
    """The visible insights ``user`` may triage: those in their management scope."""
    return in_scope(insights_visible_to(user), user)


def can_manage(user: User, insight: Insight) -> bool:
    """Whether ``user`` triages ``insight`` (manager in scope, or admin)."""
    if not user.is_authenticated or not user.is_manager:
        return False
    return location_in_scope(user, insight.location_id)


def is_mine(user: User, insight: Insight) -> bool:
    if not user.is_authenticated:
        return False
    if insight.author_id is not None:
        return insight.author_id == user.pk
    return bool(insight.author_token) and insight.author_token == author_token(user)


def my_insights(user: User) -> QuerySet[Insight]:
    """What ``user`` submitted, named or anonymous."""
    if not user.is_authenticated:
        return Insight.objects.none()
    return Insight.objects.filter(_mine_q(user))


def comments_visible_to(user: User, insight: Insight) -> QuerySet[Comment]:
    """Comments on ``insight`` that ``user`` may read: internal ones only for its managers."""
    qs = insight.comments.select_related("author")
    if not can_manage(user, insight):
        qs = qs.filter(is_internal=False)
    return qs


def insight_timeline(insight: Insight) -> QuerySet[InsightEvent]:
    return insight.events.select_related("actor")


def you_said_we_did(user: User, limit: int = 10) -> QuerySet[Insight]:
    """Recently implemented fixes the user may see."""
    return (
        insights_visible_to(user)
        .filter(status=Status.IMPLEMENTED)
        .with_related()
        .with_counts()
        .order_by("-implemented_at", "-id")[:limit]
    )


@dataclass
class SimilarInsight:
    insight: Insight
    score: float


@dataclass
class SimilarGroup:
    """Open insights with the same title (normalised), shown as one line: the best
    ranked first, the others counted."""

    first: SimilarInsight
    others: list[SimilarInsight]
    at_my_location: bool

    @property
    def insight(self) -> Insight:
        return self.first.insight

    @property
    def other_place_count(self) -> int:
        """Locations, other than the first's, where the same was reported."""
        places = {item.insight.location_id for item in self.others}
        places.discard(self.insight.location_id)
        return len(places)


SIMILAR_MIN_SCORE = 0.3


def similar_insights(user: User, text: str, *, limit: int = 5) -> list[SimilarInsight]:
    """The open insights most like ``text`` that ``user`` may see, best first.

    Both sides are normalised and capped (feedback.text.match_key). PostgreSQL
    takes the nearest insights by trigram distance off a GiST index on
    ``match_text``; other
    databases fall back to comparing word trigrams in Python over recent insights.
    Among equally similar insights, those at the user's own location come first
    (what colleagues there reported is what to say "me too" to), then the newest.
    """
    query = match_key(text)
    if len(query) < 3:
        return []
    base = insights_visible_to(user).open()
    if connection.vendor == "postgresql":
        found = _similar_postgres(base, query, limit)
    else:
        found = _similar_python(base, query, limit)
    here = _location_id(user)
    found.sort(key=lambda item: (-item.score, item.insight.location_id != here, -item.insight.pk))
    return found[:limit]


def similar_insight_groups(user: User, text: str, *, limit: int = 5) -> list[SimilarGroup]:
    """:func:`similar_insights`, identical titles grouped: up to ``limit`` lines, each
    the best ranked of its title (the user's own location first among equals)."""
    here = _location_id(user)
    groups: dict[str, SimilarGroup] = {}
    # Enough candidates that a title reported at many places still leaves room for others.
    for item in similar_insights(user, text, limit=limit * 4):
        key = normalize(item.insight.title)
        group = groups.get(key)
        if group is None:
            if len(groups) == limit:
                continue
            groups[key] = SimilarGroup(first=item, others=[], at_my_location=False)
        else:
            group.others.append(item)
    for group in groups.values():
        group.at_my_location = here is not None and group.insight.location_id == here
    return list(groups.values())


def _location_id(user: User) -> int | None:
    team = user.team if user.team_id else None
    return team.location_id if team is not None else None


def _similar_postgres(base: QuerySet[Insight], query: str, limit: int) -> list[SimilarInsight]:
    from django.contrib.postgres.search import (
        TrigramDistance,
        TrigramSimilarity,
        TrigramWordSimilarity,
    )
    from django.db.models.functions import Greatest

    # Step 1: the nearest visible insights by trigram distance, straight off the
    # GiST index (ORDER BY <-> LIMIT). A bare query: with the joins of step 2 in
    # it, planning alone took longer than the search.
    nearest = list(
        base.order_by(TrigramDistance("match_text", query)).values_list("pk", flat=True)[
            : limit * 4
        ]
    )
    # Step 2: score only those; word similarity lifts an insight that contains a
    # short typed phrase. All of them (at most limit * 4) come back: the caller
    # breaks ties between equal scores.
    scored = (
        Insight.objects.filter(pk__in=nearest)
        .annotate(
            score=Greatest(
                TrigramSimilarity("match_text", query),
                TrigramWordSimilarity(query, "match_text"),
            )
        )
        .filter(score__gte=SIMILAR_MIN_SCORE)
        .with_related()
        .with_counts()
    )
    return [SimilarInsight(insight=i, score=round(i.score, 3)) for i in scored]


def _trigrams(text: str) -> set[str]:
    grams = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def _similar_python(base: QuerySet[Insight], query: str, limit: int) -> list[SimilarInsight]:
    wanted = _trigrams(query)
    scored = []
    candidates = base.order_by("-created_at").only("pk", "match_text")[:5000]
    for candidate in candidates:
        grams = _trigrams(candidate.match_text)
        if not grams:
            continue
        shared = len(wanted & grams)
        score = max(shared / len(wanted | grams), shared / len(wanted))
        if score >= SIMILAR_MIN_SCORE:
            scored.append((round(score, 3), candidate.pk))
    # Ties are kept past the limit: the caller breaks them by location.
    scored.sort(reverse=True)
    if len(scored) > limit:
        cutoff = scored[limit - 1][0]
        scored = [item for item in scored if item[0] >= cutoff]
    by_id = base.with_related().with_counts().in_bulk([pk for _s, pk in scored])
    return [SimilarInsight(insight=by_id[pk], score=s) for s, pk in scored]
