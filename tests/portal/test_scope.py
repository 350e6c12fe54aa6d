"""The one scope rule (portal.scope): the queryset helper, its ``Q`` and its predicate
agree for every kind of person, and the managers of a location are found by it
(issue 6.24)."""

import pytest

from portal.models import Location, Role, User
from portal.scope import in_scope, location_in_scope, managers_of, scope_q
from tests.factories import LocationFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast, org):
    LocationFactory(code="DMM-01", region=org.ruh)  # managed by nobody directly
    return {
        **cast,
        # a manager with no locations: the whole organisation
        "hind": make_user("hind", roles=[Role.MANAGER], team=org.team_ruh),
        "two": make_user("two", roles=[Role.MANAGER], managed=[org.ruh01, org.jed01]),
    }


EXPECTED = {
    "alice": set(),
    "bob": set(),
    "tariq": set(),
    "mona": {"RUH-01"},
    "omar": {"JED-01"},
    "two": {"RUH-01", "JED-01"},
    "hind": {"RUH-01", "JED-01", "DMM-01"},
    "ada": {"RUH-01", "JED-01", "DMM-01"},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_queryset_its_condition_and_its_predicate_agree(people, who):
    user = User.objects.get(pk=people[who].pk)  # nothing cached on the instance
    locations = Location.objects.all()

    by_queryset = set(in_scope(locations, user, field="pk").values_list("code", flat=True))
    condition = scope_q(user, field="pk")
    by_condition = set(
        (locations if condition is None else locations.filter(condition)).values_list(
            "code", flat=True
        )
    )
    by_predicate = {loc.code for loc in locations if location_in_scope(user, loc.pk)}

    assert by_queryset == by_condition == by_predicate == EXPECTED[who]
    # a row with no location is in scope only where scope means the whole organisation
    assert location_in_scope(user, None) == (who in ("hind", "ada"))


def test_the_managers_of_a_location_are_those_who_manage_it_else_the_organisation_wide(people, org):
    managers = list(
        User.objects.filter(role_links__role=Role.MANAGER).prefetch_related("managed_locations")
    )
    dmm = Location.objects.get(code="DMM-01")

    def names(location) -> set[str]:
        return {m.username for m in managers_of(location.pk, managers)}

    assert names(org.ruh01) == {"mona", "two"}
    assert names(org.jed01) == {"omar", "two"}
    # nobody manages DMM-01 itself: the managers of the whole organisation do
    assert names(dmm) == {"hind"}
    # and every one of them has the location in scope
    for location in (org.ruh01, org.jed01, dmm):
        assert all(location_in_scope(m, location.pk) for m in managers_of(location.pk, managers))
