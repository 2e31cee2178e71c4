"""Diff ID throughput: `docker_schema1.layer_info` (Rust: zlib-rs inflate + ring SHA-256, two
SHA-256 streams, one pass, GIL released) against Python's `gzip` + `hashlib` on the same blob,
and `layer_infos` over several blobs against one after the other.

    python benches/diff_ids.py [--quick] [--mb N] [--files DIR | --synthetic]

Correctness is checked before timing; figures are printed as MB/s of compressed blob and ratios.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import random
import tarfile
import tempfile
import time
from pathlib import Path

from docker_schema1.convert import layer_info, layer_infos


def python_diff_id(path: Path) -> tuple[str, str]:
    blob, diff = hashlib.sha256(), hashlib.sha256()
    with open(path, "rb") as raw:
        data = raw.read()
    blob.update(data)
    with gzip.GzipFile(fileobj=open(path, "rb")) as f:
        while chunk := f.read(1 << 20):
            diff.update(chunk)
    return "sha256:" + blob.hexdigest(), "sha256:" + diff.hexdigest()


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def make_layer(path: Path, mb: int, source: str) -> int:
    """A realistic layer: the files under `source` (binaries, libraries) as a gzipped tar."""
    with gzip.open(path, "wb", compresslevel=6) as out, tarfile.open(fileobj=out, mode="w") as tar:
        size = 0
        for root, _, files in os.walk(source):
            for name in sorted(files):
                full = os.path.join(root, name)
                if size >= mb << 20 or not os.path.isfile(full) or os.path.islink(full):
                    continue
                if size + os.path.getsize(full) > (mb << 20) * 5 // 4:
                    continue
                tar.add(full)
                size += os.path.getsize(full)
    return size


def make_blob(path: Path, mb: int) -> int:
    rng = random.Random(1)
    words = [
        bytes(rng.randrange(97, 123) for _ in range(rng.randrange(2, 10))) for _ in range(5000)
    ]
    # text-like content (compresses ~3x, as layers of binaries and text roughly do) plus noise
    parts, size = [], 0
    while size < mb << 20:
        chunk = b" ".join(rng.choices(words, k=20000)) + rng.randbytes(20000)
        parts.append(chunk)
        size += len(chunk)
    path.write_bytes(gzip.compress(b"".join(parts), compresslevel=6))
    return size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a small blob, one repeat")
    parser.add_argument("--mb", type=int, default=64, help="uncompressed size of the blob")
    parser.add_argument(
        "--files", default="/usr/lib", help="a layer of the files below this directory (default)"
    )
    parser.add_argument("--synthetic", action="store_true", help="words and noise instead")
    args = parser.parse_args()
    mb, repeat = (4, 1) if args.quick else (args.mb, 3)
    with tempfile.TemporaryDirectory() as tmp:
        blob = Path(tmp) / "layer.tar.gz"
        raw = make_blob(blob, mb) if args.synthetic else make_layer(blob, mb, args.files)
        size = blob.stat().st_size / 1e6
        ours = layer_info(blob)
        assert (ours.digest, ours.diff_id) == python_diff_id(blob), "results differ"
        t_rust = best(lambda: layer_info(blob), repeat)
        t_py = best(lambda: python_diff_id(blob), repeat)
        kind = "words and noise" if args.synthetic else f"files of {args.files}"
        print(f"blob: {size:.1f} MB gzip, {raw / 1e6:.1f} MB uncompressed ({kind})")
        print(f"python gzip+hashlib  {size / t_py:8.1f} MB/s")
        print(f"layer_info (rust)    {size / t_rust:8.1f} MB/s   ratio {t_py / t_rust:.2f}x")
        copies = []
        for i in range(max(2, os.cpu_count() or 1)):
            copy = Path(tmp) / f"copy{i}"
            copy.write_bytes(blob.read_bytes())
            copies.append(copy)
        t_serial = best(lambda: [layer_info(c) for c in copies], repeat)
        t_par = best(lambda: layer_infos(copies), repeat)
        n = len(copies)
        print(f"{n} blobs one by one   {n * size / t_serial:8.1f} MB/s")
        print(
            f"{n} blobs layer_infos  {n * size / t_par:8.1f} MB/s   ratio {t_serial / t_par:.2f}x"
        )


if __name__ == "__main__":
    main()
