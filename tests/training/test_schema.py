"""The OpenAPI schema describes every training endpoint: its methods, its request bodies
(related objects by code) and a schema for every answer."""

import re

import pytest
from django.test import Client

from tests.portal.test_schema import HTTP_METHODS, _json_schema, _resolve, _route_templates
from training.api import urls as training_api_urls

PATHS = {
    "/api/v1/standards/": {"get", "post"},
    "/api/v1/standards/{code}/": {"get", "patch"},
    "/api/v1/standards/{standard_code}/versions/": {"get", "post"},
    "/api/v1/standards/{standard_code}/versions/{number}/": {"get", "patch", "delete"},
    "/api/v1/standards/{standard_code}/versions/{number}/publish/": {"post"},
    "/api/v1/standards/{standard_code}/versions/{number}/diff/": {"get"},
    "/api/v1/modules/": {"get", "post"},
    "/api/v1/modules/{code}/": {"get", "patch"},
    "/api/v1/assignments/": {"get", "post"},
    "/api/v1/assignments/{id}/": {"get"},
    "/api/v1/assignments/{id}/attempts/": {"post"},
    "/api/v1/assignment-rules/": {"get", "post"},
    "/api/v1/assignment-rules/{id}/": {"get", "delete"},
    "/api/v1/attempts/": {"get"},
    "/api/v1/attempts/{id}/": {"get"},
    "/api/v1/attempts/{id}/submit/": {"post"},
    "/api/v1/acknowledgements/": {"get", "post"},
    "/api/v1/acknowledgements/{id}/": {"get"},
    "/api/v1/compliance/": {"get"},
    "/api/v1/compliance/evidence/": {"get"},
}
BODIES = {
    ("/api/v1/standards/", "post"): {"code", "title_en", "title_ar", "channels", "department"},
    ("/api/v1/standards/{standard_code}/versions/", "post"): {
        "text_en",
        "text_ar",
        "change_notes",
        "change",
        "effective_date",
        "answers_insights",
    },
    ("/api/v1/modules/", "post"): {
        "code",
        "title_en",
        "title_ar",
        "content_en",
        "content_ar",
        "standards",
        "minutes",
        "pass_mark",
        "max_attempts",
        "recertify_months",
        "questions",
    },
    ("/api/v1/assignments/", "post"): {"module", "due_date", "users", "team", "location", "role"},
    ("/api/v1/assignment-rules/", "post"): {"module", "team", "location", "role", "due_in_days"},
    ("/api/v1/attempts/{id}/submit/", "post"): {"answers"},
    ("/api/v1/acknowledgements/", "post"): {"standard", "version"},
}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_lists_every_training_route(schema):
    served = {"/api/v1/" + route for route in _route_templates(training_api_urls.urlpatterns)}
    documented = {re.sub(r"\{\w+\}", "{}", path) for path in schema["paths"]}

    assert served and served <= documented, served - documented


@pytest.mark.parametrize("path", list(PATHS))
def test_each_training_path_has_its_methods_and_answers(schema, path):
    operations = schema["paths"][path]

    assert set(operations) & HTTP_METHODS == PATHS[path]
    for method, operation in operations.items():
        if method not in HTTP_METHODS:
            continue
        successes = {c: r for c, r in operation["responses"].items() if c < "300"}
        assert successes, f"{method} {path}"
        for code, response in successes.items():
            if code != "204":
                assert "content" in response, f"{method} {path} {code}"


@pytest.mark.parametrize(("path", "method"), list(BODIES))
def test_writes_take_the_documented_fields_related_objects_by_code(schema, path, method):
    body = _json_schema(schema, schema["paths"][path][method]["requestBody"])

    assert BODIES[(path, method)] <= set(body["properties"]), set(body["properties"])
    for name in ("module", "standard", "team", "location", "department"):
        if name in body["properties"]:
            assert _resolve(schema, body["properties"][name])["type"] == "string", name
