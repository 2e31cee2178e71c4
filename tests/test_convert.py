"""Conversion to schema 2 / OCI and layer diff IDs, offline: skopeo's own conversion of the
interop image reproduced byte for byte, diff IDs against Python's gzip + hashlib, and no
error but ours on any manifest we accept."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder
from docker_schema1.convert import layer_info, layer_infos
from docker_schema1.errors import InvalidSchema1Signature, MalformedSchema1Manifest

from .conftest import shared_path

EMPTY_GZIP_LAYER = bytes.fromhex("1f8b080000096e8800ff621805a360148c5800080000ffff2eafb5ef00040000")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_reproduces_skopeo_v2s1_to_v2s2_byte_for_byte() -> None:
    source = shared_path("vectors", "interop", "registry-get-after-skopeo-v2s1-push.json")
    config = shared_path("vectors", "interop", "skopeo-v2s1-to-v2s2-config.json").read_bytes()
    manifest = shared_path("vectors", "interop", "skopeo-v2s1-to-v2s2-manifest.json").read_bytes()
    diff_ids = json.loads(config)["rootfs"]["diff_ids"]
    layers = json.loads(manifest)["layers"]
    info = {
        layer["digest"]: SimpleNamespace(size=layer["size"], diff_id=diff_id)
        for layer, diff_id in zip(layers, diff_ids)
    }
    image = DockerSchema1Manifest(source.read_bytes()).to_schema2(info)
    assert image.config == config
    assert image.manifest == manifest
    assert image.config_digest == sha256(config)
    assert image.manifest_digest == sha256(manifest)
    assert image.layers == tuple(layer["digest"] for layer in layers)

    oci = DockerSchema1Manifest(source.read_bytes()).to_oci(info)
    oci_config = json.loads(oci.config)
    assert oci_config["rootfs"]["diff_ids"] == diff_ids
    assert [h.get("empty_layer", False) for h in oci_config["history"]] == [
        False,
        True,
        False,
        True,
    ]
    assert json.loads(oci.manifest)["config"]["digest"] == oci.config_digest


def test_a_missing_layer_is_malformed() -> None:
    source = shared_path("vectors", "interop", "registry-get-after-skopeo-v2s1-push.json")
    manifest = DockerSchema1Manifest(source.read_bytes())
    with pytest.raises(MalformedSchema1Manifest, match="no size and diff ID"):
        manifest.to_schema2({})
    digest = manifest.blob_digests[0]
    for bad in (
        object(),
        SimpleNamespace(size=-1, diff_id="x"),
        SimpleNamespace(size=1, diff_id=2),
    ):
        with pytest.raises(TypeError):
            manifest.to_oci({digest: bad})


def tarball(files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in files:
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    return out.getvalue()


tar_files = st.lists(
    st.tuples(
        st.from_regex(r"[a-z]{1,12}(/[a-z]{1,8})?", fullmatch=True), st.binary(max_size=4000)
    ),
    max_size=5,
    unique_by=lambda f: f[0],
)


@given(tar_files, st.integers(0, 9), st.integers(1, 3))
def test_diff_ids_equal_gzip_and_hashlib(
    files: list[tuple[str, bytes]], level: int, members: int
) -> None:
    tar = tarball(files)
    cut = [len(tar) * i // members for i in range(members + 1)]
    blob = b"".join(gzip.compress(tar[a:b], compresslevel=level) for a, b in zip(cut, cut[1:]))
    want_diff_id = "sha256:" + hashlib.sha256(gzip.decompress(blob)).hexdigest()
    info = layer_info(blob, sha256(blob))
    assert (info.size, info.digest, info.diff_id) == (len(blob), sha256(blob), want_diff_id)
    assert info.compression == "gzip"
    assert layer_info(io.BytesIO(blob)) == info
    plain = layer_info(tar)
    assert plain.diff_id == plain.digest == sha256(tar) == want_diff_id


def test_files_in_parallel_and_errors(tmp_path: Path) -> None:
    blobs = []
    for i in range(6):
        data = gzip.compress(tarball([(f"f{i}", bytes([i]) * (1000 * i))]))
        path = tmp_path / f"b{i}"
        path.write_bytes(data)
        blobs.append(path)
    infos = layer_infos(blobs)
    assert infos == [layer_info(p) for p in blobs]
    assert infos == [layer_info(p.read_bytes()) for p in blobs]
    assert layer_info(io.BytesIO(EMPTY_GZIP_LAYER)).diff_id == sha256(bytes(1024))
    with pytest.raises(MalformedSchema1Manifest, match="not the expected"):
        layer_info(blobs[0], sha256(b"other"))
    with pytest.raises(MalformedSchema1Manifest, match="b1"):
        layer_infos(blobs[:2], [None, sha256(b"other")])
    with pytest.raises(MalformedSchema1Manifest, match="gzip"):
        layer_info(EMPTY_GZIP_LAYER[:-6])
    with pytest.raises(OSError):
        layer_info(tmp_path / "missing")


json_scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=6)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
string_lists = st.lists(st.text(max_size=8) | st.none(), max_size=3)
config_values = st.fixed_dictionaries(
    {},
    optional={
        "Cmd": string_lists | st.text(max_size=5) | json_values,
        "Env": string_lists | json_values,
        "Labels": st.dictionaries(st.text(max_size=5), st.text(max_size=5) | st.none())
        | json_values,
        "ExposedPorts": st.dictionaries(st.text(max_size=5), st.just({})) | json_values,
        "User": st.text(max_size=5) | json_values,
    },
)
times = st.sampled_from(
    ["2024-01-02T03:04:05Z", "2024-02-30T00:00:00Z", "2024-01-02T3:04:05.10+01:00", "x", ""]
)
compat_fields = st.fixed_dictionaries(
    {},
    optional={
        "created": times | json_values,
        "author": st.text(max_size=6) | json_values,
        "comment": st.text(max_size=6),
        "throwaway": st.booleans() | json_values,
        "container_config": st.fixed_dictionaries({}, optional={"Cmd": string_lists | json_values}),
        "config": config_values | json_values,
        "docker_version": st.sampled_from(["1.6.0", "20.10.1", "x"]),
        "os.features": json_values,
        "Size": st.integers(-3, 10**6) | json_values,
        "architecture": st.text(max_size=6) | json_values,
    },
)


@given(st.lists(st.tuples(st.booleans(), compat_fields), min_size=1, max_size=5), st.booleans())
def test_conversion_raises_only_our_errors(
    layers: list[tuple[bool, dict[str, Any]]], oci: bool
) -> None:
    builder = DockerSchema1ManifestBuilder("ns", "repo", "tag")
    count = len(layers)
    for i, (good_parent, fields) in enumerate(layers):
        compat = {"id": f"{count - i:064x}", **fields}
        if i + 1 < count:
            compat["parent"] = f"{count - i - 1:064x}" if good_parent else "bad"
        builder.add_layer(sha256(bytes([i])), json.dumps(compat))
    manifest = builder.build()
    info = {sha256(bytes([i])): SimpleNamespace(size=i, diff_id=sha256(b"d")) for i in range(count)}
    try:
        image = manifest.to_oci(info) if oci else manifest.to_schema2(info)
    except (MalformedSchema1Manifest, InvalidSchema1Signature):
        return
    config = json.loads(image.config)
    assert len(config["history"]) == count
    assert sha256(image.config) == image.config_digest
    assert sha256(image.manifest) == image.manifest_digest
    assert json.loads(image.manifest)["config"]["size"] == len(image.config)
