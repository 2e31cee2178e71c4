"""Peak memory of verifying a large signed manifest, as a multiple of its size (DESIGN 6.5).

    python benches/memory.py [--mb 60] [--backend rust|pure]

Builds a signed manifest of about MB megabytes, then in a fresh interpreter reads it,
constructs `DockerSchema1Manifest` (parse, verify, digest), then reads its layers, and prints
the peak resident memory above what the interpreter used before reading the file (the file's
bytes included) after each step, as a multiple of the manifest's size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import resource, sys
from docker_schema1 import DockerSchema1Manifest, using_backend

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()

before = rss()
with open(sys.argv[1], "rb") as f:
    data = f.read()
def peak():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent.
    with open("/proc/self/status") as f:
        hwm = next(line for line in f if line.startswith("VmHWM:"))
    return int(hwm.split()[1]) * 1024 - before

with using_backend(sys.argv[2]):
    m = DockerSchema1Manifest(data)
    digest, verified = m.digest, peak()
    layers = len(m.layers)
print(len(data), verified, peak(), digest, layers)
"""


def make(path: str, megabytes: int) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from docker_schema1 import DockerSchema1ManifestBuilder

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    filler = "x" * 20_000
    builder = DockerSchema1ManifestBuilder("big", "image", "latest")
    for index in reversed(range(megabytes * 1_000_000 // 20_100)):
        parent = f', "parent": "{index - 1:064x}"' if index else ""
        config = f'"container_config": {{"Cmd": ["sh"], "Env": ["{filler}"]}}'
        builder.add_layer(f"sha256:{index:064x}", f'{{"id": "{index:064x}"{parent}, {config}}}')
    with open(path, "wb") as f:
        f.write(builder.build(key).bytes.as_encoded_str())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=60)
    parser.add_argument("--backend", default="rust", choices=["rust", "pure"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.json")
        make(path, args.mb)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, path, args.backend],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    size, verified, with_layers = int(out[0]), int(out[1]), int(out[2])
    print(f"{args.backend}: {size / 1e6:.1f} MB signed manifest, {out[4]} layers, digest {out[3]}")
    for what, peak in (("construct + verify + digest", verified), ("then layers", with_layers)):
        print(f"peak memory above baseline, {what}: {peak / 1e6:.1f} MB = {peak / size:.2f}x")


if __name__ == "__main__":
    main()
