"""How the analytics pages print the numbers of a result object: in the page's
language, with as many decimals as they mean. Formatting only — every figure comes
computed from :mod:`feedback.analytics`."""

from datetime import date

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()

# Below this a p-value is printed as "< 0.001": more digits would claim a precision
# the normal approximation does not have.
SMALLEST = 0.001


@register.filter
def num(value) -> str:
    """A percentage, score or statistic: one decimal from 1 up, three below, and
    "< 0.001" for smaller (p-values); empty for None."""
    if value is None:
        return ""
    if isinstance(value, int):
        return number_format(value)
    size = abs(value)
    if size == 0:
        return number_format(0)
    if size >= 1:
        return number_format(value, 1)
    if size >= SMALLEST:
        return number_format(value, 3)
    return f"< {number_format(SMALLEST, 3)}"


@register.filter
def one(value) -> str:
    """A count's average and the like: one decimal."""
    return "" if value is None else number_format(value, 1)


@register.filter
def signed(value) -> str:
    """A difference in points, with its sign: +3.2, −3.2."""
    if value is None:
        return ""
    text = number_format(abs(value), 1)
    if round(value, 1) == 0:
        return text
    return f"+{text}" if value > 0 else f"\u2212{text}"


@register.filter
def cell(value) -> str:
    """A data-table cell as the exports hold it, printed for the page."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float | int):
        return num(value)
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return value


@register.filter
def listing(values) -> str:
    """Names joined as a list is written in the page's language (Arabic: "،")."""
    return pgettext("list separator", ", ").join(str(value) for value in values)


def _statistic(symbol: str, value) -> str:
    if value is None:
        return ""
    if value < SMALLEST:
        return f"{symbol} < {number_format(SMALLEST, 3)}"
    return f"{symbol} = {num(value)}"


@register.filter
def pvalue(value) -> str:
    """A p-value as "p = 0.034", or "p < 0.001"."""
    return _statistic("p", value)


@register.filter
def qvalue(value) -> str:
    """A q-value as "q = 0.012", or "q < 0.001"."""
    return _statistic("q", value)
