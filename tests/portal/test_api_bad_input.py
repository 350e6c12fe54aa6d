"""Bad input on every write endpoint: 400 with field errors, in the reader's
language, and nothing written. Plus the token endpoint and log-in throttling."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from portal.models import (
    ApiToken,
    Channel,
    Department,
    Location,
    Notification,
    Region,
    Team,
    User,
    UserRole,
)
from tests.conftest import PASSWORD

ARABIC = re.compile(r"[\u0600-\u06FF]")

NEW_USER = {
    "username": "newbie",
    "display_name": "New Bie",
    "email": "newbie@example.test",
    "password": "a-long-enough-passphrase",
    "roles": ["frontline"],
    "team": "RUH-01-TELLER",
    "managed_locations": [],
    "language": "en",
}

# name: (method, url, a valid body). "{alice}" stands for alice's id.
WRITE_ENDPOINTS = {
    "regions-post": ("post", "/api/v1/regions/", {"code": "MAK", "name_en": "M", "name_ar": "م"}),
    "regions-put": ("put", "/api/v1/regions/RUH/", {"code": "RUH", "name_en": "R", "name_ar": "ر"}),
    "regions-patch": ("patch", "/api/v1/regions/RUH/", {"name_en": "Riyadh Region"}),
    "locations-post": (
        "post",
        "/api/v1/locations/",
        {"code": "RUH-09", "name_en": "N", "name_ar": "ن", "region": "RUH", "kind": "branch"},
    ),
    "locations-put": (
        "put",
        "/api/v1/locations/RUH-01/",
        {"code": "RUH-01", "name_en": "O", "name_ar": "ع", "region": "RUH", "kind": "branch"},
    ),
    "locations-patch": ("patch", "/api/v1/locations/RUH-01/", {"region": "JED"}),
    "teams-post": (
        "post",
        "/api/v1/teams/",
        {"code": "RUH-01-CS", "name_en": "CS", "name_ar": "خدمة", "location": "RUH-01"},
    ),
    "teams-put": (
        "put",
        "/api/v1/teams/RUH-01-TELLER/",
        {"code": "RUH-01-TELLER", "name_en": "T", "name_ar": "ص", "location": "RUH-01"},
    ),
    "teams-patch": ("patch", "/api/v1/teams/RUH-01-TELLER/", {"location": "JED-01"}),
    "departments-post": (
        "post",
        "/api/v1/departments/",
        {"code": "IT", "name_en": "IT", "name_ar": "ت"},
    ),
    "departments-put": (
        "put",
        "/api/v1/departments/CS/",
        {"code": "CS", "name_en": "C", "name_ar": "خ"},
    ),
    "departments-patch": ("patch", "/api/v1/departments/CS/", {"name_ar": "خدمة"}),
    "channels-post": (
        "post",
        "/api/v1/channels/",
        {"code": "kiosk", "name_en": "K", "name_ar": "ك"},
    ),
    "channels-put": (
        "put",
        "/api/v1/channels/phone/",
        {"code": "phone", "name_en": "Phone", "name_ar": "الهاتف", "is_active": True},
    ),
    "channels-patch": ("patch", "/api/v1/channels/phone/", {"is_active": False}),
    "users-post": ("post", "/api/v1/users/", NEW_USER),
    "users-patch": ("patch", "/api/v1/users/{alice}/", {"language": "ar", "roles": ["manager"]}),
    "me-patch": ("patch", "/api/v1/me/", {"language": "ar"}),
    "token-post": ("post", "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}),
}


def snapshot() -> dict:
    """Every row the write endpoints could touch, to prove a refused request wrote nothing."""
    users = User.objects.order_by("pk").values(
        "pk", "username", "display_name", "email", "password", "team", "language", "is_active",
        "is_staff", "is_superuser", "email_notifications",
    )  # fmt: skip
    return {
        "regions": list(Region.objects.order_by("pk").values()),
        "locations": list(Location.objects.order_by("pk").values()),
        "teams": list(Team.objects.order_by("pk").values()),
        "departments": list(Department.objects.order_by("pk").values()),
        "channels": list(Channel.objects.order_by("pk").values()),
        "users": list(users),
        "roles": list(UserRole.objects.order_by("pk").values()),
        "scopes": list(User.managed_locations.through.objects.order_by("pk").values()),
        "tokens": list(ApiToken.objects.values_list("digest", flat=True)),
        "notifications": Notification.objects.count(),
    }


def messages(errors) -> list[str]:
    """All the messages of an error body, however deeply DRF nested them."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in messages(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in messages(value)]
    return [str(errors)]


def send(api, cast, endpoint: str, body, language: str = "en"):
    method, url, _valid = WRITE_ENDPOINTS[endpoint]
    url = url.format(alice=cast["alice"].pk)
    if endpoint == "token-post":
        client = api(None, language)
    elif endpoint == "me-patch":
        client = api(cast["alice"], language)
    else:
        client = api(cast["ada"], language)
    raw = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, raw, content_type="application/json")


def assert_refused(response, fields: set[str], language: str):
    assert response.status_code == 400, response.content
    body = response.json()
    assert fields <= set(body), body
    texts = messages(body)
    assert texts
    if language == "ar":
        assert all(ARABIC.search(text) for text in texts), texts
    else:
        assert not any(ARABIC.search(text) for text in texts), texts


LANGUAGES = pytest.mark.parametrize("language", ["en", "ar"])


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", list(WRITE_ENDPOINTS))
def test_every_write_endpoint_accepts_its_valid_body(api, cast, endpoint):
    # The bad-input cases below start from these bodies: they must be good.
    _method, _url, valid = WRITE_ENDPOINTS[endpoint]

    response = send(api, cast, endpoint, valid)

    assert response.status_code in (200, 201), response.content


@pytest.mark.django_db
@LANGUAGES
@pytest.mark.parametrize("endpoint", list(WRITE_ENDPOINTS))
def test_malformed_json_is_refused(api, cast, endpoint, language):
    before = snapshot()

    response = send(api, cast, endpoint, '{"code": "X", "name_en": ', language)

    assert_refused(response, {"detail"}, language)
    assert "JSON" in response.json()["detail"]
    assert snapshot() == before


@pytest.mark.django_db
@LANGUAGES
@pytest.mark.parametrize("endpoint", list(WRITE_ENDPOINTS))
def test_json_nested_too_deeply_is_refused(api, cast, endpoint, language):
    before = snapshot()

    response = send(api, cast, endpoint, "[" * 100_000 + "]" * 100_000, language)

    assert_refused(response, {"detail"}, language)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "field"),
    [
        ("locations-post", "region"),
        ("teams-post", "location"),
        ("users-post", "team"),
        ("users-post", "managed_locations"),
    ],
)
def test_a_code_holding_a_nul_character_is_an_unknown_code(api, cast, endpoint, field):
    _method, _url, valid = WRITE_ENDPOINTS[endpoint]
    value = ["RUH-01\x00"] if field == "managed_locations" else "RUH\x00"
    before = snapshot()

    response = send(api, cast, endpoint, {**valid, field: value})

    assert_refused(response, {field}, "en")
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/regions/%00/", "/api/v1/channels/app%00x/"])
def test_a_nul_character_in_a_code_url_is_not_found(api, ada, url):
    assert api(ada).get(url).status_code == 404
    assert api(ada).patch(url, {"name_en": "X"}, format="json").status_code == 404


@pytest.mark.django_db
@LANGUAGES
def test_an_unencodable_choice_is_refused_and_named(api, cast, language):
    # A lone surrogate (valid JSON escape, not valid UTF-8) quoted back in the error.
    body = '{"username": "s1", "display_name": "S", "password": "a-long-enough-passphrase", '
    body += '"language": "\\ud800"}'
    before = snapshot()

    response = api(cast["ada"], language).post(
        "/api/v1/users/", body, content_type="application/json"
    )

    assert_refused(response, {"language"}, language)
    assert snapshot() == before


@pytest.mark.django_db
def test_an_admin_creates_an_inactive_account(api, ada):
    response = api(ada).post("/api/v1/users/", {**NEW_USER, "is_active": False}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["is_active"] is False
    assert User.objects.get(username="newbie").is_active is False


@pytest.mark.django_db
def test_me_answers_a_session_login(client, alice):
    # The pages' own JavaScript calls the API with the session cookie, not a token.
    client.force_login(alice)

    response = client.get("/api/v1/me/")
    patched = client.patch(
        "/api/v1/me/", {"display_name": "Alice A."}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert patched.status_code == 200
    assert patched.json()["display_name"] == "Alice A."


@pytest.mark.django_db
def test_a_very_long_username_at_login_is_a_failed_login(client, alice):
    response = client.post("/accounts/login/", {"username": "x" * 300, "password": "nope"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@LANGUAGES
@pytest.mark.parametrize("endpoint", list(WRITE_ENDPOINTS))
def test_a_body_that_is_not_an_object_is_refused(api, cast, endpoint, language):
    before = snapshot()

    response = send(api, cast, endpoint, ["code", "name_en"], language)

    assert_refused(response, {"non_field_errors"}, language)
    assert snapshot() == before


REQUIRED = [
    (endpoint, field)
    for endpoint, fields in {
        "regions-post": ["code", "name_en", "name_ar"],
        "regions-put": ["code", "name_en", "name_ar"],
        "locations-post": ["code", "name_en", "name_ar", "region"],
        "locations-put": ["region"],
        "teams-post": ["code", "name_en", "name_ar", "location"],
        "teams-put": ["location"],
        "departments-post": ["code", "name_en", "name_ar"],
        "departments-put": ["name_en"],
        "channels-post": ["code", "name_en", "name_ar"],
        "channels-put": ["name_ar"],
        "users-post": ["username", "display_name", "password"],
        "token-post": ["username", "password"],
    }.items()
    for field in fields
]


@pytest.mark.django_db
@LANGUAGES
@pytest.mark.parametrize(("endpoint", "field"), REQUIRED, ids=[f"{e}-{f}" for e, f in REQUIRED])
def test_a_missing_required_field_is_named(api, cast, endpoint, field, language):
    _method, _url, valid = WRITE_ENDPOINTS[endpoint]
    body = {k: v for k, v in valid.items() if k != field}
    before = snapshot()

    response = send(api, cast, endpoint, body, language)

    assert_refused(response, {field}, language)
    assert snapshot() == before


BLANKED = [
    ("regions-patch", "name_en"),
    ("departments-patch", "name_ar"),
    ("users-patch", "display_name"),
    ("me-patch", "display_name"),
    ("token-post", "username"),
]


@pytest.mark.django_db
@LANGUAGES
@pytest.mark.parametrize(("endpoint", "field"), BLANKED, ids=[f"{e}-{f}" for e, f in BLANKED])
def test_a_blank_required_field_is_named(api, cast, endpoint, field, language):
    _method, _url, valid = WRITE_ENDPOINTS[endpoint]
    before = snapshot()

    response = send(api, cast, endpoint, {**valid, field: ""}, language)

    assert_refused(response, {field}, language)
    assert snapshot() == before


UNKNOWN_CODES = [
    ("locations-post", {"region": "NOPE"}),
    ("locations-put", {"region": "NOPE"}),
    ("locations-patch", {"region": "NOPE"}),
    ("teams-post", {"location": "NOPE"}),
    ("teams-put", {"location": "NOPE"}),
    ("teams-patch", {"location": "NOPE"}),
    ("users-post", {"team": "NOPE"}),
    ("users-post", {"managed_locations": ["RUH-01", "NOPE"]}),
    ("users-patch", {"team": "NOPE"}),
    ("users-patch", {"managed_locations": ["NOPE"]}),
]


@pytest.mark.django_db
@LANGUAGES
@pytest.mark.parametrize(
    ("endpoint", "change"),
    UNKNOWN_CODES,
    ids=[f"{e}-{next(iter(c))}" for e, c in UNKNOWN_CODES],
)
def test_an_unknown_code_is_refused_and_named(api, cast, endpoint, change, language):
    _method, _url, valid = WRITE_ENDPOINTS[endpoint]
    before = snapshot()

    response = send(api, cast, endpoint, {**valid, **change}, language)

    assert_refused(response, set(change), language)
    assert "NOPE" in json.dumps(response.json())
    assert snapshot() == before


WRONG_TYPES = {
    "regions-post-code-not-a-slug": ("regions-post", {"code": "not a code!"}),
    "regions-post-name-as-list": ("regions-post", {"name_en": ["Makkah"]}),
    "regions-patch-name-null": ("regions-patch", {"name_en": None}),
    "locations-post-unknown-kind": ("locations-post", {"kind": "castle"}),
    "locations-patch-region-as-object": ("locations-patch", {"region": {"code": "JED"}}),
    "teams-post-code-too-long": ("teams-post", {"code": "T" * 41}),
    "departments-post-name-as-number": ("departments-post", {"name_ar": {"ar": 1}}),
    "channels-post-is-active-maybe": ("channels-post", {"is_active": "maybe"}),
    "channels-patch-is-active-maybe": ("channels-patch", {"is_active": "maybe"}),
    "users-post-roles-as-string": ("users-post", {"roles": "manager"}),
    "users-post-unknown-role": ("users-post", {"roles": ["frontline", "boss"]}),
    "users-post-no-roles": ("users-post", {"roles": []}),
    "users-post-language-fr": ("users-post", {"language": "fr"}),
    "users-post-is-active-maybe": ("users-post", {"is_active": "maybe"}),
    "users-post-bad-email": ("users-post", {"email": "not-an-address"}),
    "users-post-scope-as-string": ("users-post", {"managed_locations": "RUH-01"}),
    "users-post-team-as-number": ("users-post", {"team": 7}),
    "users-patch-roles-as-string": ("users-patch", {"roles": "admin"}),
    "users-patch-language-fr": ("users-patch", {"language": "fr"}),
    "users-patch-is-active-maybe": ("users-patch", {"is_active": "maybe"}),
    "me-patch-language-fr": ("me-patch", {"language": "fr"}),
    "me-patch-email-notifications-maybe": ("me-patch", {"email_notifications": "maybe"}),
    "token-post-username-as-object": ("token-post", {"username": {"name": "alice"}}),
}


@pytest.mark.django_db
@LANGUAGES
@pytest.mark.parametrize("case", list(WRONG_TYPES))
def test_a_value_of_the_wrong_type_is_refused_and_named(api, cast, case, language):
    endpoint, change = WRONG_TYPES[case]
    _method, _url, valid = WRITE_ENDPOINTS[endpoint]
    before = snapshot()

    response = send(api, cast, endpoint, {**valid, **change}, language)

    assert_refused(response, set(change), language)
    assert snapshot() == before


@pytest.mark.django_db
@LANGUAGES
@pytest.mark.parametrize(
    ("endpoint", "field", "value"),
    [
        ("regions-post", "code", "RUH"),
        ("locations-post", "code", "JED-01"),
        ("users-post", "username", "bob"),
    ],
    ids=["region-code", "location-code", "username"],
)
def test_a_duplicate_is_refused_and_named(api, cast, endpoint, field, value, language):
    _method, _url, valid = WRITE_ENDPOINTS[endpoint]
    before = snapshot()

    response = send(api, cast, endpoint, {**valid, field: value}, language)

    assert_refused(response, {field}, language)
    assert snapshot() == before


@pytest.mark.django_db
@LANGUAGES
def test_a_weak_password_is_refused_with_every_reason(api, cast, language):
    before = snapshot()

    response = send(api, cast, "users-post", {**NEW_USER, "password": "1234"}, language)

    assert_refused(response, {"password"}, language)
    assert len(response.json()["password"]) == 3  # too short, too common, entirely numeric
    assert snapshot() == before


@pytest.mark.django_db
def test_a_refused_request_writes_nothing_even_when_only_one_field_is_bad(api, cast):
    # Given a change to several fields, one of them bad
    before = snapshot()
    body = {"display_name": "Renamed", "language": "ar", "roles": ["manager"], "team": "NOPE"}

    response = send(api, cast, "users-patch", body)

    # Then none of the good fields were saved either
    assert response.status_code == 400
    assert set(response.json()) == {"team"}
    assert snapshot() == before


# --- token -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_token_endpoint_returns_a_token_that_authenticates(api, alice):
    response = api(None).post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    token = response.json()["token"]
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "alice"


@pytest.mark.django_db
def test_each_device_gets_its_own_key_kept_only_as_a_digest(api, alice):
    """Issue 6.3: no key can be read back after it is handed out."""
    body = {"username": "alice", "password": PASSWORD}

    first = api(None).post("/api/v1/auth/token/", body, format="json").json()["token"]
    second = api(None).post("/api/v1/auth/token/", body, format="json").json()["token"]

    assert first != second
    stored = set(ApiToken.objects.filter(user=alice).values_list("digest", flat=True))
    assert stored == {hashlib.sha256(k.encode()).hexdigest() for k in (first, second)}
    for key in (first, second):
        client = api(None)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/v1/me/").json()["username"] == "alice"


@pytest.mark.django_db
def test_a_key_is_revoked_by_its_holder(api, alice):
    body = {"username": "alice", "password": PASSWORD}
    keys = [
        api(None).post("/api/v1/auth/token/", body, format="json").json()["token"] for _ in "ab"
    ]
    clients = []
    for key in keys:
        client = api(None)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        clients.append(client)

    assert clients[0].delete("/api/v1/auth/token/").status_code == 204

    assert clients[0].get("/api/v1/me/").status_code == 401
    assert clients[1].get("/api/v1/me/").status_code == 200
    assert clients[1].delete("/api/v1/auth/token/?all=true").status_code == 204
    assert clients[1].get("/api/v1/me/").status_code == 401
    assert api(None).delete("/api/v1/auth/token/").status_code == 401


@pytest.mark.django_db
@LANGUAGES
@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "alice", "password": "wrong-password-123"},
        {"username": "nobody", "password": PASSWORD},
    ],
    ids=["wrong-password", "unknown-user"],
)
def test_the_token_endpoint_refuses_bad_credentials(api, alice, credentials, language):
    response = api(None, language).post("/api/v1/auth/token/", credentials, format="json")

    assert_refused(response, {"non_field_errors"}, language)
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_token_endpoint_refuses_an_inactive_user(api, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    response = api(None).post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_wrong_token_is_refused(api, alice):
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get("/api/v1/me/").status_code == 401


# --- log-in throttling --------------------------------------------------------------------
def _fail_until_locked(post) -> list[int]:
    return [post("wrong-password-123").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]


def _cool_off_passes() -> None:
    # Time passing, as far as django-axes can tell: its attempts become older than the cool-off.
    long_ago = AccessAttempt.objects.values_list("attempt_time", flat=True).first() - (
        settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    )
    AccessAttempt.objects.update(attempt_time=long_ago)


@pytest.mark.django_db
def test_page_login_pauses_after_too_many_failures_then_works_again(client, alice):
    def post(password):
        return client.post("/accounts/login/", {"username": "alice", "password": password})

    # When the failure limit is reached
    statuses = _fail_until_locked(post)

    # Then the last failure and even the right password meet the locked-out page
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    locked = post(PASSWORD)
    assert locked.status_code == 429
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"Try again in {minutes} minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # And after the cool-off the right password works again: a pause, not a lock
    _cool_off_passes()
    response = post(PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


@pytest.mark.django_db
def test_the_locked_out_page_speaks_arabic(client, alice):
    def post(password):
        return client.post(
            "/accounts/login/",
            {"username": "alice", "password": password},
            HTTP_ACCEPT_LANGUAGE="ar",
        )

    _fail_until_locked(post)
    locked = post(PASSWORD)

    assert locked.status_code == 429
    html = locked.content.decode()
    assert 'dir="rtl"' in html
    assert "محاولات تسجيل دخول فاشلة كثيرة جدًا" in html


@pytest.mark.django_db
def test_one_users_lock_does_not_lock_another(client, alice, bob):
    _fail_until_locked(
        lambda password: client.post(
            "/accounts/login/", {"username": "alice", "password": password}
        )
    )

    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})

    assert response.status_code == 302


@pytest.mark.django_db
@LANGUAGES
def test_token_login_pauses_after_too_many_failures_then_works_again(api, alice, language):
    client = api(None, language)

    def post(password):
        return client.post(
            "/api/v1/auth/token/", {"username": "alice", "password": password}, format="json"
        )

    statuses = _fail_until_locked(post)
    locked = post(PASSWORD)

    assert statuses[-1] == 429
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    detail = locked.json()["detail"]
    assert bool(ARABIC.search(detail)) == (language == "ar")
    assert not ApiToken.objects.exists()

    _cool_off_passes()
    assert post(PASSWORD).status_code == 200


WAYS_IN = {
    "login-page": lambda client, user, password: client.post(
        "/accounts/login/", {"username": user, "password": password}
    ),
    "admin-login": lambda client, user, password: client.post(
        "/admin/login/", {"username": user, "password": password, "next": "/admin/"}
    ),
    "api-token": lambda client, user, password: client.post(
        "/api/v1/auth/token/",
        json.dumps({"username": user, "password": password}),
        content_type="application/json",
    ),
}
SIGNED_IN = {"login-page": 302, "admin-login": 302, "api-token": 200}


@pytest.mark.django_db
@pytest.mark.parametrize("spray", sorted(WAYS_IN))
@pytest.mark.parametrize("then", sorted(WAYS_IN))
def test_one_address_trying_many_usernames_pauses_every_way_in(client, settings, ada, spray, then):
    """Issue 6.8: the per-address limit is one limit for the page, the admin and the API."""
    # Given an address that failed with many usernames (each under the per-user limit)
    # through one way in
    # (fewer than the API's 10 token requests a minute, which it throttles anyway)
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for i in range(8):
        response = WAYS_IN[spray](client, f"user{i}", "Spring2026!")
        assert response.status_code in (200, 400), response.status_code

    # Then that address is paused on every way in, even for a right password
    response = WAYS_IN[then](client, "ada", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not ApiToken.objects.exists()

    # And another address is not; after the cool-off, this one is not either
    other = WAYS_IN[then](Client(REMOTE_ADDR="192.0.2.77"), "ada", PASSWORD)
    assert other.status_code == SIGNED_IN[then]
    _cool_off_passes()
    assert WAYS_IN[then](Client(), "ada", PASSWORD).status_code == SIGNED_IN[then]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["RUH", "ruh", " Ruh "])
def test_a_code_taken_in_any_case_is_refused(api, cast, code):
    before = snapshot()

    response = api(cast["ada"]).post(
        "/api/v1/regions/", {"code": code, "name_en": "R", "name_ar": "ر"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": ["This code is taken (upper and lower case count as the same)."]
    }
    assert snapshot() == before
