import factory
from factory.django import DjangoModelFactory

from portal import services
from portal.models import Channel, Department, Location, Region, Role, Team, User


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n}")
    name_en = factory.LazyAttribute(lambda o: f"Region {o.code}")
    name_ar = factory.LazyAttribute(lambda o: f"منطقة {o.code}")


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"LOC-{n:02d}")
    name_en = factory.LazyAttribute(lambda o: f"Branch {o.code}")
    name_ar = factory.LazyAttribute(lambda o: f"فرع {o.code}")
    region = factory.SubFactory(RegionFactory)


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"TEAM-{n}")
    name_en = factory.LazyAttribute(lambda o: f"Team {o.code}")
    name_ar = factory.LazyAttribute(lambda o: f"فريق {o.code}")
    location = factory.SubFactory(LocationFactory)


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"DEP{n}")
    name_en = factory.LazyAttribute(lambda o: f"Department {o.code}")
    name_ar = factory.LazyAttribute(lambda o: f"إدارة {o.code}")


def make_user(
    username: str,
    *,
    roles=(Role.FRONTLINE,),
    team=None,
    managed=(),
    language="en",
    display_name=None,
    password="correct-horse-battery-9",
) -> User:
    return services.user_create(
        username=username,
        display_name=display_name or username.title(),
        email=f"{username}@example.test",
        password=password,
        roles=roles,
        team=team,
        managed_locations=managed,
        language=language,
        send_welcome=False,
    )


def channel(code: str) -> Channel:
    return Channel.objects.get(code=code)
