"""Importing is idempotent and the rollup always equals a recount: re-importing a file
changes nothing, changing k rows updates k, through files (CSV, XLSX), the bulk JSON
API and deletes."""

import csv
import io
import random

import pytest
from openpyxl import Workbook, load_workbook

from feedback.models import SurveyResponse
from feedback.survey.errors import RowError
from feedback.survey.readers import COLUMNS
from feedback.survey.responses import survey_responses_delete
from tests.feedback.survey.conftest import (
    HEADER,
    RESPONSES,
    assert_rollup_is_a_recount,
    csv_bytes,
    row,
    rows,
)

pytestmark = pytest.mark.django_db

CHANNELS = ["branch", "phone", "app", "web"]
CATEGORIES = ["", "billing", "waiting_time"]


def mixed_rows(count: int, seed: int = 7) -> list[dict]:
    """Rows across metrics, channels, both locations, teams, categories and days."""
    rng = random.Random(seed)
    items = []
    for n in range(1, count + 1):
        metric = rng.choice(["csat", "nps", "ces"])
        low, high = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}[metric]
        location = rng.choice(["RUH-01", "JED-01"])
        items.append(
            row(
                n,
                metric=metric,
                score=rng.randint(low, high),
                # Around midnight in Riyadh, so the day in TIME_ZONE is what counts.
                responded_at=f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T"
                f"{rng.choice(['00:30', '20:59', '21:01', '23:59'])}:00{rng.choice(['', 'Z'])}",
                channel=rng.choice(CHANNELS),
                location=location,
                team=rng.choice(["", f"{location}-TELLER"]),
                category=rng.choice(CATEGORIES),
                comment=rng.choice(["", "Quick and kind", "الخدمة ممتازة", "Too slow"]),
            )
        )
    return items


def test_reimporting_changes_nothing_and_changing_k_rows_updates_k(via_api, mona, ada, org):
    items = mixed_rows(300)

    first = via_api(ada, csv_bytes(items))
    assert first.counts == {"created": 300, "updated": 0, "unchanged": 0, "rejected": 0}
    assert_rollup_is_a_recount()

    again = via_api(ada, csv_bytes(items))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 300, "rejected": 0}
    assert_rollup_is_a_recount()

    # k = 25 rows change: scores, days, channels, comments, teams; 10 new rows join.
    rng = random.Random(3)
    changed = [dict(item) for item in items]
    for index in rng.sample(range(300), 25):
        item = changed[index]
        kind = index % 5
        if kind == 0:
            item["score"] = "1" if item["score"] != "1" else "2"
        elif kind == 1:
            item["responded_at"] = "2026-10-01T12:00:00"
        elif kind == 2:
            item["channel"] = "email" if item["channel"] != "email" else "chat"
        elif kind == 3:
            item["comment"] = item["comment"] + " (edited)"
        else:
            item["team"] = "" if item["team"] else f"{item['location']}-TELLER"
    changed += mixed_rows(310, seed=11)[300:]
    for n, item in enumerate(changed[300:], start=301):
        item["external_id"] = f"R-{n:05d}"

    third = via_api(ada, csv_bytes(changed))
    assert third.counts == {"created": 10, "updated": 25, "unchanged": 275, "rejected": 0}
    assert SurveyResponse.objects.count() == 310
    assert_rollup_is_a_recount()


def xlsx_bytes(items: list[dict], header=HEADER) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for item in items:
        values = [item.get(name, "") for name in header]
        values[header.index("score")] = int(item["score"])  # numbers, as Excel keeps them
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_files_import_like_csv(via_api, ada, org):
    items = mixed_rows(50)

    outcome = via_api(ada, xlsx_bytes(items), name="responses.xlsx")
    again = via_api(ada, csv_bytes(items), name="same-as-csv.csv")

    assert outcome.counts["created"] == 50
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 50, "rejected": 0}
    assert_rollup_is_a_recount()


def test_xlsx_bad_rows_are_named_by_their_row_number(via_api, ada, org):
    items = [row(1), row(2, score=6), row(3)]

    outcome = via_api(ada, xlsx_bytes(items), name="responses.xlsx")

    assert outcome.errors == [
        (
            3,
            "score",
            RowError(
                3, "score", "out_of_range", {"metric": "CSAT", "low": 1, "high": 5, "value": 6}
            ).message,
        )
    ]


def test_a_damaged_or_old_excel_file_is_named_as_such(via_api, ada, org):
    broken = via_api(ada, b"PK\x03\x04 this is no workbook", name="broken.xlsx")
    old = via_api(ada, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="old.xls")

    assert [e[2] for e in broken.errors] == [RowError(None, "", "bad_xlsx").message]
    assert [e[2] for e in old.errors] == [RowError(None, "", "old_xls").message]


# --- the bulk JSON API ----------------------------------------------------------------------
def json_rows(items: list[dict]) -> list[dict]:
    out = []
    for item in items:
        obj = {key: value for key, value in item.items() if value != ""}
        obj["score"] = int(obj["score"])
        out.append(obj)
    return out


def test_the_json_api_writes_one_object_or_a_list_idempotently(api, mona, org):
    client = api(mona)
    items = json_rows(rows(20))

    one = client.post(RESPONSES, items[0], format="json")
    many = client.post(RESPONSES, items, format="json")
    again = client.post(RESPONSES, items, format="json")

    assert one.status_code == 201
    assert one.json() == {
        "created": 1, "updated": 0, "unchanged": 0, "rejected": 0, "error_count": 0,
        "errors": [], "dry_run": False,
    }  # fmt: skip
    assert many.status_code == 201
    assert (many.json()["created"], many.json()["unchanged"]) == (19, 1)
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 20)
    assert_rollup_is_a_recount()


def test_json_errors_name_the_list_position_and_refuse_the_whole_list(api, mona, org):
    items = json_rows(rows(3))
    items[1]["score"] = 9
    items[2]["colour"] = "red"
    items.append("not an object")

    response = api(mona).post(RESPONSES, items, format="json")

    assert response.status_code == 400
    body = response.json()
    assert [(e["line"], e["column"]) for e in body["errors"]] == [
        (2, "score"),
        (3, "colour"),
        (4, None),
    ]
    assert body["rejected"] == 3
    assert SurveyResponse.objects.count() == 0


def test_json_skip_and_dry_run(api, mona, org):
    items = json_rows(rows(3))
    items[0]["location"] = "JED-01"  # outside mona's scope

    dry = api(mona).post(f"{RESPONSES}?on_error=skip&dry_run=true", items, format="json")
    real = api(mona).post(f"{RESPONSES}?on_error=skip", items, format="json")

    assert dry.status_code == 200
    assert (dry.json()["created"], dry.json()["rejected"], dry.json()["dry_run"]) == (2, 1, True)
    assert real.status_code == 201
    assert (real.json()["created"], real.json()["rejected"]) == (2, 1)
    assert SurveyResponse.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param("just text", "non_field_errors", id="not an object or a list"),
        pytest.param([], None, id="empty list"),
    ],
)
def test_json_that_is_no_list_of_responses_is_refused(api, mona, org, body, field):
    response = api(mona).post(RESPONSES, body, format="json")

    assert response.status_code == 400
    if field:
        assert field in response.json()
    else:
        assert response.json()["errors"][0]["message"] == RowError(None, "", "no_items").message


def test_more_than_ten_thousand_objects_are_refused(api, mona, org):
    response = api(mona).post(RESPONSES, [{}] * 10_001, format="json")

    assert response.status_code == 400
    assert "10,000" in response.json()["non_field_errors"][0]


# --- deletes and the export -----------------------------------------------------------------
def test_deleting_responses_takes_them_out_of_the_rollup(via_api, ada, mona, org):
    via_api(ada, csv_bytes(mixed_rows(120)))
    in_riyadh = SurveyResponse.objects.filter(location__code="RUH-01").count()

    deleted = survey_responses_delete(by=mona, queryset=SurveyResponse.objects.all())

    # mona manages RUH-01 only: JED-01's responses stay.
    assert deleted == in_riyadh > 0
    assert set(SurveyResponse.objects.values_list("location__code", flat=True)) == {"JED-01"}
    assert_rollup_is_a_recount()


def test_the_export_neutralises_formulas_but_the_data_stays_verbatim(via_api, api, mona, org):
    # (a full-width equals sign reads as one; so does one after an invisible character)
    formulas = [
        '=HYPERLINK("http://evil.example","x")',
        "+1",
        "-2",
        "@SUM(A1)",
        "＝1+1",
        "\u2061=2",
    ]
    via_api(mona, csv_bytes([row(n, comment=text) for n, text in enumerate(formulas, 1)]))

    exported = api(mona).get(RESPONSES, {"format": "csv"})
    workbook = api(mona).get(RESPONSES, {"format": "xlsx"})

    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    comments = sorted(line[10] for line in table[1:])
    assert comments == sorted("'" + f for f in formulas)
    cells = [
        r[10]
        for r in load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert sorted(cells) == sorted("'" + f for f in formulas)
    assert sorted(SurveyResponse.objects.values_list("comment", flat=True)) == sorted(formulas)


def test_comments_are_cleaned_of_control_and_bidi_characters_like_all_user_text(via_api, mona, org):
    via_api(mona, csv_bytes([row(1, comment="\tfine\u202e txt.exe\x1b[31m\r\nsecond line ")]))

    assert SurveyResponse.objects.get().comment == "fine txt.exe[31m\nsecond line"


def test_the_csv_columns_are_the_documented_ones():
    assert list(COLUMNS) == HEADER


# --- the job's record -----------------------------------------------------------------------
def test_a_job_records_its_file_and_options_and_keeps_the_first_thousand_errors(via_api, mona, org):
    import hashlib

    from feedback.models import SurveyImport

    # 1,200 bad rows (scores out of range), then a duplicate of the first good row near the
    # top: its error is found later (in SQL), yet it is kept in line order
    items = [row(1), row(2), row(1)] + [row(n, score=9) for n in range(3, 1203)]
    data = csv_bytes(items)

    outcome = via_api(mona, data, name="Riyadh March.csv", source="ivr", on_error="skip")

    job = SurveyImport.objects.get(pk=outcome.raw["id"])
    assert (job.created_by, job.file_name, job.file_size) == (mona, "Riyadh March.csv", len(data))
    assert job.sha256 == hashlib.sha256(data).hexdigest()
    assert (job.source, job.encoding, job.on_error, job.dry_run) == ("ivr", "utf-8", "skip", False)
    assert (job.status, job.total_rows, job.processed_rows) == ("succeeded", 1203, 1203)
    assert (job.created, job.rejected, job.error_count) == (2, 1201, 1201)
    assert len(job.errors) == len(outcome.errors) == 1000
    assert [line for line, _column, _message in outcome.errors] == list(range(4, 1004))
    assert outcome.errors[0][1] == "external_id"
    assert outcome.raw["error_count"] == 1201
    assert not job.file  # the upload is not kept once the job has ended
