"""What stands in for the person behind an anonymous insight.

* The **author token** is an HMAC of the user's id under ``ANONYMITY_KEY``: someone
  reading the database cannot tell whose it is, while the signed-in user can recompute
  their own token to find "my insights" and their notifications.
* A **sealed recipient** is the user's id encrypted (AES-GCM, a fresh random nonce each
  time) under a key derived from ``ANONYMITY_KEY``. A notification to an anonymous
  author carries one, so the e-mail task finds the person in one lookup, while the
  database alone names nobody, and two sealed values of one person look unrelated.
* **Coarse times**: everything recorded for an anonymous identity is stamped to the
  hour (:func:`coarse_now`), so no precise time links it to what the same person did
  under their name (a log-in, a named notification read at the same instant).
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import os

from django.conf import settings
from django.utils import timezone


def author_token(user) -> str:
    """The stand-in for ``user`` on anything they post anonymously.

    Kept on the instance, like its roles: a list of insights asks once per row.
    """
    cached = getattr(user, "_author_token_cache", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    token = token_for_user_id(user.pk)
    user._author_token_cache = (user.pk, token)
    return token


def token_for_user_id(user_id: int) -> str:
    key = settings.ANONYMITY_KEY.encode()
    return hmac.new(key, f"author:{user_id}".encode(), hashlib.sha256).hexdigest()


def _sealing_key() -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"frontline-voice:recipient"
    ).derive(settings.ANONYMITY_KEY.encode())


def seal_user_id(user_id: int) -> str:
    """The user id, encrypted and authenticated; different every time it is sealed."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(_sealing_key()).encrypt(nonce, str(user_id).encode(), b"recipient")
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal_user_id(sealed: str) -> int | None:
    """The user id inside ``sealed``, or ``None`` when it was not sealed with this key."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        plain = AESGCM(_sealing_key()).decrypt(raw[:12], raw[12:], b"recipient")
        return int(plain)
    except (InvalidTag, ValueError, binascii.Error):
        return None


def coarse_now() -> datetime.datetime:
    """Now, to the hour: the time recorded for anything an anonymous identity does."""
    return coarse(timezone.now())


def coarse(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` cut down to the start of its hour (local time)."""
    local = timezone.localtime(moment)
    return local.replace(minute=0, second=0, microsecond=0)
