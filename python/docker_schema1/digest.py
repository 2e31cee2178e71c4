"""Content digests: ``Digest``, ``InvalidDigestException`` and ``sha256_digest``."""

from __future__ import annotations

import re

__all__ = ["Digest", "InvalidDigestException", "sha256_digest"]

_DIGEST_RE = re.compile(r"([A-Za-z0-9_+.-]+):([A-Fa-f0-9]+)")


class InvalidDigestException(RuntimeError):
    """Raised by ``Digest.parse_digest`` for text that is not ``algorithm:hex``."""


class Digest:
    """A parsed ``algorithm:hex`` digest. Equal to another ``Digest`` with the same text."""

    __slots__ = ("_hash_alg", "_hash_bytes")

    def __init__(self, hash_alg: str, hash_bytes: str) -> None:
        self._hash_alg = hash_alg
        self._hash_bytes = hash_bytes

    @staticmethod
    def parse_digest(digest: str) -> Digest:
        """Parse ``algorithm:hex``; raises ``InvalidDigestException`` on anything else.

        The algorithm name and the hex length are not checked (``SHA256:ff`` is valid).
        """
        match = _DIGEST_RE.fullmatch(digest) if isinstance(digest, str) else None
        if match is None:
            raise InvalidDigestException(f"Not a valid digest: {digest!r}")
        return Digest(match.group(1), match.group(2))

    @property
    def hash_alg(self) -> str:
        """The algorithm part, before the colon."""
        return self._hash_alg

    @property
    def hash_bytes(self) -> str:
        """The hex part, after the colon."""
        return self._hash_bytes

    def __str__(self) -> str:
        return f"{self._hash_alg}:{self._hash_bytes}"

    def __repr__(self) -> str:
        return f"Digest({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Digest) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


def sha256_digest(data: bytes) -> str:
    """``"sha256:" + hex`` of ``data``."""
    from . import _backend

    return _backend.current().sha256_digest(bytes(data))
