"""Fixtures for the insight tests: payloads, and submitting and moving insights
through the public API, as the people in ``tests/conftest.py``."""

import pytest

INSIGHTS = "/api/v1/insights/"

# A note for every status that needs one; duplicates get their original per call.
DEFAULT_NOTES = {"declined": "Out of scope for this quarter."}


def detail_url(pk: int, action: str = "") -> str:
    return f"{INSIGHTS}{pk}/{action + '/' if action else ''}"


def insight_payload(**overrides) -> dict:
    payload = {
        "title": "Customers wait too long at the teller counter",
        "pain_point": "At lunchtime the queue reaches the door and people leave.",
        "suggested_fix": "Open a second counter between 12:00 and 14:00.",
        "channel": "branch",
        "category": "waiting_time",
        "customer_impact": "high",
        "frequency": "daily",
        "privacy": "named",
    }
    payload.update(overrides)
    return {key: value for key, value in payload.items() if value is not None}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded photos must not land in the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def submit(api, alice):
    """Submit an insight through the API (as alice unless ``by`` is given); its JSON."""

    def _submit(by=None, **fields) -> dict:
        response = api(by or alice).post(INSIGHTS, insight_payload(**fields), format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return _submit


@pytest.fixture
def move(api, mona):
    """Move an insight through the given statuses (as mona unless ``by`` is given)."""

    def _move(pk: int, *statuses: str, by=None, **extra) -> dict:
        data = {}
        for status in statuses:
            body = {"status": status, "note": DEFAULT_NOTES.get(status, ""), **extra}
            response = api(by or mona).post(detail_url(pk, "transition"), body, format="json")
            assert response.status_code == 200, (status, response.content)
            data = response.json()
        return data

    return _move
