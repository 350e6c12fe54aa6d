"""The parameters of the analyses, checked once for the API, the pages and the exports.

Every problem is a 400 naming its field, translated: an unknown metric, period or
breakdown, a malformed date, ``from`` after ``to``, a span of more than five years,
a code that names nothing the viewer may see.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from feedback.analytics.reads import BREAKDOWNS, FILTERS, Scope, lookup
from feedback.metrics import PERIODS, Metric, period_start, shift_period
from portal.routers import analytics_reads

# At most five years of days in one request (a leap day included).
MAX_SPAN_DAYS = 5 * 365 + 1
# Periods shown when ``from`` is not given: a month of days, half a year of weeks, a
# year of months.
DEFAULT_POINTS = {"day": 30, "week": 26, "month": 12}
WEEKS_MAX = 52
LIMIT_MAX = 100
# Dates outside these are refused: nothing is recorded there, and a period reaching
# past the calendar's ends has no start.
EARLIEST, LATEST = date(1970, 1, 1), date(2999, 12, 31)


def _in_range(attrs, *names) -> None:
    errors = {
        name: [_("Give a date from 1970 to 2999.")]
        for name in names
        if attrs.get(name) is not None and not EARLIEST <= attrs[name] <= LATEST
    }
    if errors:
        raise serializers.ValidationError(errors)


def _choice(choices, default, help_text):
    return serializers.ChoiceField(
        choices=list(choices), default=default, help_text=help_text, required=False
    )


class _Base(serializers.Serializer):
    """``from``/``to`` (ISO dates) and the span rules; subclasses add their fields."""

    to = serializers.DateField(required=False, help_text=_("Last day (default: today)."))
    vars()["from"] = serializers.DateField(
        required=False, help_text=_("First day (default: depends on the period).")
    )

    default_period = "week"

    def validate(self, attrs):
        _in_range(attrs, "from", "to")
        to_day = attrs.get("to") or timezone.localdate()
        period = attrs.get("period", self.default_period)
        from_day = attrs.get("from")
        if from_day is None:
            points = DEFAULT_POINTS[period]
            from_day = shift_period(period_start(to_day, period), period, -(points - 1))
        if from_day > to_day:
            raise serializers.ValidationError(
                {"from": [_("The first day must not be after the last day.")]}
            )
        if (to_day - from_day).days + 1 > MAX_SPAN_DAYS:
            raise serializers.ValidationError({"from": [_("Ask for five years of days at most.")]})
        attrs["from"], attrs["to"] = from_day, to_day
        return attrs


class _Filters(serializers.Serializer):
    """Optional codes of a channel, location, team and category, resolved to ids; a
    location or team outside the viewer's scope reads as unknown."""

    channel = serializers.CharField(required=False, max_length=100)
    location = serializers.CharField(required=False, max_length=100)
    team = serializers.CharField(required=False, max_length=100)
    category = serializers.CharField(required=False, max_length=100)

    def resolve_filters(self, attrs) -> dict[str, int]:
        scope = self.context["scope"]
        filters, errors = {}, {}
        for name in FILTERS:
            code = attrs.get(name)
            if not code:
                continue
            with analytics_reads():
                pk = lookup(name, scope if name in ("location", "team") else None).ids.get(code)
            if pk is None:
                errors[name] = [_("Unknown code: %(code)s.") % {"code": code}]
            else:
                filters[name] = pk
        if errors:
            raise serializers.ValidationError(errors)
        return filters


class TrendsParams(_Filters, _Base):
    metric = _choice(Metric.values, "csat", _("csat, nps or ces."))
    period = _choice(PERIODS, "week", _("day, week or month."))
    by = _choice(
        BREAKDOWNS, "channel", _("What each series is: channel, location, team, category or none.")
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs["filters"] = self.resolve_filters(attrs)
        return attrs


class MoversParams(_Filters, serializers.Serializer):
    metric = _choice(Metric.values, "csat", _("csat, nps or ces."))
    period = _choice(PERIODS, "week", _("day, week or month."))
    by = _choice(
        [b for b in BREAKDOWNS if b != "none"],
        "channel",
        _("What is compared: channel, location, team or category."),
    )
    date = serializers.DateField(
        required=False, help_text=_("A day in the current period (default: today).")
    )

    def validate(self, attrs):
        _in_range(attrs, "date")
        attrs["date"] = attrs.get("date") or timezone.localdate()
        attrs["filters"] = self.resolve_filters(attrs)
        return attrs


class ConsistencyParams(_Base):
    metric = _choice(Metric.values, "csat", _("csat, nps or ces."))
    period = _choice(PERIODS, "week", _("day, week or month."))
    location = serializers.CharField(required=False, max_length=100)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs["filters"] = _Filters.resolve_filters(self, attrs)
        return attrs


class EvidenceParams(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False, default=10, min_value=1, max_value=LIMIT_MAX,
        help_text=_("How many comments to list."),
    )  # fmt: skip


class ImpactParams(serializers.Serializer):
    weeks = serializers.IntegerField(
        required=False, default=8, min_value=1, max_value=WEEKS_MAX,
        help_text=_("Weeks before and after the fix went live."),
    )  # fmt: skip


class TrainingParams(_Base):
    standard = serializers.CharField(required=False, max_length=100)
    default_period = "month"

    def validate(self, attrs):
        from training.models import Standard

        attrs = super().validate(attrs)
        code = attrs.get("standard")
        if code:
            with analytics_reads():
                attrs["standard"] = Standard.objects.filter(code=code).first()
            if attrs["standard"] is None:
                raise serializers.ValidationError(
                    {"standard": [_("Unknown code: %(code)s.") % {"code": code}]}
                )
        return attrs


class WarningsParams(_Base):
    default_period = "week"

    def validate(self, attrs):
        _in_range(attrs, "from", "to")
        if "from" not in attrs:
            to_day = attrs.get("to") or timezone.localdate()
            attrs["from"] = to_day - timedelta(weeks=12)
        return super().validate(attrs)


def parse(params_class, data, *, scope: Scope) -> dict:
    """The checked parameters, or a ``ValidationError`` naming each bad field."""
    serializer = params_class(data=_plain(data), context={"scope": scope})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _plain(data) -> dict:
    """A query dict as single values (the last one given), dropping the export and
    page switches that are not parameters of an analysis."""
    if hasattr(data, "lists"):
        return {key: values[-1] for key, values in data.lists() if key not in ("format", "page")}
    return dict(data)


def as_of_end(attrs) -> date:
    """The day compliance is read on: the last day asked for, never after today."""
    return min(attrs["to"], timezone.localdate())
