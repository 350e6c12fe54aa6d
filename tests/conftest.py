"""Shared fixtures: a small organisation and a cast of users, one per role.

* alice   – frontline at RUH-01
* bob     – another frontline, at JED-01
* mona    – manager whose scope is RUH-01 (in scope for alice's reports)
* omar    – manager whose scope is JED-01 (out of scope for alice's reports)
* tariq   – trainer
* ada     – administrator
"""

import contextlib
import email
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache import cache
from django.db import connections
from django.utils import translation
from rest_framework.test import APIClient

from portal.models import Role, User
from tests.factories import (
    DepartmentFactory,
    LocationFactory,
    RegionFactory,
    TeamFactory,
    make_user,
)
from tests.workers import Process, celery_worker, child_env, read_messages, tasks_sent_to

PASSWORD = "correct-horse-battery-9"


EMBEDDED_ONLY_SKIPS = ("postgres", "redis", "worker")


def pytest_collection_modifyitems(config, items):
    """On the embedded default (SQLite, tasks in-process: ``make test-embedded``) the
    tests that need PostgreSQL or Redis are skipped; on PostgreSQL nothing is."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL and Redis: runs in `make test`")
    for item in items:
        if any(item.get_closest_marker(name) for name in EMBEDDED_ONLY_SKIPS):
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # Real hashing costs ~0.3 s per user; the tests are about access, not hashing.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Org:
    ruh: object
    jed: object
    ruh01: object
    jed01: object
    team_ruh: object
    team_jed: object
    department: object


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after():
    # A request by someone who reads Arabic leaves Arabic active in this thread (the
    # middleware activates the reader's language; nothing deactivates it), and a test
    # that renders text without a request would then read Arabic.
    yield
    translation.deactivate()


@pytest.fixture
def org(db) -> Org:
    ruh = RegionFactory(code="RUH", name_en="Riyadh", name_ar="الرياض")
    jed = RegionFactory(code="JED", name_en="Jeddah", name_ar="جدة")
    ruh01 = LocationFactory(code="RUH-01", region=ruh, name_en="Olaya", name_ar="العليا")
    jed01 = LocationFactory(code="JED-01", region=jed, name_en="Tahlia", name_ar="التحلية")
    return Org(
        ruh=ruh,
        jed=jed,
        ruh01=ruh01,
        jed01=jed01,
        team_ruh=TeamFactory(code="RUH-01-TELLER", location=ruh01),
        team_jed=TeamFactory(code="JED-01-TELLER", location=jed01),
        department=DepartmentFactory(code="CS", name_en="Customer Service", name_ar="خدمة العملاء"),
    )


@pytest.fixture
def alice(org) -> User:
    return make_user("alice", team=org.team_ruh, display_name="Alice Anwar")


@pytest.fixture
def bob(org) -> User:
    return make_user("bob", team=org.team_jed, display_name="Bob Badr")


@pytest.fixture
def mona(org) -> User:
    return make_user("mona", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01])


@pytest.fixture
def omar(org) -> User:
    return make_user("omar", roles=[Role.MANAGER], team=org.team_jed, managed=[org.jed01])


@pytest.fixture
def tariq(org) -> User:
    return make_user("tariq", roles=[Role.TRAINER], team=org.team_ruh)


@pytest.fixture
def ada(org) -> User:
    return make_user("ada", roles=[Role.ADMIN], team=org.team_ruh)


@pytest.fixture
def cast(alice, bob, mona, omar, tariq, ada) -> dict[str, User]:
    return {"alice": alice, "bob": bob, "mona": mona, "omar": omar, "tariq": tariq, "ada": ada}


def api_client_for(user: User | None, language: str | None = None) -> APIClient:
    client = APIClient()
    if language:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user=user)
    return client


@pytest.fixture
def api():
    return api_client_for


# --- browser -------------------------------------------------------------------------------
# Debian's Chromium, driven through Playwright; CI installs it (.ci/run), nothing is
# downloaded at test time.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session."""
    from playwright.sync_api import sync_playwright

    # Once Playwright's event loop runs in this thread, Django's connections are looked
    # up in another context: one opened before would stay open, out of reach, for the
    # rest of the session (and a test copying the database as a template then fails
    # on "being accessed by other users").
    connections.close_all()
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls around it are still synchronous, so Django's async guard must stand aside.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, request):
    """A fresh browser tab (own cookies) at desktop size.

    For a phone, parametrize indirectly: ``@pytest.mark.parametrize("page", [PHONE],
    indirect=True)``. Every URL the tab requests is recorded in ``page.requested``.
    """
    viewport = getattr(request, "param", None) or DESKTOP
    context = browser.new_context(viewport=viewport, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    record_requests(tab)
    yield tab
    context.close()


def record_requests(page) -> None:
    """Keep every URL ``page`` asks for in ``page.requested``."""
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))


def foreign_requests(page, live_server) -> list[str]:
    """What ``page`` asked of another host than the portal (pages must serve every
    asset themselves); data, blob and about URLs are not requests to anyone."""
    home = urlsplit(live_server.url).netloc
    return [
        url
        for url in page.requested
        if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).netloc != home
    ]


def log_in_through_the_page(page, base_url: str, username: str, password: str = PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


# --- real Celery workers ------------------------------------------------------------------
# A worker process (tests.workers) against the test database, on a queue of its own,
# with the file-based e-mail backend; this process routes its tasks there.
WORKER_TIMEOUT = 30


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    # CI must run the worker tests: a missing or unreachable Redis is a failure, never a skip.
    if not url:
        pytest.fail("TEST_REDIS_URL is not set: the worker tests need a Redis database")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {url} is not reachable: {exc}")
    return url


def _database_url() -> str:
    """The URL of the test database this process uses, for a worker to share it."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.fail("the worker tests need PostgreSQL: run the suite with DATABASE_URL set")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerHandle:
    def __init__(self, *, process: Process, mail_dir: Path):
        self.process = process
        self.mail_dir = mail_dir

    def log(self, tail: int = 4000) -> str:
        return self.process.log(tail=tail)

    def wait_for(self, condition, what: str, timeout: float = WORKER_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if not self.process.alive:
                pytest.fail(f"the worker exited:\n{self.log()}")
            time.sleep(0.2)
        pytest.fail(f"no {what} within {timeout} s; worker log:\n{self.log()}")

    def messages(self) -> list[email.message.EmailMessage]:
        return read_messages(self.mail_dir)

    def wait_until_ready(self, timeout: float = WORKER_TIMEOUT) -> None:
        """Until the worker consumes its queue (Celery logs "celery@host ready."): a
        task sent from then on reaches it at once, instead of waiting in the queue
        for a worker still starting."""
        self.wait_for(lambda: " ready." in self.log(tail=1_000_000), "ready worker", timeout)


@pytest.fixture
def start_worker(tmp_path):
    """``start_worker(broker_url=..., pool=..., concurrency=..., **settings)`` starts a
    worker process (settings: its environment, e.g. short leases) and sends this
    process's tasks to it; everything is put back when the test ends."""
    from portal.celery import app

    started: list[tuple[Process, str, str]] = []
    routing = contextlib.ExitStack()

    def start(*, broker_url: str, pool="solo", concurrency=1, **settings) -> WorkerHandle:
        queue = f"fv-test-{uuid.uuid4().hex[:12]}"
        mail_dir = tmp_path / f"mail-{len(started)}"
        mail_dir.mkdir()
        env = child_env(
            DATABASE_URL=_database_url(),
            DATABASE_CONN_MAX_AGE="0",
            CELERY_BROKER_URL=broker_url,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail_dir),
            **settings,
        )
        process = celery_worker(
            env=env,
            log_path=tmp_path / f"worker-{len(started)}.log",
            queue=queue,
            pool=pool,
            concurrency=concurrency,
        ).start()
        started.append((process, broker_url, queue))
        routing.enter_context(tasks_sent_to(app, broker_url, queue))
        return WorkerHandle(process=process, mail_dir=mail_dir)

    try:
        yield start
    finally:
        routing.close()
        for process, broker_url, queue in started:
            process.stop(timeout=10)
            with contextlib.suppress(redis.RedisError):
                redis.Redis.from_url(broker_url, socket_connect_timeout=2).delete(queue)


@pytest.fixture
def worker(start_worker, redis_url) -> WorkerHandle:
    """One worker process on the suite's Redis, for one test."""
    return start_worker(broker_url=redis_url)


# --- seed rows after a transactional test ---------------------------------------------------
def _run_seed_migrations() -> None:
    """Run every ``seed_*`` function of the migrations again (they are idempotent)."""
    from django.apps import apps
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    for alias in connections:
        loader = MigrationLoader(connections[alias])
        for key in sorted(loader.applied_migrations):
            migration = loader.disk_migrations.get(key)
            for operation in getattr(migration, "operations", []):
                if isinstance(operation, RunPython) and operation.code.__name__.startswith("seed"):
                    operation.code(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back the rows the migrations seed (channels, categories) when the test
    database is reused: a transactional test empties every table when it ends."""
    with django_db_blocker.unblock():
        _run_seed_migrations()


@pytest.fixture(autouse=True)
def _seeded_rows_in_transactional_tests(request):
    """A transactional test (browser, worker) starts with the seeded rows, whatever
    the transactional test before it emptied. (``serialized_rollback`` alone cannot
    be relied on: its snapshot lives on a connection object, and the Playwright
    event loop gives the test thread another one.)"""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        _run_seed_migrations()
        return
    if marker is None and "db" not in request.fixturenames:
        return
    # A test in a transaction after a transactional one (which empties every table
    # when it ends: with several workers, files do not run transactional tests last)
    # puts the seeded rows back inside its own transaction.
    request.getfixturevalue("db")
    from portal.models import Channel

    if not Channel.objects.exists():
        _run_seed_migrations()
