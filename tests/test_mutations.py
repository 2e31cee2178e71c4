"""Hypothesis: byte-level mutations of valid signed manifests (DESIGN 4.2, 6).

A mutation (bit flip, inserted byte, deleted span, duplicated span, swapped bytes) of a signed
manifest must, with ``validate=True``, either still verify with the same digest and the same
content (it only touched bytes outside the signed payload that nobody reads, such as whitespace
or a jwk ``kid``), or raise ``MalformedSchema1Manifest``/``InvalidSchema1Signature``; never
anything else. The Rust and pure backends must agree: the same class, or both accept with the
same digest. Each backend runs the property through the public API on its own examples. Every
member of each manifest accepted is then called: none may raise anything but our two classes.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import event, given, note
from hypothesis import strategies as st

from docker_schema1 import DockerSchema1Manifest, InvalidSchema1Signature, MalformedSchema1Manifest
from docker_schema1._backend import using_backend

from . import signing
from .conftest import BACKENDS
from .members import every_member

ERRORS = (MalformedSchema1Manifest, InvalidSchema1Signature)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("signed-*.json"))
STRUCTURAL = frozenset(b'{}[],:"\\ \n')

#: Inputs tried, by backend and outcome; reported at the end of the module.
TRIED: collections.Counter[str] = collections.Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    total = sum(n for key, n in TRIED.items() if key.startswith("input:"))
    summary = ", ".join(f"{key} {n}" for key, n in sorted(TRIED.items()))
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\ntest_mutations: {total} mutated inputs tried ({summary})")


# ---------------------------------------------------------------------------------------------
# Signed manifests to mutate
# ---------------------------------------------------------------------------------------------

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)
hexes = st.text(alphabet="0123456789abcdef", min_size=1, max_size=12)
v1_metadata = st.fixed_dictionaries(
    {"id": hexes},
    optional={
        "parent": hexes,
        "created": st.just("2019-01-08T19:13:20.674196-07:00"),
        "author": texts,
        "Size": st.integers(0, 10**12),
        "container_config": st.fixed_dictionaries({"Cmd": st.lists(texts, max_size=2)}),
        "config": st.fixed_dictionaries({"Labels": st.dictionaries(texts, texts, max_size=2)}),
    },
)


@st.composite
def signed_manifests(draw: Callable[..., Any]) -> tuple[bytes, str]:
    """(signed document, digest of its payload): generated and signed RS256/ES256 with
    ``tests/signing.py``, or one of the libtrust-signed ``examples/``."""
    if draw(st.integers(0, 4)) == 0:
        data = (EXAMPLES / draw(st.sampled_from(EXAMPLE_FILES))).read_bytes()
        with using_backend("pure"):
            return data, DockerSchema1Manifest(data).digest
    layers = draw(st.lists(v1_metadata, min_size=1, max_size=3))
    doc = {
        "schemaVersion": 1,
        "name": draw(st.sampled_from(["library/busybox", "ns/repo", "a/b/c"])),
        "tag": draw(st.sampled_from(["latest", "v1.0", "é"])),
        "architecture": "amd64",
        "fsLayers": [
            {"blobSum": "sha256:" + hashlib.sha256(str(i).encode()).hexdigest()}
            for i in range(len(layers))
        ],
        "history": [{"v1Compatibility": json.dumps(v1, sort_keys=True)} for v1 in layers],
    }
    ensure_ascii = draw(st.booleans())
    payload = json.dumps(doc, indent=3, ensure_ascii=ensure_ascii).encode()
    algs = draw(st.lists(st.sampled_from(["RS256", "ES256"]), min_size=1, max_size=2))
    return signing.sign(payload, algs), "sha256:" + hashlib.sha256(payload).hexdigest()


@st.composite
def positions(draw: Callable[..., Any], data: bytearray) -> int:
    """A byte position, a third of the time one of the JSON-structural bytes (where it hurts)."""
    if draw(st.integers(0, 2)) == 0:
        structural = [i for i, b in enumerate(data) if b in STRUCTURAL]
        if structural:
            return int(draw(st.sampled_from(structural)))
    return int(draw(st.integers(0, max(len(data) - 1, 0))))


def mutate(draw: Callable[..., Any], original: bytes) -> tuple[bytes, list[str]]:
    data = bytearray(original)
    done = []
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        action = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "swap"]))
        at = draw(positions(data))
        if action == "flip" and data:
            bit = draw(st.integers(0, 7))
            data[at] ^= 1 << bit
            done.append(f"flip bit {bit} at {at}")
        elif action == "insert":
            byte = draw(st.integers(0, 255) | st.sampled_from(list(STRUCTURAL)))
            data.insert(at, byte)
            done.append(f"insert {bytes([byte])!r} at {at}")
        elif action == "delete" and data:
            size = draw(st.integers(1, 16))
            del data[at : at + size]
            done.append(f"delete {size} at {at}")
        elif action == "duplicate" and data:
            size = draw(st.integers(1, 64))
            span = bytes(data[at : at + size])
            to = draw(st.integers(0, len(data)))
            data[to:to] = span
            done.append(f"copy {span!r} from {at} to {to}")
        elif action == "swap" and data:
            other = draw(positions(data))
            data[at], data[other] = data[other], data[at]
            done.append(f"swap {at} and {other}")
    return bytes(data), done


# ---------------------------------------------------------------------------------------------
# The property
# ---------------------------------------------------------------------------------------------


def outcome(backend: str, data: bytes, validate: bool) -> tuple[str, Any]:
    """("ok", digest, manifest) or ("error", class name, message); anything else fails."""
    with using_backend(backend):
        try:
            manifest = DockerSchema1Manifest(data, validate=validate)
        except ERRORS as exc:
            return ("error", type(exc).__name__, str(exc))
        except Exception as exc:  # a foreign exception is the failure this test looks for
            pytest.fail(
                f"{backend} backend, validate={validate}: foreign exception "
                f"{type(exc).__name__}: {exc!r}"[:2000]
            )
    return ("ok", manifest.digest, manifest)


def content(value: Any) -> Any:
    """A document as readers see it, without its signatures."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != "signatures"}
    return value


def check_mutation(backend: str, original: bytes, digest: str, mutated: bytes) -> None:
    other = next(name for name in BACKENDS if name != backend)
    mine = outcome(backend, mutated, True)
    theirs = outcome(other, mutated, True)
    TRIED[f"input:{backend}"] += 1
    label = mine[1] if mine[0] == "error" else "verified" if mine[2].is_signed else "now-unsigned"
    TRIED[f"{backend}:{label}"] += 1
    event(f"{backend}: {label}")
    note(f"{backend}: {mine[:3]}\n{other}: {theirs[:3]}")

    if mine[0] == "ok" and not mine[2].is_signed:
        # The mutation took the "signatures" member away (say "signatures" became "rignatures"):
        # what is left is a valid unsigned manifest, digested whole and not claiming a signer.
        manifest = mine[2]
        assert manifest.signers == []
        assert manifest.signatures is None
        assert mine[1] == "sha256:" + hashlib.sha256(mutated).hexdigest()
        assert "signatures" not in manifest.manifest_json
        assert theirs[0] == "ok", f"{backend} accepts, {other} raises {theirs[1]}: {theirs[2]}"
        assert theirs[1] == mine[1]
    elif mine[0] == "ok":
        # Only bytes nobody reads may change: the digest and the content are the signed ones.
        assert mine[1] == digest, f"verified with another digest: {mine[1]} != {digest}"
        manifest = mine[2]
        assert manifest.signers, "a signed manifest verified with validate=True has signers"
        assert content(manifest.manifest_json) == content(json.loads(original))
        assert theirs[0] == "ok", f"{backend} accepts, {other} raises {theirs[1]}: {theirs[2]}"
        assert theirs[1] == mine[1]
    else:
        assert theirs[0] == "error", f"{backend} raises {mine[1]}: {mine[2]}; {other} accepts"
        assert theirs[1] == mine[1], (
            f"classes differ: {backend} {mine[1]}: {mine[2]!r}; {other} {theirs[1]}: {theirs[2]!r}"
        )

    # Without validation, both still agree (same digest, or same class).
    loose = outcome(backend, mutated, False), outcome(other, mutated, False)
    assert loose[0][:2] == loose[1][:2], (loose[0][:3], loose[1][:3])

    # Every member of whatever was accepted raises nothing but our classes (DESIGN 4.2).
    for result in (mine, theirs, *loose):
        if result[0] == "ok":
            every_member(result[2])


@pytest.mark.parametrize("backend", BACKENDS)
@given(st.data())
def test_mutated_signed_manifests(backend: str, data: st.DataObject) -> None:
    original, digest = data.draw(signed_manifests(), label="manifest")
    mutated, steps = mutate(data.draw, original)
    note(f"mutations: {steps}")
    check_mutation(backend, original, digest, mutated)


@pytest.mark.parametrize("backend", BACKENDS)
@given(st.data())
def test_mutated_signatures_region(backend: str, data: st.DataObject) -> None:
    """The same, with every mutation inside the signatures member and the tail, where libtrust
    never looks: only whitespace, the jwk ``kid`` and the like may change there."""
    original, digest = data.draw(signed_manifests(), label="manifest")
    start = original.rindex(b',\n   "signatures"')
    head, region = original[:start], original[start:]
    mutated_region, steps = mutate(data.draw, region)
    note(f"mutations in the signatures region: {steps}")
    check_mutation(backend, original, digest, head + mutated_region)


@pytest.mark.parametrize("backend", BACKENDS)
def test_unmutated_seeds_verify(backend: str) -> None:
    for name in EXAMPLE_FILES:
        data = (EXAMPLES / name).read_bytes()
        status, digest, _ = outcome(backend, data, True)
        assert status == "ok"
        assert digest == outcome("pure" if backend == "rust" else "rust", data, True)[1]


@pytest.mark.parametrize("backend", BACKENDS)
@given(st.data())
def test_mutated_protected_header(backend: str, data: st.DataObject) -> None:
    """The same, with the mutations made to a protected header's decoded JSON (then encoded
    again), so that they reach formatLength, formatTail and the header's own parser."""
    original, digest = data.draw(signed_manifests(), label="manifest")
    start = original.index(b'"protected": "') + len(b'"protected": "')
    end = original.index(b'"', start)
    header = base64.urlsafe_b64decode(original[start:end] + b"=" * (-(end - start) % 4))
    mutated_header, steps = mutate(data.draw, header)
    note(f"protected header {header!r} mutated: {steps} -> {mutated_header!r}")
    encoded = signing.b64url(mutated_header).encode()
    check_mutation(backend, original, digest, original[:start] + encoded + original[end:])
