"""API keys stored as digests (portal.models.ApiToken), sent as ``Authorization: Token <key>``."""

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from portal.models import ApiToken, User

# A person keeps at most this many keys (one per device or script); a new one
# retires the oldest.
TOKENS_PER_USER = 10


def digest_of(key: str) -> str:
    # A key is 256 random bits: a plain SHA-256 cannot be reversed or guessed.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User) -> str:
    """A new API key for ``user``; only its digest is stored. Returns the key."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=digest_of(key))
    keep = ApiToken.objects.filter(user=user).values_list("pk", flat=True)[:TOKENS_PER_USER]
    ApiToken.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
    return key


def token_revoke(*, user: User, key: str | None) -> int:
    """Revoke the key ``key`` of ``user``, or all their keys when ``key`` is None."""
    tokens = ApiToken.objects.filter(user=user)
    if key is not None:
        tokens = tokens.filter(digest=digest_of(key))
    deleted, _detail = tokens.delete()
    return deleted


class DigestTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        if "\x00" in key or len(key) > 200:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        # The person's team and location come along: submitting an insight needs them.
        token = (
            ApiToken.objects.select_related("user__team__location")
            .filter(digest=digest_of(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, key)
