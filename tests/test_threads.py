"""Threads (DESIGN 7: the Rust backend releases the GIL while it verifies, signs and hashes).

Eight threads verify at once, the same bytes or different manifests, good and bad, and every
result (digest, signers, blob digests, or the exception's class and message) must equal the
sequential one. Eight threads also read the lazy members of one shared, freshly constructed
``DockerSchema1Manifest`` at the same moment. Each test runs on both backends.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from docker_schema1 import (
    DockerSchema1Manifest,
    DockerSchema1ManifestBuilder,
    InvalidSchema1Signature,
    MalformedSchema1Manifest,
)

from . import signing

THREADS = 8
ERRORS = (MalformedSchema1Manifest, InvalidSchema1Signature)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def generated(layers: int, algs: list[str], tag: str = "latest") -> bytes:
    """A signed manifest of ``layers`` layers (leaf first), ids chained by parent."""
    ids = [f"{i:064x}" for i in range(layers)]
    history = []
    for i in range(layers):
        v1: dict[str, Any] = {
            "id": ids[i],
            "created": f"2019-01-{1 + i % 28:02d}T00:00:00Z",
            "container_config": {"Cmd": ["/bin/sh", "-c", f"echo {i} {'x' * 200}"]},
            "config": {"Labels": {"layer": str(i), "é": "ü"}},
            "Size": 1000 * i,
        }
        if i + 1 < layers:
            v1["parent"] = ids[i + 1]
        history.append({"v1Compatibility": json.dumps(v1)})
    doc = {
        "schemaVersion": 1,
        "name": "threads/test",
        "tag": tag,
        "architecture": "amd64",
        "fsLayers": [{"blobSum": "sha256:" + f"{i:02x}" * 32} for i in range(layers)],
        "history": history,
    }
    return signing.sign(json.dumps(doc, indent=3).encode(), algs)


BIG = generated(100, ["RS256", "ES256"])


def corpus() -> list[bytes]:
    """The examples (good and bad) and generated manifests, RS256, ES256 and both."""
    files = sorted(EXAMPLES.glob("*.json")) + sorted((EXAMPLES / "invalid").glob("*.json"))
    items = [path.read_bytes() for path in files]
    items += [
        generated(3, ["RS256"]),
        generated(20, ["ES256"]),
        BIG,
        generated(5, ["ES256"], tag="ü"),
    ]
    forged = bytearray(generated(4, ["RS256"]))
    forged[forged.index(b'"tag": "latest"') + 9] ^= 1  # the signed tag, changed
    items += [bytes(forged), BIG[:-40], b"{" * 10_000]
    return items


CORPUS = corpus()


def summary(data: bytes) -> tuple[Any, ...]:
    """What a registry reads from a pushed manifest, or the error it gets."""
    try:
        manifest = DockerSchema1Manifest(data)
        result: tuple[Any, ...] = (
            "ok",
            manifest.digest,
            tuple(manifest.signers),
            manifest.tag,
            manifest.namespace,
            manifest.repo_name,
        )
    except ERRORS as exc:
        return ("error", type(exc).__name__, str(exc))
    try:
        return (*result, tuple(manifest.blob_digests), frozenset(manifest.image_ids))
    except ERRORS as exc:  # lazy layer errors
        return (*result, "layers error", type(exc).__name__, str(exc))


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs on ``THREADS`` threads, all released at once by a barrier."""
    barrier = threading.Barrier(THREADS)

    def worker(chunk: list[Callable[[], Any]]) -> list[Any]:
        barrier.wait()
        return [job() for job in chunk]

    chunks = [jobs[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        per_thread = list(pool.map(worker, chunks))
    results: list[Any] = [None] * len(jobs)
    for i, chunk_results in enumerate(per_thread):
        results[i::THREADS] = chunk_results
    return results


def test_corpus_has_good_and_bad_manifests(backend: str) -> None:
    outcomes = [summary(data)[0] for data in CORPUS]
    assert outcomes.count("ok") >= 8
    assert outcomes.count("error") >= 3


def test_same_bytes_from_eight_threads(backend: str) -> None:
    for data in (BIG, (EXAMPLES / "signed-rs256.json").read_bytes()):
        expected = summary(data)
        assert expected[0] == "ok"
        results = run_together([lambda data=data: summary(data)] * (THREADS * 6))
        assert all(result == expected for result in results), {r[:2] for r in results}


def test_different_manifests_from_eight_threads(backend: str) -> None:
    expected = [summary(data) for data in CORPUS]
    order = [i for i in range(len(CORPUS)) for _ in range(4)]
    random.Random(1).shuffle(order)
    results = run_together([lambda i=i: (i, summary(CORPUS[i])) for i in order])
    wrong = [(i, got[:3], expected[i][:3]) for i, got in results if got != expected[i]]
    assert not wrong, wrong[:3]


def members(manifest: DockerSchema1Manifest) -> dict[str, Any]:
    """Every lazily computed member, read in a fixed order."""
    return {
        "layers": manifest.layers,
        "digest": manifest.digest,
        "image_ids": manifest.image_ids,
        "parent_image_ids": manifest.parent_image_ids,
        "get_layers": list(manifest.get_layers(None)),
        "blob_digests": manifest.blob_digests,
        "checksums": sorted(manifest.checksums),
        "leaf_layer_v1_image_id": manifest.leaf_layer_v1_image_id,
        "created_datetime": manifest.created_datetime,
        "labels": manifest.get_manifest_labels(None),
        "layers_compressed_size": manifest.layers_compressed_size,
        "manifest_json": manifest.manifest_json,
        "translation": manifest.get_blob_digests_for_translation(),
        "rewrite": list(manifest.rewrite_invalid_image_ids({})),
        "signers": manifest.signers,
    }


@pytest.mark.parametrize("name", ["generated-100-layers", "signed-es256.json", "two-signatures"])
def test_one_shared_manifest_read_from_eight_threads(backend: str, name: str) -> None:
    if name == "generated-100-layers":
        data = BIG
    elif name == "two-signatures":
        data = (EXAMPLES / "signed-two-signatures.json").read_bytes()
    else:
        data = (EXAMPLES / name).read_bytes()
    expected = members(DockerSchema1Manifest(data))
    for _ in range(5):
        shared = DockerSchema1Manifest(data)  # fresh: nothing lazy computed yet
        results = run_together([lambda shared=shared: members(shared)] * THREADS)
        for result in results:
            assert result == expected
        # Threads may race to fill the cache, but it then holds one list of layers.
        assert shared.layers is shared.layers
        assert members(shared) == expected


def test_build_and_sign_from_eight_threads(backend: str) -> None:
    """RS256 signing is deterministic, so every thread must build the very same bytes."""
    when = datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

    def build(tag: str) -> bytes:
        builder = DockerSchema1ManifestBuilder("threads", "build", tag)
        for i in range(10):
            builder.add_layer("sha256:" + f"{i:02x}" * 32, json.dumps({"id": f"{i:064x}"}))
        built: DockerSchema1Manifest = builder.build(signing.key_for("RS256"), signing_time=when)
        return built.bytes.as_encoded_str()

    tags = [f"t{i}" for i in range(THREADS)]
    expected = [build(tag) for tag in tags]
    results = run_together([lambda tag=tag: build(tag) for tag in tags])
    assert results == expected
    verified = run_together([lambda data=data: summary(data) for data in results])
    assert [v[2] for v in verified] == [(("RS256", signing.jwk("RS256")["kid"]),)] * len(tags)
