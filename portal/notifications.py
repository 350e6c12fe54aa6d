"""Notification kinds and how each renders, in the active language.

A notification stores a ``kind`` and a small ``context`` of codes and ids, never
rendered text, so the same row renders in Arabic for an Arabic reader and in
English for an English one, on the page and in e-mail.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


_KINDS: dict[str, Callable[[dict], Rendered]] = {}


def isolate(text) -> str:
    """User text set apart from the sentence around it (Unicode first-strong isolate).

    An English title inside an Arabic sentence, or the reverse, would otherwise be
    reordered with it: punctuation and quotes jump to the wrong side. Works the same
    on the page, in plain-text e-mail and in HTML.
    """
    return f"\u2068{text}\u2069" if text else ""


def register(kind: str):
    """Register the renderer of a notification kind."""

    def decorator(fn: Callable[[dict], Rendered]):
        _KINDS[kind] = fn
        return fn

    return decorator


def is_registered(kind: str) -> bool:
    return kind in _KINDS


def render(notification) -> Rendered:
    renderer = _KINDS.get(notification.kind)
    if renderer is None:
        return Rendered(title=_("Notification"), body="")
    return renderer(notification.context or {})


@register("welcome")
def _welcome(context: dict) -> Rendered:
    return Rendered(
        title=_("Welcome to Frontline Voice"),
        body=_(
            "Your account %(username)s is ready. Tell us what customers struggle with "
            "and how to fix it, and keep your service training up to date."
        )
        % {"username": isolate(context.get("username", ""))},
    )


@register("message")
def _message(context: dict) -> Rendered:
    # Free text from an administrator, already written for its reader.
    return Rendered(title=context.get("title", ""), body=context.get("body", ""))
