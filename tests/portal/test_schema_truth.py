"""Issue 6.9: the OpenAPI schema describes what the API does."""

import json

import pytest
from django.test import Client

from tests.feedback.conftest import INSIGHTS, detail_url, insight_payload

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _component(schema, ref_holder) -> dict:
    node = ref_holder
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_operation_documents_its_errors_with_their_body(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            codes = set(operation["responses"])
            expected = {"400", "401", "403", "404", "405", "429"}
            if "requestBody" in operation:
                expected.add("413")
            assert expected <= codes, (method, path, expected - codes)
            error = operation["responses"]["404"]["content"]["application/json"]["schema"]
            assert _component(schema, error)["required"] == ["detail"]


def test_triage_fields_are_nullable(schema):
    insight = schema["components"]["schemas"]["Insight"]["properties"]

    assert insight["assignee"]["nullable"] is True
    assert insight["owner_department"]["nullable"] is True


def test_history_is_documented_as_the_list_it_returns(schema):
    ok = schema["paths"]["/api/v1/insights/{id}/history/"]["get"]["responses"]["200"]

    assert ok["content"]["application/json"]["schema"]["type"] == "array"
    parameters = schema["paths"]["/api/v1/insights/{id}/history/"]["get"].get("parameters", [])
    assert {p["name"] for p in parameters} == {"id"}


def test_an_insight_cannot_be_deleted_and_the_schema_says_so(schema, api, alice):
    assert "delete" not in schema["paths"]["/api/v1/insights/{id}/"]
    assert "put" not in schema["paths"]["/api/v1/insights/{id}/"]
    pk = api(alice).post(INSIGHTS, insight_payload(), format="json").json()["id"]
    assert api(alice).delete(detail_url(pk)).status_code == 405


def test_a_username_is_read_only_when_patching(schema):
    patched = schema["components"]["schemas"]["PatchedUserUpdateRequest"]["properties"]

    assert "username" not in patched


@pytest.mark.django_db
def test_photo_url_answers_a_token_client(api, alice):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    photo = SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")
    created = api(alice).post(INSIGHTS, {**insight_payload(), "photo": photo}, format="multipart")
    assert created.status_code == 201, created.content
    key = (
        api(None)
        .post(
            "/api/v1/auth/token/",
            {"username": "alice", "password": "correct-horse-battery-9"},
            format="json",
        )
        .json()["token"]
    )
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    served = client.get(created.json()["photo_url"])

    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["comments", "history", "endorse", "follow"])
def test_list_filters_do_not_apply_to_an_insights_own_resources(api, alice, bob, action):
    pk = api(alice).post(INSIGHTS, insight_payload(), format="json").json()["id"]
    api(alice).post(detail_url(pk, "comments"), {"body": "More detail"}, format="json")
    client = api(bob)

    if action in ("comments", "history"):
        response = client.get(detail_url(pk, action) + "?status=accepted&channel=phone")
    else:
        response = client.post(detail_url(pk, action) + "?status=accepted")

    assert response.status_code == 200, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["overdue", "assigned_to_me", "privacy", "owner_department"])
def test_manager_only_filters_are_refused_to_others_as_documented(api, schema, alice, mona, name):
    value = {"privacy": "named", "owner_department": "CS"}.get(name, "true")
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/insights/"]["get"]["parameters"]}
    assert "Managers only" in parameters[name]["description"]

    refused = api(alice).get(f"{INSIGHTS}?{name}={value}")
    allowed = api(mona).get(f"{INSIGHTS}?{name}={value}")

    assert refused.status_code == 400
    assert refused.json() == {name: ["Only managers can filter on this."]}
    assert allowed.status_code == 200


@pytest.mark.django_db
def test_a_body_over_the_limit_is_a_json_413(api, alice, settings):
    body = json.dumps({"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)})

    response = api(alice).post(INSIGHTS, body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than" in response.json()["detail"]
