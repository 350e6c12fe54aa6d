"""How insight notifications read, in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from feedback.models import Status
from portal.notifications import Rendered, isolate, register


def _status(code: str) -> str:
    return str(Status(code).label) if code in Status.values else code


@register("insight_status")
def _insight_status(context: dict) -> Rendered:
    values = {"id": context.get("insight_id"), "title": isolate(context.get("title", ""))}
    to = context.get("to", "")
    titles = {
        Status.UNDER_REVIEW: _("Insight #%(id)s is under review"),
        Status.ACCEPTED: _("Insight #%(id)s was accepted"),
        Status.IN_PROGRESS: _("Work has started on insight #%(id)s"),
        Status.IMPLEMENTED: _("Insight #%(id)s: the fix is live"),
        Status.DECLINED: _("Insight #%(id)s was declined"),
        Status.DUPLICATE: _("Insight #%(id)s was merged into an earlier one"),
    }
    title = titles.get(to, _("Insight #%(id)s changed status")) % values
    body = _("“%(title)s” moved from %(from)s to %(to)s.") % {
        "title": values["title"],
        "from": _status(context.get("from", "")),
        "to": _status(to),
    }
    if context.get("note"):
        body += "\n" + _("Note: %(note)s") % {"note": isolate(context["note"])}
    return Rendered(title=title, body=body)


def _comment_body(context: dict) -> str:
    title = isolate(context.get("title", ""))
    if context.get("by_submitter"):
        return _("The submitter replied on “%(title)s”.") % {"title": title}
    if context.get("by"):
        return _("%(name)s replied on “%(title)s”.") % {
            "name": isolate(context["by"]),
            "title": title,
        }
    return _("Someone replied on “%(title)s”.") % {"title": title}


@register("insight_comment")
def _insight_comment(context: dict) -> Rendered:
    return Rendered(
        title=_("New comment on insight #%(id)s") % {"id": context.get("insight_id")},
        body=_comment_body(context),
    )


@register("insight_overdue")
def _insight_overdue(context: dict) -> Rendered:
    hours = context.get("hours")
    title = isolate(context.get("title", ""))
    if isinstance(hours, int):
        body = ngettext(
            "“%(title)s” was submitted %(hours)s hour ago and has had no response yet.",
            "“%(title)s” was submitted %(hours)s hours ago and has had no response yet.",
            hours,
        ) % {"title": title, "hours": hours}
    else:
        body = _("“%(title)s” has had no response yet.") % {"title": title}
    return Rendered(
        title=_("Insight #%(id)s is waiting for a first response")
        % {"id": context.get("insight_id")},
        body=body,
    )


@register("insight_assigned")
def _insight_assigned(context: dict) -> Rendered:
    return Rendered(
        title=_("Insight #%(id)s was assigned to you") % {"id": context.get("insight_id")},
        body=_("Please review “%(title)s” and answer the submitter.")
        % {"title": isolate(context.get("title", ""))},
    )
