"""Reading a manifest document: the schema, DESIGN 6.8's key spellings, formatLength and
formatTail, the signed region, and ``parse_manifest`` itself."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from .._protocol import MAX_SIGNATURES, LayerFields, ParsedManifest
from ..errors import InvalidSchema1Signature, MalformedSchema1Manifest

if TYPE_CHECKING:
    pass

from .common import (
    _CLOSING_RE,
    _DEPTH_MESSAGE,
    _JSON_DECODER,
    _SIGNATURES_MEMBER_RE,
    _b64url_decode,
    _b64url_encode,
    _Base64Error,
    _loads_limited,
    _malformed,
    _too_deep,
    _type_name,
)
from .jws import _verify_signature
from .layers import _layers
from .write import _rewrite_from


def _schema_error(message: str) -> NoReturn:
    raise MalformedSchema1Manifest(f"manifest data does not match schema: {message}")


def _check_schema(doc: Any) -> None:
    """Quay's METASCHEMA, checked by hand (only the members it lists)."""
    if not isinstance(doc, dict):
        _schema_error(f"the document is {_type_name(doc)}, not an object")
    for key in ("tag", "name", "fsLayers", "history"):
        if key not in doc:
            _schema_error(f"{key!r} is a required property")
    for key in ("tag", "name"):
        if not isinstance(doc[key], str):
            _schema_error(f"{key} is {_type_name(doc[key])}, not a string")

    def check_list(key: str, member: str) -> None:
        items = doc[key]
        if not isinstance(items, list):
            _schema_error(f"{key} is {_type_name(items)}, not an array")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                _schema_error(f"{key}[{i}] is {_type_name(item)}, not an object")
            if member not in item:
                _schema_error(f"{key}[{i}]: {member!r} is a required property")
            if not isinstance(item[member], str):
                _schema_error(f"{key}[{i}].{member} is {_type_name(item[member])}, not a string")

    check_list("fsLayers", "blobSum")
    check_list("history", "v1Compatibility")

    if "signatures" in doc:
        signatures = doc["signatures"]
        if not isinstance(signatures, list):
            _schema_error(f"signatures is {_type_name(signatures)}, not an array")
        for i, sig in enumerate(signatures):
            if i == MAX_SIGNATURES:
                raise InvalidSchema1Signature(
                    f"more than {MAX_SIGNATURES} signatures: at most {MAX_SIGNATURES} are accepted"
                )
            where = f"signatures[{i}]"
            if not isinstance(sig, dict):
                _schema_error(f"{where} is {_type_name(sig)}, not an object")
            for key in ("protected", "header", "signature"):
                if key not in sig:
                    _schema_error(f"{where}: {key!r} is a required property")
            for key in ("protected", "signature"):
                if not isinstance(sig[key], str):
                    _schema_error(f"{where}.{key} is {_type_name(sig[key])}, not a string")
            header = sig["header"]
            if not isinstance(header, dict):
                _schema_error(f"{where}.header is {_type_name(header)}, not an object")
            for key in ("alg", "jwk"):
                if key not in header:
                    _schema_error(f"{where}.header: {key!r} is a required property")
            if not isinstance(header["alg"], str):
                _schema_error(f"{where}.header.alg is {_type_name(header['alg'])}, not a string")
            if not isinstance(header["jwk"], dict):
                _schema_error(f"{where}.header.jwk is {_type_name(header['jwk'])}, not an object")


# DESIGN 6.8: the keys this library or Go's encoding/json reads at each level, members first.
_DOCUMENT_KEYS = ("tag", "name", "architecture", "fsLayers", "history", "signatures")
_DOCUMENT_ALSO = ("schemaVersion", "mediaType")
_SIGNATURE_KEYS = ("header", "signature", "protected")
_HEADER_KEYS = ("alg", "jwk")
_HEADER_ALSO = ("x5c",)
_JWK_KEYS = ("kty", "crv", "kid", "x", "y", "n", "e")
_PROTECTED_KEYS = ("formatLength", "formatTail", "alg", "crit")
_PROTECTED_ALSO = ("time",)


def _folds_to(key: str, known: str) -> bool:
    """Whether Go's encoding/json takes ``key`` for the field ``known`` (ASCII): ASCII letters
    in any case, U+017F (long s) as s and U+212A (Kelvin sign) as k."""
    if len(key) != len(known):
        return False
    for c, k in zip(key, known):
        if c < "\x80":
            if c.lower() != k.lower():
                return False
        elif not ((c == "\u017f" and k in "sS") or (c == "\u212a" and k in "kK")):
            return False
    return True


def _case_clash(
    obj: dict[str, Any], place: str, keys: Sequence[str], also: Sequence[str] = ()
) -> None:
    """DESIGN 6.8: the first key (in order) that is a known key in another case."""
    for key in obj:
        if key in keys or key in also:
            continue
        for known in (*keys, *also):
            if _folds_to(key, known):
                _malformed(
                    f'{place}: key "{key}" differs from "{known}" only in case '
                    f'(Go\'s encoding/json reads it as "{known}")'
                )


def _check_key_case(doc: dict[str, Any]) -> None:
    """DESIGN 6.8 over a document that passed the schema, in the core's order: the top level,
    the fsLayers entries, the history entries, each signature, its header and jwk."""
    _case_clash(doc, "manifest", _DOCUMENT_KEYS, _DOCUMENT_ALSO)
    for i, entry in enumerate(doc["fsLayers"]):
        _case_clash(entry, f"fsLayers[{i}]", ("blobSum",))
    for i, entry in enumerate(doc["history"]):
        _case_clash(entry, f"history[{i}]", ("v1Compatibility",))
    for i, signature in enumerate(doc.get("signatures") or []):
        _case_clash(signature, f"signatures[{i}]", _SIGNATURE_KEYS)
        _case_clash(signature["header"], f"signatures[{i}].header", _HEADER_KEYS, _HEADER_ALSO)
        _case_clash(signature["header"]["jwk"], f"signatures[{i}].header.jwk", _JWK_KEYS)


def _check_protected_case(header: dict[str, Any], index: int) -> None:
    _case_clash(header, f"signatures[{index}] protected header", _PROTECTED_KEYS, _PROTECTED_ALSO)


class _HeaderError(Exception):
    """A problem with a signature's protected header (class chosen by the caller)."""


def _format_values(signature: dict[str, Any], data_len: int) -> tuple[dict[str, Any], int, bytes]:
    """Decode ``signature``'s protected header: (header dict, formatLength, decoded formatTail)."""
    try:
        raw = _b64url_decode(signature["protected"])
    except _Base64Error as exc:
        raise _HeaderError(f"protected header: {exc}") from None
    try:
        header = _loads_limited(raw)
    except ValueError as exc:
        raise _HeaderError(f"protected header is not JSON: {exc}") from None
    if not isinstance(header, dict):
        raise _HeaderError(f"protected header is {_type_name(header)}, not an object")

    if "formatLength" not in header:
        raise _HeaderError("protected header: formatLength is missing")
    length_value = header["formatLength"]
    length: int
    if isinstance(length_value, bool):
        raise _HeaderError("protected header: formatLength must be an integer")
    if isinstance(length_value, int):
        length = length_value
    elif isinstance(length_value, float):
        if not math.isfinite(length_value) or not length_value.is_integer():
            raise _HeaderError("protected header: formatLength must be an integer")
        length = int(length_value)
    else:
        raise _HeaderError("protected header: formatLength must be an integer")
    if length < 1 or length > data_len:
        raise _HeaderError(
            f"protected header: formatLength {length} is out of range "
            f"(the document is {data_len} bytes)"
        )

    if "formatTail" not in header:
        raise _HeaderError("protected header: formatTail is missing")
    tail_value = header["formatTail"]
    if not isinstance(tail_value, str):
        raise _HeaderError(
            f"protected header: formatTail is {_type_name(tail_value)}, not a string"
        )
    try:
        tail = _b64url_decode(tail_value)
    except _Base64Error as exc:
        raise _HeaderError(f"protected header: formatTail: {exc}") from None
    return header, length, tail


def _invalid_region(what: str) -> NoReturn:
    raise InvalidSchema1Signature(f"content outside the signed payload: {what}")


def _check_signed_region(data: bytes, length: int, tail: bytes) -> None:
    """DESIGN 6.3: outside the signed head there is only the ``signatures`` member and ``}``."""
    head = data[:length]
    try:
        rest = data[length:].decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        _invalid_region("the bytes after formatLength are not UTF-8")
    try:
        tail_text = tail.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        _invalid_region("formatTail is not UTF-8")
    if not _CLOSING_RE.fullmatch(tail_text):
        _invalid_region("formatTail is not a closing brace")

    match = _SIGNATURES_MEMBER_RE.match(rest)
    if match is None:
        _invalid_region('the bytes after formatLength do not start with a "signatures" member')
    try:
        _, end = _JSON_DECODER.raw_decode(rest, match.end())
    except (ValueError, RecursionError):
        _invalid_region("the signatures value is not JSON")
    if not _CLOSING_RE.fullmatch(rest, end):
        _invalid_region("other content follows the signatures member")

    try:
        signed = json.loads(head + tail)
    except (ValueError, RecursionError):
        _invalid_region("the signed payload is not JSON")
    if not isinstance(signed, dict):
        _invalid_region("the signed payload is not an object")
    if "signatures" in signed:
        _invalid_region("the signed payload has a signatures member")


class _History:
    """The layers' raw strings, as ``_protocol.History`` describes."""

    def __init__(self, blob_sums: list[str], v1_compat: list[str]) -> None:
        self._blob_sums = blob_sums
        self._v1_compat = v1_compat

    def __len__(self) -> int:
        return len(self._blob_sums)

    def blob_sums(self) -> list[str]:
        return list(self._blob_sums)

    def v1_compat(self) -> list[str]:
        return list(self._v1_compat)

    def fields(self, allow_missing_ids: bool) -> list[LayerFields]:
        return _layers(self._blob_sums, self._v1_compat, allow_missing_ids)

    def records(
        self,
        allow_missing_ids: bool,
        raw_v1: list[str],
        layer_type: Any,
        metadata_type: Any,
        digest_type: Any,
    ) -> list[Any]:
        fields = self.fields(allow_missing_ids)
        if len(raw_v1) != len(fields):
            raise ValueError("raw_v1 holds one text per layer")
        new = tuple.__new__
        return [
            new(
                layer_type,
                (
                    digest_type(*field[0].split(":", 1)),
                    new(metadata_type, field[1:8]),
                    raw,
                    field[8],
                    False,
                    None,
                ),
            )
            for field, raw in zip(fields, raw_v1)
        ]

    def check_encodable(self) -> None:
        count = len(self._blob_sums)
        for position in range(count):
            doc_index = count - 1 - position
            try:
                self._blob_sums[doc_index].encode("utf-8")
                self._v1_compat[doc_index].encode("utf-8")
            except UnicodeEncodeError:
                raise MalformedSchema1Manifest(
                    f"cannot rewrite the v1 metadata of fsLayers[{doc_index}]: "
                    "it holds a lone surrogate"
                ) from None

    def rewritten_records(
        self,
        earlier_ids: list[str | None],
        rows: list[tuple[Any, ...]],
        record_type: Any,
        namedtuple: bool,
    ) -> list[Any]:
        rewritten = _rewrite_from(self._blob_sums, self._v1_compat, earlier_ids)
        if len(rows) != len(rewritten):
            raise ValueError("rows holds one row per rewritten layer")
        fields = [
            (*row[:2], image_id, *row[3:9], parent, compat_json)
            for row, (image_id, parent, compat_json) in zip(rows, rewritten)
        ]
        if namedtuple:
            return [tuple.__new__(record_type, f) for f in fields]
        return [record_type(*f) for f in fields]


def _parse_manifest(data: bytes, validate: bool) -> ParsedManifest:
    if not isinstance(data, bytes):
        try:
            data = bytes(data)
        except (TypeError, ValueError) as exc:
            _malformed(f"malformed manifest data: {exc}")

    # 1. JSON and nesting depth.
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError, TypeError) as exc:
        _malformed(f"malformed manifest data: {exc}")
    if _too_deep(doc):
        _malformed(_DEPTH_MESSAGE)

    # 2. Quay's schema, then our stricter rules.
    _check_schema(doc)
    if validate:
        _check_key_case(doc)
    signatures: list[Any] | None = doc.get("signatures")  # the schema made it a list if present
    if signatures is not None and not signatures:
        _malformed("signatures is empty")
    fs_layers: list[dict[str, Any]] = doc["fsLayers"]
    history: list[dict[str, Any]] = doc["history"]
    if len(fs_layers) != len(history):
        _malformed(f"fsLayers has {len(fs_layers)} entries but history has {len(history)}")

    # 4. Payload and digest.
    payload = data
    headers: list[dict[str, Any]] = []
    length = 0
    tail = b""
    if signatures is not None:
        try:
            header, length, tail = _format_values(signatures[0], len(data))
        except _HeaderError as exc:
            _malformed(f"signature 0: {exc}")
        headers.append(header)
        payload = data[:length] + tail
    digest = "sha256:" + hashlib.sha256(payload).hexdigest()

    signers: list[tuple[str, str]] = []
    if validate and signatures:
        _check_protected_case(headers[0], 0)
        for i in range(1, len(signatures)):
            if signatures[i] in signatures[:i]:  # an identical block: read and verified once
                headers.append(headers[signatures.index(signatures[i])])
                continue
            try:
                header_i, length_i, tail_i = _format_values(signatures[i], len(data))
            except _HeaderError as exc:
                raise InvalidSchema1Signature(f"signature {i}: {exc}") from None
            if length_i != length or tail_i != tail:
                raise InvalidSchema1Signature(
                    f"signature {i}: formatLength/formatTail differ from signature 0"
                )
            _check_protected_case(header_i, i)
            headers.append(header_i)

        # 5a. Encoding.
        if json.detect_encoding(data) not in ("utf-8", "utf-8-sig"):
            raise InvalidSchema1Signature("signed manifests must be UTF-8")
        # 5b. Signed region.
        _check_signed_region(data, length, tail)
        # 5c/d. Every signature.
        signing_input_tail = b"." + _b64url_encode(payload)
        for i, signature in enumerate(signatures):
            if signature in signatures[:i]:
                signers.append(signers[signatures.index(signature)])
                continue
            signers.append(_verify_signature(i, signature, headers[i], signing_input_tail))

    return {
        "name": doc["name"],
        "tag": doc["tag"],
        "architecture": doc.get("architecture"),
        "history": _History(
            [layer["blobSum"] for layer in fs_layers],
            [entry["v1Compatibility"] for entry in history],
        ),
        "signatures": signatures,
        "digest": digest,
        "signers": signers,
    }
