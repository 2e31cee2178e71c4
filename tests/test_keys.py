"""Every key form DESIGN section 3 accepts for signing, and the errors for unusable keys."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder

from .signing import key_id, private_jwk


class AuthlibStyleKey:
    """An object with as_dict(is_private=True), as Authlib's keys have."""

    def __init__(self, jwk: dict[str, str]) -> None:
        self._jwk = jwk

    def as_dict(self, is_private: bool = False) -> dict[str, str]:
        return dict(self._jwk) if is_private else {}


RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
P256 = ec.generate_private_key(ec.SECP256R1())
P384 = ec.generate_private_key(ec.SECP384R1())
P521 = ec.generate_private_key(ec.SECP521R1())
ALGS = {id(RSA): "RS256", id(P256): "ES256", id(P384): "ES384", id(P521): "ES512"}


def forms(key: Any) -> dict[str, Any]:
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    traditional = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    jwk = private_jwk(key)
    return {
        "object": key,
        "pem-pkcs8-bytes": pkcs8,
        "pem-pkcs8-text": pkcs8.decode(),
        "pem-traditional": traditional,
        "der": der,
        "jwk-dict": jwk,
        "jwk-text": json.dumps(jwk),
        "as_dict": AuthlibStyleKey(jwk),
    }


CASES = [
    pytest.param(key, form, id=f"{ALGS[id(key)]}-{form}")
    for key in (RSA, P256, P384, P521)
    for form in forms(key)
]


@pytest.mark.parametrize(("key", "form"), CASES)
def test_every_key_form_signs(backend: str, key: Any, form: str) -> None:
    builder = DockerSchema1ManifestBuilder("ns", "repo", "tag").add_layer(
        "sha256:ab", '{"id": "a"}'
    )
    built = builder.build(forms(key)[form])
    assert built.signers == [(ALGS[id(key)], key_id(key.public_key()))]
    assert DockerSchema1Manifest(built.bytes.as_encoded_str()).digest == builder.build().digest
    jwk = built.signatures[0]["header"]["jwk"]  # type: ignore[index]
    expected = ["n", "e", "kid", "kty"] if key is RSA else ["crv", "kid", "kty", "x", "y"]
    assert list(jwk) == expected


def _public_pem(key: Any) -> bytes:
    return bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


SMALL_RSA = rsa.generate_private_key(public_exponent=65537, key_size=1024)
ERRORS = [
    pytest.param(ed25519.Ed25519PrivateKey.generate(), "unsupported", id="ed25519-object"),
    pytest.param(_public_pem(RSA), "public key", id="rsa-public-pem"),
    pytest.param(_public_pem(P256), "public key", id="ec-public-pem"),
    pytest.param(
        {k: v for k, v in private_jwk(P256).items() if k != "d"}, "public key", id="ec-public-jwk"
    ),
    pytest.param(SMALL_RSA, "1024 bits", id="rsa-1024"),
    pytest.param({"kty": "oct", "k": "c2VjcmV0"}, "unsupported", id="jwk-oct"),
    pytest.param(b"not a key", "unrecognised key", id="garbage-bytes"),
    pytest.param(12345, "unsupported key object", id="an-int"),
]


@pytest.mark.parametrize(("key", "message"), ERRORS)
def test_unusable_keys_raise_value_error(backend: str, key: Any, message: str) -> None:
    builder = DockerSchema1ManifestBuilder("ns", "repo", "tag").add_layer(
        "sha256:ab", '{"id": "a"}'
    )
    with pytest.raises(ValueError, match=message) as info:
        builder.build(key)
    assert type(info.value) is ValueError


def test_convert_manifest(backend: str) -> None:
    builder = DockerSchema1ManifestBuilder("ns", "repo", "tag").add_layer(
        "sha256:ab", '{"id": "a"}'
    )
    signed = builder.build(RSA)
    prettyjws = "application/vnd.docker.distribution.manifest.v1+prettyjws"
    plain = "application/vnd.docker.distribution.manifest.v1+json"
    assert signed.convert_manifest([prettyjws], "ns", "repo", "tag", None) is signed
    unsigned = signed.convert_manifest([plain], "ns", "repo", "tag", None)
    assert unsigned is not None and not unsigned.is_signed
    assert unsigned.bytes == builder.build().bytes
    assert unsigned.convert_manifest([plain], "ns", "repo", "tag", None) is unsigned
    assert (
        signed.convert_manifest(["application/vnd.oci.image.manifest.v1+json"], "n", "r", "t", None)
        is None
    )
