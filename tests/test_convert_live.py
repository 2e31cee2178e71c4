"""Conversion against the real tools: an image made here (several layers, throw-away layers,
the empty gzip layer as a real layer too, a zstd layer, unicode and `<&>` in history and
labels, arm64) is signed as schema 1, pushed to Debian's docker-registry 2.8 on 127.0.0.1 and
copied by skopeo 1.9.3 with `--format v2s2` into `dir:` and `--format oci` into `oci:`; our
`docker-schema1 convert` writes the same files with the same bytes."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder
from docker_schema1.cli import main
from docker_schema1.convert import layer_info
from docker_schema1.migrate import migrate

from .peers import Registry, running_registry, schema1peer, unavailable

REPO = "migrate/sample"
TAG = "v1"
# distribution's gzippedEmptyTar (1024 zero bytes), sha256:a3ed95ca...
EMPTY_GZIP_LAYER = bytes.fromhex("1f8b080000096e8800ff621805a360148c5800080000ffff2eafb5ef00040000")


def tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1700000000
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def zstd_or_skip(data: bytes) -> bytes:
    zstd = shutil.which("zstd")
    if zstd is None:
        unavailable("no zstd command to make a zstd layer")
    return subprocess.run([zstd, "-q", "-c"], input=data, capture_output=True, check=True).stdout


def image_layers() -> list[tuple[bytes, dict[str, Any]]]:
    """(blob, v1Compatibility without id/parent), base first."""
    base = gzip.compress(tarball({"etc/motd": "héllo ☃ <&>\n".encode()}), mtime=0)
    app = gzip.compress(tarball({f"app/{i}.txt": bytes([i]) * 3000 for i in range(5)}), mtime=0)
    zst = zstd_or_skip(tarball({"zstd/file": b"z" * 5000}))
    return [
        (
            base,
            {
                "created": "2024-01-02T03:04:00Z",
                "container_config": {"Cmd": ["/bin/sh -c #(nop) ADD file:motd in /"]},
            },
        ),
        (
            EMPTY_GZIP_LAYER,
            {
                "created": "2024-01-02T03:04:01.500+02:00",
                "container_config": {"Cmd": ["/bin/sh -c #(nop)  ENV A=<&>"]},
                "throwaway": True,
            },
        ),
        (
            app,
            {
                "created": "2024-01-02T03:04:02.123456789Z",
                "author": "Ünïcode <a@example.com>",
                "comment": "a & b",
                "container_config": {"Cmd": ["/bin/sh", "-c", "echo '☃ <&>' > /x"]},
            },
        ),
        (
            EMPTY_GZIP_LAYER,
            {
                "created": "2024-01-02T03:04:03Z",
                "container_config": {"Cmd": ["/bin/sh -c mkdir /empty"]},
            },
        ),
        (
            zst,
            {"created": "2024-01-02T03:04:04Z", "container_config": {"Cmd": ["/bin/sh -c zstd"]}},
        ),
        (
            EMPTY_GZIP_LAYER,
            {
                "architecture": "arm64",
                "variant": "v8",
                "os": "linux",
                "created": "2024-01-02T03:04:05Z",
                "docker_version": "20.10.24",
                "config": {
                    "Env": ["PATH=/usr/bin:/bin"],
                    "Cmd": ["/bin/sh"],
                    "ExposedPorts": {"80/tcp": {}},
                    "Labels": {"org.example.note": "snowman ☃ <&>", "b": "2"},
                    "WorkingDir": "/app",
                },
                "container_config": {"Cmd": ['/bin/sh -c #(nop)  CMD ["/bin/sh"]']},
                "throwaway": True,
            },
        ),
    ]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    with running_registry(schema1peer(), tmp_path_factory.mktemp("registry")) as reg:
        yield reg


@pytest.fixture(scope="module")
def pushed(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The image pushed as signed schema 1: (manifest file, blob directory)."""
    if shutil.which("skopeo") is None:
        unavailable("skopeo is not installed (bash ../shared/peers/build.sh installs it)")
    work = tmp_path_factory.mktemp("image")
    blobs = work / "blobs"
    blobs.mkdir()
    builder = DockerSchema1ManifestBuilder(*REPO.split("/"), TAG, architecture="arm64")
    parent = None
    files = []
    entries = []
    for i, (blob, compat) in enumerate(image_layers()):
        digest = "sha256:" + hashlib.sha256(blob).hexdigest()
        (blobs / digest[7:]).write_bytes(blob)
        files.append(blobs / digest[7:])
        layer_id = f"{i + 1:02x}" * 32
        compat = {"id": layer_id, **({"parent": parent} if parent else {}), **compat}
        parent = layer_id
        entries.append((digest, json.dumps(compat, ensure_ascii=False)))
    for digest, compat_json in reversed(entries):  # the builder takes the leaf first
        builder.add_layer(digest, compat_json)
    manifest = builder.build(ec.generate_private_key(ec.SECP256R1()))
    path = work / "manifest.json"
    path.write_bytes(manifest.bytes.as_encoded_str())
    registry.blob(sorted(set(files)), REPO)
    put = registry.put(path, REPO, TAG)
    assert put["accepted"], put
    return path, blobs


def skopeo_copy(registry: Registry, fmt: str, dest: str) -> None:
    host = registry.url.split("://", 1)[-1].rstrip("/")
    cmd = ["skopeo", "copy", "--quiet", "--src-tls-verify=false", "--format", fmt]
    cmd += [f"docker://{host}/{REPO}:{TAG}", dest]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("fmt", ["v2s2", "oci"])
def test_convert_matches_skopeo(
    fmt: str, registry: Registry, pushed: tuple[Path, Path], tmp_path: Path, capsys: Any
) -> None:
    manifest_path, blobs = pushed
    theirs, ours = tmp_path / "skopeo", tmp_path / "ours"
    dest = f"dir:{theirs}" if fmt == "v2s2" else f"oci:{theirs}:{TAG}"
    skopeo_copy(registry, fmt, dest)
    args = [str(manifest_path), "--blobs", str(blobs), "--format", fmt, "-o", str(ours)]
    assert main(["convert", *args]) == 0
    printed = capsys.readouterr().out.strip()

    want, got = tree(theirs), tree(ours)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], name
    manifest_file = "manifest.json" if fmt == "v2s2" else None
    if manifest_file is None:
        index = json.loads(want["index.json"])
        assert index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"] == TAG
        manifest_digest = index["manifests"][0]["digest"]
    else:
        manifest_digest = "sha256:" + hashlib.sha256(want[manifest_file]).hexdigest()
    assert printed == manifest_digest
    # and the API gives the same, from the manifest as the registry serves it
    schema1 = DockerSchema1Manifest(manifest_path.read_bytes())
    assert len(schema1.layers) == 6


@pytest.mark.parametrize("fmt", ["v2s2", "oci"])
def test_migrate_pushes_what_skopeo_converts(
    fmt: str, registry: Registry, pushed: tuple[Path, Path], tmp_path: Path, capsys: Any
) -> None:
    manifest_path, blobs = pushed
    host = registry.url.split("://", 1)[-1].rstrip("/")
    target = f"{host}/migrate/converted-{fmt}:new"
    source = f"{host}/{REPO}:{TAG}"
    fmt_args = ["--format", fmt]

    assert main(["migrate", source, target, *fmt_args, "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "would put manifest" in dry
    with pytest.raises(AssertionError, match="skopeo: "):
        skopeo_copy_ref(f"docker://{target}", f"dir:{tmp_path / 'absent'}")

    assert main(["migrate", source, target, *fmt_args]) == 0
    digest = capsys.readouterr().out.strip().splitlines()[-1]
    ours = tmp_path / "ours"
    assert (
        main(["convert", str(manifest_path), "--blobs", str(blobs), *fmt_args[:2], "-o", str(ours)])
        == 0
    )
    capsys.readouterr()
    assert dry.strip().splitlines()[-1] == digest

    # what the registry now serves, pulled back by skopeo, is our conversion, and its layers'
    # diff IDs are the config's
    back = tmp_path / "back"
    skopeo_copy_ref(f"docker://{target}", f"dir:{back}")
    manifest = (back / "manifest.json").read_bytes()
    assert "sha256:" + hashlib.sha256(manifest).hexdigest() == digest
    if fmt == "v2s2":
        assert manifest == (ours / "manifest.json").read_bytes()
    else:
        assert manifest == (ours / "blobs" / "sha256" / digest[7:]).read_bytes()
    document = json.loads(manifest)
    config = json.loads((back / document["config"]["digest"][7:]).read_bytes())
    diff_ids = [layer_info(back / layer["digest"][7:]).diff_id for layer in document["layers"]]
    assert config["rootfs"]["diff_ids"] == diff_ids

    # on one registry the layers are mounted from the source repository, not uploaded
    done = migrate(source, f"{host}/migrate/mounted-{fmt}:x", oci=fmt == "oci")
    assert done.image.manifest_digest == digest
    assert done.mounted == done.image.layers
    assert done.pushed == (done.image.config_digest,)
    print(f"migrate ({fmt}, 6 layers, 5 blobs): {done.seconds * 1000:.0f} ms")


def skopeo_copy_ref(src: str, dest: str) -> None:
    cmd = ["skopeo", "copy", "--quiet", "--src-tls-verify=false", src, dest]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"skopeo: {proc.stderr}"
