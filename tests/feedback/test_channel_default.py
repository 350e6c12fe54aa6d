"""Issue 6.20: a new insight's channel defaults to the channel the author's team serves."""

import re

import pytest

from portal.models import Channel
from tests.feedback.conftest import INSIGHTS, insight_payload

pytestmark = pytest.mark.django_db


def _selected_channel(html: str) -> str | None:
    select = re.search(r'<select name="channel".*?</select>', html, re.S).group(0)
    found = re.search(r'<option value="(\w+)"[^>]*selected', select)
    return found.group(1) if found else None


def test_the_form_starts_on_the_teams_channel(client, alice, org):
    org.team_ruh.channels.set([Channel.objects.get(code="phone")])
    client.force_login(alice)

    assert _selected_channel(client.get("/insights/new/").text) == "phone"


def test_the_form_starts_on_no_channel_when_the_team_serves_none(client, alice):
    client.force_login(alice)

    assert _selected_channel(client.get("/insights/new/").text) is None


def test_the_api_takes_the_teams_one_channel_when_none_is_sent(api, alice, org):
    org.team_ruh.channels.set([Channel.objects.get(code="chat")])

    response = api(alice).post(INSIGHTS, insight_payload(channel=None), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "chat"


@pytest.mark.parametrize("served", [[], ["chat", "email"]], ids=["none", "several"])
def test_the_api_asks_for_the_channel_when_the_team_is_no_guide(api, alice, org, served):
    org.team_ruh.channels.set(Channel.objects.filter(code__in=served))

    response = api(alice).post(INSIGHTS, insight_payload(channel=None), format="json")

    assert response.status_code == 400
    assert response.json() == {"channel": ["This field is required."]}
