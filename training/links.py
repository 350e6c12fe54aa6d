"""Standard versions answer insights, which live in the feedback app.

Imports run feedback → training → portal, so training never imports feedback.
Instead feedback registers here, in its ``AppConfig.ready()``:

* a *lookup* ``fn(user, ids) -> {id: {"title": str, "url": str}}`` giving the insights
  among ``ids`` that ``user`` may see (feedback's access rule): any other id is
  "no such insight";
* a *notifier* ``fn(version, ids)`` telling the insights' submitters (anonymous ones
  too) and followers that their insight changed the standard.

Without feedback installed no id resolves and nobody is told (deny by default).
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_lookup: Callable | None = None
_notifier: Callable | None = None


def register_insights(*, lookup: Callable, notifier: Callable) -> None:
    global _lookup, _notifier
    _lookup, _notifier = lookup, notifier


def insights_for(user, ids: Iterable[int]) -> dict[int, dict]:
    """The insights among ``ids`` that ``user`` may see, with a title and a link."""
    ids = sorted(set(ids))
    if not ids or _lookup is None:
        return {}
    return _lookup(user, ids)


def resolve_insight_ids(user, ids: Iterable, *, field: str = "answers_insights") -> list[int]:
    """``ids`` as a sorted list of insight ids ``user`` may see; an error naming the
    ones that are not (whether they do not exist or are out of sight)."""
    cleaned = []
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError({field: _("Give insight ids as whole numbers.")})
        cleaned.append(value)
    visible = insights_for(user, cleaned)
    missing = sorted(set(cleaned) - set(visible))
    if missing:
        raise ValidationError(
            {field: _("No such insight: %(ids)s") % {"ids": ", ".join(f"#{i}" for i in missing)}}
        )
    return sorted(set(cleaned))


def notify_insights_answered(version, ids: Iterable[int]) -> None:
    ids = sorted(set(ids))
    if ids and _notifier is not None:
        _notifier(version, ids)
