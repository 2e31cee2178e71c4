"""The write path of the pure-Python backend: ``build_manifest``, ``metadata_removed`` and
``digest_history``, checked against Quay's golden records, by rule, and by signing round trips.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from hypothesis import given
from hypothesis import strategies as st

from docker_schema1 import _pure
from docker_schema1._backend import MAX_DEPTH
from docker_schema1.errors import MalformedSchema1Manifest

from .signing import b64u, b64u_decode, b64u_int, libtrust_key_id, sha256

B = _pure.BACKEND
SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLDEN = SHARED / "vectors" / "quay-golden"
TEST_RSA_KEY_ID = "GZPQ:GQ2L:JHD2:YKIB:QHAS:CL2K:UJVH:TALW:HNA7:FYJC:TTQW:RRYH"
SIGNING_TIME = "2019-02-20T12:00:00Z"
BLOB = "sha256:" + "ab" * 32

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


CURVES = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
CURVE_ALG = {"P-256": ("ES256", 32), "P-384": ("ES384", 48), "P-521": ("ES512", 66)}


def private_jwk(key: Any, **changes: Any) -> dict[str, Any]:
    """A private JWK of an RSA or EC key; ``changes`` set (or, with None, drop) members."""
    jwk: dict[str, Any]
    if isinstance(key, rsa.RSAPrivateKey):
        pn = key.private_numbers()
        jwk = {
            "kty": "RSA",
            "n": b64u_int(pn.public_numbers.n),
            "e": b64u_int(pn.public_numbers.e),
            "d": b64u_int(pn.d),
            "p": b64u_int(pn.p),
            "q": b64u_int(pn.q),
            "dp": b64u_int(pn.dmp1),
            "dq": b64u_int(pn.dmq1),
            "qi": b64u_int(pn.iqmp),
        }
    else:
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        size = (key.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}.get(
            key.curve.name, key.curve.name
        )
        en = key.private_numbers()
        jwk = {
            "kty": "EC",
            "crv": crv,
            "x": b64u_int(en.public_numbers.x, size),
            "y": b64u_int(en.public_numbers.y, size),
            "d": b64u_int(en.private_value, size),
        }
    for member, value in changes.items():
        if value is None:
            jwk.pop(member, None)
        else:
            jwk[member] = value
    return jwk


def jwk_bytes(jwk: dict[str, Any]) -> bytes:
    return json.dumps(jwk).encode()


def pem(key: Any, fmt: serialization.PrivateFormat = serialization.PrivateFormat.PKCS8) -> bytes:
    return bytes(key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()))


def der(key: Any) -> bytes:
    return bytes(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def public_pem(key: Any, fmt: serialization.PublicFormat) -> bytes:
    return bytes(key.public_key().public_bytes(serialization.Encoding.PEM, fmt))


def make_document(
    history: list[str], blob_sums: list[str] | None = None, tag: str = "latest"
) -> dict[str, Any]:
    """The builder payload, leaf first, in Quay's member order."""
    if blob_sums is None:
        blob_sums = [f"sha256:{i:064x}" for i in range(len(history))]
    return {
        "tag": tag,
        "name": "ns/repo",
        "architecture": "amd64",
        "schemaVersion": 1,
        "history": [{"v1Compatibility": v1} for v1 in history],
        "fsLayers": [{"blobSum": blob_sum} for blob_sum in blob_sums],
    }


def chain(layers: int) -> list[str]:
    """v1Compatibility entries, leaf first, with chained ids and some metadata to strip."""
    out = []
    for i in range(layers):
        md: dict[str, Any] = {"id": f"id{i}", "created": "2018-08-13T19:19:53Z"}
        if i + 1 < layers:
            md["parent"] = f"id{i + 1}"
        md["container_config"] = {"Cmd": ["/bin/sh", "-c", f"echo {i}"], "Hostname": "h"}
        md["config"] = {"Labels": {"a": "b"}}
        out.append(json.dumps(md))
    return out


# ---------------------------------------------------------------------------------------------
# Quay's golden records
# ---------------------------------------------------------------------------------------------


def golden_records(kind: str) -> list[dict[str, Any]]:
    path = GOLDEN / "vectors.jsonl"
    if not path.is_file():
        return []
    with path.open() as f:
        return [r for r in map(json.loads, f) if r["kind"] == kind]


def golden_param(kind: str) -> list[Any]:
    """pytest params over the records of ``kind``; one skipping param when ../shared is absent."""
    found = golden_records(kind)
    if not found:
        return [pytest.param(None, id="shared-absent")]
    return [pytest.param(r, id=r["id"]) for r in found]


def need(record: dict[str, Any] | None) -> dict[str, Any]:
    if record is None:
        pytest.skip(f"{GOLDEN} not present (../shared is only beside the project's checkout)")
    return record


def golden_key() -> bytes:
    path = GOLDEN / "test_rsa_key.jwk.json"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path.read_bytes()


def builder_document(inp: dict[str, Any], history: list[str] | None = None) -> dict[str, Any]:
    """The payload Quay's builder writes for a record's input (README section 2, Builder)."""
    blob_sums: list[str] = []
    v1s: list[str] = []
    for op, digest, v1json in inp["ops"]:
        v1 = v1json or "{}"  # None and "" are stored as "{}"
        if op == "add_layer":
            blob_sums.append(digest)
            v1s.append(v1)
        else:
            assert op == "insert_layer", op
            blob_sums.insert(0, digest)
            v1s.insert(0, v1)
    namespace = inp["namespace"]
    name = inp["repo_name"] if namespace == "" else f"{namespace}/{inp['repo_name']}"
    return {
        "tag": inp["clone_tag"] or inp["tag"],
        "name": name,
        "architecture": "amd64" if inp["architecture_default"] else inp["architecture"],
        "schemaVersion": 1,
        "history": [{"v1Compatibility": v1} for v1 in (v1s if history is None else history)],
        "fsLayers": [{"blobSum": blob_sum} for blob_sum in blob_sums],
    }


@pytest.mark.parametrize("record", golden_param("builder"))
def test_golden_builder(record: dict[str, Any] | None) -> None:
    record = need(record)
    inp = record["input"]
    key = golden_key() if inp["signed"] else None
    if inp["signed"]:
        assert inp["signing_time"] == SIGNING_TIME
    document = builder_document(inp)

    out = B.build_manifest(document, inp["ensure_ascii"], key, SIGNING_TIME)
    assert out == base64.b64decode(record["output"]["bytes_b64"])

    parsed = B.parse_manifest(out, True)
    assert parsed["digest"] == record["output"]["digest"]
    assert parsed["signers"] == ([("RS256", TEST_RSA_KEY_ID)] if inp["signed"] else [])
    # The signed digest equals the unsigned one.
    unsigned = B.build_manifest(document, inp["ensure_ascii"], None, SIGNING_TIME)
    assert sha256(unsigned) == record["output"]["digest"]


@pytest.mark.parametrize("record", golden_param("builder"))
def test_golden_builder_with_metadata_removed(record: dict[str, Any] | None) -> None:
    record = need(record)
    inp = record["input"]
    history = [entry["v1Compatibility"] for entry in builder_document(inp)["history"]]
    expected = record["builder_with_metadata_removed"]
    if "$error" in expected:
        assert expected["$error"] == "MalformedSchema1Manifest"
        with pytest.raises(MalformedSchema1Manifest, match=r"^layer \d+: "):
            B.metadata_removed(history)
        return
    stripped = B.metadata_removed(history)
    out = B.build_manifest(builder_document(inp, stripped), inp["ensure_ascii"], None, "")
    assert out == base64.b64decode(expected["bytes_b64"])
    assert sha256(out) == expected["digest"]


@pytest.mark.parametrize("record", golden_param("rewrite"))
def test_golden_rewrite_ids_are_running_digests(record: dict[str, Any] | None) -> None:
    """The new image id of each rewritten layer is the running digest after that layer."""
    record = need(record)
    parsed = B.parse_manifest(base64.b64decode(record["manifest_b64"]), False)
    blob_sums = parsed["history"].blob_sums()[::-1]  # base first
    v1_compat = parsed["history"].v1_compat()[::-1]
    result = record["result"]
    if isinstance(result, dict):  # Quay failed: only a lone surrogate may fail here
        assert result["$error"] == "UnicodeEncodeError", result
        with pytest.raises(MalformedSchema1Manifest, match="lone surrogate"):
            B.digest_history(blob_sums, v1_compat)
        return

    digests = B.digest_history(blob_sums, v1_compat)
    assert len(digests) == len(blob_sums) == len(result)
    old_ids = [layer[1] for layer in parsed["history"].fields(False)]
    images_map: dict[str, str] = record["images_map"]
    first = next(
        (
            i
            for i, (image_id, blob_sum) in enumerate(zip(old_ids, blob_sums))
            if image_id in images_map and images_map[image_id] != blob_sum
        ),
        len(old_ids),
    )
    for i, item in enumerate(result):
        assert item["image_id"] == (old_ids[i] if i < first else digests[i]), i
        if i > first:  # the parent of a rewritten layer after the first is the rewritten parent
            assert item["parent_image_id"] == digests[i - 1], i


# ---------------------------------------------------------------------------------------------
# build_manifest: unsigned
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_unsigned_is_json_dumps_indent_3(ensure_ascii: bool) -> None:
    history = ['{"id": "a", "author": "Sômé guy 😱 <&>"}', "{}"]
    document = make_document(history)
    out = B.build_manifest(document, ensure_ascii, None, SIGNING_TIME)
    assert out == json.dumps(document, indent=3, ensure_ascii=ensure_ascii).encode("utf-8")
    assert out.startswith(b'{\n   "tag": "latest",\n   "name": "ns/repo",\n')
    assert (b"\\u00f4" in out) is ensure_ascii
    assert ("Sômé".encode() in out) is not ensure_ascii
    assert B.parse_manifest(out, True)["history"].v1_compat() == history


def test_unsigned_zero_layers() -> None:
    out = B.build_manifest(make_document([]), True, None, SIGNING_TIME)
    assert out.endswith(b'"history": [],\n   "fsLayers": []\n}')


def test_lone_surrogate_with_ensure_ascii_is_escaped() -> None:
    out = B.build_manifest(make_document(['{"id": "\ud800"}']), True, None, SIGNING_TIME)
    assert b"\\ud800" in out


@pytest.mark.parametrize("signed", [False, True])
def test_lone_surrogate_without_ensure_ascii_is_malformed(signed: bool) -> None:
    key = jwk_bytes(private_jwk(ec.generate_private_key(ec.SECP256R1()))) if signed else None
    with pytest.raises(MalformedSchema1Manifest, match="lone surrogate") as info:
        B.build_manifest(make_document(['{"id": "\udc80"}']), False, key, SIGNING_TIME)
    assert "U+DC80" in str(info.value)


def test_document_json_cannot_write_is_malformed() -> None:
    document = make_document(["{}"])
    document["extra"] = {1j}
    with pytest.raises(MalformedSchema1Manifest, match="cannot be written as JSON"):
        B.build_manifest(document, True, None, SIGNING_TIME)


# ---------------------------------------------------------------------------------------------
# build_manifest: signed
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    return {
        "rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "rsa3072": rsa.generate_private_key(public_exponent=3, key_size=3072),
        "rsa1024": rsa.generate_private_key(public_exponent=65537, key_size=1024),
        "P-256": ec.generate_private_key(ec.SECP256R1()),
        "P-384": ec.generate_private_key(ec.SECP384R1()),
        "P-521": ec.generate_private_key(ec.SECP521R1()),
        "P-192": ec.generate_private_key(ec.SECP192R1()),
        "secp256k1": ec.generate_private_key(ec.SECP256K1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
    }


#: The forms a key may come in: JWK text, PEM (PKCS#8 and the traditional one), DER.
KEY_FORMS: dict[str, Callable[[Any], bytes]] = {
    "jwk": lambda k: jwk_bytes(private_jwk(k)),
    "jwk-spaced": lambda k: b" \n\t" + json.dumps(private_jwk(k), indent=2).encode() + b"\n",
    "pem-pkcs8": lambda k: pem(k),
    "pem-traditional": lambda k: pem(k, serialization.PrivateFormat.TraditionalOpenSSL),
    "pem-str-with-preamble": lambda k: b"Bag Attributes: none\n" + pem(k),
    "der": der,
}


def check_signed(
    out: bytes, document: dict[str, Any], key: Any, alg: str, ensure_ascii: bool
) -> None:
    """Everything a signed build must satisfy, judged independently of the backend's code."""
    payload = json.dumps(document, indent=3, ensure_ascii=ensure_ascii).encode("utf-8")
    split = payload.rfind(b"\n}")
    assert out[:split] == payload[:split]

    doc = json.loads(out)
    assert list(doc) == [*document, "signatures"]
    assert len(doc["signatures"]) == 1
    block = doc["signatures"][0]
    assert list(block) == ["header", "signature", "protected"]
    assert list(block["header"]) == ["jwk", "alg"]
    assert block["header"]["alg"] == alg
    jwk = block["header"]["jwk"]
    kid = libtrust_key_id(key)
    if alg == "RS256":
        numbers = key.public_key().public_numbers()
        assert jwk == {
            "n": b64u_int(numbers.n),
            "e": b64u_int(numbers.e),
            "kid": kid,
            "kty": "RSA",
        }
        assert list(jwk) == ["n", "e", "kid", "kty"]
    else:
        size = CURVE_ALG[jwk["crv"]][1]
        point = key.public_key().public_numbers()
        assert list(jwk) == ["crv", "kid", "kty", "x", "y"]
        assert jwk == {
            "crv": jwk["crv"],
            "kid": kid,
            "kty": "EC",
            "x": b64u_int(point.x, size),
            "y": b64u_int(point.y, size),
        }
        assert len(b64u_decode(block["signature"])) == 2 * size

    protected = b64u_decode(block["protected"])
    assert protected == (
        b'{"formatTail":"Cn0","formatLength":%d,"time":"%s"}' % (split, SIGNING_TIME.encode())
    )
    assert "=" not in block["protected"] + block["signature"]

    parsed = B.parse_manifest(out, True)
    assert parsed["signers"] == [(alg, kid)]
    assert parsed["digest"] == sha256(payload)
    assert out == json.dumps(
        {**document, "signatures": [block]}, indent=3, ensure_ascii=ensure_ascii
    ).encode("utf-8")


@pytest.mark.parametrize("form", list(KEY_FORMS))
@pytest.mark.parametrize("curve", ["P-256", "P-384", "P-521"])
def test_ec_round_trip(keys: dict[str, Any], curve: str, form: str) -> None:
    key = keys[curve]
    document = make_document(chain(3))
    out = B.build_manifest(document, True, KEY_FORMS[form](key), SIGNING_TIME)
    check_signed(out, document, key, CURVE_ALG[curve][0], True)


@pytest.mark.parametrize("curve", ["P-256", "P-384", "P-521"])
def test_ec_round_trip_utf8_and_short_coordinates(curve: str) -> None:
    """Keys whose x, y or d have leading zero bytes: the JWK pads them to the curve size."""
    size = CURVE_ALG[curve][1]
    key = ec.generate_private_key(CURVES[curve])
    for _ in range(2000):  # about 1 in 85 has a short x or y
        point = key.public_key().public_numbers()
        if min(point.x.bit_length(), point.y.bit_length()) <= 8 * size - 8:
            break
        key = ec.generate_private_key(CURVES[curve])
    else:  # pragma: no cover
        pytest.fail("no key with a short coordinate")
    # The input JWK may leave the coordinates unpadded, too.
    pn = key.private_numbers()
    jwk = private_jwk(
        key,
        x=b64u_int(pn.public_numbers.x),
        y=b64u_int(pn.public_numbers.y),
        d=b64u_int(pn.private_value),
    )
    document = make_document(['{"id": "x", "author": "Sômé guy 😱"}'])
    out = B.build_manifest(document, False, jwk_bytes(jwk), SIGNING_TIME)
    check_signed(out, document, key, CURVE_ALG[curve][0], False)
    assert "😱".encode() in out


@pytest.mark.parametrize("form", list(KEY_FORMS))
@pytest.mark.parametrize("key_name", ["rsa", "rsa3072"])
def test_rsa_round_trip(keys: dict[str, Any], key_name: str, form: str) -> None:
    key = keys[key_name]
    document = make_document(chain(2), tag="other")
    out = B.build_manifest(document, True, KEY_FORMS[form](key), SIGNING_TIME)
    check_signed(out, document, key, "RS256", True)


def test_rsa_pkcs1_der(keys: dict[str, Any]) -> None:
    key = keys["rsa"]
    data = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    document = make_document(chain(1))
    check_signed(B.build_manifest(document, True, data, SIGNING_TIME), document, key, "RS256", True)


def test_rsa_is_deterministic(keys: dict[str, Any]) -> None:
    document = make_document(chain(2))
    key = KEY_FORMS["pem-pkcs8"](keys["rsa"])
    first = B.build_manifest(document, True, key, SIGNING_TIME)
    assert first == B.build_manifest(document, True, key, SIGNING_TIME)
    assert first == B.build_manifest(
        document, True, jwk_bytes(private_jwk(keys["rsa"])), SIGNING_TIME
    )


def test_signing_time_is_written_verbatim(keys: dict[str, Any]) -> None:
    out = B.build_manifest(
        make_document(["{}"]), True, jwk_bytes(private_jwk(keys["P-256"])), "1999-12-31T23:59:59Z"
    )
    protected = json.loads(out)["signatures"][0]["protected"]
    assert json.loads(b64u_decode(protected))["time"] == "1999-12-31T23:59:59Z"


def test_shared_test_key_signs_as_quay(keys: dict[str, Any]) -> None:
    out = B.build_manifest(make_document(chain(2)), True, golden_key(), SIGNING_TIME)
    assert B.parse_manifest(out, True)["signers"] == [("RS256", TEST_RSA_KEY_ID)]


def test_signed_payload_over_192000_bytes(keys: dict[str, Any]) -> None:
    """Quay's JOSE library caps signed payloads at 192,000 bytes; we do not."""
    history = [json.dumps({"id": "big", "comment": "x" * 250_000})]
    document = make_document(history)
    out = B.build_manifest(document, True, jwk_bytes(private_jwk(keys["P-256"])), SIGNING_TIME)
    assert len(out) > 250_000
    check_signed(out, document, keys["P-256"], "ES256", True)


# ---------------------------------------------------------------------------------------------
# Signing keys that cannot be used: a plain ValueError
# ---------------------------------------------------------------------------------------------

PUBLIC = "public key given: signing needs a private key"
UNSUPPORTED = "unsupported key type"
UNRECOGNISED = "unrecognised key: "


def _encrypted(
    key: Any, encoding: serialization.Encoding, fmt: serialization.PrivateFormat
) -> bytes:
    encryption = serialization.BestAvailableEncryption(b"secret")
    return bytes(key.private_bytes(encoding, fmt, encryption))


def _rsa_jwk_bad_d(key: Any) -> bytes:
    d = int.from_bytes(b64u_decode(private_jwk(key)["d"]), "big")
    return jwk_bytes(private_jwk(key, d=b64u_int(d + 2)))


def _ec_jwk_off_curve(key: Any) -> bytes:
    y = int.from_bytes(b64u_decode(private_jwk(key)["y"]), "big")
    return jwk_bytes(private_jwk(key, y=b64u_int(y ^ 1, 32)))


def _huge_rsa_jwk(_keys: Any) -> bytes:
    n = b64u_int((1 << 8199) | 1)
    return jwk_bytes(
        {"kty": "RSA", **dict.fromkeys(["n", "e", "d", "p", "q", "dp", "dq", "qi"], n)}
    )


#: A DSA private key (PKCS#8 PEM) made for these tests with openssl genpkey.
DSA_PEM = (
    Path(__file__).parents[1] / "rust" / "testdata" / "keys" / "dsa2048_pkcs8.pem"
).read_bytes()

#: cryptography (from 51) warns when it loads a DSA key: that warning is cryptography's, the
#: error that follows is ours.
KEY_ERROR_MARKS = {"dsa-pem": pytest.mark.filterwarnings("ignore:DSA is deprecated")}

KEY_ERRORS: list[tuple[str, Callable[[dict[str, Any]], bytes], str]] = [
    # A public key alone.
    (
        "rsa-jwk-public",
        lambda k: jwk_bytes(
            private_jwk(k["rsa"], d=None, p=None, q=None, dp=None, dq=None, qi=None)
        ),
        PUBLIC,
    ),
    ("rsa-jwk-no-d", lambda k: jwk_bytes(private_jwk(k["rsa"], d=None)), PUBLIC),
    ("ec-jwk-public", lambda k: jwk_bytes(private_jwk(k["P-256"], d=None)), PUBLIC),
    (
        "rsa-pem-spki",
        lambda k: public_pem(k["rsa"], serialization.PublicFormat.SubjectPublicKeyInfo),
        PUBLIC,
    ),
    (
        "rsa-pem-pkcs1-public",
        lambda k: public_pem(k["rsa"], serialization.PublicFormat.PKCS1),
        PUBLIC,
    ),
    (
        "ec-pem-public",
        lambda k: public_pem(k["P-384"], serialization.PublicFormat.SubjectPublicKeyInfo),
        PUBLIC,
    ),
    (
        "rsa-der-public",
        lambda k: (
            k["rsa"]
            .public_key()
            .public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        ),
        PUBLIC,
    ),
    # RSA size.
    (
        "rsa1024-jwk",
        lambda k: jwk_bytes(private_jwk(k["rsa1024"])),
        "RSA key of 1024 bits: at least 2048 are needed",
    ),
    ("rsa1024-pem", lambda k: pem(k["rsa1024"]), "RSA key of 1024 bits: at least 2048 are needed"),
    ("rsa1024-der", lambda k: der(k["rsa1024"]), "RSA key of 1024 bits: at least 2048 are needed"),
    ("rsa8200-jwk", _huge_rsa_jwk, "RSA key of 8200 bits: at most 8192 are supported"),
    # RSA JWK without the CRT members.
    (
        "rsa-jwk-n-e-d",
        lambda k: jwk_bytes(private_jwk(k["rsa"], p=None, q=None, dp=None, dq=None, qi=None)),
        "RSA JWK needs p, q, dp, dq and qi",
    ),
    (
        "rsa-jwk-no-qi",
        lambda k: jwk_bytes(private_jwk(k["rsa"], qi=None)),
        "RSA JWK needs p, q, dp, dq and qi",
    ),
    # Other key types and curves.
    ("ed25519-pem", lambda k: pem(k["ed25519"]), f"{UNSUPPORTED}: Ed25519"),
    ("ed25519-der", lambda k: der(k["ed25519"]), f"{UNSUPPORTED}: Ed25519"),
    (
        "ed25519-jwk",
        lambda k: jwk_bytes(
            {"kty": "OKP", "crv": "Ed25519", "x": b64u(b"x" * 32), "d": b64u(b"d" * 32)}
        ),
        f"{UNSUPPORTED}: kty 'OKP' with crv 'Ed25519'",
    ),
    ("p192-pem", lambda k: pem(k["P-192"]), f"{UNSUPPORTED}: EC curve secp192r1"),
    (
        "p192-jwk",
        lambda k: jwk_bytes(private_jwk(k["P-192"], crv="P-192")),
        f"{UNSUPPORTED}: EC curve 'P-192'",
    ),
    ("secp256k1-pem", lambda k: pem(k["secp256k1"]), f"{UNSUPPORTED}: EC curve secp256k1"),
    (
        "secp256k1-jwk",
        lambda k: jwk_bytes(private_jwk(k["secp256k1"], crv="secp256k1")),
        f"{UNSUPPORTED}: EC curve 'secp256k1'",
    ),
    (
        "p192-jwk-public",
        lambda k: jwk_bytes(private_jwk(k["P-192"], crv="P-192", d=None)),
        f"{UNSUPPORTED}: EC curve 'P-192'",
    ),
    # A DSA key of our own, made by openssl: cryptography deprecates DSA (see KEY_ERROR_MARKS).
    ("dsa-pem", lambda k: DSA_PEM, f"{UNSUPPORTED}: DSA"),
    (
        "oct-jwk",
        lambda k: jwk_bytes({"kty": "oct", "k": b64u(b"secret")}),
        f"{UNSUPPORTED}: kty 'oct'",
    ),
    ("empty-kty-jwk", lambda k: jwk_bytes({"kty": "", "d": "AQAB"}), f"{UNSUPPORTED}: kty ''"),
    # Encrypted keys.
    (
        "encrypted-pem-pkcs8",
        lambda k: _encrypted(
            k["rsa"], serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
        ),
        "encrypted PEM keys are not supported",
    ),
    (
        "encrypted-pem-traditional",
        lambda k: _encrypted(
            k["P-256"], serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL
        ),
        "encrypted PEM keys are not supported",
    ),
    (
        "encrypted-der",
        lambda k: _encrypted(
            k["rsa"], serialization.Encoding.DER, serialization.PrivateFormat.PKCS8
        ),
        "encrypted DER keys are not supported",
    ),
    # Anything else.
    ("empty", lambda k: b"", UNRECOGNISED),
    ("whitespace", lambda k: b" \n ", UNRECOGNISED),
    ("garbage", lambda k: b"\x00\x01garbage", UNRECOGNISED),
    ("json-array", lambda k: b"[1, 2]", UNRECOGNISED),
    ("jwk-not-json", lambda k: b"{not json", f"{UNRECOGNISED}the JWK is not JSON"),
    ("jwk-no-kty", lambda k: jwk_bytes({"d": "AQAB"}), f"{UNRECOGNISED}the JWK has no kty"),
    ("jwk-kty-number", lambda k: jwk_bytes({"kty": 1}), f"{UNRECOGNISED}the JWK kty is number"),
    (
        "rsa-jwk-bad-base64",
        lambda k: jwk_bytes(private_jwk(k["rsa"], e="A+B/")),
        f"{UNRECOGNISED}RSA JWK member 'e'",
    ),
    (
        "rsa-jwk-member-number",
        lambda k: jwk_bytes(private_jwk(k["rsa"], p=17)),
        f"{UNRECOGNISED}RSA JWK member 'p' is number",
    ),
    (
        "rsa-jwk-empty-member",
        lambda k: jwk_bytes(private_jwk(k["rsa"], dq="")),
        f"{UNRECOGNISED}RSA JWK member 'dq' is empty",
    ),
    (
        "rsa-jwk-no-n",
        lambda k: jwk_bytes(private_jwk(k["rsa"], n=None)),
        f"{UNRECOGNISED}RSA JWK has no 'n'",
    ),
    ("rsa-jwk-inconsistent", lambda k: _rsa_jwk_bad_d(k["rsa"]), f"{UNRECOGNISED}invalid RSA JWK"),
    (
        "ec-jwk-no-crv",
        lambda k: jwk_bytes(private_jwk(k["P-256"], crv=None)),
        f"{UNRECOGNISED}the EC JWK has no crv",
    ),
    (
        "ec-jwk-crv-null",
        lambda k: jwk_bytes({**private_jwk(k["P-256"]), "crv": None}),
        f"{UNRECOGNISED}the EC JWK crv is null",
    ),
    (
        "ec-jwk-no-y",
        lambda k: jwk_bytes(private_jwk(k["P-256"], y=None)),
        f"{UNRECOGNISED}EC JWK has no 'y'",
    ),
    (
        "ec-jwk-long-x",
        lambda k: jwk_bytes(private_jwk(k["P-256"], x=b64u(b"\x01" * 33))),
        f"{UNRECOGNISED}EC JWK member 'x' is too long",
    ),
    ("ec-jwk-off-curve", lambda k: _ec_jwk_off_curve(k["P-256"]), f"{UNRECOGNISED}invalid EC JWK"),
    (
        "pem-certificate",
        lambda k: b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        f"{UNRECOGNISED}the PEM block 'CERTIFICATE' is not a private key",
    ),
    ("pem-truncated", lambda k: pem(k["rsa"])[:200], UNRECOGNISED),
    ("der-truncated", lambda k: der(k["rsa"])[:-10], UNRECOGNISED),
]


@pytest.mark.parametrize(
    ("make_key", "message"),
    [
        pytest.param(make, message, id=name, marks=KEY_ERROR_MARKS.get(name, ()))
        for name, make, message in KEY_ERRORS
    ],
)
def test_key_errors(
    keys: dict[str, Any], make_key: Callable[[dict[str, Any]], bytes], message: str
) -> None:
    key = make_key(keys)
    with pytest.raises(ValueError) as info:
        B.build_manifest(make_document(chain(1)), True, key, SIGNING_TIME)
    assert type(info.value) is ValueError  # not a manifest error
    assert str(info.value).startswith(message), str(info.value)


def test_key_is_not_read_when_unsigned() -> None:
    assert B.build_manifest(make_document([]), True, None, SIGNING_TIME).startswith(b"{")


# ---------------------------------------------------------------------------------------------
# metadata_removed
# ---------------------------------------------------------------------------------------------


def quay_with_metadata_removed(history: list[str]) -> list[str]:
    """Quay's ``with_metadata_removed()`` on the history entries, transcribed as is."""
    out = []
    for index, entry in enumerate(history):
        try:
            metadata = json.loads(entry)
        except (ValueError, TypeError):
            raise MalformedSchema1Manifest from None
        fixed_metadata: Any = {}
        if index == 0:
            fixed_metadata = metadata
        else:
            fixed_metadata["id"] = metadata["id"]
            if "parent" in metadata:
                fixed_metadata["parent"] = metadata["parent"]
            if "created" in metadata:
                fixed_metadata["created"] = metadata["created"]
            if "author" in metadata:
                fixed_metadata["author"] = metadata["author"]
            if "comment" in metadata:
                fixed_metadata["comment"] = metadata["comment"]
            if "Size" in metadata:
                fixed_metadata["Size"] = metadata["Size"]
            if "Cmd" in metadata.get("container_config", {}):
                fixed_metadata["container_config"] = {"Cmd": metadata["container_config"]["Cmd"]}
        out.append(json.dumps(fixed_metadata))
    return out


LEAF = '{"z": 1, "id": "leaf", "container_config": {"Cmd": "x", "Env": []}, "é": "ü"}'

#: (a non-leaf entry, what it becomes)
METADATA_REMOVED_OK: list[tuple[str, str]] = [
    ('{"id": "a"}', '{"id": "a"}'),
    ('{"id": null}', '{"id": null}'),
    ('{"id": 12, "extra": 1}', '{"id": 12}'),
    # The kept members in Quay's order, whatever the input order.
    (
        '{"Size": 5, "comment": "c", "author": "a", "created": "t", "parent": "p", "id": "i",'
        ' "os": "linux", "config": {"Labels": {"a": "b"}}, "container": "c0"}',
        '{"id": "i", "parent": "p", "created": "t", "author": "a", "comment": "c", "Size": 5}',
    ),
    # Present with null values is still present.
    (
        '{"id": "i", "parent": null, "Size": null, "comment": null}',
        '{"id": "i", "parent": null, "comment": null, "Size": null}',
    ),
    # container_config: only Cmd survives, and only when it is a key.
    (
        '{"id": "i", "container_config": {"Cmd": ["/bin/sh", "-c", "x"], "Env": ["A=1"]}}',
        '{"id": "i", "container_config": {"Cmd": ["/bin/sh", "-c", "x"]}}',
    ),
    (
        '{"id": "i", "container_config": {"Cmd": null}}',
        '{"id": "i", "container_config": {"Cmd": null}}',
    ),
    (
        '{"id": "i", "container_config": {"Cmd": ""}}',
        '{"id": "i", "container_config": {"Cmd": ""}}',
    ),
    ('{"id": "i", "container_config": {"Env": []}}', '{"id": "i"}'),
    ('{"id": "i", "container_config": {}}', '{"id": "i"}'),
    ('{"id": "i", "container_config": {"cmd": 1}}', '{"id": "i"}'),
    # A list or string container_config without "Cmd" is simply skipped, as in Python.
    ('{"id": "i", "container_config": []}', '{"id": "i"}'),
    ('{"id": "i", "container_config": ["cmd", 1, {"Cmd": 1}]}', '{"id": "i"}'),
    ('{"id": "i", "container_config": ""}', '{"id": "i"}'),
    ('{"id": "i", "container_config": "no command here"}', '{"id": "i"}'),
    # Values are written back with json.dumps defaults.
    ('{"id": "é😱", "author": "<&>"}', '{"id": "\\u00e9\\ud83d\\ude31", "author": "<&>"}'),
    ('{"id": "\\ud800"}', '{"id": "\\ud800"}'),
    (
        '{"id": "i", "Size": NaN, "comment": -Infinity}',
        '{"id": "i", "comment": -Infinity, "Size": NaN}',
    ),
    ('{"id": "i", "Size": 1e400}', '{"id": "i", "Size": Infinity}'),
    ('{"id": "i", "Size": 1.0, "created": 1E2}', '{"id": "i", "created": 100.0, "Size": 1.0}'),
    ('{"id": 123456789012345678901234567890}', '{"id": 123456789012345678901234567890}'),
    ('{"id": "first", "id": "last"}', '{"id": "last"}'),
    (' \n{"id":"i","parent":"p"}\n ', '{"id": "i", "parent": "p"}'),
]


@pytest.mark.parametrize(("entry", "expected"), METADATA_REMOVED_OK)
def test_metadata_removed_non_leaf(entry: str, expected: str) -> None:
    assert B.metadata_removed([LEAF, entry]) == [json.dumps(json.loads(LEAF)), expected]
    assert quay_with_metadata_removed([LEAF, entry])[1] == expected


@pytest.mark.parametrize(
    ("leaf", "expected"),
    [
        (
            LEAF,
            '{"z": 1, "id": "leaf", "container_config": {"Cmd": "x", "Env": []}, '
            '"\\u00e9": "\\u00fc"}',
        ),
        ("{}", "{}"),
        ('{"no": "id"}', '{"no": "id"}'),
        ("null", "null"),
        ("[1, 2]", "[1, 2]"),
        ('"text"', '"text"'),
        ("0", "0"),
        ("1e400", "Infinity"),
        ('{"container_config": null}', '{"container_config": null}'),
        ('{"container_config": ["Cmd"]}', '{"container_config": ["Cmd"]}'),
        ('{"a":1,"a":2}', '{"a": 2}'),
    ],
)
def test_metadata_removed_leaf_keeps_everything(leaf: str, expected: str) -> None:
    assert B.metadata_removed([leaf]) == [expected]
    assert B.metadata_removed([leaf, '{"id": "x"}']) == [expected, '{"id": "x"}']
    assert quay_with_metadata_removed([leaf]) == [expected]


def test_metadata_removed_empty_and_chain() -> None:
    assert B.metadata_removed([]) == []
    history = chain(4)
    assert B.metadata_removed(history) == quay_with_metadata_removed(history)
    assert B.metadata_removed(history)[0] == history[0]


#: (a non-leaf entry, a fragment of our message, what Quay leaks or None when Quay is Malformed)
METADATA_REMOVED_BAD: list[tuple[str, str, type[Exception] | None]] = [
    ("", "v1Compatibility is not JSON", None),
    ("{", "v1Compatibility is not JSON", None),
    ('{"id": 1} x', "v1Compatibility is not JSON", None),
    ("nope", "v1Compatibility is not JSON", None),
    # Deeper than MAX_DEPTH: our limit (DESIGN 6.6); Python parses it, then fails at ["id"].
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "v1Compatibility is not JSON", TypeError),
    # Not an object: Python fails at metadata["id"].
    ("null", "v1Compatibility is null, not an object", TypeError),
    ("[]", "v1Compatibility is array, not an object", TypeError),
    ('["id"]', "v1Compatibility is array, not an object", TypeError),
    ('"id"', "v1Compatibility is string, not an object", TypeError),
    ("1", "v1Compatibility is number, not an object", TypeError),
    ("true", "v1Compatibility is boolean, not an object", TypeError),
    # No id.
    ("{}", "id field missing", KeyError),
    ('{"parent": "p", "Id": "x"}', "id field missing", KeyError),
    # container_config that is not an object.
    ('{"id": "i", "container_config": null}', "container_config is null, not an object", TypeError),
    ('{"id": "i", "container_config": 1}', "container_config is number, not an object", TypeError),
    (
        '{"id": "i", "container_config": 0.5}',
        "container_config is number, not an object",
        TypeError,
    ),
    (
        '{"id": "i", "container_config": false}',
        "container_config is boolean, not an object",
        TypeError,
    ),
    (
        '{"id": "i", "container_config": true}',
        "container_config is boolean, not an object",
        TypeError,
    ),
    (
        '{"id": "i", "container_config": ["Cmd"]}',
        "container_config is array holding 'Cmd'",
        TypeError,
    ),
    (
        '{"id": "i", "container_config": [1, "Cmd"]}',
        "container_config is array holding 'Cmd'",
        TypeError,
    ),
    (
        '{"id": "i", "container_config": "Cmd"}',
        "container_config is string holding 'Cmd'",
        TypeError,
    ),
    (
        '{"id": "i", "container_config": "my Cmd!"}',
        "container_config is string holding 'Cmd'",
        TypeError,
    ),
]


@pytest.mark.parametrize(("entry", "fragment", "quay_leak"), METADATA_REMOVED_BAD)
def test_metadata_removed_errors(
    entry: str, fragment: str, quay_leak: type[Exception] | None
) -> None:
    with pytest.raises(MalformedSchema1Manifest) as info:
        B.metadata_removed(['{"id": "leaf"}', '{"id": "ok"}', entry])
    assert str(info.value).startswith("layer 2: "), str(info.value)
    assert fragment in str(info.value)
    # What Quay's own code does with the same entry.
    with pytest.raises(quay_leak or MalformedSchema1Manifest):
        quay_with_metadata_removed(['{"id": "leaf"}', '{"id": "ok"}', entry])


@pytest.mark.parametrize("entry", ["", "{", "nope", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)])
def test_metadata_removed_leaf_must_be_json(entry: str) -> None:
    with pytest.raises(MalformedSchema1Manifest, match=r"^layer 0: v1Compatibility is not JSON"):
        B.metadata_removed([entry, '{"id": "x"}'])


def test_metadata_removed_depth_limit_accepted() -> None:
    deep = '{"id": "i", "Size": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    assert B.metadata_removed(["{}", deep]) == ["{}", json.dumps(json.loads(deep))]


def test_metadata_removed_first_bad_layer_is_named() -> None:
    with pytest.raises(MalformedSchema1Manifest, match=r"^layer 1: "):
        B.metadata_removed(["{}", "{}", "nope"])


_JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.sampled_from(["Cmd", "id"])
)
_JSON = st.recursive(
    _JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=6) | st.sampled_from(["Cmd", "id"]), children, max_size=4
        )
    ),
    max_leaves=12,
)
_MEMBERS = st.sampled_from(
    [
        "id",
        "parent",
        "created",
        "author",
        "comment",
        "Size",
        "container_config",
        "config",
        "os",
        "x",
    ]
)
_METADATA = st.dictionaries(_MEMBERS, _JSON, max_size=8) | _JSON


@given(st.lists(_METADATA.map(json.dumps), max_size=5))
def test_metadata_removed_matches_quay(history: list[str]) -> None:
    try:
        expected = quay_with_metadata_removed(history)
    except (MalformedSchema1Manifest, TypeError, KeyError, AttributeError):
        with pytest.raises(MalformedSchema1Manifest, match=r"^layer \d+: "):
            B.metadata_removed(history)
        return
    assert B.metadata_removed(history) == expected


# ---------------------------------------------------------------------------------------------
# digest_history
# ---------------------------------------------------------------------------------------------


def quay_running_digests(blob_sums: list[str], v1_compat: list[str]) -> list[str]:
    """The running SHA-256 of Quay's ``rewrite_invalid_image_ids``, base first."""
    h = hashlib.sha256()
    out = []
    for blob_sum, v1 in zip(blob_sums, v1_compat):
        h.update(blob_sum.encode("utf-8"))
        h.update(b"@")
        h.update(v1.encode("utf-8"))
        h.update(b"|")
        out.append(h.hexdigest())
    return out


def test_digest_history_by_hand() -> None:
    assert B.digest_history([], []) == []
    one = hashlib.sha256(b'sha256:ab@{"id": "x"}|').hexdigest()
    two = hashlib.sha256('sha256:ab@{"id": "x"}|sha256:cd@{"id": "ü"}|'.encode()).hexdigest()
    assert B.digest_history(["sha256:ab"], ['{"id": "x"}']) == [one]
    assert B.digest_history(["sha256:ab", "sha256:cd"], ['{"id": "x"}', '{"id": "ü"}']) == [
        one,
        two,
    ]


@given(st.lists(st.tuples(st.text(max_size=20), st.text(max_size=40)), max_size=6))
def test_digest_history_matches_quay(layers: list[tuple[str, str]]) -> None:
    layers = [(b, v) for b, v in layers if not any("\ud800" <= c <= "\udfff" for c in b + v)]
    blob_sums = [b for b, _ in layers]
    v1s = [v for _, v in layers]
    assert B.digest_history(blob_sums, v1s) == quay_running_digests(blob_sums, v1s)


@pytest.mark.parametrize(("fs", "hist"), [(1, 0), (0, 1), (2, 3)])
def test_digest_history_length_mismatch(fs: int, hist: int) -> None:
    with pytest.raises(
        MalformedSchema1Manifest, match=f"fsLayers has {fs} entries but history has {hist}"
    ):
        B.digest_history([BLOB] * fs, ["{}"] * hist)


def test_digest_history_lone_surrogate() -> None:
    with pytest.raises(
        MalformedSchema1Manifest, match=r"^layer 1: v1Compatibility holds a lone surrogate$"
    ):
        B.digest_history([BLOB, BLOB, BLOB], ["{}", '{"id": "\udfff"}', "{}"])
    with pytest.raises(
        MalformedSchema1Manifest, match=r"^layer 0: blobSum holds a lone surrogate$"
    ):
        B.digest_history(["sha256:\ud800"], ["{}"])


def test_digest_history_not_strings() -> None:
    with pytest.raises(MalformedSchema1Manifest, match=r"^layer 0: v1Compatibility is null"):
        B.digest_history([BLOB], [None])  # type: ignore[list-item]


# ---------------------------------------------------------------------------------------------
# The backend object and the lazy import
# ---------------------------------------------------------------------------------------------


def test_write_methods_exist() -> None:
    for method in ("build_manifest", "metadata_removed", "digest_history"):
        assert callable(getattr(B, method))


def test_unsigned_write_path_needs_no_cryptography() -> None:
    """Unsigned builds, metadata_removed and digest_history need no `cryptography`."""
    script = (
        "import sys, types\n"
        "sys.modules['cryptography'] = None\n"
        "pkg = types.ModuleType('docker_schema1')\n"
        f"pkg.__path__ = [{str(Path(_pure.__file__).parent.parent)!r}]\n"
        "sys.modules['docker_schema1'] = pkg\n"
        "from docker_schema1 import _pure\n"
        "B = _pure.BACKEND\n"
        f"doc = {make_document(chain(2))!r}\n"
        "print(len(B.build_manifest(doc, True, None, '')))\n"
        "print(len(B.metadata_removed([h['v1Compatibility'] for h in doc['history']])))\n"
        "print(len(B.digest_history(['a'], ['b'])))\n"
        "try:\n"
        "    B.build_manifest(doc, True, b'{}', '')\n"
        "except ImportError:\n"
        "    print('ImportError')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    expected_len = len(json.dumps(make_document(chain(2)), indent=3).encode())
    assert result.stdout.split() == [str(expected_len), "2", "1", "ImportError"]
