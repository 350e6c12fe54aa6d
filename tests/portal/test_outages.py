"""While the database cannot be reached, the portal answers 503: JSON for the API, the
"briefly unavailable" page otherwise, in the reader's language and never a
traceback. Any other fault is still the 500 page.

(tests/reliability/database_restart.py restarts a real PostgreSQL under load.)
"""

import contextlib

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from rest_framework.test import APIClient

from portal.api.authentication import token_issue

UNAVAILABLE = {
    "en": "Frontline Voice is briefly unavailable. Please try again in a moment.",
    "ar": "صوت الميدان غير متاح مؤقتًا. حاول مرة أخرى بعد لحظات.",
}


@pytest.fixture
def database_down(monkeypatch):
    """Inside the block every query fails the way it does while PostgreSQL restarts."""

    @contextlib.contextmanager
    def down(error=OperationalError):
        def refuse(self, *args, **kwargs):
            raise error("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

        with monkeypatch.context() as patch:
            patch.setattr(CursorWrapper, "execute", refuse)
            patch.setattr(CursorWrapper, "executemany", refuse)
            yield

    return down


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("error", [OperationalError, InterfaceError], ids=["operational", "closed"])
def test_an_api_call_answers_503_in_json_in_the_readers_language(
    database_down, alice, language, error
):
    # Given a client with a token (looking it up is the request's first query)
    client = APIClient()
    key = token_issue(user=alice)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE=language)
    payload = {"title": "Queue", "pain_point": "Long.", "channel": "branch", "category": "other"}

    # When it submits while the database is down
    with database_down(error):
        response = client.post("/api/v1/insights/", payload, format="json")

    # Then it is told to try again shortly, in its language
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": UNAVAILABLE[language]}
    assert response["Retry-After"] == "5"


def test_a_failure_inside_the_view_is_a_503_too(database_down, api, alice):
    # An authenticated client whose first query is the view's own.
    client = api(alice)

    with database_down():
        response = client.post(
            "/api/v1/insights/",
            {"title": "Queue", "pain_point": "Long.", "channel": "branch", "category": "other"},
            format="json",
        )

    assert response.status_code == 503
    assert response.json() == {"detail": UNAVAILABLE["en"]}


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/notifications/", "text/html"), ("/api/v1/me/", "application/json")],
    ids=["page", "api-with-session"],
)
def test_a_signed_in_request_whose_session_cannot_be_loaded_answers_503(
    database_down, alice, path, content_type
):
    # The session is loaded by a middleware, before any view: Django's handler500.
    client = Client(raise_request_exception=False)
    client.force_login(alice)

    with database_down():
        response = client.get(path)

    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert UNAVAILABLE["en"] in body
    assert "Traceback" not in body


def test_the_503_page_is_in_the_visitors_language(database_down, alice):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ar")
    client.force_login(alice)

    with database_down():
        response = client.get("/notifications/")

    assert response.status_code == 503
    body = response.content.decode()
    assert 'lang="ar" dir="rtl"' in body
    assert UNAVAILABLE["ar"] in body


def test_any_other_fault_is_still_the_500_page(monkeypatch, alice):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr("portal.views.notification_threads_for", broken)
    client = Client(raise_request_exception=False)
    client.force_login(alice)

    response = client.get("/notifications/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
