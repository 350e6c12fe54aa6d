"""The daily rollup of survey responses, kept equal to a recount of them.

Every write to responses adjusts the rollup in the same transaction, set-based:
the contributions of the rows as they were are subtracted and those of the rows
as they are now added, in one ``INSERT … ON CONFLICT DO UPDATE`` over the cells
touched; cells left empty are deleted. :func:`rollup_differences` recounts from
the responses and says where the rollup disagrees; :func:`rollups_rebuild` puts it
right (``manage.py rebuild_rollups``).

The same SQL runs on PostgreSQL and SQLite: the day of a response in ``TIME_ZONE``
is the database's own ``TruncDate`` expression, so the rollup and any query that
truncates ``responded_at`` agree on it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import QuerySet

from feedback.metrics import DETRACTOR_UP_TO, PROMOTER_FROM, TOP_BOX_FROM
from feedback.models import SurveyDailyRollup, SurveyResponse
from portal import results_cache

ROLLUP = SurveyDailyRollup._meta.db_table
RESPONSES = SurveyResponse._meta.db_table
CELL = ("metric", "day", "location_id", "channel_id", "team_id", "category_id")
COUNTS = ("n", "score_sum", "top_box", "promoters", "detractors")
CONFLICT = "metric, day, location_id, channel_id, COALESCE(team_id, 0), COALESCE(category_id, 0)"
# A transaction-level advisory lock that every survey write takes (PostgreSQL): two
# writers never read the same rows' old values, so the rollup cannot drift.
WRITE_LOCK = 0x5355525645  # "SURVE"


def connection_for_writes():
    return connections[router.db_for_write(SurveyResponse)]


def write_lock(connection) -> None:
    """Serialise survey writes (call inside the writing transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])


def day_sql(connection, column: str) -> tuple[str, list]:
    """SQL for the calendar day of ``column`` in ``TIME_ZONE`` (as ``TruncDate`` does)."""
    sql, params = connection.ops.datetime_cast_date_sql(column, [], settings.TIME_ZONE)
    return sql, list(params)


def contributions_sql(connection, alias: str, from_sql: str, sign: int) -> tuple[str, list]:
    """``SELECT`` of each row's contribution to its cell, times ``sign`` (+1 or -1)."""
    day, params = day_sql(connection, f"{alias}.responded_at")
    top = " ".join(
        f"WHEN {alias}.metric = '{metric}' AND {alias}.score >= {low} THEN {sign}"
        for metric, low in TOP_BOX_FROM.items()
    )
    nps = f"{alias}.metric = 'nps'"
    sql = (
        f"SELECT {alias}.metric AS metric, {day} AS day, {alias}.location_id AS location_id, "
        f"{alias}.channel_id AS channel_id, {alias}.team_id AS team_id, "
        f"{alias}.category_id AS category_id, {sign} AS n, {sign} * {alias}.score AS score_sum, "
        f"CASE {top} ELSE 0 END AS top_box, "
        f"CASE WHEN {nps} AND {alias}.score >= {PROMOTER_FROM} THEN {sign} ELSE 0 END "
        "AS promoters, "
        f"CASE WHEN {nps} AND {alias}.score <= {DETRACTOR_UP_TO} THEN {sign} ELSE 0 END "
        f"AS detractors {from_sql}"
    )
    return sql, params


def apply_contributions(connection, parts: list[tuple[str, list]]) -> None:
    """Add the summed contributions to their cells, creating cells that are new, then
    delete the cells left with no response. Run inside the writing transaction."""
    union = " UNION ALL ".join(sql for sql, _params in parts)
    params = [param for _sql, part_params in parts for param in part_params]
    cell = ", ".join(CELL)
    sums = ", ".join(f"SUM({name})" for name in COUNTS)
    changed = " OR ".join(f"SUM({name}) <> 0" for name in COUNTS)
    updates = ", ".join(f"{name} = {ROLLUP}.{name} + excluded.{name}" for name in COUNTS)
    sql = (
        f"INSERT INTO {ROLLUP} ({cell}, {', '.join(COUNTS)}) "
        f"SELECT {cell}, {sums} FROM ({union}) delta GROUP BY {cell} HAVING {changed} "
        f"ON CONFLICT ({CONFLICT}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(f"DELETE FROM {ROLLUP} WHERE n = 0")
    results_cache.data_changed(results_cache.SURVEY, using=connection.alias)


def queryset_contributions(queryset: QuerySet, sign: int) -> tuple[str, list]:
    """The contributions of the responses in ``queryset`` (compiled as a subquery)."""
    connection = connections[queryset.db]
    ids_sql, ids_params = queryset.order_by().values("pk").query.sql_with_params()
    sql, params = contributions_sql(
        connection, "r", f"FROM {RESPONSES} r WHERE r.id IN ({ids_sql})", sign
    )
    return sql, [*params, *ids_params]


def rollup_add(queryset: QuerySet) -> None:
    apply_contributions(connections[queryset.db], [queryset_contributions(queryset, +1)])


def rollup_subtract(queryset: QuerySet) -> None:
    apply_contributions(connections[queryset.db], [queryset_contributions(queryset, -1)])


# --- recount --------------------------------------------------------------------------------
@dataclass
class Differences:
    missing: int = 0  # cells with responses that the rollup lacks
    extra: int = 0  # rollup cells without responses
    wrong: int = 0  # cells whose counts differ

    @property
    def total(self) -> int:
        return self.missing + self.extra + self.wrong


FRESH = "survey_rollup_fresh"


def _recount(connection) -> None:
    sql, params = contributions_sql(connection, "r", f"FROM {RESPONSES} r", +1)
    cell = ", ".join(CELL)
    sums = ", ".join(f"SUM({name}) AS {name}" for name in COUNTS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FRESH}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {FRESH} AS "
            f"SELECT {cell}, {sums} FROM ({sql}) c GROUP BY {cell}",
            params,
        )


def _same_cell(a: str, b: str) -> str:
    return " AND ".join(
        f"COALESCE({a}.{name}, 0) = COALESCE({b}.{name}, 0)"
        if name in ("team_id", "category_id")
        else f"{a}.{name} = {b}.{name}"
        for name in CELL
    )


def _compare(connection) -> Differences:
    join = _same_cell("f", "r")
    unequal = " OR ".join(f"f.{name} <> r.{name}" for name in COUNTS)
    with connection.cursor() as cursor:
        # One join, led by the recount, through the rollup's unique cell index. Both
        # sides hold one row per cell, so the rollup rows it did not reach are those
        # without responses (a NOT EXISTS probing the unindexed recount instead took a
        # minute on SQLite at 50,000 cells).
        cursor.execute(
            f"SELECT SUM(CASE WHEN r.id IS NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN r.id IS NOT NULL AND ({unequal}) THEN 1 ELSE 0 END), "
            f"COUNT(r.id) FROM {FRESH} f LEFT JOIN {ROLLUP} r ON {join}"
        )
        missing, wrong, matched = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*) FROM {ROLLUP}")
        (stored,) = cursor.fetchone()
    extra = stored - int(matched or 0)
    return Differences(missing=int(missing or 0), extra=extra, wrong=int(wrong or 0))


def rollup_differences() -> Differences:
    """How far the rollup is from a recount of the responses (all zero when right)."""
    connection = connection_for_writes()
    with transaction.atomic(using=connection.alias):
        _recount(connection)
        try:
            return _compare(connection)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {FRESH}")


def rollups_rebuild(*, fix: bool = True) -> Differences:
    """Recount the rollup from the responses; with ``fix``, replace it when it differs.
    Returns what differed before."""
    connection = connection_for_writes()
    cell = ", ".join(CELL)
    counts = ", ".join(COUNTS)
    with transaction.atomic(using=connection.alias):
        write_lock(connection)
        _recount(connection)
        try:
            differences = _compare(connection)
            if fix and differences.total:
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {ROLLUP}")
                    cursor.execute(
                        f"INSERT INTO {ROLLUP} ({cell}, {counts}) "
                        f"SELECT {cell}, {counts} FROM {FRESH}"
                    )
                results_cache.data_changed(results_cache.SURVEY, using=connection.alias)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {FRESH}")
    return differences
