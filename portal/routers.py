"""Reads for the analytics go to the analytics database when there is one.

With ``ANALYTICS_DATABASE_URL`` set (a read replica of the primary), every query made
inside :func:`analytics_reads` — the rollups, insights, people and training records an
analysis reads — goes to the ``analytics`` alias; writes, and every read outside it,
stay on ``default``. Without it, everything reads ``default``. This is how the
portal grows past one database server: the heavy reads move to replicas.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

ANALYTICS = "analytics"
_reading = ContextVar("analytics_reads", default=False)


def analytics_alias() -> str:
    """The database alias analytics read from."""
    return ANALYTICS if ANALYTICS in settings.DATABASES else "default"


@contextmanager
def analytics_reads() -> Iterator[str]:
    """Route every read made inside to the analytics database; yields its alias."""
    token = _reading.set(True)
    try:
        yield analytics_alias()
    finally:
        _reading.reset(token)


class AnalyticsRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and ANALYTICS in settings.DATABASES:
            return ANALYTICS
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True if {obj1._state.db, obj2._state.db} <= {"default", ANALYTICS} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica follows the primary's schema; it is never migrated itself.
        return False if db == ANALYTICS else None
