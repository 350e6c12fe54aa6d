"""The one import service behind every way survey responses come in: the upload page,
the API upload, the bulk JSON API, ``manage.py import_survey``, the admin and the
demo. All of them end in :func:`survey_import`.

Rows stream from a reader (``feedback.survey.readers``) through the validator into
a staging table, batch by batch, so memory stays flat whatever the file's size; the
write is one transaction at the end (``feedback.survey.staging``). A bad row is
reported with its line, column and reason; by default any bad row means nothing is
written (``on_error="skip"`` writes the good rows). A dry run reports the counts
the real import would give and writes nothing.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import SurveyImport
from feedback.survey import rollups
from feedback.survey.errors import ErrorLog, RowError
from feedback.survey.readers import ENCODINGS, CsvError, Table, json_table, open_table
from feedback.survey.staging import Staging
from feedback.survey.validation import RowValidator

log = logging.getLogger(__name__)

ABORT, SKIP = SurveyImport.OnError.ABORT, SurveyImport.OnError.SKIP
# After this many rows written, the tables' statistics are refreshed (ANALYZE), so the
# planner does not keep planning for the table as it was before the load.
ANALYZE_AFTER = 10_000


class ImportStopped(Exception):
    """Raised by a progress or commit hook to stop an import without writing."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    total_rows: int | None = None
    processed_rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    # Nothing was (or, in a dry run, would be) written because of the errors.
    refused: bool = False
    # Seconds spent in each phase (read and stage, checks, write), for benchmarks.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return not self.refused

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "error_count": self.error_count,
        }


def _check_importer(by) -> None:
    if by is not None and not (by.is_authenticated and by.is_active and by.is_manager):
        raise PermissionDenied(_("Only managers import survey data."))


def survey_import(
    *,
    table: Table,
    by=None,
    source: str = "",
    on_error: str = ABORT,
    dry_run: bool = False,
    encoding: str | None = None,
    job_id: int | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    before_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Import the rows of ``table`` for ``by`` (``None``: the system, no scope limit).

    ``progress(processed, total)`` is called after each batch, outside any
    transaction of the import's own; ``before_commit(result)`` is called inside the
    writing transaction, so whatever it records commits with the rows or not at all.
    Either may raise :class:`ImportStopped` to stop without writing.
    """
    _check_importer(by)
    if on_error not in (ABORT, SKIP):
        raise ValueError(f"on_error must be {ABORT!r} or {SKIP!r}")
    result = ImportResult(dry_run=dry_run)
    errors = ErrorLog()
    try:
        if table.header_errors:
            errors.extend(table.header_errors)
            return _refused(result, errors)
        connection = rollups.connection_for_writes()
        staging = Staging(connection)
        staging.create()
        try:
            return _run(
                table,
                staging,
                result,
                errors,
                validator=RowValidator(
                    by=by,
                    default_source=source,
                    encoding=encoding if table.check_text else None,
                    texts_only=table.texts_only,
                ),
                on_error=on_error,
                job_id=job_id,
                progress=progress,
                before_commit=before_commit,
            )
        finally:
            staging.drop()
    finally:
        table.close()


def _run(table, staging, result, errors, *, validator, on_error, job_id, progress, before_commit):
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.timings[name] = round(now - clock, 3)
        clock = now

    total = table.count_rows()
    lap("count")
    result.total_rows = total
    batch_size = settings.SURVEY_IMPORT_BATCH_ROWS
    batch: list[tuple] = []
    processed = bad = 0
    try:
        for line, values, row_errors in table.rows:
            row = validator(line, values, row_errors)
            if row_errors:
                bad += 1
                errors.extend(row_errors)
            batch.append(row)
            processed += 1
            if len(batch) >= batch_size:
                staging.add(batch)
                batch = []
                if progress:
                    progress(processed, max(total or 0, processed))
    except CsvError as exc:
        errors.add(exc.error)
        result.processed_rows = processed
        return _refused(result, errors)
    staging.add(batch)
    lap("read, check and stage")
    result.processed_rows = result.total_rows = processed
    if progress:
        progress(processed, processed)
    if not processed:
        errors.add(RowError(None, "", table.empty_code))
        return _refused(result, errors)
    staging.analyze()
    result.rejected = bad + staging.mark_duplicates(errors)
    _report(result, errors)
    lap("duplicates")
    if result.rejected and on_error == ABORT:
        result.refused = True
        return result
    if result.dry_run:
        counts = staging.diff()
    else:
        connection = staging.connection
        with transaction.atomic(using=connection.alias):
            rollups.write_lock(connection)
            counts = staging.diff()
            lap("diff")
            written = staging.merge(job_id=job_id, now=timezone.now(), timings=result.timings)
            lap("merge (rollup, then rows)")
            if (written.created, written.updated) != (counts.created, counts.updated):
                # Impossible under the write lock; never commit counts that lie.
                raise RuntimeError(f"survey merge wrote {written}, expected {counts}")
            _set_counts(result, counts)
            if before_commit:
                before_commit(result)
        lap("commit")
        if counts.created + counts.updated >= ANALYZE_AFTER:
            _analyze(connection)
            lap("analyze")
        return result
    _set_counts(result, counts)
    return result


def _set_counts(result: ImportResult, counts) -> None:
    result.created, result.updated, result.unchanged = (
        counts.created,
        counts.updated,
        counts.unchanged,
    )


def _report(result: ImportResult, errors: ErrorLog) -> None:
    result.error_count = errors.count
    result.errors = errors.kept


def _refused(result: ImportResult, errors: ErrorLog) -> ImportResult:
    result.refused = True
    _report(result, errors)
    return result


def _analyze(connection) -> None:
    with connection.cursor() as cursor:
        for table in (rollups.RESPONSES, rollups.ROLLUP):
            cursor.execute(f"ANALYZE {table}")


# --- entry points ---------------------------------------------------------------------------
def survey_import_file(*, file, by=None, encoding: str = "utf-8", **options) -> ImportResult:
    """Import a CSV (UTF-8 ± BOM, or ``encoding``) or XLSX file: a binary file object
    that can seek. ``options`` are those of :func:`survey_import`."""
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}")
    _check_importer(by)
    return survey_import(
        table=open_table(file, encoding=encoding), by=by, encoding=encoding, **options
    )


def survey_import_rows(
    *, rows: Iterable, by=None, total: int | None = None, **options
) -> ImportResult:
    """Import JSON-like objects (mappings of field name to value); ``line`` in the
    report is the position in ``rows``, from 1."""
    return survey_import(table=json_table(rows, total=total), by=by, **options)
