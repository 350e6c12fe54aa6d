"""Training vs satisfaction: do teams with more members compliant have happier
customers? A rank correlation across teams, with a permutation p-value."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from scipy.stats import permutation_test, rankdata, spearmanr

from feedback.analytics.common import NOT_CAUSE
from feedback.metrics import Counts, Figure, Metric, figure, min_responses

MIN_MEMBERS = 5
FEW_TEAMS = 10
RESAMPLES = 9_999
# Fixed, so the same data always gives the same p-value (and the cache is honest).
SEED = 20_260_101

METHOD = _(
    "Spearman's rank correlation between each team's share of members compliant with "
    "the standards that cover it and the team's CSAT, with a two-sided permutation "
    "p-value (9,999 random pairings); teams with fewer than 5 members or too few "
    "responses are left out."
)


def _few_teams(count: int) -> str:
    return ngettext(
        "Only %(count)d team could be compared: a correlation over so few teams is unreliable.",
        "Only %(count)d teams could be compared: a correlation over so few teams is unreliable.",
        count,
    ) % {"count": count}


few_teams = lazy(_few_teams, str)


@dataclass(frozen=True)
class TeamRecord:
    """One team's input: members, share compliant (0–1) at the end of the period and
    CSAT counts in the period."""

    team: Hashable
    members: int
    compliance: float
    csat: Counts
    label: str = ""


@dataclass(frozen=True)
class TeamPoint:
    team: Hashable
    label: str
    members: int
    compliance: float  # percent, 0–100
    csat: Figure

    def as_dict(self) -> dict:
        return {
            "team": self.team,
            "label": str(self.label),
            "members": self.members,
            "compliance": self.compliance,
            "csat": self.csat.as_dict(),
        }


@dataclass(frozen=True)
class Excluded:
    too_few_members: int
    too_few_responses: int

    @property
    def count(self) -> int:
        return self.too_few_members + self.too_few_responses

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "too_few_members": self.too_few_members,
            "too_few_responses": self.too_few_responses,
        }


@dataclass(frozen=True)
class TrainingVsCsat:
    teams: tuple[TeamPoint, ...]
    excluded: Excluded
    rho: float | None
    p_value: float | None
    n: int
    warning: str | None
    method: str
    caveats: tuple[str, ...]

    def as_dict(self) -> dict:
        """``{"teams": [{"team", "members", "compliance", "csat"}], "excluded",
        "rho", "p_value", "n", "warning"}``; ``excluded`` is
        ``{"count", "too_few_members", "too_few_responses"}``."""
        return {
            "teams": [team.as_dict() for team in self.teams],
            "excluded": self.excluded.as_dict(),
            "rho": self.rho,
            "p_value": self.p_value,
            "n": self.n,
            "warning": None if self.warning is None else str(self.warning),
        }


def training_vs_csat(
    teams: Iterable[TeamRecord], *, min_n: int | None = None, seed: int = SEED
) -> TrainingVsCsat:
    """Spearman ρ between compliance and CSAT across the teams with at least 5 members
    and ``min_n`` CSAT responses, with a permutation p-value
    (``scipy.stats.permutation_test``, pairings, 9,999 resamples, seeded). ρ and p are
    ``None`` below 3 teams or when either side does not vary."""
    min_n = min_responses() if min_n is None else min_n
    kept, few_members, few_responses = [], 0, 0
    for team in teams:
        compliance = float(team.compliance)
        if not 0 <= compliance <= 1:
            raise ValueError(f"compliance of {team.team} is a share from 0 to 1")
        if team.members < MIN_MEMBERS:
            few_members += 1
            continue
        csat = figure(Metric.CSAT, team.csat, min_n=min_n)
        if csat.suppressed:
            few_responses += 1
            continue
        label = team.label or str(team.team)
        kept.append(TeamPoint(team.team, label, team.members, 100 * compliance, csat))

    x = [team.compliance for team in kept]
    y = [team.csat.value for team in kept]
    rho = p_value = None
    if len(kept) >= 3 and len(set(x)) > 1 and len(set(y)) > 1:
        rho = float(spearmanr(x, y).statistic)
        p_value = _permutation_p_value(x, y, seed)
    return TrainingVsCsat(
        teams=tuple(kept),
        excluded=Excluded(few_members, few_responses),
        rho=rho,
        p_value=p_value,
        n=len(kept),
        warning=few_teams(len(kept)) if len(kept) < FEW_TEAMS else None,
        method=METHOD,
        caveats=(NOT_CAUSE,),
    )


def _permutation_p_value(x, y, seed: int) -> float:
    # Spearman's ρ is Pearson's r of the ranks, and re-pairing values re-pairs their
    # ranks: rank once, then score all 9,999 pairings in one vectorised call.
    def pearson(a, b, axis=-1):
        a = a - a.mean(axis=axis, keepdims=True)
        b = b - b.mean(axis=axis, keepdims=True)
        return (a * b).sum(axis=axis) / np.sqrt((a * a).sum(axis=axis) * (b * b).sum(axis=axis))

    result = permutation_test(
        (rankdata(x), rankdata(y)),
        pearson,
        permutation_type="pairings",
        vectorized=True,
        n_resamples=RESAMPLES,
        alternative="two-sided",
        rng=np.random.default_rng(seed),
    )
    return float(result.pvalue)
