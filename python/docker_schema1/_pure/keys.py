"""Signing keys with ``cryptography``: JWK, PEM and DER private keys, RS256 and ES256/384/512."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

from .common import (
    _EC_CURVES,
    _b64url_decode,
    _b64url_encode,
    _Base64Error,
    _loads_limited,
    _type_name,
)
from .jws import _key_id, _require_cryptography

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
