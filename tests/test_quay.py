"""``docker_schema1.quay`` inside a Quay tree: Quay's types in and out, Quay's exceptions caught.

The tree is ``tests/quay_standin`` (our own minimal modules at Quay's import paths, see its
README); its ``image/docker/schema1.py`` is the one line a Quay tree holds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import docker_schema1

from .signing import key_for, private_jwk

ROOT = Path(__file__).resolve().parents[1]
STANDIN = Path(__file__).resolve().parent / "quay_standin"
EXAMPLES = ROOT / "examples"
TOP_LEVEL = ("util", "image", "digest")


def _forget_standin() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in TOP_LEVEL or name == "docker_schema1.quay":
            del sys.modules[name]


class Quay:
    """The stand-in tree's modules, imported as Quay's code imports them."""

    def __init__(self) -> None:
        import importlib

        def load(name: str) -> ModuleType:
            return importlib.import_module(name)

        self.schema1 = load("image.docker.schema1")
        self.Bytes = load("util.bytes").Bytes
        self.ManifestException = load("image.shared").ManifestException
        self.ManifestInterface = load("image.shared.interfaces").ManifestInterface
        self.ManifestImageLayer = load("image.shared.types").ManifestImageLayer
        self.DockerV1Metadata = load("image.docker.v1").DockerV1Metadata
        self.Digest = load("digest.digest_tools").Digest
        self.schemas = load("image.shared.schemas")
        self.manifest_list = load("image.docker.schema2.list")


@pytest.fixture(scope="module")
def quay() -> Iterator[Quay]:
    _forget_standin()
    sys.path.insert(0, str(STANDIN))
    try:
        yield Quay()
    finally:
        sys.path.remove(str(STANDIN))
        _forget_standin()


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def unsigned(layers: list[dict[str, Any]]) -> str:
    """An unsigned manifest of ``layers`` (leaf first) as text."""
    return json.dumps(
        {
            "name": "ns/repo",
            "tag": "latest",
            "architecture": "amd64",
            "schemaVersion": 1,
            "fsLayers": [{"blobSum": f"sha256:{i:064x}"} for i in range(len(layers))],
            "history": [{"v1Compatibility": json.dumps(layer)} for layer in layers],
        },
        indent=3,
    )


def test_the_one_line_module_is_the_whole_api(quay: Quay) -> None:
    import docker_schema1.quay as dropin

    for name in dropin.__all__:
        assert getattr(quay.schema1, name) is getattr(dropin, name), name
    imported = {
        "DOCKER_SCHEMA1_CONTENT_TYPES",
        "DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE",
        "DOCKER_SCHEMA1_SIGNED_MANIFEST_CONTENT_TYPE",
        "DockerSchema1Manifest",
        "DockerSchema1ManifestBuilder",
        "MalformedSchema1Manifest",
        "InvalidSchema1Signature",
    }
    assert imported <= set(dropin.__all__)
    # Quay's own names are bound where Quay's module binds them.
    assert quay.schema1.Bytes is quay.Bytes
    assert quay.schema1.ManifestException is quay.ManifestException
    assert quay.schema1.DockerV1Metadata is quay.DockerV1Metadata
    assert quay.schema1.ManifestImageLayer is quay.ManifestImageLayer


def test_quay_bytes_in_and_out(quay: Quay, backend: str) -> None:
    data = example("signed-rs256.json")
    manifest = quay.schema1.DockerSchema1Manifest(quay.Bytes.for_string_or_unicode(data))
    assert manifest.digest == docker_schema1.DockerSchema1Manifest(data).digest
    assert isinstance(manifest.bytes, quay.Bytes)
    assert manifest.bytes.as_encoded_str() == data
    # Quay's read path asserts its own Bytes and picks the class by media type.
    again = quay.schemas.parse_manifest_from_bytes(manifest.bytes, manifest.media_type)
    assert again.digest == manifest.digest
    assert isinstance(again, quay.schema1.DockerSchema1Manifest)


def test_exceptions_are_quays_and_ours(quay: Quay, backend: str) -> None:
    schema1 = quay.schema1
    assert issubclass(schema1.MalformedSchema1Manifest, quay.ManifestException)
    assert issubclass(schema1.MalformedSchema1Manifest, docker_schema1.MalformedSchema1Manifest)
    assert issubclass(schema1.InvalidSchema1Signature, quay.ManifestException)
    assert issubclass(schema1.InvalidSchema1Signature, docker_schema1.InvalidSchema1Signature)

    with pytest.raises(quay.ManifestException) as malformed:
        schema1.DockerSchema1Manifest(quay.Bytes.for_string_or_unicode("{}"))
    assert isinstance(malformed.value, schema1.MalformedSchema1Manifest)
    assert "tag" in str(malformed.value) or "name" in str(malformed.value)

    tampered = quay.Bytes(example("invalid/tampered-es256.json"))
    with pytest.raises(schema1.InvalidSchema1Signature):
        schema1.DockerSchema1Manifest(tampered)
    with pytest.raises(quay.ManifestException):
        schema1.DockerSchema1Manifest(tampered)


def test_lazy_layer_errors_are_quays(quay: Quay, backend: str) -> None:
    text = unsigned([{"id": "b"}])
    text = text.replace(json.dumps(json.dumps({"id": "b"})), json.dumps("not json"))
    manifest = quay.schema1.DockerSchema1Manifest(quay.Bytes.for_string_or_unicode(text))
    with pytest.raises(quay.ManifestException):
        manifest.layers  # noqa: B018
    with pytest.raises(quay.schema1.MalformedSchema1Manifest):
        list(manifest.get_layers(None))


def test_validate_raises_quays_manifest_exception(quay: Quay, backend: str) -> None:
    text = unsigned([{"id": "b", "parent": "missing"}])
    manifest = quay.schema1.DockerSchema1Manifest(quay.Bytes.for_string_or_unicode(text))
    with pytest.raises(quay.ManifestException, match="Unknown parent image missing"):
        manifest.validate(None)


def test_digests_are_quays(quay: Quay, backend: str) -> None:
    manifest = quay.schema1.DockerSchema1Manifest(quay.Bytes(example("signed-es256.json")))
    for layer in manifest.layers:
        assert isinstance(layer.digest, quay.Digest)
        parsed = quay.Digest.parse_digest(str(layer.digest))
        assert layer.digest == parsed
        assert hash(layer.digest) == hash(parsed)
        assert parsed in {layer.digest}


def test_records_are_quays(quay: Quay, backend: str) -> None:
    manifest = quay.schema1.DockerSchema1Manifest(quay.Bytes(example("signed-rs256.json")))
    assert isinstance(manifest, quay.ManifestInterface)
    layers = list(manifest.get_layers(None))
    assert layers and all(type(layer) is quay.ManifestImageLayer for layer in layers)
    assert all(isinstance(layer.blob_digest, quay.Digest) for layer in layers)
    legacy = list(manifest.rewrite_invalid_image_ids({}))
    assert legacy and all(type(image) is quay.DockerV1Metadata for image in legacy)
    assert [image.image_id for image in legacy] == [
        layer.v1_metadata.image_id for layer in manifest.layers
    ]
    assert list(manifest.generate_legacy_layers({}, None)) == legacy


def test_builds_and_rebuilds_stay_quays(quay: Quay, backend: str) -> None:
    schema1 = quay.schema1
    manifest = schema1.DockerSchema1Manifest(quay.Bytes(example("signed-rs256.json")))
    builder = manifest._unsigned_builder()
    assert isinstance(builder, schema1.DockerSchema1ManifestBuilder)
    built = builder.build(private_jwk(key_for("RS256")))
    assert isinstance(built, schema1.DockerSchema1Manifest)
    assert isinstance(built.bytes, quay.Bytes)
    built._validate()
    for rebuilt in (manifest.unsigned(), manifest.with_tag_name("other"), built.unsigned()):
        assert isinstance(rebuilt, schema1.DockerSchema1Manifest)
        assert isinstance(rebuilt.bytes, quay.Bytes)
    stripped = builder.with_metadata_removed().build()
    assert isinstance(stripped, schema1.DockerSchema1Manifest)
    with pytest.raises(quay.ManifestException):
        schema1.DockerSchema1ManifestBuilder("ns", "repo", "tag").add_layer(
            "sha256:" + "0" * 64, "not json"
        ).with_metadata_removed()


def test_manifest_list_skips_a_malformed_child(quay: Quay, backend: str) -> None:
    good = example("signed-es384.json").decode()
    children = quay.manifest_list.schema1_children([good, "{}", good.replace("fsLayers", "x")])
    assert [child.digest for child in children] == [
        docker_schema1.DockerSchema1Manifest(good).digest
    ]


def test_outside_a_quay_tree_the_import_says_what_it_is_for() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import docker_schema1.quay"],
        capture_output=True,
        text=True,
        cwd=ROOT.parent,
        check=False,
    )
    assert result.returncode == 1
    assert "ImportError" in result.stderr
    assert "only be imported inside a Quay tree" in result.stderr
