"""Filters of the survey-response list, shared by the API, the page and the exports."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.metrics import Metric
from feedback.models import Category, SurveyResponse
from feedback.text import normalize
from portal.models import Channel, Location, Team

ANY = _("Any")


def _code_filter(model, label):
    return django_filters.ModelChoiceFilter(
        queryset=model.objects.all(), to_field_name="code", label=label, empty_label=ANY
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())


class SurveyResponseFilter(django_filters.FilterSet):
    metric = django_filters.ChoiceFilter(choices=Metric.choices, label=_("Metric"), empty_label=ANY)
    channel = _code_filter(Channel, _("Channel"))
    location = _code_filter(Location, _("Location"))
    team = _code_filter(Team, _("Team"))
    category = _code_filter(Category, _("Category"))
    source = django_filters.CharFilter(method="filter_source", label=_("Source"))
    q = django_filters.CharFilter(method="filter_q", label=_("Comment contains"))

    class Meta:
        model = SurveyResponse
        fields = []

    def filter_source(self, queryset, name, value):
        return queryset.filter(source=value.strip().lower()) if value.strip() else queryset

    def filter_q(self, queryset, name, value):
        for word in normalize(value).split()[:10]:
            queryset = queryset.filter(comment_match__contains=word)
        return queryset

    def filter_from(self, queryset, name, value):
        return queryset.filter(responded_at__gte=_start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(responded_at__lt=_start_of(value + datetime.timedelta(days=1)))


# "from" and "to" (days in TIME_ZONE, both included) are the API's names; "from" cannot
# be an attribute name in Python.
SurveyResponseFilter.base_filters["from"] = django_filters.DateFilter(
    method="filter_from", label=_("From (day)"), widget=forms.DateInput(attrs={"type": "date"})
)
SurveyResponseFilter.base_filters["to"] = django_filters.DateFilter(
    method="filter_to", label=_("To (day)"), widget=forms.DateInput(attrs={"type": "date"})
)
