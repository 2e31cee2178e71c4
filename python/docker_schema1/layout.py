"""Writing a converted image to disk as skopeo does: its ``dir:`` layout (``version``,
``manifest.json`` and every blob named by its hex digest) and the OCI image layout
(``oci-layout``, ``index.json`` naming the tag, ``blobs/sha256/``). Used by the
``docker-schema1 convert`` command."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .convert import ConvertedImage, blob_dir_layers, convert
from .manifest import DockerSchema1Manifest

DIR_VERSION = b"Directory Transport Version: 1.1\n"
OCI_LAYOUT = b'{"imageLayoutVersion": "1.0.0"}'
REF_NAME = "org.opencontainers.image.ref.name"


def _hex(digest: str) -> str:
    return digest.partition(":")[2]


def _copy_blobs(blobs: Path, digests: list[str], into: Path) -> None:
    for digest in digests:
        target = into / _hex(digest)
        if not target.exists():
            shutil.copyfile(blobs / _hex(digest), target)


def write_dir(image: ConvertedImage, blobs: Path, digests: list[str], out: Path) -> None:
    """``dir:OUT``: the blobs copied from ``blobs`` (skopeo copies every blob of the schema 1
    image, throw-away layers included), the config, ``manifest.json`` and ``version``."""
    out.mkdir(parents=True, exist_ok=True)
    _copy_blobs(blobs, digests, out)
    (out / _hex(image.config_digest)).write_bytes(image.config)
    (out / "manifest.json").write_bytes(image.manifest)
    (out / "version").write_bytes(DIR_VERSION)


def write_oci(image: ConvertedImage, blobs: Path, digests: list[str], out: Path, tag: str) -> None:
    """``oci:OUT:TAG`` into a new layout: the blobs, config and manifest under
    ``blobs/sha256``, ``oci-layout``, and ``index.json`` naming ``tag`` (when not empty)."""
    store = out / "blobs" / "sha256"
    store.mkdir(parents=True, exist_ok=True)
    _copy_blobs(blobs, digests, store)
    (store / _hex(image.config_digest)).write_bytes(image.config)
    (store / _hex(image.manifest_digest)).write_bytes(image.manifest)
    (out / "oci-layout").write_bytes(OCI_LAYOUT)
    entry: dict[str, object] = {
        "mediaType": image.media_type,
        "digest": image.manifest_digest,
        "size": len(image.manifest),
    }
    if tag:
        entry["annotations"] = {REF_NAME: tag}
    index = {"schemaVersion": 2, "manifests": [entry]}
    (out / "index.json").write_bytes(json.dumps(index, separators=(",", ":")).encode())


def convert_to_layout(
    manifest: DockerSchema1Manifest,
    blobs: str | os.PathLike[str],
    out: str | os.PathLike[str],
    oci: bool = False,
    tag: str | None = None,
) -> ConvertedImage:
    """Measure the blobs of ``manifest`` in the ``dir:``-style directory ``blobs`` (each
    checked against its digest), convert, and write the image to ``out``."""
    blob_dir = Path(blobs)
    measured = blob_dir_layers(manifest._parsed["history"].blob_sums(), blob_dir)
    image = convert(manifest.bytes.as_encoded_str(), measured, oci=oci)
    digests = sorted(measured)
    if oci:
        write_oci(image, blob_dir, digests, Path(out), manifest.tag if tag is None else tag)
    else:
        write_dir(image, blob_dir, digests, Path(out))
    return image
