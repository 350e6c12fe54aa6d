"""The OpenAPI 3 schema is valid and complete; the docs load nothing from another host."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver
from openapi_spec_validator import validate

from portal.api import urls as portal_api_urls
from tests.html import fetched_urls, foreign_urls

# What portal/api/urls.py serves, and the methods of each path.
PORTAL_PATHS = {
    "/api/v1/auth/token/": {"post", "delete"},
    "/api/v1/me/": {"get", "patch"},
    "/api/v1/users/": {"get", "post"},
    "/api/v1/users/{id}/": {"get", "patch"},
    **{
        path: methods
        for resource in ["regions", "locations", "teams", "departments", "channels"]
        for path, methods in {
            f"/api/v1/{resource}/": {"get", "post"},
            f"/api/v1/{resource}/{{code}}/": {"get", "put", "patch", "delete"},
        }.items()
    },
}
WRITES = {"post", "put", "patch"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    # Generating the schema takes a while and reads nothing: once for the module.
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _json_schema(schema: dict, holder: dict) -> dict:
    """The resolved JSON schema of a request body or a response."""
    return _resolve(schema, holder["content"]["application/json"]["schema"])


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].removeprefix("#/components/schemas/")
        node = schema["components"]["schemas"][name]
    return node


def _route_templates(patterns, prefix="") -> set[str]:
    """The paths a URLconf serves, with every parameter written as ``{}``."""
    found = set()
    for pattern in patterns:
        regex = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            found |= _route_templates(pattern.url_patterns, regex)
        elif isinstance(pattern, URLPattern) and "format" not in pattern.pattern.regex.groupindex:
            found.add(re.sub(r"\(\?P<\w+>[^)]*\)|<[^>]+>", "{}", regex))
    return found


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")

    validate(schema)


def test_schema_is_served_as_json_by_accept_header(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Frontline Voice API"


def test_schema_lists_every_route_of_the_portal_api(schema):
    served = {"/api/v1/" + route for route in _route_templates(portal_api_urls.urlpatterns)}
    documented = {re.sub(r"\{\w+\}", "{}", path) for path in schema["paths"]}

    assert served, "the URLconf could not be read"
    assert served <= documented, served - documented


@pytest.mark.parametrize("path", list(PORTAL_PATHS))
def test_schema_describes_each_portal_path_with_its_methods(schema, path):
    operations = schema["paths"][path]

    assert set(operations) & HTTP_METHODS == PORTAL_PATHS[path]


@pytest.mark.parametrize("path", list(PORTAL_PATHS))
def test_portal_writes_have_request_bodies_and_every_answer_a_schema(schema, path):
    for method, operation in schema["paths"][path].items():
        if method not in HTTP_METHODS:
            continue
        if method in WRITES:
            body = operation.get("requestBody")
            assert body, f"{method.upper()} {path} has no request body"
            assert _json_schema(schema, body)["properties"], f"{method.upper()} {path}"
        successes = {code: r for code, r in operation["responses"].items() if code < "300"}
        assert successes, f"{method.upper()} {path} documents no success"
        for code, response in successes.items():
            if code == "204":
                continue
            assert _json_schema(schema, response), f"{method.upper()} {path} {code}"


def test_every_operation_in_the_schema_documents_a_response(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in HTTP_METHODS:
                assert operation["responses"], f"{method.upper()} {path}"


def test_schema_describes_the_token_exchange(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    request = _json_schema(schema, operation["requestBody"])
    response = _json_schema(schema, operation["responses"]["200"])

    assert set(request["required"]) == {"username", "password"}
    assert response["properties"]["token"]["type"] == "string"


def test_schema_writes_related_objects_by_code(schema):
    request = _json_schema(schema, schema["paths"]["/api/v1/users/"]["post"]["requestBody"])
    properties = request["properties"]

    assert properties["team"]["type"] == "string"
    assert properties["managed_locations"]["items"]["type"] == "string"
    assert properties["password"]["writeOnly"] is True
    roles = _resolve(schema, properties["roles"]["items"])
    assert set(roles["enum"]) == {"frontline", "trainer", "manager", "admin"}
    assert {"username", "display_name"} <= set(request["required"])


def test_schema_says_how_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]

    assert {"tokenAuth", "cookieAuth"} <= set(schemes)
    assert schema["paths"]["/api/v1/me/"]["get"]["security"]


def test_api_docs_load_only_same_origin_assets(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = fetched_urls(html)
    assert any("swagger-ui-bundle" in url for url in assets)
    assert foreign_urls(html) == []
    assert "http://" not in html
    assert "https://" not in html
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        if hasattr(asset, "streaming_content"):
            b"".join(asset.streaming_content)
