"""Rust backend vs pure-Python backend vs the floor, ratios taken in one run (DESIGN section 7).

    python benches/bench.py [--quick] [--quay DIR] [--go PEER | --no-go] [--rounds N] [--only TEXT]

Generates a deterministic corpus (signed manifests of 3, 20 and 100 x 20 KB layers, RS256 and
ES256, unsigned ones, and a 60 MB one), checks that both backends give identical results, then
prints the median microseconds per call of each operation on each backend, the speedup, and,
for construct + verify + digest, the floor timed in Rust: SHA-256 of the document, one JSON
parse and the verification of the signature. Then the manifests verified per second with 1, 2
and 4 Python threads. `--quick` is a smoke test (small budget, no 60 MB case).

`--quay DIR` adds Quay's own module (DIR/quay, run by DIR/venv/bin/python in its own process
through `quay_worker.py`, on the same corpus written to files): the two sides alternate, 3 rounds
by default, and each cell is the median of the rounds (the pure column is the first round's).
The Go column is the Go peer's registry PUT path (`schema1peer bench`: libtrust +
docker/distribution verify) on the same signed files, when the peer is at hand.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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
from timing import median_us  # benches/timing.py, shared with quay_worker.py

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
    builder = DockerSchema1ManifestBuilder("bench", "image", "latest")
    for digest, metadata in builder_layers(layers, layer_size):
        builder.add_layer(digest, metadata)
    return builder


def on_both(call: Callable[[], Any]) -> dict[str, Any]:
    results = {}
    for backend in ("rust", "pure"):
        with using_backend(backend):
            results[backend] = call()
    return results


@dataclass
class Op:
    """One row: the call on each backend (built on that backend), the floor, and what Quay's
    worker and the Go peer time for the same row."""

    case: str
    name: str
    calls: dict[str, Callable[[], Any]]
    floor: float | None = None
    quay: dict[str, str] | None = None
    go_file: str | None = None
    times: dict[str, list[float]] = field(default_factory=dict)

    def median(self, side: str) -> float | None:
        samples = self.times.get(side)
        return statistics.median(samples) if samples else None


def same_call(call: Callable[[], Any]) -> dict[str, Callable[[], Any]]:
    """The same call on both backends (timed with that backend current)."""
    return {"rust": call, "pure": call}


class Corpus:
    """The manifests and builder layers of a run, also written to files for the other sides."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.count = 0

    def write(self, data: bytes) -> str:
        self.count += 1
        path = os.path.join(self.directory, f"{self.count}.bin")
        with open(path, "wb") as f:
            f.write(data)
        return path


def manifest_ops(corpus: Corpus, case: str, data: bytes, full: bool) -> list[Op]:
    def summary() -> Any:
        m = DockerSchema1Manifest(data)
        layers = [(str(x.digest), x.v1_metadata, x.compressed_size) for x in m.layers]
        return m.digest, m.signers, layers, list(m.get_layers(None))

    results = on_both(summary)
    assert results["rust"] == results["pure"], f"{case}: the backends disagree"

    path = corpus.write(data)
    signed = DockerSchema1Manifest(data).is_signed
    floor = None
    if signed:
        iterations = max(1, int(20_000 / max(1, len(data) // 25_000 + 1)))
        floor = _rust._floor_seconds(data, min(iterations, 2000)) * 1e6
    ops = [
        Op(
            case,
            "construct+verify+digest",
            same_call(lambda: DockerSchema1Manifest(data).digest),
            floor,
            {"kind": "construct", "file": path} if len(data) < 10**7 else None,
            path if signed and len(data) < 10**7 else None,
        )
    ]
    if not full:
        return ops
    parsed = on_both(lambda: DockerSchema1Manifest(data))

    def reading(call: Callable[[Any], Any]) -> dict[str, Callable[[], Any]]:
        # The layers read again on a parsed manifest (its cache dropped), as Quay's side does.
        def fresh(m: Any) -> Any:
            m._layers = None
            return call(m)

        return {backend: functools.partial(fresh, parsed[backend]) for backend in parsed}

    ops.append(
        Op(case, "layers", reading(lambda m: m.layers), quay={"kind": "layers", "file": path})
    )
    ops.append(
        Op(
            case,
            "list(get_layers(None))",
            reading(lambda m: list(m.get_layers(None))),
            quay={"kind": "get_layers", "file": path},
        )
    )
    base = parsed["rust"].layers[0].v1_metadata.image_id
    mismatch = {base: type("Image", (), {"content_checksum": "sha256:mismatch"})()}
    for name, kind, images in (
        ("rewrite_invalid_image_ids({})", "rewrite_none", {}),
        ("rewrite, all layers rewritten", "rewrite_mismatch", mismatch),
    ):
        rewrites = on_both(
            lambda images=images: list(
                DockerSchema1Manifest(data).rewrite_invalid_image_ids(images)
            )
        )
        assert rewrites["rust"] == rewrites["pure"], f"{case}: rewrites disagree"
        ops.append(
            Op(
                case,
                name,
                {
                    backend: (
                        lambda m=parsed[backend], images=images: list(
                            m.rewrite_invalid_image_ids(images)
                        )
                    )
                    for backend in ("rust", "pure")
                },
                quay={"kind": kind, "file": path},
            )
        )
    value = json.loads(parsed["rust"].layers[-1].raw_v1_metadata)
    ops.append(
        Op(
            case,
            "to_canonical_json",
            same_call(lambda: to_canonical_json(value)),
            quay={"kind": "canonical", "file": path},
        )
    )
    if signed:
        unsigned = on_both(lambda: DockerSchema1Manifest(data).unsigned().bytes)
        assert unsigned["rust"] == unsigned["pure"]
        ops.append(
            Op(
                case,
                "unsigned()",
                {backend: parsed[backend].unsigned for backend in ("rust", "pure")},
                quay={"kind": "unsigned", "file": path},
            )
        )
    return ops


def build_ops(corpus: Corpus, case: str, layers: int, keys: dict[str, bytes]) -> list[Op]:
    builder = builder_for(layers, 1000)
    stripped = on_both(lambda: builder.with_metadata_removed().build().bytes)
    assert stripped["rust"] == stripped["pure"]
    ops = [Op(case, "with_metadata_removed", same_call(builder.with_metadata_removed))]
    layers_path = corpus.write(json.dumps(builder_layers(layers, 1000)).encode())
    for alg, key in keys.items():
        payload = builder.build().bytes.as_encoded_str()
        raw_sign = _rust._sign_seconds(key, payload, 200) * 1e6
        # Quay signs RS256 only.
        quay = None
        if alg == "RS256":
            quay = {"kind": "build_sign", "file": layers_path, "key": corpus.write(key)}
        ops.append(
            Op(
                case,
                f"build+sign {alg}",
                same_call(lambda key=key: builder.build(key)),
                raw_sign,
                quay,
            )
        )
    return ops


def builder_layers(layers: int, layer_size: int) -> list[tuple[str, str]]:
    """What ``builder_for`` adds, in the order it adds them (leaf first)."""
    rng = random.Random(RNG_SEED + layers * 1000 + layer_size)
    added = []
    for index in reversed(range(layers)):
        digest = f"sha256:{rng.randrange(16**64):064x}"
        added.append((digest, v1_metadata(rng, index, layer_size)))
    return added


def time_quay(quay_dir: str, ops: list[Op], spec_dir: str, budget: float) -> None:
    """One round of Quay's side, in Quay's own interpreter."""
    python = os.path.join(quay_dir, "venv", "bin", "python")
    source = os.path.join(quay_dir, "quay")
    spec = {
        "budget": budget,
        "ops": [{"id": str(i), **op.quay} for i, op in enumerate(ops) if op.quay],
    }
    spec_path = os.path.join(spec_dir, "quay-spec.json")
    with open(spec_path, "w") as f:
        json.dump(spec, f)
    worker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quay_worker.py")
    out = subprocess.run(
        [python, worker, source, spec_path], check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    for key, us in json.loads(out).items():
        ops[int(key)].times.setdefault("quay", []).append(us)


def time_go(peer: str, ops: list[Op], quick: bool) -> None:
    """One round of the Go peer (libtrust + docker/distribution): its registry PUT path."""
    files = sorted({op.go_file for op in ops if op.go_file})
    argv = [peer, "bench"] + (["--n", "20"] if quick else []) + files
    try:
        out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"(no Go column: {peer} bench failed: {exc})", file=sys.stderr)
        return
    verify_us = {}
    for line in out.splitlines():
        if line.strip():
            record = json.loads(line)
            verify_us[record["file"]] = record["verify_us"]
    for op in ops:
        if op.go_file in verify_us:
            op.times.setdefault("go", []).append(verify_us[op.go_file])


def cell(value: float | None, ratio: float | None = None) -> str:
    if value is None:
        return " | "
    return f"{value:.1f} | " + (f"{ratio:.1f}x" if ratio is not None else "")


def print_table(ops: list[Op], quay: bool, go: bool) -> None:
    header = "| case | operation | rust us | pure us | speedup | floor us | rust/floor |"
    if quay:
        header += " quay us | quay/rust |"
    if go:
        header += " go us | go/rust |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for op in ops:
        rust, pure = op.median("rust"), op.median("pure")
        assert rust is not None and pure is not None
        line = f"| {op.case} | {op.name} | {rust:.1f} | {pure:.1f} | {pure / rust:.1f}x | "
        if op.floor:
            line += f"{op.floor:.1f} | {rust / op.floor:.2f}x |"
        else:
            line += " |  |"
        for side, shown in (("quay", quay), ("go", go)):
            if shown:
                other = op.median(side)
                ratio = other / rust if other is not None else None
                line += " " + cell(other, ratio) + " |"
        print(line)


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


def default_go_peer() -> str | None:
    home = os.environ.get("SCHEMA1PEER_HOME") or "/tmp/schema1peer"
    peer = os.path.join(home, "schema1peer")
    return peer if os.access(peer, os.X_OK) else None


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small budget, no 60 MB case")
    parser.add_argument(
        "--quay",
        metavar="DIR",
        help="a Quay reference (DIR/quay: its source, DIR/venv: its interpreter) for a Quay column",
    )
    parser.add_argument(
        "--go",
        metavar="PEER",
        default=default_go_peer(),
        help="the schema1peer binary for a Go column (default: $SCHEMA1PEER_HOME/schema1peer "
        "or /tmp/schema1peer/schema1peer when present)",
    )
    parser.add_argument("--no-go", action="store_true", help="no Go column")
    parser.add_argument("--rounds", type=int, help="rounds of each side (default 3 with --quay)")
    parser.add_argument("--only", help="only the rows whose case or operation holds this text")
    args = parser.parse_args()
    go = None if args.no_go else args.go
    rounds = args.rounds or (3 if args.quay else 1)
    budget = (0.05 if args.quick else 1.0) / rounds
    keys = make_keys()
    print(f"{machine()}; medians of {rounds} round(s)\n")
    with tempfile.TemporaryDirectory(prefix="schema1-bench-") as directory:
        corpus = Corpus(directory)
        ops: list[Op] = []
        cases = []
        for layers, size in ((3, 1200), (20, 1000), (100, 20_000)):
            builder = builder_for(layers, size)
            label = f"{layers} layers" if size < 5000 else f"{layers} x 20 KB layers"
            for alg, key in keys.items():
                data = builder.build(key).bytes.as_encoded_str()
                cases.append((f"{label} {alg} ({len(data) // 1000} KB)", data))
            cases.append((f"{label} unsigned", builder.build().bytes.as_encoded_str()))
        if not args.quick:
            big = builder_for(3000, 20_000).build(keys["RS256"]).bytes.as_encoded_str()
            cases.append((f"{len(big) // 1_000_000} MB RS256", big))
        for case, data in cases:
            full = "RS256" in case and "MB" not in case
            ops += manifest_ops(corpus, case, data, full)
        for layers in (3, 20):
            ops += build_ops(corpus, f"{layers} layers", layers, keys)
        if args.only:
            ops = [op for op in ops if args.only in op.case or args.only in op.name]
        for round_number in range(rounds):
            for op in ops:
                big_case = "MB" in op.case
                for backend, call in op.calls.items():
                    if backend == "pure" and round_number:
                        continue  # the pure backend's column is one round's
                    with using_backend(backend):
                        us = median_us(call, min(budget, 0.5) if big_case else budget)
                    op.times.setdefault(backend, []).append(us)
            if args.quay:
                time_quay(args.quay, ops, directory, budget)
            if go:
                time_go(go, ops, args.quick)
        print_table(ops, bool(args.quay), bool(go))
    if not args.only:
        threads_table(cases[3][1], budget * rounds)


if __name__ == "__main__":
    main()
