"""Public-class behaviour on both backends: constructors, members, errors."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from docker_schema1 import (
    DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE,
    Bytes,
    Digest,
    DockerSchema1Manifest,
    InvalidSchema1Signature,
    MalformedSchema1Manifest,
    ManifestException,
    ManifestImageLayer,
    Schema1Layer,
    Schema1V1Metadata,
    sha256_digest,
)
from docker_schema1._dates import parse_created


def manifest(layers: list[dict[str, Any]], name: str = "ns/repo", **extra: Any) -> bytes:
    """An unsigned manifest, leaf first, in Docker's 3-space layout."""
    doc = {
        "tag": "latest",
        "name": name,
        "architecture": "amd64",
        "schemaVersion": 1,
        "history": [{"v1Compatibility": json.dumps(v1)} for v1 in layers],
        "fsLayers": [{"blobSum": f"sha256:{i:064x}"} for i in range(len(layers))],
        **extra,
    }
    return json.dumps(doc, indent=3).encode()


CHAIN = [
    {
        "id": "c",
        "parent": "b",
        "created": "2018-01-01T00:00:00.123456789Z",
        "Size": 7,
        "container_config": {"Cmd": ["sh", "-c", "echo <&>"]},
        "config": {"Labels": {"k": "v"}},
        "author": "Sômé guy",
    },
    {"id": "b", "parent": "a", "comment": "middle"},
    {"id": "a", "Size": 3},
]


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview, str, Bytes])
def test_accepts_every_input_type(backend: str, kind: Any) -> None:
    data = manifest(CHAIN)
    value = data.decode() if kind is str else (Bytes(data) if kind is Bytes else kind(data))
    m = DockerSchema1Manifest(value)
    assert m.bytes.as_encoded_str() == data
    assert m.digest == sha256_digest(data)


def test_members(backend: str) -> None:
    m = DockerSchema1Manifest(manifest(CHAIN, name="ns/repo/sub"))
    assert (m.namespace, m.repo_name, m.tag, m.architecture) == (
        "ns",
        "repo/sub",
        "latest",
        "amd64",
    )
    assert not m.is_signed and m.signatures is None and m.signers == []
    assert m.media_type == m.content_type == DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE
    assert [layer.v1_metadata.image_id for layer in m.layers] == ["a", "b", "c"]
    assert all(isinstance(layer, Schema1Layer) for layer in m.layers)
    assert isinstance(m.leaf_layer.v1_metadata, Schema1V1Metadata)
    assert m.leaf_layer.digest == Digest.parse_digest(f"sha256:{0:064x}")
    assert m.leaf_layer.v1_metadata.command == '["sh","-c","echo <&>"]'
    assert m.layers_compressed_size == 10
    assert m.image_ids == {"a", "b", "c"} and m.parent_image_ids == {"a", "b"}
    assert m.blob_digests == [f"sha256:{i:064x}" for i in (2, 1, 0)]
    assert sorted(m.checksums) == sorted(m.blob_digests)
    assert m.get_manifest_labels(None) == {"k": "v"}
    assert m.created_datetime == datetime(2018, 1, 1, 0, 0, 0, 123456)
    assert m.leaf_layer_v1_image_id == "c"
    assert m.validate(None) is None
    layers = list(m.get_layers(None))
    assert all(isinstance(item, ManifestImageLayer) for item in layers)
    assert layers[-1].author == "Sômé guy" and layers[1].comment == "middle"
    assert m.manifest_dict == json.loads(manifest(CHAIN, name="ns/repo/sub"))


@pytest.mark.parametrize(
    ("name", "namespace", "repo"),
    [("a/b", "a", "b"), ("a/b/c", "a", "b/c"), ("x", "", "x"), ("/x", "", "x"), ("", "", "")],
)
def test_name_split(backend: str, name: str, namespace: str, repo: str) -> None:
    m = DockerSchema1Manifest(manifest(CHAIN, name=name))
    assert (m.namespace, m.repo_name) == (namespace, repo)


def test_unknown_parent(backend: str) -> None:
    m = DockerSchema1Manifest(manifest([{"id": "b", "parent": "nope"}]))
    with pytest.raises(ManifestException, match="Unknown parent image nope"):
        m.validate(None)


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", MalformedSchema1Manifest, "malformed manifest data"),
        (b"{}", MalformedSchema1Manifest, "'tag' is a required property"),
        (b'{"unknown": "key"}', MalformedSchema1Manifest, "required"),
        (b"[1, 2]", MalformedSchema1Manifest, "object"),
        (b"\xff\xfe\xfa", MalformedSchema1Manifest, "malformed manifest data"),
        (b"[" * 100_000, MalformedSchema1Manifest, "malformed manifest data"),
    ],
)
def test_malformed(backend: str, data: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        DockerSchema1Manifest(data)


def test_layer_errors_are_lazy_and_name_the_layer(backend: str) -> None:
    data = manifest([{"id": "b"}, {"id": "a"}]).replace(b"sha256:" + b"0" * 63 + b"1", b"bad")
    m = DockerSchema1Manifest(data)
    assert m.digest == sha256_digest(data)
    with pytest.raises(MalformedSchema1Manifest, match=r"layer 1.*could not parse manifest digest"):
        m.layers  # noqa: B018


def test_length_mismatch_rejected(backend: str) -> None:
    doc = json.loads(manifest(CHAIN))
    doc["fsLayers"].append({"blobSum": "sha256:00"})
    with pytest.raises(MalformedSchema1Manifest, match="fsLayers has 4 entries but history has 3"):
        DockerSchema1Manifest(json.dumps(doc))


@pytest.mark.parametrize("signatures", [[], None])
def test_empty_or_null_signatures_rejected(backend: str, signatures: Any) -> None:
    data = manifest(CHAIN, signatures=signatures)
    with pytest.raises(MalformedSchema1Manifest):
        DockerSchema1Manifest(data, validate=False)


def test_errors_are_value_errors() -> None:
    assert issubclass(MalformedSchema1Manifest, ManifestException)
    assert issubclass(InvalidSchema1Signature, ManifestException)
    assert issubclass(ManifestException, ValueError)


def test_unhashable_ids_are_malformed(backend: str) -> None:
    m = DockerSchema1Manifest(manifest([{"id": ["not", "hashable"]}]))
    with pytest.raises(MalformedSchema1Manifest, match='"id" is array, not a string'):
        m.image_ids  # noqa: B018


def test_string_size_is_malformed(backend: str) -> None:
    m = DockerSchema1Manifest(manifest([{"id": "a", "Size": "12"}]))
    with pytest.raises(MalformedSchema1Manifest):
        m.layers_compressed_size  # noqa: B018


def test_no_layers(backend: str) -> None:
    m = DockerSchema1Manifest(manifest([]))
    assert m.layers == [] and m.layers_compressed_size == 0
    for member in ("leaf_layer", "created_datetime", "leaf_layer_v1_image_id"):
        with pytest.raises(MalformedSchema1Manifest, match="no layers"):
            getattr(m, member)


@pytest.mark.parametrize(
    "text",
    [
        "2018-07-06T14:14:06.165546783Z",
        "2019-01-08T19:13:20.674196+05:30",
        "2019-01-08T19:13:20.674196-0700",
        "1975-01-02 12:34",
        "2018-01-01T00:00:00",
        "2018-08-13",
        "2018-02-30T00:00:00Z",
        "2018-08-13T24:00:00",
        "2018-08-13T19:19:52,5",
        "  2018-08-13T19:19:52Z ",
        "not a date",
        "",
    ],
)
def test_created_matches_dateutil(text: str) -> None:
    import dateutil.parser

    try:
        expected = dateutil.parser.parse(text).replace(tzinfo=None)
    except Exception:
        expected = None
    assert parse_created(text) == expected


@pytest.mark.parametrize("value", [None, 5, 1.5, ["2018-01-01"], {"a": 1}])
def test_created_non_string_is_none(value: Any) -> None:
    assert parse_created(value) is None


def test_rebuilds_run_on_the_manifests_own_backend() -> None:
    from docker_schema1 import using_backend

    data = manifest(CHAIN)
    for name in ("rust", "pure"):
        with using_backend(name):
            m = DockerSchema1Manifest(data)
        other = "pure" if name == "rust" else "rust"
        with using_backend(other):
            assert m.with_tag_name("other")._backend.name == name
            assert m.unsigned() is m


def test_pure_backend_without_cryptography_says_what_to_install() -> None:
    import subprocess
    import sys
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "signed-es256.json"
    code = (
        "import sys; sys.modules['cryptography'] = None\n"
        "from docker_schema1 import DockerSchema1Manifest, using_backend\n"
        f"data = open({str(example)!r}, 'rb').read()\n"
        "with using_backend('pure'):\n"
        "    print(DockerSchema1Manifest(data, validate=False).digest)\n"
        "    DockerSchema1Manifest(data)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.stdout.startswith("sha256:86485ffc")  # reading needs no cryptography
    assert "pip install 'docker-schema1[pure]'" in run.stderr


def test_v1_records_of_a_bound_class(backend: str) -> None:
    # A subclass may bind its own DockerV1Metadata (Quay binds Quay's): a namedtuple with the
    # same fields is made directly, any other class is called with the fields in order.
    from collections import namedtuple

    from docker_schema1.types import DockerV1Metadata

    data = manifest(CHAIN)
    base = DockerSchema1Manifest(data).layers[0].v1_metadata.image_id
    mismatch = {base: type("Image", (), {"content_checksum": "sha256:other"})()}
    expected = {
        key: [tuple(r) for r in DockerSchema1Manifest(data).rewrite_invalid_image_ids(images)]
        for key, images in (("none", {}), ("all", mismatch))
    }

    class Same(namedtuple("Same", DockerV1Metadata._fields)):  # type: ignore[misc]
        pass

    class Called:
        def __init__(self, *fields: Any) -> None:
            self.fields = fields

    Short = namedtuple("Short", DockerV1Metadata._fields[:-1])  # type: ignore[misc]

    def bound(cls: Any) -> Any:
        return type("Bound", (DockerSchema1Manifest,), {"_v1_metadata_type": cls})(data)

    for key, images in (("none", {}), ("all", mismatch)):
        records = list(bound(Same).rewrite_invalid_image_ids(images))
        assert all(type(r) is Same for r in records)
        assert [tuple(r) for r in records] == expected[key]
        called = list(bound(Called).rewrite_invalid_image_ids(images))
        assert [r.fields for r in called] == expected[key]
        with pytest.raises(TypeError):
            list(bound(Short).rewrite_invalid_image_ids(images))
