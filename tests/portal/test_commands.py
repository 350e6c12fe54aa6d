"""Management commands: seed_demo and import_employees."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.models import Location, Team, User
from tests.html import ARABIC

DEMO_PASSWORD = "demo-test-passphrase-7"
DEMO_USERS = {
    "frontline": {"frontline"},
    "trainer": {"trainer"},
    "manager": {"manager"},
    "admin": {"admin"},
}


def seed(*args: str, password: str = DEMO_PASSWORD) -> str:
    out = StringIO()
    call_command("seed_demo", "--scale", "small", "--password", password, *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows per model, leaving out what logging in writes (sessions, log-in attempts)."""
    skip = {"sessions", "axes", "admin", "contenttypes", "authtoken"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in skip
    }


def organisation() -> dict:
    """What seeding decides, without database ids (sequences do not roll back)."""
    return {
        "locations": list(
            Location.objects.order_by("code").values_list("code", "region__code", "name_ar")
        ),
        "teams": list(Team.objects.order_by("code").values_list("code", "location__code")),
        "people": [
            (u.username, u.display_name, u.team.code if u.team else None, u.language, u.roles)
            for u in User.objects.select_related("team").prefetch_related("role_links")
        ],
    }


def logs_in(client, username: str, password: str) -> bool:
    client.logout()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


# --- seed_demo ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_seed_demo_builds_a_bilingual_organisation_safe_to_run_twice(client):
    # When the demo is seeded
    output = seed()

    # Then there is a bilingual organisation of the promised size
    assert "Demo ready" in output
    assert Location.objects.count() >= 12
    staff = User.objects.filter(role_links__role="frontline", team__isnull=False).distinct()
    assert staff.count() >= 50
    assert all(ARABIC.search(loc.name_ar) and loc.name_en for loc in Location.objects.all())
    assert {u.language for u in staff} == {"ar", "en"}
    # And the four demo users log in with the given password, each with their role
    for username, roles in DEMO_USERS.items():
        user = User.objects.get(username=username)
        assert roles <= set(user.roles), username
        assert logs_in(client, username, DEMO_PASSWORD), username
    assert User.objects.get(username="admin").is_superuser

    # When it runs again, with another password
    counts, org = row_counts(), organisation()
    again = seed(password="another-demo-pass-9")

    # Then nothing is duplicated or changed, except that the new password works
    assert "Demo ready" in again
    assert row_counts() == counts
    assert organisation() == org
    assert not logs_in(client, "manager", DEMO_PASSWORD)
    assert logs_in(client, "manager", "another-demo-pass-9")
    assert logs_in(client, "staff0001", "another-demo-pass-9")


@pytest.mark.django_db
def test_seed_demo_is_deterministic_for_a_seed():
    with transaction.atomic():
        seed("--seed", "11")
        first = organisation(), row_counts()
        transaction.set_rollback(True)
    assert not Location.objects.exists()

    seed("--seed", "11")

    assert (organisation(), row_counts()) == first


# --- import_employees ---------------------------------------------------------------------
def write_csv(tmp_path, text: str, encoding="utf-8"):
    path = tmp_path / "staff.csv"
    path.write_bytes(text.encode(encoding))
    return path


def import_employees(path):
    out, err = StringIO(), StringIO()
    call_command("import_employees", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_employees_creates_and_updates_staff(tmp_path, alice, mona):
    path = write_csv(
        tmp_path,
        "\ufeffusername,display_name,email,team,roles,language\n"
        "huda,هدى العتيبي,huda@example.test,RUH-01-TELLER,frontline,ar\n"
        "sam,Sam Smith,sam@example.test,JED-01-TELLER,manager;trainer,en\n"
        "alice,Alice Anwar-Badr,alice@new.example.test,JED-01-TELLER,frontline|trainer,AR\n"
        "mona,Mona,mona@example.test,,manager,\n",
    )

    out, err = import_employees(path)

    assert "2 created, 2 updated." in out
    assert err == ""
    huda = User.objects.get(username="huda")
    assert (huda.display_name, huda.team.code, huda.language, huda.roles) == (
        "هدى العتيبي",
        "RUH-01-TELLER",
        "ar",
        ["frontline"],
    )
    sam = User.objects.get(username="sam")
    assert sam.roles == ["manager", "trainer"]
    assert sam.is_staff
    alice.refresh_from_db()
    alice._roles_cache = None
    assert (alice.display_name, alice.email, alice.team.code, alice.language) == (
        "Alice Anwar-Badr",
        "alice@new.example.test",
        "JED-01-TELLER",
        "ar",
    )
    assert alice.roles == ["frontline", "trainer"]
    mona.refresh_from_db()
    assert mona.team is None


def staff_csv(count: int, *, prefix: str, name: str, roles: str) -> str:
    lines = ["username,display_name,email,team,roles,language"]
    for i in range(count):
        team = "RUH-01-TELLER" if i % 2 else "JED-01-TELLER"
        lines.append(f"{prefix}{i},{name} {i},{prefix}{i}@example.test,{team},{roles},ar")
    return "\n".join(lines) + "\n"


def import_queries(tmp_path, text: str) -> int:
    path = write_csv(tmp_path, text)
    with CaptureQueriesContext(connection) as queries:
        import_employees(path)
    return len(queries)


@pytest.mark.postgres  # SQLite's bulk inserts are batched by its variable limit
@pytest.mark.django_db
def test_import_writes_in_bulk_whatever_the_number_of_rows(tmp_path, org):
    # Creating 10 or 400 staff, then renaming them and changing their roles, runs
    # the same queries: no query per row.
    sizes = {"few": 10, "many": 400}
    created = [
        import_queries(tmp_path, staff_csv(n, prefix=p, name="Staff", roles="frontline"))
        for p, n in sizes.items()
    ]
    updated = [
        import_queries(tmp_path, staff_csv(n, prefix=p, name="موظف", roles="manager"))
        for p, n in sizes.items()
    ]

    assert created[0] == created[1]
    assert updated[0] == updated[1]
    staff = User.objects.filter(username__startswith="many").order_by("pk")
    assert staff.count() == 400
    assert {(u.display_name.split()[0], tuple(u.roles), u.is_staff) for u in staff} == {
        ("موظف", ("manager",), True)
    }
    assert staff.get(username="many7").team.code == "RUH-01-TELLER"


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path, org):
    path = write_csv(
        tmp_path,
        "username,display_name,email,team,roles,language\n"
        "huda,Huda,huda@example.test,RUH-01-TELLER,frontline,ar\n",
    )

    import_employees(path)
    counts = row_counts()
    out, _err = import_employees(path)

    assert "0 created, 1 updated." in out
    assert row_counts() == counts


@pytest.mark.django_db
def test_a_file_with_bad_rows_changes_nothing_and_names_every_bad_line(tmp_path, alice):
    # Given a file whose good rows are mixed with one bad row of each kind
    path = write_csv(
        tmp_path,
        "username,display_name,email,team,roles,language\n"
        "good1,Good One,good1@example.test,RUH-01-TELLER,frontline,en\n"  # line 2
        "teamless,Team Less,tl@example.test,NOPE,frontline,en\n"  # line 3
        "boss,Big Boss,boss@example.test,RUH-01-TELLER,overlord,en\n"  # line 4
        "mailer,Mail Er,not-an-address,RUH-01-TELLER,frontline,en\n"  # line 5
        "good1,Good Again,g@example.test,RUH-01-TELLER,frontline,en\n"  # line 6
        "nameless,,nameless@example.test,RUH-01-TELLER,frontline,en\n"  # line 7
        "alice,Alice Changed,alice@example.test,RUH-01-TELLER,admin,fr\n"  # line 8
        "good2,Good Two,good2@example.test,JED-01-TELLER,trainer,ar\n",  # line 9
    )
    before = row_counts()

    # When it is imported
    with pytest.raises(CommandError, match="6 problems found: nothing was imported"):
        import_employees(path)

    # Then nothing changed, not even the good rows or the existing user
    assert row_counts() == before
    assert not User.objects.filter(username__in=["good1", "good2", "teamless"]).exists()
    alice.refresh_from_db()
    assert (alice.display_name, alice.language, alice.roles) == ("Alice Anwar", "en", ["frontline"])


@pytest.mark.django_db
def test_every_bad_row_is_reported_by_line_and_column(tmp_path, org):
    path = write_csv(
        tmp_path,
        "username,display_name,email,team,roles,language\n"
        "good1,Good One,good1@example.test,RUH-01-TELLER,frontline,en\n"
        "teamless,Team Less,tl@example.test,NOPE,frontline,en\n"
        "boss,Big Boss,boss@example.test,RUH-01-TELLER,overlord,en\n"
        "mailer,Mail Er,not-an-address,RUH-01-TELLER,frontline,en\n"
        "good1,Good Again,g@example.test,RUH-01-TELLER,frontline,en\n"
        "nameless,,nameless@example.test,RUH-01-TELLER,frontline,en\n"
        "lingo,Lin Go,lingo@example.test,RUH-01-TELLER,frontline,fr\n",
    )
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_employees", str(path), stdout=StringIO(), stderr=err)

    reported = err.getvalue().splitlines()
    assert reported == [
        "line 3, column team: unknown team code “NOPE”",
        "line 4, column roles: unknown role “overlord”",
        "line 5, column email: not a valid e-mail address",
        "line 6, column username: duplicate of line 2",
        "line 7, column display_name: this field is required",
        "line 8, column language: must be “ar” or “en”",
    ]


@pytest.mark.django_db
def test_a_file_without_a_required_column_is_refused(tmp_path, org):
    path = write_csv(tmp_path, "username,email\nhuda,huda@example.test\n")
    err = StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_employees", str(path), stdout=StringIO(), stderr=err)

    assert "line 1, column display_name: required column is missing" in err.getvalue()
    assert not User.objects.filter(username="huda").exists()


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused(tmp_path, org):
    path = write_csv(
        tmp_path,
        "username,display_name\nhuda,هدى\n",
        encoding="cp1256",
    )

    with pytest.raises(CommandError, match="not UTF-8"):
        import_employees(path)
    assert not User.objects.filter(username="huda").exists()


@pytest.mark.django_db
def test_a_missing_file_is_refused(tmp_path, org):
    with pytest.raises(CommandError, match="Cannot read"):
        import_employees(tmp_path / "nope.csv")


@pytest.mark.django_db
def test_seed_demo_replays_history_without_emailing_anyone(
    django_capture_on_commit_callbacks, mailoutbox
):
    from portal.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        seed()

    assert Notification.objects.exists()
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"not_wanted"}
    assert mailoutbox == []
    # and nobody's own e-mail preference was touched to get there
    assert not User.objects.filter(email_notifications=False).exists()
