"""What the batch tests read: the corpus (examples, generated, hostile; ../shared's vectors and
Quay's golden inputs), and what the constructor gives for one input, to compare batches with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from docker_schema1 import (
    Bytes,
    DockerSchema1Manifest,
    InvalidSchema1Signature,
    MalformedSchema1Manifest,
)

from . import golden, signing
from .conftest import shared_files, shared_path
from .test_differential import documents

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ERRORS = (MalformedSchema1Manifest, InvalidSchema1Signature)


def generated(layers: int, algs: list[str], tag: str = "latest", leaf_id: Any = None) -> bytes:
    """A manifest of ``layers`` layers (leaf first), ids chained by parent; signed with ``algs``."""
    ids: list[Any] = [f"{i:064x}" for i in range(layers)]
    if leaf_id is not None and ids:
        ids[0] = leaf_id
    history = []
    for i in range(layers):
        v1: dict[str, Any] = {"id": ids[i], "created": f"2019-01-{1 + i % 28:02d}T00:00:00Z"}
        if i + 1 < layers:
            v1["parent"] = ids[i + 1]
        history.append({"v1Compatibility": json.dumps(v1)})
    doc = {
        "schemaVersion": 1,
        "name": "batch/test",
        "tag": tag,
        "architecture": "amd64",
        "fsLayers": [{"blobSum": "sha256:" + f"{i:02x}" * 32} for i in range(layers)],
        "history": history,
    }
    payload = json.dumps(doc, indent=3).encode()
    return signing.sign(payload, algs) if algs else payload


def local_corpus() -> list[bytes]:
    """The examples (good and bad), generated manifests and hostile bytes."""
    items = [path.read_bytes() for path in sorted(EXAMPLES.rglob("*.json"))]
    broken_layers = generated(2, []).replace(b'\\"id\\": ', b'\\"ID\\": ', 1)
    forged = bytearray(generated(4, ["RS256"]))
    forged[forged.index(b'"tag": "latest"') + 9] ^= 1  # the signed tag, changed
    items += [
        generated(3, ["RS256"]),
        generated(20, ["ES256", "RS256"]),
        generated(5, ["ES256"], tag="ü\ud800"),
        generated(2, [], leaf_id=17),
        generated(0, []),
        broken_layers,
        bytes(forged),
        generated(6, ["RS256"])[:-40],
        b"{" * 10_000,
        b"",
        b"[]",
        b"\xff\xfe",
    ]
    return items


def shared_corpus() -> list[bytes]:
    """../shared's manifests and the inputs of Quay's golden vectors (skips without ../shared)."""
    shared_path("vectors")
    items = [path.read_bytes() for path in shared_files("vectors")]
    for kind in ("fixture", "reject", "quirk"):
        items += [golden.b64(r["input_b64"]) for r in golden.records(kind) if "input_b64" in r]
    return items


#: Inputs of every kind: generated manifests (signed or not), mutated ones, arbitrary bytes.
def _mutated(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position % len(data)] ^ 1]) + data[position + 1 :]


hostile = st.sampled_from([b"{" * 5_000, b"[" * 600 + b"]" * 600, b"", b"\x00", b'{"tag": 1e999}'])
inputs = st.one_of(
    documents(),
    st.builds(_mutated, documents().filter(bool), st.integers(0, 5_000)),
    st.binary(max_size=200),
    hostile,
)


def as_input(data: bytes, kind: int) -> Any:
    """``data`` as one of the input types the constructor takes."""
    if kind == 1:
        return bytearray(data)
    if kind == 2:
        return memoryview(data)
    if kind == 3:
        return Bytes(data)
    return data


def outcome(result: Any) -> Any:
    """What a test compares of a manifest or an error."""
    if isinstance(result, Exception):
        return ("error", type(result).__name__, str(result))
    try:
        layers = golden.encode(result.layers)
    except ERRORS as e:
        layers = ("error", type(e).__name__, str(e))
    return (
        type(result).__name__,
        result.digest,
        result.signers,
        result.namespace,
        result.repo_name,
        result.tag,
        result.bytes.as_encoded_str(),
        golden.encode(result.architecture),
        golden.encode(result.signatures),
        layers,
    )


def one_by_one(
    item: Any, validate: bool, cls: type[DockerSchema1Manifest] = DockerSchema1Manifest
) -> Any:
    """The constructor's result for one input: the manifest or the exception it raised."""
    try:
        return cls(item, validate)
    except ERRORS as e:
        return e
