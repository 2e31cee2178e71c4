"""`docker-schema1 convert` and `migrate` offline: the layouts written, and failures reported as
one line with exit status 1."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from docker_schema1 import DockerSchema1ManifestBuilder
from docker_schema1.cli import main

EMPTY_GZIP_LAYER = bytes.fromhex("1f8b080000096e8800ff621805a360148c5800080000ffff2eafb5ef00040000")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.fixture
def image(tmp_path: Path) -> tuple[Path, Path, list[bytes]]:
    """A signed-less two-layer image with a throw-away top: (manifest, blob dir, blobs)."""
    blobs = tmp_path / "blobs"
    blobs.mkdir()
    layer = gzip.compress(b"tar" * 400, mtime=0)
    contents = [layer, EMPTY_GZIP_LAYER]
    for blob in contents:
        (blobs / sha256(blob)[7:]).write_bytes(blob)
    builder = DockerSchema1ManifestBuilder("ns", "app", "v1")
    top = {"id": "2" * 64, "parent": "1" * 64, "throwaway": True, "config": {"Cmd": ["sh"]}}
    builder.add_layer(sha256(EMPTY_GZIP_LAYER), json.dumps(top))
    builder.add_layer(sha256(layer), json.dumps({"id": "1" * 64}))
    path = tmp_path / "manifest.json"
    path.write_bytes(builder.build().bytes.as_encoded_str())
    return path, blobs, contents


def test_convert_writes_the_dir_layout(
    image: tuple[Path, Path, list[bytes]], tmp_path: Path, capsys: Any
) -> None:
    manifest, blobs, contents = image
    out = tmp_path / "out"
    assert main(["convert", str(manifest), "--blobs", str(blobs), "-o", str(out)]) == 0
    digest = capsys.readouterr().out.strip()
    written = (out / "manifest.json").read_bytes()
    assert sha256(written) == digest
    document = json.loads(written)
    config = (out / document["config"]["digest"][7:]).read_bytes()
    assert sha256(config) == document["config"]["digest"]
    assert [layer["digest"] for layer in document["layers"]] == [sha256(contents[0])]
    assert (out / "version").read_bytes() == b"Directory Transport Version: 1.1\n"
    # every blob of the schema 1 image is there, the throw-away one too (as skopeo copies it)
    names = {p.name for p in out.iterdir()}
    assert names == {"manifest.json", "version", document["config"]["digest"][7:]} | {
        sha256(b)[7:] for b in contents
    }
    history = json.loads(config)["history"]
    assert [h.get("empty_layer", False) for h in history] == [False, True]


def test_convert_writes_the_oci_layout(
    image: tuple[Path, Path, list[bytes]], tmp_path: Path, capsys: Any
) -> None:
    manifest, blobs, _ = image
    out = tmp_path / "oci"
    args = ["convert", str(manifest), "--blobs", str(blobs), "--format", "oci", "-o", str(out)]
    assert main(args) == 0
    digest = capsys.readouterr().out.strip()
    assert (out / "oci-layout").read_bytes() == b'{"imageLayoutVersion": "1.0.0"}'
    index = json.loads((out / "index.json").read_bytes())
    (entry,) = index["manifests"]
    assert entry["digest"] == digest
    assert entry["annotations"] == {"org.opencontainers.image.ref.name": "v1"}
    document = json.loads((out / "blobs" / "sha256" / digest[7:]).read_bytes())
    assert document["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
    assert entry["size"] == len((out / "blobs" / "sha256" / digest[7:]).read_bytes())


def test_a_missing_or_wrong_blob_fails(
    image: tuple[Path, Path, list[bytes]], tmp_path: Path, capsys: Any
) -> None:
    manifest, blobs, contents = image
    victim = blobs / sha256(contents[0])[7:]
    victim.write_bytes(b"tampered")
    assert main(["convert", str(manifest), "--blobs", str(blobs), "-o", str(tmp_path / "o")]) == 1
    assert "not the expected" in capsys.readouterr().err
    victim.unlink()
    assert main(["convert", str(manifest), "--blobs", str(blobs), "-o", str(tmp_path / "o")]) == 1
    assert "is not in" in capsys.readouterr().err


def test_migrate_reports_an_unreachable_registry(capsys: Any) -> None:
    status = main(["migrate", "127.0.0.1:1/a/b:c", "127.0.0.1:1/a/d:e"])
    assert status == 1
    err = capsys.readouterr().err
    assert "127.0.0.1:1" in err
    assert len(err.strip().splitlines()) == 1
