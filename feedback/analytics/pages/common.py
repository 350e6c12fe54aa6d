"""What the analytics pages share: who may open them, the parameters checked as the
API checks them (errors shown on the page, never a server error), and the filters
form showing what is in effect."""

from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError

from feedback.analytics.access import can_see_analytics
from feedback.analytics.forms import AnalysisFilters
from feedback.analytics.params import parse
from feedback.analytics.reads import Scope

# The data table under a chart lists at most this many rows; the exports hold them all.
TABLE_ROWS = 500


def require_analytics(request) -> Scope:
    """The viewer's scope; 403 for anyone who may not see the analytics."""
    if not can_see_analytics(request.user):
        raise PermissionDenied
    return Scope.of(request.user)


def checked(params_class, data: dict, scope: Scope) -> tuple[dict | None, dict]:
    """``(params, {})`` when ``data`` passes the API's checks, else ``(None, errors)``
    with the messages of each field named."""
    try:
        return parse(params_class, data, scope=scope), {}
    except ValidationError as exc:
        detail = exc.detail if isinstance(exc.detail, dict) else {"__all__": exc.detail}
        return None, {name: [str(m) for m in messages] for name, messages in detail.items()}


def given(request, names) -> dict:
    """The query-string values of ``names`` that are not empty (an empty select means
    "all")."""
    return {name: request.GET[name] for name in names if request.GET.get(name, "").strip()}


def in_effect(names, data: dict, params: dict | None) -> dict:
    """Each field's value as the page used it: what was asked, else the default the
    checks chose (the dates of the span, the metric…), as text for the form."""
    values = dict(data)
    for name in names:
        if name in values or params is None:
            continue
        value = params.get(name)
        if isinstance(value, date):
            values[name] = value.isoformat()
        elif isinstance(value, str):
            values[name] = value
    return values


def filters_form(names, values: dict, scope: Scope, errors: dict, **kwargs) -> AnalysisFilters:
    return AnalysisFilters(values, names=names, scope=scope, errors=errors, **kwargs)


def query(values: dict, **extra) -> str:
    """A query string of the non-empty ``values`` and ``extra``."""
    return urlencode({k: v for k, v in {**values, **extra}.items() if v not in (None, "")})
