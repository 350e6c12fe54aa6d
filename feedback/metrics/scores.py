"""Metrics and their scores: what a valid score is, what counts as satisfied, and the
counts a set of responses adds up to (what a rollup row stores)."""

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    CSAT = "csat", _("CSAT")
    NPS = "nps", _("NPS")
    CES = "ces", _("CES")


SCORE_RANGES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
# The lowest satisfied score: CSAT 4–5, CES 5–7, and for NPS the promoters (9–10), so
# that "share satisfied" means the same thing in every breakdown and test.
TOP_BOX_FROM = {"csat": 4, "nps": 9, "ces": 5}
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6


def check_metric(metric: str) -> str:
    """``metric`` itself when it is ``csat``, ``nps`` or ``ces``; a ValueError otherwise.
    (A plain dictionary test: ``Metric(metric)`` costs microseconds on every figure.)"""
    if metric not in SCORE_RANGES:
        raise ValueError(f"{metric!r} is not a metric (csat, nps or ces)")
    return metric


def score_range(metric: str) -> tuple[int, int]:
    """The lowest and highest score of ``metric`` (``csat`` 1–5, ``nps`` 0–10, ``ces`` 1–7)."""
    return SCORE_RANGES[check_metric(metric)]


def is_valid_score(metric: str, score: object) -> bool:
    """Whether ``score`` is a whole number in the range of ``metric``."""
    if isinstance(score, bool):
        return False
    try:
        score = operator.index(score)
    except TypeError:
        return False
    low, high = score_range(metric)
    return low <= score <= high


def is_top_box(metric: str, score: int) -> bool:
    """Whether ``score`` counts as satisfied: CSAT 4–5, CES 5–7, NPS 9–10 (a promoter)."""
    return score >= TOP_BOX_FROM[check_metric(metric)]


def is_promoter(score: int) -> bool:
    return score >= PROMOTER_FROM


def is_detractor(score: int) -> bool:
    return score <= DETRACTOR_UP_TO


# Counts, Figure and Estimate are values, never changed after they are made; they are
# not frozen because a frozen dataclass costs four times as much to make, and a page
# makes thousands.
@dataclass(slots=True)
class Counts:
    """What a set of responses of one metric adds up to; what a rollup row stores.

    Counts add up (``a + b``, ``sum(cells)``), so any breakdown is a sum of rollup rows.
    ``promoters`` and ``detractors`` are only counted for NPS; there ``top_box`` equals
    ``promoters``.
    """

    n: int = 0
    score_sum: int = 0
    top_box: int = 0
    promoters: int = 0
    detractors: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(
            self.n + other.n,
            self.score_sum + other.score_sum,
            self.top_box + other.top_box,
            self.promoters + other.promoters,
            self.detractors + other.detractors,
        )

    def __radd__(self, other):
        # sum() starts from 0.
        if other == 0:
            return self
        return NotImplemented

    @classmethod
    def from_scores(cls, metric: str, scores: Iterable[int]) -> "Counts":
        """Counts of raw scores; a score out of range for ``metric`` is a ValueError."""
        metric = check_metric(metric)
        n = total = top = promoters = detractors = 0
        for score in scores:
            if not is_valid_score(metric, score):
                raise ValueError(f"{score!r} is not a {metric} score")
            score = operator.index(score)
            n += 1
            total += score
            top += is_top_box(metric, score)
            if metric == Metric.NPS:
                promoters += is_promoter(score)
                detractors += is_detractor(score)
        return cls(n, total, top, promoters, detractors)

    @classmethod
    def from_row(cls, row: Mapping | object) -> "Counts":
        """Counts from a rollup row: a mapping (``.values()``) or an object with the
        same attribute names; missing or NULL sums (an empty aggregate) are 0."""
        names = ("n", "score_sum", "top_box", "promoters", "detractors")
        if isinstance(row, Mapping):
            return cls(*(int(row.get(name) or 0) for name in names))
        return cls(*(int(getattr(row, name, 0) or 0) for name in names))


def satisfied(metric: str, counts: Counts) -> int:
    """How many of ``counts`` are satisfied: top box for CSAT and CES, promoters for NPS."""
    return counts.promoters if check_metric(metric) == Metric.NPS else counts.top_box
