"""Signing a manifest's bytes as they are, as libtrust does, and reading its signed payload.

Quay's builder writes a new document and signs that; ``sign_manifest`` signs the document it is
given instead, so its payload and digest stay what they were (``docker_schema1.cli``'s ``sign``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import _backend
from ._keys import key_bytes
from ._write import format_signing_time
from .bytes import Bytes

__all__ = ["sign_manifest", "signed_payload"]


def _data(manifest_bytes: Any) -> bytes:
    if isinstance(manifest_bytes, Bytes):
        return manifest_bytes.as_encoded_str()
    if isinstance(manifest_bytes, str):
        return manifest_bytes.encode("utf-8")
    return bytes(manifest_bytes)


def sign_manifest(
    manifest_bytes: Any,
    key: Any,
    append: bool = False,
    signing_time: datetime | None = None,
) -> bytes:
    """The manifest ``manifest_bytes`` signed with ``key`` (any key form the builder takes),
    its bytes kept up to libtrust's ``formatLength`` and a ``signatures`` member spliced in, so
    its digest does not change. A signed manifest is verified first, then signed over its
    payload: its signatures are replaced, or kept before the new one with ``append``.

    Raises ``MalformedSchema1Manifest`` or ``InvalidSchema1Signature`` for a manifest that does
    not verify, ``ValueError`` for a key that cannot sign.
    """
    return _backend.current().sign_bytes(
        _data(manifest_bytes), key_bytes(key), format_signing_time(signing_time), append
    )


def signed_payload(manifest_bytes: Any) -> bytes:
    """The bytes the signatures of ``manifest_bytes`` sign, which its digest covers: the first
    ``formatLength`` bytes and the decoded ``formatTail`` (the whole document when unsigned).
    The structure is checked; the signatures are not verified."""
    return _backend.current().signed_payload(_data(manifest_bytes))
