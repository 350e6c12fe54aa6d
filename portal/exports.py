"""Tables people download: CSV (streamed, with a BOM so spreadsheets read Arabic as
UTF-8) and XLSX (openpyxl's write-only mode, so memory stays flat).

Every cell goes through :func:`csv_safe`: a value a spreadsheet would run as a formula
is neutralised (OWASP "CSV injection"), in both formats. What is stored stays verbatim.
"""

import csv
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

FORMULA_TRIGGERS = "=+-@\t\r"
EXPORT_FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _first_visible(text: str) -> str:
    """The first character a reader would see: format characters (zero-width, bidi
    controls, BOM) and spaces skipped, full-width forms folded (＝ reads as =)."""
    for char in text:
        if char in "\t\r":
            return char
        if unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp") or char.isspace():
            continue
        return unicodedata.normalize("NFKC", char)[:1]
    return ""


def csv_safe(value) -> str | int | float:
    """A cell value no spreadsheet runs as a formula. Numbers pass through; text whose
    first visible character is ``= + - @`` (or that starts with a tab or carriage
    return) is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text and (text[0] in "\t\r" or _first_visible(text) in FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def csv_response(name: str, headers: Sequence, rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """Stream ``rows`` as ``<name>-<timestamp>.csv``, in the language of the request."""
    language = translation.get_language()
    writer = csv.writer(_Echo())

    def lines():
        # Streamed after the view has returned: keep the request's language.
        with translation.override(language):
            yield "\ufeff"
            yield writer.writerow([str(header) for header in headers])
            for row in rows:
                yield writer.writerow([csv_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{_stamp()}.csv"'
    return response


def xlsx_response(name: str, headers: Sequence, rows: Iterable[Sequence]) -> FileResponse:
    """``rows`` as ``<name>-<timestamp>.xlsx``, written row by row to a temporary file."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=name[:31])
    if (translation.get_language() or "").startswith("ar"):
        sheet.sheet_view.rightToLeft = True
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append([csv_safe(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{name}-{_stamp()}.xlsx", content_type=XLSX_TYPE
    )


def table_response(
    fmt: str, name: str, headers: Sequence, rows: Iterable[Sequence]
) -> StreamingHttpResponse | FileResponse:
    """The table in ``fmt`` (``csv`` or ``xlsx``)."""
    if fmt == "xlsx":
        return xlsx_response(name, headers, rows)
    return csv_response(name, headers, rows)


def columns_table(
    columns: Sequence[tuple[object, Callable]], objects: Iterable
) -> tuple[list, Iterable[list]]:
    """Headers and rows from ``(header, value_of(obj))`` column definitions."""
    headers = [header for header, _value in columns]
    return headers, ([value(obj) for _header, value in columns] for obj in objects)
