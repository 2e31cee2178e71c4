"""Small helpers of the pure backend: strict base64url, JSON loading with the depth limit."""

from __future__ import annotations

import base64
import json
import re
from typing import TYPE_CHECKING, Any, NoReturn

from .._protocol import MAX_DEPTH
from ..errors import MalformedSchema1Manifest

if TYPE_CHECKING:
    pass


_B64URL_ALPHABET = re.compile(r"[A-Za-z0-9_-]*", re.ASCII)
_DIGEST_RE = re.compile(r"[A-Za-z0-9_+.-]+:[A-Fa-f0-9]+", re.ASCII)
_JSON_WS = "[ \t\n\r]*"
_CLOSING_RE = re.compile(_JSON_WS + r"\}" + _JSON_WS)
_SIGNATURES_MEMBER_RE = re.compile(
    _JSON_WS + "," + _JSON_WS + '"signatures"' + _JSON_WS + ":" + _JSON_WS
)

#: JWS algorithms accepted for verification (DESIGN 5, 6.1).
_SUPPORTED_ALGS = frozenset(
    ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
)
#: EC curve name -> (size of a coordinate in bytes, the ES alg that uses it).
_EC_CURVES = {"P-256": (32, "ES256"), "P-384": (48, "ES384"), "P-521": (66, "ES512")}

_JSON_DECODER = json.JSONDecoder()


class _Base64Error(ValueError):
    """A string that is not strict base64url."""


def _b64url_decode(value: Any) -> bytes:
    """Strict base64url: alphabet ``A-Za-z0-9-_``, unpadded or correctly ``=``-padded.

    The unused low bits of the last character must be zero, so that every byte string has one
    encoding (as the Rust core requires; no honest encoder writes other bits).
    """
    if not isinstance(value, str):
        raise _Base64Error(f"expected a string, got {_type_name(value)}")
    stripped = value.rstrip("=")
    padding = len(value) - len(stripped)
    if not _B64URL_ALPHABET.fullmatch(stripped):
        raise _Base64Error("not base64url (characters outside A-Za-z0-9-_)")
    remainder = len(stripped) % 4
    if remainder == 1:
        raise _Base64Error("not base64url (impossible length)")
    if padding and padding != (4 - remainder) % 4:
        raise _Base64Error("not base64url (wrong padding)")
    try:
        decoded = base64.urlsafe_b64decode(stripped + "=" * ((4 - remainder) % 4))
    except ValueError as exc:  # binascii.Error; cannot happen after the checks above
        raise _Base64Error(f"not base64url ({exc})") from None
    if _b64url_encode(decoded) != stripped.encode():
        raise _Base64Error("not base64url (non-zero trailing bits)")
    return decoded


def _b64url_encode(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _too_deep(value: Any) -> bool:
    """Whether an array/object lies deeper than ``MAX_DEPTH`` (the top container is depth 1).

    Uses an explicit stack, never recursion.
    """
    if not isinstance(value, (list, dict)):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        container, depth = stack.pop()
        children = container.values() if isinstance(container, dict) else container
        for child in children:
            if isinstance(child, (list, dict)):
                if depth + 1 > MAX_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False


_DEPTH_MESSAGE = f"nesting deeper than {MAX_DEPTH} levels"


def _loads_limited(data: bytes | str) -> Any:
    """``json.loads`` plus the depth limit; raises ``ValueError`` (or a subclass) on failure."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise ValueError(_DEPTH_MESSAGE) from None
    except TypeError as exc:
        raise ValueError(str(exc)) from None
    if _too_deep(value):
        raise ValueError(_DEPTH_MESSAGE)
    return value


def _malformed(message: str) -> NoReturn:
    raise MalformedSchema1Manifest(message)
