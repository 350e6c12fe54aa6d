"""Panels on the home page, contributed by each app for the roles it serves."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


_PROVIDERS: list[Callable] = []


def register(provider: Callable):
    """``provider(request)`` returns a Panel, or None when it has nothing for this person."""
    _PROVIDERS.append(provider)
    return provider


def panels_for(request) -> list[Panel]:
    panels = [p for p in (provider(request) for provider in _PROVIDERS) if p is not None]
    return sorted(panels, key=lambda p: p.order)
