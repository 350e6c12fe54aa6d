"""The survey-response list's filters (metric, channel, location, team, category, source,
from, to, q) give the same rows on the API, the page and both exports; a bad filter value
is a 400 on the API; the exports are in the reader's language."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from feedback.survey.importing import survey_import_rows
from tests.feedback.survey.conftest import RESPONSES, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def responses(org):
    """Four responses that each filter tells apart. Times without an offset are in
    TIME_ZONE: R-00001 is late on 1 March there, R-00002 just after midnight on 2 March."""
    survey_import_rows(
        rows=[
            row(1, metric="csat", score=5, channel="branch", location="RUH-01",
                team="RUH-01-TELLER", category="billing", source="qualtrics",
                responded_at="2026-03-01T23:30:00", comment="A slow queue at noon"),
            row(2, metric="nps", score=9, channel="phone", location="JED-01",
                source="ivr", responded_at="2026-03-02T00:30:00", comment="Quick answer"),
            row(3, metric="ces", score=6, channel="app", location="RUH-01",
                category="waiting_time", source="app", responded_at="2026-02-28T10:00:00",
                comment="الانتظار طويل"),
            row(4, metric="csat", score=2, channel="phone", location="JED-01",
                team="JED-01-TELLER", category="billing", source="qualtrics",
                responded_at="2026-03-05T12:00:00"),
        ]
    )  # fmt: skip


FILTERS = [
    ({}, {1, 2, 3, 4}),
    ({"metric": "csat"}, {1, 4}),
    ({"channel": "phone"}, {2, 4}),
    ({"location": "RUH-01"}, {1, 3}),
    ({"team": "JED-01-TELLER"}, {4}),
    ({"category": "billing"}, {1, 4}),
    ({"source": "ivr"}, {2}),
    ({"source": " IVR "}, {2}),
    ({"from": "2026-03-02"}, {2, 4}),
    ({"to": "2026-03-01"}, {1, 3}),
    ({"from": "2026-03-01", "to": "2026-03-01"}, {1}),
    ({"q": "queue"}, {1}),
    ({"q": "انتظار"}, {3}),
    ({"channel": "phone", "metric": "csat"}, {4}),
    ({"location": "RUH-01", "metric": "nps"}, set()),
]


def ids(numbers) -> set[str]:
    return {f"R-{n:05d}" for n in numbers}


def from_table(text: str) -> set[str]:
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    column = table[0].index("External ID") if "External ID" in table[0] else 1
    return {line[column] for line in table[1:]}


@pytest.mark.parametrize(("params", "expected"), FILTERS, ids=[str(p) for p, _e in FILTERS])
def test_each_filter_gives_the_same_rows_on_the_api_the_page_and_the_exports(
    api, client, ada, responses, params, expected
):
    listed = api(ada).get(RESPONSES, {**params, "page_size": 100})
    exported = api(ada).get(RESPONSES, {**params, "format": "csv"})
    client.force_login(ada)
    page = client.get("/survey/", params)
    page_export = client.get("/survey/export/", {**params, "format": "csv"})

    assert listed.status_code == page.status_code == 200
    assert {r["external_id"] for r in listed.json()["results"]} == ids(expected)
    assert from_table(b"".join(exported.streaming_content).decode("utf-8")) == ids(expected)
    shown = set(re.findall(r'<span dir="ltr">\w+:(R-\d{5})</span>', page.content.decode()))
    assert shown == ids(expected)
    assert from_table(b"".join(page_export.streaming_content).decode("utf-8")) == ids(expected)


@pytest.mark.parametrize(
    "params",
    [{"channel": "fax"}, {"location": "NOPE-01"}, {"metric": "stars"}, {"from": "yesterday"}],
    ids=["unknown-channel", "unknown-location", "unknown-metric", "bad-date"],
)
def test_a_bad_filter_value_is_a_400_naming_it(api, ada, responses, params):
    response = api(ada).get(RESPONSES, params)

    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_the_exports_are_in_the_readers_language(api, client, mona, responses):
    from portal.services import user_update

    # The API answers in the language asked for; the pages in the reader's own.
    csv_ar = api(mona, "ar").get(RESPONSES, {"format": "csv"})
    xlsx_en = api(mona).get(RESPONSES, {"format": "xlsx"})
    user_update(user=mona, language="ar")
    client.force_login(mona)
    page_ar = client.get("/survey/export/", {"format": "csv"})

    for text in (
        b"".join(csv_ar.streaming_content).decode("utf-8"),
        b"".join(page_ar.streaming_content).decode("utf-8"),
    ):
        header, *lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert header[:2] == ["المصدر", "المعرّف الخارجي"], header
        assert "Source" not in header
        # mona manages RUH-01: R-00001 and R-00003
        assert sorted(line[1] for line in lines) == ["R-00001", "R-00003"]
        assert "External ID" not in text
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_en.streaming_content))).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[:4] == ("Source", "External ID", "Metric", "Score")


@pytest.mark.parametrize("params", [{"channel": "fax"}, {"from": "yesterday"}])
def test_a_bad_filter_on_the_page_lists_nothing_and_the_export_is_refused(
    client, ada, responses, params
):
    client.force_login(ada)

    page = client.get("/survey/", params)
    export = client.get("/survey/export/", {**params, "format": "csv"})

    # the page says what is wrong and lists none of the four responses (it lists them
    # by their external ids when the filters are good)
    assert "R-00001" in client.get("/survey/").content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="alert"' in html
    assert not re.findall(r"R-0000\d", html)
    # the export does not fall back to every response
    assert export.status_code == 400
    assert "R-0000" not in export.content.decode()
