"""How training notifications read, in the reader's language."""

import datetime

from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from portal.notifications import Rendered, isolate, register


def _title(context: dict) -> str:
    arabic = (get_language() or "en").startswith("ar")
    first, second = ("title_ar", "title_en") if arabic else ("title_en", "title_ar")
    return isolate(context.get(first) or context.get(second) or context.get("module", ""))


def _date(value: str) -> str:
    try:
        return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return value or ""


@register("training_assigned")
def _assigned(context: dict) -> Rendered:
    values = {"title": _title(context), "date": _date(context.get("due", ""))}
    return Rendered(
        title=_("New training: %(title)s") % values,
        body=_("Please complete “%(title)s” by %(date)s.") % values,
    )


@register("training_reminder")
def _reminder(context: dict) -> Rendered:
    values = {
        "title": _title(context),
        "date": _date(context.get("due", "")),
        "days": context.get("days_overdue", 0),
    }
    when = context.get("when")
    if when == "before":
        title = _("Training due on %(date)s: %(title)s") % values
        body = _("“%(title)s” is due on %(date)s. It takes a few minutes on your phone.") % values
    elif when == "due":
        title = _("Training due: %(title)s") % values
        body = _("“%(title)s” was due on %(date)s. Please complete it now.") % values
    else:
        title = _("Training overdue: %(title)s") % values
        body = _("“%(title)s” has been overdue since %(date)s. Please complete it.") % values
    return Rendered(title=title, body=body)


@register("training_escalation")
def _escalation(context: dict) -> Rendered:
    values = {
        "title": _title(context),
        "person": isolate(context.get("person", "")),
        "date": _date(context.get("due", "")),
        "days": context.get("days_overdue", 0),
    }
    body = ngettext(
        "%(person)s has not completed “%(title)s”, due on %(date)s (%(days)s day ago).",
        "%(person)s has not completed “%(title)s”, due on %(date)s (%(days)s days ago).",
        values["days"],
    )
    return Rendered(title=_("Overdue training: %(person)s") % values, body=body % values)
