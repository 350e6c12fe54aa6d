"""Movers: which groups of a breakdown moved between the previous period and this one."""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from feedback.analytics.common import few_responses, ordered_keys
from feedback.metrics import (
    Counts,
    Figure,
    Metric,
    bh_q_values,
    difference,
    figure,
    min_responses,
)

# Only a move whose q-value is at most this is called significant.
SIGNIFICANCE = 0.05

METHODS = {
    Metric.CSAT: _(
        "This period's CSAT of each group is compared with the previous period's by a "
        "two-sided two-proportion z-test (pooled); Benjamini–Hochberg q-values allow for "
        "comparing many groups at once, and only a q-value of 0.05 or less is called a "
        "significant move."
    ),
    Metric.CES: _(
        "This period's CES of each group is compared with the previous period's by a "
        "two-sided two-proportion z-test (pooled); Benjamini–Hochberg q-values allow for "
        "comparing many groups at once, and only a q-value of 0.05 or less is called a "
        "significant move."
    ),
    Metric.NPS: _(
        "This period's NPS of each group is compared with the previous period's by a "
        "two-sided z-test on the two adjusted-Wald estimates; Benjamini–Hochberg q-values "
        "allow for comparing many groups at once, and only a q-value of 0.05 or less is "
        "called a significant move."
    ),
}


@dataclass(frozen=True)
class Mover:
    key: Hashable
    label: str
    current: Figure
    previous: Figure
    difference: float | None
    p_value: float | None
    q_value: float | None
    significant: bool

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": str(self.label),
            "current": self.current.as_dict(),
            "previous": self.previous.as_dict(),
            "difference": self.difference,
            "p_value": self.p_value,
            "q_value": self.q_value,
            "significant": self.significant,
        }


@dataclass(frozen=True)
class Movers:
    metric: str
    groups: tuple[Mover, ...]
    method: str
    caveats: tuple[str, ...]

    def as_dict(self) -> dict:
        """``{"groups": [{"key", "label", "current", "previous", "difference",
        "p_value", "q_value", "significant"}]}``."""
        return {"groups": [group.as_dict() for group in self.groups]}


def movers(
    *,
    metric: str,
    groups: Mapping[Hashable, tuple[Counts, Counts]],
    labels: Mapping[Hashable, str] | None = None,
    min_n: int | None = None,
) -> Movers:
    """Each group's ``(current, previous)`` counts compared: the difference in points,
    the two-sided p-value, and the Benjamini–Hochberg q-value across the groups with
    at least ``min_n`` responses in both periods (the others get ``None`` for both).

    Groups come biggest move first; those that cannot be compared come last.
    """
    metric = Metric(metric)
    min_n = min_responses() if min_n is None else min_n
    estimates = {
        key: difference(metric, current, previous, min_n=min_n)
        for key, (current, previous) in groups.items()
    }
    compared = [key for key, estimate in estimates.items() if estimate.p_value is not None]
    q_values = dict(
        zip(compared, bh_q_values([estimates[key].p_value for key in compared]), strict=True)
    )
    rows = []
    for key in ordered_keys(groups, labels):
        if key not in groups:
            continue
        current, previous = groups[key]
        q_value = q_values.get(key)
        rows.append(
            Mover(
                key=key,
                label=(labels or {}).get(key, str(key)),
                current=figure(metric, current, min_n=min_n),
                previous=figure(metric, previous, min_n=min_n),
                difference=estimates[key].value,
                p_value=estimates[key].p_value,
                q_value=q_value,
                significant=q_value is not None and q_value <= SIGNIFICANCE,
            )
        )
    rows.sort(key=lambda row: (row.difference is None, -abs(row.difference or 0)))
    return Movers(
        metric=metric.value,
        groups=tuple(rows),
        method=METHODS[metric],
        caveats=(few_responses(min_n),) if len(compared) < len(groups) else (),
    )
