"""Hostile input: what each class of attack costs, in seconds and peak memory per MB of input.

    python benches/abuse.py [--mb 2] [--backend rust|pure] [--quick] [case ...]

Builds one input per class of hostile input (DESIGN 6.7 to 6.9, and the classes of the
second-round review: signature count, `created` backtracking, predictable hashing, memory
amplification, foreign exceptions, readings that differ from Go's, degenerate keys, panics and
aborts), runs each in a fresh interpreter and prints one row per case: the input's size, the
seconds the operation took, the peak resident memory (VmHWM, reset once the input is read)
above what the interpreter held before it, both per MB of input, and how it ended. The bound
the package keeps is about a second per MB and 10x the input plus 50 MB in the constructor;
the table is the proof, so nothing here asserts. `--quick` (as CI runs it) uses small inputs.
"""

from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils

MB = 1_000_000
TIMEOUT = 300

# ---------------------------------------------------------------------------------------------
# Building inputs (in this process)
# ---------------------------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def layer(index: int, **extra: Any) -> tuple[dict[str, str], dict[str, str]]:
    metadata = {"id": f"{index:064x}", "created": "2019-01-01T00:00:00Z", **extra}
    return {"blobSum": f"sha256:{index:064x}"}, {"v1Compatibility": json.dumps(metadata)}


def document(layers: list[tuple[dict[str, Any], dict[str, Any]]], **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"schemaVersion": 1, "name": "abuse/case", "tag": "latest"}
    doc["architecture"] = "amd64"
    doc["fsLayers"] = [fs for fs, _ in layers]
    doc["history"] = [history for _, history in layers]
    doc.update(extra)
    return doc


def padded(size: int) -> dict[str, Any]:
    """An honest document of about `size` bytes (one layer, a long command)."""
    return document([layer(1, container_config={"Cmd": ["x" * max(size - 600, 10)]})])


class Signer:
    """libtrust-style signing: formatLength before the closing brace, the block appended."""

    def __init__(self, alg: str) -> None:
        self.alg = alg
        if alg == "EdDSA":
            self.key: Any = ed25519.Ed25519PrivateKey.generate()
            raw = self.key.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            self.jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
        else:
            curve, crv, self.size, self.hash = {
                "ES256": (ec.SECP256R1(), "P-256", 32, hashes.SHA256()),
                "ES512": (ec.SECP521R1(), "P-521", 66, hashes.SHA512()),
            }[alg]
            self.key = ec.generate_private_key(curve)
            numbers = self.key.public_key().public_numbers()
            self.jwk = {
                "kty": "EC",
                "crv": crv,
                "x": b64url(numbers.x.to_bytes(self.size, "big")),
                "y": b64url(numbers.y.to_bytes(self.size, "big")),
            }

    def block(self, payload: bytes, length: int) -> dict[str, Any]:
        header = {"formatLength": length, "formatTail": b64url(payload[length:])}
        protected = b64url(json.dumps(header).encode())
        signing_input = f"{protected}.{b64url(payload)}".encode()
        if self.alg == "EdDSA":
            signature = self.key.sign(signing_input)
        else:
            r, s = utils.decode_dss_signature(self.key.sign(signing_input, ec.ECDSA(self.hash)))
            signature = r.to_bytes(self.size, "big") + s.to_bytes(self.size, "big")
        return {
            "header": {"jwk": self.jwk, "alg": self.alg},
            "signature": b64url(signature),
            "protected": protected,
        }


def signed(payload: bytes, blocks: Callable[[bytes, int], list[dict[str, Any]]]) -> bytes:
    length = payload.rindex(b"\n}")
    return (
        payload[:length]
        + b',\n   "signatures": '
        + json.dumps(blocks(payload, length)).encode()
        + payload[length:]
    )


def payload_of(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, indent=3).encode()


def identical_eddsa_blocks(size: int) -> bytes:
    signer = Signer("EdDSA")
    payload = payload_of(padded(size))
    return signed(payload, lambda p, n: [signer.block(p, n)] * 2000)


def distinct_es256_signatures(size: int) -> bytes:
    signers = [Signer("ES256") for _ in range(64)]
    payload = payload_of(padded(size))
    return signed(payload, lambda p, n: [s.block(p, n) for s in signers])


def distinct_es512_signatures(size: int) -> bytes:
    """The costliest verification per byte of signature block (P-521), on a small head."""
    signers = [Signer("ES512") for _ in range(64)]
    payload = payload_of(padded(1000))
    return signed(payload, lambda p, n: [s.block(p, n) for s in signers])


def long_created(size: int) -> bytes:
    created = "2019-01-01" + " " * 40_000 + "\x01"
    return payload_of(document([layer(1, created=created)]))


def numeric_ids(size: int) -> bytes:
    count = max(size // 240, 10)
    step = 2**61 - 1
    layers = []
    for i in range(count):
        fs, _ = layer(i)
        metadata: dict[str, Any] = {"id": (i + 1) * step}
        if i + 1 < count:
            metadata["parent"] = (i + 2) * step
        layers.append((fs, {"v1Compatibility": json.dumps(metadata)}))
    return payload_of(document(layers))


def nested_junk(size: int) -> str:
    depth = 500
    unit = "[" * depth + "]" * depth
    return "[" + ",".join([unit] * max(size // (2 * depth + 1), 1)) + "]"


def junk_member(size: int) -> bytes:
    doc = payload_of(document([layer(1)]))
    return doc[:-2] + b',\n   "junk": ' + nested_junk(size).encode() + b"\n}"


def minimal_layers(size: int) -> bytes:
    """As many layer entries as fit, each as short as the schema allows."""
    count = size // 45
    doc = document([({"blobSum": "a"}, {"v1Compatibility": "{}"})] * count)
    return json.dumps(doc, separators=(",", ":")).encode()


def junk_architecture(size: int) -> bytes:
    doc = json.dumps(document([layer(1)], architecture="__JUNK__"), indent=3)
    return doc.replace('"__JUNK__"', nested_junk(size)).encode()


def junk_in_signature(size: int) -> bytes:
    signer = Signer("ES256")
    payload = payload_of(padded(1000))

    def blocks(p: bytes, n: int) -> list[dict[str, Any]]:
        block = signer.block(p, n)
        block["header"]["junk"] = "__JUNK__"
        return [block]

    return signed(payload, blocks).replace(b'"__JUNK__"', nested_junk(size).encode())


def odd_sizes(size: int) -> bytes:
    return payload_of(document([layer(2, Size=1.5), layer(1, Size=10**400)]))


def case_variant_keys(size: int) -> bytes:
    signer = Signer("ES256")
    doc = document([layer(1)])
    text = json.dumps(doc, indent=3)
    text = text.replace('"tag": "latest",', '"tag": "latest",\n   "TAG": "evil",')
    payload = text.encode()
    return signed(payload, lambda p, n: [signer.block(p, n)])


def small_order_ed25519(size: int) -> bytes:
    payload = payload_of(document([layer(1)]))
    length = payload.rindex(b"\n}")
    header = {"formatLength": length, "formatTail": b64url(payload[length:])}
    block = {
        "header": {
            "jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64url(b"\x01" + b"\x00" * 31)},
            "alg": "EdDSA",
        },
        "signature": b64url(b"\x01" + b"\x00" * 63),
        "protected": b64url(json.dumps(header).encode()),
    }
    return signed(payload, lambda p, n: [block])


def large_signed(size: int) -> bytes:
    """A signed manifest whose head is mostly one member nobody reads."""
    signer = Signer("ES256")
    doc = document([layer(1)], junk="x" * max(size, MB))  # past the parallel digest's 512 KB
    return signed(payload_of(doc), lambda p, n: [signer.block(p, n)])


# ---------------------------------------------------------------------------------------------
# The cases: (class, name, input builder, operation run in the child)
# ---------------------------------------------------------------------------------------------

CASES: list[tuple[str, str, Callable[[int], bytes], str]] = [
    ("1", "2,000 identical EdDSA blocks", identical_eddsa_blocks, "construct"),
    ("1", "64 distinct ES256 signatures", distinct_es256_signatures, "construct"),
    ("1", "64 distinct ES512 signatures, small head", distinct_es512_signatures, "construct"),
    ("2", "40 KB `created` (date, spaces, junk)", long_created, "created"),
    ("3", "numeric ids, multiples of 2**61-1", numeric_ids, "ids"),
    ("4", "nested arrays in an unknown member", junk_member, "construct"),
    ("4", "nested arrays as architecture", junk_architecture, "construct"),
    ("4", "minimal layer entries, as many as fit", minimal_layers, "construct"),
    ("4", "nested arrays in a signature header", junk_in_signature, "construct-unvalidated"),
    ("4", "manifest_dict of the unknown member", junk_member, "manifest_dict"),
    ("4", "(json.loads of the same, for reference)", junk_member, "json.loads"),
    ("5", "Size 1.5 beside 10**400", odd_sizes, "compressed_size"),
    ("6", '"TAG" beside "tag", signed', case_variant_keys, "construct"),
    ("7", "small-order Ed25519 key, forged signature", small_order_ed25519, "construct"),
    ("8", "signed, no thread can be started", large_signed, "no-threads"),
    ("8", "signed, memory for half the input", large_signed, "no-memory"),
]

CHILD = r"""
import json, os, resource, sys, time

path, operation, backend = sys.argv[1:4]
with open(path, "rb") as f:
    data = f.read()
import docker_schema1
from docker_schema1 import DockerSchema1Manifest
docker_schema1.set_backend(backend)

def status(field):
    with open("/proc/self/status") as f:
        return int(next(l for l in f if l.startswith(field + ":")).split()[1]) * 1024

def run():
    if operation == "construct":
        m = DockerSchema1Manifest(data)
        return f"accepted, tag {m.tag!r}, {len(m.signers)} signer(s)"
    if operation == "construct-unvalidated":
        m = DockerSchema1Manifest(data, validate=False)
        return f"accepted, digest {m.digest[:19]}"
    if operation == "created":
        m = DockerSchema1Manifest(data)
        return f"created_datetime {m.created_datetime!r}"
    if operation == "ids":
        m = DockerSchema1Manifest(data)
        return f"{len(m.image_ids)} image ids"
    if operation == "manifest_dict":
        m = DockerSchema1Manifest(data, validate=False)
        return f"{len(m.manifest_dict)} members"
    if operation == "json.loads":
        return f"{len(json.loads(data))} members"
    if operation == "compressed_size":
        m = DockerSchema1Manifest(data)
        return f"layers_compressed_size {str(m.layers_compressed_size)[:20]}"
    if operation == "no-threads":
        if os.getuid() != 0:
            return "n/a (needs root to drop to a user with RLIMIT_NPROC 1)"
        DockerSchema1Manifest(data)  # imports everything while the files can still be read
        os.setgid(65534)
        os.setuid(65534)
        resource.setrlimit(resource.RLIMIT_NPROC, (1, 1))
        m = DockerSchema1Manifest(data)
        return f"accepted, {len(m.signers)} signer(s)"
    if operation == "no-memory":
        limit = status("VmSize") + len(data) // 2
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        m = DockerSchema1Manifest(data)
        return f"accepted, {len(m.signers)} signer(s)"
    raise SystemExit(f"unknown operation {operation}")

with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # VmHWM from here on
before = status("VmRSS")
start = time.perf_counter()
try:
    outcome = run()
except BaseException as exc:
    outcome = f"{type(exc).__name__}: {exc}"
seconds = time.perf_counter() - start
print(json.dumps([seconds, status("VmHWM") - before, outcome]))
"""


def run_case(data: bytes, operation: str, backend: str) -> tuple[float | None, int | None, str]:
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        f.write(data)
        f.flush()
        try:
            done = subprocess.run(
                [sys.executable, "-c", CHILD, f.name, operation, backend],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return None, None, f"still running after {TIMEOUT} s"
    if done.returncode != 0 or not done.stdout.strip():
        signal = f" (signal {-done.returncode})" if done.returncode < 0 else ""
        last = (done.stderr.strip().splitlines() or [""])[-1]
        return None, None, f"process died, exit {done.returncode}{signal}: {last}"
    seconds, peak, outcome = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, peak, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=2.0, help="size of the sized inputs")
    parser.add_argument("--backend", default="rust", choices=["rust", "pure"])
    parser.add_argument("--quick", action="store_true", help="small inputs (CI smoke test)")
    parser.add_argument("cases", nargs="*", help="class numbers to run (default: all)")
    args = parser.parse_args()
    size = int((0.2 if args.quick else args.mb) * MB)
    print(
        f"backend {args.backend}, sized inputs of {size / MB:g} MB, Python {sys.version.split()[0]}"
    )
    print()
    print("| class | case | input MB | seconds | s/MB | peak MB | peak/MB | outcome |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for klass, name, build, operation in CASES:
        if args.cases and klass not in args.cases:
            continue
        data = build(size)
        megabytes = len(data) / MB
        seconds, peak, outcome = run_case(data, operation, args.backend)
        outcome = " ".join(outcome.split())
        outcome = outcome if len(outcome) <= 90 else outcome[:87] + "..."
        if seconds is None or peak is None:
            cells = ["-", "-", "-", "-"]
        else:
            cells = [
                f"{seconds:.3f}",
                f"{seconds / megabytes:.2f}",
                f"{peak / MB:.1f}",
                f"{peak / MB / megabytes:.1f}",
            ]
        row = [klass, name, f"{megabytes:.2f}", *cells, outcome.replace("|", "/")]
        print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
