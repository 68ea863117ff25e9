"""Pseudonymous case references made with a key only the force holds."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Final

from cse_programme._errors import ValidationError
from cse_programme.model import CASE_TOKEN_LENGTH, CaseReference

#: The shortest key accepted: 128 bits.
MIN_KEY_BYTES: Final = 16


def pseudonymise(internal_reference: str, key: bytes | bytearray | memoryview) -> CaseReference:
    """Turn a force's own case reference into a stable pseudonymous token.

    The token is a keyed hash (HMAC-SHA-256) of the reference: the same
    reference and key always give the same token, so records can be linked
    across files, while without the key the token reveals nothing.  The key
    is the caller's to keep secret; the library has no default key.  The
    internal reference itself is never stored.

    The key must be bytes-like (``bytes``, ``bytearray`` or ``memoryview``),
    at least :data:`MIN_KEY_BYTES` long, and not one byte repeated (such as
    all zeros); anything else weakens every token made with it and is refused
    with :class:`~cse_programme.ValidationError` (code ``weak_key``).

    >>> from cse_programme.privacy import pseudonymise
    >>> key = bytes(range(32))
    >>> token = pseudonymise("01/23456/25", key)
    >>> token == pseudonymise("01/23456/25", key), token == pseudonymise("01/23457/25", key)
    (True, False)
    >>> str(token).startswith("case-"), len(str(token))
    (True, 31)
    >>> pseudonymise("01/23456/25", bytes(32))
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      /key: must be secret bytes, at least 16 long and not one byte repeated [weak_key]
    """
    secret = _checked_key(key)
    if not isinstance(internal_reference, str) or not internal_reference.strip():
        raise ValidationError.single("/internal_reference", "must be non-blank text", "type")
    digest = hmac.new(secret, internal_reference.strip().encode("utf-8"), hashlib.sha256).digest()
    token = base64.b32encode(digest).decode("ascii").lower()[:CASE_TOKEN_LENGTH]
    return CaseReference(f"case-{token}")


def _checked_key(key: object) -> bytes:
    """*key* as bytes, if it is strong enough to make pseudonyms with."""
    secret = bytes(key) if isinstance(key, bytes | bytearray | memoryview) else b""
    if len(secret) < MIN_KEY_BYTES or len(set(secret)) == 1:
        raise ValidationError.single(
            "/key",
            f"must be secret bytes, at least {MIN_KEY_BYTES} long and not one byte repeated",
            "weak_key",
        )
    return secret
