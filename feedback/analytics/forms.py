"""The filters of the analytics pages, as forms to render.

They check nothing themselves: the parameters are checked once, by
:mod:`feedback.analytics.params` (the API's own checks), and its errors are shown next
to the fields they name. The choices of channels, locations, teams and categories are
those the viewer may see.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from feedback.analytics.reads import Scope, lookup
from feedback.metrics import Metric, Period
from portal.routers import analytics_reads

BREAKDOWN_CHOICES = [
    ("channel", _("Channel")),
    ("location", _("Location")),
    ("team", _("Team")),
    ("category", _("Category")),
    ("none", _("All together")),
]
CODE_LABELS = {
    "channel": _("Channel"),
    "location": _("Location"),
    "team": _("Team"),
    "category": _("Category"),
}
DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _codes(kind: str, scope: Scope) -> list[tuple[str, str]]:
    with analytics_reads():
        found = lookup(kind, scope if kind in ("location", "team") else None)
    return [("", _("All")), *((code, str(name)) for code, name in found.names.items())]


def _standards() -> list[tuple[str, str]]:
    from training.models import Standard

    with analytics_reads():
        standards = list(Standard.objects.order_by("code"))
    return [("", _("All that cover each team")), *((s.code, str(s)) for s in standards)]


def _field(name: str, scope: Scope, *, breakdowns=None) -> forms.Field:
    if name == "metric":
        return forms.ChoiceField(label=_("Measure"), choices=Metric.choices)
    if name == "period":
        return forms.ChoiceField(label=_("Period"), choices=Period.choices)
    if name == "by":
        choices = [c for c in BREAKDOWN_CHOICES if breakdowns is None or c[0] in breakdowns]
        return forms.ChoiceField(label=_("Broken down by"), choices=choices)
    if name == "from":
        return forms.DateField(label=_("From"), **DATE_WIDGET)
    if name == "to":
        return forms.DateField(label=_("To"), **DATE_WIDGET)
    if name == "date":
        return forms.DateField(label=_("A day in the period"), **DATE_WIDGET)
    if name == "standard":
        return forms.ChoiceField(label=_("Service standard"), choices=_standards())
    return forms.ChoiceField(label=CODE_LABELS[name], choices=_codes(name, scope))


class AnalysisFilters(forms.Form):
    """Fields ``names`` showing ``data`` (the query string, and the values in effect for
    what it does not say), with ``errors`` (field → messages) from the parameter
    checks. Errors about a parameter the page has no field for are shown above them."""

    def __init__(self, data, *, names, scope: Scope, errors=None, breakdowns=None):
        super().__init__(data)
        for name in names:
            self.fields[name] = _field(name, scope, breakdowns=breakdowns)
            self.fields[name].required = False
        self.api_errors = errors or {}

    def full_clean(self):
        errors = ErrorDict()
        for name, messages in self.api_errors.items():
            key = name if name in self.fields else NON_FIELD_ERRORS
            if key not in errors:
                errors[key] = self.error_class(
                    error_class="nonfield" if key == NON_FIELD_ERRORS else None
                )
            errors[key].extend(str(message) for message in messages)
        self._errors = errors
        self.cleaned_data = {}
