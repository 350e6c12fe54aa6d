"""The OpenAPI schema describes every training endpoint: its methods, its request bodies
(related objects by code) and a schema for every answer; and the answers keep its word
(the status documented, the body conforming), in the states schemathesis meets in CI."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.openapi import answer_errors
from tests.portal.test_schema import HTTP_METHODS, _json_schema, _resolve, _route_templates
from tests.training.conftest import ACKS, ASSIGNMENTS, publish, right_answers
from training import services
from training.api import urls as training_api_urls
from training.evidence import EVIDENCE_COLUMNS

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


# --- the answers keep the schema's word -----------------------------------------------------
VERSIONS = "/api/v1/standards/{standard_code}/versions/"
VERSION = VERSIONS + "{number}/"
PUBLISH = VERSION + "publish/"
EVIDENCE = "/api/v1/compliance/evidence/"


def _due() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=10)


def test_an_assignment_the_portal_made_names_no_assigner(schema, api, org, alice, tariq, module):
    # Given a rule that assigns the module to alice's team: the portal assigns, not tariq
    services.rule_create(module=module, by=tariq, team=org.team_ruh)
    assignment = module.assignments.get(user=alice)

    # When alice reads her assignments
    listed = api(alice).get(ASSIGNMENTS)
    one = api(alice).get(f"{ASSIGNMENTS}{assignment.pk}/")

    # Then nobody is named as the assigner, as the schema allows
    assert [a["assigned_by"] for a in listed.json()["results"]] == [None]
    assert one.json()["assigned_by"] is None
    assert answer_errors(schema, "get", ASSIGNMENTS, listed) == []
    assert answer_errors(schema, "get", ASSIGNMENTS + "{id}/", one) == []


def test_an_empty_draft_is_answered_as_documented_and_waits_for_its_text(
    schema, api, tariq, standard
):
    # Given a standard with a published first version
    publish(standard, tariq)
    versions = VERSIONS.format(standard_code=standard.code)

    # When a trainer starts the next version with nothing in it, twice
    draft = api(tariq).post(versions, {}, format="json")
    second = api(tariq).post(versions, {}, format="json")
    listed = api(tariq).get(versions)
    unwritten = api(tariq).post(f"{versions}2/publish/")

    # Then one draft, empty and published by nobody yet, which cannot be published
    # before its text is written
    assert draft.status_code == 201
    body = draft.json()
    assert (body["number"], body["status"], body["text_en"], body["text_ar"]) == (
        2,
        "draft",
        "",
        "",
    )
    assert (body["created_by"], body["published_by"], body["published_at"]) == ("tariq", None, None)
    assert second.status_code == 409
    assert [v["published_by"] for v in listed.json()] == ["tariq", None]
    assert unwritten.status_code == 400 and "text_en" in unwritten.json()
    for method, path, response in [
        ("post", VERSIONS, draft),
        ("post", VERSIONS, second),
        ("get", VERSIONS, listed),
        ("post", PUBLISH, unwritten),
    ]:
        assert answer_errors(schema, method, path, response) == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", VERSION, {"change_notes": "Typo."}),
        ("delete", VERSION, None),
        ("post", PUBLISH, None),
    ],
    ids=["edit", "delete", "publish-again"],
)
def test_a_published_version_refuses_changes_with_a_documented_conflict(
    schema, api, tariq, standard, method, path, body
):
    publish(standard, tariq)

    url = path.format(standard_code=standard.code, number=1)
    response = getattr(api(tariq), method)(url, body, format="json")

    assert response.status_code == 409 and response.json()["detail"]
    assert answer_errors(schema, method, path, response) == []


def test_each_step_of_a_quiz_answers_a_documented_status(schema, api, alice, tariq, module):
    # Given a module assigned to alice
    publish(module.standards.get(), tariq)
    services.assign(module=module, due_date=_due(), by=tariq, users=[alice])
    start = f"{ASSIGNMENTS}{module.assignments.get(user=alice).pk}/attempts/"

    # When she starts, starts again, submits, submits again and starts after passing
    started = api(alice).post(start)
    resumed = api(alice).post(start)
    submit = f"/api/v1/attempts/{started.json()['id']}/submit/"
    answers = {"answers": right_answers(started.json()["id"])}
    submitted = api(alice).post(submit, answers, format="json")
    again = api(alice).post(submit, answers, format="json")
    after_passing = api(alice).post(start)

    # Then: created, resumed, scored, and two conflicts, each as the schema says
    assert [r.status_code for r in (started, resumed, submitted, again, after_passing)] == [
        201,
        200,
        200,
        409,
        409,
    ]
    assert resumed.json()["id"] == started.json()["id"]
    assert submitted.json()["passed"] is True
    for path, response in [
        (ASSIGNMENTS + "{id}/attempts/", started),
        (ASSIGNMENTS + "{id}/attempts/", resumed),
        ("/api/v1/attempts/{id}/submit/", submitted),
        ("/api/v1/attempts/{id}/submit/", again),
        (ASSIGNMENTS + "{id}/attempts/", after_passing),
    ]:
        assert answer_errors(schema, "post", path, response) == []


def test_acknowledging_again_answers_the_first_acknowledgement(schema, api, alice, tariq, standard):
    publish(standard, tariq)
    body = {"standard": standard.code, "version": 1, "language": "en"}

    first = api(alice).post(ACKS, body, format="json")
    again = api(alice).post(ACKS, body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert answer_errors(schema, "post", ACKS, first) == []
    assert answer_errors(schema, "post", ACKS, again) == []


def test_the_evidence_is_a_list_of_rows_with_null_for_what_is_not_recorded(
    schema, api, alice, bob, tariq, standard, module
):
    # Given alice passed the module and acknowledged the standard; bob only acknowledged
    publish(standard, tariq)
    services.assign(module=module, due_date=_due(), by=tariq, users=[alice])
    attempt, _created = services.attempt_start(
        assignment=module.assignments.get(user=alice), by=alice
    )
    services.attempt_submit(attempt=attempt, by=alice, answers=right_answers(attempt.pk))
    for person in (alice, bob):
        services.acknowledge(user=person, standard=standard, version_number=1, language="en")

    # When a trainer reads the evidence as JSON and as CSV
    response = api(tariq).get(EVIDENCE)
    table = api(tariq).get(EVIDENCE, {"format": "csv"})

    # Then one row each, typed as documented, bob's pass null (an empty cell in CSV)
    alices, bobs = response.json()
    assert (alices["version"], alices["score"], alices["module_revision"]) == (1, 100.0, 1)
    assert {name: bobs[name] for name in ("passed_at", "score", "module", "module_revision")} == {
        "passed_at": None,
        "score": None,
        "module": None,
        "module_revision": None,
    }
    assert answer_errors(schema, "get", EVIDENCE, response) == []
    lines = b"".join(table.streaming_content).decode().splitlines()
    assert lines[2].startswith("bob,") and lines[2].endswith(",,,,")


def test_the_evidence_rows_have_the_export_columns(schema):
    row = _resolve(schema, schema["paths"][EVIDENCE]["get"]["responses"]["200"])
    items = row["content"]["application/json"]["schema"]

    assert items["type"] == "array"
    assert list(_resolve(schema, items["items"])["properties"]) == [
        name for name, _header in EVIDENCE_COLUMNS
    ]
