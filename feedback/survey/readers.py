"""Reading survey rows from CSV, XLSX and JSON, one row at a time.

Every reader gives a :class:`Table`: the header problems (which stop the import),
the number of rows when it can be known before reading them, and the rows
themselves as ``(line, values, errors)`` with ``values`` in :data:`COLUMNS` order
(``None`` for a column the file does not have). Nothing is held in memory but
the row being read, so a file of any size reads in flat memory.
"""

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from feedback.survey.errors import RowError

COLUMNS = (
    "source",
    "external_id",
    "metric",
    "score",
    "responded_at",
    "channel",
    "location",
    "team",
    "category",
    "comment",
    "language",
)
# ``source`` may come from the import's options instead (checked row by row).
REQUIRED = ("external_id", "metric", "score", "responded_at", "channel", "location")
CODECS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "windows-1256": "cp1256"}
ENCODINGS = tuple(CODECS)
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
# Larger than any acceptable comment, so a long one is a row error and not a CSV error.
csv.field_size_limit(16 * 1024 * 1024)

# (line, values in COLUMNS order — None when the item is not a row at all, errors so far)
Row = tuple[int, list | None, list[RowError]]


def _mark_undecodable(error: UnicodeDecodeError):
    # Each bad byte becomes a lone surrogate (U+DC00 + byte), which no valid decoding
    # produces: the row holding it is then reported with its line.
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error("survey-mark", _mark_undecodable)


def has_marks(text: str) -> bool:
    return any("\udc00" <= char <= "\udcff" for char in text)


@dataclass
class Table:
    rows: Iterable[Row] = ()
    header_errors: list[RowError] = field(default_factory=list)
    # Counts the rows before they are read (a quick pass); None when unknown.
    count_rows: Callable[[], int | None] = lambda: None
    close: Callable[[], None] = lambda: None
    # Whether rows may hold undecodable bytes or unpaired surrogates to look for.
    check_text: bool = False
    # The error when there is no row at all.
    empty_code: str = "no_rows"
    # Whether every value of every row is a string (CSV).
    texts_only: bool = False


def normalise_header(name) -> str:
    return str(name if name is not None else "").strip().lower()


def map_header(names: list) -> tuple[list[int | None], list[RowError], int]:
    """Which position of the file holds each of :data:`COLUMNS`, the header's errors, and
    how many columns the header names."""
    errors = []
    positions: dict[str, int] = {}
    normalised = [normalise_header(name) for name in names]
    while normalised and not normalised[-1]:
        normalised.pop()  # spreadsheets often leave empty cells at the end of the header
    for position, name in enumerate(normalised):
        if not name:
            errors.append(RowError(1, "", "unnamed_column", {"position": position + 1}))
        elif name not in COLUMNS:
            errors.append(
                RowError(1, name, "unknown_column", {"name": name, "expected": ", ".join(COLUMNS)})
            )
        elif name in positions:
            errors.append(RowError(1, name, "duplicate_column", {"name": name}))
        else:
            positions[name] = position
    for name in REQUIRED:
        if name not in positions:
            errors.append(RowError(1, name, "missing_column", {"name": name}))
    return [positions.get(name) for name in COLUMNS], errors, len(normalised)


def open_table(file, *, encoding: str = "utf-8") -> Table:
    """A CSV or XLSX file (told apart by its first bytes), opened for reading rows.
    ``file`` is a binary file object that can seek."""
    file.seek(0)
    start = file.read(8)
    file.seek(0)
    if not start:
        return Table(header_errors=[RowError(None, "", "empty_file")])
    if start.startswith(XLSX_MAGIC):
        return _xlsx_table(file)
    if start.startswith(XLS_MAGIC):
        return Table(header_errors=[RowError(None, "", "old_xls")])
    return _csv_table(file, encoding)


# --- CSV ------------------------------------------------------------------------------------
def _text(file, encoding: str):
    file.seek(0)
    return io.TextIOWrapper(file, encoding=CODECS[encoding], errors="survey-mark", newline="")


def _delimiter(file, encoding: str) -> str:
    """Comma, unless the header line is clearly split by semicolons or tabs (as some
    spreadsheet locales save "CSV")."""
    text = _text(file, encoding)
    try:
        first = text.readline()
    finally:
        text.detach()
    counts = {sep: first.count(sep) for sep in ",;\t"}
    best = max(counts, key=counts.get)
    return best if counts[best] and counts[","] == 0 else ","


def _csv_records(file, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of every record that is not blank."""
    text = _text(file, encoding)
    reader = csv.reader(text, delimiter=delimiter)
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if record and any(record):
                yield start, record
    except csv.Error as exc:
        raise CsvError(reader.line_num, str(exc)) from exc
    finally:
        text.detach()


def _count_records(file, delimiter: str) -> int:
    """The records of a CSV file in an ASCII-compatible encoding, counted on its bytes
    (many times faster than parsing it): a line that leaves a quoted field open
    continues the record; blank records are not counted, as the reader skips them."""
    file.seek(0)
    blank = b" \t\r\n" + delimiter.encode()
    count, inside = 0, False
    for line in file:
        odd = line.count(b'"') % 2
        if inside:
            inside = not odd
            continue
        inside = bool(odd)
        if line.strip(blank):
            count += 1
    file.seek(0)
    return max(0, count - 1)


class CsvError(Exception):
    """The file stops being readable CSV at ``line``: the import stops there."""

    def __init__(self, line: int, detail: str):
        super().__init__(detail)
        self.line = line
        self.detail = detail

    @property
    def error(self) -> RowError:
        return RowError(self.line, "", "bad_csv", {"error": self.detail})


def _csv_table(file, encoding: str) -> Table:
    delimiter = _delimiter(file, encoding)
    # A first quick pass counts the rows, for progress out of a known total.
    if encoding == "utf-16":
        try:
            total = sum(1 for _record in _csv_records(file, encoding, delimiter)) - 1
        except CsvError as exc:
            return Table(header_errors=[exc.error])
    else:
        total = _count_records(file, delimiter)
    records = _csv_records(file, encoding, delimiter)
    try:
        first = next(records, None)
    except CsvError as exc:
        return Table(header_errors=[exc.error])
    if first is None:
        return Table(header_errors=[RowError(None, "", "empty_file")])
    _line, header = first
    if any(has_marks(name) for name in header):
        return Table(header_errors=[RowError(1, "", "undecodable", {"encoding": encoding})])
    positions, errors, width = map_header(header)
    if errors:
        return Table(header_errors=errors)

    present = [p for p in positions if p is not None]
    last = max(present)

    def rows() -> Iterator[Row]:
        for line, record in records:
            if len(record) > last:
                values = [record[p] if p is not None else "" for p in positions]
            else:
                values = [record[p] if p is not None and p < len(record) else "" for p in positions]
            if len(record) > width and any(record[width:]):
                yield line, values, [RowError(line, "", "extra_values")]
            else:
                yield line, values, []

    return Table(rows=rows(), count_rows=lambda: total, check_text=True, texts_only=True)


# --- XLSX -----------------------------------------------------------------------------------
def _xlsx_table(file) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        header = next(cells, None)
    except Exception:  # openpyxl raises many kinds (zip, XML, key) for a damaged file
        return Table(header_errors=[RowError(None, "", "bad_xlsx")])
    if header is None or not any(value not in (None, "") for value in header):
        workbook.close()
        return Table(header_errors=[RowError(None, "", "empty_file")])
    positions, errors, width = map_header(list(header))
    if errors:
        workbook.close()
        return Table(header_errors=errors)

    def rows() -> Iterator[Row]:
        for line, record in enumerate(cells, start=2):
            if not any(value not in (None, "") for value in record):
                continue
            extra = any(value not in (None, "") for value in record[width:])
            values = [record[p] if p is not None and p < len(record) else None for p in positions]
            yield line, values, [RowError(line, "", "extra_values")] if extra else []

    def count_rows() -> int | None:
        # The sheet's recorded dimension (Excel and openpyxl write it); an estimate
        # that the end of the import corrects.
        return max(0, sheet.max_row - 1) if sheet.max_row else None

    return Table(rows=rows(), count_rows=count_rows, close=workbook.close)


# --- JSON -----------------------------------------------------------------------------------
def json_table(items: Iterable, *, total: int | None = None) -> Table:
    """Objects (mappings) with the fields of :data:`COLUMNS`; ``line`` is the position in
    the list, from 1. Unknown fields are an error of that row."""

    def rows() -> Iterator[Row]:
        for line, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                yield line, None, [RowError(line, "", "not_an_object")]
                continue
            values = dict.fromkeys(COLUMNS)
            errors = []
            for key, value in item.items():
                name = normalise_header(key)
                if name in values:
                    values[name] = value
                else:
                    errors.append(
                        RowError(
                            line,
                            name,
                            "unknown_column",
                            {"name": name, "expected": ", ".join(COLUMNS)},
                        )
                    )
            yield line, list(values.values()), errors

    if total is None and hasattr(items, "__len__"):
        total = len(items)
    return Table(rows=rows(), count_rows=lambda: total, check_text=True, empty_code="no_items")
