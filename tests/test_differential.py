"""Hypothesis: the Rust backend and the pure-Python reference agree on generated manifests
(unicode, odd floats, big ints, many layers, signed and unsigned) and on mutated bytes."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given
from hypothesis import strategies as st

from docker_schema1 import InvalidSchema1Signature, MalformedSchema1Manifest
from docker_schema1._backend import UNREAD, get
from docker_schema1.digest import Digest
from docker_schema1.types import Schema1Layer, Schema1V1Metadata

from . import signing
from .golden import encode, same

RUST, PURE = get("rust"), get("pure")
ERRORS = (MalformedSchema1Manifest, InvalidSchema1Signature)

texts = st.text(max_size=12) | st.sampled_from(["\ud800", "a\udfffb", "😱", "<&>", "\x00\x7f"])
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | texts
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
# Long comments: the core hands a long plain one to Python as a slice of the text's string.
long_texts = st.builds(
    lambda run, count, tail: run * count + tail,
    st.sampled_from(["a", "é", "\n", '"', "😱", "<"]) | st.characters(),
    st.integers(1000, 1300),
    texts,
)
v1_metadata = st.fixed_dictionaries(
    {"id": st.text(alphabet="0123456789abcdef", min_size=1, max_size=8)},
    optional={
        "parent": st.text(alphabet="0123456789abcdef", max_size=8) | st.none(),
        "created": st.sampled_from(["2018-01-01T00:00:00Z", "2019-01-08T19:13:20.674196-07:00"])
        | texts,
        "author": texts,
        "comment": values | long_texts,
        "Size": st.integers(0, 10**20) | st.floats(allow_nan=True),
        "container_config": st.none()
        | st.fixed_dictionaries({}, optional={"Cmd": values, "Image": texts}),
        "config": st.fixed_dictionaries({}, optional={"Labels": values}),
        "extra": values,
    },
)
digests = st.sampled_from(
    ["sha256:" + "ab" * 32, "sha256:abcde", "SHA256:FF", "tarsum.v1+sha256:0"]
)


@st.composite
def documents(draw: Callable[..., Any]) -> bytes:
    layers = draw(st.lists(v1_metadata, max_size=6))
    doc: dict[str, Any] = {
        "tag": draw(texts),
        "name": draw(texts),
        "architecture": draw(values),
        "schemaVersion": 1,
        "history": [
            {"v1Compatibility": json.dumps(v1, ensure_ascii=draw(st.booleans()))} for v1 in layers
        ],
        "fsLayers": [{"blobSum": draw(digests)} for _ in layers],
    }
    if draw(st.booleans()):
        doc["extra"] = draw(values)
    indent = draw(st.sampled_from([3, None]))
    text = json.dumps(doc, indent=indent, ensure_ascii=draw(st.booleans()))
    payload = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        algs = draw(st.lists(st.sampled_from(signing.ALGS), min_size=1, max_size=2))
        return signing.sign(payload, algs)
    return payload


def outcome(call: Callable[[], Any]) -> Any:
    try:
        return ("ok", encode(call()))
    except ERRORS as e:
        return ("error", type(e).__name__)


def parsed_outcome(backend: Any, data: bytes, validate: bool) -> Any:
    def call() -> Any:
        parsed = dict(backend.parse_manifest(data, validate))
        for key in ("architecture", "signatures"):  # raw members a backend left unread
            if parsed[key] is UNREAD:
                parsed[key] = backend.manifest_member(data, key)
        history = parsed.pop("history")
        parsed["blob_sums"], parsed["v1_compat"] = history.blob_sums(), history.v1_compat()
        return parsed

    return outcome(call)


def records(history: Any, allow_missing_ids: bool) -> list[Any]:
    """The layers' records as ``layers`` makes them, as plain values (types checked)."""
    raw_v1 = history.v1_compat()[::-1]
    made = history.records(allow_missing_ids, raw_v1, Schema1Layer, Schema1V1Metadata, Digest)
    assert all(type(r) is Schema1Layer and type(r.v1_metadata) is Schema1V1Metadata for r in made)
    assert all(r.raw_v1_metadata is raw for r, raw in zip(made, raw_v1))
    return [(str(r.digest), tuple(r.v1_metadata), *r[2:]) for r in made]


def agree(data: bytes) -> None:
    for validate in (True, False):
        rust = parsed_outcome(RUST, data, validate)
        pure = parsed_outcome(PURE, data, validate)
        assert same(rust, pure), (validate, rust, pure)
    if rust[0] == "ok":
        rust_history = RUST.parse_manifest(data, False)["history"]
        pure_history = PURE.parse_manifest(data, False)["history"]
        for allow in (True, False):
            rust_layers = outcome(lambda: rust_history.fields(allow))  # noqa: B023
            pure_layers = outcome(lambda: pure_history.fields(allow))  # noqa: B023
            assert same(rust_layers, pure_layers)
            rust_records = outcome(lambda: records(rust_history, allow))  # noqa: B023
            pure_records = outcome(lambda: records(pure_history, allow))  # noqa: B023
            assert same(rust_records, pure_records)
        assert same(encode(RUST.manifest_value(data)), encode(PURE.manifest_value(data)))


@given(documents())
def test_backends_agree_on_generated_manifests(data: bytes) -> None:
    agree(data)


@pytest.mark.parametrize(
    ("comment", "label", "ensure_ascii"),
    [
        ("plain " * 300, "k", True),  # sliced from the text's ASCII string
        ("plain " * 300, "é", False),  # a span of a text that is not ASCII: made from bytes
        ("ünïcode " * 300, "k", False),  # the comment itself not ASCII
        ('quoted "and" escaped\n' * 100, "k", True),  # escapes: decoded
        ("x" * 1023, "k", True),  # one byte short of being sliced: made from bytes
    ],
)
def test_backends_agree_on_long_comments(comment: str, label: str, ensure_ascii: bool) -> None:
    v1 = {"id": "a" * 64, "comment": comment, "config": {"Labels": {label: label}}}
    text = json.dumps(v1, ensure_ascii=ensure_ascii)
    doc = {
        "schemaVersion": 1,
        "name": "n/r",
        "tag": "t",
        "history": [{"v1Compatibility": text}, {"v1Compatibility": text.replace("a", "b", 1)}],
        "fsLayers": [{"blobSum": "sha256:" + "ab" * 32}] * 2,
    }
    data = json.dumps(doc, indent=3).encode()
    agree(data)
    for backend in (RUST, PURE):
        made = records(backend.parse_manifest(data, False)["history"], False)
        assert [layer[1][3] for layer in made] == [comment, comment]


@pytest.mark.parametrize("control", ["\n", "\x00", "\x1f", "\t"])
@pytest.mark.parametrize("at", [3, 200])
def test_a_control_character_in_a_v1_string_is_refused(control: str, at: int) -> None:
    # The manifest escapes it (valid there); the v1Compatibility text it decodes to holds it
    # raw, which Python's json refuses. The core notes it while decoding the text, and only a
    # text without one is searched for quotes and backslashes alone.
    comment = "c" * at + control + "c" * 40
    for key in ("comment", "parent", "created", "author"):
        v1 = '{"id": "' + "a" * 64 + '", "' + key + '": "' + comment + '"}'
        doc = {
            "schemaVersion": 1,
            "name": "n/r",
            "tag": "t",
            "history": [{"v1Compatibility": v1}],
            "fsLayers": [{"blobSum": "sha256:" + "ab" * 32}],
        }
        data = json.dumps(doc).encode()
        agree(data)
        for backend in (RUST, PURE):
            history = backend.parse_manifest(data, False)["history"]
            with pytest.raises(MalformedSchema1Manifest, match="Invalid control character"):
                history.fields(False)


@given(documents(), st.data())
def test_backends_agree_on_mutated_bytes(data: bytes, draw: st.DataObject) -> None:
    mutated = bytearray(data)
    for _ in range(draw.draw(st.integers(1, 4))):
        position = draw.draw(st.integers(0, max(len(mutated) - 1, 0)))
        action = draw.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if action == "flip" and mutated:
            mutated[position] ^= 1 << draw.draw(st.integers(0, 7))
        elif action == "insert":
            mutated.insert(position, draw.draw(st.integers(0, 255)))
        elif action == "delete" and mutated:
            del mutated[position]
        elif action == "truncate":
            del mutated[position:]
    agree(bytes(mutated))


@given(values, st.booleans())
def test_backends_agree_on_canonical_json(value: Any, ensure_ascii: bool) -> None:
    assert RUST.canonical_json(value, ensure_ascii) == PURE.canonical_json(value, ensure_ascii)


@given(st.binary(max_size=300))
def test_backends_agree_on_arbitrary_bytes(data: bytes) -> None:
    agree(data)


RSA_PEM = signing.key_for("RS256").private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)


@given(documents(), st.booleans())
def test_backends_agree_on_signing_the_bytes_given(data: bytes, append: bool) -> None:
    """sign_bytes (libtrust's way) writes the same bytes on both backends (RS256 is
    deterministic), or fails the same way; what it writes verifies with the input's digest."""
    at = "2020-01-02T03:04:05Z"
    rust = outcome(lambda: RUST.sign_bytes(data, RSA_PEM, at, append))
    pure = outcome(lambda: PURE.sign_bytes(data, RSA_PEM, at, append))
    assert same(rust, pure), (rust, pure)
    if rust[0] == "ok":
        signed = RUST.sign_bytes(data, RSA_PEM, at, append)
        before = RUST.parse_manifest(data, True)
        for backend in (RUST, PURE):
            after = backend.parse_manifest(signed, True)
            assert after["digest"] == before["digest"]
            assert len(after["signers"]) == (len(before["signers"]) if append else 0) + 1
            assert backend.signed_payload(signed) == RUST.signed_payload(data)
