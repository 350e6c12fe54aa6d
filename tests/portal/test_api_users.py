"""People through the API: administrators create and change staff; everyone sees /me/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Notification, User
from tests.conftest import PASSWORD
from tests.factories import LocationFactory, TeamFactory, make_user


def logs_in(client, username: str, password: str) -> bool:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


NEW_USER = {
    "username": "layla",
    "display_name": "ليلى الحربي",
    "email": "layla@example.test",
    "password": "a-long-enough-passphrase",
    "roles": ["manager", "trainer"],
    "team": "RUH-01-TELLER",
    "managed_locations": ["RUH-01", "JED-01"],
    "language": "ar",
}


@pytest.mark.django_db
def test_admin_creates_a_user_and_reads_everything_back_by_code(api, ada):
    response = api(ada).post("/api/v1/users/", NEW_USER, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert "password" not in body
    expected = {
        "username": "layla",
        "display_name": "ليلى الحربي",
        "email": "layla@example.test",
        "roles": ["manager", "trainer"],
        "team": "RUH-01-TELLER",
        "location": "RUH-01",
        "managed_locations": ["JED-01", "RUH-01"],
        "language": "ar",
        "is_active": True,
    }
    assert {k: sorted(v) if isinstance(v, list) else v for k, v in body.items() if k != "id"} == {
        k: sorted(v) if isinstance(v, list) else v for k, v in expected.items()
    }
    again = api(ada).get(f"/api/v1/users/{body['id']}/").json()
    assert again == body


@pytest.mark.django_db
def test_a_created_user_can_log_in_with_their_password(api, ada, client):
    api(ada).post("/api/v1/users/", NEW_USER, format="json")

    assert not logs_in(client, "layla", PASSWORD)
    assert logs_in(client, "layla", "a-long-enough-passphrase")


@pytest.mark.django_db
def test_a_created_user_is_welcomed_by_email_in_their_language(
    api, ada, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(ada).post("/api/v1/users/", NEW_USER, format="json")

    user = User.objects.get(pk=response.json()["id"])
    assert Notification.objects.filter(recipient=user, kind="welcome").count() == 1
    assert [m.to for m in mailoutbox] == [["layla@example.test"]]
    assert mailoutbox[0].subject == "مرحبًا بك في صوت الميدان"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "is_staff", "is_superuser"),
    [
        (["frontline"], False, False),
        (["trainer"], False, False),
        (["frontline", "trainer"], False, False),
        (["manager"], True, False),
        (["admin"], True, True),
        (["manager", "admin"], True, True),
    ],
    ids=["frontline", "trainer", "frontline-trainer", "manager", "admin", "manager-admin"],
)
def test_roles_decide_who_may_use_the_django_admin(api, ada, roles, is_staff, is_superuser):
    response = api(ada).post("/api/v1/users/", {**NEW_USER, "roles": roles}, format="json")

    assert response.status_code == 201
    assert sorted(response.json()["roles"]) == sorted(roles)
    user = User.objects.get(username="layla")
    assert (user.is_staff, user.is_superuser) == (is_staff, is_superuser)


@pytest.mark.django_db
def test_without_roles_a_new_user_is_frontline(api, ada):
    body = {k: v for k, v in NEW_USER.items() if k not in {"roles", "managed_locations"}}

    response = api(ada).post("/api/v1/users/", body, format="json")

    assert response.status_code == 201
    assert response.json()["roles"] == ["frontline"]
    assert not User.objects.get(username="layla").is_staff


@pytest.mark.django_db
def test_changing_roles_takes_the_admin_away_again(api, ada, mona):
    assert mona.is_staff

    response = api(ada).patch(f"/api/v1/users/{mona.pk}/", {"roles": ["frontline"]}, format="json")

    assert response.status_code == 200
    assert response.json()["roles"] == ["frontline"]
    mona.refresh_from_db()
    assert not mona.is_staff


@pytest.mark.django_db
def test_admin_changes_team_scope_language_and_deactivates(api, ada, alice):
    response = api(ada).patch(
        f"/api/v1/users/{alice.pk}/",
        {
            "team": "JED-01-TELLER",
            "managed_locations": ["JED-01"],
            "language": "ar",
            "is_active": False,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["team"], body["location"], body["managed_locations"]) == (
        "JED-01-TELLER",
        "JED-01",
        ["JED-01"],
    )
    alice.refresh_from_db()
    assert (alice.username, alice.language, alice.is_active) == ("alice", "ar", False)


@pytest.mark.django_db
def test_a_username_cannot_be_changed(api, ada, alice):
    """Issue 6.9: refused, not silently ignored (and read-only in the schema)."""
    response = api(ada).patch(
        f"/api/v1/users/{alice.pk}/", {"username": "renamed", "language": "ar"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"username": ["The username cannot be changed."]}
    alice.refresh_from_db()
    assert (alice.username, alice.language) == ("alice", "en")


@pytest.mark.django_db
def test_admin_sets_a_new_password_only_when_it_is_strong(api, ada, alice, client):
    weak = api(ada).patch(f"/api/v1/users/{alice.pk}/", {"password": "alice"}, format="json")
    strong = api(ada).patch(
        f"/api/v1/users/{alice.pk}/", {"password": "another-long-passphrase"}, format="json"
    )

    assert weak.status_code == 400
    assert "password" in weak.json()
    assert strong.status_code == 200
    assert logs_in(client, "alice", "another-long-passphrase")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("49302817465", "entirely numeric"),
        ("layla-example", "too similar"),
    ],
    ids=["short", "common", "numeric", "like-the-username"],
)
def test_a_weak_password_is_refused_with_a_password_error(api, ada, password, reason):
    response = api(ada).post("/api/v1/users/", {**NEW_USER, "password": password}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert reason in " ".join(response.json()["password"])
    assert not User.objects.filter(username="layla").exists()


@pytest.mark.django_db
def test_a_duplicate_username_is_refused(api, ada, alice):
    response = api(ada).post("/api/v1/users/", {**NEW_USER, "username": "alice"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["username"]
    assert User.objects.filter(username="alice").count() == 1
    assert User.objects.get(username="alice").display_name == "Alice Anwar"


@pytest.mark.django_db
def test_the_user_list_reads_at_a_constant_number_of_queries(api, ada, org):
    def list_users():
        with CaptureQueriesContext(connection) as queries:
            response = api(ada).get("/api/v1/users/")
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    few = list_users()
    for n in range(15):
        location = LocationFactory()
        make_user(f"extra{n}", team=TeamFactory(location=location), managed=[location])
    many = list_users()

    # The count, the page (with team and location joined), the page's roles, and the
    # page's managed locations; the admin's own roles are already known.
    assert few == (4, 1)
    assert many == (4, 16)


# --- /me/ ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_me_shows_roles_team_location_and_language(api, mona):
    body = api(mona).get("/api/v1/me/").json()

    assert body == {
        "id": mona.pk,
        "username": "mona",
        "display_name": "Mona",
        "email": "mona@example.test",
        "roles": ["manager"],
        "team": "RUH-01-TELLER",
        "location": "RUH-01",
        "managed_locations": ["RUH-01"],
        "language": "en",
        "email_notifications": True,
    }


@pytest.mark.django_db
def test_me_without_a_team_has_no_location(api, org):
    loner = make_user("loner")

    body = api(loner).get("/api/v1/me/").json()

    assert (body["team"], body["location"], body["managed_locations"]) == (None, None, [])


@pytest.mark.django_db
def test_me_patch_changes_language_name_and_email_preference(api, alice):
    response = api(alice).patch(
        "/api/v1/me/",
        {"language": "ar", "display_name": "أليس", "email_notifications": False},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["language"] == "ar"
    alice.refresh_from_db()
    assert (alice.language, alice.display_name, alice.email_notifications) == (
        "ar",
        "أليس",
        False,
    )


@pytest.mark.django_db
def test_me_patch_cannot_grant_roles_scope_team_or_a_new_username(api, alice):
    response = api(alice).patch(
        "/api/v1/me/",
        {
            "roles": ["admin"],
            "managed_locations": ["JED-01"],
            "team": "JED-01-TELLER",
            "username": "root",
            "email": "root@example.test",
        },
        format="json",
    )

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.roles == ["frontline"]
    assert not alice.is_staff
    assert list(alice.managed_locations.all()) == []
    assert (alice.team.code, alice.username, alice.email) == (
        "RUH-01-TELLER",
        "alice",
        "alice@example.test",
    )


@pytest.mark.django_db
def test_me_is_read_and_written_with_a_token(api, alice):
    token = api(None).post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    response = client.patch("/api/v1/me/", {"language": "ar"}, format="json")

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.language == "ar"


@pytest.mark.django_db
def test_me_refuses_put_and_delete(api, alice):
    client = api(alice)

    assert client.put("/api/v1/me/", {"language": "ar"}, format="json").status_code == 405
    assert client.delete("/api/v1/me/").status_code == 405
    assert User.objects.filter(pk=alice.pk).exists()
