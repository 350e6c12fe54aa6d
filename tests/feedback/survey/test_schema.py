"""The OpenAPI schema describes the survey endpoints as they behave."""

import pytest
from django.test import Client

from tests.feedback.survey.conftest import RESPONSES, row
from tests.openapi import answer_errors

JOB_FIELDS = {
    "id", "status", "file_name", "total_rows", "processed_rows", "created", "updated",
    "unchanged", "rejected", "error_count", "errors", "dry_run", "on_error", "created_at",
    "finished_at",
}  # fmt: skip


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return Client().get("/api/schema/", {"format": "json"}).json()


def component(schema: dict, ref: dict) -> dict:
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


def test_the_survey_paths_and_their_methods(schema):
    paths = schema["paths"]

    assert {"get", "post"} <= set(paths["/api/v1/survey-responses/"])
    assert {"get", "post"} <= set(paths["/api/v1/survey-imports/"])
    assert "get" in paths["/api/v1/survey-imports/{id}/"]
    assert "delete" not in paths["/api/v1/survey-responses/"]


def test_a_job_has_exactly_the_documented_fields(schema):
    job = schema["components"]["schemas"]["SurveyImport"]
    error = component(schema, job["properties"]["errors"]["items"])

    assert set(job["properties"]) == JOB_FIELDS
    assert set(error["properties"]) == {"line", "column", "message"}


def test_responses_name_related_objects_by_code_and_the_write_takes_one_or_many(schema):
    response = schema["components"]["schemas"]["SurveyResponse"]
    post = schema["paths"]["/api/v1/survey-responses/"]["post"]
    body = component(schema, post["requestBody"]["content"]["application/json"]["schema"])

    for name in ("channel", "location", "team", "category"):
        assert response["properties"][name]["type"] == "string"
    assert [list(option) for option in body["oneOf"]] == [["$ref"], ["type", "items"]]
    assert {"201", "200", "400"} <= set(post["responses"])
    upload = schema["paths"]["/api/v1/survey-imports/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert "202" in upload["responses"]


def test_a_response_in_no_known_language_is_listed_as_documented(schema, api, mona):
    # Given a response with no language and no comment to guess it from
    written = api(mona).post(RESPONSES, row(1, comment="", language=""), format="json")
    assert written.status_code == 201, written.content

    # When a manager lists the responses
    listed = api(mona).get(RESPONSES)

    # Then its language is empty, which the schema allows
    assert [r["language"] for r in listed.json()["results"]] == [""]
    assert answer_errors(schema, "get", RESPONSES, listed) == []
