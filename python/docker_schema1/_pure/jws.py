"""Signature verification with ``cryptography``: JWK public keys, libtrust key ids, JWS checks."""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

from ..errors import InvalidSchema1Signature, ManifestException

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

from .common import _EC_CURVES, _SUPPORTED_ALGS, _b64url_decode, _Base64Error, _type_name


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
