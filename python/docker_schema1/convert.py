"""Migration off schema 1: a manifest converted to schema 2 or OCI byte for byte as skopeo
1.9.3 (containers/image 5.23.1) converts it, and the layer measurements that needs (size,
digest and diff ID, computed in Rust in one streaming pass).

``DockerSchema1Manifest.to_schema2(layer_info)`` and ``.to_oci(layer_info)`` call
``convert()``; ``layer_info()`` and ``layer_infos()`` measure blobs."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, NamedTuple, Protocol, Union

from .errors import MalformedSchema1Manifest

__all__ = [
    "OCI_CONFIG_CONTENT_TYPE",
    "OCI_MANIFEST_CONTENT_TYPE",
    "SCHEMA2_CONFIG_CONTENT_TYPE",
    "SCHEMA2_MANIFEST_CONTENT_TYPE",
    "ConvertedImage",
    "LayerHasher",
    "LayerInfo",
    "LayerMeasurement",
    "convert",
    "layer_info",
    "layer_infos",
]

SCHEMA2_MANIFEST_CONTENT_TYPE = "application/vnd.docker.distribution.manifest.v2+json"
SCHEMA2_CONFIG_CONTENT_TYPE = "application/vnd.docker.container.image.v1+json"
OCI_MANIFEST_CONTENT_TYPE = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG_CONTENT_TYPE = "application/vnd.oci.image.config.v1+json"

CHUNK = 1 << 20
_HEX64 = re.compile(r"[0-9a-f]{64}")

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]


class LayerMeasurement(Protocol):
    """What the conversion needs of a layer blob (``LayerInfo`` or any look-alike)."""

    @property
    def size(self) -> int: ...

    @property
    def diff_id(self) -> str: ...


class LayerInfo(NamedTuple):
    """A layer blob measured: its size in bytes, ``sha256:`` digest, diff ID (the digest of
    the uncompressed tar) and compression (``gzip``, ``zstd`` or ``none``)."""

    size: int
    digest: str
    diff_id: str
    compression: str


@dataclass(frozen=True)
class ConvertedImage:
    """A converted image: the config and manifest bytes, their digests, the manifest's media
    type and the layer blobs it names (base first; throw-away layers are not among them)."""

    config: bytes
    manifest: bytes
    config_digest: str
    manifest_digest: str
    media_type: str
    config_media_type: str
    layers: tuple[str, ...]


def convert(
    manifest_bytes: bytes,
    layers: Mapping[str, LayerMeasurement],
    oci: bool = False,
) -> ConvertedImage:
    """Convert the schema 1 manifest ``manifest_bytes`` to schema 2 (or OCI with ``oci``);
    ``layers`` maps each blob digest of a layer that is not thrown away to its size and diff ID.

    Raises ``MalformedSchema1Manifest`` when skopeo would refuse the manifest too, or a layer
    is missing from ``layers``."""
    from . import _rust  # the compiled core, loaded on first use

    table: dict[str, tuple[int, str]] = {}
    for digest, info in layers.items():
        try:
            size, diff_id = info.size, info.diff_id
        except AttributeError as e:
            raise TypeError(f"layer_info[{digest!r}] has no size or diff_id") from e
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise TypeError(f"layer_info[{digest!r}]: size must be an int >= 0")
        if not isinstance(diff_id, str):
            raise TypeError(f"layer_info[{digest!r}]: diff_id must be a str")
        table[str(digest)] = (size, diff_id)
    config, body, config_digest, digest, names = _rust.convert_manifest(manifest_bytes, table, oci)
    return ConvertedImage(
        config=config,
        manifest=body,
        config_digest=config_digest,
        manifest_digest=digest,
        media_type=OCI_MANIFEST_CONTENT_TYPE if oci else SCHEMA2_MANIFEST_CONTENT_TYPE,
        config_media_type=OCI_CONFIG_CONTENT_TYPE if oci else SCHEMA2_CONFIG_CONTENT_TYPE,
        layers=tuple(names),
    )


def layer_info(source: Source, expected_digest: str | None = None) -> LayerInfo:
    """Measure a layer blob: a path, the bytes, or a binary file read to its end. Gzip and
    zstd are told by their magic bytes and decompressed; anything else counts as an
    uncompressed tar. The hashing runs in Rust without the GIL.

    Raises ``MalformedSchema1Manifest`` when the blob's digest is not ``expected_digest`` or
    its compressed data is broken, ``OSError`` when it cannot be read."""
    from . import _rust  # the compiled core, loaded on first use

    if isinstance(source, (str, os.PathLike)):
        (size, digest, diff_id, compression) = _rust.layer_info_files(
            [(os.fspath(source), expected_digest)]
        )[0]
        return LayerInfo(size, digest, diff_id, compression)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return LayerInfo(*_rust.layer_info_bytes(bytes(source), expected_digest))
    hasher = _rust.LayerHasher()
    while chunk := source.read(CHUNK):
        hasher.update(chunk)
    return LayerInfo(*hasher.finish(expected_digest))


def layer_infos(
    paths: Iterable[str | os.PathLike[str]],
    expected_digests: Iterable[str | None] | None = None,
) -> list[LayerInfo]:
    """``layer_info`` of many files, measured in parallel on all cores; results in order.
    ``expected_digests``, when given, pairs with ``paths``."""
    from . import _rust  # the compiled core, loaded on first use

    names = [os.fspath(p) for p in paths]
    expected = list(expected_digests) if expected_digests is not None else [None] * len(names)
    if len(expected) != len(names):
        raise ValueError("expected_digests and paths differ in length")
    return [LayerInfo(*t) for t in _rust.layer_info_files(list(zip(names, expected)))]


def LayerHasher() -> Any:
    """A layer blob fed in chunks (``update(bytes)``, GIL released), for a blob that arrives
    from elsewhere (a download): ``finish(expected_digest=None)`` gives
    ``(size, digest, diff_id, compression)``, as ``LayerInfo(*...)`` takes it."""
    from . import _rust

    return _rust.LayerHasher()


def blob_dir_layers(
    blob_sums: Iterable[str], blobs: str | os.PathLike[str]
) -> dict[str, LayerInfo]:
    """Measure, in parallel, the distinct blobs ``blob_sums`` found in the directory ``blobs``
    as files named by their hex digest (skopeo's ``dir:`` layout), each checked against its
    digest. Raises ``MalformedSchema1Manifest`` for a missing blob."""
    digests = sorted(set(blob_sums))
    paths = []
    for digest in digests:
        algorithm, _, hex_part = digest.partition(":")
        path = os.path.join(os.fspath(blobs), hex_part)
        if algorithm != "sha256" or not _HEX64.fullmatch(hex_part):
            raise MalformedSchema1Manifest(f"blob {digest!r} is not a sha256 digest")
        if not os.path.isfile(path):
            raise MalformedSchema1Manifest(f"blob {digest} is not in {os.fspath(blobs)}")
        paths.append(path)
    return dict(zip(digests, layer_infos(paths, digests)))
