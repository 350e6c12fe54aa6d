"""Demo survey responses: two years (``HISTORY_WEEKS``) of CSAT, NPS and CES for every
location on the channels it serves, carrying every truth of ``portal.demo_truths``:

1. channels differ — phone lags the others (``csat_top_box_probability``);
2. each implemented demo insight lifts CSAT on its channel at its location from its
   ``implemented_at`` on; its channel is surveyed more heavily for nine weeks either
   side of it, at every location, so that before, after and the control locations
   each hold several hundred CSAT responses per eight-week window;
3. ``DROP_CHANNEL`` drops by ``DROP_POINTS`` for ``DROP_WEEKS`` weeks (its volume grows
   over the two years, as app use does, so that the drop stands out of weekly noise);
4. responses attributed to a team follow the team's training compliance.

Rows go through the import service like any file (``source`` ``demo``), in batches
that keep memory flat; deterministic for a seed and a seeding day.
"""

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from feedback.models import Insight, Status, SurveyResponse
from feedback.survey.demo_phrases import comment_for
from feedback.survey.importing import survey_import_rows
from portal import demo_truths
from portal.models import Location

SOURCE = "demo"
# Responses per week at one location, per channel, by kind of location (small scale).
WEEKLY = {
    Location.Kind.BRANCH: {"branch": 8, "app": 4, "web": 4},
    Location.Kind.STORE: {"branch": 6, "app": 3, "web": 3},
    # Phone enough for a week of its own on the dashboard (the lagging channel, truth 1).
    Location.Kind.CALL_CENTRE: {"phone": 60, "chat": 5, "email": 3, "social": 3},
    Location.Kind.HUB: {"delivery": 14},
    # A head office serves no customers.
    Location.Kind.OFFICE: {},
}
# The drop channel's volume grows to this many times its start over the two years.
GROWTH = {demo_truths.DROP_CHANNEL: 4.0}
# Around a fix, every location on its channel answers this many times a week: enough
# for a clear verdict with two locations on a channel (call centres) as with eleven.
AROUND_FIX = {"phone": 170, "chat": 170, "email": 170, "social": 170, "delivery": 70}
AROUND_FIX_DEFAULT = 96
AROUND_FIX_WEEKS = 9
# Which teams answer on a channel, by the team code's suffix; none: a digital channel.
TEAMS = {
    ("branch", "branch"): ["TELLER", "CS"],
    ("store", "branch"): ["FLOOR", "CASH"],
    ("call_centre", "phone"): ["VOICE"],
    ("call_centre", "chat"): ["DIGITAL"],
    ("call_centre", "email"): ["DIGITAL"],
    ("call_centre", "social"): ["SOCIAL"],
    ("hub", "delivery"): ["COURIER", "DISPATCH"],
}
CATEGORIES = {
    "branch": ["waiting_time", "staff_knowledge", "policy", "facilities", "billing"],
    "phone": ["waiting_time", "billing", "communication", "staff_knowledge"],
    "app": ["digital_channels", "billing"],
    "web": ["digital_channels", "communication"],
    "chat": ["staff_knowledge", "communication"],
    "email": ["billing", "communication"],
    "social": ["communication"],
    "delivery": ["delivery", "product_availability"],
}
METRICS = (("csat", 0.75), ("nps", 0.13), ("ces", 0.12))
SCALE = {"small": 1.0, "medium": 4.0, "large": 12.5}


@dataclass(frozen=True)
class Fix:
    channel: str
    location: str
    on: datetime.date


def _score(rng: random.Random, metric: str, satisfied: bool) -> int:
    if metric == "csat":
        return rng.choice((4, 5, 5)) if satisfied else rng.choices((1, 2, 3), (2, 3, 5))[0]
    if metric == "ces":
        return rng.choice((5, 6, 7)) if satisfied else rng.choices((1, 2, 3, 4), (1, 2, 3, 4))[0]
    if satisfied:
        return rng.choices((9, 10, 7, 8), (4, 4, 1, 1))[0]
    return rng.choices(tuple(range(9)), (1, 1, 1, 2, 2, 3, 4, 3, 3))[0]


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def generate(
    *,
    rng: random.Random,
    locations: list[tuple[str, str]],
    teams: dict[str, list[str]],
    fixes: list[Fix],
    today: datetime.date,
    volume: float = 1.0,
) -> Iterator[dict]:
    """Rows to import (dicts of the CSV columns): ``locations`` as (code, kind) pairs,
    ``teams`` the team codes at each location, ``fixes`` the implemented insights."""
    zone = timezone.get_default_timezone()
    now = timezone.now()
    weeks = demo_truths.HISTORY_WEEKS
    start = today - datetime.timedelta(weeks=weeks)
    drop_start = today - datetime.timedelta(weeks=demo_truths.DROP_STARTS_WEEKS_AGO)
    drop_end = drop_start + datetime.timedelta(weeks=demo_truths.DROP_WEEKS)
    fixed_at = {(f.channel, f.location): f.on for f in fixes}
    number = 0
    for week in range(weeks + 1):
        monday = start + datetime.timedelta(weeks=week)
        for code, kind in locations:
            for channel, weekly in WEEKLY[kind].items():
                rate = weekly * (1 + (GROWTH.get(channel, 1.0) - 1) * week / weeks)
                near = any(
                    f.channel == channel and abs((monday - f.on).days) < AROUND_FIX_WEEKS * 7
                    for f in fixes
                )
                if near:
                    rate = max(rate, AROUND_FIX.get(channel, AROUND_FIX_DEFAULT))
                suffixes = TEAMS.get((kind, channel), [])
                here = [t for t in teams.get(code, []) if t.rsplit("-", 1)[-1] in suffixes]
                for _n in range(_poisson(rng, rate * volume)):
                    day = monday + datetime.timedelta(days=rng.randrange(7))
                    at = datetime.datetime.combine(
                        day, datetime.time(rng.randint(8, 21), rng.randrange(60)), tzinfo=zone
                    )
                    if at > now:
                        continue
                    team = rng.choice(here) if here else None
                    fixed = (channel, code) in fixed_at and day >= fixed_at[(channel, code)]
                    p = demo_truths.csat_top_box_probability(
                        channel=channel,
                        team_code=team,
                        fixed=fixed,
                        in_drop=channel == demo_truths.DROP_CHANNEL
                        and drop_start <= day < drop_end,
                    )
                    metric = rng.choices([m for m, _w in METRICS], [w for _m, w in METRICS])[0]
                    score = _score(rng, metric, rng.random() < p)
                    arabic = rng.random() < 0.6
                    number += 1
                    yield {
                        "source": SOURCE,
                        "external_id": f"D{number:08d}",
                        "metric": metric,
                        "score": score,
                        "responded_at": at.isoformat(),
                        "channel": channel,
                        "location": code,
                        "team": team or "",
                        "category": rng.choice(CATEGORIES[channel]) if rng.random() < 0.3 else "",
                        "comment": comment_for(
                            rng, metric=metric, score=score, channel=channel, arabic=arabic
                        ),
                        "language": "",
                    }


def fixes_in_database() -> list[Fix]:
    """The implemented insights, as the survey data must reflect them."""
    return [
        Fix(channel, location, on)
        for channel, location, on in Insight.objects.filter(
            status=Status.IMPLEMENTED, implemented_at__isnull=False
        ).values_list("channel__code", "location__code", "implemented_at")
    ]


def seed(*, org, rng: random.Random, scale: str) -> str:
    """Import the demo survey responses once; a second run leaves them as they are."""
    existing = SurveyResponse.objects.filter(source=SOURCE).count()
    if existing:
        return f"Survey responses: {existing} already present."
    locations = [(loc.code, loc.kind) for loc in org.locations.values()]
    teams: dict[str, list[str]] = {}
    for code, team in org.teams.items():
        teams.setdefault(team.location.code, []).append(code)
    rows = generate(
        rng=rng,
        locations=sorted(locations),
        teams={code: sorted(codes) for code, codes in teams.items()},
        fixes=fixes_in_database(),
        today=timezone.localdate(),
        volume=SCALE[scale],
    )
    result = survey_import_rows(rows=rows)
    if result.refused or result.rejected:
        raise RuntimeError(f"demo survey rows refused: {[str(e) for e in result.errors[:5]]}")
    return f"Survey responses: {result.created} imported through the import service."
