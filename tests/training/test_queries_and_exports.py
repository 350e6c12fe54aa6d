"""Every training list, page and export reads a constant number of queries as people and
their records grow; the evidence export is scoped, in the reader's language, CSV or
XLSX, with formulas neutralised."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_user
from tests.training.conftest import publish, right_answers
from training import services

pytestmark = pytest.mark.django_db


def grow(org, tariq, standard, module, count: int, start: int = 0) -> None:
    """``count`` more people at RUH-01 with an assignment, a passed attempt and an
    acknowledgement each."""
    people = [make_user(f"p{i}", team=org.team_ruh) for i in range(start, start + count)]
    services.assign(
        module=module,
        due_date=timezone.localdate() + datetime.timedelta(days=5),
        by=tariq,
        users=people,
    )
    for person in people:
        attempt, _created = services.attempt_start(
            assignment=module.assignments.get(user=person), by=person
        )
        services.attempt_submit(attempt=attempt, by=person, answers=right_answers(attempt.pk))
        services.acknowledge(user=person, standard=standard, version_number=1, language="ar")


def queries(client, user, url: str) -> tuple[int, list[str]]:
    client.force_login(user)
    client.get(url)  # warm process-wide caches first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), [q["sql"] for q in captured]


URLS = [
    ("tariq", "/api/v1/standards/"),
    ("tariq", "/api/v1/standards/STD-GREET-01/versions/"),
    ("tariq", "/api/v1/modules/"),
    ("alice", "/api/v1/modules/"),
    ("tariq", "/api/v1/assignments/"),
    ("mona", "/api/v1/assignments/"),
    ("tariq", "/api/v1/attempts/"),
    ("mona", "/api/v1/acknowledgements/"),
    ("tariq", "/api/v1/compliance/?by=person"),
    ("mona", "/api/v1/compliance/?by=team"),
    ("tariq", "/api/v1/compliance/?by=channel"),
    ("tariq", "/api/v1/compliance/evidence/"),
    ("mona", "/api/v1/compliance/evidence/?format=csv"),
    ("alice", "/"),
    ("alice", "/training/"),
    ("tariq", "/training/standards/"),
    ("tariq", "/training/modules/"),
    ("tariq", "/training/compliance/"),
    ("mona", "/training/compliance/people/"),
    ("mona", "/admin/training/assignment/"),
    ("ada", "/admin/training/attempt/"),
    ("ada", "/admin/training/acknowledgement/"),
]


@pytest.mark.parametrize(("viewer", "url"), URLS, ids=[f"{v}:{u}" for v, u in URLS])
def test_lists_pages_and_exports_read_a_constant_number_of_queries(
    client, cast, org, tariq, standard, module, alice, viewer, url
):
    publish(standard, tariq)
    services.assign(
        module=module,
        due_date=timezone.localdate() + datetime.timedelta(days=5),
        by=tariq,
        users=[alice],
    )
    grow(org, tariq, standard, module, 3)
    few, few_sql = queries(client, cast[viewer], url)

    grow(org, tariq, standard, module, 30, start=3)
    many, many_sql = queries(client, cast[viewer], url)

    assert many == few, "\n".join([*few_sql, f"--- {few} at 3, {many} at 33:", *many_sql])


@pytest.fixture
def evidence(tariq, standard, module, alice, bob):
    publish(standard, tariq)
    services.assign(
        module=module,
        due_date=timezone.localdate() + datetime.timedelta(days=5),
        by=tariq,
        users=[alice, bob],
    )
    attempt, _created = services.attempt_start(
        assignment=module.assignments.get(user=alice), by=alice
    )
    services.attempt_submit(attempt=attempt, by=alice, answers=right_answers(attempt.pk))
    ack, _created = services.acknowledge(
        user=alice, standard=standard, version_number=1, language="ar"
    )
    return ack


def test_the_evidence_has_the_acknowledgement_and_the_passing_attempt(api, tariq, evidence):
    rows = api(tariq).get("/api/v1/compliance/evidence/").json()

    [row] = rows
    assert (row["username"], row["standard"], row["version"], row["change"]) == (
        "alice",
        "STD-GREET-01",
        1,
        "Major",
    )
    assert (row["acknowledged_language"], row["text_sha256"]) == ("Arabic", evidence.text_sha256)
    assert (row["score"], row["module"], row["module_revision"]) == (100.0, "MOD-GREET", 1)
    assert row["acknowledged_at"] and row["passed_at"]


def test_the_evidence_export_is_scoped_and_in_the_readers_language(api, mona, omar, evidence):
    csv_ar = api(mona, "ar").get("/api/v1/compliance/evidence/", {"format": "csv"})
    nothing = api(omar).get("/api/v1/compliance/evidence/", {"format": "csv"})

    text = b"".join(csv_ar.streaming_content).decode("utf-8")
    assert csv_ar["Content-Type"].startswith("text/csv")
    assert text.startswith("\ufeff")
    header, line = text.lstrip("\ufeff").splitlines()[:2]
    assert header.startswith("اسم المستخدم,الشخص,الفريق,رمز الموقع,المعيار")
    assert line.startswith("alice,Alice Anwar,") and ",العربية," in line
    assert len(b"".join(nothing.streaming_content).decode().strip().splitlines()) == 1


def test_the_evidence_export_as_xlsx_neutralises_formulas(api, tariq, alice, evidence):
    from openpyxl import load_workbook

    from portal.services import user_update

    user_update(user=alice, display_name='=HYPERLINK("http://evil.example","Alice")')
    xlsx = api(tariq).get(
        "/api/v1/compliance/evidence/",
        HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Username", "Person")
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Alice")'
