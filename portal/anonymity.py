"""Keyed hashes that stand in for the author of an anonymous insight.

The token is an HMAC of the user's id under ``ANONYMITY_KEY``: someone reading
the database cannot tell whose it is, while the signed-in user can recompute
their own token to find "my insights" and their notifications.
"""

import hashlib
import hmac

from django.conf import settings


def author_token(user) -> str:
    """The stand-in for ``user`` on anything they post anonymously.

    Kept on the instance, like its roles: a list of insights asks once per row.
    """
    cached = getattr(user, "_author_token_cache", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    key = settings.ANONYMITY_KEY.encode()
    token = hmac.new(key, f"author:{user.pk}".encode(), hashlib.sha256).hexdigest()
    user._author_token_cache = (user.pk, token)
    return token


def user_for_token(token: str):
    """Find the user behind ``token``, for delivering an e-mail. Never stored."""
    from portal.models import User

    if not token:
        return None
    for user in User.objects.filter(is_active=True).only("pk").iterator(chunk_size=2000):
        if hmac.compare_digest(author_token(user), token):
            return User.objects.get(pk=user.pk)
    return None
