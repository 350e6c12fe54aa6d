"""Survey responses and insights with known truths planted in them, for the analytics
pages' tests, dated from today backwards (the dashboard reads the last complete week):

* phone lags branch (60% against 75% satisfied), everywhere;
* in the last complete week phone at RUH-01 drops to 10% while staff there report four
  billing problems on the phone: an early warning, and a significant mover;
* a fix went live on the branch at RUH-01 eight weeks ago, lifting CSAT there from 60%
  to 92% while the other locations' branches stay at 75%: ``improved``.

Responses go in through the import service (``load``); insights through the services,
then dated back with ``update`` (as a fixture, not a product path).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from django.utils import timezone

from feedback import services
from feedback.analytics.dashboard import last_complete_day
from feedback.models import Category, Endorsement, Insight
from feedback.selectors import visible_insight
from portal.models import Channel
from tests.feedback.analytics.conftest import generate, load

WEEKS = 17
BRANCHES = ["RUH-01", "RUH-02", "RUH-03", "JED-01", "JED-02", "JED-03"]


@dataclass
class Planted:
    fix: Insight
    last_week: date  # the first day of the last complete week
    warning_insights: list
    first_day: date
    last_day: date
    frame: pd.DataFrame  # the responses, as loaded


def _cell(channel, location, rate, satisfied, **extra):
    return {"channel": channel, "location": location, "rate": rate, "satisfied": satisfied, **extra}


def _segments(rng, metric, segments) -> pd.DataFrame:
    """``segments`` of ``(from_day, to_day, [cells])``, generated and joined."""
    frames = [
        generate(rng, metric=metric, from_day=start, to_day=end, cells=cells)
        for start, end, cells in segments
        if start <= end
    ]
    return pd.concat(frames, ignore_index=True)


def responses(rng, *, first: date, last: date, fix_day: date, last_week: date, scale: float = 1):
    """CSAT with the planted truths, and a little NPS and CES (for the headline)."""
    branch = [_cell("branch", code, 4 * scale, 0.75) for code in BRANCHES if code != "RUH-01"]
    phones = [_cell("phone", "RUH-01", 6 * scale, 0.6), _cell("phone", "JED-01", 1.5 * scale, 0.6)]
    csat = _segments(
        rng,
        "csat",
        [
            (first, last, [*branch, phones[1]]),
            (first, fix_day - timedelta(days=1), [_cell("branch", "RUH-01", 4 * scale, 0.6)]),
            (fix_day, last, [_cell("branch", "RUH-01", 4 * scale, 0.92)]),
            (first, last_week - timedelta(days=1), [phones[0]]),
            (last_week, last, [_cell("phone", "RUH-01", 6 * scale, 0.1)]),
        ],
    )
    recent = last_week - timedelta(weeks=2)
    others = [
        _segments(rng, metric, [(recent, last, [_cell("branch", c, 3 * scale, 0.7)
                                                for c in ("RUH-01", "JED-01")])])
        for metric in ("nps", "ces")
    ]  # fmt: skip
    return load(pd.concat([csat, *others], ignore_index=True))


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def insight(*, by, title, channel="branch", category="waiting_time", privacy="named", day=None):
    """An insight submitted by ``by`` at their location, dated ``day`` (default today)."""
    found = services.insight_submit(
        author=by,
        title=title,
        pain_point=f"{title}: customers complain.",
        channel=Channel.objects.get(code=channel),
        category=Category.objects.get(code=category),
        privacy=privacy,
    )
    if day is not None:
        Insight.objects.filter(pk=found.pk).update(created_at=at(day))
    return Insight.objects.get(pk=found.pk)


def implement(item: Insight, *, by, on: date) -> Insight:
    for status, extra in (("accepted", {}), ("implemented", {"implemented_at": on})):
        services.insight_transition(
            insight=visible_insight(by, item.pk), by=by, to_status=status, **extra
        )
    return Insight.objects.get(pk=item.pk)


def endorse(item: Insight, people) -> None:
    Endorsement.objects.bulk_create(Endorsement(insight=item, user=person) for person in people)


def plant(*, author, manager, seed: int = 7, scale: float = 1, today: date | None = None):
    """The planted organisation's responses and insights; ``author`` works at RUH-01,
    ``manager`` manages it."""
    today = today or timezone.localdate()
    last = today - timedelta(days=1)
    last_week = last_complete_day("week", today) - timedelta(days=6)
    first = last - timedelta(weeks=WEEKS)
    fix_day = today - timedelta(weeks=8)
    frame = responses(
        np.random.default_rng(seed), first=first, last=last, fix_day=fix_day,
        last_week=last_week, scale=scale,
    )  # fmt: skip
    fix = insight(by=author, title="Second counter at lunchtime", day=fix_day - timedelta(weeks=3))
    fix = implement(fix, by=manager, on=fix_day)
    warned = [
        insight(by=author, title=f"Card payment by phone fails {i}", channel="phone",
                category="billing", day=last_week + timedelta(days=i % 5))
        for i in range(4)
    ]  # fmt: skip
    return Planted(
        fix=fix,
        last_week=last_week,
        warning_insights=warned,
        first_day=first,
        last_day=last,
        frame=frame,
    )
