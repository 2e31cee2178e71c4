"""Writing a manifest document: what the builder and a manifest's rebuilds share.

Both hand the backend the document Quay's builder writes, and get back its bytes already
parsed. Kept apart from ``builder`` and ``manifest`` so that neither imports the other.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from . import _backend
from ._keys import key_bytes
from .constants import (
    DOCKER_SCHEMA1_ARCH_KEY,
    DOCKER_SCHEMA1_BLOB_SUM_KEY,
    DOCKER_SCHEMA1_FS_LAYERS_KEY,
    DOCKER_SCHEMA1_HISTORY_KEY,
    DOCKER_SCHEMA1_REPO_NAME_KEY,
    DOCKER_SCHEMA1_REPO_TAG_KEY,
    DOCKER_SCHEMA1_SCHEMA_VER_KEY,
    DOCKER_SCHEMA1_V1_COMPAT_KEY,
)

__all__ = ["document", "format_signing_time", "write_parsed"]

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def format_signing_time(signing_time: datetime | None) -> str:
    """The protected header's ``time``: UTC, to the second. Naive datetimes are taken as UTC."""
    if signing_time is None:
        signing_time = datetime.now(timezone.utc)
    elif signing_time.tzinfo is not None:
        signing_time = signing_time.astimezone(timezone.utc)
    return signing_time.strftime(_TIME_FORMAT)


def document(
    namespace_name: Any,
    repo_name: Any,
    tag: Any,
    architecture: Any,
    layers: list[tuple[Any, Any]],
) -> dict[str, Any]:
    """Quay's builder document for ``layers`` (``(blob digest, v1 metadata)``, leaf first)."""
    name = repo_name if namespace_name == "" else f"{namespace_name}/{repo_name}"
    return {
        DOCKER_SCHEMA1_REPO_TAG_KEY: tag,
        DOCKER_SCHEMA1_REPO_NAME_KEY: name,
        DOCKER_SCHEMA1_ARCH_KEY: architecture,
        DOCKER_SCHEMA1_SCHEMA_VER_KEY: 1,
        DOCKER_SCHEMA1_HISTORY_KEY: [
            {DOCKER_SCHEMA1_V1_COMPAT_KEY: metadata} for _, metadata in layers
        ],
        DOCKER_SCHEMA1_FS_LAYERS_KEY: [
            {DOCKER_SCHEMA1_BLOB_SUM_KEY: digest} for digest, _ in layers
        ],
    }


def write_parsed(
    backend: _backend.Backend,
    doc: dict[str, Any],
    json_web_key: Any,
    ensure_ascii: bool,
    signing_time: datetime | None,
) -> tuple[bytes, _backend.ParsedManifest]:
    """``doc`` written (and signed when a key is given) on ``backend``, with its parse."""
    key = None if json_web_key is None else key_bytes(json_web_key)
    # The backend hands back what it wrote already parsed: reading the bytes again (and
    # verifying a signature just made, as Quay's constructor does) would cost more than
    # writing them, and more than signing with an EC key.
    return backend.build_parsed(doc, ensure_ascii, key, format_signing_time(signing_time))
