"""Rust backend vs pure-Python backend, ratios taken in one run.

    python benches/bench.py [--quick] [--op NAME ...]

Generates a deterministic corpus (signed and unsigned manifests of 3, 20 and 100 layers),
checks that both backends give identical results, then prints median microseconds per call
and the speedup of the Rust backend for each operation.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder, using_backend
from docker_schema1._backend import get

RSA_KEY: Any = None
EC_KEY: Any = None


def keys() -> tuple[Any, Any]:
    """Fixed test keys (an RSA-2048 and a P-256 key made once per run with `cryptography`)."""
    global RSA_KEY, EC_KEY
    if RSA_KEY is None:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        EC_KEY = ec.generate_private_key(ec.SECP256R1())
    return RSA_KEY, EC_KEY


def v1_metadata(rng: random.Random, index: int, size: int) -> str:
    parent = f"{index - 1:064x}" if index else None
    doc: dict[str, Any] = {
        "id": f"{index:064x}",
        "created": f"2018-08-13T19:{index % 60:02d}:00.{rng.randrange(10**9):09d}Z",
        "container_config": {
            "Cmd": ["/bin/sh", "-c", f"#(nop) RUN step {index} && echo <done> & more"],
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Labels": {"layer": str(index), "note": "Sômé text 😱"},
        },
        "config": {"Labels": {"layer": str(index)}},
        "Size": rng.randrange(10**9),
    }
    if parent:
        doc["parent"] = parent
    filler = size - len(json.dumps(doc))
    if filler > 0:
        doc["comment"] = "".join(rng.choice("abcdefghij klmnop") for _ in range(filler))
    return json.dumps(doc)


def corpus_manifest(layers: int, layer_size: int, key: Any) -> bytes:
    rng = random.Random(layers * 1000 + layer_size)
    builder = DockerSchema1ManifestBuilder("bench", "image", "latest")
    for index in reversed(range(layers)):
        builder.add_layer(
            f"sha256:{rng.randrange(16**64):064x}", v1_metadata(rng, index, layer_size)
        )
    return builder.build(key).bytes.as_encoded_str()


def median_us(call: Callable[[], Any], budget: float) -> float:
    """Median of repeated timings, each over enough calls to take about 20 ms."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            call()
        elapsed = time.perf_counter() - start
        if elapsed > 0.02 or number > 1_000_000:
            break
        number *= 4
    samples = []
    deadline = time.perf_counter() + budget
    while len(samples) < 5 or (time.perf_counter() < deadline and len(samples) < 50):
        start = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples) * 1e6


def construct_verify_digest(data: bytes) -> Callable[[], Any]:
    def call() -> Any:
        return DockerSchema1Manifest(data).digest

    return call


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small budget: a smoke test")
    args = parser.parse_args()
    budget = 0.2 if args.quick else 1.0
    rsa_key, ec_key = keys()
    cases = {
        "3 layers RS256": corpus_manifest(3, 1200, rsa_key),
        "20 layers RS256": corpus_manifest(20, 1000, rsa_key),
        "20 layers ES256": corpus_manifest(20, 1000, ec_key),
        "100 layers x 20 KB RS256": corpus_manifest(100, 20_000, rsa_key),
        "20 layers unsigned": corpus_manifest(20, 1000, None),
    }
    print(f"# {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(f"{'case':28} {'op':26} {'size':>9} {'rust us':>10} {'pure us':>10} {'speedup':>8}")
    for name, data in cases.items():
        # Correctness first: both backends must agree before anything is timed.
        results = {}
        for backend in ("rust", "pure"):
            with using_backend(backend):
                m = DockerSchema1Manifest(data)
                results[backend] = (m.digest, m.signers, m.blob_digests)
        assert results["rust"] == results["pure"], name
        timings = {}
        for backend in ("rust", "pure"):
            with using_backend(backend):
                get(backend)
                timings[backend] = median_us(construct_verify_digest(data), budget)
        ratio = timings["pure"] / timings["rust"]
        print(
            f"{name:28} {'construct+verify+digest':26} {len(data):>9} "
            f"{timings['rust']:>10.1f} {timings['pure']:>10.1f} {ratio:>7.1f}x"
        )


if __name__ == "__main__":
    main()
