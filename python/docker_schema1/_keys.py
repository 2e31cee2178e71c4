"""Signing keys in every form DESIGN section 3 lists, handed to the backend as bytes.

The core reads JWK JSON text, PEM text and DER. Other forms are adapted here without importing
the libraries they come from: a ``cryptography`` private key object is exported through its own
``private_bytes`` (cryptography is loaded only because the caller already holds such an object),
and an Authlib-style key gives its private JWK through ``as_dict(is_private=True)``.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["key_bytes"]


def key_bytes(key: Any) -> bytes:
    """The private key ``key`` as JWK JSON text, PEM text or DER bytes.

    Raises ``ValueError`` for a value that is no key form we know.
    """
    if isinstance(key, dict):
        return json.dumps(key).encode()
    if isinstance(key, str):
        return key.encode()
    if isinstance(key, (bytes, bytearray, memoryview)):
        return bytes(key)
    if callable(getattr(key, "private_bytes", None)):
        return _cryptography_pem(key)
    as_dict = getattr(key, "as_dict", None)
    if callable(as_dict):
        exported = as_dict(is_private=True)
        if isinstance(exported, dict):
            return json.dumps(exported).encode()
    export_private = getattr(key, "export_private", None)
    if callable(export_private):  # jwcrypto's JWK
        exported = export_private()
        if isinstance(exported, (str, bytes)):
            return exported.encode() if isinstance(exported, str) else exported
    raise ValueError(
        f"unsupported key object {type(key).__name__}: expected a private JWK (dict or JSON "
        "text), PEM or DER, a cryptography private key, or an object with as_dict(is_private=True)"
    )


def _cryptography_pem(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    pem: bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem
