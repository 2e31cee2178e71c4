"""The write-side records of Quay's golden vectors, byte for byte, on both backends: builder
output (unsigned and RS256-signed), with_metadata_removed, and image-id rewrites."""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any

import pytest

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder, DockerV1Metadata

from . import golden
from .test_golden_read import _ids


def _builder(spec: dict[str, Any]) -> DockerSchema1ManifestBuilder:
    if spec["architecture_default"]:
        builder = DockerSchema1ManifestBuilder(spec["namespace"], spec["repo_name"], spec["tag"])
    else:
        builder = DockerSchema1ManifestBuilder(
            spec["namespace"], spec["repo_name"], spec["tag"], spec["architecture"]
        )
    for op, digest, v1json in spec["ops"]:
        getattr(builder, op)(digest, v1json)
    if spec["clone_tag"]:
        builder = builder.clone(spec["clone_tag"])
    return builder


@pytest.mark.parametrize("record", _ids("builder"))
def test_builder_bytes(backend: str, record: dict[str, Any]) -> None:
    spec = record["input"]
    builder = _builder(spec)
    key = golden.golden_key() if spec["signed"] else None
    out = builder.build(key, ensure_ascii=spec["ensure_ascii"], signing_time=golden.SIGNING_TIME)
    assert out.bytes.as_encoded_str() == golden.b64(record["output"]["bytes_b64"])
    assert out.digest == record["output"]["digest"]
    if spec["signed"]:
        # A signed build has the digest of the unsigned build of the same builder.
        assert builder.build(ensure_ascii=spec["ensure_ascii"]).digest == out.digest
        assert out.signers == [("RS256", golden.GOLDEN_KEY_ID)]


@pytest.mark.parametrize("record", _ids("builder"))
def test_builder_with_metadata_removed(backend: str, record: dict[str, Any]) -> None:
    spec, expected = record["input"], record["builder_with_metadata_removed"]
    builder = _builder(spec)
    if "$error" in expected:
        with pytest.raises(golden.expected_error(expected, lazy=True)):
            builder.with_metadata_removed()
        return
    out = builder.with_metadata_removed().build(ensure_ascii=spec["ensure_ascii"])
    assert out.bytes.as_encoded_str() == golden.b64(expected["bytes_b64"])
    assert out.digest == expected["digest"]


@pytest.mark.parametrize("record", _ids("rewrite"))
def test_rewrite(backend: str, record: dict[str, Any]) -> None:
    m = DockerSchema1Manifest(base64.b64decode(record["manifest_b64"]), validate=False)
    images_map = {
        image_id: SimpleNamespace(content_checksum=checksum)
        for image_id, checksum in record["images_map"].items()
    }
    result = record["result"]
    if isinstance(result, dict) and "$error" in result:
        with pytest.raises(golden.expected_error(result, lazy=True)):
            list(m.rewrite_invalid_image_ids(images_map))
        return
    for call in (
        lambda: list(m.rewrite_invalid_image_ids(images_map)),
        lambda: list(m.generate_legacy_layers(images_map, None)),
    ):
        items = call()
        assert all(isinstance(item, DockerV1Metadata) for item in items)
        assert golden.same(golden.encode(items), result)


def test_rewrite_records_rewrite_something() -> None:
    """The records exercise real rewrites, not only the empty map."""
    records = [r for r in golden.records("rewrite") if isinstance(r["result"], list)]
    assert any(
        item["compat_json"] and '"image"' in item["compat_json"]
        for r in records
        for item in r["result"]
    )
