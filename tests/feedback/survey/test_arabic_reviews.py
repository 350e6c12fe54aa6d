"""Real Arabic customer reviews (../shared/datasets/arabic-reviews) as survey comments:
dialect, emoji, line breaks inside quoted fields; in UTF-8 and as Arabic Excel saves
them (windows-1256). Each comes back exactly as written, guessed Arabic, normalised for
matching, and found by the comment search."""

import csv

import pytest

from feedback.models import SurveyResponse
from feedback.survey.errors import RowError
from feedback.text import match_key
from portal.text import clean_text
from tests.datasets import arabic_reviews_dir
from tests.feedback.survey.conftest import RESPONSES, csv_bytes, row

pytestmark = pytest.mark.django_db

REVIEWS = arabic_reviews_dir() / "RES1.csv"


def reviews(count: int, *, encodable_in: str | None = None) -> list[tuple[int, str]]:
    """(polarity, text) of the first ``count`` restaurant reviews (optionally only those
    that an encoding can hold)."""
    with REVIEWS.open(encoding="utf-8", newline="") as handle:
        found = []
        for record in csv.DictReader(handle):
            text = record["text"][:4000]
            if encodable_in:
                try:
                    text.encode(encodable_in)
                except UnicodeEncodeError:
                    continue
            found.append((int(record["polarity"]), text))
            if len(found) == count:
                return found
    raise AssertionError(f"{REVIEWS} has fewer than {count} usable reviews")


def written(text: str) -> str:
    return clean_text(text, multiline=True)


def as_rows(items) -> list[dict]:
    # A restaurant review is a CSAT answer: polarity 1 satisfied (5), -1 not (2).
    return [
        row(n, score=5 if polarity == 1 else 2, comment=text)
        for n, (polarity, text) in enumerate(items, start=1)
    ]


def test_real_arabic_reviews_import_exactly_as_written(via_api, mona, org):
    items = reviews(400)
    multi_line = [text for _p, text in items if "\n" in text]
    assert multi_line, "the sample should hold reviews with line breaks"

    outcome = via_api(mona, csv_bytes(as_rows(items)))

    assert outcome.counts == {"created": 400, "updated": 0, "unchanged": 0, "rejected": 0}
    stored = dict(SurveyResponse.objects.values_list("external_id", "comment"))
    # as written, cleaned like all user text (line ends unified, edges trimmed)
    assert [stored[f"R-{n:05d}"] for n in range(1, 401)] == [written(text) for _p, text in items]
    assert sum("\n" in text for text in stored.values()) == len(multi_line)
    languages = dict(SurveyResponse.objects.values_list("comment", "language"))
    assert {languages[written(text)] for text in multi_line} == {"ar"}
    for response in SurveyResponse.objects.all()[:100]:
        assert response.comment_match == match_key(response.comment)


def test_arabic_excel_files_import_with_their_encoding_and_name_the_line_without(
    via_api, mona, org
):
    items = reviews(200, encodable_in="cp1256")
    data = csv_bytes(as_rows(items), encoding="cp1256")

    without = via_api(mona, data)
    with_encoding = via_api(mona, data, encoding="windows-1256")

    assert without.refused
    first_line = 2
    assert without.errors[0][:2] == (first_line, "comment")
    assert (
        without.errors[0][2] == RowError(2, "comment", "undecodable", {"encoding": "utf-8"}).message
    )
    assert with_encoding.counts["created"] == 200
    stored = dict(SurveyResponse.objects.values_list("external_id", "comment"))
    assert [stored[f"R-{n:05d}"] for n in range(1, 201)] == [written(t) for _p, t in items]


def test_a_bad_row_after_multi_line_reviews_is_named_by_its_real_line(via_api, mona, org):
    items = [item for item in reviews(300) if "\n" in item[1]][:3]
    rows = [*as_rows(items), row(99, score=8)]
    physical_lines = 1 + sum(text.count("\n") + 1 for _p, text in items)

    outcome = via_api(mona, csv_bytes(rows))

    assert [(line, column) for line, column, _m in outcome.errors] == [
        (physical_lines + 1, "score")
    ]


def test_the_comment_search_finds_arabic_in_any_spelling(via_api, api, mona, org):
    items = reviews(300)
    via_api(mona, csv_bytes(as_rows(items)))
    word = next(
        w for _p, text in items for w in text.split() if len(w) > 4 and "ة" in w and w.isalpha()
    )
    spelled_otherwise = word.replace("ة", "ه")  # as people type it

    found = api(mona).get(RESPONSES, {"q": spelled_otherwise, "page_size": 200}).json()

    expected = {f"R-{n:05d}" for n, (_p, text) in enumerate(items, 1) if word in text}
    assert expected
    assert expected <= {r["external_id"] for r in found["results"]}
