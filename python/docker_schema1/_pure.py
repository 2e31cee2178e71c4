"""The pure-Python reference backend.

It implements the ``Backend`` protocol of ``_backend`` with the standard library (``json``,
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

import base64
import hashlib
import json
import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from ._backend import MAX_DEPTH, MAX_SIGNATURES, LayerFields, ParsedManifest
from .errors import InvalidSchema1Signature, MalformedSchema1Manifest, ManifestException

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

__all__ = ["BACKEND"]

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# parse_manifest
# ---------------------------------------------------------------------------------------------


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
    """The layers' raw strings, as ``_backend.History`` describes."""

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

    def rewritten(self, earlier_ids: list[str | None]) -> list[tuple[str, str | None, str]]:
        return _rewrite_from(self._blob_sums, self._v1_compat, earlier_ids)


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


# ---------------------------------------------------------------------------------------------
# Signature verification
# ---------------------------------------------------------------------------------------------


class _SigError(Exception):
    """A verification failure; the caller prefixes ``signature i: ``."""


def _jwk_member_bytes(jwk: dict[str, Any], member: str, what: str) -> bytes:
    if member not in jwk:
        raise _SigError(f"{what} key: jwk member {member!r} is missing")
    value = jwk[member]
    if not isinstance(value, str):
        raise _SigError(f"{what} key: jwk member {member!r} is {_type_name(value)}, not a string")
    try:
        return _b64url_decode(value)
    except _Base64Error as exc:
        raise _SigError(f"{what} key: jwk member {member!r}: {exc}") from None


def _public_key(jwk: dict[str, Any]) -> tuple[Any, str, str | None]:
    """(cryptography public key, kty, crv) from a public JWK."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    kty = jwk.get("kty")
    if not isinstance(kty, str):
        raise _SigError(f"jwk kty is {_type_name(kty)}, not a string")
    if kty == "RSA":
        n = int.from_bytes(_jwk_member_bytes(jwk, "n", "RSA"), "big")
        e = int.from_bytes(_jwk_member_bytes(jwk, "e", "RSA"), "big")
        if n.bit_length() < 2048:
            raise _SigError(f"RSA key under 2048 bits ({n.bit_length()} bits)")
        if n.bit_length() > 8192:
            raise _SigError(f"RSA key over 8192 bits ({n.bit_length()} bits)")
        try:
            return rsa.RSAPublicNumbers(e, n).public_key(), kty, None
        except ValueError as exc:
            raise _SigError(f"invalid RSA key: {exc}") from None
    if kty == "EC":
        crv = jwk.get("crv")
        if not isinstance(crv, str):
            raise _SigError(f"EC key: jwk crv is {_type_name(crv)}, not a string")
        if crv not in _EC_CURVES:
            raise _SigError(f"unsupported key: kty EC with crv {crv!r}")
        size = _EC_CURVES[crv][0]
        coordinates = []
        for member in ("x", "y"):
            raw = _jwk_member_bytes(jwk, member, "EC")
            if len(raw) > size:
                raise _SigError(f"EC key: {member} is {len(raw)} bytes, more than {size} for {crv}")
            coordinates.append(int.from_bytes(raw, "big"))
        curve: ec.EllipticCurve = {
            "P-256": ec.SECP256R1(),
            "P-384": ec.SECP384R1(),
            "P-521": ec.SECP521R1(),
        }[crv]
        try:
            key = ec.EllipticCurvePublicNumbers(coordinates[0], coordinates[1], curve).public_key()
        except ValueError as exc:
            raise _SigError(f"invalid EC key (not a point on {crv}): {exc}") from None
        return key, kty, crv
    if kty == "OKP":
        crv = jwk.get("crv")
        if not isinstance(crv, str):
            raise _SigError(f"OKP key: jwk crv is {_type_name(crv)}, not a string")
        if crv != "Ed25519":
            raise _SigError(f"unsupported key: kty OKP with crv {crv!r}")
        raw = _jwk_member_bytes(jwk, "x", "Ed25519")
        if len(raw) != 32:
            raise _SigError(f"Ed25519 key: x is {len(raw)} bytes, not 32")
        problem = _ed25519_key_problem(raw)
        if problem:
            raise _SigError(f"jwk: Ed25519 key is {problem}")
        try:
            return ed25519.Ed25519PublicKey.from_public_bytes(raw), kty, crv
        except ValueError as exc:
            raise _SigError(f"invalid Ed25519 key: {exc}") from None
    raise _SigError(f"unsupported key type: kty {kty!r}")


_ED25519_P = 2**255 - 19
#: y of Ed25519's points of order 8; with 0, 1 and p - 1 those of all its points of small order.
_ED25519_Y8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022


def _ed25519_key_problem(raw: bytes) -> str | None:
    """Why an Ed25519 public key must not verify: a point of small order verifies some
    signature for every message; a non-canonical encoding names a point with a shorter name."""
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    negative_x = raw[31] >> 7
    if y >= _ED25519_P or (negative_x and y in (1, _ED25519_P - 1)):
        return "not canonically encoded"
    if y in (0, 1, _ED25519_P - 1, _ED25519_Y8, _ED25519_P - _ED25519_Y8):
        return "of small order"
    return None


def _key_id(key: Any) -> str:
    """libtrust's key id: base32 of the first 30 bytes of SHA-256(DER SubjectPublicKeyInfo)."""
    from cryptography.hazmat.primitives import serialization

    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    encoded = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode("ascii")
    return ":".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def _alg_fits(alg: str, kty: str, crv: str | None) -> bool:
    if alg[:2] in ("RS", "PS"):
        return kty == "RSA"
    if alg[:2] == "ES":
        return kty == "EC" and crv is not None and _EC_CURVES[crv][1] == alg
    return kty == "OKP" and crv == "Ed25519"  # EdDSA


def _require_cryptography() -> None:
    """The pure backend verifies and signs with `cryptography`, an optional dependency."""
    try:
        import cryptography  # noqa: F401
    except ImportError:
        raise ImportError(
            "the pure backend needs `cryptography` to verify and sign: "
            "pip install 'docker-schema1[pure]'"
        ) from None


def _verify_signature(
    index: int, signature: dict[str, Any], protected: dict[str, Any], signing_input_tail: bytes
) -> tuple[str, str]:
    _require_cryptography()
    try:
        return _verify_signature_inner(index, signature, protected, signing_input_tail)
    except _SigError as exc:
        raise InvalidSchema1Signature(f"signature {index}: {exc}") from None
    except (ManifestException, ImportError):
        raise  # ImportError: `cryptography` is missing, a set-up problem rather than bad input
    except Exception as exc:  # cryptography and anything unexpected: never leak
        raise InvalidSchema1Signature(
            f"signature {index}: verification failed: {type(exc).__name__}: {exc}"
        ) from None


def _verify_signature_inner(
    index: int, signature: dict[str, Any], protected: dict[str, Any], signing_input_tail: bytes
) -> tuple[str, str]:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

    header = signature["header"]
    alg: str = header["alg"]
    if alg.lower() == "none":
        raise _SigError(f"alg none is not allowed ({alg!r})")
    if alg.startswith("HS"):
        raise _SigError(f"HMAC alg {alg!r} is not allowed")
    if alg not in _SUPPORTED_ALGS:
        raise _SigError(f"unsupported alg {alg!r}")
    if "alg" in protected and protected["alg"] != alg:
        raise _SigError(
            f"protected header alg {protected['alg']!r} differs from header alg {alg!r}"
        )
    if "crit" in protected:
        raise _SigError("crit header is not supported")

    key, kty, crv = _public_key(header["jwk"])
    if not _alg_fits(alg, kty, crv):
        key_desc = kty if crv is None else f"{kty} {crv}"
        raise _SigError(f"alg {alg} does not fit the key ({key_desc})")
    key_id = _key_id(key)

    try:
        raw_signature = _b64url_decode(signature["signature"])
    except _Base64Error as exc:
        raise _SigError(f"signature value: {exc}") from None
    if not raw_signature:
        raise _SigError("signature value is empty")

    signing_input = signature["protected"].encode("ascii") + signing_input_tail
    hash_alg: hashes.HashAlgorithm | None = None
    if alg != "EdDSA":
        hash_alg = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[alg[2:]]
    try:
        if alg.startswith("ES"):
            assert isinstance(key, ec.EllipticCurvePublicKey) and crv is not None
            assert hash_alg is not None
            size = _EC_CURVES[crv][0]
            if len(raw_signature) != 2 * size:
                raise _SigError(f"{alg} signature is {len(raw_signature)} bytes, not {2 * size}")
            r = int.from_bytes(raw_signature[:size], "big")
            s = int.from_bytes(raw_signature[size:], "big")
            der = utils.encode_dss_signature(r, s)
            key.verify(der, signing_input, ec.ECDSA(hash_alg))
        elif alg.startswith("RS"):
            assert isinstance(key, rsa.RSAPublicKey) and hash_alg is not None
            key.verify(raw_signature, signing_input, padding.PKCS1v15(), hash_alg)
        elif alg.startswith("PS"):
            assert isinstance(key, rsa.RSAPublicKey) and hash_alg is not None
            pss = padding.PSS(mgf=padding.MGF1(hash_alg), salt_length=hash_alg.digest_size)
            key.verify(raw_signature, signing_input, pss, hash_alg)
        else:
            assert isinstance(key, ed25519.Ed25519PublicKey)
            key.verify(raw_signature, signing_input)
    except InvalidSignature:
        raise InvalidSchema1Signature(
            f"signature {index} ({alg}, key {key_id}) does not verify"
        ) from None
    return alg, key_id


# ---------------------------------------------------------------------------------------------
# manifest_value, layers, canonical_json, sha256_digest
# ---------------------------------------------------------------------------------------------


def _manifest_value(data: bytes) -> Any:
    try:
        return _loads_limited(bytes(data) if not isinstance(data, bytes) else data)
    except (ValueError, TypeError) as exc:
        _malformed(f"malformed manifest data: {exc}")


#: The members of a v1Compatibility object that the layer model reads.
_TOP_KEYS = ("id", "parent", "created", "comment", "container_config", "author", "config", "Size")


def _json_type(value: Any) -> str:
    """The JSON type of a value as the Rust core names it (integer apart from number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return "integer"
    return _type_name(value)


def _check_key_spellings(
    obj: dict[str, Any], what: str, keys: tuple[str, ...], fail: Callable[[str], NoReturn]
) -> None:
    """DESIGN 6.8: Go's ``encoding/json`` takes a member whose key equals a field name under
    ``strings.EqualFold`` for that field; a key that matches one of ``keys`` that way but is not
    spelled exactly is rejected. Besides ASCII case, the Kelvin sign folds to ``k`` and the long
    s to ``s``; no other non-ASCII letter folds to ASCII."""
    for key in obj:
        folded = key.replace("\u212a", "k").replace("\u017f", "s")
        if not folded.isascii():
            continue
        folded = folded.lower()
        for target in keys:
            if key != target and folded == target.lower():
                fail(
                    f'{what} key "{key}" differs from "{target}" only in case '
                    "(Go's readers would take one for the other)"
                )


def _layer(index: int, blob_sum: Any, v1_compat: Any, allow_missing_ids: bool) -> LayerFields:
    def fail(message: str) -> NoReturn:
        raise MalformedSchema1Manifest(f"layer {index}: {message}")

    # 1. The blob digest.
    if not isinstance(blob_sum, str) or not _DIGEST_RE.fullmatch(blob_sum):
        fail(f"could not parse manifest digest: {blob_sum!r}")
    # 2. The metadata.
    if not isinstance(v1_compat, str):
        fail(f"Could not parse metadata string: v1Compatibility is {_type_name(v1_compat)}")
    try:
        md = _loads_limited(v1_compat)
    except ValueError as exc:
        fail(f"Could not parse metadata string: {exc}")
    # 3. Falsy counts as {}.
    if not md:
        md = {}
    elif not isinstance(md, dict):
        fail(f"v1Compatibility is not a JSON object (it is {_type_name(md)})")
    # DESIGN 6.8 and 6.7: keys spelled as the model's in another case; ids and parents.
    _check_key_spellings(md, "v1Compatibility", _TOP_KEYS, fail)
    for key in ("id", "parent"):
        value = md.get(key)
        if value is not None and not isinstance(value, str):
            fail(f'v1Compatibility "{key}" is {_json_type(value)}, not a string')
    # 4. container_config.
    cc = md.get("container_config") or {}
    if not isinstance(cc, dict):
        fail(f"container_config is not an object (it is {_type_name(cc)})")
    _check_key_spellings(cc, "container_config", ("Cmd",), fail)
    # 5. command.
    command = _canonical_json(cc["Cmd"], True) if cc.get("Cmd") else None
    # 6. id.
    if not allow_missing_ids and "id" not in md:
        fail("id field missing from v1Compatibility JSON")
    # 7. labels.
    config = md.get("config", {})
    if not isinstance(config, dict):
        fail(f"config is not an object (it is {_type_name(config)})")
    _check_key_spellings(config, "config", ("Labels",), fail)
    labels = config.get("Labels", {}) or {}
    # 8.
    return (
        blob_sum,
        md.get("id"),
        md.get("parent"),
        md.get("created"),
        md.get("comment"),
        command,
        md.get("author"),
        labels,
        md.get("Size"),
    )


def _layers(
    blob_sums: Sequence[str], v1_compat: Sequence[str], allow_missing_ids: bool
) -> list[LayerFields]:
    if len(blob_sums) != len(v1_compat):
        _malformed(f"fsLayers has {len(blob_sums)} entries but history has {len(v1_compat)}")
    result: list[LayerFields] = []
    for i in range(len(blob_sums) - 1, -1, -1):
        try:
            result.append(_layer(i, blob_sums[i], v1_compat[i], allow_missing_ids))
        except ManifestException:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
            _malformed(f"layer {i}: {type(exc).__name__}: {exc}")
    return result


def _canonical_json(value: Any, ensure_ascii: bool) -> str:
    text = json.dumps(value, ensure_ascii=ensure_ascii, sort_keys=True, separators=(",", ":"))
    if isinstance(value, str):
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text


def _sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# The write path: build_manifest, metadata_removed, digest_history
# ---------------------------------------------------------------------------------------------

#: cryptography's curve name -> the JWK crv (whose entry in _EC_CURVES gives size and alg).
_CURVE_NAMES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}

#: The RSA sizes the verifier accepts, so that every signed build verifies again.
_RSA_MIN_BITS = 2048
_RSA_MAX_BITS = 8192

_PUBLIC_KEY_GIVEN = "public key given: signing needs a private key"
_RSA_CRT_MEMBERS = ("p", "q", "dp", "dq", "qi")
_PEM_LABEL_RE = re.compile(rb"-----BEGIN ([^-\r\n]*)-----")


def _key_error(message: str) -> NoReturn:
    """A signing key that cannot be used: a plain ``ValueError``, not a manifest error."""
    raise ValueError(message)


def _b64url_int(value: int, size: int | None = None) -> str:
    """Unpadded base64url of a big-endian integer: ``size`` bytes, or as few as it needs."""
    length = size if size is not None else max(1, (value.bit_length() + 7) // 8)
    return _b64url_encode(value.to_bytes(length, "big")).decode("ascii")


def _check_rsa_bits(bits: int) -> None:
    if bits < _RSA_MIN_BITS:
        _key_error(f"RSA key of {bits} bits: at least {_RSA_MIN_BITS} are needed")
    if bits > _RSA_MAX_BITS:
        _key_error(f"RSA key of {bits} bits: at most {_RSA_MAX_BITS} are supported")


class _Signer:
    """A usable private key: RSA (RS256) or EC on P-256/P-384/P-521 (ES256/ES384/ES512)."""

    def __init__(self, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        self.key = key
        self.crv: str | None = None
        self.size = 0
        if isinstance(key, rsa.RSAPrivateKey):
            _check_rsa_bits(key.key_size)
            self.alg = "RS256"
        elif isinstance(key, ec.EllipticCurvePrivateKey):
            crv = _CURVE_NAMES.get(key.curve.name)
            if crv is None:
                _key_error(f"unsupported key type: EC curve {key.curve.name}")
            self.crv = crv
            self.size, self.alg = _EC_CURVES[crv]
        else:
            _key_error(f"unsupported key type: {_describe_key(key)}")

    def public_jwk(self) -> dict[str, str]:
        """The public JWK as libtrust writes it.

        RSA: ``n, e, kid, kty``; EC: ``crv, kid, kty, x, y`` (coordinates of the curve size).
        """
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        public = self.key.public_key()
        kid = _key_id(public)
        if isinstance(public, rsa.RSAPublicKey):
            numbers = public.public_numbers()
            return {
                "n": _b64url_int(numbers.n),
                "e": _b64url_int(numbers.e),
                "kid": kid,
                "kty": "RSA",
            }
        assert isinstance(public, ec.EllipticCurvePublicKey) and self.crv is not None
        point = public.public_numbers()
        return {
            "crv": self.crv,
            "kid": kid,
            "kty": "EC",
            "x": _b64url_int(point.x, self.size),
            "y": _b64url_int(point.y, self.size),
        }

    def sign(self, signing_input: bytes) -> bytes:
        """The raw JWS signature (EC: ``r || s``, each padded to the curve size)."""
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

        if isinstance(self.key, rsa.RSAPrivateKey):
            return self.key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        assert isinstance(self.key, ec.EllipticCurvePrivateKey)
        hash_alg: hashes.HashAlgorithm = {
            "ES256": hashes.SHA256(),
            "ES384": hashes.SHA384(),
            "ES512": hashes.SHA512(),
        }[self.alg]
        r, s = utils.decode_dss_signature(self.key.sign(signing_input, ec.ECDSA(hash_alg)))
        return r.to_bytes(self.size, "big") + s.to_bytes(self.size, "big")


def _describe_key(key: Any) -> str:
    """A short name for a key that is neither RSA nor EC (Ed25519, DSA ...)."""
    name = type(key).__name__
    for suffix in ("PrivateKey", "PublicKey"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _jwk_int(jwk: dict[str, Any], member: str, what: str) -> int:
    if member not in jwk:
        _key_error(f"unrecognised key: {what} JWK has no {member!r}")
    value = jwk[member]
    if not isinstance(value, str):
        _key_error(
            f"unrecognised key: {what} JWK member {member!r} is {_type_name(value)}, not a string"
        )
    try:
        raw = _b64url_decode(value)
    except _Base64Error as exc:
        _key_error(f"unrecognised key: {what} JWK member {member!r}: {exc}")
    if not raw:
        _key_error(f"unrecognised key: {what} JWK member {member!r} is empty")
    return int.from_bytes(raw, "big")


def _load_jwk(data: bytes) -> _Signer:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    try:
        jwk = _loads_limited(data)
    except ValueError as exc:
        _key_error(f"unrecognised key: the JWK is not JSON: {exc}")
    if not isinstance(jwk, dict):
        _key_error(f"unrecognised key: the JWK is {_type_name(jwk)}, not an object")
    if "kty" not in jwk:
        _key_error("unrecognised key: the JWK has no kty")
    kty = jwk["kty"]
    if not isinstance(kty, str):
        _key_error(f"unrecognised key: the JWK kty is {_type_name(kty)}, not a string")

    if kty == "RSA":
        if "d" not in jwk:
            _key_error(_PUBLIC_KEY_GIVEN)
        if any(member not in jwk for member in _RSA_CRT_MEMBERS):
            _key_error("RSA JWK needs p, q, dp, dq and qi")
        n = _jwk_int(jwk, "n", "RSA")
        _check_rsa_bits(n.bit_length())
        e, d, p, q, dp, dq, qi = (
            _jwk_int(jwk, member, "RSA") for member in ("e", "d", *_RSA_CRT_MEMBERS)
        )
        try:
            public_numbers = rsa.RSAPublicNumbers(e, n)
            key = rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, public_numbers).private_key()
        except ValueError as exc:
            _key_error(f"unrecognised key: invalid RSA JWK: {exc}")
        return _Signer(key)

    if kty == "EC":
        if "crv" not in jwk:
            _key_error("unrecognised key: the EC JWK has no crv")
        crv = jwk["crv"]
        if not isinstance(crv, str):
            _key_error(f"unrecognised key: the EC JWK crv is {_type_name(crv)}, not a string")
        if crv not in _EC_CURVES:
            _key_error(f"unsupported key type: EC curve {crv!r}")
        if "d" not in jwk:
            _key_error(_PUBLIC_KEY_GIVEN)
        size = _EC_CURVES[crv][0]
        values = []
        for member in ("x", "y", "d"):
            value = _jwk_int(jwk, member, "EC")
            if value.bit_length() > 8 * size:
                _key_error(f"unrecognised key: EC JWK member {member!r} is too long for {crv}")
            values.append(value)
        curve: ec.EllipticCurve = {
            "P-256": ec.SECP256R1(),
            "P-384": ec.SECP384R1(),
            "P-521": ec.SECP521R1(),
        }[crv]
        x, y, d = values
        try:
            public_point = ec.EllipticCurvePublicNumbers(x, y, curve)
            ec_key = ec.EllipticCurvePrivateNumbers(d, public_point).private_key()
        except ValueError as exc:
            _key_error(f"unrecognised key: invalid EC JWK: {exc}")
        return _Signer(ec_key)

    crv_value = jwk.get("crv")
    detail = f" with crv {crv_value!r}" if isinstance(crv_value, str) else ""
    _key_error(f"unsupported key type: kty {kty!r}{detail}")


def _load_pem_or_der(data: bytes) -> _Signer:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    pem = b"-----BEGIN" in data
    form = "PEM" if pem else "DER"
    if pem and (
        b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data or b"Proc-Type: 4,ENCRYPTED" in data
    ):
        _key_error("encrypted PEM keys are not supported")
    try:
        if pem:
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = serialization.load_der_private_key(data, password=None)
    except TypeError:  # "Password was not given but private key is encrypted"
        _key_error(f"encrypted {form} keys are not supported")
    except UnsupportedAlgorithm as exc:
        _key_error(f"unsupported key type: {exc}")
    except ValueError as exc:
        try:
            if pem:
                serialization.load_pem_public_key(data)
            else:
                serialization.load_der_public_key(data)
        except (ValueError, UnsupportedAlgorithm):
            pass
        else:
            _key_error(_PUBLIC_KEY_GIVEN)
        if not pem:
            _key_error("unrecognised key: not a private key as JWK, PEM or DER")
        label = _PEM_LABEL_RE.search(data)
        if label is not None and b"PRIVATE KEY" not in label.group(1):
            name = label.group(1).decode("ascii", "replace")
            _key_error(f"unrecognised key: the PEM block {name!r} is not a private key")
        _key_error(f"unrecognised key: {exc}")
    return _Signer(key)  # type: ignore[arg-type]  # _Signer rejects what is not RSA/EC


def _signer(key: bytes) -> _Signer:
    """The private key in ``key``: JWK JSON text, PEM text or DER. Raises ``ValueError``."""
    _require_cryptography()
    data = bytes(key)
    if data.lstrip()[:1] == b"{":
        return _load_jwk(data)
    return _load_pem_or_der(data)


def _write_document(document: dict[str, Any], ensure_ascii: bool) -> bytes:
    """``json.dumps(document, indent=3)`` as UTF-8, as Quay's builder writes it."""
    try:
        text = json.dumps(document, indent=3, ensure_ascii=ensure_ascii)
    except (TypeError, ValueError, RecursionError) as exc:
        _malformed(f"the manifest cannot be written as JSON: {exc}")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        _malformed(
            f"the manifest holds a lone surrogate (U+{ord(exc.object[exc.start]):04X}), "
            "which UTF-8 cannot encode (ensure_ascii=True escapes it)"
        )


def _build_manifest(
    document: dict[str, Any], ensure_ascii: bool, key: bytes | None, signing_time: str
) -> bytes:
    payload = _write_document(document, ensure_ascii)
    if key is None:
        return payload
    signer = _signer(key)
    split = payload.rfind(b"\n}")
    if split < 1:
        _malformed("the manifest has no closing brace on a line of its own, so it cannot be signed")
    header = {
        "formatTail": _b64url_encode(payload[split:]).decode("ascii"),
        "formatLength": split,
        "time": signing_time,
    }
    protected = _b64url_encode(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    signature = signer.sign(protected + b"." + _b64url_encode(payload))
    block = {
        "header": {"jwk": signer.public_jwk(), "alg": signer.alg},
        "signature": _b64url_encode(signature).decode("ascii"),
        "protected": protected.decode("ascii"),
    }
    return _write_document({**document, "signatures": [block]}, ensure_ascii)


#: What ``with_metadata_removed()`` keeps of a non-leaf layer after its id, in this order.
_KEPT_MEMBERS = ("parent", "created", "author", "comment", "Size")


def _metadata_removed_entry(index: int, entry: Any) -> str:
    def fail(message: str) -> NoReturn:
        raise MalformedSchema1Manifest(f"layer {index}: {message}")

    try:
        md = _loads_limited(entry)
    except ValueError as exc:
        fail(f"v1Compatibility is not JSON: {exc}")
    if index == 0:  # the leaf keeps everything
        fixed = md
    else:
        if not isinstance(md, dict):
            fail(f"v1Compatibility is {_type_name(md)}, not an object, so it has no id")
        if "id" not in md:
            fail("id field missing from v1Compatibility JSON")
        fixed = {"id": md["id"]}
        for member in _KEPT_MEMBERS:
            if member in md:
                fixed[member] = md[member]
        # Python's `"Cmd" in md.get("container_config", {})`, then `[...]["Cmd"]`.
        container_config = md.get("container_config", {})
        if isinstance(container_config, dict):
            if "Cmd" in container_config:
                fixed["container_config"] = {"Cmd": container_config["Cmd"]}
        elif isinstance(container_config, (list, str)):
            if "Cmd" in container_config:
                kind = _type_name(container_config)
                fail(f"container_config is {kind} holding 'Cmd', not an object")
        else:
            fail(f"container_config is {_type_name(container_config)}, not an object")
    try:
        return json.dumps(fixed)
    except (TypeError, ValueError, RecursionError) as exc:  # not for values json.loads made
        fail(f"v1Compatibility cannot be written back: {exc}")


def _metadata_removed(history: Sequence[str]) -> list[str]:
    return [_metadata_removed_entry(i, entry) for i, entry in enumerate(history)]


def _rewrite_from(
    blob_sums: Sequence[str], v1_compat: Sequence[str], earlier_ids: list[str | None]
) -> list[tuple[str, str | None, str]]:
    """Quay's ``rewrite_invalid_image_ids`` from the first rewritten layer on (the layers before
    it keep ``earlier_ids``): ``(new id, remapped parent, rewritten compat_json)``, base first.
    The same rules as the Rust core's ``rewrite::rewrite_from``."""
    count = len(blob_sums)
    first = min(len(earlier_ids), count)
    running = hashlib.sha256()
    id_map: dict[str | None, str | None] = {image_id: image_id for image_id in earlier_ids}
    out = []
    for position in range(count):
        doc_index = count - 1 - position

        def fail(what: str, doc_index: int = doc_index) -> NoReturn:
            raise MalformedSchema1Manifest(
                f"cannot rewrite the v1 metadata of fsLayers[{doc_index}]: {what}"
            )

        v1 = v1_compat[doc_index]
        try:
            running.update(blob_sums[doc_index].encode("utf-8"))
            running.update(b"@")
            running.update(v1.encode("utf-8"))
            running.update(b"|")
        except UnicodeEncodeError:
            fail("it holds a lone surrogate")
        if position < first:
            continue
        new_id = running.hexdigest()
        try:
            md = _loads_limited(v1)
        except ValueError as exc:
            fail(f"v1Compatibility is not JSON: {exc}")
        if not isinstance(md, dict):
            fail(f"v1Compatibility is {_type_name(md)}")
        if "id" not in md:
            fail("it has no id")
        image_id = md["id"]
        if image_id is not None and not isinstance(image_id, str):
            fail(f"id is {_type_name(image_id)}")
        id_map[image_id] = new_id
        md["id"] = new_id
        parent = md.get("parent")
        if parent is not None:
            if not isinstance(parent, str):
                fail(f"parent is {_type_name(parent)}")
            if parent and parent in id_map:
                md["parent"] = id_map[parent]
            parent = id_map.get(parent, parent)
        if "container_config" in md:
            container_config = md["container_config"]
            if not isinstance(container_config, dict):
                fail(f"container_config is {_type_name(container_config)}, not an object")
            image = container_config.get("Image")
            if image and isinstance(image, (list, dict)):
                fail(f"container_config.Image is an {_type_name(image)} (unhashable)")
            if image and isinstance(image, str) and image in id_map:
                container_config["image"] = id_map[image]
        out.append((new_id, parent, _canonical_json(md, True)))
    return out


def _utf8(index: int, value: Any, member: str) -> bytes:
    if not isinstance(value, str):
        raise MalformedSchema1Manifest(
            f"layer {index}: {member} is {_type_name(value)}, not a string"
        )
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedSchema1Manifest(f"layer {index}: {member} holds a lone surrogate") from None


def _digest_history(blob_sums: Sequence[str], v1_compat: Sequence[str]) -> list[str]:
    if len(blob_sums) != len(v1_compat):
        _malformed(f"fsLayers has {len(blob_sums)} entries but history has {len(v1_compat)}")
    running = hashlib.sha256()
    digests = []
    for i, (blob_sum, v1) in enumerate(zip(blob_sums, v1_compat)):
        blob_bytes = _utf8(i, blob_sum, "blobSum")
        v1_bytes = _utf8(i, v1, "v1Compatibility")
        running.update(blob_bytes)
        running.update(b"@")
        running.update(v1_bytes)
        running.update(b"|")
        digests.append(running.hexdigest())
    return digests


# ---------------------------------------------------------------------------------------------
# Signing the bytes given, as libtrust does (rust/src/sign.rs)
# ---------------------------------------------------------------------------------------------


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
    header = {
        "formatTail": _b64url_encode(payload[length:]).decode("ascii"),
        "formatLength": length,
        "time": signing_time,
    }
    protected = _b64url_encode(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    signature = signer.sign(protected + b"." + _b64url_encode(payload))
    block = {
        "header": {"jwk": signer.public_jwk(), "alg": signer.alg},
        "signature": _b64url_encode(signature).decode("ascii"),
        "protected": protected.decode("ascii"),
    }
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


# ---------------------------------------------------------------------------------------------
# The backend object
# ---------------------------------------------------------------------------------------------


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
