"""Settings from the environment: production refuses to start half-configured,
passes the deployment checklist when configured, and bad values fail loudly."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

SECRET = "ci-only-" + "k3y" * 20
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "voice.example.com",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with only the given settings in its environment."""
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set"),
    ],
    ids=["without-secret-key", "without-allowed-hosts"],
)
def test_production_refuses_to_start_half_configured(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = manage("check", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": "too-short"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set to at least 50 random characters" in result.stderr


def test_production_settings_pass_the_deployment_checklist_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_development_runs_with_no_environment_at_all():
    result = manage("check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean (true/false), got 'maybe'"),
        ("AXES_FAILURE_LIMIT", "five", "AXES_FAILURE_LIMIT must be an integer, got 'five'"),
        ("DJANGO_ENV", "staging", "DJANGO_ENV must be development, production or test"),
        (
            "ANALYTICS_WEEK_START",
            "friday",
            "ANALYTICS_WEEK_START must be one of monday, sunday, saturday, got 'friday'",
        ),
        ("ANALYTICS_MIN_RESPONSES", "0", "ANALYTICS_MIN_RESPONSES must be at least 1"),
    ],
    ids=[
        "debug-maybe",
        "failure-limit-five",
        "unknown-environment",
        "week-starts-on-friday",
        "no-minimum-n",
    ],
)
def test_a_malformed_setting_fails_loudly(name, value, message):
    result = manage("check", **{name: value})

    assert result.returncode != 0
    assert message in result.stderr


SHORT_LEASES = {
    "EMAIL_TASK_SOFT_TIME_LIMIT": "4",
    "EMAIL_TASK_TIME_LIMIT": "6",
    "OUTBOX_LEASE_SECONDS": "8",
    "CELERY_TASK_SOFT_TIME_LIMIT": "8",
    "CELERY_TASK_TIME_LIMIT": "10",
    "CELERY_VISIBILITY_TIMEOUT": "15",
    "CELERY_RETRY_BACKOFF_MAX": "10",
}


def test_leases_of_seconds_are_accepted_with_an_email_backend_that_never_waits():
    # The reliability scripts run the file backend on leases of seconds: no SMTP
    # time-out has to fit below the e-mail task's soft limit.
    result = manage(
        "check",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        **SHORT_LEASES,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        (
            {"EMAIL_HOST": "smtp.example.test", "EMAIL_TIMEOUT": "20"},
            "EMAIL_TIMEOUT (20) must be less than EMAIL_TASK_SOFT_TIME_LIMIT (4)",
        ),
        (
            {"OUTBOX_LEASE_SECONDS": "6"},
            "EMAIL_TASK_TIME_LIMIT (6) must be less than OUTBOX_LEASE_SECONDS (6)",
        ),
        (
            {"CELERY_VISIBILITY_TIMEOUT": "10"},
            "CELERY_TASK_TIME_LIMIT (10) must be less than CELERY_VISIBILITY_TIMEOUT (10)",
        ),
        (
            {"CELERY_VISIBILITY_TIMEOUT": "3600"},
            "CELERY_VISIBILITY_TIMEOUT (3600) must be less than one hour (3600)",
        ),
        (
            {"CELERY_RETRY_BACKOFF_MAX": "15"},
            "CELERY_RETRY_BACKOFF_MAX (15) must be less than CELERY_VISIBILITY_TIMEOUT (15)",
        ),
    ],
    ids=["smtp-timeout", "lease", "visibility", "an-hour", "back-off"],
)
def test_time_limits_that_do_not_fit_each_other_refuse_to_start(changed, message):
    result = manage("check", **{**SHORT_LEASES, **changed})

    assert result.returncode != 0
    assert message in result.stderr


def test_every_setting_read_from_the_environment_is_in_the_readme():
    # Given the names portal/settings.py reads through its env_* helpers
    source = (settings.BASE_DIR / "portal/settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'\benv_[a-z]+\(\s*"([A-Z][A-Z0-9_]+)"', source))
    assert {"CELERY_VISIBILITY_TIMEOUT", "OUTBOX_LEASE_SECONDS", "SITE_URL"} <= names

    # Then the README names each of them
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def test_the_readme_says_how_the_time_limits_relate_and_when_an_email_can_repeat():
    """Issue 7: the settings' relations and the one window for a duplicate e-mail."""
    readme = " ".join((settings.BASE_DIR / "README.md").read_text(encoding="utf-8").split())

    for relation in (
        "`EMAIL_TASK_SOFT_TIME_LIMIT` < `EMAIL_TASK_TIME_LIMIT` < `OUTBOX_LEASE_SECONDS`",
        "`CELERY_TASK_TIME_LIMIT` < `CELERY_VISIBILITY_TIMEOUT` < one hour",
        "`CELERY_RETRY_BACKOFF_MAX` < `CELERY_VISIBILITY_TIMEOUT`",
    ):
        assert relation in readme
    assert "*at least once*" in readme
    assert "after the mail server accepted the message and before it recorded" in readme
