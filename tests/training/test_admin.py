"""The training admin: assignments filtered by status, reason, module and team; attempts
are evidence, looked at and never added, changed or deleted, and their copy of the
questions (which holds the answers) is not shown."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.training.conftest import publish, right_answers
from training import services
from training.models import Attempt

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/admin/training/assignment/"


@pytest.fixture
def records(tariq, standard, module, alice, bob, org):
    publish(standard, tariq)
    due = timezone.localdate() + datetime.timedelta(days=7)
    services.assign(module=module, due_date=due, by=tariq, users=[alice])
    services.rule_create(module=module, by=tariq, location=org.jed01)  # bob, by location
    attempt, _created = services.attempt_start(
        assignment=module.assignments.get(user=alice), by=alice
    )
    services.attempt_submit(attempt=attempt, by=alice, answers=right_answers(attempt.pk))
    return attempt


def listed(client, **params) -> list[str]:
    response = client.get(ASSIGNMENTS, params)
    assert response.status_code == 200
    return sorted(
        re.findall(
            r'class="field-user[^"]*"><a href="[^"]+">([^<]+)</a>', response.content.decode()
        )
    )


def test_assignments_are_filtered_by_status_reason_module_and_team(
    client, ada, org, module, records
):
    client.force_login(ada)

    assert listed(client) == ["Alice Anwar", "Bob Badr"]
    assert listed(client, status__exact="passed") == ["Alice Anwar"]
    assert listed(client, status__exact="open") == ["Bob Badr"]
    assert listed(client, reason__exact="location") == ["Bob Badr"]
    assert listed(client, module__id__exact=module.pk) == ["Alice Anwar", "Bob Badr"]
    assert listed(client, user__team__id__exact=org.team_ruh.pk) == ["Alice Anwar"]
    assert listed(client, q="Bob") == ["Bob Badr"]


def test_attempts_are_read_only_in_the_admin_and_hide_the_answers(client, ada, records):
    before = Attempt.objects.filter(pk=records.pk).values().get()
    client.force_login(ada)
    base = f"/admin/training/attempt/{records.pk}"

    page = client.get(f"{base}/change/")
    changed = client.post(f"{base}/change/", {"score": "0", "passed": ""})
    deleted = client.post(f"{base}/delete/", {"post": "yes"})
    added = client.get("/admin/training/attempt/add/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in html and 'name="score"' not in html
    assert "The standard says 10 seconds." not in html and '"correct"' not in html
    assert (changed.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    assert Attempt.objects.filter(pk=records.pk).values().get() == before
