"""What views take from a request: where to go back to, which ids were ticked."""

import re

from django.utils.http import url_has_allowed_host_and_scheme

_ID = re.compile(r"[0-9]{1,18}")


def next_url(request, default: str = "/") -> str:
    """Where a form asked to go back to (POST ``next``): a path on this site, else ``default``.

    Only a path is taken: a bare word would be read by ``redirect()`` as a URL name.
    """
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def ids_from(values: list[str]) -> list[int]:
    """The well-formed ids among ``values`` (ASCII digits that fit a database integer)."""
    return [int(value) for value in values if _ID.fullmatch(value)]
