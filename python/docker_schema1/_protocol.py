"""The backend protocol: the core functions that ``_rust`` (default) and ``_pure`` both provide.

The public classes call only these functions, so the same API runs on either backend.
Every function raises only ``MalformedSchema1Manifest`` or ``InvalidSchema1Signature``
(``canonical_json`` may also raise what ``json.dumps`` raises for values JSON cannot hold).
Both backends import this module; ``_backend`` chooses between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

if TYPE_CHECKING:
    from .errors import ManifestException

__all__ = [
    "MAX_DEPTH",
    "MAX_SIGNATURES",
    "UNREAD",
    "Backend",
    "History",
    "LayerFields",
    "ParsedManifest",
]

#: Deepest nesting of arrays/objects accepted anywhere (document, v1Compatibility, protected
#: header). Python's own limit depends on the interpreter's stack; ours is fixed.
MAX_DEPTH = 512

#: The most signatures a manifest may carry (DESIGN 6.9): each costs a pass over the payload.
#: Docker writes one, libtrust tools a few.
MAX_SIGNATURES = 64


#: One layer, base first: (blob_sum, image_id, parent_image_id, created, comment, command,
#: author, labels, size). All but blob_sum/command/labels are raw JSON values or None.
LayerFields = tuple[str, Any, Any, Any, Any, "str | None", Any, Any, Any]


class History(Protocol):
    """A parsed manifest's layers as the backend keeps them (the Rust one, in Rust memory)."""

    def __len__(self) -> int: ...

    def blob_sums(self) -> list[str]:
        """``fsLayers[i].blobSum``, document order (leaf first)."""
        ...

    def v1_compat(self) -> list[str]:
        """``history[i].v1Compatibility``, document order (leaf first)."""
        ...

    def fields(self, allow_missing_ids: bool) -> list[LayerFields]:
        """Every layer's fields, base first; raises ``MalformedSchema1Manifest``."""
        ...

    def records(
        self,
        allow_missing_ids: bool,
        raw_v1: list[str],
        layer_type: Any,
        metadata_type: Any,
        digest_type: Any,
    ) -> list[Any]:
        """``fields`` as the model's records, base first (``raw_v1`` is ``v1_compat()``
        reversed, the very strings: the core may slice a long comment from them): per layer
        ``layer_type(digest_type(algorithm, hex), metadata_type(*fields[1:8]), raw_v1[i],
        size, False, None)``, both namedtuples made with ``tuple.__new__`` (the same fields, in
        order, without their Python-level ``__new__``)."""
        ...

    def check_encodable(self) -> None:
        """Raises ``MalformedSchema1Manifest`` when a layer's strings hold a lone surrogate
        (Quay's running digest cannot encode them, even when no id is rewritten)."""
        ...

    def rewritten_records(
        self,
        earlier_ids: list[Any],
        rows: list[tuple[Any, ...]],
        record_type: Any,
        namedtuple: bool,
    ) -> list[Any]:
        """``rewrite_invalid_image_ids`` from the first rewritten layer on, the layers before
        it keeping ``earlier_ids``, as records, base first: per rewritten layer ``rows[i]`` (its
        record's 11 fields when nothing is rewritten) with the new id at 2, the remapped parent
        at 9 and the new ``compat_json`` at 10, made by ``tuple.__new__(record_type, fields)``
        when ``namedtuple``, else by ``record_type(*fields)``."""
        ...


class _Unread:
    """A raw member the backend checked but did not build (DESIGN 6.9): ``manifest_member``
    reads it when it is asked for. Truthy, as a present ``signatures`` list is."""

    def __repr__(self) -> str:
        return "<unread>"


#: Stands for a raw member of ``ParsedManifest`` left unread.
UNREAD: Any = _Unread()


class ParsedManifest(TypedDict):
    name: str
    tag: str
    architecture: Any  # the raw value, None when absent, or UNREAD
    signatures: list[Any] | None  # the raw "signatures" value, None when absent, or UNREAD
    digest: str  # "sha256:<hex>" of the payload
    signers: list[tuple[str, str]]  # (alg, libtrust key id) per verified signature
    history: History


class Backend(Protocol):
    name: str

    def parse_manifest(self, data: bytes, validate: bool) -> ParsedManifest: ...

    def manifest_value(self, data: bytes) -> Any: ...

    def manifest_member(self, data: bytes, key: str) -> Any:
        """The raw top-level member ``key`` ("architecture" or "signatures"), None when absent:
        one that ``parse_manifest`` left ``UNREAD``."""
        ...

    def canonical_json(self, value: Any, ensure_ascii: bool) -> str: ...

    def docker_time(self, text: str) -> tuple[int, int, int, int, int, int, int] | None:
        """``(year, month, day, hour, minute, second, microsecond)`` of a ``created`` text in
        Docker's own form (``YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]``, or a space for the
        ``T``), by fixed positions and with no range check; None for any other text."""
        ...

    def sha256_digest(self, data: bytes) -> str: ...

    # The write path.

    def build_parsed(
        self, document: dict[str, Any], ensure_ascii: bool, key: bytes | None, signing_time: str
    ) -> tuple[bytes, ParsedManifest]:
        """The builder's ``document`` written as Python's ``json.dumps(indent=3)`` would, signed
        when ``key`` (JWK JSON, PEM or DER bytes) is given, and that manifest already parsed
        (its own signature listed as verified). A bad key raises ``ValueError``."""
        ...

    def metadata_removed(self, history: Sequence[str]) -> list[str]: ...

    def digest_history(self, blob_sums: Sequence[str], v1_compat: Sequence[str]) -> list[str]: ...

    # Signing the bytes given, as libtrust does.

    def sign_bytes(self, data: bytes, key: bytes, signing_time: str, append: bool) -> bytes:
        """The manifest ``data`` (verified first) signed as it is: its payload, hence its
        digest, kept; its signatures replaced, or kept before the new one with ``append``."""
        ...

    def signed_payload(self, data: bytes) -> bytes:
        """The bytes the signatures of ``data`` sign (the whole document when unsigned); the
        structure is checked, the signatures not verified."""
        ...

    # Batches.

    def parse_many(
        self, items: Sequence[bytes], validate: bool, workers: int | None
    ) -> list[ParsedManifest | ManifestException]:
        """``parse_manifest`` of every item, in order, on up to ``workers`` threads (None: every
        core; the pure backend loops): the parsed manifest or the exception it would raise."""
        ...
