"""Issue 6.5: one parser list for every view — a body nested too deeply is a 400 on every
write endpoint the schema lists, never a RecursionError (500)."""

import datetime
import re

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from tests.feedback.conftest import INSIGHTS, insight_payload
from tests.training.conftest import QUESTIONS, publish
from training import services as training
from training.models import Assignment

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
def placeholders(api, org, alice, ada, tariq) -> dict[str, str]:
    insight = api(alice).post(INSIGHTS, insight_payload(), format="json").json()
    standard = training.standard_create(
        by=tariq, code="STD-T", title_en="T", title_ar="ت", department=org.department
    )
    publish(standard, tariq)
    draft = training.version_create_draft(standard=standard, by=tariq, text_en="v2", text_ar="٢")
    module = training.module_create(
        by=tariq,
        code="MOD-T",
        title_en="T",
        title_ar="ت",
        content_en="x",
        content_ar="س",
        standards=[standard],
        pass_mark=80,
        max_attempts=2,
        questions=QUESTIONS,
    )
    due = timezone.localdate() + datetime.timedelta(days=10)
    training.assign(module=module, due_date=due, by=tariq, users=[ada])
    assignment = Assignment.objects.get(user=ada, module=module)
    attempt, _created = training.attempt_start(assignment=assignment, by=ada)
    rule, _assigned = training.rule_create(module=module, by=tariq, team=org.team_jed)
    return {
        "assignment-rules:id": str(rule.pk),
        "assignments:id": str(assignment.pk),
        "attempts:id": str(attempt.pk),
        "modules:code": module.code,
        "standards:code": standard.code,
        "standards:standard_code": standard.code,
        "standards:number": str(draft.number),
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
