"""Reading a manifest for the command line, with a message that says what the input is when
it is no schema 1 manifest at all: empty, binary, not JSON, a schema 2 or OCI manifest or
index, a number past Python's digit limit."""

from __future__ import annotations

import json
from typing import Any

from ..errors import MalformedSchema1Manifest
from ..manifest import DockerSchema1Manifest

__all__ = ["read_manifest", "what_it_is"]

#: Media types of the manifests a registry may hold besides schema 1.
OTHER_MEDIA_TYPES = {
    "application/vnd.docker.distribution.manifest.v2+json": "a Docker schema 2 manifest",
    "application/vnd.docker.distribution.manifest.list.v2+json": "a Docker manifest list",
    "application/vnd.oci.image.manifest.v1+json": "an OCI image manifest",
    "application/vnd.oci.image.index.v1+json": "an OCI image index",
}

_CONTROL = set(range(0x20)) - {0x09, 0x0A, 0x0D}


def read_manifest(data: bytes, validate: bool = True) -> DockerSchema1Manifest:
    """``DockerSchema1Manifest(data, validate)``; when that fails as malformed and the input is
    plainly something else, the error says what it is instead."""
    if not data.strip(b" \t\r\n"):
        raise MalformedSchema1Manifest("empty input" if not data else "input is only white space")
    try:
        return DockerSchema1Manifest(data, validate=validate)
    except MalformedSchema1Manifest as e:
        better = what_it_is(data)
        if better is None:
            raise
        raise MalformedSchema1Manifest(better) from e


def what_it_is(data: bytes) -> str | None:
    """Why ``data`` is no schema 1 manifest, when it is plainly something else; else None."""
    try:
        text = data.decode(json.detect_encoding(data))
    except (UnicodeDecodeError, LookupError):
        return f"binary data, not a JSON manifest (starts {data[:8].hex(' ')})"
    if any(ord(c) in _CONTROL for c in text[:4096]):
        return f"binary data, not a JSON manifest (starts {data[:8].hex(' ')})"
    try:
        value = json.loads(text)
    except ValueError as e:
        if "digits" in str(e) and "integer" in str(e):
            return "a number has more than 4300 digits, past Python's limit for integers"
        if isinstance(e, json.JSONDecodeError):
            return f"not JSON: {e.msg} (line {e.lineno} column {e.colno})"
        return None
    except RecursionError:
        return None
    return _other_manifest(value)


def _other_manifest(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    media_type = value.get("mediaType")
    if isinstance(media_type, str) and media_type in OTHER_MEDIA_TYPES:
        return f"{OTHER_MEDIA_TYPES[media_type]} ({media_type}), not schema 1"
    if value.get("schemaVersion") == 2:
        if isinstance(value.get("manifests"), list):
            kind, media_type = "an OCI image index", "application/vnd.oci.image.index.v1+json"
        else:
            kind, media_type = "an OCI image manifest", "application/vnd.oci.image.manifest.v1+json"
        return f"{kind} (schemaVersion 2, no mediaType: {media_type}), not schema 1"
    return None
