"""The bulk paths refresh PostgreSQL's statistics of what they loaded (issue 7): a table
planned as if it were still empty flips its plans (similar search 31 -> 387 ms)."""

import io

import pytest
from django.db import connection

from feedback.survey import importing
from portal.management.commands import seed_demo
from tests.feedback.survey.conftest import csv_bytes, rows
from tests.portal.test_commands import seed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


class Statements:
    """Every statement this test's connection runs, in order."""

    def __init__(self):
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(" ".join(str(sql).split()))
        return execute(sql, params, many, context)

    def last(self, prefix: str) -> int:
        found = [i for i, sql in enumerate(self.sql) if sql.upper().startswith(prefix)]
        return found[-1] if found else -1


def test_seed_demo_analyses_the_tables_after_filling_them(monkeypatch):
    # (the organisation alone: its thousands of staff are the bulk load here)
    monkeypatch.setattr(seed_demo, "SEEDERS", [])
    statements = Statements()

    with connection.execute_wrapper(statements):
        seed()

    loaded = max(i for i, sql in enumerate(statements.sql) if sql.startswith("INSERT INTO"))
    assert statements.last("ANALYZE") > loaded


@pytest.mark.parametrize(("analyze_after", "analysed"), [(3, True), (4, False)])
def test_a_survey_import_analyses_its_tables_once_it_wrote_enough(
    monkeypatch, org, analyze_after, analysed
):
    monkeypatch.setattr(importing, "ANALYZE_AFTER", analyze_after)
    statements = Statements()

    with connection.execute_wrapper(statements):
        result = importing.survey_import_file(file=io.BytesIO(csv_bytes(rows(3))))

    assert (result.refused, result.created) == (False, 3)
    analysed_tables = {sql.split()[1] for sql in statements.sql if sql.startswith("ANALYZE ")}
    expected = {"feedback_surveyresponse", "feedback_surveydailyrollup"}
    assert (expected <= analysed_tables) is analysed
