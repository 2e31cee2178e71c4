"""Tests of the pure-Python reference backend (``docker_schema1._pure``) on its own."""

from __future__ import annotations

import base64
import json
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from docker_schema1 import _pure
from docker_schema1._backend import MAX_DEPTH
from docker_schema1.errors import (
    InvalidSchema1Signature,
    MalformedSchema1Manifest,
    ManifestException,
)

from .signing import b64u, b64u_decode, b64u_int, libtrust_key_id, sha256

B = _pure.BACKEND
SHARED = Path(__file__).resolve().parents[2] / "shared"
PUBLIC = SHARED / "vectors" / "public"
TEST_RSA_KEY = SHARED / "vectors" / "quay-golden" / "test_rsa_key.jwk.json"
TEST_RSA_KEY_ID = "GZPQ:GQ2L:JHD2:YKIB:QHAS:CL2K:UJVH:TALW:HNA7:FYJC:TTQW:RRYH"

MOBY_GOOD_DIGEST = "sha256:02fee8c3220ba806531f606525eceb83f4feb654f62b207191b1c9209188dedd"

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def shared_file(name: str) -> bytes:
    path = PUBLIC / name
    if not SHARED.is_dir():
        pytest.skip("../shared not present")
    return path.read_bytes()


LAYER_IDS = ["a" * 64, "b" * 64, "c" * 64]


def make_doc(layers: int = 2, **extra: Any) -> dict[str, Any]:
    """A schema 1 document, leaf first, with chained ids."""
    fs_layers = []
    history = []
    for i in range(layers):
        md: dict[str, Any] = {"id": LAYER_IDS[i % 3] + str(i)}
        if i + 1 < layers:
            md["parent"] = LAYER_IDS[(i + 1) % 3] + str(i + 1)
        md["created"] = "2018-08-13T19:19:53.358734Z"
        md["container_config"] = {"Cmd": ["/bin/sh", "-c", f"echo {i} > /x"]}
        fs_layers.append({"blobSum": "sha256:" + f"{i:02x}" * 32})
        history.append({"v1Compatibility": json.dumps(md)})
    doc: dict[str, Any] = {
        "schemaVersion": 1,
        "name": "ns/repo",
        "tag": "latest",
        "architecture": "amd64",
        "fsLayers": fs_layers,
        "history": history,
    }
    doc.update(extra)
    return doc


def to_bytes(doc: Any) -> bytes:
    return json.dumps(doc, indent=3).encode("utf-8")


def public_jwk(key: Any) -> dict[str, Any]:
    if isinstance(key, rsa.RSAPrivateKey):
        numbers = key.public_key().public_numbers()
        return {"kty": "RSA", "n": b64u_int(numbers.n), "e": b64u_int(numbers.e)}
    if isinstance(key, ec.EllipticCurvePrivateKey):
        size = (key.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}[key.curve.name]
        pn = key.public_key().public_numbers()
        return {"kty": "EC", "crv": crv, "x": b64u_int(pn.x, size), "y": b64u_int(pn.y, size)}
    assert isinstance(key, ed25519.Ed25519PrivateKey)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw)}


_HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


def jws_sign(alg: str, key: Any, data: bytes) -> bytes:
    if alg == "EdDSA":
        return bytes(key.sign(data))
    hash_alg = _HASHES[alg[2:]]()
    if alg.startswith("RS"):
        return bytes(key.sign(data, padding.PKCS1v15(), hash_alg))
    if alg.startswith("PS"):
        pss = padding.PSS(mgf=padding.MGF1(hash_alg), salt_length=hash_alg.digest_size)
        return bytes(key.sign(data, pss, hash_alg))
    size = (key.curve.key_size + 7) // 8
    r, s = utils.decode_dss_signature(key.sign(data, ec.ECDSA(hash_alg)))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


DROP = object()


@dataclass
class Sig:
    """One signature of a generated manifest, with optional tampering."""

    alg: str
    key: Any
    protected: dict[str, Any] = field(default_factory=dict)  # overrides (DROP removes)
    raw_protected: str | None = None  # the protected string itself (signed as given)
    header_alg: str | None = None  # header "alg" (default: alg)
    jwk: dict[str, Any] | None = None  # header "jwk" (default: the key's)
    signature: str | None = None  # the signature string (default: a real signature)


def sign_manifest(
    doc: dict[str, Any],
    sigs: list[Sig],
    *,
    tail: bytes = b"\n}",
    prefix: bytes = b"",
    after_head: bytes = b"",
    after_signatures: bytes = b"",
    ensure_ascii: bool = True,
) -> bytes:
    """A libtrust-style signed document.

    payload = the pretty JSON text ending in "\\n}", formatLength = the index of the last "\\n}",
    document = payload[:formatLength] + after_head + ',\\n   "signatures": [...]' +
    after_signatures + "\\n}".
    """
    text = prefix + json.dumps(doc, indent=3, ensure_ascii=ensure_ascii).encode("utf-8")
    length = text.rindex(b"\n}")
    payload = text[:length] + tail
    blocks = []
    for sig in sigs:
        header: dict[str, Any] = {
            "formatLength": length,
            "formatTail": b64u(tail),
            "time": "2019-01-01T00:00:00Z",
        }
        for key, value in sig.protected.items():
            if value is DROP:
                header.pop(key, None)
            else:
                header[key] = value
        protected = sig.raw_protected
        if protected is None:
            protected = b64u(json.dumps(header).encode("utf-8"))
        signing_input = protected.encode("ascii") + b"." + b64u(payload).encode("ascii")
        signature = sig.signature
        if signature is None:
            signature = b64u(jws_sign(sig.alg, sig.key, signing_input))
        blocks.append(
            {
                "header": {
                    "jwk": sig.jwk if sig.jwk is not None else public_jwk(sig.key),
                    "alg": sig.header_alg if sig.header_alg is not None else sig.alg,
                },
                "signature": signature,
                "protected": protected,
            }
        )
    return (
        text[:length]
        + after_head
        + b',\n   "signatures": '
        + json.dumps(blocks, indent=3).encode("ascii")
        + after_signatures
        + b"\n}"
    )


def signed_payload(doc: dict[str, Any], *, prefix: bytes = b"", tail: bytes = b"\n}") -> bytes:
    text = prefix + json.dumps(doc, indent=3).encode("utf-8")
    return text[: text.rindex(b"\n}")] + tail


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    return {
        "rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "rsa1024": rsa.generate_private_key(public_exponent=65537, key_size=1024),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "p384": ec.generate_private_key(ec.SECP384R1()),
        "p521": ec.generate_private_key(ec.SECP521R1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
    }


ALG_KEYS = [
    ("RS256", "rsa"),
    ("RS384", "rsa"),
    ("RS512", "rsa"),
    ("PS256", "rsa"),
    ("PS384", "rsa"),
    ("PS512", "rsa"),
    ("ES256", "p256"),
    ("ES384", "p384"),
    ("ES512", "p521"),
    ("EdDSA", "ed25519"),
]


@pytest.fixture(scope="module")
def signed_es256(keys: dict[str, Any]) -> bytes:
    return sign_manifest(make_doc(), [Sig("ES256", keys["p256"])])


def assert_malformed(data: bytes, validate: bool, *fragments: str) -> None:
    with pytest.raises(MalformedSchema1Manifest) as info:
        B.parse_manifest(data, validate)
    for fragment in fragments:
        assert fragment in str(info.value)


def assert_invalid(data: bytes, *fragments: str) -> None:
    with pytest.raises(InvalidSchema1Signature) as info:
        B.parse_manifest(data, True)
    for fragment in fragments:
        assert fragment in str(info.value)


# ---------------------------------------------------------------------------------------------
# The backend object
# ---------------------------------------------------------------------------------------------


def test_backend_object() -> None:
    assert B.name == "pure"
    for method in ("parse_manifest", "manifest_value", "layers", "canonical_json"):
        assert callable(getattr(B, method))
    assert B.sha256_digest(b"") == sha256(b"")
    assert B.sha256_digest(b"abc") == (
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_cryptography_is_imported_lazily(keys: dict[str, Any]) -> None:
    """Unsigned manifests, and signed ones without validation, need no `cryptography`."""
    unsigned = to_bytes(make_doc())
    signed = sign_manifest(make_doc(), [Sig("ES256", keys["p256"])])
    script = (
        "import sys, types\n"
        "sys.modules['cryptography'] = None\n"
        "pkg = types.ModuleType('docker_schema1')\n"
        f"pkg.__path__ = [{str(Path(_pure.__file__).parent.parent)!r}]\n"
        "sys.modules['docker_schema1'] = pkg\n"
        "from docker_schema1 import _pure\n"
        f"print(_pure.BACKEND.parse_manifest({unsigned!r}, True)['digest'])\n"
        f"print(_pure.BACKEND.parse_manifest({signed!r}, False)['digest'])\n"
        "try:\n"
        f"    _pure.BACKEND.parse_manifest({signed!r}, True)\n"
        "except ImportError:\n"
        "    print('ImportError')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [sha256(unsigned), sha256(unsigned), "ImportError"]


# ---------------------------------------------------------------------------------------------
# parse_manifest: unsigned documents, JSON, depth
# ---------------------------------------------------------------------------------------------


def test_unsigned_fields() -> None:
    doc = make_doc(3)
    data = to_bytes(doc)
    for validate in (True, False):
        parsed = dict(B.parse_manifest(data, validate))
        history = parsed.pop("history")
        assert parsed == {
            "name": "ns/repo",
            "tag": "latest",
            "architecture": "amd64",
            "signatures": None,
            "digest": sha256(data),
            "signers": [],
        }
        assert history.blob_sums() == [entry["blobSum"] for entry in doc["fsLayers"]]
        assert history.v1_compat() == [entry["v1Compatibility"] for entry in doc["history"]]


@pytest.mark.parametrize(
    ("architecture", "expected"),
    [(DROP, None), (None, None), (5, 5), (["x"], ["x"]), ("arm64", "arm64")],
)
def test_architecture_is_raw(architecture: Any, expected: Any) -> None:
    doc = make_doc()
    if architecture is DROP:
        del doc["architecture"]
    else:
        doc["architecture"] = architecture
    assert B.parse_manifest(to_bytes(doc), True)["architecture"] == expected


def test_bom_and_utf16_input_follow_python_json() -> None:
    data = to_bytes(make_doc())
    with_bom = b"\xef\xbb\xbf" + data
    assert B.parse_manifest(with_bom, True)["digest"] == sha256(with_bom)
    utf16 = json.dumps(make_doc()).encode("utf-16-le")
    assert B.parse_manifest(utf16, True)["digest"] == sha256(utf16)


def _nested(depth: int) -> bytes:
    """A document whose deepest container is at ``depth`` (top object = 1)."""
    doc = make_doc()
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    return to_bytes(doc)[:-2] + b',\n   "deep": ' + inner.encode() + b"\n}"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "malformed manifest data"),
        (b"{", "malformed manifest data"),
        (b"not json", "malformed manifest data"),
        (b'{"a": 1} x', "malformed manifest data"),
        (b'{"name": "\xff"}', "malformed manifest data"),
        (b'{"a": 1' + b"1" * 5000 + b"}", "malformed manifest data"),
        (b"[" * 100000 + b"]" * 100000, ""),
        (_nested(MAX_DEPTH + 1), "nesting deeper than 512 levels"),
        (b'{"a": ' + b"[" * 600 + b"]" * 600 + b"}", ""),
    ],
    ids=[
        "empty",
        "truncated",
        "text",
        "trailing",
        "bad-utf8",
        "int-digits",
        "deep-100000",
        "depth-513",
        "depth-601",
    ],
)
@pytest.mark.parametrize("validate", [True, False])
def test_json_failures(data: bytes, fragment: str, validate: bool) -> None:
    assert_malformed(data, validate, fragment)


def test_depth_512_is_accepted() -> None:
    data = _nested(MAX_DEPTH)
    assert B.parse_manifest(data, True)["digest"] == sha256(data)


# ---------------------------------------------------------------------------------------------
# parse_manifest: schema
# ---------------------------------------------------------------------------------------------


def _set(path: list[Any], value: Any) -> Callable[[Any], Any]:
    def mutate(doc: Any) -> Any:
        target = doc
        for part in path[:-1]:
            target = target[part]
        if value is DROP:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return doc

    return mutate


_SIG_BLOCK = {
    "header": {"jwk": {"kty": "EC"}, "alg": "ES256"},
    "signature": "AAAA",
    "protected": "e30",
}


def _with_sig(**changes: Any) -> Callable[[Any], Any]:
    def mutate(doc: Any) -> Any:
        block = json.loads(json.dumps(_SIG_BLOCK))
        for key, value in changes.items():
            if key.startswith("header_"):
                target, key = block["header"], key[len("header_") :]
            else:
                target = block
            if value is DROP:
                del target[key]
            else:
                target[key] = value
        doc["signatures"] = [block]
        return doc

    return mutate


SCHEMA_REJECTS: list[tuple[str, Callable[[Any], Any]]] = [
    ("top-array", lambda doc: [doc]),
    ("top-string", lambda doc: "x"),
    ("top-null", lambda doc: None),
    ("top-number", lambda doc: 1),
    ("empty-object", lambda doc: {}),
    ("unknown-key-only", lambda doc: {"unknown": "key"}),
    ("no-tag", _set(["tag"], DROP)),
    ("no-name", _set(["name"], DROP)),
    ("no-fsLayers", _set(["fsLayers"], DROP)),
    ("no-history", _set(["history"], DROP)),
    ("tag-int", _set(["tag"], 1)),
    ("tag-bool", _set(["tag"], True)),
    ("name-null", _set(["name"], None)),
    ("name-list", _set(["name"], ["a"])),
    ("fsLayers-object", _set(["fsLayers"], {})),
    ("fsLayers-null", _set(["fsLayers"], None)),
    ("fsLayers-item-string", _set(["fsLayers", 0], "sha256:ab")),
    ("blobSum-missing", _set(["fsLayers", 0, "blobSum"], DROP)),
    ("blobSum-int", _set(["fsLayers", 1, "blobSum"], 1)),
    ("blobSum-null", _set(["fsLayers", 0, "blobSum"], None)),
    ("history-string", _set(["history"], "x")),
    ("history-item-list", _set(["history", 0], [])),
    ("v1Compatibility-missing", _set(["history", 1, "v1Compatibility"], DROP)),
    ("v1Compatibility-object", _set(["history", 0, "v1Compatibility"], {})),
    ("signatures-null", _set(["signatures"], None)),
    ("signatures-object", _set(["signatures"], {})),
    ("signatures-number", _set(["signatures"], 1)),
    ("signatures-string", _set(["signatures"], "x")),
    ("signature-item-string", _set(["signatures"], ["x"])),
    ("signature-item-null", _set(["signatures"], [None])),
    ("protected-missing", _with_sig(protected=DROP)),
    ("protected-int", _with_sig(protected=1)),
    ("signature-missing", _with_sig(signature=DROP)),
    ("signature-null", _with_sig(signature=None)),
    ("header-missing", _with_sig(header=DROP)),
    ("header-list", _with_sig(header=[])),
    ("alg-missing", _with_sig(header_alg=DROP)),
    ("alg-int", _with_sig(header_alg=256)),
    ("alg-null", _with_sig(header_alg=None)),
    ("jwk-missing", _with_sig(header_jwk=DROP)),
    ("jwk-string", _with_sig(header_jwk="x")),
    ("jwk-list", _with_sig(header_jwk=[])),
]


@pytest.mark.parametrize(
    "mutate", [m for _, m in SCHEMA_REJECTS], ids=[name for name, _ in SCHEMA_REJECTS]
)
@pytest.mark.parametrize("validate", [True, False])
def test_schema_rejects(mutate: Callable[[Any], Any], validate: bool) -> None:
    assert_malformed(to_bytes(mutate(make_doc())), validate, "does not match schema")


SCHEMA_ACCEPTS: list[tuple[str, Callable[[Any], Any]]] = [
    ("schemaVersion-2", _set(["schemaVersion"], 2)),
    ("schemaVersion-missing", _set(["schemaVersion"], DROP)),
    ("architecture-list", _set(["architecture"], [1])),
    ("extra-member", _set(["extra"], {"x": [1, 2]})),
    ("extra-fsLayer-member", _set(["fsLayers", 0, "urls"], 1)),
    ("extra-history-member", _set(["history", 0, "x"], None)),
    ("no-layers", lambda doc: {**doc, "fsLayers": [], "history": []}),
    ("nan", _set(["extra"], float("nan"))),
]


@pytest.mark.parametrize(
    "mutate", [m for _, m in SCHEMA_ACCEPTS], ids=[name for name, _ in SCHEMA_ACCEPTS]
)
def test_schema_accepts(mutate: Callable[[Any], Any]) -> None:
    data = to_bytes(mutate(make_doc()))
    assert B.parse_manifest(data, True)["digest"] == sha256(data)


def test_duplicate_keys_last_wins() -> None:
    data = to_bytes(make_doc())[:-2] + b',\n   "tag": "second"\n}'
    assert B.parse_manifest(data, True)["tag"] == "second"


@pytest.mark.parametrize("validate", [True, False])
def test_signatures_empty(validate: bool) -> None:
    data = to_bytes(make_doc(signatures=[]))
    assert_malformed(data, validate, "signatures is empty")


@pytest.mark.parametrize(("fs", "hist"), [(3, 2), (1, 2), (0, 1), (2, 0)])
@pytest.mark.parametrize("validate", [True, False])
def test_length_mismatch(fs: int, hist: int, validate: bool) -> None:
    doc = make_doc(3)
    doc["fsLayers"] = doc["fsLayers"][:fs]
    doc["history"] = doc["history"][:hist]
    assert_malformed(to_bytes(doc), validate, str(fs), str(hist), "fsLayers", "history")


# ---------------------------------------------------------------------------------------------
# Payload, formatLength and formatTail
# ---------------------------------------------------------------------------------------------


def test_signed_digest_is_payload_digest(keys: dict[str, Any]) -> None:
    doc = make_doc()
    data = sign_manifest(doc, [Sig("ES256", keys["p256"])])
    unsigned = to_bytes(doc)
    for validate in (True, False):
        parsed = B.parse_manifest(data, validate)
        assert parsed["digest"] == sha256(unsigned)
        assert isinstance(parsed["signatures"], list) and len(parsed["signatures"]) == 1
        assert parsed["signers"] == ([("ES256", libtrust_key_id(keys["p256"]))] if validate else [])


FORMAT_LENGTH_REJECTS: list[tuple[str, Any, str]] = [
    ("negative", -1, "out of range"),
    ("zero", 0, "out of range"),
    ("past-end", 10**6, "out of range"),
    ("huge", 10**40, "out of range"),
    ("string", "123", "must be an integer"),
    ("bool", True, "must be an integer"),
    ("null", None, "must be an integer"),
    ("fraction", 12.5, "must be an integer"),
    ("nan", float("nan"), "must be an integer"),
    ("infinity", float("inf"), "must be an integer"),
    ("list", [1], "must be an integer"),
    ("missing", DROP, "formatLength is missing"),
]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(v, f) for _, v, f in FORMAT_LENGTH_REJECTS],
    ids=[name for name, _, _ in FORMAT_LENGTH_REJECTS],
)
@pytest.mark.parametrize("validate", [True, False])
def test_format_length_rejects(
    keys: dict[str, Any], value: Any, fragment: str, validate: bool
) -> None:
    data = sign_manifest(make_doc(), [Sig("ES256", keys["p256"], {"formatLength": value})])
    assert_malformed(data, validate, "signature 0", "formatLength", fragment)


def test_format_length_integral_float_accepted(keys: dict[str, Any]) -> None:
    doc = make_doc()
    length = signed_payload(doc).rindex(b"\n}")
    data = sign_manifest(doc, [Sig("ES256", keys["p256"], {"formatLength": float(length)})])
    protected = b64u_decode(json.loads(data)["signatures"][0]["protected"])
    assert b'"formatLength": %d.0' % length in protected
    for validate in (True, False):
        assert B.parse_manifest(data, validate)["digest"] == sha256(to_bytes(doc))


@pytest.mark.parametrize("validate", [True, False])
def test_format_length_at_end_of_document(keys: dict[str, Any], validate: bool) -> None:
    """formatLength == len(data) is in range: the payload is the whole document + the tail."""
    doc = make_doc()
    length = len(sign_manifest(doc, [Sig("ES256", keys["p256"])]))
    for _ in range(5):  # the header's digits change the document's length: find the fixpoint
        data = sign_manifest(doc, [Sig("ES256", keys["p256"], {"formatLength": length})])
        if len(data) == length:
            break
        length = len(data)
    assert len(data) == length
    if validate:
        assert_invalid(data, "content outside the signed payload")
    else:
        assert B.parse_manifest(data, False)["digest"] == sha256(data + b"\n}")


FORMAT_TAIL_REJECTS: list[tuple[str, Any, str]] = [
    ("missing", DROP, "formatTail is missing"),
    ("int", 1, "formatTail is number"),
    ("null", None, "formatTail is null"),
    ("not-base64", "C n0", "formatTail"),
    ("standard-alphabet", "+/+/", "formatTail"),
    ("impossible-length", "Cn0AA", "formatTail"),
    ("bad-padding", "Cn0==", "formatTail"),
    ("padding-only", "=", "formatTail"),
]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(v, f) for _, v, f in FORMAT_TAIL_REJECTS],
    ids=[name for name, _, _ in FORMAT_TAIL_REJECTS],
)
@pytest.mark.parametrize("validate", [True, False])
def test_format_tail_rejects(
    keys: dict[str, Any], value: Any, fragment: str, validate: bool
) -> None:
    data = sign_manifest(make_doc(), [Sig("ES256", keys["p256"], {"formatTail": value})])
    assert_malformed(data, validate, "signature 0", fragment)


def test_format_tail_padded_accepted(keys: dict[str, Any]) -> None:
    doc = make_doc()
    data = sign_manifest(doc, [Sig("ES256", keys["p256"], {"formatTail": "Cn0="})])
    assert B.parse_manifest(data, True)["digest"] == sha256(to_bytes(doc))


PROTECTED_REJECTS: list[tuple[str, str, str]] = [
    ("not-base64", "@@@@", "protected header"),
    ("standard-alphabet", "e30+", "protected header"),
    ("impossible-length", "e30AA", "protected header"),
    ("wrong-padding", "e30==", "protected header"),
    ("not-json", b64u(b"not json"), "not JSON"),
    ("invalid-utf8", b64u(b'{"formatLength": "\xff"}'), "not JSON"),
    ("json-array", b64u(b"[1, 2]"), "not an object"),
    ("json-string", b64u(b'"x"'), "not an object"),
    ("empty", "", "not JSON"),
    ("too-deep", b64u(b'{"a":' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}"), "nesting"),
]


@pytest.mark.parametrize(
    ("protected", "fragment"),
    [(p, f) for _, p, f in PROTECTED_REJECTS],
    ids=[name for name, _, _ in PROTECTED_REJECTS],
)
@pytest.mark.parametrize("validate", [True, False])
def test_protected_rejects(
    keys: dict[str, Any], protected: str, fragment: str, validate: bool
) -> None:
    data = sign_manifest(make_doc(), [Sig("ES256", keys["p256"], raw_protected=protected)])
    assert_malformed(data, validate, "signature 0", fragment)


def test_protected_padded_accepted(keys: dict[str, Any]) -> None:
    doc = make_doc()
    length = signed_payload(doc).rindex(b"\n}")
    for extra in ("", "a", "ab"):
        header = json.dumps({"formatLength": length, "formatTail": "Cn0", "x": extra}).encode()
        padded = base64.urlsafe_b64encode(header).decode()
        if padded.endswith("="):
            break
    assert padded.endswith("=")
    data = sign_manifest(doc, [Sig("ES256", keys["p256"], raw_protected=padded)])
    assert B.parse_manifest(data, True)["digest"] == sha256(to_bytes(doc))


# ---------------------------------------------------------------------------------------------
# Several signatures
# ---------------------------------------------------------------------------------------------


def test_two_signatures_verify(keys: dict[str, Any]) -> None:
    doc = make_doc()
    data = sign_manifest(doc, [Sig("RS256", keys["rsa"]), Sig("EdDSA", keys["ed25519"])])
    parsed = B.parse_manifest(data, True)
    assert parsed["signers"] == [
        ("RS256", libtrust_key_id(keys["rsa"])),
        ("EdDSA", libtrust_key_id(keys["ed25519"])),
    ]
    assert parsed["digest"] == sha256(to_bytes(doc))


SECOND_SIGNATURE_PROBLEMS: list[tuple[str, dict[str, Any], str | None, str]] = [
    ("length-differs", {"formatLength": 100}, None, "differ from signature 0"),
    ("tail-differs", {"formatTail": b64u(b"\n}\n")}, None, "differ from signature 0"),
    ("length-negative", {"formatLength": -1}, None, "out of range"),
    ("length-missing", {"formatLength": DROP}, None, "formatLength is missing"),
    ("length-string", {"formatLength": "1"}, None, "must be an integer"),
    ("tail-missing", {"formatTail": DROP}, None, "formatTail is missing"),
    ("protected-not-base64", {}, "@@@@", "protected header"),
    ("protected-not-json", {}, b64u(b"{"), "not JSON"),
]


@pytest.mark.parametrize(
    ("overrides", "raw", "fragment"),
    [(o, r, f) for _, o, r, f in SECOND_SIGNATURE_PROBLEMS],
    ids=[name for name, _, _, _ in SECOND_SIGNATURE_PROBLEMS],
)
def test_second_signature_header_problems(
    keys: dict[str, Any], overrides: dict[str, Any], raw: str | None, fragment: str
) -> None:
    doc = make_doc()
    data = sign_manifest(
        doc, [Sig("ES256", keys["p256"]), Sig("ES384", keys["p384"], overrides, raw)]
    )
    assert_invalid(data, "signature 1", fragment)
    # Without validation only signatures[0] counts.
    assert B.parse_manifest(data, False)["digest"] == sha256(to_bytes(doc))


def test_float_and_int_format_length_agree(keys: dict[str, Any]) -> None:
    doc = make_doc()
    length = signed_payload(doc).rindex(b"\n}")
    data = sign_manifest(
        doc,
        [Sig("ES256", keys["p256"]), Sig("ES256", keys["p256"], {"formatLength": float(length)})],
    )
    assert len(B.parse_manifest(data, True)["signers"]) == 2


def test_second_signature_bad_verification(keys: dict[str, Any]) -> None:
    data = sign_manifest(
        make_doc(), [Sig("ES256", keys["p256"]), Sig("ES256", keys["p256"], signature="A" * 86)]
    )
    assert_invalid(data, "signature 1", "does not verify")


# ---------------------------------------------------------------------------------------------
# Every algorithm end to end
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("alg", "key_name"), ALG_KEYS)
def test_every_alg_verifies(keys: dict[str, Any], alg: str, key_name: str) -> None:
    doc = make_doc(3)
    key = keys[key_name]
    data = sign_manifest(doc, [Sig(alg, key)])
    parsed = B.parse_manifest(data, True)
    assert parsed["signers"] == [(alg, libtrust_key_id(key))]
    assert parsed["digest"] == sha256(to_bytes(doc))
    kid = parsed["signers"][0][1]
    assert len(kid) == 59 and kid.count(":") == 11


@pytest.mark.parametrize(("alg", "key_name"), ALG_KEYS)
def test_every_alg_rejects_tampering(keys: dict[str, Any], alg: str, key_name: str) -> None:
    key = keys[key_name]
    data = sign_manifest(make_doc(3), [Sig(alg, key)])
    # One byte of the signed payload changed (inside a string, so still JSON).
    tampered = data.replace(b'"latest"', b'"lateSt"', 1)
    assert tampered != data
    assert_invalid(
        tampered, "signature 0", f"({alg}, key {libtrust_key_id(key)})", "does not verify"
    )
    # The signature itself changed.
    parsed = json.loads(data)
    sig = parsed["signatures"][0]["signature"]
    flipped = sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]
    assert_invalid(data.replace(sig.encode(), flipped.encode()), "does not verify")


def test_shared_test_rsa_key_id(keys: dict[str, Any]) -> None:
    if not TEST_RSA_KEY.exists():
        pytest.skip("../shared not present")
    jwk = json.loads(TEST_RSA_KEY.read_text())

    def num(name: str) -> int:
        return int.from_bytes(b64u_decode(jwk[name]), "big")

    public = rsa.RSAPublicNumbers(num("e"), num("n"))
    private = rsa.RSAPrivateNumbers(
        num("p"), num("q"), num("d"), num("dp"), num("dq"), num("qi"), public
    ).private_key()
    data = sign_manifest(make_doc(), [Sig("RS256", private)])
    assert B.parse_manifest(data, True)["signers"] == [("RS256", TEST_RSA_KEY_ID)]


# ---------------------------------------------------------------------------------------------
# alg, crit, keys, signature values
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header_alg", "fragment"),
    [
        ("none", "alg none is not allowed"),
        ("None", "alg none is not allowed"),
        ("NONE", "alg none is not allowed"),
        ("HS256", "HMAC"),
        ("HS512", "HMAC"),
        ("HSfoo", "HMAC"),
        ("RS1", "unsupported alg"),
        ("ES256K", "unsupported alg"),
        ("es256", "unsupported alg"),
        ("Ed25519", "unsupported alg"),
        ("", "unsupported alg"),
    ],
)
def test_alg_rejects(keys: dict[str, Any], header_alg: str, fragment: str) -> None:
    doc = make_doc()
    data = sign_manifest(doc, [Sig("ES256", keys["p256"], header_alg=header_alg)])
    assert_invalid(data, "signature 0", fragment)
    # No verification without validate.
    assert B.parse_manifest(data, False)["digest"] == sha256(to_bytes(doc))


def test_alg_none_with_equals_signature_rejected(keys: dict[str, Any]) -> None:
    data = sign_manifest(make_doc(), [Sig("ES256", keys["p256"], header_alg="none", signature="=")])
    assert_invalid(data, "alg none")


@pytest.mark.parametrize(
    ("protected", "fragment"),
    [
        ({"alg": "ES384"}, "differs from header alg"),
        ({"alg": "none"}, "differs from header alg"),
        ({"alg": None}, "differs from header alg"),
        ({"crit": ["exp"]}, "crit header is not supported"),
        ({"crit": []}, "crit header is not supported"),
    ],
)
def test_protected_header_alg_and_crit(
    keys: dict[str, Any], protected: dict[str, Any], fragment: str
) -> None:
    data = sign_manifest(make_doc(), [Sig("ES256", keys["p256"], protected)])
    assert_invalid(data, "signature 0", fragment)


def test_protected_header_same_alg_accepted(keys: dict[str, Any]) -> None:
    data = sign_manifest(make_doc(), [Sig("PS384", keys["rsa"], {"alg": "PS384"})])
    assert B.parse_manifest(data, True)["signers"][0][0] == "PS384"


@pytest.mark.parametrize(
    ("alg", "key_name"),
    [
        ("RS256", "p256"),
        ("PS256", "ed25519"),
        ("ES256", "rsa"),
        ("ES256", "p384"),
        ("ES384", "p256"),
        ("ES512", "p384"),
        ("ES256", "ed25519"),
        ("EdDSA", "rsa"),
        ("EdDSA", "p256"),
    ],
)
def test_alg_must_fit_key(keys: dict[str, Any], alg: str, key_name: str) -> None:
    key = keys[key_name]
    # Signed with the key's own scheme; the header names another alg.
    own_alg = {"rsa": "RS256", "p256": "ES256", "p384": "ES384", "ed25519": "EdDSA"}[key_name]
    data = sign_manifest(make_doc(), [Sig(own_alg, key, header_alg=alg)])
    assert_invalid(data, "signature 0", "does not fit the key", alg)


def _jwk_case(key_name: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    return (key_name, change)


def _replace(**members: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(jwk: dict[str, Any]) -> dict[str, Any]:
        jwk = dict(jwk)
        for name, value in members.items():
            if value is DROP:
                jwk.pop(name, None)
            else:
                jwk[name] = value
        return jwk

    return change


def _bump_y(jwk: dict[str, Any]) -> dict[str, Any]:
    y = int.from_bytes(b64u_decode(jwk["y"]), "big")
    return {**jwk, "y": b64u_int(y + 1, 32)}


JWK_REJECTS: list[tuple[str, str, Callable[[dict[str, Any]], dict[str, Any]], str]] = [
    ("rsa-1024", "rsa1024", lambda jwk: jwk, "RSA key under 2048 bits"),
    ("kty-missing", "p256", _replace(kty=DROP), "kty"),
    ("kty-int", "p256", _replace(kty=1), "kty"),
    ("kty-oct", "p256", _replace(kty="oct"), "'oct'"),
    ("kty-lowercase", "p256", _replace(kty="ec"), "'ec'"),
    ("ec-crv-missing", "p256", _replace(crv=DROP), "crv"),
    ("ec-crv-p192", "p256", _replace(crv="P-192"), "P-192"),
    ("ec-crv-int", "p256", _replace(crv=256), "crv"),
    ("ec-x-missing", "p256", _replace(x=DROP), "'x'"),
    ("ec-x-int", "p256", _replace(x=1), "'x'"),
    ("ec-x-not-base64", "p256", _replace(x="!!"), "'x'"),
    ("ec-x-too-long", "p256", _replace(x=b64u(b"\x00" * 33)), "33 bytes"),
    ("ec-y-too-long", "p384", _replace(y=b64u(b"\x00" * 49)), "49 bytes"),
    ("ec-not-on-curve", "p256", _bump_y, "not a point"),
    ("ec-zero-point", "p256", _replace(x="", y=""), "not a point"),
    ("okp-ed448", "ed25519", _replace(crv="Ed448"), "Ed448"),
    ("okp-x25519", "ed25519", _replace(crv="X25519"), "X25519"),
    ("okp-x-short", "ed25519", _replace(x=b64u(b"\x01" * 31)), "31 bytes"),
    ("okp-x-missing", "ed25519", _replace(x=DROP), "'x'"),
    ("rsa-n-int", "rsa", _replace(n=12345), "'n'"),
    ("rsa-n-missing", "rsa", _replace(n=DROP), "'n'"),
    ("rsa-n-not-base64", "rsa", _replace(n="a+b/"), "'n'"),
    ("rsa-e-missing", "rsa", _replace(e=DROP), "'e'"),
    ("rsa-e-even", "rsa", _replace(e=b64u_int(65536)), "RSA"),
]


@pytest.mark.parametrize(
    ("key_name", "change", "fragment"),
    [(k, c, f) for _, k, c, f in JWK_REJECTS],
    ids=[name for name, _, _, _ in JWK_REJECTS],
)
def test_jwk_rejects(
    keys: dict[str, Any],
    key_name: str,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    fragment: str,
) -> None:
    key = keys[key_name]
    alg = {"rsa": "RS256", "rsa1024": "RS256", "p256": "ES256", "p384": "ES384"}.get(
        key_name, "EdDSA"
    )
    data = sign_manifest(make_doc(), [Sig(alg, key, jwk=change(public_jwk(key)))])
    assert_invalid(data, "signature 0", fragment)


def test_ec_short_coordinates_are_left_padded() -> None:
    for _ in range(5000):
        key = ec.generate_private_key(ec.SECP256R1())
        numbers = key.public_key().public_numbers()
        if numbers.x < 1 << 248 or numbers.y < 1 << 248:
            break
    else:  # pragma: no cover - probability ~1e-9
        pytest.skip("no key with a short coordinate found")
    jwk = {"kty": "EC", "crv": "P-256", "x": b64u_int(numbers.x), "y": b64u_int(numbers.y)}
    assert min(len(b64u_decode(jwk["x"])), len(b64u_decode(jwk["y"]))) < 32
    data = sign_manifest(make_doc(), [Sig("ES256", key, jwk=jwk)])
    assert B.parse_manifest(data, True)["signers"] == [("ES256", libtrust_key_id(key))]


def test_jwk_extra_members_ignored(keys: dict[str, Any]) -> None:
    jwk = {**public_jwk(keys["p256"]), "kid": "ABCD", "use": "sig", "d": 5}
    data = sign_manifest(make_doc(), [Sig("ES256", keys["p256"], jwk=jwk)])
    assert B.parse_manifest(data, True)["signers"] == [("ES256", libtrust_key_id(keys["p256"]))]


SIGNATURE_VALUE_REJECTS: list[tuple[str, str, str, str]] = [
    ("empty", "ES256", "", "empty"),
    ("padding-only", "ES256", "=", "signature value"),
    ("not-base64", "ES256", "!!!!", "signature value"),
    ("standard-alphabet", "ES256", "ab+/", "signature value"),
    ("impossible-length", "ES256", "A" * 85, "signature value"),
    ("bad-padding", "ES256", "A" * 86 + "=", "signature value"),
    ("es256-63-bytes", "ES256", b64u(b"\x01" * 63), "63 bytes, not 64"),
    ("es256-65-bytes", "ES256", b64u(b"\x01" * 65), "65 bytes, not 64"),
    ("es384-64-bytes", "ES384", b64u(b"\x01" * 64), "64 bytes, not 96"),
    ("es512-128-bytes", "ES512", b64u(b"\x01" * 128), "128 bytes, not 132"),
    ("es256-zeros", "ES256", b64u(b"\x00" * 64), "does not verify"),
    ("rs256-short", "RS256", b64u(b"\x01" * 10), "does not verify"),
    ("eddsa-short", "EdDSA", b64u(b"\x01" * 10), "does not verify"),
]


@pytest.mark.parametrize(
    ("alg", "signature", "fragment"),
    [(a, s, f) for _, a, s, f in SIGNATURE_VALUE_REJECTS],
    ids=[name for name, _, _, _ in SIGNATURE_VALUE_REJECTS],
)
def test_signature_value_rejects(
    keys: dict[str, Any], alg: str, signature: str, fragment: str
) -> None:
    key = keys[dict(ALG_KEYS)[alg]]
    data = sign_manifest(make_doc(), [Sig(alg, key, signature=signature)])
    assert_invalid(data, "signature 0", fragment)


def test_padded_signature_value_accepted(keys: dict[str, Any]) -> None:
    """ES256 signatures are 64 bytes: base64url needs one '=' when padded."""
    doc = make_doc()
    probe = sign_manifest(doc, [Sig("ES256", keys["p256"])])
    sig = json.loads(probe)["signatures"][0]["signature"]
    assert len(sig) == 86
    data = probe.replace(sig.encode(), sig.encode() + b"==")
    assert B.parse_manifest(data, True)["signers"][0][0] == "ES256"


# ---------------------------------------------------------------------------------------------
# The signed region (DESIGN 6.3) and the encoding
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"after_head": b',\n   "extra": 1'}, "signatures"),
        ({"after_head": b',\n   "tag": "evil"'}, "signatures"),
        ({"after_signatures": b',\n   "name": "evil"'}, "follows the signatures member"),
        ({"after_signatures": b',\n   "extra": {"a": 1}'}, "follows the signatures member"),
        ({"tail": b"\n}\n]"}, "formatTail is not a closing brace"),
        ({"tail": b"\n"}, "formatTail is not a closing brace"),
        ({"tail": b"}}"}, "formatTail is not a closing brace"),
        ({"tail": b"\xff}"}, "formatTail"),
    ],
    ids=[
        "member-before",
        "tag-before",
        "name-after",
        "extra-after",
        "tail-bracket",
        "tail-no-brace",
        "tail-two-braces",
        "tail-not-utf8",
    ],
)
def test_content_outside_signed_payload(
    keys: dict[str, Any], kwargs: dict[str, Any], fragment: str
) -> None:
    data = sign_manifest(make_doc(), [Sig("ES256", keys["p256"])], **kwargs)
    assert_invalid(data, "content outside the signed payload", fragment)
    # Not checked without validation; the digest is that of the signed payload.
    tail = kwargs.get("tail", b"\n}")
    assert B.parse_manifest(data, False)["digest"] == sha256(signed_payload(make_doc(), tail=tail))


@pytest.mark.parametrize(
    "tail", [b"\n}", b"}", b"\n}\n", b" \t\r\n}\r\n\t "], ids=["nl", "brace", "nl-nl", "ws"]
)
def test_whitespace_tails_accepted(keys: dict[str, Any], tail: bytes) -> None:
    doc = make_doc()
    data = sign_manifest(doc, [Sig("ES256", keys["p256"])], tail=tail)
    assert B.parse_manifest(data, True)["digest"] == sha256(signed_payload(doc, tail=tail))


def test_whitespace_outside_signed_head_may_change(keys: dict[str, Any]) -> None:
    doc = make_doc()
    data = sign_manifest(doc, [Sig("ES256", keys["p256"])])
    length = signed_payload(doc).rindex(b"\n}")
    rest = data[length:]
    compact = json.dumps(json.loads(b"{" + rest[rest.index(b'"signatures"') : -1] + b"}"))
    changed = data[:length] + b" \n\t," + compact[1:-1].encode() + b"\r\n }\n\n"
    assert B.parse_manifest(changed, True)["digest"] == sha256(to_bytes(doc))


def test_signatures_member_inside_signed_head(keys: dict[str, Any]) -> None:
    doc = make_doc(signatures="placeholder")
    data = sign_manifest(doc, [Sig("ES256", keys["p256"])])
    assert B.parse_manifest(data, False)["signatures"] != "placeholder"
    assert_invalid(data, "signed payload has a signatures member")


@pytest.mark.parametrize("delta", [-2, -10, -200])
def test_format_length_inside_the_head(keys: dict[str, Any], delta: int) -> None:
    """The document was re-indented after signing: formatLength no longer ends the head."""
    doc = make_doc()
    length = signed_payload(doc).rindex(b"\n}") + delta
    data = sign_manifest(doc, [Sig("ES256", keys["p256"], {"formatLength": length})])
    assert_invalid(data, "content outside the signed payload")
    expected = sha256(data[:length] + b"\n}")
    assert B.parse_manifest(data, False)["digest"] == expected


def test_format_length_inside_a_utf8_character(keys: dict[str, Any]) -> None:
    doc = make_doc(last="é")
    text = json.dumps(doc, indent=3, ensure_ascii=False).encode()
    length = text.index("é".encode()) + 1
    data = sign_manifest(
        doc, [Sig("ES256", keys["p256"], {"formatLength": length})], ensure_ascii=False
    )
    assert_invalid(data, "content outside the signed payload")
    assert B.parse_manifest(data, False)["digest"] == sha256(data[:length] + b"\n}")


def test_raw_utf8_signed_manifest_verifies(keys: dict[str, Any]) -> None:
    doc = make_doc(author="Sômé guy 😱")
    data = sign_manifest(doc, [Sig("ES256", keys["p256"])], ensure_ascii=False)
    assert "😱".encode() in data
    expected = json.dumps(doc, indent=3, ensure_ascii=False).encode()
    assert B.parse_manifest(data, True)["digest"] == sha256(expected)


def test_bom_inside_signed_payload_verifies(keys: dict[str, Any]) -> None:
    doc = make_doc()
    bom = b"\xef\xbb\xbf"
    data = sign_manifest(doc, [Sig("ES256", keys["p256"])], prefix=bom)
    assert data.startswith(bom)
    assert B.parse_manifest(data, True)["digest"] == sha256(signed_payload(doc, prefix=bom))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32"])
def test_signed_manifests_must_be_utf8(keys: dict[str, Any], encoding: str) -> None:
    data = sign_manifest(make_doc(), [Sig("ES256", keys["p256"])])
    recoded = data.decode("utf-8").encode(encoding)
    assert_invalid(recoded, "signed manifests must be UTF-8")
    B.parse_manifest(recoded, False)  # formatLength still in range: only the digest is odd


# ---------------------------------------------------------------------------------------------
# Public vectors
# ---------------------------------------------------------------------------------------------

VERIFYING_VECTORS = [
    ("moby-good_manifest.json", MOBY_GOOD_DIGEST),
    (
        "quay-validated_manifest.json",
        "sha256:b5dc4f63fdbd64f34f2314c0747ef81008f9fcddce4edfc3fd0e8ec8b358d571",
    ),
    (
        "containers-image-oci1-to-schema1.json",
        "sha256:6feeaff9d4420e29f96881eb712e8762c28615666340222c8e054259f9bc87d4",
    ),
    (
        "containers-image-schema1-for-oci-config.json",
        "sha256:163ac025575b775d1c0f9bf0bdd0f086883171eb475b5068e7defa4ca9e76516",
    ),
    (
        "containers-image-schema1.json",
        "sha256:5a26403ca5f91c7f04300e397efc83960afbfe2d2b34314383a53e267a604455",
    ),
    (
        "quay-conversion-complex.schema1.json",
        "sha256:9ac47329525a9d6af983484c81972d32ef5ab9e6466cf57afd511620e84ffc01",
    ),
    (
        "quay-manifest_unencoded_unicode.json",
        "sha256:5d8a0f34744a39bf566ba430251adc0cc86587f86aed3ac2acfb897f349777bc",
    ),
    (
        "quay-manifest_unicode_row.json_data.json",
        "sha256:dde3714ce7e23edc6413aa85c0b42792e4f2f79e9ea36afc154d63ff3d04e86c",
    ),
    (
        "quay-validate_manifest_known_issue.json",
        "sha256:44518f5a4d1cb5b7a6347763116fb6e10f6a8563b6c40bb389a0a982f0a9f47a",
    ),
    (
        "quay-validated_manifest_with_unicode.json",
        "sha256:815ecf45716a96b19d54d911e6ace91f78bab26ca0dd299645d9995dacd9f1ef",
    ),
]


@pytest.mark.parametrize(
    ("name", "digest"), VERIFYING_VECTORS, ids=[n for n, _ in VERIFYING_VECTORS]
)
def test_public_vectors_verify(name: str, digest: str) -> None:
    data = shared_file(name)
    parsed = B.parse_manifest(data, True)
    assert parsed["digest"] == digest
    assert [alg for alg, _ in parsed["signers"]] == ["ES256"]
    # The kid libtrust wrote into the header is the key id of the key.
    assert parsed["signers"][0][1] == json.loads(data)["signatures"][0]["header"]["jwk"]["kid"]
    assert B.parse_manifest(data, False)["digest"] == digest


def test_moby_good_signer() -> None:
    parsed = B.parse_manifest(shared_file("moby-good_manifest.json"), True)
    assert parsed["signers"] == [
        ("ES256", "OIH7:HQFS:44FK:45VB:3B53:OIAG:TPL4:ATF5:6PNE:MGHN:NHQX:2GE4")
    ]
    assert parsed["name"] == "library/hello-world"
    assert len(parsed["history"]) == 2


def test_moby_extra_data_rejected_but_digest_kept() -> None:
    data = shared_file("moby-extra_data_manifest.json")
    assert_invalid(data, "content outside the signed payload")
    assert B.parse_manifest(data, False)["digest"] == MOBY_GOOD_DIGEST


@pytest.mark.parametrize(
    ("name", "fragment", "digest"),
    [
        (
            "containers-image-v2s1.manifest.json",
            "does not verify",
            "sha256:7364fea9d84ee548ab67d4c46c6006289800c98de3fbf8c0a97138dfcc23f000",
        ),
        (
            "moby-bad_manifest.json",
            "does not verify",
            "sha256:4e99582254b60272e49b2fd1f01e834a038a575eb542e46fba0662f1e74b3927",
        ),
        (
            "quay-conversion-simple.schema1.json",
            "content outside the signed payload",
            "sha256:7681597aae6e385f5a087a9224c2f0292898ade04ec00c29b43748e5868d44ae",
        ),
        (
            "containers-image-schema2-to-schema1-by-docker.json",
            "content outside",
            "sha256:c8a08b90c4899c341695c8b52733faace453cda3c20b2f9ad2c4390eac8eaee4",
        ),
    ],
)
def test_public_vectors_failing_verification(name: str, fragment: str, digest: str) -> None:
    data = shared_file(name)
    assert_invalid(data, fragment)
    assert B.parse_manifest(data, False)["digest"] == digest


@pytest.mark.parametrize(
    "name",
    [
        "containers-image-v2s1-invalid-signatures.manifest.json",
        "skopeo-v2s1-invalid-signatures.manifest.json",
        "distribution-spec-manifest-v2-1-example.json",
        "quay-manifest_unicode_row.json",
    ],
)
@pytest.mark.parametrize("validate", [True, False])
def test_public_vectors_malformed(name: str, validate: bool) -> None:
    assert_malformed(shared_file(name), validate)


# ---------------------------------------------------------------------------------------------
# No foreign exception escapes
# ---------------------------------------------------------------------------------------------


def test_mutations_raise_only_our_classes(signed_es256: bytes) -> None:
    rng = random.Random(1234)
    data = signed_es256
    for _ in range(400):
        mutated = bytearray(data)
        operation = rng.randrange(4)
        position = rng.randrange(len(mutated))
        if operation == 0:
            mutated[position] = rng.randrange(256)
        elif operation == 1:
            del mutated[position:]
        elif operation == 2:
            mutated.insert(position, rng.choice(b'{}[]",:0e-\\ \n\x00\xff'))
        else:
            del mutated[position : position + rng.randrange(1, 40)]
        for validate in (True, False):
            try:
                parsed = B.parse_manifest(bytes(mutated), validate)
            except ManifestException as exc:
                assert type(exc) in (MalformedSchema1Manifest, InvalidSchema1Signature)
                continue
            try:
                parsed["history"].fields(False)
            except ManifestException as exc:
                assert type(exc) is MalformedSchema1Manifest


# ---------------------------------------------------------------------------------------------
# manifest_value
# ---------------------------------------------------------------------------------------------


def test_manifest_value() -> None:
    data = to_bytes(make_doc())
    assert B.manifest_value(data) == json.loads(data)
    with pytest.raises(MalformedSchema1Manifest):
        B.manifest_value(b"{")
    with pytest.raises(MalformedSchema1Manifest):
        B.manifest_value(b"[" * 100000)


# ---------------------------------------------------------------------------------------------
# layers
# ---------------------------------------------------------------------------------------------

GOOD_BLOB = "sha256:" + "ab" * 32


def one_layer(v1: str, blob: str = GOOD_BLOB, allow_missing_ids: bool = False) -> Any:
    (layer,) = B.layers([blob], [v1], allow_missing_ids)
    return layer


def test_layers_full_tuple_base_first() -> None:
    leaf = {
        "id": "leaf",
        "parent": "base",
        "created": "2018-01-01T00:00:00Z",
        "comment": "c",
        "author": {"not": "a string"},
        "container_config": {"Cmd": ["/bin/sh", "-c", "a<b"]},
        "config": {"Labels": {"k": "v"}},
        "Size": 12.5,
    }
    base = {"id": "base", "Size": 3}
    result = B.layers(["sha256:01", "sha256:02"], [json.dumps(leaf), json.dumps(base)], False)
    assert result == [
        ("sha256:02", "base", None, None, None, None, None, {}, 3),
        (
            "sha256:01",
            "leaf",
            "base",
            "2018-01-01T00:00:00Z",
            "c",
            '["/bin/sh","-c","a<b"]',
            {"not": "a string"},
            {"k": "v"},
            12.5,
        ),
    ]
    assert type(result[0][8]) is int and type(result[1][8]) is float
    assert B.layers([], [], False) == []


@pytest.mark.parametrize(
    "blob",
    [
        "sha256",
        "sha256:",
        ":abc",
        "sha256:xyz",
        "sha256:abc\n",
        "sha256:abc\r\n",
        "\nsha256:abc",
        " sha256:abc",
        "sha256:abc ",
        "sha256 :abc",
        "a:b:c",
        "sha256:ab:cd",
        "sha/256:ab",
        "sha256:ａｂ",
        "sha256:١٢",
        "shä256:ab",
        "",
    ],
)
def test_layers_rule1_bad_digest(blob: str) -> None:
    with pytest.raises(MalformedSchema1Manifest) as info:
        one_layer('{"id": "x"}', blob)
    assert "layer 0" in str(info.value) and "could not parse manifest digest" in str(info.value)


@pytest.mark.parametrize(
    "blob", ["sha256:abcde", "SHA256:FF", "tarsum.v1+sha256:ab", "a_b-c.d+e:0", "x:F"]
)
def test_layers_rule1_good_digest(blob: str) -> None:
    assert one_layer('{"id": "x"}', blob)[0] == blob


@pytest.mark.parametrize(
    "v1",
    [
        "",
        "{",
        "not json",
        '{"id": "x"} extra',
        "\ufeff{}",
        '{"id": 1' + "1" * 5000 + "}",
        "[" * 100000,
        '{"id": "x", "a": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}",
    ],
    ids=["empty", "truncated", "text", "trailing", "bom", "int-digits", "deep", "depth-513"],
)
def test_layers_rule2_bad_json(v1: str) -> None:
    with pytest.raises(MalformedSchema1Manifest) as info:
        one_layer(v1)
    assert "layer 0" in str(info.value) and "Could not parse metadata string" in str(info.value)


def test_layers_rule2_depth_512_ok() -> None:
    depth = MAX_DEPTH - 1
    v1 = '{"id": "x", "a": ' + "[" * depth + "]" * depth + "}"
    assert one_layer(v1)[1] == "x"


@pytest.mark.parametrize("v1", ["null", "false", "0", "0.0", "-0.0", '""', "[]", "{}"])
def test_layers_rule3_falsy_counts_as_empty(v1: str) -> None:
    assert one_layer(v1, allow_missing_ids=True) == (
        GOOD_BLOB,
        None,
        None,
        None,
        None,
        None,
        None,
        {},
        None,
    )
    with pytest.raises(MalformedSchema1Manifest, match="id field missing"):
        one_layer(v1)


@pytest.mark.parametrize("v1", ["[1]", "1", "true", '"x"', "NaN", "-Infinity", "[{}]"])
@pytest.mark.parametrize("allow_missing_ids", [True, False])
def test_layers_rule3_truthy_non_object(v1: str, allow_missing_ids: bool) -> None:
    with pytest.raises(MalformedSchema1Manifest) as info:
        one_layer(v1, allow_missing_ids=allow_missing_ids)
    assert "layer 0" in str(info.value) and "not a JSON object" in str(info.value)


@pytest.mark.parametrize("cc", ["null", "[]", "0", '""', "{}", "false"])
def test_layers_rule4_falsy_container_config(cc: str) -> None:
    assert one_layer('{"id": "x", "container_config": ' + cc + "}")[5] is None


@pytest.mark.parametrize("cc", ["[1]", '"x"', "1", "true", "NaN"])
def test_layers_rule4_truthy_non_object_container_config(cc: str) -> None:
    with pytest.raises(MalformedSchema1Manifest) as info:
        one_layer('{"id": "x", "container_config": ' + cc + "}")
    assert "layer 0" in str(info.value) and "container_config" in str(info.value)


@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("null", None),
        ('""', None),
        ("[]", None),
        ("0", None),
        ("false", None),
        ("{}", None),
        ('["/bin/sh", "-c", "echo <a> & b"]', '["/bin/sh","-c","echo <a> & b"]'),
        ('"echo <a> & b"', '"echo \\u003ca\\u003e \\u0026 b"'),
        ('{"b": 1, "a": "é"}', '{"a":"\\u00e9","b":1}'),
        ('["😱"]', '["\\ud83d\\ude31"]'),
        ("1.0", "1.0"),
        ("1e400", "Infinity"),
        ("true", "true"),
    ],
)
def test_layers_rule5_command(cmd: str, expected: str | None) -> None:
    assert one_layer('{"id": "x", "container_config": {"Cmd": ' + cmd + "}}")[5] == expected


def test_layers_rule5_missing_cmd() -> None:
    assert one_layer('{"id": "x", "container_config": {"Image": "y"}}')[5] is None


def test_layers_rule6_id() -> None:
    assert one_layer('{"id": null}')[1] is None
    assert one_layer('{"parent": "p"}', allow_missing_ids=True)[1:3] == (None, "p")
    with pytest.raises(MalformedSchema1Manifest) as info:
        one_layer('{"parent": "p"}')
    assert "layer 0" in str(info.value)
    assert "id field missing from v1Compatibility JSON" in str(info.value)


@pytest.mark.parametrize(
    ("config", "labels"),
    [
        (None, {}),
        ("{}", {}),
        ('{"Labels": null}', {}),
        ('{"Labels": {}}', {}),
        ('{"Labels": ""}', {}),
        ('{"Labels": []}', {}),
        ('{"Labels": {"a": "b"}}', {"a": "b"}),
        ('{"Labels": [1]}', [1]),
        ('{"Labels": "x"}', "x"),
    ],
)
def test_layers_rule7_labels(config: str | None, labels: Any) -> None:
    v1 = '{"id": "x"}' if config is None else '{"id": "x", "config": ' + config + "}"
    assert one_layer(v1)[7] == labels


@pytest.mark.parametrize("config", ["null", "[]", "[1]", '""', '"x"', "0", "1", "false"])
def test_layers_rule7_config_not_object(config: str) -> None:
    with pytest.raises(MalformedSchema1Manifest) as info:
        one_layer('{"id": "x", "config": ' + config + "}", allow_missing_ids=True)
    assert "layer 0" in str(info.value) and "config is not an object" in str(info.value)


def test_layers_rule8_raw_values() -> None:
    v1 = json.dumps(
        {
            "id": "5",
            "parent": None,
            "created": 1.5,
            "comment": None,
            "author": True,
            "Size": "12",
        }
    )
    assert one_layer(v1) == (GOOD_BLOB, "5", None, 1.5, None, None, True, {}, "12")
    layer = one_layer('{"id": "x", "Size": NaN, "created": "\\ud800"}')
    assert layer[3] == "\ud800"
    assert layer[8] != layer[8]  # NaN


@pytest.mark.parametrize(
    ("v1", "fragment"),
    [
        # 4 before 6: a bad container_config is reported before the missing id.
        ('{"container_config": [1]}', "container_config"),
        # 6 before 7: the missing id is reported before a bad config.
        ('{"config": null}', "id field missing"),
        # 3 before 6.
        ("[1]", "not a JSON object"),
    ],
)
def test_layers_rule_order(v1: str, fragment: str) -> None:
    with pytest.raises(MalformedSchema1Manifest, match=fragment):
        one_layer(v1)


def test_layers_rule_order_digest_first() -> None:
    with pytest.raises(MalformedSchema1Manifest, match="could not parse manifest digest"):
        one_layer("not json", blob="bad")


def test_layers_error_names_base_most_bad_layer() -> None:
    blobs = ["sha256:00", "bad0", "sha256:02", "bad2", "sha256:04"]
    v1 = [json.dumps({"id": str(i)}) for i in range(5)]
    with pytest.raises(MalformedSchema1Manifest, match="layer 3: could not parse"):
        B.layers(blobs, v1, False)
    v1[4] = "[1]"
    with pytest.raises(MalformedSchema1Manifest, match="layer 4: "):
        B.layers(blobs, v1, False)


def test_layers_length_mismatch() -> None:
    with pytest.raises(MalformedSchema1Manifest):
        B.layers(["sha256:00"], [], False)


def test_layers_of_parsed_public_vector() -> None:
    parsed = B.parse_manifest(shared_file("moby-good_manifest.json"), True)
    history = parsed["history"]
    result = B.layers(history.blob_sums(), history.v1_compat(), False)
    assert result == history.fields(False)
    assert [layer[0] for layer in result] == list(reversed(history.blob_sums()))
    assert result[1][2] == result[0][1]  # the leaf's parent is the base
    assert result[1][5] == '["/bin/sh","-c","#(nop) CMD [\\"/hello\\"]"]'
    assert result[0][8] == 960


# ---------------------------------------------------------------------------------------------
# canonical_json
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ensure_ascii", "expected"),
    [
        ("<a & b>", True, '"\\u003ca \\u0026 b\\u003e"'),
        ("<é>", False, '"\\u003cé\\u003e"'),
        ("<é>", True, '"\\u003c\\u00e9\\u003e"'),
        (["<a & b>"], True, '["<a & b>"]'),
        ({"<k>": "<v>"}, True, '{"<k>":"<v>"}'),
        ({"b": 1, "a": [1.0, None, True]}, True, '{"a":[1.0,null,true],"b":1}'),
        ({"\uffff": 1, "\U0001f600": 2}, True, '{"\\uffff":1,"\\ud83d\\ude00":2}'),
        ({"\uffff": 1, "\U0001f600": 2}, False, '{"\uffff":1,"\U0001f600":2}'),
        ("\ud800", False, '"\ud800"'),
        ("\ud800", True, '"\\ud800"'),
        (float("nan"), True, "NaN"),
        (-0.0, True, "-0.0"),
        (1e16, True, "1e+16"),
        (10**30, True, "1" + "0" * 30),
        ("a/b\x7f\x01", True, '"a/b\\u007f\\u0001"'),
        ("a/b\x7f\x01", False, '"a/b\x7f\\u0001"'),
    ],
)
def test_canonical_json(value: Any, ensure_ascii: bool, expected: str) -> None:
    assert B.canonical_json(value, ensure_ascii) == expected


@pytest.mark.parametrize("value", [{1, 2}, b"x", object(), {(1, 2): 3}])
def test_canonical_json_lets_json_errors_through(value: Any) -> None:
    with pytest.raises(TypeError):
        B.canonical_json(value, True)


def test_canonical_json_circular_value() -> None:
    value: list[Any] = []
    value.append(value)
    with pytest.raises(ValueError):
        B.canonical_json(value, True)
