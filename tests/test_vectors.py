"""Every real-world manifest in ../shared/vectors: verdict and digest as INDEX.md gives them
(the Go peer: libtrust + docker/distribution), except where DESIGN section 6 makes us stricter."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from docker_schema1 import (
    DockerSchema1Manifest,
    InvalidSchema1Signature,
    MalformedSchema1Manifest,
    sha256_digest,
)

from .conftest import SHARED, shared_files, shared_path

OK, BAD_SIGNATURE, MALFORMED, UNSIGNED = "ok", "bad-signature", "malformed", "unsigned"

#: Where we are stricter than libtrust (DESIGN 6.3): content outside the signed payload.
STRICTER = {
    # libtrust verifies it and ignores the extra members after formatLength; a reader of the
    # whole document would see other fields than the signer signed.
    "moby-extra_data_manifest.json": BAD_SIGNATURE,
}


def index_rows() -> dict[str, dict[str, str]]:
    """The table of vectors/public/INDEX.md, keyed by file name."""
    text = shared_path("vectors", "public", "INDEX.md").read_text()
    table = [line for line in text.splitlines() if line.startswith("|")]
    split = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table]
    header, rows = split[0], split[2:]  # split[1] is the |---| line
    assert header[0] == "file" and "Go verdict" in header
    return {cells[0]: dict(zip(header, cells)) for cells in rows}


def expected_verdict(name: str, row: dict[str, str]) -> str:
    if name in STRICTER:
        return STRICTER[name]
    verdict = row["Go verdict"]
    if verdict == "ok":
        return OK
    if verdict == "missing signature key":
        return UNSIGNED
    if verdict in ("invalid signature",) or "after array element" in verdict:
        # Signed, then edited or re-formatted: the signature no longer verifies.
        return BAD_SIGNATURE
    if "in string literal" in verdict:
        # Re-indented after signing: formatLength now cuts inside history (6.3 and the
        # signature both object).
        return BAD_SIGNATURE
    return MALFORMED


def check(path: Path, verdict: str, digest: str | None) -> None:
    data = path.read_bytes()
    if verdict in (OK, UNSIGNED):
        manifest = DockerSchema1Manifest(data)
        assert manifest.is_signed == (verdict == OK)
        if digest:
            assert manifest.digest == digest
        if verdict == UNSIGNED:
            assert manifest.digest == sha256_digest(data)
        return
    error = InvalidSchema1Signature if verdict == BAD_SIGNATURE else MalformedSchema1Manifest
    with pytest.raises(error):
        DockerSchema1Manifest(data)
    if verdict == BAD_SIGNATURE and digest:
        # Without verification the payload digest is still the one libtrust computes.
        assert DockerSchema1Manifest(data, validate=False).digest == digest


PUBLIC = shared_files("vectors", "public")


@pytest.mark.parametrize("path", PUBLIC, ids=[p.name for p in PUBLIC])
def test_public_vector(backend: str, path: Path) -> None:
    rows = index_rows()
    assert path.name in rows, f"{path.name} has no row in INDEX.md"
    row = rows[path.name]
    match = re.search(r"sha256:[0-9a-f]{64}", row["digest (payload)"])
    check(path, expected_verdict(path.name, row), match.group(0) if match else None)


def test_every_index_row_has_a_file() -> None:
    names = {p.name for p in shared_files("vectors", "public")}
    assert set(index_rows()) <= names


QUAY = shared_files("vectors", "quay")


@pytest.mark.parametrize("path", QUAY, ids=[str(p.relative_to(SHARED)) for p in QUAY])
def test_quay_fixture(backend: str, path: Path) -> None:
    """Quay's own fixtures are also in vectors/public under a 'quay-' name: same verdict."""
    rows = index_rows()
    public_name = {
        "complex.schema1.json": "quay-conversion-complex.schema1.json",
        "simple.schema1.json": "quay-conversion-simple.schema1.json",
        "ubuntu.schema1.json": "quay-conversion-ubuntu.schema1.json",
    }.get(path.name, f"quay-{path.name}")
    if public_name in rows:
        row = rows[public_name]
        match = re.search(r"sha256:[0-9a-f]{64}", row["digest (payload)"])
        check(path, expected_verdict(public_name, row), match.group(0) if match else None)
    else:
        # Schema 2 manifests and configs of the conversion tests: not schema 1 at all.
        assert "fsLayers" not in json.loads(path.read_bytes())
        with pytest.raises(MalformedSchema1Manifest):
            DockerSchema1Manifest(path.read_bytes())


#: vectors/interop/README.md: the schema 1 outputs of skopeo, the registry and the peer verify;
#: the registry's Docker-Content-Digest prefixes are given there.
INTEROP = {
    "registry-get-after-skopeo-v2s1-push.json": (OK, "sha256:f171e3f5"),
    "registry-get-schema2-converted-to-v1.json": (OK, "sha256:47bd1474"),
    "schema1peer-build-config.json": (OK, "sha256:47bd1474"),
    "skopeo-copy-format-v2s1-dir.json": (OK, None),
    "input-schema2-config.json": (MALFORMED, None),
    "input-schema2-manifest.json": (MALFORMED, None),
    "skopeo-v2s1-to-v2s2-config.json": (MALFORMED, None),
    "skopeo-v2s1-to-v2s2-manifest.json": (MALFORMED, None),
}
INTEROP_FILES = shared_files("vectors", "interop")


@pytest.mark.parametrize("path", INTEROP_FILES, ids=[p.name for p in INTEROP_FILES])
def test_interop_vector(backend: str, path: Path) -> None:
    assert path.name in INTEROP, f"{path.name}: add its expected verdict to INTEROP"
    verdict, prefix = INTEROP[path.name]
    check(path, verdict, None)
    if prefix:
        assert DockerSchema1Manifest(path.read_bytes()).digest.startswith(prefix)


def test_skopeo_output_has_empty_name_and_tag(backend: str) -> None:
    m = DockerSchema1Manifest(
        shared_path("vectors", "interop", "skopeo-copy-format-v2s1-dir.json").read_bytes()
    )
    assert (m.namespace, m.repo_name, m.tag) == ("", "", "")
    assert m.signers and m.signers[0][0] == "ES256"


def test_signed_vectors_report_their_key_ids(backend: str) -> None:
    path = shared_path("vectors", "public", "moby-good_manifest.json")
    doc = json.loads(path.read_bytes())
    kid = doc["signatures"][0]["header"]["jwk"]["kid"]
    m = DockerSchema1Manifest(path.read_bytes())
    assert m.signers == [("ES256", kid)]
    protected = json.loads(base64.urlsafe_b64decode(doc["signatures"][0]["protected"] + "=="))
    assert protected["formatLength"] < len(path.read_bytes())
