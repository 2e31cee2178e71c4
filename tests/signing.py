"""Test-only libtrust-style signing with `cryptography`, to make signed manifests of any
algorithm (the package itself signs in the write path)."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}
CURVES = {
    "ES256": (ec.SECP256R1, "P-256", 32),
    "ES384": (ec.SECP384R1, "P-384", 48),
    "ES512": (ec.SECP521R1, "P-521", 66),
}
ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_bytes(n: int, size: int | None = None) -> bytes:
    return n.to_bytes(size or (n.bit_length() + 7) // 8, "big")


@cache
def key_for(alg: str) -> Any:
    if alg.startswith(("RS", "PS")):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if alg == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    return ec.generate_private_key(CURVES[alg][0]())


def key_id(public_key: Any) -> str:
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    text = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode()
    return ":".join(text[i : i + 4] for i in range(0, 48, 4))


def jwk(alg: str) -> dict[str, str]:
    public = key_for(alg).public_key()
    if alg.startswith(("RS", "PS")):
        numbers = public.public_numbers()
        return {
            "kty": "RSA",
            "n": b64url(_int_bytes(numbers.n)),
            "e": b64url(_int_bytes(numbers.e)),
            "kid": key_id(public),
        }
    if alg == "EdDSA":
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": key_id(public)}
    _, crv, size = CURVES[alg]
    numbers = public.public_numbers()
    return {
        "kty": "EC",
        "crv": crv,
        "x": b64url(_int_bytes(numbers.x, size)),
        "y": b64url(_int_bytes(numbers.y, size)),
        "kid": key_id(public),
    }


def raw_signature(alg: str, signing_input: bytes) -> bytes:
    key = key_for(alg)
    if alg == "EdDSA":
        return bytes(key.sign(signing_input))
    algorithm = HASHES[alg[2:]]()
    if alg.startswith("RS"):
        return bytes(key.sign(signing_input, padding.PKCS1v15(), algorithm))
    if alg.startswith("PS"):
        pss = padding.PSS(mgf=padding.MGF1(algorithm), salt_length=algorithm.digest_size)
        return bytes(key.sign(signing_input, pss, algorithm))
    der = key.sign(signing_input, ec.ECDSA(algorithm))
    r, s = utils.decode_dss_signature(der)
    size = CURVES[alg][2]
    return _int_bytes(r, size) + _int_bytes(s, size)


def sign(payload: bytes, algs: list[str], extra_protected: dict[str, Any] | None = None) -> bytes:
    """Sign a JSON object document as libtrust does: formatLength cuts before the final
    whitespace and `}`, and the signatures member is appended there."""
    close = payload.rindex(b"}")
    length = close
    while length > 0 and payload[length - 1 : length] in (b" ", b"\n", b"\t", b"\r"):
        length -= 1
    tail = payload[length:]
    blocks = []
    for alg in algs:
        header = {
            "formatLength": length,
            "formatTail": b64url(tail),
            "time": "2019-01-01T00:00:00Z",
        }
        header.update(extra_protected or {})
        protected = b64url(json.dumps(header, separators=(",", ":")).encode())
        signing_input = f"{protected}.{b64url(payload)}".encode()
        blocks.append(
            {
                "header": {"jwk": jwk(alg), "alg": alg},
                "signature": b64url(raw_signature(alg, signing_input)),
                "protected": protected,
            }
        )
    signatures = json.dumps(blocks, indent=3).replace("\n", "\n   ").encode()
    return payload[:length] + b',\n   "signatures": ' + signatures + tail


def private_jwk(key: Any) -> dict[str, str]:
    """The private JWK of a `cryptography` RSA or EC key (every member libtrust and JOSE use)."""
    numbers = key.private_numbers()
    if isinstance(key, rsa.RSAPrivateKey):
        public = numbers.public_numbers
        return {
            "kty": "RSA",
            "n": b64url(_int_bytes(public.n)),
            "e": b64url(_int_bytes(public.e)),
            "d": b64url(_int_bytes(numbers.d)),
            "p": b64url(_int_bytes(numbers.p)),
            "q": b64url(_int_bytes(numbers.q)),
            "dp": b64url(_int_bytes(numbers.dmp1)),
            "dq": b64url(_int_bytes(numbers.dmq1)),
            "qi": b64url(_int_bytes(numbers.iqmp)),
        }
    size = (key.curve.key_size + 7) // 8
    public = numbers.public_numbers
    return {
        "kty": "EC",
        "crv": {256: "P-256", 384: "P-384", 521: "P-521"}[key.curve.key_size],
        "x": b64url(_int_bytes(public.x, size)),
        "y": b64url(_int_bytes(public.y, size)),
        "d": b64url(_int_bytes(numbers.private_value, size)),
    }


# The pure backend's tests write these by hand, to check the backend against the spec.
def b64u(data: bytes) -> str:
    return b64url(data)


def b64u_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64u_int(value: int, size: int | None = None) -> str:
    return b64url(value.to_bytes(size or max(1, (value.bit_length() + 7) // 8), "big"))


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def libtrust_key_id(private_key: Any) -> str:
    return key_id(private_key.public_key())
