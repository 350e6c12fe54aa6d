"""Row errors of a survey import: where (line, column) and why (a code and its values).

An error is stored as a code with parameters and put into words when it is read,
so the report is in the reader's language whoever ran the import.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# How many errors a job keeps (the first, by line); error_count has them all.
KEPT_ERRORS = 1000

COLUMN_LABELS = {
    "source": gettext_lazy("source"),
    "external_id": gettext_lazy("external ID"),
    "metric": gettext_lazy("metric"),
    "score": gettext_lazy("score"),
    "responded_at": gettext_lazy("responded at"),
    "channel": gettext_lazy("channel"),
    "location": gettext_lazy("location"),
    "team": gettext_lazy("team"),
    "category": gettext_lazy("category"),
    "comment": gettext_lazy("comment"),
    "language": gettext_lazy("language"),
}


def _undecodable(p: dict) -> str:
    message = _("Some bytes here are not valid %(encoding)s text.") % p
    if p.get("encoding") == "utf-8":
        message += " " + _(
            "A file saved by Excel in Arabic is usually windows-1256: choose that encoding."
        )
    return message


# code -> the reason in words, in the active language, from the error's parameters.
MESSAGES = {
    "empty_file": lambda p: _("The file is empty."),
    "no_rows": lambda p: _("The file has a header row but no data rows."),
    "no_items": lambda p: _("The list is empty: send at least one response."),
    "unknown_column": lambda p: _("Unknown column “%(name)s”. The columns are: %(expected)s.") % p,
    "missing_column": lambda p: _("The required column “%(name)s” is missing from the header.") % p,
    "duplicate_column": lambda p: (
        _("The column “%(name)s” appears more than once in the header.") % p
    ),
    "unnamed_column": lambda p: _("Column %(position)s has no name in the header.") % p,
    "extra_values": lambda p: _("This row has more values than the header has columns."),
    "not_an_object": lambda p: _("Each item must be an object with the response's fields."),
    "required": lambda p: _("This field is required."),
    "undecodable": _undecodable,
    "bad_xlsx": lambda p: _("The file could not be read as an Excel workbook (.xlsx)."),
    "old_xls": lambda p: _("Old Excel files (.xls) cannot be read: save the file as .xlsx or CSV."),
    "bad_csv": lambda p: _("The file could not be read as CSV: %(error)s") % p,
    "not_text": lambda p: _("Expected text or a number here."),
    "too_long": lambda p: _("At most %(max)s characters (this has %(length)s).") % p,
    "bad_source": lambda p: _(
        "A source is a short code: letters, digits, hyphens and underscores only."
    ),
    "unstorable": lambda p: _("The text contains broken characters that cannot be stored."),
    "unknown_metric": lambda p: _("Unknown metric “%(value)s”: use csat, nps or ces.") % p,
    "not_integer": lambda p: _("“%(value)s” is not a whole number.") % p,
    "out_of_range": lambda p: (
        _("A %(metric)s score is a whole number from %(low)s to %(high)s, not %(value)s.") % p
    ),
    "bad_datetime": lambda p: (
        _("“%(value)s” is not an ISO 8601 date and time (for example 2026-03-01T14:30:00+03:00).")
        % p
    ),
    "future": lambda p: _("This time is in the future."),
    "unknown_code": lambda p: _("There is no %(what)s with the code “%(value)s”.") % p,
    "out_of_scope": lambda p: (
        _("The location “%(value)s” is outside the locations you manage.") % p
    ),
    "team_elsewhere": lambda p: (
        _("The team “%(value)s” does not belong to the location “%(location)s”.") % p
    ),
    "bad_language": lambda p: _("Use “ar” or “en”, or leave it empty to guess from the comment."),
    "duplicate_row": lambda p: _("The same source and external ID as line %(line)s.") % p,
    "interrupted": lambda p: _(
        "The import stopped before it finished and nothing was saved. Start it again."
    ),
    "file_missing": lambda p: _("The uploaded file is no longer there. Upload it again."),
    "no_importer": lambda p: _("The person who started this import no longer has an account."),
    "not_allowed": lambda p: _("The person who started this import may no longer import data."),
}


def _message(code: str, params: dict) -> str:
    p = dict(params)
    if "what" in p:
        p["what"] = COLUMN_LABELS.get(p["what"], p["what"])
    render = MESSAGES.get(code)
    return render(p) if render else code


@dataclass(frozen=True, order=True)
class RowError:
    """One problem with a file or a row. ``line`` is the line in the file (the list
    index + 1 for JSON), ``None`` for the file as a whole; ``column`` the field."""

    line: int | None
    column: str = ""
    code: str = ""
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def message(self) -> str:
        return _message(self.code, self.params)

    def as_stored(self) -> dict:
        return {"line": self.line, "column": self.column, "code": self.code, "params": self.params}

    @classmethod
    def from_stored(cls, data: dict) -> "RowError":
        return cls(data.get("line"), data.get("column", ""), data["code"], data.get("params", {}))

    def as_report(self) -> dict:
        """What the API and the error CSV show: line, column and the reason in words."""
        return {"line": self.line, "column": self.column or None, "message": self.message}

    def __str__(self):
        if self.line is None:
            return self.message
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column or "—",
            "message": self.message,
        }


class ErrorLog:
    """Every error counted, the first :data:`KEPT_ERRORS` by line kept; memory stays
    flat however many rows are bad."""

    def __init__(self, keep: int = KEPT_ERRORS):
        self.keep = keep
        self.count = 0
        self._kept: list[RowError] = []

    def add(self, error: RowError) -> None:
        self.count += 1
        self._kept.append(error)
        if len(self._kept) >= 2 * self.keep:
            self._kept = sorted(self._kept, key=_order)[: self.keep]

    def extend(self, errors) -> None:
        for error in errors:
            self.add(error)

    def extend_counted(self, errors: list[RowError], total: int) -> None:
        """Keep ``errors`` (a first part) and count ``total`` errors in all."""
        self.extend(errors)
        self.count += total - len(errors)

    @property
    def kept(self) -> list[RowError]:
        return sorted(self._kept, key=_order)[: self.keep]


_COLUMN_ORDER = {name: i for i, name in enumerate(COLUMN_LABELS)}


def _order(error: RowError):
    return (error.line if error.line is not None else -1, _COLUMN_ORDER.get(error.column, 99))
