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

from .convert import ConvertedImage, LayerHasher, LayerInfo, convert
from .manifest import DockerSchema1Manifest
from .registry import Credentials, Reference, RegistryClient, RegistryError

__all__ = ["MigrationResult", "migrate"]


@dataclass(frozen=True)
class MigrationResult:
    """What ``migrate`` did (or, with ``dry_run``, would do)."""

    image: ConvertedImage
    source: Reference
    destination: Reference
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


def _reference(text: str) -> Reference:
    reference = Reference.parse(text)
    if reference is None:
        raise RegistryError(f"{text!r} is not a registry reference (HOST[:PORT]/NAME[:TAG])")
    return reference


def _credentials(creds: str | None) -> Credentials | None:
    if not creds:
        return None
    user, _, password = creds.partition(":")
    return Credentials(user, password)


def migrate(
    source: str,
    destination: str,
    *,
    oci: bool = False,
    dry_run: bool = False,
    src_creds: str | None = None,
    dest_creds: str | None = None,
    insecure: bool = False,
    progress: bool = True,
    log: Callable[[str], None] = lambda line: None,
) -> MigrationResult:
    """Migrate the schema 1 image ``source`` to ``destination`` (references as
    ``HOST[:PORT]/NAME[:TAG]``) as schema 2, or OCI with ``oci``. Every blob is checked
    against its digest while it downloads. ``dry_run``: pull and convert, push nothing.
    ``src_creds``/``dest_creds``: ``USER:PASSWORD`` (else ``~/.docker/config.json``);
    ``insecure``: no TLS verification, plain http allowed (loopback registries get plain
    http without it).

    Raises ``registry.RegistryError`` for a failed request, ``MalformedSchema1Manifest`` /
    ``InvalidSchema1Signature`` for a bad source manifest or blob."""
    src, dst = _reference(source), _reference(destination)
    puller = RegistryClient(_credentials(src_creds), insecure=insecure)
    same_registry = src.host == dst.host and src_creds == dest_creds
    pusher = puller if same_registry else RegistryClient(_credentials(dest_creds), insecure)
    try:
        return _migrate(src, dst, puller, pusher, same_registry, oci, dry_run, progress, log)
    finally:
        puller.close()
        if pusher is not puller:
            pusher.close()


def _migrate(
    src: Reference,
    dst: Reference,
    puller: RegistryClient,
    pusher: RegistryClient,
    same_registry: bool,
    oci: bool,
    dry_run: bool,
    progress: bool,
    log: Callable[[str], None],
) -> MigrationResult:
    started = time.perf_counter()
    schema1 = DockerSchema1Manifest(puller.get_manifest(src).data, validate=True)
    digests = sorted(set(schema1.blob_digests))
    with tempfile.TemporaryDirectory(prefix="docker-schema1-migrate-") as tmp:
        measured: dict[str, LayerInfo] = {}
        for digest in digests:
            hasher = LayerHasher()
            with open(os.path.join(tmp, digest[7:]), "wb") as f, _bar(0, digest, progress) as tick:
                for chunk in puller.blob_chunks(src, digest):
                    hasher.update(chunk)
                    f.write(chunk)
                    tick(len(chunk))
            measured[digest] = LayerInfo(*hasher.finish(digest))
            info = measured[digest]
            log(f"pulled {digest} ({info.size} bytes, diff ID {info.diff_id})")
        image = convert(schema1.bytes.as_encoded_str(), measured, oci=oci)
        # A destination given by digest is stored under the new manifest's own digest.
        target = dst.with_ref(image.manifest_digest) if dst.by_digest else dst
        pushed: list[str] = []
        mounted: list[str] = []
        present: list[str] = []
        if dry_run:
            for digest in image.layers:
                log(f"would push layer {digest} ({measured[digest].size} bytes)")
            log(f"would push config {image.config_digest} ({len(image.config)} bytes)")
            log(f"would put manifest {target} {image.manifest_digest}")
        else:
            for digest in image.layers:
                if pusher.has_blob(dst, digest):
                    present.append(digest)
                elif (
                    same_registry
                    and src.name != dst.name
                    and pusher.mount_blob(dst, digest, src.name)
                ):
                    mounted.append(digest)
                else:
                    path = os.path.join(tmp, digest[7:])
                    with open(path, "rb") as f:
                        pusher.push_blob(dst, digest, f, measured[digest].size)
                    pushed.append(digest)
            if pusher.has_blob(dst, image.config_digest):
                present.append(image.config_digest)
            else:
                blob = io.BytesIO(image.config)
                pusher.push_blob(dst, image.config_digest, blob, len(image.config))
                pushed.append(image.config_digest)
            got = pusher.put_manifest(target, image.manifest, image.media_type)
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
