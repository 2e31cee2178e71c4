"""Signing the bytes given, as libtrust does (``rust/src/sign.rs`` is the core's twin)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .._protocol import ParsedManifest

if TYPE_CHECKING:
    pass

from .common import _malformed
from .document import _format_values, _HeaderError, _parse_manifest
from .keys import _signer
from .write import _signature_block


def _payload_parts(data: bytes, validate: bool) -> tuple[ParsedManifest, int | None, bytes]:
    """The parsed manifest, its formatLength (None when unsigned) and its decoded formatTail."""
    parsed = _parse_manifest(data, validate)
    signatures = parsed["signatures"]
    if not signatures:
        return parsed, None, b""
    try:
        _, length, tail = _format_values(signatures[0], len(data))
    except _HeaderError as exc:
        _malformed(f"signature 0: {exc}")
    return parsed, length, tail


def _signed_payload(data: bytes) -> bytes:
    data = bytes(data)
    _, length, tail = _payload_parts(data, False)
    return data if length is None else data[:length] + tail


def _closing_split(payload: bytes) -> int | None:
    """libtrust's split: after the last non-space byte before the closing brace."""
    stripped = payload.rstrip(b" \t\r\n")
    if not stripped.endswith(b"}"):
        return None
    head = stripped[:-1].rstrip(b" \t\r\n")
    return len(head) if head else None


def _detect_indent(payload: bytes) -> bytes | None:
    """libtrust's detectJSONIndent, when what it finds is white space."""
    if len(payload) <= 2 or not payload.startswith(b"{\n"):
        return None
    quote = payload.find(b'"', 1)
    indent = payload[2:quote] if quote > 0 else b""
    return indent if indent and not indent.strip(b" \t") else None


def _sign_bytes(data: bytes, key: bytes, signing_time: str, append: bool) -> bytes:
    data = bytes(data)
    parsed, length, tail = _payload_parts(data, True)
    if length is None:
        return _sign_payload(data, key, signing_time, [], None)
    kept = list(parsed["signatures"] or []) if append else []
    return _sign_payload(data[:length] + tail, key, signing_time, kept, length)


def _sign_payload(
    payload: bytes, key: bytes, signing_time: str, kept: list[Any], length: int | None
) -> bytes:
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError:
        payload = b""
    if payload[:1] != b"{":
        _malformed("only a manifest written as UTF-8 JSON starting with '{' can be signed as it is")
    split = _closing_split(payload)
    if split is None:
        _malformed("the manifest does not end with a closing brace")
    if payload[split - 1 : split] in (b",", b"{"):
        _malformed("the manifest has no member before its closing brace")
    length = split if length is None else length
    signer = _signer(key)
    block = _signature_block(signer, payload, length, signing_time)
    signatures = [*kept, block]
    indent = _detect_indent(payload)
    out = bytearray(payload[:length])
    out += b","
    if indent is None:
        out += b'"signatures":' + json.dumps(signatures).encode("ascii")
    else:
        out += b"\n" + indent + b'"signatures": '
        for i, line in enumerate(json.dumps(signatures, indent=1).encode("ascii").split(b"\n")):
            if i:
                depth = len(line) - len(line.lstrip(b" "))
                out += b"\n" + indent * (depth + 1) + line[depth:]
            else:
                out += line
        out += b"\n"
    out += b"}"
    return bytes(out)
