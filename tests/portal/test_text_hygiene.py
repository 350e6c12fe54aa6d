"""Issue 6.10: control characters, bidi overrides and edge-invisible characters never
reach the database, whatever the way in; exports neutralise hidden formula triggers."""

import csv
import io

import pytest

from feedback.models import Comment, Insight
from portal.employees import employees_import
from portal.exports import csv_safe
from portal.models import Region, User
from tests.feedback.conftest import INSIGHTS, detail_url, insight_payload

pytestmark = pytest.mark.django_db

DIRTY = [
    ("\x1b[31mRed queue\x1b[0m", "[31mRed queue[0m"),  # ESC sequences lose their ESC
    ("Queue\x00 at noon", "Queue at noon"),
    ("\u202eevil.exe", "evil.exe"),  # right-to-left override
    ("\u2066Queue\u2069 at noon", "Queue at noon"),  # unpaired or not, isolates go
    ("\u200b\ufeffQueue at noon\u200b", "Queue at noon"),
    ("Queue\x85 at\x9b noon", "Queue at noon"),  # C1 controls
    ("طابور\u200c طويل", "طابور\u200c طويل"),  # a joiner inside Arabic text stays
]


@pytest.mark.parametrize(("typed", "stored"), DIRTY)
def test_insight_text_through_the_api_is_cleaned(api, alice, typed, stored):
    response = api(alice).post(
        INSIGHTS, insight_payload(title=typed, pain_point=f"{typed}\r\nLine two"), format="json"
    )

    assert response.status_code == 201, response.content
    insight = Insight.objects.get(pk=response.json()["id"])
    assert insight.title == stored
    assert insight.pain_point == f"{stored}\nLine two"
    assert response.json()["title"] == stored


def test_text_that_is_only_invisible_is_blank(api, alice):
    response = api(alice).post(INSIGHTS, insight_payload(title="\u200b\u202e\x1b"), format="json")

    assert response.status_code == 400
    assert "title" in response.json()
    assert not Insight.objects.exists()


def test_comments_and_pages_are_cleaned_too(api, client, alice, bob):
    insight = api(alice).post(INSIGHTS, insight_payload(), format="json").json()
    api(bob).post(detail_url(insight["id"], "comments"), {"body": "\u202eSame\x07"}, format="json")
    client.force_login(alice)
    client.post(f"/insights/{insight['id']}/comment/", {"body": "\x1b]0;hi\x07Thanks\u2069"})

    assert sorted(Comment.objects.values_list("body", flat=True)) == ["Same", "]0;hiThanks"]


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/v1/me/", {"display_name": "\u202eAda\x1b"}, "display_name"),
        ("/api/v1/regions/R9/", {"name_en": "\u200bNorth\u2066"}, "name_en"),
    ],
)
def test_names_are_cleaned(api, ada, org, path, payload, field):
    Region.objects.create(code="R9", name_en="x", name_ar="س")

    response = api(ada).patch(path, payload, format="json")

    assert response.status_code == 200, response.content
    assert response.json()[field] in ("Ada", "North")


@pytest.mark.parametrize("code", ["\u200bRUH-9", "RUH\u202e-9", "RUH-9\x00", "RUH\u200d9"])
def test_codes_with_invisible_characters_are_refused(api, ada, code):
    response = api(ada).post(
        "/api/v1/regions/", {"code": code, "name_en": "R", "name_ar": "ر"}, format="json"
    )

    assert response.status_code == 400
    assert "code" in response.json()


def test_imported_names_are_cleaned(org):
    data = "username,display_name,team\ncarol,\u202eCarol\x1b[0m,RUH-01-TELLER\n"

    result = employees_import(data=data)

    assert result.errors == []
    assert User.objects.get(username="carol").display_name == "Carol[0m"


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\u200b=1+1", "\ufeff=1+1", "\u202e=1+1",
     "\uff1d1+1", "\u00a0=1", " =1"],
)  # fmt: skip
def test_a_formula_behind_invisible_characters_is_neutralised(value):
    assert csv_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Queue", "طابور", "1-2 weeks", "a=b", 42, -3.5])
def test_other_values_pass_through(value):
    assert csv_safe(value) == value


def test_the_insight_export_neutralises_hidden_formulas(api, client, alice, mona):
    # stored verbatim where the text is legitimate (a leading full-width equals sign)
    api(alice).post(INSIGHTS, insight_payload(title="\uff1dHYPERLINK(1)"), format="json")
    client.force_login(mona)

    response = client.get("/insights/export.csv")

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["Title"] == "'\uff1dHYPERLINK(1)"
