"""Periods: a day is a calendar day in TIME_ZONE, a week starts on
ANALYTICS_WEEK_START, a month is a calendar month."""

import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


PERIODS = frozenset(Period.values)

# date.weekday() of the first day of a week.
WEEK_STARTS = {"monday": 0, "saturday": 5, "sunday": 6}


def local_day(moment: datetime) -> date:
    """The calendar day of an aware datetime in ``TIME_ZONE`` (not the viewer's zone)."""
    if timezone.is_naive(moment):
        raise ValueError("local_day needs an aware datetime")
    return moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"{period!r} is not a period (day, week or month)")


def _week_start(week_start: str | None) -> int:
    name = settings.ANALYTICS_WEEK_START if week_start is None else week_start
    try:
        return WEEK_STARTS[name]
    except KeyError:
        raise ValueError(f"a week starts on monday, sunday or saturday, not {name!r}") from None


def period_start(day: date | datetime, period: str, *, week_start: str | None = None) -> date:
    """The first day of the ``day``/``week``/``month`` that holds ``day``; weeks start on
    ``week_start`` (default ``ANALYTICS_WEEK_START``). A datetime is first turned
    into its day in ``TIME_ZONE``."""
    if isinstance(day, datetime):
        day = local_day(day)
    _check_period(period)
    if period == Period.DAY:
        return day
    if period == Period.WEEK:
        return day - timedelta(days=(day.weekday() - _week_start(week_start)) % 7)
    return day.replace(day=1)


def shift_period(start: date, period: str, steps: int) -> date:
    """The start of the period ``steps`` periods after (negative: before) the one
    starting on ``start``."""
    _check_period(period)
    if period == Period.DAY:
        return start + timedelta(days=steps)
    if period == Period.WEEK:
        return start + timedelta(weeks=steps)
    months = start.year * 12 + start.month - 1 + steps
    return date(months // 12, months % 12 + 1, 1)


def period_starts(
    from_day: date, to_day: date, period: str, *, week_start: str | None = None
) -> list[date]:
    """The starts of every period that covers a day from ``from_day`` to ``to_day``
    (inclusive), in order."""
    if from_day > to_day:
        raise ValueError("from_day is after to_day")
    start = period_start(from_day, period, week_start=week_start)
    starts = []
    while start <= to_day:
        starts.append(start)
        start = shift_period(start, period, 1)
    return starts
