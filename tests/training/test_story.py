"""Acceptance 1: the whole story, through the API and the pages.

publish v1 → assign a team (twice: the second run creates nothing) → a member fails,
fails, is refused a third attempt → another passes and acknowledges → compliant → a
minor v2 keeps them compliant → a major v3 makes them due, assigns the module with
reason revision, and leaves every earlier attempt and acknowledgement unchanged.
"""

import re

import pytest

from tests.factories import make_user
from tests.training.conftest import (
    ACKS,
    ASSIGNMENTS,
    COMPLIANCE,
    MODULES,
    QUESTIONS,
    STANDARDS,
    TEXT_AR,
    TEXT_EN,
    in_days,
    right_answers,
    wrong_answers,
)
from training.models import Acknowledgement, Assignment, Attempt, AttemptStandard

pytestmark = pytest.mark.django_db


def statuses(api, viewer, standard="STD-GREET-01") -> dict[str, str]:
    """Each person's status with the standard, from the compliance API."""
    response = api(viewer).get(COMPLIANCE, {"by": "person", "standard": standard})
    assert response.status_code == 200, response.content
    result = {}
    for row in response.json()["rows"]:
        [status] = [s for s in ("compliant", "due", "overdue", "expired", "not_assigned") if row[s]]
        result[row["key"]] = status
    return result


def publish_version(api, tariq, change: str, text_en=TEXT_EN, text_ar=TEXT_AR) -> dict:
    versions = f"{STANDARDS}STD-GREET-01/versions/"
    draft = api(tariq).post(
        versions,
        {"text_en": text_en, "text_ar": text_ar, "change": change, "change_notes": change},
        format="json",
    )
    assert draft.status_code == 201, draft.content
    number = draft.json()["number"]
    published = api(tariq).post(f"{versions}{number}/publish/")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    return published.json()


def frozen_records() -> tuple[list, list, list]:
    return (
        list(Attempt.objects.order_by("pk").values()),
        list(AttemptStandard.objects.order_by("pk").values()),
        list(Acknowledgement.objects.order_by("pk").values()),
    )


def test_the_whole_training_story(api, client, org, alice, tariq, mona, branch):
    carla = make_user("carla", team=org.team_ruh, display_name="Carla Chahine")
    org.team_ruh.channels.add(branch)

    # Given a trainer who writes a standard and publishes version 1
    created = api(tariq).post(
        STANDARDS,
        {
            "code": "STD-GREET-01",
            "title_en": "Greet and identify",
            "title_ar": "الترحيب والتعريف",
            "channels": ["branch"],
            "department": "CS",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    v1 = publish_version(api, tariq, "major")
    assert (v1["number"], v1["assigned"]) == (1, {"created": 0, "already_open": 0})
    # and a module with a quiz covering it, at most two attempts
    module = api(tariq).post(
        MODULES,
        {
            "code": "MOD-GREET",
            "title_en": "Greeting customers",
            "title_ar": "الترحيب بالعملاء",
            "content_en": "Say your name.",
            "content_ar": "عرّف باسمك.",
            "standards": ["STD-GREET-01"],
            "pass_mark": 80,
            "max_attempts": 2,
            "questions": QUESTIONS,
        },
        format="json",
    )
    assert module.status_code == 201, module.content

    # When the module is assigned to alice's team, twice
    payload = {"module": "MOD-GREET", "due_date": in_days(14), "team": "RUH-01-TELLER"}
    first = api(tariq).post(ASSIGNMENTS, payload, format="json")
    second = api(tariq).post(ASSIGNMENTS, payload, format="json")

    # Then the second run creates nothing: both tellers already have it open
    assert first.status_code == second.status_code == 201
    assert first.json() == {"created": 2, "already_open": 0}
    assert second.json() == {"created": 0, "already_open": 2}
    assert statuses(api, mona) == {"alice": "due", "carla": "due"}

    # When carla fails twice
    [carla_assignment] = api(carla).get(ASSIGNMENTS).json()["results"]
    start = f"{ASSIGNMENTS}{carla_assignment['id']}/attempts/"
    for _attempt in range(2):
        started = api(carla).post(start)
        assert started.status_code == 201, started.content
        attempt_id = started.json()["id"]
        failed = api(carla).post(
            f"/api/v1/attempts/{attempt_id}/submit/",
            {"answers": wrong_answers(attempt_id)},
            format="json",
        )
        assert failed.status_code == 200
        assert (failed.json()["passed"], failed.json()["score"]) == (False, 0.0)

    # Then a third attempt is refused
    refused = api(carla).post(start)
    assert refused.status_code == 409
    assert "no attempts left" in refused.json()["detail"]
    assert Attempt.objects.filter(user=carla).count() == 2

    # When alice takes the module on the pages, passes and acknowledges the standard
    client.force_login(alice)
    home = client.get("/training/").content.decode()
    [alice_assignment] = Assignment.objects.filter(user=alice)
    assert f"/training/assignments/{alice_assignment.pk}/" in home
    player = client.get(f"/training/assignments/{alice_assignment.pk}/")
    assert "Greeting customers" in player.content.decode()
    started = client.post(f"/training/assignments/{alice_assignment.pk}/start/")
    attempt_url = started["Location"]
    attempt_id = int(re.search(r"/attempts/(\d+)/", attempt_url).group(1))
    answers = {
        f"q_{question}": [str(choice) for choice in choices]
        for question, choices in right_answers(attempt_id).items()
    }
    submitted = client.post(f"/training/attempts/{attempt_id}/submit/", answers)
    assert submitted.status_code == 302
    result = client.get(attempt_url).content.decode()
    assert "Your score: 100%" in result
    assert "The standard says 10 seconds." in result
    acknowledged = client.post(
        "/training/standards/STD-GREET-01/acknowledge/", {"version": "1", "language": "en"}
    )
    assert acknowledged.status_code == 302

    # Then alice is compliant; carla, out of attempts, is still due (by her due date)
    assert statuses(api, mona) == {"alice": "compliant", "carla": "due"}
    [ack] = api(alice).get(ACKS).json()["results"]
    assert (ack["standard"], ack["version"], ack["language"]) == ("STD-GREET-01", 1, "en")

    # When a minor version 2 is published
    v2 = publish_version(api, tariq, "minor", text_en=TEXT_EN + "\n\nSmile.")
    before = frozen_records()

    # Then it assigns nobody and alice stays compliant
    assert v2["assigned"] == {"created": 0, "already_open": 0}
    assert statuses(api, mona) == {"alice": "compliant", "carla": "due"}

    # When a major version 3 is published
    v3 = publish_version(api, tariq, "major", text_en=TEXT_EN + "\n\nUse their name.")

    # Then alice is due again, both tellers are assigned the module for the revision
    assert v3["assigned"] == {"created": 2, "already_open": 0}
    assert statuses(api, mona) == {"alice": "due", "carla": "due"}
    revisions = Assignment.objects.filter(reason="revision", status="open")
    assert sorted(revisions.values_list("user__username", flat=True)) == ["alice", "carla"]
    # and every earlier attempt and acknowledgement is exactly as it was
    assert frozen_records() == before
