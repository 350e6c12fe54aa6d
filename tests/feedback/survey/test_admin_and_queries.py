"""The survey admin writes through the services (the rollup stays a recount, the scope
holds), and every survey list reads a constant number of queries as data grows."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import SurveyImport, SurveyResponse
from feedback.survey.importing import survey_import_rows
from tests.feedback.survey.conftest import IMPORTS, RESPONSES, assert_rollup_is_a_recount, row, rows

pytestmark = pytest.mark.django_db

ADMIN = "/admin/feedback/surveyresponse/"


def admin_form(**overrides) -> dict:
    data = {
        "source": "admin",
        "external_id": "A-1",
        "metric": "csat",
        "score": "2",
        "responded_at_0": "2026-03-01",
        "responded_at_1": "10:00:00",
        "channel": "",
        "location": "",
        "team": "",
        "category": "",
        "comment": "Added by hand",
        "language": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def ids():
    from feedback.models import Category
    from portal.models import Channel, Location

    return {
        "branch": str(Channel.objects.get(code="branch").pk),
        "RUH-01": str(Location.objects.get(code="RUH-01").pk),
        "JED-01": str(Location.objects.get(code="JED-01").pk),
        "billing": str(Category.objects.get(code="billing").pk),
    }


def test_adding_changing_and_deleting_in_the_admin_keeps_the_rollup_a_recount(
    client, mona, org, ids
):
    client.force_login(mona)
    survey_import_rows(rows=rows(5))

    added = client.post(f"{ADMIN}add/", admin_form(channel=ids["branch"], location=ids["RUH-01"]))
    assert added.status_code == 302, added.content.decode()[:3000]
    response = SurveyResponse.objects.get(source="admin")
    assert (response.score, response.language, response.comment_match) == (2, "en", "added by hand")
    assert_rollup_is_a_recount()

    changed = client.post(
        f"{ADMIN}{response.pk}/change/",
        admin_form(
            score="5", channel=ids["branch"], location=ids["RUH-01"], category=ids["billing"]
        ),
    )
    assert changed.status_code == 302
    response.refresh_from_db()
    assert (response.score, response.category.code) == (5, "billing")
    assert_rollup_is_a_recount()

    others = list(SurveyResponse.objects.exclude(pk=response.pk).values_list("pk", flat=True)[:2])
    deleted = client.post(
        ADMIN,
        {"action": "delete_selected", "_selected_action": [response.pk, *others], "post": "yes"},
    )
    assert deleted.status_code == 302
    assert SurveyResponse.objects.count() == 3
    assert_rollup_is_a_recount()


def test_the_admin_refuses_what_an_import_would_refuse_next_to_the_field(client, mona, org, ids):
    client.force_login(mona)

    outside = client.post(f"{ADMIN}add/", admin_form(channel=ids["branch"], location=ids["JED-01"]))
    future = client.post(
        f"{ADMIN}add/",
        admin_form(channel=ids["branch"], location=ids["RUH-01"], responded_at_0="2999-01-01"),
    )
    too_high = client.post(
        f"{ADMIN}add/", admin_form(channel=ids["branch"], location=ids["RUH-01"], score="6")
    )

    assert "outside the locations you manage" in outside.content.decode()
    assert "This time is in the future." in future.content.decode()
    assert "A CSAT score is a whole number from 1 to 5, not 6." in too_high.content.decode()
    assert not SurveyResponse.objects.exists()


# --- query counts ---------------------------------------------------------------------------
def add_responses(count: int, start: int) -> None:
    items = []
    for n in range(start, start + count):
        location = "RUH-01" if n % 2 else "JED-01"
        items.append(
            row(n, location=location, team=f"{location}-TELLER" if n % 3 else "",
                category="billing" if n % 4 else "", comment=f"comment {n}")
        )  # fmt: skip
    survey_import_rows(rows=items)


def add_jobs(count: int, user) -> None:
    SurveyImport.objects.bulk_create(
        SurveyImport(created_by=user, file_name=f"file-{n}.csv", status="succeeded",
                     errors=[{"line": 2, "column": "score", "code": "required", "params": {}}],
                     error_count=1)
        for n in range(count)
    )  # fmt: skip


def queries(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "what",
    [
        "api responses",
        "api responses csv",
        "api imports",
        "api import",
        "page responses",
        "page imports",
        "page import",
        "admin responses",
        "admin imports",
    ],
)
def test_survey_lists_read_the_same_number_of_queries_at_two_sizes(api, client, ada, org, what):
    # ada sees everything: every row of every list is hers to read.
    client.force_login(ada)
    fetchers = {
        "api responses": lambda: api(ada).get(RESPONSES, {"page_size": 200}),
        "api responses csv": lambda: api(ada).get(RESPONSES, {"format": "csv"}),
        "api imports": lambda: api(ada).get(IMPORTS),
        "api import": lambda: api(ada).get(f"{IMPORTS}{SurveyImport.objects.first().pk}/"),
        "page responses": lambda: client.get("/survey/"),
        "page imports": lambda: client.get("/survey/imports/"),
        "page import": lambda: client.get(f"/survey/imports/{SurveyImport.objects.first().pk}/"),
        "admin responses": lambda: client.get("/admin/feedback/surveyresponse/"),
        "admin imports": lambda: client.get("/admin/feedback/surveyimport/"),
    }
    add_responses(6, start=1)
    add_jobs(3, ada)
    small = queries(fetchers[what])

    add_responses(60, start=100)
    add_jobs(30, ada)
    large = queries(fetchers[what])

    # The lists read: the session and user (pages), the count and one page of rows with
    # their channel, location, team and category joined in; nothing per row.
    assert small == large, (what, small, large)


def test_an_import_job_page_shows_its_errors_a_page_at_a_time(
    api, client, mona, org, django_capture_on_commit_callbacks
):
    from tests.feedback.survey.conftest import csv_bytes

    data = csv_bytes([row(n, score=9) for n in range(1, 251)])
    file = io.BytesIO(data)
    file.name = "bad.csv"
    with django_capture_on_commit_callbacks(execute=True):
        pk = api(mona).post(IMPORTS, {"file": file}, format="multipart").json()["id"]

    first = api(mona).get(f"{IMPORTS}{pk}/")
    third = api(mona).get(f"{IMPORTS}{pk}/", {"page": 3})
    client.force_login(mona)
    page_two = client.get(f"/survey/imports/{pk}/", {"page": 2}).content.decode()
    csv_file = b"".join(client.get(f"/survey/imports/{pk}/errors.csv").streaming_content)

    assert first.json()["error_count"] == 250
    assert [e["line"] for e in first.json()["errors"]] == list(range(2, 102))
    assert 'rel="next"' in first["Link"]
    assert [e["line"] for e in third.json()["errors"]] == list(range(202, 252))
    assert "<td>102</td>" in page_two and "<td>101</td>" not in page_two
    assert csv_file.decode("utf-8-sig").count("\r\n") == 251


# --- lists, filters and search --------------------------------------------------------------
def admin_rows(html: str) -> set[str]:
    return set(re.findall(r'class="field-external_id"><a href="[^"]+">([^<]+)</a>', html))


def test_the_admin_filters_responses_and_searches_ids_and_comments(client, ada, org, ids):
    survey_import_rows(
        rows=[
            row(1, metric="csat", channel="branch", location="RUH-01", source="qualtrics",
                comment="Long queue at the door"),
            row(2, metric="nps", score=9, channel="phone", location="JED-01", source="ivr"),
            row(3, metric="ces", score=6, channel="branch", location="JED-01", source="ivr",
                comment="الانتظار طويل"),
        ]
    )  # fmt: skip
    client.force_login(ada)

    def shown(**params) -> set[str]:
        response = client.get(ADMIN, params)
        assert response.status_code == 200
        return admin_rows(response.content.decode())

    assert shown() == {"R-00001", "R-00002", "R-00003"}
    assert shown(metric__exact="nps") == {"R-00002"}
    assert shown(channel__id__exact=ids["branch"]) == {"R-00001", "R-00003"}
    assert shown(location__id__exact=ids["JED-01"]) == {"R-00002", "R-00003"}
    assert shown(source__exact="ivr") == {"R-00002", "R-00003"}
    assert shown(q="R-00002") == {"R-00002"}
    assert shown(q="queue") == {"R-00001"}
    assert shown(q="طويل") == {"R-00003"}


def test_imports_are_read_only_in_the_admin(client, ada, org):
    job = SurveyImport.objects.create(created_by=ada, file_name="done.csv", status="succeeded")
    client.force_login(ada)
    base = f"/admin/feedback/surveyimport/{job.pk}"

    page = client.get(f"{base}/change/")
    changed = client.post(f"{base}/change/", {"file_name": "other.csv", "status": "failed"})
    deleted = client.post(f"{base}/delete/", {"post": "yes"})

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert client.get("/admin/feedback/surveyimport/add/").status_code == 403
    job.refresh_from_db()
    assert (job.file_name, job.status) == ("done.csv", "succeeded")
