"""Role × endpoint permission matrix for the organisation and people API."""

import pytest

ROLES = ["anonymous", "alice", "mona", "tariq", "ada"]

ORG_ENDPOINTS = {
    "regions": ("RUH", {"code": "MAK", "name_en": "Makkah", "name_ar": "مكة"}),
    "locations": (
        "RUH-01",
        {"code": "RUH-09", "name_en": "New", "name_ar": "جديد", "region": "RUH", "kind": "branch"},
    ),
    "teams": (
        "RUH-01-TELLER",
        {"code": "RUH-01-CS", "name_en": "CS", "name_ar": "خدمة", "location": "RUH-01"},
    ),
    "departments": ("CS", {"code": "IT", "name_en": "IT", "name_ar": "تقنية المعلومات"}),
    "channels": ("phone", {"code": "kiosk", "name_en": "Kiosk", "name_ar": "الكشك"}),
}


def _client(api, cast, role):
    return api(None if role == "anonymous" else cast[role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(ORG_ENDPOINTS))
def test_org_read_is_for_any_signed_in_user(api, cast, role, resource):
    code, _payload = ORG_ENDPOINTS[resource]
    client = _client(api, cast, role)

    listing = client.get(f"/api/v1/{resource}/")
    detail = client.get(f"/api/v1/{resource}/{code}/")

    expected = 401 if role == "anonymous" else 200
    assert listing.status_code == expected
    assert detail.status_code == expected
    if expected == 200:
        assert code in [item["code"] for item in listing.json()["results"]]
        assert detail.json()["code"] == code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(ORG_ENDPOINTS))
def test_org_write_is_for_admins_only(api, cast, role, resource):
    code, payload = ORG_ENDPOINTS[resource]
    client = _client(api, cast, role)

    created = client.post(f"/api/v1/{resource}/", payload, format="json")
    changed = client.patch(f"/api/v1/{resource}/{code}/", {"name_en": "Renamed"}, format="json")
    removed = client.delete(f"/api/v1/{resource}/{payload['code']}/")

    if role == "ada":
        assert created.status_code == 201, created.json()
        assert created.json()["code"] == payload["code"]
        assert changed.status_code == 200
        assert changed.json()["name_en"] == "Renamed"
        assert removed.status_code == 204
    else:
        refused = 401 if role == "anonymous" else 403
        assert (created.status_code, changed.status_code, removed.status_code) == (
            refused,
            refused,
            refused,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_users_endpoint_is_for_admins_only(api, cast, role):
    client = _client(api, cast, role)
    payload = {
        "username": "newbie",
        "display_name": "New Bie",
        "email": "newbie@example.test",
        "password": "a-long-enough-passphrase",
        "roles": ["frontline"],
        "team": "RUH-01-TELLER",
        "language": "ar",
    }

    listing = client.get("/api/v1/users/")
    created = client.post("/api/v1/users/", payload, format="json")
    detail = client.get(f"/api/v1/users/{cast['alice'].pk}/")

    if role == "ada":
        assert listing.status_code == 200
        assert created.status_code == 201
        assert detail.status_code == 200
    else:
        refused = 401 if role == "anonymous" else 403
        assert (listing.status_code, created.status_code, detail.status_code) == (
            refused,
            refused,
            refused,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_me_is_for_any_signed_in_user(api, cast, role):
    response = _client(api, cast, role).get("/api/v1/me/")

    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == 200
        assert response.json()["username"] == cast[role].username


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_schema_and_docs_are_public_but_api_root_is_not_listed(client, cast, role):
    if role != "anonymous":
        client.force_login(cast[role])

    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    # Issue 6.26: the API root is no page of links to browse
    assert client.get("/api/v1/").status_code == 404
