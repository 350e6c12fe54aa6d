"""The training API: what it accepts, what it refuses (a clear error naming the field,
never a 500), and what it answers."""

import datetime

import pytest
from django.utils import timezone

from tests.training.conftest import (
    ASSIGNMENTS,
    COMPLIANCE,
    MODULES,
    QUESTIONS,
    STANDARDS,
    in_days,
    publish,
    right_answers,
)
from training import services
from training.models import Attempt, Module

pytestmark = pytest.mark.django_db
VERSIONS = f"{STANDARDS}STD-GREET-01/versions/"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "std-greet-01", "title_en": "x", "title_ar": "س"}, "code"),  # taken, any case
        ({"code": "STD GREET", "title_en": "x", "title_ar": "س"}, "code"),
        ({"code": "STD-X", "title_en": "x", "title_ar": "س", "channels": ["fax"]}, "channels"),
        ({"code": "STD-X", "title_en": "x", "title_ar": "س", "department": "NOPE"}, "department"),
        ({"code": "STD-X", "title_en": "x"}, "title_ar"),
    ],
    ids=["taken", "spaces", "unknown-channel", "unknown-department", "missing-title"],
)
def test_bad_standards_are_refused_naming_the_field(api, tariq, standard, payload, field):
    response = api(tariq).post(STANDARDS, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_the_standards_list_shows_each_current_version(api, alice, tariq, standard):
    publish(standard, tariq)
    publish(standard, tariq, change="minor")
    services.version_create_draft(standard=standard, by=tariq, text_en="next", change="minor")

    [row] = api(alice).get(STANDARDS).json()["results"]

    assert (row["code"], row["current_version"], row["channels"]) == ("STD-GREET-01", 2, ["branch"])
    assert row["department"] == "CS"


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"text_en": "x", "change": "minor"}, 400, "change"),  # the first version is major
        ({"text_en": "x", "change": "huge"}, 400, "change"),
        ({"text_en": "x", "effective_date": "31/12/2026"}, 400, "effective_date"),
        ({"text_en": "x", "answers_insights": [999999]}, 400, "answers_insights"),
        ({"text_en": "x", "answers_insights": ["one"]}, 400, "answers_insights"),
        ({"text_en": "x" * 20_001}, 400, "text_en"),
    ],
    ids=["first-minor", "bad-change", "bad-date", "unknown-insight", "not-an-id", "too-long"],
)
def test_bad_drafts_are_refused_naming_the_field(api, tariq, standard, payload, code, field):
    response = api(tariq).post(VERSIONS, payload, format="json")

    assert response.status_code == code
    assert field in response.json(), response.json()


def test_one_draft_at_a_time_and_publishing_needs_both_languages(api, tariq, standard):
    first = api(tariq).post(VERSIONS, {"text_en": "Greet."}, format="json")
    second = api(tariq).post(VERSIONS, {"text_en": "Again."}, format="json")
    incomplete = api(tariq).post(f"{VERSIONS}1/publish/")

    assert first.status_code == 201 and first.json()["status"] == "draft"
    assert second.status_code == 409
    assert incomplete.status_code == 400 and "text_ar" in incomplete.json()
    api(tariq).patch(f"{VERSIONS}1/", {"text_ar": "رحّب."}, format="json")
    assert api(tariq).post(f"{VERSIONS}1/publish/").status_code == 200


def test_a_version_cannot_take_effect_before_the_one_it_replaces(api, tariq, standard):
    publish(standard, tariq, effective_date=timezone.localdate())
    early = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    draft = api(tariq).post(
        VERSIONS,
        {"text_en": "b", "text_ar": "ب", "change": "minor", "effective_date": early},
        format="json",
    )
    assert draft.status_code == 201

    response = api(tariq).post(f"{VERSIONS}2/publish/")

    assert response.status_code == 400 and "effective_date" in response.json()


def test_the_diff_of_two_versions_side_by_side(api, alice, tariq, standard):
    publish(standard, tariq, text_en="Greet.\nSmile.", text_ar="رحّب.")
    publish(
        standard, tariq, change="minor", text_en="Greet.\nSmile warmly.\nThank.", text_ar="رحّب."
    )

    response = api(alice).get(f"{VERSIONS}2/diff/", {"against": 1})
    bad = api(alice).get(f"{VERSIONS}2/diff/", {"against": "x"})

    assert response.status_code == 200
    assert response.json()["en"] == [
        {"op": "equal", "old": "Greet.", "new": "Greet."},
        {"op": "replace", "old": "Smile.", "new": "Smile warmly."},
        {"op": "replace", "old": None, "new": "Thank."},
    ]
    assert response.json()["ar"] == [{"op": "equal", "old": "رحّب.", "new": "رحّب."}]
    assert bad.status_code == 400 and "against" in bad.json()


# --- modules --------------------------------------------------------------------------------
def _question(**changes):
    question = {**QUESTIONS[0], **changes}
    return question


@pytest.mark.parametrize(
    "question",
    [
        _question(kind="single", choices=[{**c, "correct": True} for c in QUESTIONS[0]["choices"]]),
        _question(choices=[{**c, "correct": False} for c in QUESTIONS[0]["choices"]]),
        _question(choices=QUESTIONS[0]["choices"][:1]),
        _question(text_ar=""),
        _question(choices=[{"text_en": "a", "text_ar": "", "correct": True}] * 2),
    ],
    ids=["two-right-in-single", "none-right", "one-choice", "no-arabic", "choice-no-arabic"],
)
def test_bad_quizzes_are_refused_naming_the_question(api, tariq, standard, question):
    payload = {"code": "MOD-X", "title_en": "X", "title_ar": "س", "questions": [question]}

    response = api(tariq).post(MODULES, payload, format="json")

    assert response.status_code == 400
    assert "questions" in str(response.json())
    assert not Module.objects.filter(code="MOD-X").exists()


def test_editing_a_module_never_changes_a_past_attempt(api, alice, tariq, module):
    services.assign(
        module=module, due_date=datetime.date.fromisoformat(in_days(5)), by=tariq, users=[alice]
    )
    started = api(alice).post(f"{ASSIGNMENTS}{module.assignments.get().pk}/attempts/").json()
    api(alice).post(
        f"/api/v1/attempts/{started['id']}/submit/",
        {"answers": right_answers(started["id"])},
        format="json",
    )
    before = Attempt.objects.filter(pk=started["id"]).values().get()

    # the trainer rewrites the quiz: one question, with other answers
    edited = api(tariq).patch(
        f"{MODULES}MOD-GREET/",
        {"questions": [_question(text_en="Rewritten?")], "pass_mark": 50},
        format="json",
    )

    assert edited.status_code == 200
    assert edited.json()["revision"] == module.revision + 1
    assert [q["text_en"] for q in edited.json()["questions"]] == ["Rewritten?"]
    assert Attempt.objects.filter(pk=started["id"]).values().get() == before
    result = api(alice).get(f"/api/v1/attempts/{started['id']}/").json()
    assert (result["score"], result["passed"], len(result["questions"])) == (100.0, True, 3)


# --- assignments ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"module": "MOD-GREET", "due_date": in_days(5)}, "non_field_errors"),
        (
            {
                "module": "MOD-GREET",
                "due_date": in_days(5),
                "team": "RUH-01-TELLER",
                "role": "trainer",
            },
            "non_field_errors",
        ),
        ({"module": "MOD-GREET", "due_date": in_days(-1), "team": "RUH-01-TELLER"}, "due_date"),
        ({"module": "MOD-GREET", "due_date": in_days(5), "users": ["nobody"]}, "users"),
        ({"module": "MOD-NOPE", "due_date": in_days(5), "team": "RUH-01-TELLER"}, "module"),
        ({"module": "MOD-GREET", "due_date": in_days(5), "role": "wizard"}, "role"),
    ],
    ids=["no-target", "two-targets", "past-due", "unknown-user", "unknown-module", "bad-role"],
)
def test_bad_assignments_are_refused_naming_the_field(api, tariq, module, payload, field):
    response = api(tariq).post(ASSIGNMENTS, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_assigning_people_by_username_and_a_location(api, tariq, module, alice, bob, org):
    by_name = api(tariq).post(
        ASSIGNMENTS,
        {"module": "MOD-GREET", "due_date": in_days(5), "users": ["alice", "bob"]},
        format="json",
    )
    by_place = api(tariq).post(
        ASSIGNMENTS,
        {"module": "MOD-GREET", "due_date": in_days(5), "location": "JED-01"},
        format="json",
    )

    assert by_name.json() == {"created": 2, "already_open": 0}
    assert by_place.json() == {"created": 0, "already_open": 1}
    rows = api(tariq).get(ASSIGNMENTS, {"user": "bob"}).json()["results"]
    assert [(r["module"], r["reason"], r["attempts_left"], r["is_overdue"]) for r in rows] == [
        ("MOD-GREET", "manual", 2, False)
    ]


def test_assigning_a_role_twice_creates_nothing_the_second_time(api, tariq, module, alice, cast):
    payload = {"module": "MOD-GREET", "due_date": in_days(5), "role": "manager"}

    first = api(tariq).post(ASSIGNMENTS, payload, format="json")
    second = api(tariq).post(ASSIGNMENTS, payload, format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == {"created": 2, "already_open": 0}
    assert second.json() == {"created": 0, "already_open": 2}
    assigned = module.assignments.values_list("user__username", "reason", "assigned_by")
    assert sorted(assigned) == [("mona", "role", tariq.pk), ("omar", "role", tariq.pk)]


# --- compliance -----------------------------------------------------------------------------
@pytest.fixture
def history(tariq, standard, module, alice, bob):
    long_ago = timezone.now() - datetime.timedelta(days=40)
    for person in (alice, bob):  # they joined before all this
        person.date_joined = long_ago - datetime.timedelta(days=365)
        person.save(update_fields=["date_joined"])
    publish(standard, tariq, now=long_ago)
    services.assign_people(
        module=module,
        people=[alice, bob],
        due_date=(long_ago + datetime.timedelta(days=10)).date(),
        reason="manual",
        now=long_ago,
    )
    attempt, _created = services.attempt_start(
        assignment=module.assignments.get(user=alice), by=alice, now=long_ago
    )
    services.attempt_submit(
        attempt=attempt, by=alice, answers=right_answers(attempt.pk), now=long_ago
    )
    services.acknowledge(
        user=alice, standard=standard, version_number=1, language="ar", now=long_ago
    )


@pytest.mark.parametrize(
    ("by", "rows"),
    [
        ("person", {"alice": (1, 0, 1), "bob": (0, 1, 1)}),
        ("team", {"RUH-01-TELLER": (1, 0, 1), "JED-01-TELLER": (0, 1, 1)}),
        ("location", {"RUH-01": (1, 0, 1), "JED-01": (0, 1, 1)}),
        ("channel", {"branch": (1, 1, 2)}),
        ("standard", {"STD-GREET-01": (1, 1, 2)}),
    ],
)
def test_compliance_rolls_up_by_each_dimension(api, tariq, history, by, rows):
    response = api(tariq).get(COMPLIANCE, {"by": by})

    assert response.status_code == 200
    got = {r["key"]: (r["compliant"], r["overdue"], r["total"]) for r in response.json()["rows"]}
    assert got == rows
    for row in response.json()["rows"]:
        assert row["share"] == pytest.approx(row["compliant"] / row["total"])
        assert set(row) >= {"key", "label", "due", "expired", "not_assigned"}


def test_compliance_as_of_a_past_date(api, tariq, history):
    before = (timezone.localdate() - datetime.timedelta(days=45)).isoformat()
    after = (timezone.localdate() - datetime.timedelta(days=35)).isoformat()

    nothing = api(tariq).get(COMPLIANCE, {"by": "standard", "as_of": before}).json()
    then = api(tariq).get(COMPLIANCE, {"by": "person", "as_of": after}).json()

    assert nothing["rows"] == []  # the standard was not in force yet
    assert {r["key"]: r["due"] for r in then["rows"]} == {"alice": 0, "bob": 1}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "planet"}, "by"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": in_days(2)}, "as_of"),
        ({"standard": "STD-NOPE"}, "standard"),
    ],
)
def test_bad_compliance_questions_are_refused_naming_the_parameter(api, tariq, params, field):
    response = api(tariq).get(COMPLIANCE, params)

    assert response.status_code == 400
    assert field in response.json()


def test_teams_declare_the_channels_they_serve_and_standards_cover_them(
    api, ada, tariq, alice, org
):
    phone = services.standard_create(
        by=tariq, code="STD-PHONE", title_en="Phone", title_ar="هاتف", channels=[]
    )
    services.standard_update(
        standard=phone, by=tariq, channels=list(phone.channels.model.objects.filter(code="phone"))
    )
    publish(phone, tariq)

    def covered() -> list[str]:
        rows = api(tariq).get(COMPLIANCE, {"by": "person"}).json()["rows"]
        return [r["key"] for r in rows]

    assert covered() == []
    changed = api(ada).patch(
        "/api/v1/teams/RUH-01-TELLER/", {"channels": ["phone", "branch"]}, format="json"
    )
    refused = api(tariq).patch("/api/v1/teams/RUH-01-TELLER/", {"channels": []}, format="json")
    unknown = api(ada).patch("/api/v1/teams/RUH-01-TELLER/", {"channels": ["fax"]}, format="json")

    assert changed.status_code == 200
    assert sorted(changed.json()["channels"]) == ["branch", "phone"]
    assert refused.status_code == 403
    assert unknown.status_code == 400 and "channels" in unknown.json()
    assert api(alice).get("/api/v1/teams/RUH-01-TELLER/").json()["channels"] == ["branch", "phone"]
    assert covered() == ["alice"]
