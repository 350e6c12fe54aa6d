"""How an import writes: set-based, whatever the file's size. Rows are staged batch by
batch (``COPY`` on PostgreSQL), then one ``INSERT … ON CONFLICT (source, external_id)
DO UPDATE … WHERE`` the row changed writes them and one statement adjusts the rollup: a
file of 2,000 rows runs exactly the statements a file of 20 does."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import SurveyResponse
from feedback.survey.importing import survey_import_file
from feedback.survey.rollups import RESPONSES, ROLLUP
from tests.feedback.survey.conftest import assert_rollup_is_a_recount, csv_bytes, row

pytestmark = pytest.mark.django_db

CHANNELS = ["branch", "phone", "app", "web"]


def varied(count: int, start: int = 1, score: int = 4) -> bytes:
    """Rows across channels, both locations, teams, categories, days and comments."""
    items = []
    for n in range(start, start + count):
        location = ("RUH-01", "JED-01")[n % 2]
        items.append(
            row(n, score=score, channel=CHANNELS[n % 4], location=location,
                team=f"{location}-TELLER" if n % 3 else "",
                category=("", "billing", "waiting_time")[n % 3],
                responded_at=f"2026-0{1 + n % 9}-1{n % 10}T1{n % 10}:00:00",
                comment=f"Comment {n}" if n % 5 else "")
        )  # fmt: skip
    return csv_bytes(items)


def statements(data: bytes) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        result = survey_import_file(file=io.BytesIO(data))
    assert not result.refused, result.errors
    return [query["sql"] for query in captured]


def test_an_import_runs_the_same_statements_whatever_its_size(settings, org):
    settings.SURVEY_IMPORT_BATCH_ROWS = 5000

    small = statements(varied(20))
    large = statements(varied(2000, start=100))
    unchanged = statements(varied(2000, start=100))
    changed = statements(varied(2000, start=100, score=5))

    assert len(small) == len(large) == len(unchanged) == len(changed), (len(small), len(large))
    upserts = [sql for sql in large if f"INSERT INTO {RESPONSES}" in sql]
    assert len(upserts) == 1
    assert "ON CONFLICT (source, external_id) DO UPDATE" in upserts[0]
    assert len([sql for sql in large if f"INSERT INTO {ROLLUP}" in sql]) == 1
    assert SurveyResponse.objects.count() == 2020
    assert SurveyResponse.objects.filter(score=5).count() == 2000
    assert_rollup_is_a_recount()


@pytest.mark.postgres
def test_on_postgresql_rows_are_staged_with_copy_batch_by_batch(settings, org, monkeypatch):
    import psycopg

    copies = []
    copy = psycopg.Cursor.copy

    def spy(cursor, statement, *args, **kwargs):
        copies.append(str(statement))
        return copy(cursor, statement, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "copy", spy)
    settings.SURVEY_IMPORT_BATCH_ROWS = 500

    result = survey_import_file(file=io.BytesIO(varied(1800)))

    assert result.created == 1800
    assert len(copies) == 4  # 500 + 500 + 500 + 300
    assert all(sql.startswith("COPY ") and sql.endswith("FROM STDIN") for sql in copies)
    assert_rollup_is_a_recount()
