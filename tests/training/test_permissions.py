"""Role × endpoint matrix for every training endpoint and page (acceptance 8).

alice (frontline, RUH-01), bob (frontline, JED-01), mona (manager of RUH-01), omar
(manager of JED-01), tariq (trainer), ada (administrator): what each may do, and what
each is refused, on the API, the pages and the admin.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction

from tests.training.conftest import publish, right_answers
from training import services
from training.models import Assignment, Attempt

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "alice", "bob", "mona", "omar", "tariq", "ada"]
SIGNED_IN = ROLES[1:]
AUTHORS = {"tariq", "ada"}
COMPLIANCE = {"mona", "omar", "tariq", "ada"}


@dataclass
class World:
    assignment: Assignment
    attempt_id: int
    ack_id: int
    question_id: int
    rule_id: int


@pytest.fixture
def world(cast, standard, module, tariq, alice, bob):
    publish(standard, tariq)
    services.version_create_draft(
        standard=standard, by=tariq, text_en="Draft", text_ar="مسودة", change="minor"
    )
    services.assign(module=module, due_date=_in(10), by=tariq, users=[alice, bob])
    assignment = Assignment.objects.get(user=alice)
    attempt, _created = services.attempt_start(assignment=assignment, by=alice)
    ack, _created = services.acknowledge(
        user=alice, standard=standard, version_number=1, language="en"
    )
    # a standard with no version yet, for a first draft
    services.standard_create(by=tariq, code="STD-NEXT-01", title_en="Next", title_ar="التالي")
    # bob, at JED-01, has the module open already: the rule assigns nobody new
    rule, _result = services.rule_create(module=module, by=tariq, location=bob.team.location)
    return World(assignment, attempt.pk, ack.pk, module.questions.first().pk, rule.pk)


def _in(days):
    import datetime

    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days)


def _expect(role: str, allowed: set[str], ok: int, refused: int = 403) -> int:
    if role == "anonymous":
        return 401
    return ok if role in allowed else refused


# --- the API --------------------------------------------------------------------------------
READS = [
    # path, who may read (everyone signed in unless said), and what the others get
    ("/api/v1/standards/", set(SIGNED_IN), 403),
    ("/api/v1/standards/STD-GREET-01/", set(SIGNED_IN), 403),
    ("/api/v1/standards/STD-GREET-01/versions/", set(SIGNED_IN), 403),
    ("/api/v1/standards/STD-GREET-01/versions/1/", set(SIGNED_IN), 403),
    ("/api/v1/standards/STD-GREET-01/versions/2/", AUTHORS, 404),  # a draft
    ("/api/v1/standards/STD-GREET-01/versions/1/diff/?against=1", set(SIGNED_IN), 403),
    ("/api/v1/modules/", set(SIGNED_IN), 403),
    ("/api/v1/modules/MOD-GREET/", {"alice", "bob", "mona", "omar", "tariq", "ada"}, 404),
    ("/api/v1/assignments/", set(SIGNED_IN), 403),
    ("/api/v1/assignments/{assignment}/", {"alice", "mona", "tariq", "ada"}, 404),
    ("/api/v1/attempts/", set(SIGNED_IN), 403),
    ("/api/v1/attempts/{attempt}/", {"alice", "mona", "tariq", "ada"}, 404),
    ("/api/v1/acknowledgements/", set(SIGNED_IN), 403),
    ("/api/v1/acknowledgements/{ack}/", {"alice", "mona", "tariq", "ada"}, 404),
    ("/api/v1/assignment-rules/", AUTHORS, 403),
    ("/api/v1/assignment-rules/{rule}/", AUTHORS, 403),
    ("/api/v1/compliance/", COMPLIANCE, 403),
    ("/api/v1/compliance/?by=team", COMPLIANCE, 403),
    ("/api/v1/compliance/evidence/", COMPLIANCE, 403),
]


def _fill(path: str, world: World) -> str:
    return path.format(
        assignment=world.assignment.pk,
        attempt=world.attempt_id,
        ack=world.ack_id,
        rule=world.rule_id,
    )


def each_role(do) -> dict[str, int]:
    """``do(role)``'s status code for every role, each in a savepoint rolled back after,
    so that one role's write does not change what the next one finds."""
    codes = {}
    for role in ROLES:
        with transaction.atomic():
            codes[role] = do(role)
            transaction.set_rollback(True)
    return codes


@pytest.mark.parametrize(("path", "allowed", "refused"), READS, ids=[r[0] for r in READS])
def test_api_reads(api, cast, world, path, allowed, refused):
    def read(role):
        client = api(None if role == "anonymous" else cast[role])
        return client.get(_fill(path, world)).status_code

    assert each_role(read) == {role: _expect(role, allowed, 200, refused) for role in ROLES}


def _writes(world: World):
    return [
        (
            "post",
            "/api/v1/standards/",
            {"code": "STD-NEW", "title_en": "N", "title_ar": "ج"},
            AUTHORS,
            201,
            403,
        ),
        ("patch", "/api/v1/standards/STD-GREET-01/", {"title_en": "Greet"}, AUTHORS, 200, 403),
        (
            "post",
            "/api/v1/standards/STD-NEXT-01/versions/",
            {"text_en": "First", "text_ar": "الأول"},
            AUTHORS,
            201,
            403,
        ),
        (
            "patch",
            "/api/v1/standards/STD-GREET-01/versions/2/",
            {"text_ar": "مسودة"},
            AUTHORS,
            200,
            403,
        ),
        ("post", "/api/v1/standards/STD-GREET-01/versions/2/publish/", {}, AUTHORS, 200, 403),
        ("delete", "/api/v1/standards/STD-GREET-01/versions/2/", None, AUTHORS, 204, 403),
        (
            "post",
            "/api/v1/modules/",
            {"code": "MOD-NEW", "title_en": "N", "title_ar": "ج"},
            AUTHORS,
            201,
            403,
        ),
        ("patch", "/api/v1/modules/MOD-GREET/", {"minutes": 9}, AUTHORS, 200, 403),
        (
            "post",
            "/api/v1/assignments/",
            {"module": "MOD-GREET", "due_date": str(_in(5)), "team": "RUH-01-TELLER"},
            AUTHORS,
            201,
            403,
        ),
        (
            "post",
            "/api/v1/assignment-rules/",
            {"module": "MOD-GREET", "role": "manager"},
            AUTHORS,
            201,
            403,
        ),
        ("delete", f"/api/v1/assignment-rules/{world.rule_id}/", None, AUTHORS, 204, 403),
        (
            "post",
            f"/api/v1/assignments/{world.assignment.pk}/attempts/",
            {},
            {"alice"},
            200,
            {"bob": 404, "omar": 404},
        ),
        (
            "post",
            f"/api/v1/attempts/{world.attempt_id}/submit/",
            {"answers": {}},
            {"alice"},
            200,
            {"bob": 404, "omar": 404},
        ),
        (
            "post",
            "/api/v1/acknowledgements/",
            {"standard": "STD-GREET-01", "version": 1},
            set(SIGNED_IN),
            {"alice": 200},
            403,
        ),
    ]


WRITE_IDS = [
    "create-standard",
    "change-standard",
    "create-draft",
    "edit-draft",
    "publish",
    "delete-draft",
    "create-module",
    "change-module",
    "assign",
    "create-rule",
    "delete-rule",
    "start-quiz",
    "submit-quiz",
    "acknowledge",
]


@pytest.mark.parametrize("index", range(len(WRITE_IDS)), ids=WRITE_IDS)
def test_api_writes(api, cast, world, index):
    method, path, body, allowed, ok, refused = _writes(world)[index]

    def write(role):
        client = api(None if role == "anonymous" else cast[role])
        return getattr(client, method)(path, body, format="json").status_code

    def expected(role):
        good = ok.get(role, 201) if isinstance(ok, dict) else ok  # who did it already: 200
        bad = refused.get(role, 403) if isinstance(refused, dict) else refused
        return _expect(role, allowed, good, bad)

    assert each_role(write) == {role: expected(role) for role in ROLES}


def test_lists_are_scoped(api, cast, world):
    def users(role, path):
        rows = api(cast[role]).get(path).json()["results"]
        return sorted({row["user"] for row in rows})

    assert users("alice", "/api/v1/assignments/") == ["alice"]
    assert users("bob", "/api/v1/assignments/") == ["bob"]
    assert users("mona", "/api/v1/assignments/") == ["alice"]
    assert users("omar", "/api/v1/assignments/") == ["bob"]
    assert users("tariq", "/api/v1/assignments/") == ["alice", "bob"]
    assert users("omar", "/api/v1/acknowledgements/") == []
    assert users("mona", "/api/v1/acknowledgements/") == ["alice"]
    people = {
        role: sorted(
            r["key"] for r in api(cast[role]).get("/api/v1/compliance/?by=person").json()["rows"]
        )
        for role in ("mona", "omar", "tariq")
    }
    assert people == {"mona": ["alice"], "omar": ["bob"], "tariq": ["alice", "bob"]}
    # Staff read the modules assigned to them only, never with the answers
    assert [m["code"] for m in api(cast["alice"]).get("/api/v1/modules/").json()["results"]] == [
        "MOD-GREET"
    ]


# --- the pages ------------------------------------------------------------------------------
EVERYONE = set(SIGNED_IN)
PAGES = [
    ("/training/", EVERYONE, 403),
    ("/training/assignments/{assignment}/", {"alice"}, {"bob": 404, "omar": 404}),
    ("/training/attempts/{attempt}/", {"alice"}, {"bob": 404, "omar": 404}),
    ("/training/standards/", EVERYONE, 403),
    ("/training/standards/new/", AUTHORS, 403),
    ("/training/standards/STD-GREET-01/", EVERYONE, 403),
    ("/training/standards/STD-GREET-01/edit/", AUTHORS, 403),
    ("/training/standards/STD-GREET-01/acknowledge/", EVERYONE, 403),
    ("/training/standards/STD-GREET-01/diff/", EVERYONE, 403),
    ("/training/standards/STD-GREET-01/versions/new/", AUTHORS, 403),
    ("/training/standards/STD-GREET-01/versions/1/", EVERYONE, 403),
    ("/training/standards/STD-GREET-01/versions/2/", AUTHORS, 404),
    ("/training/standards/STD-GREET-01/versions/2/publish/", AUTHORS, 403),
    ("/training/modules/", AUTHORS, 403),
    ("/training/modules/new/", AUTHORS, 403),
    ("/training/modules/MOD-GREET/", AUTHORS, 403),
    ("/training/modules/MOD-GREET/edit/", AUTHORS, 403),
    ("/training/modules/MOD-GREET/questions/new/", AUTHORS, 403),
    ("/training/modules/MOD-GREET/questions/{question}/", AUTHORS, 403),
    ("/training/assign/", AUTHORS, 403),
    ("/training/rules/", AUTHORS, 403),
    ("/training/compliance/", COMPLIANCE, 403),
    ("/training/compliance/?rows=location", COMPLIANCE, 403),
    ("/training/compliance/people/", COMPLIANCE, 403),
]


@pytest.mark.parametrize(("path", "allowed", "refused"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(client, cast, world, path, allowed, refused):
    url = path.format(
        assignment=world.assignment.pk, attempt=world.attempt_id, question=world.question_id
    )

    def visit(role):
        client.logout()
        if role != "anonymous":
            client.force_login(cast[role])
        response = client.get(url)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
        return response.status_code

    def expected(role):
        if role == "anonymous":
            return 302  # to the log-in page
        if role in allowed:
            return 200
        return refused.get(role, 403) if isinstance(refused, dict) else refused

    assert each_role(visit) == {role: expected(role) for role in ROLES}


PAGE_POSTS = [
    ("/training/preview/", {"language": "ar", "text_ar": "**مرحبًا**"}, AUTHORS, 200),
    ("/training/rules/{rule}/delete/", {}, AUTHORS, 302),
    ("/training/modules/MOD-GREET/questions/{question}/delete/", {}, AUTHORS, 302),
    ("/training/assignments/{assignment}/start/", {}, {"alice"}, 302),
    ("/training/standards/STD-GREET-01/versions/2/publish/", {}, AUTHORS, 302),
    ("/training/standards/STD-GREET-01/acknowledge/", {"version": "1"}, EVERYONE, 302),
]


@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize(
    ("path", "data", "allowed", "ok"), PAGE_POSTS, ids=[p[0] for p in PAGE_POSTS]
)
def test_page_posts(client, cast, world, role, path, data, allowed, ok):
    client.force_login(cast[role])
    url = path.format(
        rule=world.rule_id, question=world.question_id, assignment=world.assignment.pk
    )

    response = client.post(url, data)

    visible = {"alice", "mona", "tariq", "ada"}
    refused = 404 if "/assignments/" in url and role not in visible else 403
    assert response.status_code == (ok if role in allowed else refused)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_learner_submits_her_quiz_on_the_page(client, cast, world, role):
    if role != "anonymous":
        client.force_login(cast[role])
    answers = {
        f"q_{question}": [str(choice) for choice in choices]
        for question, choices in right_answers(world.attempt_id).items()
    }

    response = client.post(f"/training/attempts/{world.attempt_id}/submit/", answers)

    # bob and omar cannot see alice's attempt; mona, tariq and ada see it but it is not theirs
    expected = {"anonymous": 302, "alice": 302, "bob": 404, "omar": 404}.get(role, 403)
    assert response.status_code == expected
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    assert Attempt.objects.get(pk=world.attempt_id).is_submitted == (role == "alice")


# --- the admin ------------------------------------------------------------------------------
ADMIN_PAGES = [
    "standard",
    "standardversion",
    "module",
    "assignment",
    "assignmentrule",
    "attempt",
    "acknowledgement",
    "reminder",
]


@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_admin_lists(client, cast, world, model):
    def visit(role):
        client.logout()
        if role != "anonymous":
            client.force_login(cast[role])
        return client.get(f"/admin/training/{model}/").status_code

    # The people who use the admin (managers, administrators) get in; anyone else is
    # sent to the admin's log-in page.
    expected = {role: 200 if role in {"mona", "omar", "ada"} else 302 for role in ROLES}
    assert each_role(visit) == expected


def test_admin_lists_are_scoped(client, cast, world):
    client.force_login(cast["omar"])
    outside = client.get("/admin/training/assignment/").content.decode()
    assert "alice" not in outside
    # The list names people by their display name: "alice" alone is never on it.
    assert "Alice Anwar" not in outside and "Bob Badr" in outside
    client.force_login(cast["mona"])
    assert "Alice Anwar" in client.get("/admin/training/assignment/").content.decode()
    # managers see the module, never its answers
    page = client.get(f"/admin/training/module/{world.assignment.module_id}/change/")
    assert page.status_code == 200
    assert "✓" not in page.content.decode()
    client.force_login(cast["ada"])
    page = client.get(f"/admin/training/module/{world.assignment.module_id}/change/")
    assert "✓" in page.content.decode()
