"""``docker-schema1 migrate``: pull a schema 1 image from a registry, measure its blobs while
they stream in, convert it as skopeo does, and push the layers (mounted across repositories
on the same registry), the config and the new manifest."""

from __future__ import annotations

import importlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .constants import (
    DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE,
    DOCKER_SCHEMA1_SIGNED_MANIFEST_CONTENT_TYPE,
)
from .convert import ConvertedImage, LayerHasher, LayerInfo, convert
from .manifest import DockerSchema1Manifest
from .registry import ImageReference, RegistryClient

__all__ = ["MigrationResult", "migrate"]


@dataclass(frozen=True)
class MigrationResult:
    """What ``migrate`` did (or, with ``dry_run``, would do)."""

    image: ConvertedImage
    source: ImageReference
    destination: ImageReference
    pushed: tuple[str, ...]
    mounted: tuple[str, ...]
    present: tuple[str, ...]
    seconds: float


@contextmanager
def _bar(total: int, name: str, enabled: bool) -> Iterator[Callable[[int], Any]]:
    """A tqdm bar for one blob on standard error (a terminal, tqdm installed), else nothing."""
    bar = None
    if enabled and sys.stderr.isatty():
        try:
            tqdm = importlib.import_module("tqdm")
            bar = tqdm.tqdm(total=total or None, unit="B", unit_scale=True, desc=name[7:19])
        except ImportError:
            bar = None
    try:
        yield (bar.update if bar is not None else (lambda n: None))
    finally:
        if bar is not None:
            bar.close()


def _client(
    ref: ImageReference, creds: str | None, plain_http: bool, verify: bool
) -> RegistryClient:
    user: str | None = None
    password: str | None = None
    if creds:
        user, _, password = creds.partition(":")
    return RegistryClient(
        ref.registry, username=user, password=password, plain_http=plain_http, verify=verify
    )


def migrate(
    source: str,
    destination: str,
    *,
    oci: bool = False,
    dry_run: bool = False,
    src_creds: str | None = None,
    dest_creds: str | None = None,
    plain_http: bool = False,
    tls_verify: bool = True,
    progress: bool = True,
    log: Callable[[str], None] = lambda line: None,
) -> MigrationResult:
    """Migrate the schema 1 image ``source`` to ``destination`` (references as
    ``HOST[:PORT]/NAME[:TAG]``) as schema 2, or OCI with ``oci``. Every blob is checked
    against its digest while it downloads. ``dry_run``: pull and convert, push nothing.

    Raises ``registry.RegistryError`` for a failed request, ``MalformedSchema1Manifest`` /
    ``InvalidSchema1Signature`` for a bad source manifest or blob."""
    started = time.perf_counter()
    src, dst = ImageReference.parse(source), ImageReference.parse(destination)
    puller = _client(src, src_creds, plain_http, tls_verify)
    same_registry = src.registry == dst.registry and src_creds == dest_creds
    pusher = puller if same_registry else _client(dst, dest_creds, plain_http, tls_verify)

    data, _ = puller.get_manifest(
        src.repository,
        src.ref,
        [DOCKER_SCHEMA1_SIGNED_MANIFEST_CONTENT_TYPE, DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE],
    )
    schema1 = DockerSchema1Manifest(data, validate=True)
    digests = sorted(set(schema1.blob_digests))
    with tempfile.TemporaryDirectory(prefix="docker-schema1-migrate-") as tmp:
        measured: dict[str, LayerInfo] = {}
        for digest in digests:
            hasher = LayerHasher()
            with open(os.path.join(tmp, digest[7:]), "wb") as f, _bar(0, digest, progress) as tick:
                for chunk in puller.blob_chunks(src.repository, digest):
                    hasher.update(chunk)
                    f.write(chunk)
                    tick(len(chunk))
            measured[digest] = LayerInfo(*hasher.finish(digest))
            info = measured[digest]
            log(f"pulled {digest} ({info.size} bytes, diff ID {info.diff_id})")
        image = convert(schema1, measured, oci=oci)
        tag = dst.tag or image.manifest_digest
        pushed: list[str] = []
        mounted: list[str] = []
        present: list[str] = []
        if dry_run:
            for digest in image.layers:
                log(f"would push layer {digest} ({measured[digest].size} bytes)")
            log(f"would push config {image.config_digest} ({len(image.config)} bytes)")
            log(f"would put manifest {dst.registry}/{dst.repository}:{tag} {image.manifest_digest}")
        else:
            for digest in image.layers:
                if pusher.has_blob(dst.repository, digest):
                    present.append(digest)
                elif (
                    same_registry
                    and src.repository != dst.repository
                    and pusher.mount_blob(dst.repository, digest, src.repository)
                ):
                    mounted.append(digest)
                else:
                    path = os.path.join(tmp, digest[7:])
                    with open(path, "rb") as f:
                        pusher.push_blob(dst.repository, digest, f, measured[digest].size)
                    pushed.append(digest)
            if pusher.has_blob(dst.repository, image.config_digest):
                present.append(image.config_digest)
            else:
                blob = io.BytesIO(image.config)
                pusher.push_blob(dst.repository, image.config_digest, blob, len(image.config))
                pushed.append(image.config_digest)
            got = pusher.put_manifest(dst.repository, tag, image.manifest, image.media_type)
            if got and got != image.manifest_digest:
                log(f"warning: the registry answered digest {got}")
    return MigrationResult(
        image=image,
        source=src,
        destination=dst,
        pushed=tuple(pushed),
        mounted=tuple(mounted),
        present=tuple(present),
        seconds=time.perf_counter() - started,
    )
