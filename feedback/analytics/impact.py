"""Impact of an implemented fix: CSAT before and after at the treated location,
against the same channel at control locations without such a fix."""

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from feedback.analytics.common import NOT_AN_EXPERIMENT, few_responses
from feedback.metrics import (
    Counts,
    Estimate,
    Figure,
    Metric,
    did_wald,
    difference,
    difference_in_differences,
    figure,
    min_responses,
    shown,
)

# A placebo p-value is given from this many control locations, and it must be at most
# PLACEBO_LEVEL for a verdict from PLACEBO_REQUIRED_FROM on: with 9 placebos the
# smallest p possible is (1 + 0) / (1 + 9) = 0.10.
PLACEBO_FROM = 5
PLACEBO_REQUIRED_FROM = 9
PLACEBO_LEVEL = 0.10
# Placebo estimates this close to the real one count as "at least as large": float
# noise must not make the test look stronger than it is.
TIE = 1e-12

METHOD = _(
    "CSAT on the insight's channel at its location in the weeks after the fix is compared "
    "with the weeks before (Newcombe interval, two-proportion z-test) and, as a "
    "difference-in-differences with a Wald interval, with the same channel at locations "
    "without such a fix, each of which is also treated as a placebo."
)
NO_CONTROL = _(
    "There are no control locations, so a change that happened everywhere at the same "
    "time cannot be told apart from the effect of the fix."
)


def _placebo_not_required(count: int) -> str:
    return ngettext(
        "With only %(count)d control location the placebo test cannot reach 0.10, so the "
        "verdict does not depend on it.",
        "With only %(count)d control locations the placebo test cannot reach 0.10, so the "
        "verdict does not depend on it.",
        count,
    ) % {"count": count}


placebo_not_required = lazy(_placebo_not_required, str)


class Verdict(models.TextChoices):
    NOT_ENOUGH_DATA = "not_enough_data", _("Not enough data")
    IMPROVED = "improved", _("Improved")
    WORSE = "worse", _("Worse")
    NO_DETECTABLE_CHANGE = "no_detectable_change", _("No detectable change")


@dataclass(frozen=True)
class Control:
    """The pooled control group: its size always, location codes only those given as
    visible (the caller decides what a viewer may see)."""

    locations: int
    codes: tuple[Hashable, ...]
    before: Figure
    after: Figure

    def as_dict(self) -> dict:
        return {
            "locations": self.locations,
            "codes": list(self.codes),
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
        }


@dataclass(frozen=True)
class Placebo:
    locations: int
    p_value: float

    def as_dict(self) -> dict:
        return {"locations": self.locations, "p_value": self.p_value}


@dataclass(frozen=True)
class Impact:
    before: Figure
    after: Figure
    difference: Estimate
    control: Control
    did: Estimate
    placebo: Placebo | None
    verdict: str
    method: str
    caveats: tuple[str, ...]

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label

    def as_dict(self) -> dict:
        """``{"before", "after", "difference": {"value", "low", "high", "p_value"},
        "control": {"locations", "codes", "before", "after"}, "did": {...},
        "placebo": {"locations", "p_value"} or None, "verdict"}``."""
        return {
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "difference": self.difference.as_dict(),
            "control": self.control.as_dict(),
            "did": self.did.as_dict(),
            "placebo": self.placebo.as_dict() if self.placebo else None,
            "verdict": self.verdict,
        }


def impact(
    *,
    treated_before: Counts,
    treated_after: Counts,
    controls: Mapping[Hashable, tuple[Counts, Counts]],
    visible_codes: Collection[Hashable] = (),
    min_n: int | None = None,
) -> Impact:
    """CSAT impact of a fix. ``controls`` maps each control location to its
    ``(before, after)`` counts; locations without responses in one of the two
    periods say nothing about change and are left out. Only keys in
    ``visible_codes`` are named in the result.

    Verdict: ``not_enough_data`` when a cell used (treated before/after, pooled
    control before/after) has fewer than ``min_n`` responses; else ``improved`` /
    ``worse`` when the interval (of the DiD with a control, else of the difference)
    lies above / below zero and, with 9 or more control locations, the placebo
    p-value is at most 0.10; otherwise ``no_detectable_change``.
    """
    min_n = min_responses() if min_n is None else min_n
    usable = {key: pair for key, pair in controls.items() if pair[0].n and pair[1].n}
    control_before, control_after = _pooled(usable.values())
    change = difference(Metric.CSAT, treated_after, treated_before, min_n=min_n)
    did = Estimate()
    if usable:
        did = difference_in_differences(
            treated_before=treated_before,
            treated_after=treated_after,
            control_before=control_before,
            control_after=control_after,
            min_n=min_n,
        )
    placebo = None
    if len(usable) >= PLACEBO_FROM and did.value is not None:
        placebo = _placebo(treated_before, treated_after, usable)

    cells = [treated_before, treated_after] + ([control_before, control_after] if usable else [])
    caveats = [NOT_AN_EXPERIMENT]
    if not all(shown(cell, min_n) for cell in cells):
        verdict = Verdict.NOT_ENOUGH_DATA
        caveats.append(few_responses(min_n))
    else:
        verdict = _verdict(did if usable else change, len(usable), placebo)
    if not usable:
        caveats.append(NO_CONTROL)
    elif len(usable) < PLACEBO_REQUIRED_FROM:
        caveats.append(placebo_not_required(len(usable)))

    return Impact(
        before=figure(Metric.CSAT, treated_before, min_n=min_n),
        after=figure(Metric.CSAT, treated_after, min_n=min_n),
        difference=change,
        control=Control(
            locations=len(usable),
            codes=tuple(sorted((key for key in usable if key in visible_codes), key=str)),
            before=figure(Metric.CSAT, control_before, min_n=min_n),
            after=figure(Metric.CSAT, control_after, min_n=min_n),
        ),
        did=did,
        placebo=placebo,
        verdict=verdict.value,
        method=METHOD,
        caveats=tuple(caveats),
    )


def _did(treated: tuple[Counts, Counts], control: tuple[Counts, Counts]) -> float:
    (tb, ta), (cb, ca) = treated, control
    return did_wald([(c.top_box, c.n) for c in (ta, tb, ca, cb)])[0]


def _placebo(treated_before, treated_after, usable) -> Placebo:
    """Each control location treated as if fixed, its controls the other ones:
    p = (1 + placebos at least as large as the real DiD) / (1 + placebos)."""
    real = abs(_did((treated_before, treated_after), _pooled(usable.values())))
    larger = 0
    for key, pair in usable.items():
        others = _pooled(other for other_key, other in usable.items() if other_key != key)
        larger += abs(_did(pair, others)) >= real - TIE
    return Placebo(locations=len(usable), p_value=(1 + larger) / (1 + len(usable)))


def _pooled(pairs) -> tuple[Counts, Counts]:
    pairs = list(pairs)
    return sum((b for b, _a in pairs), Counts()), sum((a for _b, a in pairs), Counts())


def _verdict(interval: Estimate, controls: int, placebo: Placebo | None) -> Verdict:
    if interval.low > 0:
        direction = Verdict.IMPROVED
    elif interval.high < 0:
        direction = Verdict.WORSE
    else:
        return Verdict.NO_DETECTABLE_CHANGE
    if controls >= PLACEBO_REQUIRED_FROM and placebo.p_value > PLACEBO_LEVEL:
        return Verdict.NO_DETECTABLE_CHANGE
    return direction
