"""The truths ``seed_demo`` plants in the demo data, in one place.

The analytics must find each of them again on the demo dashboard; the tests of the
demo check that they do. Every seeder that generates data (training in
``training/demo.py``, insights in ``feedback/demo.py``, survey responses in the
survey seeder) reads its numbers from here, so changing a truth changes the data and
the expectation together.

1. **Channels differ.** Every channel's CSAT top-box share sits near
   ``BASE_CSAT``; phone sits ``PHONE_LAG_POINTS`` below the others before training
   moves it (the call centres' voice teams happen to be well trained, which lifts
   phone by about four points), so about ten points below them in the data: the
   channel-consistency chart names phone as lagging month after month.
2. **Fixes work.** Each demo insight that is implemented raises the CSAT top-box
   share of responses *on its channel at its location* by ``FIX_LIFT_POINTS`` from
   its ``implemented_at`` on (its impact verdict is ``improved``); the other
   locations of that channel do not move (they are its control group).
3. **A sudden drop.** For ``DROP_WEEKS`` weeks starting ``DROP_STARTS_WEEKS_AGO``
   weeks before the seeding day, CSAT on channel ``DROP_CHANNEL`` falls by
   ``DROP_POINTS`` points while staff report many more insights of category
   ``DROP_CATEGORY`` on that channel (an early warning).
4. **Training pays.** Each team's share of members compliant with the standards that
   cover it is ``team_compliance_target(team_code)``; a team's CSAT top-box share is
   higher by ``TRAINING_SLOPE_POINTS`` points per unit of compliance above
   ``COMPLIANCE_MIDPOINT`` (Spearman ρ between the two is clearly positive).
"""

import hashlib

BASE_CSAT = 0.80
PHONE_LAG_POINTS = 14
FIX_LIFT_POINTS = 12
DROP_CHANNEL = "app"
DROP_CATEGORY = "digital_channels"
DROP_POINTS = 25
DROP_WEEKS = 3
DROP_STARTS_WEEKS_AGO = 10
TRAINING_SLOPE_POINTS = 30
COMPLIANCE_MIDPOINT = 0.65
# Weeks of survey history the demo generates.
HISTORY_WEEKS = 104


def team_compliance_target(team_code: str) -> float:
    """The share (0.35–0.95) of a team's members who are compliant: fixed per team code,
    spread evenly so that teams differ."""
    digest = hashlib.sha256(team_code.encode()).digest()
    return 0.35 + 0.60 * (int.from_bytes(digest[:4], "big") / 0xFFFFFFFF)


def csat_top_box_probability(
    *, channel: str, team_code: str | None, fixed: bool, in_drop: bool
) -> float:
    """The probability that one demo CSAT response scores 4 or 5, from the truths above."""
    p = BASE_CSAT
    if channel == "phone":
        p -= PHONE_LAG_POINTS / 100
    if team_code is not None:
        p += TRAINING_SLOPE_POINTS / 100 * (team_compliance_target(team_code) - COMPLIANCE_MIDPOINT)
    if fixed:
        p += FIX_LIFT_POINTS / 100
    if in_drop:
        p -= DROP_POINTS / 100
    return min(0.98, max(0.05, p))
