"""The compiled core (rust/src/python.rs). See ``_backend.Backend`` for what each returns."""

from typing import Any, final

__all__ = [
    "History",
    "_floor_seconds",
    "_sign_seconds",
    "backfill_arrow",
    "build_parsed",
    "canonical_json",
    "digest_history",
    "manifest_value",
    "metadata_removed",
    "parse_manifest",
    "parse_many",
    "sha256_digest",
]

@final
class History:
    def __len__(self) -> int: ...
    def blob_sums(self) -> list[str]: ...
    def v1_compat(self) -> list[str]: ...
    def fields(
        self, allow_missing_ids: bool
    ) -> list[tuple[str, Any, Any, Any, Any, str | None, Any, Any, Any]]: ...

def parse_manifest(data: bytes, validate: bool) -> dict[str, Any]: ...
def manifest_value(data: bytes) -> Any: ...
def canonical_json(value: Any, ensure_ascii: bool) -> str | None: ...
def sha256_digest(data: bytes) -> str: ...
def build_parsed(
    document: dict[str, Any], ensure_ascii: bool, key: bytes | None, signing_time: str
) -> tuple[bytes, dict[str, Any]]: ...
def metadata_removed(history: list[str]) -> list[str]: ...
def digest_history(blob_sums: list[str], v1_compat: list[str]) -> list[str]: ...
def _floor_seconds(data: bytes, iterations: int) -> float: ...
def _sign_seconds(key: bytes, data: bytes, iterations: int) -> float: ...
def parse_many(
    items: list[bytes], validate: bool, workers: int | None = None
) -> list[dict[str, Any] | Exception]: ...
def backfill_arrow(
    offsets: bytes,
    data: bytes,
    validity: bytes | None,
    bit_offset: int,
    length: int,
    large: bool,
    validate: bool,
    workers: int | None = None,
) -> dict[str, tuple[Any, ...]]: ...
