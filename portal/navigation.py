"""Main-navigation entries, registered by each app for the roles they serve."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    roles: tuple[str, ...] = ()  # empty: everyone signed in
    order: int = 100


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    _ITEMS.append(item)


def items_for(user) -> list[dict]:
    visible = [i for i in _ITEMS if not i.roles or user.has_role(*i.roles)]
    return [
        {"label": i.label, "url": reverse(i.url_name)}
        for i in sorted(visible, key=lambda i: i.order)
    ]
