"""The default backend: the compiled Rust core (``docker_schema1._rust``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from . import _rust
from ._protocol import ParsedManifest
from .errors import ManifestException


class _RustBackend:
    name = "rust"

    def parse_manifest(self, data: bytes, validate: bool) -> ParsedManifest:
        return _rust.parse_manifest(data, validate)  # type: ignore[return-value]

    def manifest_value(self, data: bytes) -> Any:
        # The core checks the document (the same errors, the depth limit) without building
        # it; then CPython's own reader builds it, so it costs what json.loads costs.
        _rust.check_json(data)
        try:
            return json.loads(data)
        except RecursionError:  # a caller deep in its own stack: the core builds it instead
            return _rust.manifest_value(data)

    def manifest_member(self, data: bytes, key: str) -> Any:
        return _rust.manifest_member(data, key)

    def canonical_json(self, value: Any, ensure_ascii: bool) -> str:
        text = _rust.canonical_json(value, ensure_ascii)
        if text is None:
            # A type only json.dumps knows (a subclass, a non-str key...): let it decide.
            from . import _pure

            return _pure.BACKEND.canonical_json(value, ensure_ascii)
        return text

    # Called per layer by get_layers(): the compiled function itself, no wrapper.
    docker_time = staticmethod(_rust.docker_time)

    def sha256_digest(self, data: bytes) -> str:
        return _rust.sha256_digest(data)

    def build_parsed(
        self, document: dict[str, Any], ensure_ascii: bool, key: bytes | None, signing_time: str
    ) -> tuple[bytes, ParsedManifest]:
        data, parsed = _rust.build_parsed(document, ensure_ascii, key, signing_time)
        return data, parsed  # type: ignore[return-value]

    def metadata_removed(self, history: Sequence[str]) -> list[str]:
        return _rust.metadata_removed(list(history))

    def digest_history(self, blob_sums: Sequence[str], v1_compat: Sequence[str]) -> list[str]:
        return _rust.digest_history(list(blob_sums), list(v1_compat))

    def sign_bytes(self, data: bytes, key: bytes, signing_time: str, append: bool) -> bytes:
        return _rust.sign_bytes(data, key, signing_time, append)

    def signed_payload(self, data: bytes) -> bytes:
        return _rust.signed_payload(data)

    def parse_many(
        self, items: Sequence[bytes], validate: bool, workers: int | None
    ) -> list[ParsedManifest | ManifestException]:
        return _rust.parse_many(list(items), validate, workers)  # type: ignore[return-value]


BACKEND = _RustBackend()
