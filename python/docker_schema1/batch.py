"""``read_many``: a batch of manifests read on every core, one result per input, in order.

On the Rust backend the whole batch goes to the core in one call, which reads the manifests on
``workers`` threads without the GIL, the calling thread taking it back only to turn finished
chunks into Python objects; the pure backend reads them one by one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar, Union

from . import _backend
from .errors import InvalidSchema1Signature, MalformedSchema1Manifest
from .manifest import DockerSchema1Manifest, ManifestInput, _raw_bytes

__all__ = ["ReadResult", "read_many", "read_many_of"]

M = TypeVar("M", bound=DockerSchema1Manifest)

#: What ``read_many`` gives for one input: the manifest, or the exception its constructor
#: would raise.
ReadResult = Union[DockerSchema1Manifest, MalformedSchema1Manifest, InvalidSchema1Signature]


def read_many(
    manifests: Iterable[ManifestInput], *, validate: bool = True, workers: int | None = None
) -> list[ReadResult]:
    """Read every manifest of ``manifests``; one result per input, in order.

    Each result is what ``DockerSchema1Manifest(item, validate)`` gives: the manifest, or the
    ``MalformedSchema1Manifest`` / ``InvalidSchema1Signature`` instance it would raise (returned,
    not raised, so one bad input never stops a batch). Inputs take the constructor's types
    (``bytes``, ``bytearray``, ``memoryview``, ``str``, ``Bytes`` or any object with
    ``as_encoded_str()``); a value of another type raises ``TypeError`` before anything is read.

    ``workers`` is the number of threads (the calling thread among them); None uses every core,
    1 reads the whole batch in the calling thread with the GIL released once.
    """
    return read_many_of(DockerSchema1Manifest, manifests, validate=validate, workers=workers)


def read_many_of(
    cls: type[M],
    manifests: Iterable[ManifestInput],
    *,
    validate: bool = True,
    workers: int | None = None,
) -> list[M | MalformedSchema1Manifest | InvalidSchema1Signature]:
    """``read_many`` giving manifests of the class ``cls`` (a subclass of
    ``DockerSchema1Manifest``); ``classmethod(read_many_of)`` makes it a subclass's hook."""
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1 (or None for every core), not {workers}")
    items = [_raw_bytes(manifest) for manifest in manifests]
    backend = _backend.current()
    results: list[M | MalformedSchema1Manifest | InvalidSchema1Signature] = []
    for data, parsed in zip(items, backend.parse_many(items, validate, workers)):
        if isinstance(parsed, (MalformedSchema1Manifest, InvalidSchema1Signature)):
            results.append(parsed)
        else:
            results.append(cls._from_parsed(data, parsed, backend))  # type: ignore[arg-type]
    return results
