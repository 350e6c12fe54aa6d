import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    AWAITING_RESPONSE,
    OPEN_STATUSES,
    Category,
    Insight,
    Privacy,
    Status,
    first_response_deadline_cutoff,
)
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


class TriageFilter(InsightFilter):
    """The triage page's filters (and its export's): open insights unless other
    statuses are chosen, statuses as checkboxes.

    A form that was sent (it carries ``filtered``) with no status ticked means
    every status; a link without either (the menu, a badge) means the open ones.
    """

    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and "status" not in data and not data.get("filtered"):
            data.setlist("status", [str(s) for s in OPEN_STATUSES])
        super().__init__(data, *args, **kwargs)


def _status_rank():
    return Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(Status.values)),
        output_field=IntegerField(),
    )


def _response_rank():
    """0 overdue, 1 still waiting for a first response in time, 2 answered or closed."""
    awaiting = Q(status__in=AWAITING_RESPONSE, first_response_at__isnull=True)
    return Case(
        When(awaiting & Q(created_at__lt=first_response_deadline_cutoff()), then=Value(0)),
        When(awaiting, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


# The sort keys the triage page offers, and nothing else: an unknown key is ignored.
# Each is (annotations, order, ties): "-key" reverses the order, not the ties.
TRIAGE_SORTS = {
    "created": ({}, ["created_at", "id"], []),
    "status": ({"status_rank": _status_rank}, ["status_rank"], ["-created_at", "-id"]),
    "endorsements": ({}, ["endorsement_count"], ["-created_at", "-id"]),
    # Most overdue first: overdue, then still waiting, then answered, oldest first.
    "overdue": ({"response_rank": _response_rank}, ["response_rank", "created_at"], ["id"]),
}
TRIAGE_DEFAULT_SORT = "-created"
# The first click on a column sorts the way a manager most often wants it.
TRIAGE_FIRST_SORT = {
    "created": "-created",
    "status": "status",
    "endorsements": "-endorsements",
    "overdue": "overdue",
}


def triage_sort_key(value: str | None) -> str:
    """``value`` if it is a sort key the triage page offers, else the default."""
    if value and value.removeprefix("-") in TRIAGE_SORTS:
        return value
    return TRIAGE_DEFAULT_SORT


def sort_for_triage(queryset: QuerySet[Insight], key: str) -> QuerySet[Insight]:
    """``queryset`` (with counts) in the order of a triage sort key from
    :func:`triage_sort_key`."""
    annotations, order, ties = TRIAGE_SORTS[key.removeprefix("-")]
    queryset = queryset.annotate(**{alias: make() for alias, make in annotations.items()})
    if key.startswith("-"):
        order = [o.removeprefix("-") if o.startswith("-") else f"-{o}" for o in order]
    return queryset.order_by(*order, *ties)
