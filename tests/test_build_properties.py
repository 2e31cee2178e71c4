"""Hypothesis over the write path: builds parse back to what went in, signed and unsigned
builds share a digest, and the Rust and pure backends write the same bytes (RS256 is
deterministic) and verify each other's ECDSA signatures."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import cache
from typing import Any, Callable

from hypothesis import given
from hypothesis import strategies as st

from docker_schema1 import (
    DockerSchema1Manifest,
    DockerSchema1ManifestBuilder,
    MalformedSchema1Manifest,
    using_backend,
)
from docker_schema1._backend import get

from .golden import encode, same

TIME = datetime(2020, 5, 17, 8, 30, tzinfo=timezone.utc)
texts = st.text(max_size=10) | st.sampled_from(["Sômé guy", "😱", "<&>", "\x00\x7f\u2028"])
scalars = st.none() | st.booleans() | st.integers(-(10**25), 10**25) | st.floats() | texts
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)
v1_metadata = st.fixed_dictionaries(
    {"id": st.text(alphabet="0123456789abcdef", min_size=1, max_size=10)},
    optional={
        "parent": st.text(alphabet="0123456789abcdef", min_size=1, max_size=10),
        "created": texts,
        "author": texts,
        "comment": values,
        "Size": st.integers(0, 10**12),
        "container_config": st.fixed_dictionaries({}, optional={"Cmd": values, "Env": values}),
        "config": st.fixed_dictionaries({}, optional={"Labels": values}),
        "other": values,
    },
)
layer_lists = st.lists(
    st.tuples(st.from_regex(r"sha256:[0-9a-f]{64}", fullmatch=True), v1_metadata),
    max_size=8,
)


@cache
def keys() -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    return {
        "rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "p384": ec.generate_private_key(ec.SECP384R1()),
        "p521": ec.generate_private_key(ec.SECP521R1()),
    }


def builder_for(layers: list[tuple[str, dict[str, Any]]], tag: str) -> DockerSchema1ManifestBuilder:
    builder = DockerSchema1ManifestBuilder("ns", "repo", tag)
    for digest, metadata in layers:
        builder.add_layer(digest, json.dumps(metadata))
    return builder


def on(backend: str, call: Callable[[], Any]) -> Any:
    with using_backend(backend):
        return call()


@given(layer_lists, texts, st.booleans())
def test_build_parses_back(layers: list[Any], tag: str, ensure_ascii: bool) -> None:
    builder = builder_for(layers, tag)
    built = builder.build(ensure_ascii=ensure_ascii)
    again = DockerSchema1Manifest(built.bytes.as_encoded_str())
    assert again.tag == tag and (again.namespace, again.repo_name) == ("ns", "repo")
    assert [layer.raw_v1_metadata for layer in again.layers] == [
        json.dumps(metadata) for _, metadata in reversed(layers)
    ]
    assert again.blob_digests == [digest for digest, _ in reversed(layers)]
    assert again.digest == built.digest
    signed = builder.build(keys()["rsa"], ensure_ascii=ensure_ascii, signing_time=TIME)
    assert signed.digest == built.digest and signed.is_signed


@given(layer_lists, texts, st.booleans())
def test_backends_write_identical_bytes(layers: list[Any], tag: str, ensure_ascii: bool) -> None:
    def build(key: Any) -> bytes:
        data = builder_for(layers, tag).build(key, ensure_ascii=ensure_ascii, signing_time=TIME)
        return data.bytes.as_encoded_str()

    for key in (None, keys()["rsa"]):
        assert on("rust", lambda: build(key)) == on("pure", lambda: build(key))  # noqa: B023


@given(layer_lists, st.sampled_from(["p256", "p384", "p521", "rsa"]))
def test_backends_verify_each_others_signatures(layers: list[Any], key_name: str) -> None:
    key = keys()[key_name]
    for signer, verifier in (("rust", "pure"), ("pure", "rust")):
        data = on(signer, lambda: builder_for(layers, "t").build(key).bytes.as_encoded_str())
        mine = on(signer, lambda: DockerSchema1Manifest(data))  # noqa: B023
        theirs = on(verifier, lambda: DockerSchema1Manifest(data))  # noqa: B023
        assert theirs.signers == mine.signers and theirs.digest == mine.digest


@given(st.lists(v1_metadata | values, min_size=1, max_size=5))
def test_backends_agree_on_metadata_removed(entries: list[Any]) -> None:
    history = [json.dumps(entry) for entry in entries]

    def outcome(backend: str) -> Any:
        try:
            return ("ok", get(backend).metadata_removed(history))
        except MalformedSchema1Manifest:
            return ("error",)

    assert outcome("rust") == outcome("pure")


@given(layer_lists)
def test_rewrite_agrees_across_backends(layers: list[Any]) -> None:
    data = builder_for(layers, "t").build().bytes.as_encoded_str()
    images_map = {
        metadata["id"]: type("Image", (), {"content_checksum": "sha256:other"})()
        for _, metadata in layers[-1:]
    }
    results = [
        on(
            b,
            lambda: encode(list(DockerSchema1Manifest(data).rewrite_invalid_image_ids(images_map))),
        )
        for b in ("rust", "pure")
    ]
    assert same(results[0], results[1])


@given(
    layer_lists, texts, st.sampled_from([None, "rsa", "p256"]), st.sampled_from(["rust", "pure"])
)
def test_built_manifest_equals_its_bytes_parsed(
    layers: list[Any], tag: str, key_name: str | None, backend: str
) -> None:
    """build() hands back the manifest without parsing its bytes: it must be what they parse to."""
    key = None if key_name is None else keys()[key_name]
    with using_backend(backend):
        built = builder_for(layers, tag).build(key)
        parsed = DockerSchema1Manifest(built.bytes.as_encoded_str())
    for member in (
        "tag",
        "namespace",
        "repo_name",
        "architecture",
        "digest",
        "signatures",
        "signers",
        "media_type",
        "layers",
        "blob_digests",
    ):
        assert same(encode(getattr(built, member)), encode(getattr(parsed, member))), member
    assert same(encode(built.manifest_dict), encode(parsed.manifest_dict))
