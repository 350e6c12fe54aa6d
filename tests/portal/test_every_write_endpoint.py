"""Issue 6.5: one parser list for every view — a body nested too deeply is a 400 on every
write endpoint the schema lists, never a RecursionError (500)."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.feedback.conftest import INSIGHTS, insight_payload

pytestmark = pytest.mark.django_db

DEEP = "[" * 950 + "]" * 950
WRITES = ("post", "put", "patch", "delete")


def write_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITES
    )


def _fill(path: str, values: dict[str, str]) -> str:
    def value(match):
        name = match.group(1)
        resource = path.split("/")[3]
        key = f"{resource}:{name}"
        if key not in values:
            pytest.fail(f"no test object for {{{name}}} in {path}: add one to PLACEHOLDERS")
        return values[key]

    return re.sub(r"\{(\w+)\}", value, path)


@pytest.fixture
def placeholders(api, alice, ada) -> dict[str, str]:
    insight = api(alice).post(INSIGHTS, insight_payload(), format="json").json()
    return {
        "insights:id": str(insight["id"]),
        "users:id": str(ada.pk),
        "regions:code": "RUH",
        "locations:code": "RUH-01",
        "teams:code": "RUH-01-TELLER",
        "departments:code": "CS",
        "channels:code": "email",
        "categories:code": "other",
    }


def test_every_write_endpoint_refuses_a_body_nested_too_deeply(api, ada, placeholders):
    refused = []
    for path, method in write_operations():
        url = _fill(path, placeholders)
        response = getattr(api(ada), method)(url, DEEP, content_type="application/json")
        assert response.status_code < 500, (method, path, response.status_code)
        if response.status_code == 400:
            refused.append((method, path))
    # the ones that read a body said why
    assert ("post", "/api/v1/insights/") in refused
    assert ("post", "/api/v1/insights/{id}/transition/") in refused
    assert ("post", "/api/v1/insights/{id}/comments/") in refused
    assert ("patch", "/api/v1/insights/{id}/") in refused
    assert len(refused) >= 15, refused
