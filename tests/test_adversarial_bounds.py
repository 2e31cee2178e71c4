"""Hostile input, second round (DESIGN 6.8 and 6.9): bounded signature work, members read but
not built, Go's case-insensitive keys, degenerate Ed25519 keys, no foreign exception from any
member, and no panic or abort when threads or memory run out. Both backends, exact class and
message; costs are shown by ``benches/abuse.py``, never timed here.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from docker_schema1 import DockerSchema1Manifest
from docker_schema1._backend import MAX_SIGNATURES

from . import signing
from .members import every_member
from .test_adversarial import (
    INVALID,
    MALFORMED,
    PAYLOAD,
    PAYLOAD_DIGEST,
    assemble,
    attempt,
    block,
    document,
    expect_rejected,
    payload_of,
    protected,
    v1,
)

# ---------------------------------------------------------------------------------------------
# 1. Signature count: identical blocks verified once, at most MAX_SIGNATURES
# ---------------------------------------------------------------------------------------------


def test_the_limit_is_64() -> None:
    assert MAX_SIGNATURES == 64


def test_identical_blocks_up_to_the_limit_verify(backend: str) -> None:
    one = block("EdDSA")
    manifest = attempt(assemble([one] * MAX_SIGNATURES))
    assert manifest.digest == PAYLOAD_DIGEST
    assert len(manifest.signers) == MAX_SIGNATURES
    assert len(set(manifest.signers)) == 1
    assert manifest.signatures == [one] * MAX_SIGNATURES


def test_distinct_signatures_up_to_the_limit_verify(backend: str) -> None:
    blocks = [block(alg) for alg in signing.ALGS] * 6 + [block("ES256")] * 4
    assert len(blocks) == MAX_SIGNATURES
    manifest = attempt(assemble(blocks))
    assert [alg for alg, _ in manifest.signers] == [b["header"]["alg"] for b in blocks]


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize("count", [MAX_SIGNATURES + 1, 2000])
def test_more_signatures_than_the_limit_are_rejected(
    backend: str, count: int, validate: bool
) -> None:
    expect_rejected(
        assemble([block("EdDSA")] * count),
        INVALID,
        r"^more than 64 signatures: at most 64 are accepted$",
        validate=validate,
    )


def test_the_limit_is_checked_before_later_signatures(backend: str) -> None:
    """Signatures are checked in order, and the 65th is refused for its number."""
    blocks: list[Any] = [block("ES256")] * MAX_SIGNATURES + [{"not": "a signature"}]
    expect_rejected(assemble(blocks), INVALID, "more than 64 signatures")
    blocks = [block("ES256"), 1] + [block("ES256")] * MAX_SIGNATURES
    expect_rejected(assemble(blocks), MALFORMED, r"signatures\[1\]")


def test_an_identical_bad_block_fails_at_its_first_copy(backend: str) -> None:
    bad = block("ES256", signed_payload=b"something else")
    expect_rejected(assemble([block("RS256"), bad, bad, bad]), INVALID, "^signature 1")


# ---------------------------------------------------------------------------------------------
# 4. Members the schema does not read are checked, not built; raw members read again
# ---------------------------------------------------------------------------------------------

JUNK = "[" * 400 + '{"a": [1, 2.5, null, "x"]}' + "]" * 400


def unsigned_with(member: str, value: str) -> bytes:
    return PAYLOAD[:-2] + f',\n   "{member}": {value}\n}}'.encode()


def test_unknown_members_are_read_as_json_reads_them(backend: str) -> None:
    data = unsigned_with("junk", JUNK)
    manifest = attempt(data)
    assert manifest.manifest_dict == json.loads(data)
    assert manifest.tag == "latest"


@pytest.mark.parametrize(
    "value",
    [JUNK, "[1, 2]", '{"os": "linux"}', "null", "12", "1.5e400", '"arm64"'],
    ids=["nested", "list", "object", "null", "int", "inf", "string"],
)
def test_raw_architecture_of_any_type(backend: str, value: str) -> None:
    doc = json.dumps(document(), indent=3).replace('"amd64"', value)
    manifest = attempt(doc.encode())
    assert manifest.architecture == json.loads(value)
    rebuilt = attempt(manifest.unsigned().bytes.as_encoded_str())
    assert rebuilt.architecture == json.loads(value)


def test_raw_signatures_keep_members_nobody_reads(backend: str) -> None:
    blocks = [block("ES256"), block("RS256")]
    blocks[0]["header"]["x5c"] = ["cert"]
    blocks[0]["header"]["jwk"]["use"] = {"nested": json.loads(JUNK)}
    blocks[1]["extra"] = [1, 2, 3]
    manifest = attempt(assemble(blocks))
    assert manifest.is_signed
    assert len(manifest.signers) == 2
    assert manifest.signatures == blocks


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[1, 2", "Expecting ',' delimiter"),
        ('{"a" 1}', "Expecting ':' delimiter"),
        ('"\\x"', "Invalid \\\\escape"),
        ("[" * 600 + "]" * 600, "nesting deeper than 512 levels"),
        ("1" * 4301, "Exceeds the limit \\(4300 digits\\)"),
    ],
    ids=["array", "object", "escape", "depth", "digits"],
)
def test_unknown_members_are_still_checked(backend: str, value: str, message: str) -> None:
    expect_rejected(unsigned_with("junk", value), MALFORMED, message, validate=False)


def test_errors_in_unknown_members_are_json_loads_errors(backend: str) -> None:
    data = unsigned_with("junk", "[1, 2")
    with pytest.raises(json.JSONDecodeError) as python:
        json.loads(data)
    expect_rejected(data, MALFORMED, "^malformed manifest data: " + re.escape(str(python.value)))


# ---------------------------------------------------------------------------------------------
# 5. Every member raises only our classes
# ---------------------------------------------------------------------------------------------


def layered(*sizes: Any) -> bytes:
    history = [{"v1Compatibility": v1(f"{i:064x}", Size=size)} for i, size in enumerate(sizes)]
    fs_layers = [{"blobSum": "sha256:" + "a" * 64} for _ in sizes]
    return payload_of(document(fsLayers=fs_layers, history=history))


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [((1.5,), 1.5), ((10**400,), 10**400), ((1, 2.5), 3.5), ((None, 7), 7)],
)
def test_layers_compressed_size_sums_what_python_sums(
    backend: str, sizes: tuple[Any, ...], expected: Any
) -> None:
    assert attempt(layered(*sizes)).layers_compressed_size == expected


@pytest.mark.parametrize("sizes", [(1.5, 10**400), (10**400, 1e308), ("12", 1)])
def test_layers_compressed_size_that_python_cannot_sum(
    backend: str, sizes: tuple[Any, ...]
) -> None:
    manifest = attempt(layered(*sizes))
    with pytest.raises(MALFORMED, match=r"^a layer's Size is not a number$"):
        _ = manifest.layers_compressed_size
    outcomes = every_member(manifest)
    assert outcomes["layers_compressed_size"] == "MalformedSchema1Manifest"


# ---------------------------------------------------------------------------------------------
# 6. DESIGN 6.8: keys that Go's encoding/json reads as ours
# ---------------------------------------------------------------------------------------------

CLASH = (
    r'^{place}: key "{key}" differs from "{known}" only in case '
    r'\(Go\'s encoding/json reads it as "{known}"\)$'
)


def clash(place: str, key: str, known: str) -> str:
    return CLASH.format(place=place.replace("[", r"\[").replace("]", r"\]"), key=key, known=known)


def head_with(**members: Any) -> bytes:
    """The honest head with ``members`` added after ``tag`` (inside what is signed)."""
    doc = document()
    out: dict[str, Any] = {}
    for key, value in doc.items():
        out[key] = value
        if key == "tag":
            out.update(members)
    return payload_of(out)


TOP_LEVEL = [
    ("TAG", "tag"),
    ("Name", "name"),
    ("ARCHITECTURE", "architecture"),
    ("FSLayers", "fsLayers"),
    ("fſLayers", "fsLayers"),
    ("History", "history"),
    ("SchemaVersion", "schemaVersion"),
    ("mediatype", "mediaType"),
]


@pytest.mark.parametrize(("key", "known"), TOP_LEVEL)
def test_top_level_key_in_another_case(backend: str, key: str, known: str) -> None:
    payload = head_with(**{key: "evil"})
    data = assemble([block("ES256", payload=payload)], payload=payload)
    expect_rejected(data, MALFORMED, clash("manifest", key, known))
    # Unsigned, too; and without validation it is read as Python reads it.
    expect_rejected(payload, MALFORMED, clash("manifest", key, known))
    assert attempt(payload, validate=False).tag == "latest"


def test_signatures_key_in_another_case_is_rejected(backend: str) -> None:
    data = assemble([block("ES256")]).replace(b'"signatures"', b'"Signatures"')
    expect_rejected(data, MALFORMED, clash("manifest", "Signatures", "signatures"))


@pytest.mark.parametrize("key", ["hıstory", "hİstory", "tags", "t\u00e1g", "fsLayer"])
def test_keys_go_does_not_fold_are_ignored(backend: str, key: str) -> None:
    payload = head_with(**{key: "x"})
    manifest = attempt(assemble([block("ES256", payload=payload)], payload=payload))
    assert manifest.tag == "latest" and len(manifest.layers) == 2


@pytest.mark.parametrize(
    ("where", "key", "known"),
    [("fsLayers", "BlobSum", "blobSum"), ("history", "v1compatibility", "v1Compatibility")],
)
def test_layer_entry_key_in_another_case(backend: str, where: str, key: str, known: str) -> None:
    doc = document()
    doc[where][1][key] = "x"
    payload = payload_of(doc)
    data = assemble([block("ES256", payload=payload)], payload=payload)
    expect_rejected(data, MALFORMED, clash(f"{where}[1]", key, known))


def with_second_block_member(path: str, key: str) -> bytes:
    second = block("RS256")
    target = second
    for part in path.split("."):
        if part:
            target = target[part]
    target[key] = "x"
    return assemble([block("ES256"), second])


@pytest.mark.parametrize(
    ("path", "key", "known", "place"),
    [
        ("", "Protected", "protected", "signatures[1]"),
        ("", "SIGNATURE", "signature", "signatures[1]"),
        ("header", "Alg", "alg", "signatures[1].header"),
        ("header", "X5C", "x5c", "signatures[1].header"),
        ("header.jwk", "KTY", "kty", "signatures[1].header.jwk"),
        ("header.jwk", "\u212aty", "kty", "signatures[1].header.jwk"),
        ("header.jwk", "N", "n", "signatures[1].header.jwk"),
    ],
)
def test_signature_key_in_another_case(
    backend: str, path: str, key: str, known: str, place: str
) -> None:
    data = with_second_block_member(path, key)
    expect_rejected(data, MALFORMED, clash(place, key, known))
    assert attempt(data, validate=False).digest == PAYLOAD_DIGEST


@pytest.mark.parametrize(
    ("key", "known"),
    [
        ("FormatLength", "formatLength"),
        ("formattail", "formatTail"),
        ("ALG", "alg"),
        ("Time", "time"),
        ("CRIT", "crit"),
    ],
)
def test_protected_header_key_in_another_case(backend: str, key: str, known: str) -> None:
    for index in (0, 1):
        blocks = [block("ES256"), block("ES256")]
        blocks[index] = block("ES256", protected_b64=protected(**{key: "x"}))
        place = f"signatures[{index}] protected header"
        expect_rejected(assemble(blocks), MALFORMED, clash(place, key, known))


# ---------------------------------------------------------------------------------------------
# 7. Ed25519 keys of small order or in a non-canonical encoding
# ---------------------------------------------------------------------------------------------

P = 2**255 - 19
Y8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022


def ed25519_key(y: int, negative_x: bool = False) -> bytes:
    raw = bytearray(y.to_bytes(32, "little"))
    raw[31] |= 0x80 if negative_x else 0
    return bytes(raw)


def with_ed25519_key(key: bytes, signature: bytes) -> bytes:
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": signing.b64url(key)}
    return assemble([block("EdDSA", jwk=jwk, signature=signing.b64url(signature))])


SMALL_ORDER = [(0, False), (0, True), (1, False), (P - 1, False)] + [
    (y, sign) for y in (Y8, P - Y8) for sign in (False, True)
]


@pytest.mark.parametrize(("y", "negative_x"), SMALL_ORDER)
def test_small_order_ed25519_keys_are_rejected(backend: str, y: int, negative_x: bool) -> None:
    # With the identity as R and s = 0, the check holds for every message under these keys.
    forged = with_ed25519_key(ed25519_key(y, negative_x), b"\x01" + b"\x00" * 63)
    expect_rejected(forged, INVALID, "^signature 0: jwk: Ed25519 key is of small order$")


@pytest.mark.parametrize(
    ("y", "negative_x"), [(P, False), (P + 1, False), (2**255 - 1, False), (1, True), (P - 1, True)]
)
def test_non_canonical_ed25519_keys_are_rejected(backend: str, y: int, negative_x: bool) -> None:
    data = with_ed25519_key(ed25519_key(y, negative_x), b"\x01" + b"\x00" * 63)
    expect_rejected(data, INVALID, "^signature 0: jwk: Ed25519 key is not canonically encoded$")


def test_an_honest_ed25519_key_still_verifies(backend: str) -> None:
    assert attempt(assemble([block("EdDSA")])).signers[0][0] == "EdDSA"


# ---------------------------------------------------------------------------------------------
# 8. No panic, no abort: out of threads, out of memory
# ---------------------------------------------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import os, resource, sys
    import docker_schema1
    from docker_schema1 import DockerSchema1Manifest, ManifestException
    docker_schema1.set_backend(sys.argv[2])
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    def limit_memory():
        with open("/proc/self/status") as f:
            size = next(l for l in f if l.startswith("VmSize:")).split()[1]
        # Room for the allocators' own small needs (mimalloc maps 32 MiB segments), not for
        # the signing input, which is 4/3 of the document.
        limit = int(size) * 1024 + 100 * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def read():
        return DockerSchema1Manifest(data).digest

    if sys.argv[3] == "threads":
        DockerSchema1Manifest(data)  # imports everything while the files can still be read
        os.setgid(65534)
        os.setuid(65534)
        resource.setrlimit(resource.RLIMIT_NPROC, (1, 1))
    elif sys.argv[3] == "rewrite":
        # The layers read and the manifest made first; then every layer rewritten.
        manifest = DockerSchema1Manifest(data, validate=False)
        base = manifest.layers[0].v1_metadata.image_id
        images = {base: type("Image", (), {"content_checksum": "sha256:other"})()}
        read = lambda: len(list(manifest.rewrite_invalid_image_ids(images)))
        limit_memory()
    else:
        limit_memory()
    try:
        print("ok", read())
    except (ManifestException, MemoryError) as exc:
        print("error", type(exc).__name__, exc)
    """
)


def big_signed(size: int) -> tuple[bytes, str]:
    """A signed manifest of about ``size`` bytes, most of it one member nobody reads (so the
    first large allocation is the signing input), past the parallel digest's 512 KB."""
    payload = payload_of(document(junk="x" * size))
    data = assemble([block("ES256", payload=payload)], payload=payload)
    with_digest = attempt(data)
    return data, with_digest.digest


def run_child(tmp_path: Any, data: bytes, backend: str, mode: str) -> list[str]:
    path = tmp_path / "manifest.json"
    path.write_bytes(data)
    # The core's allocator (mimalloc) reserves address space a GiB at a time, which would hide
    # the address-space limit in CHILD; a small reserve makes each large allocation ask the OS.
    env = {**os.environ, "MIMALLOC_ARENA_RESERVE": "4MiB"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), backend, mode],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, f"the interpreter died ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout.split(maxsplit=2)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root")
def test_out_of_threads_the_digest_is_hashed_in_the_calling_thread(
    backend: str, tmp_path: Any
) -> None:
    data, digest = big_signed(2_000_000)
    assert run_child(tmp_path, data, backend, "threads") == ["ok", digest]


def test_out_of_memory_is_an_error_not_an_abort(backend: str, tmp_path: Any) -> None:
    data, _ = big_signed(120_000_000)
    outcome = run_child(tmp_path, data, backend, "memory")
    assert outcome[0] == "error"
    assert outcome[1] in ("MemoryError", "MalformedSchema1Manifest"), outcome
    if outcome[1] == "MalformedSchema1Manifest":
        assert outcome[2].startswith("out of memory while reading"), outcome


def test_out_of_memory_in_a_rewrite_is_an_error_not_an_abort(backend: str, tmp_path: Any) -> None:
    # A layer whose v1Compatibility is mostly one array of 15 million zeros: 45 MB of text,
    # about half a GB once read whole, and 30 MB of canonical text for the rewritten record's
    # Python string: whichever does not fit under the limit is an error, not an abort (nor a
    # panic of the binding, which made Python strings infallibly).
    v1 = '{"id": "' + "a" * 64 + '", "extra": [' + "0, " * 15_000_000 + "0]}"
    doc = {
        "schemaVersion": 1,
        "name": "n/r",
        "tag": "t",
        "fsLayers": [{"blobSum": "sha256:" + "ab" * 32}],
        "history": [{"v1Compatibility": v1}],
    }
    outcome = run_child(tmp_path, json.dumps(doc).encode(), backend, "rewrite")
    assert outcome[0] == "error", outcome
    assert outcome[1] in ("MemoryError", "MalformedSchema1Manifest"), outcome
    if outcome[1] == "MalformedSchema1Manifest":
        assert "out of memory while reading an array" in outcome[2], outcome


def test_every_member_of_an_honest_manifest(backend: str) -> None:
    outcomes = every_member(DockerSchema1Manifest(assemble([block("ES256")])))
    assert set(outcomes.values()) == {"ok"}, outcomes


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()
