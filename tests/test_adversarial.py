"""Hostile input (DESIGN 4.2, 5 and 6): every attack is built in code, run on both backends,
and must end in the exact exception class with a message that names the problem.

Nothing but ``MalformedSchema1Manifest`` and ``InvalidSchema1Signature`` may escape: every
call goes through ``attempt``/``guarded``, which turn a foreign exception into a clear failure.
Where DESIGN 6 lets the class be either one (the formatLength/formatTail rules and content
outside the signed head are "hostile input" rather than a plain signature mismatch), the table
pins the class the package raises and ``expect_error`` checks that it is one of the two.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from docker_schema1 import DockerSchema1Manifest, InvalidSchema1Signature, MalformedSchema1Manifest

from . import signing
from .conftest import shared_path

ERRORS = (MalformedSchema1Manifest, InvalidSchema1Signature)
MALFORMED, INVALID = MalformedSchema1Manifest, InvalidSchema1Signature
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SIGNED_ES256 = (EXAMPLES / "signed-es256.json").read_bytes()
SIGNED_ES256_DIGEST = "sha256:" + hashlib.sha256(SIGNED_ES256[:2883] + b"\n}").hexdigest()

BLOB_BASE = "sha256:" + "a" * 64
BLOB_LEAF = "sha256:" + "b" * 64
BASE_ID, LEAF_ID = "1" * 64, "2" * 64
DROP = object()  # a protected-header member to leave out
MB = 1_000_000

# ---------------------------------------------------------------------------------------------
# Guards: only our two classes may ever escape
# ---------------------------------------------------------------------------------------------


def guarded(what: str, call: Callable[[], Any]) -> Any:
    """``call()``, failing clearly if it raises anything but our two classes."""
    try:
        return call()
    except ERRORS:
        raise
    except Exception as exc:
        pytest.fail(f"{what}: foreign exception {type(exc).__name__}: {exc!r}"[:2000])


def attempt(data: bytes, validate: bool = True) -> DockerSchema1Manifest:
    return guarded(
        f"DockerSchema1Manifest(validate={validate})",
        lambda: DockerSchema1Manifest(data, validate=validate),
    )


def expect_error(
    call: Callable[[], Any], cls: type[Exception], pattern: str, what: str = "call"
) -> Exception:
    """``call()`` raises exactly ``cls`` (one of our two) with a message matching ``pattern``."""
    assert cls in ERRORS
    try:
        result = guarded(what, call)
    except ERRORS as exc:
        assert type(exc) is cls, f"{what}: expected {cls.__name__}, got {type(exc).__name__}: {exc}"
        assert re.search(pattern, str(exc), re.IGNORECASE | re.DOTALL), (
            f"{what}: message {str(exc)!r} does not match {pattern!r}"
        )
        return exc
    pytest.fail(f"{what}: accepted, expected {cls.__name__} ({pattern}); got {result!r}")


def expect_rejected(data: bytes, cls: type[Exception], pattern: str, validate: bool = True) -> None:
    expect_error(
        lambda: DockerSchema1Manifest(data, validate=validate),
        cls,
        pattern,
        f"DockerSchema1Manifest(validate={validate})",
    )


# ---------------------------------------------------------------------------------------------
# Building documents and libtrust-style signatures by hand
# ---------------------------------------------------------------------------------------------


def v1(image_id: str, parent: str | None = None, **extra: Any) -> str:
    metadata: dict[str, Any] = {"id": image_id, "created": "2019-01-01T00:00:00Z"}
    if parent:
        metadata["parent"] = parent
    metadata.update(extra)
    return json.dumps(metadata)


def document(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schemaVersion": 1,
        "name": "hostile/input",
        "tag": "latest",
        "architecture": "amd64",
        "fsLayers": [{"blobSum": BLOB_LEAF}, {"blobSum": BLOB_BASE}],
        "history": [
            {"v1Compatibility": v1(LEAF_ID, BASE_ID, container_config={"Cmd": ["sh"]})},
            {"v1Compatibility": v1(BASE_ID)},
        ],
    }
    doc.update(changes)
    return doc


def payload_of(doc: dict[str, Any] | None = None) -> bytes:
    return json.dumps(document() if doc is None else doc, indent=3).encode()


PAYLOAD = payload_of()
PAYLOAD_DIGEST = "sha256:" + hashlib.sha256(PAYLOAD).hexdigest()
OTHER_PAYLOAD = payload_of(document(tag="other"))


def cut(payload: bytes) -> tuple[int, bytes]:
    """libtrust's formatLength and formatTail, as ``signing.sign`` cuts them."""
    length = payload.rindex(b"}")
    while length > 0 and payload[length - 1 : length] in (b" ", b"\n", b"\t", b"\r"):
        length -= 1
    return length, payload[length:]


LENGTH, TAIL = cut(PAYLOAD)


def protected(payload: bytes = PAYLOAD, **changes: Any) -> str:
    length, tail = cut(payload)
    header: dict[str, Any] = {
        "formatLength": length,
        "formatTail": signing.b64url(tail),
        "time": "2019-01-01T00:00:00Z",
    }
    for key, value in changes.items():
        if value is DROP:
            header.pop(key, None)
        else:
            header[key] = value
    return signing.b64url(json.dumps(header).encode())


def block(
    alg: str,
    *,
    payload: bytes = PAYLOAD,
    header_alg: str | None = None,
    jwk: dict[str, str] | None = None,
    protected_b64: str | None = None,
    signature: str | None = None,
    signed_payload: bytes | None = None,
    raw: Callable[[bytes], bytes] | None = None,
) -> dict[str, Any]:
    """One signature: by default an honest ``alg`` signature of ``payload``; every part can be
    replaced (the header's alg and jwk, the protected header, the value, what was signed)."""
    protected_b64 = protected_b64 or protected(payload)
    if signature is None:
        signed = signed_payload if signed_payload is not None else payload
        signing_input = f"{protected_b64}.{signing.b64url(signed)}".encode()
        sig_bytes = raw(signing_input) if raw else signing.raw_signature(alg, signing_input)
        signature = signing.b64url(sig_bytes)
    return {
        "header": {
            "jwk": signing.jwk(alg) if jwk is None else jwk,
            "alg": alg if header_alg is None else header_alg,
        },
        "signature": signature,
        "protected": protected_b64,
    }


def assemble(
    blocks: list[dict[str, Any]] | None = None,
    *,
    payload: bytes = PAYLOAD,
    signatures_json: bytes | None = None,
    before: bytes = b"",
    after: bytes = b"",
) -> bytes:
    """The signed document: head, ``before``, the signatures member, ``after``, the tail."""
    length, tail = cut(payload)
    if signatures_json is None:
        signatures_json = json.dumps(blocks, indent=3).replace("\n", "\n   ").encode()
    return payload[:length] + before + b',\n   "signatures": ' + signatures_json + after + tail


def signed(alg: str = "ES256", payload: bytes = PAYLOAD) -> bytes:
    return assemble([block(alg, payload=payload)], payload=payload)


def hmac_with_rsa_public_key(digest: str) -> Callable[[bytes], bytes]:
    """The classic key-confusion forgery: HMAC keyed with the RSA public key's PEM bytes."""
    pem = (
        signing.key_for("RS256")
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return lambda signing_input: hmac.new(pem, signing_input, digest).digest()


def es256_with_p384_key(signing_input: bytes) -> bytes:
    der = signing.key_for("ES384").sign(signing_input, ec.ECDSA(hashes.SHA256()))
    r, s = utils.decode_dss_signature(der)
    return r.to_bytes(48, "big") + s.to_bytes(48, "big")


def resized(alg: str, change: Callable[[bytes], bytes]) -> str:
    """An honest ``alg`` signature value with its bytes changed by ``change``."""
    value = block(alg)["signature"]
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    return signing.b64url(change(raw))


def swap_protected(signature: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The signature with another protected header put in after signing."""
    return {**signature, "protected": protected(**changes)}


def splice(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) == 1, old
    return data.replace(old, new)


# ---------------------------------------------------------------------------------------------
# Controls: the honest documents these attacks start from are accepted
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", signing.ALGS)
def test_honest_signature_verifies(backend: str, alg: str) -> None:
    manifest = attempt(signed(alg))
    assert manifest.digest == PAYLOAD_DIGEST
    assert manifest.signers == [(alg, signing.jwk(alg)["kid"])]
    assert guarded("layers", lambda: manifest.blob_digests) == [BLOB_BASE, BLOB_LEAF]


def test_libtrust_example_verifies(backend: str) -> None:
    manifest = attempt(SIGNED_ES256)
    assert manifest.digest == SIGNED_ES256_DIGEST
    assert [alg for alg, _ in manifest.signers] == ["ES256"]


def test_protected_alg_equal_to_header_alg_is_accepted(backend: str) -> None:
    data = assemble([block("ES256", protected_b64=protected(alg="ES256"))])
    assert attempt(data).digest == PAYLOAD_DIGEST


@pytest.mark.parametrize(
    "value",
    [pytest.param("float", id="1234.0"), pytest.param("exponent", id="1.234e3")],
)
def test_integral_float_format_length_is_accepted(backend: str, value: str) -> None:
    length, _ = cut(PAYLOAD)
    # json.dumps writes a float as "1234.0"; the exponent form is spliced into the JSON text.
    if value == "float":
        header_b64 = protected(formatLength=float(length))
    else:
        header = json.dumps({"formatLength": "@", "formatTail": signing.b64url(b"\n}")})
        text = header.replace('"@"', f"{length / 1000!r}e3")
        assert json.loads(text)["formatLength"] == length
        header_b64 = signing.b64url(text.encode())
    data = assemble([block("ES256", protected_b64=header_b64)])
    for validate in (True, False):
        manifest = attempt(data, validate)
        assert manifest.digest == PAYLOAD_DIGEST
    assert attempt(data).signers == [("ES256", signing.jwk("ES256")["kid"])]


# ---------------------------------------------------------------------------------------------
# 1. Algorithm and key attacks (DESIGN 5, 6.1): InvalidSchema1Signature
# ---------------------------------------------------------------------------------------------


def _alg_cases() -> list[Any]:
    cases = []
    for name in ("none", "None", "NONE", "nOnE"):
        for value in ("", "="):
            cases.append(
                pytest.param(
                    lambda name=name, value=value: assemble(
                        [block("ES256", header_alg=name, signature=value)]
                    ),
                    INVALID,
                    rf"alg\W+{name}\W.*not allowed",
                    id=f"alg-{name}-signature-{value or 'empty'}",
                )
            )
        cases.append(
            pytest.param(
                lambda name=name: assemble(
                    [block("ES256", protected_b64=protected(alg=name), header_alg=name)]
                ),
                INVALID,
                rf"alg\W+{name}\W.*not allowed",
                id=f"alg-{name}-in-both-headers-with-real-signature",
            )
        )
    for alg, digest in (("HS256", "sha256"), ("HS384", "sha384"), ("HS512", "sha512")):
        cases.append(
            pytest.param(
                lambda alg=alg, digest=digest: assemble(
                    [
                        block(
                            "RS256",
                            header_alg=alg,
                            raw=hmac_with_rsa_public_key(digest),
                        )
                    ]
                ),
                INVALID,
                rf"HMAC alg\W+{alg}\W.*not allowed",
                id=f"{alg}-keyed-with-rsa-public-key-pem",
            )
        )
    cases += [
        pytest.param(
            lambda: assemble([block("ES256", jwk=signing.jwk("RS256"))]),
            INVALID,
            r"alg ES256 (does not fit the key|needs a P-256 key)",
            id="ES256-with-rsa-jwk",
        ),
        pytest.param(
            lambda: assemble([block("ES256", jwk=signing.jwk("ES384"), raw=es256_with_p384_key)]),
            INVALID,
            r"alg ES256 (does not fit the key|needs a P-256 key)",
            id="ES256-with-p384-key",
        ),
        pytest.param(
            lambda: assemble([block("ES512", header_alg="ES384")]),
            INVALID,
            r"alg ES384 (does not fit the key|needs a P-384 key)",
            id="ES384-with-p521-key",
        ),
        pytest.param(
            lambda: assemble([block("RS256", jwk=signing.jwk("ES256"))]),
            INVALID,
            r"alg RS256 (does not fit the key|needs an RSA key)",
            id="RS256-with-ec-jwk",
        ),
        pytest.param(
            lambda: assemble([block("PS256", jwk=signing.jwk("EdDSA"))]),
            INVALID,
            r"alg PS256 (does not fit the key|needs an RSA key)",
            id="PS256-with-ed25519-jwk",
        ),
        pytest.param(
            lambda: assemble([block("EdDSA", jwk=signing.jwk("RS256"))]),
            INVALID,
            r"alg EdDSA (does not fit the key|needs an Ed25519 key)",
            id="EdDSA-with-rsa-jwk",
        ),
        pytest.param(
            lambda: assemble([block("EdDSA", jwk=signing.jwk("ES256"))]),
            INVALID,
            r"alg EdDSA (does not fit the key|needs an Ed25519 key)",
            id="EdDSA-with-ec-jwk",
        ),
        pytest.param(
            lambda: assemble([block("ES256", protected_b64=protected(alg="RS256"))]),
            INVALID,
            r"protected header alg.*differs from header alg",
            id="protected-alg-RS256-header-alg-ES256",
        ),
        pytest.param(
            lambda: assemble([block("ES256", protected_b64=protected(alg="none"))]),
            INVALID,
            r"protected header alg.*differs from header alg",
            id="protected-alg-none-header-alg-ES256",
        ),
        pytest.param(
            lambda: assemble([block("ES256", protected_b64=protected(alg=None))]),
            INVALID,
            r"protected header alg.*differs from header alg",
            id="protected-alg-null-header-alg-ES256",
        ),
        pytest.param(
            lambda: assemble([block("ES256", protected_b64=protected(crit=["exp"], exp=1))]),
            INVALID,
            r"crit header is not supported",
            id="crit-in-protected-header",
        ),
        pytest.param(
            lambda: assemble([block("ES256", protected_b64=protected(crit=[]))]),
            INVALID,
            r"crit header is not supported",
            id="empty-crit-in-protected-header",
        ),
    ]
    unknown = ["ES257", "RS1", "", "es256", "Ed25519", "RSA-OAEP", "ES256 ", "ES256\0", "\ud800"]
    for name in unknown:
        cases.append(
            pytest.param(
                lambda name=name: assemble([block("ES256", header_alg=name)]),
                INVALID,
                r"unsupported alg",
                id=f"unknown-alg-{name!r}",
            )
        )
    cases.append(
        pytest.param(
            lambda: assemble(
                [block("RS256", header_alg="hs256", raw=hmac_with_rsa_public_key("sha256"))]
            ),
            INVALID,
            r"(HMAC|unsupported) alg\W+hs256",
            id="lower-case-hs256",
        )
    )
    return cases


@pytest.mark.parametrize(("build", "cls", "pattern"), _alg_cases())
def test_algorithm_attacks(
    backend: str, build: Callable[[], bytes], cls: type[Exception], pattern: str
) -> None:
    data = build()
    expect_rejected(data, cls, pattern)
    # Without validation nothing is verified, but the document still parses and digests.
    assert attempt(data, validate=False).digest == PAYLOAD_DIGEST


def rsa_e1_forgery(signing_input: bytes) -> bytes:
    """With e = 1 the "signature" is the PKCS#1 v1.5 encoding itself: valid for a naive verifier."""
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420")
    encoded = digest_info + hashlib.sha256(signing_input).digest()
    return b"\x00\x01" + b"\xff" * (256 - len(encoded) - 3) + b"\x00" + encoded


def rsa_jwk(n: bytes, e: bytes = b"\x01\x00\x01") -> dict[str, str]:
    return {"kty": "RSA", "n": signing.b64url(n), "e": signing.b64url(e)}


def rs256_with_small_key() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    n = key.public_key().public_numbers().n.to_bytes(128, "big")
    return assemble(
        [
            block(
                "RS256",
                jwk=rsa_jwk(n),
                raw=lambda si: key.sign(si, padding.PKCS1v15(), hashes.SHA256()),
            )
        ]
    )


def with_jwk_change(alg: str, **changes: Any) -> Callable[[], bytes]:
    def build() -> bytes:
        jwk = dict(signing.jwk(alg))
        for member, value in changes.items():
            if value is DROP:
                jwk.pop(member)
            else:
                jwk[member] = value
        return assemble([block(alg, jwk=jwk)])

    return build


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def off_curve_jwk() -> dict[str, str]:
    jwk = dict(signing.jwk("ES256"))
    y = bytearray(b64url_decode(jwk["y"]))
    y[-1] ^= 1
    jwk["y"] = signing.b64url(bytes(y))
    return jwk


def _key_cases() -> list[Any]:
    def rs_n() -> bytes:
        return b64url_decode(signing.jwk("RS256")["n"])

    def x_long() -> str:
        return signing.b64url(b"\0" + b64url_decode(signing.jwk("ES256")["x"]))

    return [
        pytest.param(
            lambda: assemble([block("RS256", jwk=rsa_jwk(rs_n(), b"\x01"), raw=rsa_e1_forgery)]),
            r"signature 0: .*(e must be|does not verify)",
            id="RS256-exponent-1-forgery",
        ),
        pytest.param(
            lambda: assemble([block("RS256", jwk=rsa_jwk(rs_n(), b"\xff" * 512))]),
            r"signature 0: .*(e must be|does not verify)",
            id="RS256-4096-bit-exponent",
        ),
        pytest.param(rs256_with_small_key, r"1024 bits", id="RS256-1024-bit-key"),
        pytest.param(
            lambda: assemble([block("RS256", jwk=rsa_jwk(b"\xff" * 2048))]),
            r"16384 bits",
            id="RS256-16384-bit-modulus",
        ),
        pytest.param(
            lambda: assemble([block("ES256", jwk=off_curve_jwk())]),
            r"signature 0: .*(not a point|does not verify)",
            id="ES256-point-off-the-curve",
        ),
        pytest.param(
            lambda: with_jwk_change("ES256", x=x_long())(),
            r"33 bytes",
            id="ES256-coordinate-of-33-bytes",
        ),
        pytest.param(with_jwk_change("ES256", crv="P-256K"), r"P-256K", id="EC-curve-P-256K"),
        pytest.param(with_jwk_change("ES256", crv=DROP), r"crv", id="EC-without-crv"),
        pytest.param(with_jwk_change("ES256", y=DROP), r"\by\b", id="EC-without-y"),
        pytest.param(with_jwk_change("ES256", kty=DROP), r"kty", id="jwk-without-kty"),
        pytest.param(with_jwk_change("ES256", kty=1), r"kty.*(number|integer)", id="kty-1"),
        pytest.param(with_jwk_change("ES256", kty="oct", k="AAAA"), r"oct", id="kty-oct"),
        pytest.param(
            with_jwk_change("RS256", n="!!"), r"\bn\b.*not (valid )?base64url", id="RSA-n-!!"
        ),
        pytest.param(with_jwk_change("RS256", e=DROP), r"\be\b", id="RSA-without-e"),
        pytest.param(with_jwk_change("EdDSA", crv="X25519"), r"X25519", id="OKP-curve-X25519"),
        pytest.param(
            with_jwk_change("EdDSA", x=signing.b64url(bytes(31))), r"31", id="Ed25519-x-31-bytes"
        ),
        pytest.param(with_jwk_change("ES256", kty="\ud800"), r"kty", id="kty-lone-surrogate"),
        pytest.param(with_jwk_change("ES256", crv="\udfff"), r"crv", id="crv-lone-surrogate"),
        pytest.param(with_jwk_change("ES256", x="\udfff"), r"\bx\b", id="x-lone-surrogate"),
        pytest.param(with_jwk_change("RS256", n="\ud800"), r"\bn\b", id="n-lone-surrogate"),
        pytest.param(
            lambda: assemble([block("ES256", signature="\ud800")]),
            r"signature value.*not base64url",
            id="signature-value-lone-surrogate",
        ),
    ]


@pytest.mark.parametrize(("build", "pattern"), _key_cases())
def test_key_attacks(backend: str, build: Callable[[], bytes], pattern: str) -> None:
    data = build()
    expect_rejected(data, INVALID, pattern)
    assert attempt(data, validate=False).digest == PAYLOAD_DIGEST


def test_jwk_kid_is_not_trusted(backend: str) -> None:
    jwk = dict(signing.jwk("ES256"), kid="AAAA:BBBB:CCCC")
    manifest = attempt(assemble([block("ES256", jwk=jwk)]))
    assert manifest.signers == [("ES256", signing.jwk("ES256")["kid"])]


# ---------------------------------------------------------------------------------------------
# 2. formatLength, formatTail, signatures (DESIGN 6.2, 6.4)
# ---------------------------------------------------------------------------------------------


def with_header(**changes: Any) -> Callable[[], bytes]:
    return lambda: assemble([block("ES256", protected_b64=protected(**changes))])


def with_signatures_json(text: bytes) -> Callable[[], bytes]:
    return lambda: assemble(signatures_json=text)


def raw_header(text: str) -> Callable[[], bytes]:
    """A protected header written as JSON text (for literals json.dumps never writes)."""
    return lambda: assemble([block("ES256", protected_b64=signing.b64url(text.encode()))])


def second_signature(**changes: Any) -> Callable[[], bytes]:
    return lambda: assemble([block("ES256"), block("RS256", protected_b64=protected(**changes))])


def _format_cases() -> list[Any]:
    past_end = LENGTH + 10_000
    # (id, build, cls, pattern, also with validate=False?)
    return [
        pytest.param(
            with_header(formatLength=-5),
            MALFORMED,
            r"formatLength -5 is (out of range|not positive)",
            id="formatLength-negative",
        ),
        pytest.param(
            with_header(formatLength=0),
            MALFORMED,
            r"formatLength 0 is (out of range|not positive)",
            id="formatLength-zero",
        ),
        pytest.param(
            with_header(formatLength=past_end),
            MALFORMED,
            r"formatLength.*(out of range|past the end)",
            id="formatLength-past-the-end",
        ),
        pytest.param(
            with_header(formatLength=10**30),
            MALFORMED,
            r"formatLength.*(out of range|past the end)",
            id="formatLength-10**30",
        ),
        pytest.param(
            with_header(formatLength=-(10**30)),
            MALFORMED,
            # A negative value is not "past the end": the message must say what is wrong.
            r"formatLength.*(out of range|not positive)",
            id="formatLength-minus-10**30",
        ),
        pytest.param(
            with_header(formatLength=-1e300),
            MALFORMED,
            r"formatLength.*(out of range|not positive)",
            id="formatLength-minus-1e300",
        ),
        pytest.param(
            with_header(formatLength=-(2**64)),
            MALFORMED,
            r"formatLength.*(out of range|not positive)",
            id="formatLength-minus-2**64",
        ),
        pytest.param(
            with_header(formatLength=1e300),
            MALFORMED,
            r"formatLength.*(out of range|past the end)",
            id="formatLength-1e300",
        ),
        pytest.param(
            with_header(formatLength=LENGTH + 0.5),
            MALFORMED,
            r"formatLength.*(must be an integer|not an integer)",
            id="formatLength-fractional",
        ),
        pytest.param(
            with_header(formatLength=10.5),
            MALFORMED,
            r"formatLength.*(must be an integer|not an integer)",
            id="formatLength-10.5",
        ),
        pytest.param(
            with_header(formatLength=float("nan")),
            MALFORMED,
            r"formatLength.*(must be an integer|not an integer)",
            id="formatLength-NaN",
        ),
        pytest.param(
            with_header(formatLength=float("inf")),
            MALFORMED,
            r"formatLength.*(must be an integer|not an integer)",
            id="formatLength-Infinity",
        ),
        *[
            pytest.param(
                raw_header(f'{{"formatLength": {literal}, "formatTail": "Cn0"}}'),
                MALFORMED,
                r"formatLength.*(must be an integer|not an integer)",
                id=f"formatLength-literal-{literal}",
            )
            for literal in ("1e400", "-1e400", "NaN", "Infinity", "-Infinity")
        ],
        pytest.param(
            raw_header('{"formatLength": 1e6, "formatTail": "Cn0", "x": 1e999}'),
            MALFORMED,
            r"formatLength.*(out of range|past the end)",
            id="formatLength-exponent-literal-past-the-end",
        ),
        pytest.param(
            raw_header('{"formatLength": 1' + "0" * 5000 + ', "formatTail": "Cn0"}'),
            MALFORMED,
            r"protected header is not JSON.*4300 digits",
            id="formatLength-of-5001-digits",
        ),
        pytest.param(
            lambda: assemble([{**block("ES256"), "protected": "\ud800"}]),
            MALFORMED,
            r"protected header.*not base64url",
            id="protected-lone-surrogate",
        ),
        pytest.param(
            lambda: assemble([{**block("ES256"), "protected": block("ES256")["protected"] + "é"}]),
            MALFORMED,
            r"protected header.*not base64url",
            id="protected-non-ascii",
        ),
        pytest.param(
            with_header(formatLength=str(LENGTH)),
            MALFORMED,
            r"formatLength.*(must be an integer|string, not an integer)",
            id="formatLength-string",
        ),
        pytest.param(
            with_header(formatLength=None),
            MALFORMED,
            r"formatLength.*(must be an integer|null, not an integer)",
            id="formatLength-null",
        ),
        pytest.param(
            with_header(formatLength=True),
            MALFORMED,
            r"formatLength.*(must be an integer|boolean, not an integer)",
            id="formatLength-true",
        ),
        pytest.param(
            with_header(formatLength=[LENGTH]),
            MALFORMED,
            r"formatLength.*(must be an integer|array, not an integer)",
            id="formatLength-array",
        ),
        pytest.param(
            with_header(formatLength=DROP),
            MALFORMED,
            r"(formatLength is missing|no formatLength)",
            id="formatLength-missing",
        ),
        pytest.param(
            with_header(formatTail=DROP),
            MALFORMED,
            r"(formatTail is missing|no formatTail)",
            id="formatTail-missing",
        ),
        pytest.param(
            with_header(formatTail=125),
            MALFORMED,
            r"formatTail is (a )?(number|integer), not a string",
            id="formatTail-number",
        ),
        pytest.param(
            with_header(formatTail=None),
            MALFORMED,
            r"formatTail is null, not a string",
            id="formatTail-null",
        ),
        pytest.param(
            with_header(formatTail="Cn0!"),
            MALFORMED,
            r"formatTail.*not base64url",
            id="formatTail-not-base64url",
        ),
        pytest.param(
            with_header(formatTail="Cn1"),
            MALFORMED,
            r"formatTail.*not base64url",
            id="formatTail-nonzero-trailing-bits",
        ),
        pytest.param(
            with_header(formatTail="C"),
            MALFORMED,
            r"formatTail.*not base64url",
            id="formatTail-impossible-length",
        ),
        pytest.param(
            lambda: assemble([block("ES256", protected_b64="!!!")]),
            MALFORMED,
            r"protected header.*base64url",
            id="protected-not-base64url",
        ),
        pytest.param(
            lambda: assemble([block("ES256", protected_b64=signing.b64url(b"[1, 2]"))]),
            MALFORMED,
            r"protected header is (an )?array, not an object",
            id="protected-an-array",
        ),
        pytest.param(
            lambda: assemble([block("ES256", protected_b64=signing.b64url(b"{"))]),
            MALFORMED,
            r"protected header is not JSON",
            id="protected-not-json",
        ),
        pytest.param(
            lambda: assemble(
                [block("ES256", protected_b64=signing.b64url(b"[" * 100_000 + b"]" * 100_000))]
            ),
            MALFORMED,
            r"protected header is not JSON.*(nest|deep|recursion)",
            id="protected-nested-100000-deep",
        ),
        pytest.param(
            second_signature(formatLength=LENGTH - 1),
            INVALID,
            r"signature 1: formatLength/formatTail differ from signature 0",
            id="two-signatures-disagree-on-formatLength",
        ),
        pytest.param(
            second_signature(formatTail=signing.b64url(b"\n }")),
            INVALID,
            r"signature 1: formatLength/formatTail differ from signature 0",
            id="two-signatures-disagree-on-formatTail",
        ),
        pytest.param(
            second_signature(formatLength=float(LENGTH) + 0.25),
            INVALID,
            r"signature 1.*formatLength.*integer",
            id="second-signature-fractional-formatLength",
        ),
        pytest.param(
            second_signature(formatTail=DROP),
            INVALID,
            r"signature 1.*(formatTail is missing|no formatTail)",
            id="second-signature-without-formatTail",
        ),
        pytest.param(
            with_signatures_json(b"[]"),
            MALFORMED,
            r"signatures is empty",
            id="signatures-empty",
        ),
        pytest.param(
            with_signatures_json(b"null"),
            MALFORMED,
            r"signatures.*null",
            id="signatures-null",
        ),
        pytest.param(
            with_signatures_json(b"{}"),
            MALFORMED,
            r"signatures.*object",
            id="signatures-object",
        ),
        pytest.param(
            with_signatures_json(b'"x"'),
            MALFORMED,
            r"signatures.*string",
            id="signatures-string",
        ),
        pytest.param(
            with_signatures_json(b"1"),
            MALFORMED,
            r"signatures.*(number|integer)",
            id="signatures-number",
        ),
        pytest.param(
            with_signatures_json(b"[1]"),
            MALFORMED,
            r"signatures\[0\].*(number|integer)",
            id="signatures-holds-a-number",
        ),
        pytest.param(
            with_signatures_json(b'[{"header": {}, "signature": "", "protected": ""}]'),
            MALFORMED,
            r"signatures\[0\].*header.*'alg' is a required property",
            id="signature-header-without-alg",
        ),
    ]


@pytest.mark.parametrize(("build", "cls", "pattern"), _format_cases())
def test_format_and_signatures_attacks(
    backend: str, build: Callable[[], bytes], cls: type[Exception], pattern: str
) -> None:
    data = build()
    expect_rejected(data, cls, pattern)
    if cls is MALFORMED:
        # Structure and signature 0's format are checked even without validation (README).
        expect_rejected(data, cls, pattern, validate=False)


def _value_cases() -> list[Any]:
    cases = []
    for alg in ("ES256", "ES384", "ES512", "RS256", "PS512", "EdDSA"):
        cases.append(
            pytest.param(
                lambda alg=alg: assemble([block(alg, signed_payload=OTHER_PAYLOAD)]),
                r"does not verify",
                id=f"{alg}-signature-of-another-payload",
            )
        )
    cases += [
        pytest.param(
            lambda: assemble([swap_protected(block("ES256"), time="2021-01-01T00:00:00Z")]),
            r"does not verify",
            id="ES256-protected-header-swapped-after-signing",
        ),
        pytest.param(
            lambda: assemble([swap_protected(block("RS256"), extra="x")]),
            r"does not verify",
            id="RS256-protected-header-swapped-after-signing",
        ),
        pytest.param(
            lambda: assemble([block("ES256", signature="")]),
            r"signature value is empty",
            id="signature-value-empty",
        ),
        pytest.param(
            lambda: assemble([block("ES256", signature="=")]),
            r"signature value.*(empty|base64url)",
            id="signature-value-=",
        ),
        pytest.param(
            lambda: assemble([block("ES256", signature="not base64url!")]),
            r"signature value.*not base64url",
            id="signature-value-not-base64url",
        ),
        pytest.param(
            lambda: assemble([block("ES256", signature="A" * 85 + "=")]),
            r"signature value.*not base64url",
            id="signature-value-bad-padding",
        ),
        pytest.param(
            lambda: assemble([block("ES256", signature="A" * 84 + "+/")]),
            r"signature value.*not base64url",
            id="signature-value-standard-base64",
        ),
        pytest.param(
            lambda: assemble([block("ES256", signature=resized("ES256", lambda raw: raw[:-1]))]),
            r"ES256 signature (is 63 bytes, not 64|must be 64 bytes, got 63)",
            id="ES256-signature-truncated",
        ),
        pytest.param(
            lambda: assemble([block("ES256", signature=resized("ES256", lambda raw: raw + b"\0"))]),
            r"ES256 signature (is 65 bytes, not 64|must be 64 bytes, got 65)",
            id="ES256-signature-extended",
        ),
        pytest.param(
            lambda: assemble([block("ES256", signature=signing.b64url(bytes(64)))]),
            r"does not verify",
            id="ES256-signature-all-zero",
        ),
        pytest.param(
            lambda: assemble([block("RS256", signature=resized("RS256", lambda raw: raw[:-3]))]),
            r"does not verify",
            id="RS256-signature-truncated",
        ),
        pytest.param(
            lambda: assemble([block("EdDSA", signature=resized("EdDSA", lambda raw: raw[:-3]))]),
            r"(EdDSA signature must be 64 bytes|does not verify)",
            id="EdDSA-signature-truncated",
        ),
        pytest.param(
            lambda: assemble([block("ES256"), block("RS256", signed_payload=OTHER_PAYLOAD)]),
            r"signature 1.*does not verify",
            id="second-of-two-signatures-forged",
        ),
    ]
    return cases


@pytest.mark.parametrize(("build", "pattern"), _value_cases())
def test_signature_value_attacks(backend: str, build: Callable[[], bytes], pattern: str) -> None:
    data = build()
    expect_rejected(data, INVALID, pattern)
    assert attempt(data, validate=False).digest == PAYLOAD_DIGEST


# ---------------------------------------------------------------------------------------------
# 3. Content smuggled outside the signed head (DESIGN 6.3)
# ---------------------------------------------------------------------------------------------

EVIL_LAYERS = json.dumps([{"blobSum": "sha256:" + "e" * 64}, {"blobSum": BLOB_BASE}])
EVIL_HISTORY = json.dumps([{"v1Compatibility": v1("e" * 64)}, {"v1Compatibility": v1(BASE_ID)}])
OUTSIDE = r"content outside the signed payload"


EVIL_TAIL = b',\n   "tag": "evil"\n}'


def evil_tail_manifest() -> bytes:
    """Signed over ``head + formatTail`` where formatTail adds a member the document lacks."""
    header_b64 = protected(formatTail=signing.b64url(EVIL_TAIL))
    return assemble(
        [block("ES256", protected_b64=header_b64, signed_payload=PAYLOAD[:LENGTH] + EVIL_TAIL)]
    )


def _smuggle_cases() -> list[Any]:
    def before(text: str) -> Callable[[], bytes]:
        return lambda: assemble([block("ES256")], before=text.encode())

    def after(text: str) -> Callable[[], bytes]:
        return lambda: assemble([block("ES256")], after=text.encode())

    def reindented(**options: Any) -> Callable[[], bytes]:
        return lambda: json.dumps(json.loads(SIGNED_ES256), **options).encode()

    same_signatures = json.dumps([block("ES256")], indent=3).replace("\n", "\n   ")
    return [
        pytest.param(before(f',\n   "fsLayers": {EVIL_LAYERS}'), PAYLOAD, id="second-fsLayers"),
        pytest.param(before(',\n   "tag": "evil"'), PAYLOAD, id="second-tag"),
        pytest.param(before(',\n   "name": "evil/repo"'), PAYLOAD, id="second-name"),
        pytest.param(before(f',\n   "history": {EVIL_HISTORY}'), PAYLOAD, id="second-history"),
        pytest.param(before(',\n   "extra": 1'), PAYLOAD, id="new-member-before-signatures"),
        pytest.param(before(',"fsLayers":[],"history":[]'), PAYLOAD, id="no-layers-compact"),
        pytest.param(
            before(',\n   "signatures": []'), PAYLOAD, id="empty-signatures-before-signatures"
        ),
        pytest.param(after(',\n   "tag": "evil"'), PAYLOAD, id="tag-after-signatures"),
        pytest.param(
            after(f',\n   "fsLayers": {EVIL_LAYERS}'), PAYLOAD, id="fsLayers-after-signatures"
        ),
        pytest.param(
            after(f',\n   "signatures": {same_signatures}'), PAYLOAD, id="signatures-twice"
        ),
        pytest.param(
            evil_tail_manifest, PAYLOAD[:LENGTH] + EVIL_TAIL, id="formatTail-appends-a-member"
        ),
        pytest.param(reindented(indent=3), None, id="reserialized-ascii-indent-3"),
        pytest.param(reindented(indent=2, ensure_ascii=False), None, id="reindented-2"),
        pytest.param(reindented(indent="\t", ensure_ascii=False), None, id="reindented-tab"),
        pytest.param(reindented(indent=None, ensure_ascii=False), None, id="compacted"),
    ]


@pytest.mark.parametrize(("build", "signed_payload"), _smuggle_cases())
def test_smuggled_content_is_rejected(
    backend: str, build: Callable[[], bytes], signed_payload: bytes | None
) -> None:
    data = build()
    expect_rejected(data, INVALID, OUTSIDE)
    if signed_payload is not None:
        # Unvalidated, the digest is still that of what was signed.
        manifest = attempt(data, validate=False)
        assert manifest.digest == "sha256:" + hashlib.sha256(signed_payload).hexdigest()


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: assemble([block("ES256")], before=b" \n\t\r"), id="before"),
        pytest.param(lambda: assemble([block("ES256")], after=b" \n\t\r"), id="after"),
    ],
)
def test_whitespace_around_the_signatures_member_is_harmless(
    backend: str, build: Callable[[], bytes]
) -> None:
    manifest = attempt(build())
    assert manifest.digest == PAYLOAD_DIGEST
    assert guarded("layers", lambda: manifest.blob_digests) == [BLOB_BASE, BLOB_LEAF]


def test_moby_extra_data_manifest(backend: str) -> None:
    data = shared_path("vectors", "public", "moby-extra_data_manifest.json").read_bytes()
    expect_rejected(data, INVALID, OUTSIDE)
    manifest = attempt(data, validate=False)
    assert manifest.digest == (
        "sha256:02fee8c3220ba806531f606525eceb83f4feb654f62b207191b1c9209188dedd"
    )


def header_bytes(header: bytes) -> Callable[[], bytes]:
    return lambda: assemble([block("ES256", protected_b64=signing.b64url(header))])


HEADER_TEXT = json.dumps({"formatLength": LENGTH, "formatTail": signing.b64url(TAIL)})


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"]
)
def test_protected_header_in_another_encoding_is_read_as_python_json_reads_it(
    backend: str, encoding: str
) -> None:
    # Quay reads the protected header with json.loads(bytes), which detects UTF-16/32 and skips
    # a UTF-8 BOM; DESIGN 4.1 keeps every such input Quay accepts, and section 6 does not list it.
    data = header_bytes(HEADER_TEXT.encode(encoding))()
    for validate in (True, False):
        manifest = attempt(data, validate)
        assert manifest.digest == PAYLOAD_DIGEST
    assert attempt(data).signers == [("ES256", signing.jwk("ES256")["kid"])]


@pytest.mark.parametrize(
    "raw", [b"\xff", b"\x80", b"\xc0\xaf", b"\xed\xa0"], ids=["ff", "80", "overlong", "truncated"]
)
def test_protected_header_with_invalid_utf8_is_rejected(backend: str, raw: bytes) -> None:
    # json.loads(bytes) fails on it (Quay leaks UnicodeDecodeError); DESIGN 6.6 wants our class.
    header = HEADER_TEXT.encode()[:-1] + b', "x": "' + raw + b'"}'
    data = header_bytes(header)()
    for validate in (True, False):
        expect_rejected(data, MALFORMED, r"protected header.*codec can't decode", validate)


def test_every_format_length_inside_the_head(backend: str) -> None:
    """An honest signature over ``bytes[:n] + formatTail`` for every n: only libtrust's own cut
    verifies; any other leaves a member (or part of one) outside the signed head."""
    wrong = []
    key = signing.key_for("ES256")
    for length in range(1, LENGTH + 1):
        header_b64 = protected(formatLength=length)
        signing_input = f"{header_b64}.{signing.b64url(PAYLOAD[:length] + TAIL)}".encode()
        r, s = utils.decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        value = signing.b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
        data = assemble([block("ES256", protected_b64=header_b64, signature=value)])
        unvalidated = attempt(data, validate=False)
        expected = "sha256:" + hashlib.sha256(PAYLOAD[:length] + TAIL).hexdigest()
        if unvalidated.digest != expected:
            wrong.append((length, "digest", unvalidated.digest))
        try:
            manifest = attempt(data)
        except INVALID as exc:
            if length == LENGTH or not re.search(OUTSIDE, str(exc)):
                wrong.append((length, str(exc)))
        except MALFORMED as exc:
            wrong.append((length, f"Malformed: {exc}"))
        else:
            if length != LENGTH:
                wrong.append((length, f"accepted {manifest.digest}"))
    assert not wrong, f"{len(wrong)} wrong outcomes, first: {wrong[:5]}"


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        pytest.param({"tag": None}, r"tag", id="tag-null"),
        pytest.param({"tag": 1}, r"tag", id="tag-number"),
        pytest.param({"name": ["a"]}, r"name", id="name-array"),
        pytest.param({"tag": DROP}, r"'tag' is a required property", id="no-tag"),
        pytest.param({"name": DROP}, r"'name' is a required property", id="no-name"),
        pytest.param({"fsLayers": DROP}, r"'fsLayers' is a required property", id="no-fsLayers"),
        pytest.param({"history": DROP}, r"'history' is a required property", id="no-history"),
        pytest.param({"fsLayers": {}}, r"fsLayers", id="fsLayers-object"),
        pytest.param({"history": "h"}, r"history", id="history-string"),
        pytest.param({"fsLayers": [1, 2]}, r"fsLayers\[0\]", id="fsLayers-of-numbers"),
        pytest.param({"fsLayers": [{}, {}]}, r"blobSum", id="fsLayers-without-blobSum"),
        pytest.param(
            {"fsLayers": [{"blobSum": 1}, {"blobSum": BLOB_BASE}]}, r"blobSum", id="blobSum-1"
        ),
        pytest.param({"history": [{}, {}]}, r"v1Compatibility", id="history-without-v1"),
        pytest.param(
            {"history": [{"v1Compatibility": {"id": "x"}}] * 2},
            r"v1Compatibility",
            id="v1Compatibility-object",
        ),
    ],
)
def test_schema_violations(backend: str, change: dict[str, Any], pattern: str) -> None:
    doc = document()
    for key, value in change.items():
        if value is DROP:
            del doc[key]
        else:
            doc[key] = value
    data = payload_of(doc)
    for candidate in (data, signed("ES256", data)):
        for validate in (True, False):
            expect_rejected(candidate, MALFORMED, rf"does not match schema.*{pattern}", validate)


def test_signatures_key_spelled_with_an_escape_is_outside(backend: str) -> None:
    data = splice(assemble([block("ES256")]), b'"signatures":', b'"signatur\\u0065s":')
    expect_rejected(data, INVALID, OUTSIDE)


def test_duplicate_keys_inside_the_signed_head_are_signed(backend: str) -> None:
    # The signer signed both; the reader and the digest see the same bytes (last wins).
    payload = splice(PAYLOAD, b'"tag": "latest"', b'"tag": "first", "tag": "second"')
    manifest = attempt(signed("RS256", payload))
    assert manifest.tag == "second"
    assert manifest.digest == "sha256:" + hashlib.sha256(payload).hexdigest()


def test_signed_document_with_utf8_bom(backend: str) -> None:
    payload = b"\xef\xbb\xbf" + PAYLOAD
    manifest = attempt(signed("ES256", payload))
    assert manifest.digest == "sha256:" + hashlib.sha256(payload).hexdigest()
    assert manifest.signers == [("ES256", signing.jwk("ES256")["kid"])]


# ---------------------------------------------------------------------------------------------
# 4. Structure and lazy layer errors (DESIGN 4.2, 6.4)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("signed_doc", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize(
    ("fs_layers", "history"), [(2, 1), (1, 2), (0, 1), (1, 0)], ids=lambda n: str(n)
)
def test_fslayers_history_length_mismatch(
    backend: str, signed_doc: bool, fs_layers: int, history: int
) -> None:
    doc = document()
    doc["fsLayers"] = (doc["fsLayers"] * 2)[:fs_layers]
    doc["history"] = (doc["history"] * 2)[:history]
    data = payload_of(doc)
    if signed_doc:
        data = signed("ES256", data)
    pattern = rf"fsLayers has {fs_layers} entries but history has {history}"
    for validate in (True, False):
        expect_rejected(data, MALFORMED, pattern, validate)


def layered(blob_sum: str = BLOB_BASE, v1_compat: str | None = None) -> bytes:
    doc = document()
    doc["fsLayers"][1]["blobSum"] = blob_sum
    if v1_compat is not None:
        doc["history"][1]["v1Compatibility"] = v1_compat
    return signed("ES256", payload_of(doc))


DEEP_V1 = '{"id": "x", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}"


@pytest.mark.parametrize(
    ("blob_sum", "v1_compat", "pattern"),
    [
        pytest.param("sha256" + "a" * 64, None, r"could not parse manifest digest", id="no-colon"),
        pytest.param(BLOB_BASE + "\n", None, r"could not parse manifest digest", id="newline"),
        pytest.param("sha256:xyz", None, r"could not parse manifest digest", id="non-hex"),
        pytest.param("sha256:ab\u00e9", None, r"could not parse manifest digest", id="unicode"),
        pytest.param("sha256:\u0661\u0662", None, r"could not parse manifest digest", id="digits"),
        pytest.param("sha256:\uff41\uff42", None, r"could not parse manifest digest", id="wide"),
        pytest.param("", None, r"could not parse manifest digest", id="empty"),
        pytest.param("sha256:", None, r"could not parse manifest digest", id="empty-hex"),
        pytest.param(":" + "a" * 64, None, r"could not parse manifest digest", id="empty-alg"),
        pytest.param(" " + BLOB_BASE, None, r"could not parse manifest digest", id="leading-ws"),
        pytest.param(BLOB_BASE, "not json", r"Could not parse metadata string", id="v1-not-json"),
        pytest.param(BLOB_BASE, "{", r"Could not parse metadata string", id="v1-truncated"),
        pytest.param(BLOB_BASE, "[1]", r"(not a JSON object|array)", id="v1-array"),
        pytest.param(BLOB_BASE, "1", r"(not a JSON object|number)", id="v1-number"),
        pytest.param(BLOB_BASE, '"x"', r"(not a JSON object|string)", id="v1-string"),
        pytest.param(BLOB_BASE, "true", r"(not a JSON object|boolean)", id="v1-true"),
        pytest.param(BLOB_BASE, "{}", r"id field missing", id="v1-without-id"),
        pytest.param(BLOB_BASE, "null", r"id field missing", id="v1-null"),
        pytest.param(BLOB_BASE, '{"ID": "x"}', r'key "ID" differs from "id"', id="v1-ID-upper"),
        pytest.param(
            BLOB_BASE,
            '{"id": "x", "container_config": [1]}',
            r"container_config",
            id="v1-container_config-array",
        ),
        pytest.param(BLOB_BASE, '{"id": "x", "config": "c"}', r"config", id="v1-config-string"),
        pytest.param(BLOB_BASE, DEEP_V1, r"Could not parse metadata string", id="v1-deep"),
        pytest.param(
            BLOB_BASE,
            '{"id": "x", "big": 1' + "0" * 5000 + "}",
            r"Could not parse metadata string.*digits",
            id="v1-huge-int",
        ),
        pytest.param(
            BLOB_BASE,
            '{"id": "x"} x',
            r"Could not parse metadata string.*Extra data",
            id="v1-extra",
        ),
    ],
)
def test_lazy_layer_errors(
    backend: str, blob_sum: str, v1_compat: str | None, pattern: str
) -> None:
    data = layered(blob_sum, v1_compat)
    manifest = attempt(data)  # construction succeeds: layer errors are lazy, as in Quay
    assert manifest.digest
    assert manifest.signers
    expect_error(lambda: manifest.layers, MALFORMED, rf"layer 1\b.*{pattern}", "layers")
    # Every other reader of the layers fails the same way.
    for member in ("blob_digests", "image_ids", "leaf_layer", "checksums"):
        expect_error(lambda member=member: getattr(manifest, member), MALFORMED, pattern, member)
    expect_error(lambda: list(manifest.get_layers(None)), MALFORMED, pattern, "get_layers")


# DESIGN 6.7 and 6.8 inside v1Compatibility: ids and parents are strings (or null), and no key
# the layer model reads comes in another spelling that Go's case-insensitive readers would take.

GO_READERS = " only in case (Go's readers would take one for the other)"


@pytest.mark.parametrize(
    ("v1_compat", "message"),
    [
        pytest.param('{"id": 1}', 'v1Compatibility "id" is integer, not a string', id="id-int"),
        pytest.param('{"id": 1e3}', 'v1Compatibility "id" is number, not a string', id="id-float"),
        pytest.param(
            '{"id": 1' + "0" * 40 + "}",
            'v1Compatibility "id" is integer, not a string',
            id="id-bigint",
        ),
        pytest.param('{"id": true}', 'v1Compatibility "id" is boolean, not a string', id="id-bool"),
        pytest.param('{"id": ["x"]}', 'v1Compatibility "id" is array, not a string', id="id-list"),
        pytest.param('{"id": {}}', 'v1Compatibility "id" is object, not a string', id="id-dict"),
        pytest.param(
            '{"id": "x", "parent": 7}',
            'v1Compatibility "parent" is integer, not a string',
            id="parent-int",
        ),
        pytest.param(
            '{"id": "x", "parent": [1]}',
            'v1Compatibility "parent" is array, not a string',
            id="parent-list",
        ),
        pytest.param(
            '{"id": "x", "parent": false}',
            'v1Compatibility "parent" is boolean, not a string',
            id="parent-false",
        ),
        pytest.param(
            '{"id": "x", "ID": "y"}', 'v1Compatibility key "ID" differs from "id"' + GO_READERS
        ),
        pytest.param('{"Id": "y"}', 'v1Compatibility key "Id" differs from "id"' + GO_READERS),
        pytest.param(
            '{"id": "x", "Parent": "p"}',
            'v1Compatibility key "Parent" differs from "parent"' + GO_READERS,
        ),
        pytest.param(
            '{"id": "x", "CREATED": "t"}',
            'v1Compatibility key "CREATED" differs from "created"' + GO_READERS,
        ),
        pytest.param(
            '{"id": "x", "Comment": "c"}',
            'v1Compatibility key "Comment" differs from "comment"' + GO_READERS,
        ),
        pytest.param(
            '{"id": "x", "Author": "a"}',
            'v1Compatibility key "Author" differs from "author"' + GO_READERS,
        ),
        pytest.param(
            '{"id": "x", "size": 1}',
            'v1Compatibility key "size" differs from "Size"' + GO_READERS,
        ),
        pytest.param(
            '{"id": "x", "Size": 1, "\\u017fize": 2}',
            'v1Compatibility key "\u017fize" differs from "Size"' + GO_READERS,
            id="long-s",
        ),
        pytest.param(
            '{"id": "x", "Config": {}}',
            'v1Compatibility key "Config" differs from "config"' + GO_READERS,
        ),
        pytest.param(
            '{"id": "x", "Container_Config": {}}',
            'v1Compatibility key "Container_Config" differs from "container_config"' + GO_READERS,
        ),
        pytest.param(
            '{"id": "x", "container_config": {"Cmd": ["a"], "cmd": ["b"]}}',
            'container_config key "cmd" differs from "Cmd"' + GO_READERS,
        ),
        pytest.param(
            '{"id": "x", "config": {"LABELS": {"a": "b"}}}',
            'config key "LABELS" differs from "Labels"' + GO_READERS,
        ),
    ],
)
def test_v1_ids_and_key_spellings(backend: str, v1_compat: str, message: str) -> None:
    data = layered(BLOB_BASE, v1_compat)
    manifest = attempt(data)  # construction succeeds: layer errors are lazy
    assert manifest.digest
    pattern = rf"^layer 1\b.*: {re.escape(message)}$"
    expect_error(lambda: manifest.layers, MALFORMED, pattern, "layers")
    expect_error(lambda: list(manifest.get_layers(None)), MALFORMED, pattern, "get_layers")
    expect_error(
        lambda: list(manifest.rewrite_invalid_image_ids({})), MALFORMED, pattern, "rewrite"
    )
    expect_error(
        manifest.get_blob_digests_for_translation,
        MALFORMED,
        pattern,
        "blob digests for translation",
    )


def test_v1_null_ids_and_unread_keys_in_any_case_are_accepted(backend: str) -> None:
    v1_compat = json.dumps(
        {
            "id": None,
            "parent": None,
            "\u0131d": "dotless i: no simple fold to i",
            "OS": "linux",
            "os": "linux",
            "container_config": {"Image": "a", "image": "b", "Env": [], "env": []},
            "config": {"Env": [], "ENV": []},
        }
    )
    manifest = attempt(layered(BLOB_BASE, v1_compat))
    base = guarded("layers", lambda: manifest.layers)[0]
    assert base.v1_metadata.image_id is None and base.v1_metadata.parent_image_id is None


# ---------------------------------------------------------------------------------------------
# 5. Deep nesting (DESIGN 6.6; README: 512 levels)
# ---------------------------------------------------------------------------------------------

DEPTH = r"(nest|deep|depth|recursion)"
N = 100_000


def unsigned_with(value: bytes, **changes: Any) -> bytes:
    """An unsigned manifest with the raw JSON ``value`` as member ``x``."""
    text = json.dumps(document(x="@@VALUE@@", **changes), indent=3).encode()
    return splice(text, b'"@@VALUE@@"', value)


def nested(levels: int, kind: str = "list") -> bytes:
    if kind == "list":
        return b"[" * levels + b"]" * levels
    return b'{"a":' * levels + b"1" + b"}" * levels


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(nested(N), id="100000-lists"),
        pytest.param(nested(N, "object"), id="100000-objects"),
        pytest.param(b"[" * N, id="100000-open-lists"),
        pytest.param(b'{"a":' * N, id="100000-open-objects"),
        pytest.param(b'{"a":[' * N, id="100000-mixed-open"),
        pytest.param(unsigned_with(nested(N)), id="100000-lists-in-manifest"),
        pytest.param(unsigned_with(nested(N, "object")), id="100000-objects-in-manifest"),
        pytest.param(unsigned_with(nested(513)), id="512-lists-under-the-top-object"),
    ],
)
def test_deep_nesting_is_rejected_quickly(backend: str, data: bytes) -> None:
    for validate in (True, False):
        start = time.perf_counter()
        expect_error(
            lambda validate=validate: DockerSchema1Manifest(data, validate=validate),
            MALFORMED,
            r".",
            "deep",
        )
        assert time.perf_counter() - start < 5


@pytest.mark.parametrize("data", [nested(N), nested(N, "object")], ids=["lists", "objects"])
def test_deep_nesting_message(backend: str, data: bytes) -> None:
    # Closed, the only problem is the depth, so the message must say so.
    expect_rejected(unsigned_with(data), MALFORMED, DEPTH)


@pytest.mark.parametrize("kind", ["list", "object"])
def test_depth_512_accepted_513_rejected(backend: str, kind: str) -> None:
    # The top-level object is level 1: 511 more under it make 512.
    manifest = attempt(unsigned_with(nested(511, kind)))
    value = guarded("manifest_json", lambda: manifest.manifest_json["x"])
    levels = 0
    while isinstance(value, (list, dict)):
        levels += 1
        value = (value or [None])[0] if kind == "list" else value["a"]
    assert (levels, value) == (511, None if kind == "list" else 1)
    expect_rejected(unsigned_with(nested(512, kind)), MALFORMED, DEPTH)
    # A bare document: 512 levels in all.
    attempt_bare = nested(512, kind)
    expect_rejected(attempt_bare, MALFORMED, r"(does not match schema|is not an object|array)")
    expect_rejected(nested(513, kind), MALFORMED, DEPTH)


@pytest.mark.parametrize("kind", ["list", "object"])
def test_depth_limit_in_v1_compatibility(backend: str, kind: str) -> None:
    def with_depth(levels: int) -> DockerSchema1Manifest:
        v1_text = '{"id": "x", "deep": ' + nested(levels, kind).decode() + "}"
        return attempt(layered(BLOB_BASE, v1_text))

    assert guarded("layers", lambda: with_depth(511).layers)[0].v1_metadata.image_id == "x"
    manifest = with_depth(512)
    expect_error(lambda: manifest.layers, MALFORMED, DEPTH, "layers")
    manifest = with_depth(N)
    start = time.perf_counter()
    expect_error(lambda: manifest.layers, MALFORMED, DEPTH, "layers")
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------------------------------------
# 6. Numbers (DESIGN 6.6)
# ---------------------------------------------------------------------------------------------


def test_huge_integer_is_rejected(backend: str) -> None:
    data = unsigned_with(b"1" * (100 * MB))
    start = time.perf_counter()
    expect_rejected(data, MALFORMED, r"Exceeds the limit \(4300 digits\)")
    assert time.perf_counter() - start < 10
    # 4300 digits are fine, 4301 are not (Python's default limit).
    manifest = attempt(unsigned_with(b"9" * 4300))
    assert guarded("manifest_json", lambda: manifest.manifest_json["x"]) == int("9" * 4300)
    expect_rejected(unsigned_with(b"9" * 4301), MALFORMED, r"Exceeds the limit \(4300 digits\)")
    expect_rejected(unsigned_with(b"-" + b"9" * 4301), MALFORMED, r"4300 digits")


def test_huge_float_fraction_is_accepted(backend: str) -> None:
    data = unsigned_with(b"0." + b"1" * (100 * MB))
    start = time.perf_counter()
    manifest = attempt(data)
    assert manifest.digest == "sha256:" + hashlib.sha256(data).hexdigest()
    value = guarded("manifest_json", lambda: manifest.manifest_json["x"])
    assert value == 0.1111111111111111 == float("0." + "1" * 100)
    assert time.perf_counter() - start < 20


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (b"1e999999999", float("inf")),
        (b"-1e999999999", float("-inf")),
        (b"1E+999999999999999999999999", float("inf")),
        (b"1e-999999999", 0.0),
        (b"-1e-999999999", -0.0),
        (b"1" * 400 + b".5e-999999999", 0.0),
        (b"0." + b"0" * 100_000 + b"1e100000", 0.1),
    ],
    ids=["1e999999999", "-1e999999999", "1E+huge", "1e-999999999", "-0", "long-tiny", "shifted"],
)
def test_huge_exponents(backend: str, text: bytes, value: float) -> None:
    start = time.perf_counter()
    manifest = attempt(unsigned_with(text))
    got = guarded("manifest_json", lambda: manifest.manifest_json["x"])
    assert got == value and str(got) == str(value)
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------------------------------------
# 7. Text encodings (DESIGN 4.1, 6.6)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"\x80", id="bare-continuation"),
        pytest.param(b"\xbf\xbf", id="two-continuations"),
        pytest.param(b"\xc0\xaf", id="overlong-2"),
        pytest.param(b"\xe0\x80\xaf", id="overlong-3"),
        pytest.param(b"\xf0\x80\x80\xaf", id="overlong-4"),
        pytest.param(b"\xf4\x90\x80\x80", id="above-U+10FFFF"),
        pytest.param(b"\xf8\x88\x80\x80\x80", id="5-byte-form"),
        pytest.param(b"\xff", id="byte-ff"),
        pytest.param(b"\xe2\x82", id="truncated-3-byte"),
        pytest.param(b"\xf0\x9f\x98", id="truncated-4-byte"),
    ],
)
@pytest.mark.parametrize("where", ["tag", "v1"])
def test_invalid_utf8_is_malformed(backend: str, raw: bytes, where: str) -> None:
    if where == "tag":
        data = splice(payload_of(), b'"tag": "latest"', b'"tag": "lat' + raw + b'est"')
    else:
        data = splice(
            payload_of(),
            f'\\"id\\": \\"{BASE_ID}'.encode(),
            b'\\"id\\": \\"' + raw + BASE_ID.encode(),
        )
    pattern = r"'utf-8' codec can't decode"
    for validate in (True, False):
        expect_rejected(data, MALFORMED, pattern, validate)
    expect_rejected(signed("ES256", data), MALFORMED, pattern)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (b"\\ud800", "\ud800"),
        (b"\\udfff", "\udfff"),
        (b"a\\udc00b", "a\udc00b"),
        (b"\\udbff\\udbff", "\udbff\udbff"),
        (b"\\ud83d\\ude31", "\U0001f631"),  # a pair joins
        (b"\xed\xa0\x80", "\ud800"),  # raw UTF-8-encoded surrogate, as json's surrogatepass
        (b"\xed\xbf\xbfx", "\udfffx"),
    ],
    ids=["ud800", "udfff", "a-udc00-b", "two-high", "pair", "raw-ed-a0-80", "raw-ed-bf-bf"],
)
def test_surrogates_are_accepted(backend: str, text: bytes, value: str) -> None:
    data = splice(payload_of(), b'"tag": "latest"', b'"tag": "' + text + b'"')
    for candidate in (data, signed("RS256", data)):
        manifest = attempt(candidate)
        assert manifest.tag == value
        assert guarded("layers", lambda manifest=manifest: manifest.blob_digests) == [
            BLOB_BASE,
            BLOB_LEAF,
        ]
    # In a layer's metadata too (escaped once more inside the v1Compatibility string).
    escaped = text.replace(b"\\", b"\\\\")
    data = splice(
        payload_of(),
        f'\\"id\\": \\"{BASE_ID}'.encode(),
        b'\\"id\\": \\"' + escaped + BASE_ID.encode(),
    )
    manifest = attempt(data)
    assert guarded("image_ids", lambda: manifest.image_ids) == {value + BASE_ID, LEAF_ID}


@pytest.mark.parametrize(
    "encoding",
    ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"],
)
def test_other_encodings_unsigned_are_accepted(backend: str, encoding: str) -> None:
    text = payload_of().decode()
    data = text.encode(encoding)
    reference = attempt(payload_of())
    manifest = attempt(data)
    assert manifest.digest == "sha256:" + hashlib.sha256(data).hexdigest()
    assert (manifest.namespace, manifest.repo_name, manifest.tag) == ("hostile", "input", "latest")
    assert guarded("layers", lambda: manifest.layers) == reference.layers
    assert manifest.image_ids == {BASE_ID, LEAF_ID}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32-be"])
def test_signed_utf16_document_is_rejected(backend: str, encoding: str) -> None:
    data = signed("ES256").decode().encode(encoding)
    expect_rejected(data, INVALID, r"signed manifests must be UTF-8")


# ---------------------------------------------------------------------------------------------
# 8. Truncation and trailing garbage (DESIGN 6.6)
# ---------------------------------------------------------------------------------------------


def test_every_truncation_of_a_signed_manifest(backend: str) -> None:
    assert not SIGNED_ES256.endswith(b"\n"), "every proper prefix must be invalid"
    wrong = []
    for size in range(len(SIGNED_ES256)):
        prefix = SIGNED_ES256[:size]
        for validate in (True, False):
            try:
                DockerSchema1Manifest(prefix, validate=validate)
            except ERRORS:
                continue
            except Exception as exc:
                wrong.append((size, validate, f"{type(exc).__name__}: {exc}"[:200]))
            else:
                wrong.append((size, validate, "accepted"))
    assert not wrong, f"{len(wrong)} bad prefixes, first: {wrong[:5]}"


@pytest.mark.parametrize(
    "garbage",
    [b"x", b"}", b"\x00", b" {}", b"\n,", b"[]", b"\xff", b"\n\n}\n", b'"', b"null"],
    ids=lambda g: repr(g),
)
def test_trailing_garbage_is_rejected(backend: str, garbage: bytes) -> None:
    pattern = r"(Extra data|codec can't decode)"
    for validate in (True, False):
        expect_rejected(SIGNED_ES256 + garbage, MALFORMED, pattern, validate)
    expect_rejected(PAYLOAD + garbage, MALFORMED, pattern)


def test_trailing_whitespace_is_fine(backend: str) -> None:
    manifest = attempt(SIGNED_ES256 + b" \n\t\r")
    assert manifest.digest == SIGNED_ES256_DIGEST


@pytest.mark.parametrize(
    "data",
    [b"", b" ", b"{}", b"[]", b"null", b"1", b'"x"', b"\xef\xbb\xbf", b"\x00" * 8, b"\xff\xfe"],
    ids=lambda d: repr(d),
)
def test_not_a_manifest(backend: str, data: bytes) -> None:
    for validate in (True, False):
        expect_rejected(data, MALFORMED, r".", validate)
