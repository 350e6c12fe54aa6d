"""Survey tables people download, in the reader's language (cells made safe by
``portal.exports``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.survey.errors import RowError
from portal.exports import columns_table


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _name(obj) -> str:
    return obj.name if obj else ""


RESPONSE_COLUMNS = [
    (_("Source"), lambda r: r.source),
    (_("External ID"), lambda r: r.external_id),
    (_("Metric"), lambda r: r.get_metric_display()),
    (_("Score"), lambda r: r.score),
    (_("Responded at"), lambda r: _when(r.responded_at)),
    (_("Channel"), lambda r: _name(r.channel)),
    (_("Location"), lambda r: _name(r.location)),
    (_("Location code"), lambda r: r.location.code),
    (_("Team"), lambda r: _name(r.team)),
    (_("Category"), lambda r: _name(r.category)),
    (_("Comment"), lambda r: r.comment),
    (_("Language"), lambda r: r.get_language_display()),
]

ERROR_COLUMNS = [
    (_("Line"), lambda e: e.line if e.line is not None else ""),
    (_("Column"), lambda e: e.column),
    (_("Problem"), lambda e: e.message),
]


def responses_table(responses):
    """Headers and rows of survey responses (with their related objects selected)."""
    return columns_table(RESPONSE_COLUMNS, responses)


def errors_table(job):
    """Headers and rows of an import job's row errors."""
    return columns_table(ERROR_COLUMNS, (RowError.from_stored(data) for data in job.errors))
