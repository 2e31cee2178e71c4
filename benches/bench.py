"""Rust backend vs pure-Python backend vs the floor, ratios taken in one run (DESIGN section 7).

    python benches/bench.py [--quick]

Generates a deterministic corpus (signed manifests of 3, 20 and 100 x 20 KB layers, RS256 and
ES256, unsigned ones, and a 60 MB one), checks that both backends give identical results, then
prints the median microseconds per call of each operation on each backend, the speedup, and,
for construct + verify + digest, the floor timed in Rust: SHA-256 of the document, one JSON
parse and the verification of the signature. Then the manifests verified per second with 1, 2
and 4 Python threads. `--quick` is a smoke test (small budget, no 60 MB case).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from docker_schema1 import (
    DockerSchema1Manifest,
    DockerSchema1ManifestBuilder,
    _rust,
    to_canonical_json,
    using_backend,
)

RNG_SEED = 20261127


def key_pem(key: Any) -> bytes:
    return bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def make_keys() -> dict[str, bytes]:
    """Keys for this run, as PEM (key generation is random; the manifests are not)."""
    return {
        "RS256": key_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "ES256": key_pem(ec.generate_private_key(ec.SECP256R1())),
    }


def v1_metadata(rng: random.Random, index: int, size: int) -> str:
    doc: dict[str, Any] = {
        "id": f"{index:064x}",
        "created": f"2018-08-13T19:{index % 60:02d}:00.{rng.randrange(10**9):09d}Z",
        "container_config": {
            "Cmd": ["/bin/sh", "-c", f"#(nop) RUN step {index} && echo <done> & more"],
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Image": f"{index - 1:064x}" if index else "",
            "Labels": {"layer": str(index), "note": "Sômé text 😱"},
        },
        "config": {"Labels": {"layer": str(index)}},
        "Size": rng.randrange(10**9),
    }
    if index:
        doc["parent"] = f"{index - 1:064x}"
    filler = size - len(json.dumps(doc))
    if filler > 0:
        doc["comment"] = "".join(rng.choice("abcdefghij klmnop") for _ in range(filler))
    return json.dumps(doc)


def builder_for(layers: int, layer_size: int) -> DockerSchema1ManifestBuilder:
    rng = random.Random(RNG_SEED + layers * 1000 + layer_size)
    builder = DockerSchema1ManifestBuilder("bench", "image", "latest")
    for index in reversed(range(layers)):
        digest = f"sha256:{rng.randrange(16**64):064x}"
        builder.add_layer(digest, v1_metadata(rng, index, layer_size))
    return builder


def median_us(call: Callable[[], Any], budget: float) -> float:
    """Median of repeated timings, each over enough calls to take about 20 ms."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            call()
        if time.perf_counter() - start > 0.02 or number >= 1 << 20:
            break
        number *= 4
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while len(samples) < 5 or (time.perf_counter() < deadline and len(samples) < 50):
        start = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples) * 1e6


def on_both(call: Callable[[], Any]) -> dict[str, Any]:
    results = {}
    for backend in ("rust", "pure"):
        with using_backend(backend):
            results[backend] = call()
    return results


def timed(call: Callable[[], Any], budget: float) -> dict[str, float]:
    times = {}
    for backend in ("rust", "pure"):
        with using_backend(backend):
            times[backend] = median_us(call, budget)
    return times


def row(case: str, op: str, times: dict[str, float], floor: float | None = None) -> None:
    speedup = times["pure"] / times["rust"]
    floor_cell = f"{floor:10.1f} | {times['rust'] / floor:7.2f}x" if floor else " " * 10 + " |"
    print(
        f"| {case:26} | {op:24} | {times['rust']:10.1f} | {times['pure']:10.1f} | "
        f"{speedup:6.1f}x | {floor_cell} |"
    )


def manifest_rows(case: str, data: bytes, budget: float, full: bool) -> None:
    def summary() -> Any:
        m = DockerSchema1Manifest(data)
        layers = [(str(x.digest), x.v1_metadata, x.compressed_size) for x in m.layers]
        return m.digest, m.signers, layers

    results = on_both(summary)
    assert results["rust"] == results["pure"], f"{case}: the backends disagree"

    signed = DockerSchema1Manifest(data).is_signed
    floor = None
    if signed:
        iterations = max(1, int(20_000 / max(1, len(data) // 25_000 + 1)))
        floor = _rust._floor_seconds(data, min(iterations, 2000)) * 1e6
    row(
        case,
        "construct+verify+digest",
        timed(lambda: DockerSchema1Manifest(data).digest, budget),
        floor,
    )
    if not full:
        return
    parsed = on_both(lambda: DockerSchema1Manifest(data))
    row(case, "layers", timed(lambda: DockerSchema1Manifest(data, validate=False).layers, budget))
    images: dict[str, Any] = {}
    base = parsed["rust"].layers[0].v1_metadata.image_id
    images[base] = type("Image", (), {"content_checksum": "sha256:mismatch"})()
    rewrites = on_both(lambda: list(DockerSchema1Manifest(data).rewrite_invalid_image_ids(images)))
    assert rewrites["rust"] == rewrites["pure"], f"{case}: rewrites disagree"
    m_rust, m_pure = parsed["rust"], parsed["pure"]
    row(
        case,
        "rewrite_invalid_image_ids",
        {
            "rust": median_us(lambda: list(m_rust.rewrite_invalid_image_ids(images)), budget),
            "pure": median_us(lambda: list(m_pure.rewrite_invalid_image_ids(images)), budget),
        },
    )
    value = json.loads(m_rust.layers[-1].raw_v1_metadata)
    row(case, "to_canonical_json", timed(lambda: to_canonical_json(value), budget))
    if signed:
        unsigned = on_both(lambda: DockerSchema1Manifest(data).unsigned().bytes)
        assert unsigned["rust"] == unsigned["pure"]
        row(
            case,
            "unsigned()",
            {
                "rust": median_us(lambda: m_rust.unsigned(), budget),
                "pure": median_us(lambda: m_pure.unsigned(), budget),
            },
        )


def build_rows(case: str, layers: int, keys: dict[str, bytes], budget: float) -> None:
    builder = builder_for(layers, 1000)
    stripped = on_both(lambda: builder.with_metadata_removed().build().bytes)
    assert stripped["rust"] == stripped["pure"]
    row(case, "with_metadata_removed", timed(builder.with_metadata_removed, budget))
    for alg, key in keys.items():
        payload = builder.build().bytes.as_encoded_str()
        raw_sign = _rust._sign_seconds(key, payload, 200) * 1e6
        times = timed(lambda: builder.build(key), budget)  # noqa: B023
        row(case, f"build+sign {alg}", times, raw_sign)


def threads_table(data: bytes, budget: float) -> None:
    print("\nManifests verified per second (construct + verify + digest), Python threads:\n")
    print("| backend | 1 thread | 2 threads | 4 threads | 2 vs 1 |")
    print("|---|---|---|---|---|")
    for backend in ("rust", "pure"):
        rates = []
        with using_backend(backend):
            for count in (1, 2, 4):
                done = [0] * count
                stop = time.perf_counter() + max(budget, 0.5) * 2

                def work(slot: int) -> None:
                    while time.perf_counter() < stop:  # noqa: B023
                        DockerSchema1Manifest(data)
                        done[slot] += 1  # noqa: B023

                started = time.perf_counter()
                threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                rates.append(sum(done) / (time.perf_counter() - started))
        print(
            f"| {backend} | {rates[0]:,.0f} | {rates[1]:,.0f} | {rates[2]:,.0f} | "
            f"{rates[1] / rates[0]:.2f}x |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small budget, no 60 MB case")
    args = parser.parse_args()
    budget = 0.05 if args.quick else 1.0
    keys = make_keys()
    cpu = platform.processor() or platform.machine()
    print(f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("| case | operation | rust us | pure us | speedup | floor us | rust/floor |")
    print("|---|---|---|---|---|---|---|")
    corpus = []
    for layers, size in ((3, 1200), (20, 1000), (100, 20_000)):
        builder = builder_for(layers, size)
        label = f"{layers} layers" if size < 5000 else f"{layers} x 20 KB layers"
        for alg, key in keys.items():
            data = builder.build(key).bytes.as_encoded_str()
            corpus.append((f"{label} {alg} ({len(data) // 1000} KB)", data))
        corpus.append((f"{label} unsigned", builder.build().bytes.as_encoded_str()))
    if not args.quick:
        big = builder_for(3000, 20_000).build(keys["RS256"]).bytes.as_encoded_str()
        corpus.append((f"{len(big) // 1_000_000} MB RS256", big))
    for case, data in corpus:
        full = "RS256" in case and "MB" not in case
        manifest_rows(case, data, budget if len(data) < 10**7 else 0.5, full)
    for layers in (3, 20):
        build_rows(f"{layers} layers", layers, keys, budget)
    threads_table(corpus[3][1], budget)


if __name__ == "__main__":
    main()
