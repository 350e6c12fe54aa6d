"""Every bad-input case of PRODUCT.md, through the API upload, the import page and the
command: the counts and the errors (line, column, translated reason), and nothing
written when the import is refused."""

import pytest

from feedback.models import SurveyDailyRollup, SurveyResponse
from feedback.survey.errors import RowError
from feedback.survey.readers import COLUMNS
from tests.feedback.survey.conftest import HEADER, assert_rollup_is_a_recount, csv_bytes, row, rows

pytestmark = pytest.mark.django_db

ARABIC = "الموظف كان متعاونا جدا والانتظار قصير"


def counts(created=0, updated=0, unchanged=0, rejected=0) -> dict:
    return {"created": created, "updated": updated, "unchanged": unchanged, "rejected": rejected}


def error(line, column, code, /, **params) -> tuple:
    """An expected error, with its reason in words as the reader gets it."""
    return (line, column, RowError(line, column or "", code, params).message)


EXPECTED_COLUMNS = ", ".join(COLUMNS)

# id: (file, import options, refused, counts, errors)
CASES = {
    "missing column": (
        csv_bytes(rows(2), header=[name for name in HEADER if name != "score"]),
        {},
        True,
        counts(),
        [error(1, "score", "missing_column", name="score")],
    ),
    "unknown column": (
        csv_bytes(rows(2), header=[*HEADER, "colour"]),
        {},
        True,
        counts(),
        [error(1, "colour", "unknown_column", name="colour", expected=EXPECTED_COLUMNS)],
    ),
    "out-of-range scores per metric": (
        csv_bytes(
            [
                row(1, metric="csat", score=6),
                row(2, metric="nps", score=11),
                row(3, metric="ces", score=0),
                row(4, metric="ces", score=8),
                row(5, metric="csat", score=0),
                row(6, metric="nps", score=0),
                row(7, metric="ces", score=7),
            ]
        ),
        {},
        True,
        counts(rejected=5),
        [
            error(2, "score", "out_of_range", metric="CSAT", low=1, high=5, value=6),
            error(3, "score", "out_of_range", metric="NPS", low=0, high=10, value=11),
            error(4, "score", "out_of_range", metric="CES", low=1, high=7, value=0),
            error(5, "score", "out_of_range", metric="CES", low=1, high=7, value=8),
            error(6, "score", "out_of_range", metric="CSAT", low=1, high=5, value=0),
        ],
    ),
    "non-integer scores": (
        csv_bytes([row(1, score="4.5"), row(2, score="four"), row(3, score=""), row(4)]),
        {},
        True,
        counts(rejected=3),
        [
            error(2, "score", "not_integer", value="4.5"),
            error(3, "score", "not_integer", value="four"),
            error(4, "score", "required"),
        ],
    ),
    "unknown metric": (
        csv_bytes([row(1, metric="ces2"), row(2)]),
        {},
        True,
        counts(rejected=1),
        [error(2, "metric", "unknown_metric", value="ces2")],
    ),
    "unknown codes": (
        csv_bytes(
            [
                row(1, channel="fax"),
                row(2, location="NOPE-01"),
                row(3, team="NOPE-TEAM"),
                row(4, category="weather"),
                row(5, team="JED-01-TELLER"),
            ]
        ),
        {},
        True,
        counts(rejected=5),
        [
            error(2, "channel", "unknown_code", what="channel", value="fax"),
            error(3, "location", "unknown_code", what="location", value="NOPE-01"),
            error(4, "team", "unknown_code", what="team", value="NOPE-TEAM"),
            error(5, "category", "unknown_code", what="category", value="weather"),
            error(6, "team", "team_elsewhere", value="JED-01-TELLER", location="RUH-01"),
        ],
    ),
    "bad and future dates": (
        csv_bytes(
            [
                row(1, responded_at="2026-13-01T10:00:00"),
                row(2, responded_at="yesterday"),
                row(3, responded_at="2999-01-01T00:00:00+03:00"),
                row(4, responded_at=""),
                row(5, responded_at="2026-02-01"),
            ]
        ),
        {},
        True,
        counts(rejected=4),
        [
            error(2, "responded_at", "bad_datetime", value="2026-13-01T10:00:00"),
            error(3, "responded_at", "bad_datetime", value="yesterday"),
            error(4, "responded_at", "future"),
            error(5, "responded_at", "required"),
        ],
    ),
    "duplicate source and external id in the file": (
        csv_bytes([row(1), row(2), row(1, score=5)]),
        {},
        True,
        counts(rejected=1),
        [error(4, "external_id", "duplicate_row", line=2)],
    ),
    "undecodable bytes": (
        csv_bytes([row(1)])
        + b'qualtrics,R-00002,csat,4,2026-01-05T10:00:00,branch,RUH-01,,,"caf\xe9 \xff",\r\n',
        {},
        True,
        counts(rejected=1),
        [error(3, "comment", "undecodable", encoding="utf-8")],
    ),
    "windows-1256 without encoding": (
        csv_bytes([row(1, comment=ARABIC), row(2, comment="fine")], encoding="cp1256"),
        {},
        True,
        counts(rejected=1),
        [error(2, "comment", "undecodable", encoding="utf-8")],
    ),
    "windows-1256 with encoding": (
        csv_bytes([row(1, comment=ARABIC), row(2, comment="fine")], encoding="cp1256"),
        {"encoding": "windows-1256"},
        False,
        counts(created=2),
        [],
    ),
    "utf-16": (
        csv_bytes([row(1, comment=ARABIC)], encoding="utf-16"),
        {"encoding": "utf-16"},
        False,
        counts(created=1),
        [],
    ),
    "byte order mark": (
        csv_bytes([row(1, comment=ARABIC), row(2)], bom=True),
        {},
        False,
        counts(created=2),
        [],
    ),
    "quoted newlines keep the line numbers right": (
        csv_bytes([row(1, comment="first line\nsecond line\nthird"), row(2, score=9), row(3)]),
        {},
        True,
        counts(rejected=1),
        [error(5, "score", "out_of_range", metric="CSAT", low=1, high=5, value=9)],
    ),
    "empty file": (b"", {}, True, counts(), [error(None, None, "empty_file")]),
    "header only": (
        csv_bytes([]),
        {},
        True,
        counts(),
        [error(None, None, "no_rows")],
    ),
    "formula-like text is stored": (
        csv_bytes(
            [
                row(1, comment='=HYPERLINK("http://evil.example","click")'),
                row(2, comment="+966 500 000"),
                row(3, comment="-1 star"),
                row(4, comment="@SUM(A1)"),
            ]
        ),
        {},
        False,
        counts(created=4),
        [],
    ),
    "bad rows skipped on request": (
        csv_bytes([row(1), row(2, score=7), row(3), row(2)]),
        {"on_error": "skip"},
        False,
        counts(created=2, rejected=2),
        [
            error(3, "score", "out_of_range", metric="CSAT", low=1, high=5, value=7),
            error(5, "external_id", "duplicate_row", line=3),
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_reported_and_refused_files_write_nothing(importer, mona, org, case):
    data, options, refused, expected_counts, expected_errors = CASES[case]

    outcome = importer(mona, data, **options)

    assert outcome.refused is refused
    assert outcome.counts == expected_counts
    assert outcome.errors == expected_errors
    if refused:
        assert SurveyResponse.objects.count() == 0
        assert SurveyDailyRollup.objects.count() == 0
    else:
        assert SurveyResponse.objects.count() == expected_counts["created"]
        assert_rollup_is_a_recount()


@pytest.mark.parametrize("via", ["via_api", "via_page"])
def test_rows_outside_the_managers_scope_are_bad_rows(request, mona, org, via):
    importer = request.getfixturevalue(via)
    data = csv_bytes([row(1, location="RUH-01"), row(2, location="JED-01")])

    refused = importer(mona, data)
    skipped = importer(mona, data, on_error="skip")

    assert refused.refused is True
    assert refused.errors == [error(3, "location", "out_of_scope", value="JED-01")]
    assert skipped.counts == counts(created=1, rejected=1)
    assert list(SurveyResponse.objects.values_list("location__code", flat=True)) == ["RUH-01"]


def test_a_dry_run_reports_what_an_import_would_do_and_writes_nothing(via_api, mona, org):
    via_api(mona, csv_bytes(rows(3)))
    changed = [row(1, score=5), row(2), row(3), row(4)]

    dry = via_api(mona, csv_bytes(changed), dry_run="true")
    assert dry.counts == counts(created=1, updated=1, unchanged=2)
    assert dry.raw["dry_run"] is True
    assert SurveyResponse.objects.count() == 3
    assert SurveyResponse.objects.get(external_id="R-00001").score == 4

    real = via_api(mona, csv_bytes(changed))
    assert real.counts == dry.counts


def test_a_dry_run_on_the_page_reports_what_an_import_would_do_and_writes_nothing(
    via_page, mona, org
):
    via_page(mona, csv_bytes(rows(3)))
    changed = [row(1, score=5), row(2), row(3), row(4)]

    dry = via_page(mona, csv_bytes(changed), dry_run=True)

    assert dry.counts == counts(created=1, updated=1, unchanged=2)
    assert "Dry run: nothing was written." in dry.raw
    assert SurveyResponse.objects.count() == 3
    assert SurveyResponse.objects.get(external_id="R-00001").score == 4
    assert_rollup_is_a_recount()


def test_the_reasons_are_in_the_readers_language(api, mona, org, via_api):
    job = via_api(mona, csv_bytes([row(1, score=9)])).raw

    arabic = api(mona, language="ar").get(f"/api/v1/survey-imports/{job['id']}/").json()

    assert job["errors"][0]["message"] == ("A CSAT score is a whole number from 1 to 5, not 9.")
    assert arabic["errors"][0]["message"] != job["errors"][0]["message"]
    assert "CSAT" in arabic["errors"][0]["message"]


def test_windows_1256_arabic_is_stored_as_written(via_api, mona, org):
    via_api(mona, csv_bytes([row(1, comment=ARABIC)], encoding="cp1256"), encoding="windows-1256")

    response = SurveyResponse.objects.get()
    assert (response.comment, response.language) == (ARABIC, "ar")


def test_header_names_ignore_case_and_surrounding_spaces(via_api, mona, org):
    header = [f"  {name.upper()} " for name in HEADER]
    data = csv_bytes([], header=header) + csv_bytes(rows(2)).split(b"\r\n", 1)[1]

    outcome = via_api(mona, data)

    assert outcome.counts == counts(created=2)
