"""`make demo`: where it listens, where its e-mails link, and what the README says."""

import re
import subprocess

import pytest
from django.conf import settings

from portal.services import notification_send_email, notify


def demo_commands(*variables: str, env: dict | None = None) -> list[str]:
    """What `make demo` would run (make -n prints the recipe without running it)."""
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "demo", *variables],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )
    return result.stdout.splitlines()


def runserver_line(*variables: str, env: dict | None = None) -> str:
    [line] = [c for c in demo_commands(*variables, env=env) if "manage.py runserver" in c]
    return line


@pytest.mark.parametrize(
    ("variables", "listens", "site_url"),
    [
        ((), "127.0.0.1:8000", "http://127.0.0.1:8000"),
        (("PORT=8123",), "127.0.0.1:8123", "http://127.0.0.1:8123"),
        (("HOST=0.0.0.0",), "0.0.0.0:8000", "http://localhost:8000"),
        (("HOST=0.0.0.0", "PORT=9000"), "0.0.0.0:9000", "http://localhost:9000"),
        (("HOST=::1",), "[::1]:8000", "http://[::1]:8000"),
        (
            ("HOST=0.0.0.0", "SITE_URL=https://voice.example.com"),
            "0.0.0.0:8000",
            "https://voice.example.com",
        ),
    ],
    ids=["default", "port", "all-interfaces", "all-interfaces-port", "ipv6", "site-url-given"],
)
def test_make_demo_listens_on_localhost_unless_told_and_links_follow(variables, listens, site_url):
    """Issue 6.21: 127.0.0.1 unless HOST is given; SITE_URL follows the address."""
    line = runserver_line(*variables)

    assert line.endswith(f"manage.py runserver {listens}"), line
    assert f"SITE_URL='{site_url}'" in line, line


def test_a_site_url_from_the_environment_wins():
    """Issue 6.21: a SITE_URL set in the environment is kept."""
    line = runserver_line(env={"SITE_URL": "https://voice.example.com"})

    assert "SITE_URL='https://voice.example.com'" in line
    assert line.endswith("runserver 127.0.0.1:8000")


def test_the_readme_quick_start_documents_port_and_host():
    """Issue 6.21: PORT and HOST are in the README's quick start."""
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]

    assert "make demo PORT=" in quick_start
    assert "make demo HOST=0.0.0.0" in quick_start
    assert "SITE_URL" in quick_start
    assert "http://127.0.0.1:8000/" in quick_start
    assert not re.search(r"runserver 0\.0\.0\.0", (settings.BASE_DIR / "Makefile").read_text())


@pytest.mark.django_db
def test_links_in_emails_follow_site_url(settings, mailoutbox, alice):
    """Issue 6.21: the e-mail links to the SITE_URL the demo sets."""
    settings.SITE_URL = "http://127.0.0.1:8123"
    notification = notify(recipient=alice, kind="welcome", context={"username": "alice"})

    assert notification_send_email(notification_id=notification.pk)

    [mail] = mailoutbox
    links = re.findall(r"https?://[^\s\"<>]+", mail.body)
    assert links
    assert all(link.startswith("http://127.0.0.1:8123/") for link in links), links
