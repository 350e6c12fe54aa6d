"""The set-based half of an import: validated rows go into a temporary staging table
(``COPY`` on PostgreSQL, batched inserts on SQLite), and everything after that is a
handful of statements, whatever the number of rows:

1. duplicates of ``(source, external_id)`` inside the file are marked bad (the first
   occurrence stays);
2. ``diff``: which staged rows are new and which differ from the stored row, into a
   second temporary table — the counts of a dry run and of a real one alike;
3. ``merge`` (one transaction, under the survey write lock): one rollup adjustment
   (old contributions of the rows about to change subtracted, new ones added), then
   one ``INSERT … ON CONFLICT (source, external_id) DO UPDATE … WHERE`` the row
   changed, for the new and changed rows only — unchanged rows are not written at all.

The temporary tables live in the database session: they vanish with a worker that
dies, and :meth:`Staging.drop` removes them otherwise.
"""

import time
from dataclasses import dataclass

from feedback.survey import rollups
from feedback.survey.errors import ErrorLog, RowError
from feedback.survey.validation import STAGED

STAGING = "survey_staging"
DIFF = "survey_diff"
DUPLICATE_KEYS = "survey_duplicate_keys"
RESPONSES = rollups.RESPONSES
# Memory for one sort or hash of the import's statements (PostgreSQL), this session only.
WORK_MEM = "64MB"
COMPARED = (
    "metric",
    "score",
    "responded_at",
    "channel_id",
    "location_id",
    "team_id",
    "category_id",
    "comment",
    "language",
)
WRITTEN = (
    "source",
    "external_id",
    *COMPARED,
    "comment_match",
    "imported_by_job_id",
    "created_at",
    "updated_at",
)
TYPES = {
    "postgresql": {
        "line": "integer NOT NULL",
        "valid": "boolean NOT NULL",
        "score": "smallint",
        "responded_at": "timestamp with time zone",
        "channel_id": "bigint",
        "location_id": "bigint",
        "team_id": "bigint",
        "category_id": "bigint",
    },
    "sqlite": {"line": "integer NOT NULL", "valid": "integer NOT NULL", "score": "integer"},
}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class Staging:
    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.staged = 0

    # --- loading --------------------------------------------------------------------------
    def create(self) -> None:
        types = TYPES["postgresql" if self.postgres else "sqlite"]
        columns = ", ".join(f"{name} {types.get(name, 'text')}" for name in STAGED)
        with self.connection.cursor() as cursor:
            self._drop(cursor)
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} ({columns})")
            if self.postgres:
                # The duplicates check, the diff and the rollup sum hash every staged row:
                # with the default 4 MB they spill to disk from a few hundred thousand.
                cursor.execute("SET work_mem = %s", [WORK_MEM])

    def add(self, rows: list[tuple]) -> None:
        """Stage validated rows (``feedback.survey.validation.STAGED`` order)."""
        if not rows:
            return
        columns = ", ".join(STAGED)
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                adapt = self.connection.ops.adapt_datetimefield_value
                marks = ", ".join(["%s"] * len(STAGED))
                cursor.executemany(
                    f"INSERT INTO {STAGING} ({columns}) VALUES ({marks})",
                    [(*row[:6], adapt(row[6]), *row[7:]) for row in rows],
                )
        self.staged += len(rows)

    def analyze(self) -> None:
        # A temporary table has no statistics until asked; without them the joins
        # below are planned for a handful of rows.
        if self.postgres:
            with self.connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {STAGING}")

    # --- checks ---------------------------------------------------------------------------
    def mark_duplicates(self, log: ErrorLog) -> int:
        """Report every later occurrence of a ``(source, external_id)`` seen before in the
        file and mark it bad. Returns how many good rows that rejected."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {DUPLICATE_KEYS}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {DUPLICATE_KEYS} AS "
                f"SELECT source, external_id, MIN(line) AS first_line FROM {STAGING} "
                "WHERE source IS NOT NULL AND external_id IS NOT NULL "
                "GROUP BY source, external_id HAVING COUNT(*) > 1"
            )
            later = (
                f"FROM {STAGING} s JOIN {DUPLICATE_KEYS} k "
                "ON k.source = s.source AND k.external_id = s.external_id "
                "WHERE s.line > k.first_line"
            )
            cursor.execute(f"SELECT COUNT(*) {later}")
            (total,) = cursor.fetchone()
            if total:
                cursor.execute(
                    f"SELECT s.line, k.first_line {later} ORDER BY s.line LIMIT %s",
                    [log.keep],
                )
                log.extend_counted(
                    [
                        RowError(line, "external_id", "duplicate_row", {"line": first})
                        for line, first in cursor.fetchall()
                    ],
                    total,
                )
                cursor.execute(
                    f"UPDATE {STAGING} SET valid = FALSE WHERE valid AND line IN "
                    f"(SELECT s.line {later})"
                )
                rejected = cursor.rowcount
            else:
                rejected = 0
            cursor.execute(f"DROP TABLE {DUPLICATE_KEYS}")
        return rejected

    def _differs(self, a: str, b: str) -> str:
        if self.postgres:
            left = ", ".join(f"{a}.{name}" for name in COMPARED)
            right = ", ".join(f"{b}.{name}" for name in COMPARED)
            return f"({left}) IS DISTINCT FROM ({right})"
        return "(" + " OR ".join(f"{a}.{name} IS NOT {b}.{name}" for name in COMPARED) + ")"

    def diff(self) -> Counts:
        """Which good staged rows are new and which change a stored row."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {DIFF}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {DIFF} AS "
                f"SELECT s.line AS line, r.id AS old_id FROM {STAGING} s "
                f"LEFT JOIN {RESPONSES} r ON r.source = s.source AND r.external_id = s.external_id "
                f"WHERE s.valid AND (r.id IS NULL OR {self._differs('r', 's')})"
            )
            if self.postgres:
                cursor.execute(f"ANALYZE {DIFF}")
            cursor.execute(
                "SELECT SUM(CASE WHEN old_id IS NULL THEN 1 ELSE 0 END), "
                f"SUM(CASE WHEN old_id IS NULL THEN 0 ELSE 1 END) FROM {DIFF}"
            )
            created, updated = (int(value or 0) for value in cursor.fetchone())
            cursor.execute(f"SELECT COUNT(*) FROM {STAGING} WHERE valid")
            (valid,) = cursor.fetchone()
        return Counts(created=created, updated=updated, unchanged=valid - created - updated)

    # --- writing --------------------------------------------------------------------------
    def merge(self, *, job_id: int | None, now, timings: dict | None = None) -> Counts:
        """Write the new and changed rows and adjust the rollup; inside a transaction that
        holds :func:`rollups.write_lock`, after :meth:`diff` in that same transaction."""
        connection = self.connection
        old = rollups.contributions_sql(
            connection, "r", f"FROM {RESPONSES} r JOIN {DIFF} d ON r.id = d.old_id", -1
        )
        new = rollups.contributions_sql(
            connection, "s", f"FROM {STAGING} s JOIN {DIFF} d ON d.line = s.line", +1
        )
        started = time.perf_counter()
        rollups.apply_contributions(connection, [old, new])
        if timings is not None:
            timings["rollup"] = round(time.perf_counter() - started, 3)

        columns = ", ".join(WRITTEN)
        selected = ", ".join(
            [f"s.{name}" for name in ("source", "external_id", *COMPARED, "comment_match")]
            + ["%s", "%s", "%s"]
        )
        updates = ", ".join(
            f"{name} = excluded.{name}"
            for name in (*COMPARED, "comment_match", "imported_by_job_id", "updated_at")
        )
        upsert = (
            f"INSERT INTO {RESPONSES} ({columns}) "
            f"SELECT {selected} FROM {STAGING} s JOIN {DIFF} d ON d.line = s.line WHERE TRUE "
            f"ON CONFLICT (source, external_id) DO UPDATE SET {updates} "
            f"WHERE {self._differs(RESPONSES, 'excluded')}"
        )
        params = [job_id, now, now]
        with connection.cursor() as cursor:
            if self.postgres:
                # xmax = 0 on a row this statement inserted; an updated row has ours.
                cursor.execute(
                    f"WITH written AS ({upsert} RETURNING (xmax = 0) AS inserted) "
                    "SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) "
                    "FROM written",
                    params,
                )
                created, updated = cursor.fetchone()
            else:
                cursor.execute(
                    "SELECT SUM(CASE WHEN old_id IS NULL THEN 1 ELSE 0 END), "
                    f"SUM(CASE WHEN old_id IS NULL THEN 0 ELSE 1 END) FROM {DIFF}"
                )
                created, updated = (int(value or 0) for value in cursor.fetchone())
                cursor.execute(upsert, params)
        return Counts(created=created, updated=updated)

    # --- cleaning up ----------------------------------------------------------------------
    def _drop(self, cursor) -> None:
        for table in (STAGING, DIFF, DUPLICATE_KEYS):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            self._drop(cursor)
            if self.postgres:
                cursor.execute("RESET work_mem")
