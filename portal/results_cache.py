"""Results of heavy reads (the analytics), cached per analysis, viewer's scope and
parameters, and replaced as soon as the data they read changes.

A result is stored under a key made of the analysis, the scope (the locations the
viewer manages, or the whole organisation), the parameters and the current *token*
of every kind of data it read: ``survey`` (responses and their rollup), ``insights``,
``training`` and ``endorsements``. Every write of such data replaces that kind's token once its
transaction commits (:func:`data_changed`), so the next request computes afresh and
a stale figure is never served; an entry nobody asks for again expires after
``ANALYTICS_CACHE_SECONDS``.

Any app may say its data changed (training does, for compliance), so this lives in
``portal``, below them all. Tokens are random, never counters: if the cache loses a
token (eviction, restart), a new one is drawn, and no older result can match it again.
"""

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

SURVEY, INSIGHTS, TRAINING = "survey", "insights", "training"
# "Me too"s change often and only the dashboard's most endorsed insights read them.
ENDORSEMENTS = "endorsements"
KINDS = (SURVEY, INSIGHTS, TRAINING, ENDORSEMENTS)
_PREFIX = "analytics"


def _token_key(kind: str) -> str:
    return f"{_PREFIX}:token:{kind}"


def _tokens(kinds: Iterable[str]) -> list[str]:
    keys = [_token_key(kind) for kind in kinds]
    found = cache.get_many(keys)
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            # Whoever adds first wins; everyone then reads the same token.
            cache.add(key, uuid.uuid4().hex, timeout=None)
            token = cache.get(key) or uuid.uuid4().hex
        tokens.append(token)
    return tokens


def data_changed(*kinds: str, using: str | None = None) -> None:
    """Say that data of these kinds changed: once the current transaction commits (at
    once outside one), every cached result that read them is replaced."""
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown kind of analytics data: {kind!r}")

    def renew():
        cache.set_many({_token_key(kind): uuid.uuid4().hex for kind in kinds}, timeout=None)

    transaction.on_commit(renew, using=using)


def cached(
    name: str, *, scope: str, params: dict, reads: Iterable[str], compute: Callable[[], object]
):
    """``compute()``'s result, from the cache when the same analysis was computed for
    the same scope and parameters since the data it ``reads`` last changed."""
    reads = sorted(set(reads))
    payload = json.dumps(
        {"scope": scope, "params": params, "tokens": dict(zip(reads, _tokens(reads), strict=True))},
        sort_keys=True,
        default=str,
    )
    key = f"{_PREFIX}:{name}:{hashlib.sha256(payload.encode()).hexdigest()}"
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, timeout=settings.ANALYTICS_CACHE_SECONDS)
    return result
