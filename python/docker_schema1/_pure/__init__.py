"""The pure-Python reference backend.

It implements the ``Backend`` protocol of ``_protocol`` with the standard library (``json``,
``hashlib``, ``base64``, ``re``) and, to verify and to sign only, ``cryptography`` (imported
lazily, so unsigned manifests, read or written, need no ``cryptography``).

It is the reference for the differential tests against the Rust backend and the baseline of
the benchmarks. Every error it raises is ``MalformedSchema1Manifest`` or
``InvalidSchema1Signature``, with a message naming the problem. Two exceptions:
``canonical_json`` lets ``json.dumps``' own errors through, and ``build_manifest`` raises a
plain ``ValueError`` for a signing key it cannot use (public only, too small, unsupported,
encrypted or unrecognised).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._protocol import LayerFields, ParsedManifest
from ..errors import InvalidSchema1Signature, MalformedSchema1Manifest, ManifestException
from .dates import _docker_time
from .document import _parse_manifest
from .layers import _canonical_json, _layers, _manifest_value, _sha256_digest
from .sign import _sign_bytes, _signed_payload
from .write import _build_manifest, _digest_history, _metadata_removed

__all__ = ["BACKEND"]


class _PureBackend:
    """The ``Backend`` protocol on the standard library and ``cryptography``."""

    name = "pure"

    def parse_manifest(self, data: bytes, validate: bool) -> ParsedManifest:
        try:
            return _parse_manifest(data, validate)
        except ManifestException:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
            # A safety net: the code above is meant to raise only our classes.
            raise MalformedSchema1Manifest(
                f"malformed manifest: {type(exc).__name__}: {exc}"
            ) from None

    def manifest_value(self, data: bytes) -> Any:
        return _manifest_value(data)

    def manifest_member(self, data: bytes, key: str) -> Any:
        value = _manifest_value(data)
        return value.get(key) if isinstance(value, dict) else None

    def layers(
        self, blob_sums: Sequence[str], v1_compat: Sequence[str], allow_missing_ids: bool
    ) -> list[LayerFields]:
        return _layers(blob_sums, v1_compat, allow_missing_ids)

    def canonical_json(self, value: Any, ensure_ascii: bool) -> str:
        return _canonical_json(value, ensure_ascii)

    def docker_time(self, text: str) -> tuple[int, int, int, int, int, int, int] | None:
        return _docker_time(text)

    def sha256_digest(self, data: bytes) -> str:
        return _sha256_digest(data)

    def build_manifest(
        self, document: dict[str, Any], ensure_ascii: bool, key: bytes | None, signing_time: str
    ) -> bytes:
        # A key that cannot sign raises a plain ValueError, which passes through untouched.
        return _build_manifest(document, ensure_ascii, key, signing_time)

    def build_parsed(
        self, document: dict[str, Any], ensure_ascii: bool, key: bytes | None, signing_time: str
    ) -> tuple[bytes, ParsedManifest]:
        data = self.build_manifest(document, ensure_ascii, key, signing_time)
        parsed = _parse_manifest(data, False)
        # The signature was just made here: list it as the verifier would.
        parsed["signers"] = [
            (block["header"]["alg"], block["header"]["jwk"]["kid"])
            for block in parsed["signatures"] or []
        ]
        return data, parsed

    def metadata_removed(self, history: Sequence[str]) -> list[str]:
        try:
            return _metadata_removed(history)
        except ManifestException:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
            raise MalformedSchema1Manifest(
                f"with_metadata_removed: {type(exc).__name__}: {exc}"
            ) from None

    def digest_history(self, blob_sums: Sequence[str], v1_compat: Sequence[str]) -> list[str]:
        return _digest_history(blob_sums, v1_compat)

    def sign_bytes(self, data: bytes, key: bytes, signing_time: str, append: bool) -> bytes:
        return _sign_bytes(data, key, signing_time, append)

    def signed_payload(self, data: bytes) -> bytes:
        return _signed_payload(data)

    def parse_many(
        self, items: Sequence[bytes], validate: bool, workers: int | None
    ) -> list[ParsedManifest | ManifestException]:
        results: list[ParsedManifest | ManifestException] = []
        for data in items:
            try:
                results.append(self.parse_manifest(data, validate))
            except (MalformedSchema1Manifest, InvalidSchema1Signature) as exc:
                results.append(exc)
        return results

    def __repr__(self) -> str:
        return "<docker_schema1 backend 'pure'>"


BACKEND = _PureBackend()
