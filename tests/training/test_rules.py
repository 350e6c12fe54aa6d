"""Acceptance 4: assignment rules. A new hire through the API, the admin and
``import_employees``, and someone whose team, location or roles change, each gets the
rule's assignment, once."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import services as portal_services
from portal.models import User
from tests.factories import TeamFactory, make_user
from tests.training.conftest import in_days
from training import services
from training.models import Assignment

pytestmark = pytest.mark.django_db

RULES = "/api/v1/assignment-rules/"
PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def rule(tariq, module, org):
    rule, _result = services.rule_create(module=module, by=tariq, team=org.team_ruh, due_in_days=14)
    return rule


def rule_assignments(username: str) -> list[tuple[str, str]]:
    return list(
        Assignment.objects.filter(user__username=username, rule__isnull=False)
        .order_by("pk")
        .values_list("reason", "due_date")
    )


def reasons(username: str) -> list[str]:
    return [reason for reason, _due in rule_assignments(username)]


def test_a_rule_assigns_the_staff_it_matches_when_it_is_made(api, tariq, module, org, alice):
    response = api(tariq).post(
        RULES, {"module": "MOD-GREET", "team": "RUH-01-TELLER", "due_in_days": 14}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["assigned"] == {"created": 1, "already_open": 0}
    assert rule_assignments("alice") == [("team", datetime.date.fromisoformat(in_days(14)))]
    # The manager, trainer and admin in that team are not its frontline staff
    assert Assignment.objects.count() == 1
    # The same rule twice is refused
    again = api(tariq).post(RULES, {"module": "MOD-GREET", "team": "RUH-01-TELLER"}, format="json")
    assert again.status_code == 400


def test_a_new_hire_through_the_api_gets_the_rule_once(api, ada, rule):
    created = api(ada).post(
        "/api/v1/users/",
        {
            "username": "nadia",
            "display_name": "Nadia",
            "password": PASSWORD,
            "team": "RUH-01-TELLER",
            "roles": ["frontline"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    user_url = f"/api/v1/users/{created.json()['id']}/"

    # Changing other things, or moving away and back, does not assign it again
    api(ada).patch(user_url, {"display_name": "Nadia N."}, format="json")
    api(ada).patch(user_url, {"team": "JED-01-TELLER"}, format="json")
    api(ada).patch(user_url, {"team": "RUH-01-TELLER"}, format="json")

    assert reasons("nadia") == ["new_hire_rule"]


def test_a_new_hire_through_the_admin_gets_the_rule_once(client, ada, org, rule):
    client.force_login(ada)
    response = client.post(
        "/admin/portal/user/add/",
        {
            "username": "omar.new",
            "display_name": "Omar New",
            "email": "omar.new@example.test",
            "language": "ar",
            "team": org.team_ruh.pk,
            "roles": ["frontline"],
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="omar.new")
    assert (user.roles, user.team_id, user.check_password(PASSWORD)) == (
        ["frontline"],
        org.team_ruh.pk,
        True,
    )
    assert reasons("omar.new") == ["new_hire_rule"]

    # Saving the person again in the admin, unchanged, assigns nothing more
    change = f"/admin/portal/user/{user.pk}/change/"
    saved = client.post(
        change,
        {
            "username": "omar.new",
            "display_name": "Omar N.",
            "email": "omar.new@example.test",
            "language": "ar",
            "team": org.team_ruh.pk,
            "roles": ["frontline"],
            "is_active": "on",
            "email_notifications": "on",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert User.objects.get(pk=user.pk).display_name == "Omar N."
    assert reasons("omar.new") == ["new_hire_rule"]


def test_a_team_change_in_the_admin_gets_the_rule_once(client, ada, org, bob, rule):
    client.force_login(ada)
    form = {
        "username": "bob",
        "display_name": "Bob Badr",
        "email": "bob@example.test",
        "language": "en",
        "team": org.team_ruh.pk,
        "roles": ["frontline"],
        "is_active": "on",
    }

    for _ in range(2):
        response = client.post(f"/admin/portal/user/{bob.pk}/change/", form)
        assert response.status_code == 302, response.content.decode()[:3000]

    assert User.objects.get(pk=bob.pk).team_id == org.team_ruh.pk
    assert reasons("bob") == ["team"]


def import_csv(tmp_path, text: str) -> str:
    path = tmp_path / "staff.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_employees", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_new_hires_and_movers_through_import_employees_get_the_rule_once(tmp_path, org, bob, rule):
    header = "username,display_name,email,team,roles,language\n"
    hire = "huda,هدى,huda@example.test,RUH-01-TELLER,frontline,ar\n"
    mover = "bob,Bob Badr,bob@example.test,RUH-01-TELLER,frontline,en\n"

    import_csv(tmp_path, header + hire)
    import_csv(tmp_path, header + hire)
    import_csv(tmp_path, header + hire + mover)
    import_csv(tmp_path, header + hire + mover)

    assert reasons("huda") == ["new_hire_rule"]
    assert reasons("bob") == ["team"]


def test_a_team_change_through_the_api_and_the_service_gets_the_rule_once(api, ada, org, bob, rule):
    carla = make_user("carla", team=org.team_jed)

    api(ada).patch(f"/api/v1/users/{bob.pk}/", {"team": "RUH-01-TELLER"}, format="json")
    api(ada).patch(f"/api/v1/users/{bob.pk}/", {"team": "RUH-01-TELLER"}, format="json")
    portal_services.user_update(user=carla, team=org.team_ruh)
    portal_services.user_update(user=carla, team=org.team_ruh)

    assert reasons("bob") == ["team"]
    assert reasons("carla") == ["team"]


def test_location_and_role_rules(api, ada, tariq, module, org, bob, mona):
    services.rule_create(module=module, by=tariq, location=org.jed01, due_in_days=7)
    services.rule_create(module=module, by=tariq, role="manager", due_in_days=7)
    # bob, at JED-01, had it when the location rule was made; mona (a manager) by role
    assert reasons("bob") == ["location"]
    assert reasons("mona") == ["role"]

    # someone who joins a team at JED-01, and someone given the manager role
    make_user("dina", team=org.team_jed)
    portal_services.user_update(user=tariq, roles=["trainer", "manager"])

    assert reasons("dina") == ["new_hire_rule"]
    assert reasons("tariq") == ["role"]


def test_moving_to_a_team_at_another_location_gets_the_location_rule_once(
    api, ada, tariq, module, org, alice
):
    services.rule_create(module=module, by=tariq, location=org.jed01, due_in_days=7)
    assert reasons("alice") == []
    elsewhere = make_user("zaid", team=org.team_ruh)
    other_team_at_jed = TeamFactory(code="JED-01-CALL", location=org.jed01)

    # alice moves to JED-01 through the API, and on to another team there; zaid by the service
    api(ada).patch(f"/api/v1/users/{alice.pk}/", {"team": "JED-01-TELLER"}, format="json")
    api(ada).patch(f"/api/v1/users/{alice.pk}/", {"team": "JED-01-CALL"}, format="json")
    portal_services.user_update(user=elsewhere, team=other_team_at_jed)
    portal_services.user_update(user=elsewhere, team=other_team_at_jed)

    assert reasons("alice") == ["location"]
    assert reasons("zaid") == ["location"]


# On PostgreSQL only: SQLite allows 999 bound parameters a statement, so its bulk
# inserts come in batches (one more INSERT per batch, by design of the database).
@pytest.mark.postgres
def test_rules_stay_a_few_queries_whatever_the_size_of_an_import(tmp_path, org, rule):
    def queries(prefix: str, count: int) -> int:
        lines = ["username,display_name,email,team,roles,language"]
        lines += [
            f"{prefix}{i},N {i},{prefix}{i}@example.test,RUH-01-TELLER,frontline,ar"
            for i in range(count)
        ]
        path = tmp_path / f"{prefix}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with CaptureQueriesContext(connection) as captured:
            call_command("import_employees", str(path), stdout=StringIO(), stderr=StringIO())
        return len(captured)

    few, many = queries("few", 5), queries("many", 300)

    assert few == many
    assert (
        Assignment.objects.filter(user__username__startswith="many", reason="new_hire_rule").count()
        == 300
    )
