"""Other apps hear about changes to people through this registry, not through signals.

Portal's user services and the employee import call :func:`people_changed` with the
people they created or whose team, location or roles changed; apps that follow
people (training assigns modules by rule) register a function in their
``AppConfig.ready()``. Registered functions run inside the caller's transaction and
take the whole batch at once, so a bulk import stays a few queries whatever its size.
"""

from collections.abc import Callable, Iterable

_PEOPLE_CHANGED: list[Callable] = []


def register_people_changed(fn: Callable):
    """Register ``fn(*, users: list[User], created: bool)``.

    ``created`` is true for people who have just joined, false for people whose
    team (and so location) or roles changed.
    """
    if fn not in _PEOPLE_CHANGED:
        _PEOPLE_CHANGED.append(fn)
    return fn


def people_changed(users: Iterable, *, created: bool) -> None:
    """Tell every registered function about ``users`` (does nothing for none)."""
    users = list(users)
    if not users:
        return
    for fn in _PEOPLE_CHANGED:
        fn(users=users, created=created)
