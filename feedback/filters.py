import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from feedback.models import Category, Insight, Privacy, Status
from feedback.selectors import my_insights
from feedback.text import normalize
from portal.models import Channel, Department, Location, Team

ANY = _("Any")
# Filters of the triage queue: the API refuses them to anyone else (400).
MANAGERS_ONLY = _("Managers only; refused to others.")


def _yes_no():
    return forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])


class InsightFilter(django_filters.FilterSet):
    """Filters shared by the API list, the triage page and the CSV export."""

    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"))
    channel = django_filters.ModelChoiceFilter(
        queryset=Channel.objects.all(), to_field_name="code", label=_("Channel"), empty_label=ANY
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), to_field_name="code", label=_("Category"), empty_label=ANY
    )
    location = django_filters.ModelChoiceFilter(
        queryset=Location.objects.all(), to_field_name="code", label=_("Location"), empty_label=ANY
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(), to_field_name="code", label=_("Team"), empty_label=ANY
    )
    owner_department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(),
        to_field_name="code",
        label=_("Owner department"),
        empty_label=ANY,
        help_text=MANAGERS_ONLY,
    )
    privacy = django_filters.ChoiceFilter(
        choices=Privacy.choices, label=_("Privacy"), empty_label=ANY, help_text=MANAGERS_ONLY
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Mine"), widget=_yes_no())
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Overdue"), widget=_yes_no(), help_text=MANAGERS_ONLY
    )
    assigned_to_me = django_filters.BooleanFilter(
        method="filter_assigned_to_me",
        label=_("Assigned to me"),
        widget=_yes_no(),
        help_text=MANAGERS_ONLY,
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    # Triage filters: offered to managers only, so staff see the few that matter to them.
    MANAGER_ONLY = ("owner_department", "privacy", "overdue", "assigned_to_me")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and not user.is_manager:
            for name in self.MANAGER_ONLY:
                self.filters.pop(name)

    class Meta:
        model = Insight
        fields = []

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        mine = my_insights(self.request.user).values("pk")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Insight.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

    def filter_assigned_to_me(self, queryset, name, value):
        if value is None:
            return queryset
        mine = Q(assignee=self.request.user)
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def filter_q(self, queryset, name, value):
        words = normalize(value).split()
        for word in words[:10]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset
