"""Organisation structure through the API: everything written and read by code."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Location, Region, Team
from tests.factories import LocationFactory, TeamFactory

CHANNELS = ["app", "branch", "chat", "delivery", "email", "phone", "social", "web"]


@pytest.mark.django_db
def test_admin_builds_region_location_and_team_by_code(api, ada):
    client = api(ada)

    region = client.post(
        "/api/v1/regions/", {"code": "MAK", "name_en": "Makkah", "name_ar": "مكة"}, format="json"
    )
    location = client.post(
        "/api/v1/locations/",
        {"code": "MAK-01", "name_en": "Aziziyah", "name_ar": "العزيزية", "region": "MAK"},
        format="json",
    )
    team = client.post(
        "/api/v1/teams/",
        {"code": "MAK-01-CS", "name_en": "CS", "name_ar": "خدمة العملاء", "location": "MAK-01"},
        format="json",
    )

    assert (region.status_code, location.status_code, team.status_code) == (201, 201, 201)
    assert location.json() == {
        "code": "MAK-01",
        "name": "Aziziyah",
        "name_en": "Aziziyah",
        "name_ar": "العزيزية",
        "region": "MAK",
        "kind": "branch",
    }
    assert team.json()["location"] == "MAK-01"
    assert Team.objects.get(code="MAK-01-CS").location.region.code == "MAK"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name"), [("en", "Olaya"), ("ar", "العليا")], ids=["english", "arabic"]
)
def test_names_come_in_the_requested_language(api, alice, language, name):
    body = api(alice, language).get("/api/v1/locations/RUH-01/").json()

    assert body["name"] == name
    assert (body["name_en"], body["name_ar"]) == ("Olaya", "العليا")


@pytest.mark.django_db
def test_the_eight_channels_exist_from_the_first_migration(api, alice):
    body = api(alice).get("/api/v1/channels/").json()

    assert sorted(c["code"] for c in body["results"]) == CHANNELS
    assert all(c["name_en"] and c["name_ar"] and c["is_active"] for c in body["results"])


@pytest.mark.django_db
def test_moving_a_location_to_another_region_by_code(api, ada):
    response = api(ada).patch("/api/v1/locations/RUH-01/", {"region": "JED"}, format="json")

    assert response.status_code == 200
    assert response.json()["region"] == "JED"
    assert Location.objects.get(code="RUH-01").region.code == "JED"


@pytest.mark.django_db
def test_renaming_a_code_keeps_its_children(api, ada):
    response = api(ada).patch("/api/v1/regions/RUH/", {"code": "RIY"}, format="json")

    assert response.status_code == 200
    assert api(ada).get("/api/v1/locations/RUH-01/").json()["region"] == "RIY"
    assert api(ada).get("/api/v1/regions/RUH/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("resource", "code"),
    [("regions", "RUH"), ("locations", "RUH-01")],
    ids=["region-with-locations", "location-with-teams"],
)
def test_something_still_in_use_cannot_be_deleted(api, ada, resource, code):
    response = api(ada).delete(f"/api/v1/{resource}/{code}/")

    assert response.status_code == 400
    assert "still in use" in response.json()["non_field_errors"][0]
    assert api(ada).get(f"/api/v1/{resource}/{code}/").status_code == 200


@pytest.mark.django_db
def test_deleting_a_team_leaves_its_members_without_a_team(api, ada, alice):
    response = api(ada).delete("/api/v1/teams/RUH-01-TELLER/")

    assert response.status_code == 204
    alice.refresh_from_db()
    assert alice.team is None
    assert alice.is_active


@pytest.mark.django_db
def test_something_unused_can_be_deleted(api, ada):
    response = api(ada).delete("/api/v1/departments/CS/")

    assert response.status_code == 204
    assert api(ada).get("/api/v1/departments/CS/").status_code == 404


@pytest.mark.django_db
def test_an_unknown_code_is_404(api, alice):
    assert api(alice).get("/api/v1/locations/NOPE/").status_code == 404


@pytest.mark.django_db
def test_locations_filter_by_kind(api, alice, org):
    LocationFactory(code="RUH-CC", region=org.ruh, kind=Location.Kind.CALL_CENTRE)

    body = api(alice).get("/api/v1/locations/", {"kind": "call_centre"}).json()

    assert [item["code"] for item in body["results"]] == ["RUH-CC"]


@pytest.mark.django_db
def test_lists_are_paginated(api, alice, org):
    for n in range(5):
        Region.objects.create(code=f"X{n}", name_en=f"X{n}", name_ar=f"س{n}")

    first = api(alice).get("/api/v1/regions/", {"page_size": 3}).json()
    second = api(alice).get(first["next"]).json()

    assert first["count"] == 7
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert len(second["results"]) == 3
    codes = [r["code"] for r in first["results"] + second["results"]]
    assert codes == sorted(codes)
    assert len(set(codes)) == 6


@pytest.mark.django_db
@pytest.mark.parametrize("resource", ["locations", "teams"])
def test_lists_read_at_a_constant_number_of_queries(api, alice, org, resource):
    def listing():
        with CaptureQueriesContext(connection) as queries:
            response = api(alice).get(f"/api/v1/{resource}/")
        assert response.status_code == 200
        return len(queries)

    few = listing()
    for _ in range(12):
        TeamFactory(location=LocationFactory(region=org.ruh))
    many = listing()

    # The count, then the page with its parent joined in (and, for teams, the channels
    # they serve, prefetched).
    expected = {"locations": 2, "teams": 3}[resource]
    assert few == many == expected
