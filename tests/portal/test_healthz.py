"""/healthz: liveness and readiness of the database and the Celery broker."""

import os

import pytest

from portal.celery import app as celery_app


@pytest.fixture
def broker(settings):
    """Point the Celery app at a broker for one test, and put everything back after."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}

    def use(url: str) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = url
        celery_app.conf.update(broker_url=url, task_always_eager=False)

    yield use
    celery_app.conf.update(saved)


def _redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    # The broker checks must run: a missing Redis is a failure, never a skip.
    assert url, "TEST_REDIS_URL must point at a Redis database for the tests"
    return url


@pytest.mark.django_db
def test_healthz_reports_an_eager_broker_when_none_is_configured(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["broker"]) == ("ok", "eager")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_is_ok_when_the_broker_answers(client, broker):
    broker(_redis_url())

    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["database"], body["broker"]) == ("ok", "ok")


@pytest.mark.django_db
def test_healthz_names_an_unreachable_broker_as_down(client, broker):
    broker("redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["database"], body["broker"]) == ("ok", "down")


def test_healthz_needs_no_login_and_no_session(client, settings, db):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "sessionid" not in response.cookies
