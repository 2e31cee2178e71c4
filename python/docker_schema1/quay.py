"""Quay's ``image/docker/schema1.py``, whole, bound to Quay's own types.

Inside a Quay tree, the body of ``image/docker/schema1.py`` becomes one line::

    from docker_schema1.quay import *  # noqa: F403

and Quay's code and tests run on this package unchanged. Importing this module there binds:

- the exceptions: ``MalformedSchema1Manifest`` and ``InvalidSchema1Signature`` derive from
  Quay's ``image.shared.ManifestException`` and from this package's classes of the same names;
  the "Unknown parent image" error of ``validate()`` is a Quay ``ManifestException`` too;
- ``manifest.bytes`` is Quay's ``util.bytes.Bytes``; layer digests are Quay's
  ``digest_tools.Digest``;
- manifests are registered as Quay's ``image.shared.interfaces.ManifestInterface``;
- ``rewrite_invalid_image_ids`` yields Quay's ``image.docker.v1.DockerV1Metadata`` and
  ``get_layers`` Quay's ``image.shared.types.ManifestImageLayer``.

Outside a Quay tree this module cannot be imported (``ImportError``); use ``docker_schema1``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

from . import builder as _builder
from . import errors as _errors
from . import manifest as _manifest
from .constants import (
    DOCKER_SCHEMA1_ARCH_KEY,
    DOCKER_SCHEMA1_BLOB_SUM_KEY,
    DOCKER_SCHEMA1_CONTENT_TYPES,
    DOCKER_SCHEMA1_FORMAT_LENGTH_KEY,
    DOCKER_SCHEMA1_FORMAT_TAIL_KEY,
    DOCKER_SCHEMA1_FS_LAYERS_KEY,
    DOCKER_SCHEMA1_HEADER_KEY,
    DOCKER_SCHEMA1_HISTORY_KEY,
    DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE,
    DOCKER_SCHEMA1_PROTECTED_KEY,
    DOCKER_SCHEMA1_REPO_NAME_KEY,
    DOCKER_SCHEMA1_REPO_TAG_KEY,
    DOCKER_SCHEMA1_SCHEMA_VER_KEY,
    DOCKER_SCHEMA1_SIGNATURE_KEY,
    DOCKER_SCHEMA1_SIGNATURES_KEY,
    DOCKER_SCHEMA1_SIGNED_MANIFEST_CONTENT_TYPE,
    DOCKER_SCHEMA1_V1_COMPAT_KEY,
)
from .types import Schema1Layer, Schema1V1Metadata

try:
    from digest import digest_tools  # type: ignore[import-not-found, unused-ignore]
    from image.docker.v1 import DockerV1Metadata  # type: ignore[import-not-found, unused-ignore]
    from image.shared import ManifestException  # type: ignore[import-not-found, unused-ignore]
    from image.shared.interfaces import (  # type: ignore[import-not-found, unused-ignore]
        ManifestInterface,
    )
    from image.shared.types import (  # type: ignore[import-not-found, unused-ignore]
        ManifestImageLayer,
    )
    from util.bytes import Bytes  # type: ignore[import-not-found, unused-ignore]
except ImportError as error:
    raise ImportError(
        "docker_schema1.quay stands in for Quay's image/docker/schema1.py and binds Quay's own "
        "types (util.bytes, image.shared, image.docker.v1, digest.digest_tools), so it can only "
        f"be imported inside a Quay tree ({error}); elsewhere, import docker_schema1"
    ) from error

__all__ = [
    "DOCKER_SCHEMA1_ARCH_KEY",
    "DOCKER_SCHEMA1_BLOB_SUM_KEY",
    "DOCKER_SCHEMA1_CONTENT_TYPES",
    "DOCKER_SCHEMA1_FORMAT_LENGTH_KEY",
    "DOCKER_SCHEMA1_FORMAT_TAIL_KEY",
    "DOCKER_SCHEMA1_FS_LAYERS_KEY",
    "DOCKER_SCHEMA1_HEADER_KEY",
    "DOCKER_SCHEMA1_HISTORY_KEY",
    "DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE",
    "DOCKER_SCHEMA1_PROTECTED_KEY",
    "DOCKER_SCHEMA1_REPO_NAME_KEY",
    "DOCKER_SCHEMA1_REPO_TAG_KEY",
    "DOCKER_SCHEMA1_SCHEMA_VER_KEY",
    "DOCKER_SCHEMA1_SIGNATURES_KEY",
    "DOCKER_SCHEMA1_SIGNATURE_KEY",
    "DOCKER_SCHEMA1_SIGNED_MANIFEST_CONTENT_TYPE",
    "DOCKER_SCHEMA1_V1_COMPAT_KEY",
    "Bytes",
    "DockerSchema1Manifest",
    "DockerSchema1ManifestBuilder",
    "DockerV1Metadata",
    "InvalidSchema1Signature",
    "MalformedSchema1Manifest",
    "ManifestException",
    "ManifestImageLayer",
    "Schema1Layer",
    "Schema1V1Metadata",
]


class MalformedSchema1Manifest(_errors.MalformedSchema1Manifest, ManifestException):  # type: ignore[misc]
    """``docker_schema1.MalformedSchema1Manifest`` that is also Quay's ``ManifestException``."""


class InvalidSchema1Signature(_errors.InvalidSchema1Signature, ManifestException):  # type: ignore[misc]
    """``docker_schema1.InvalidSchema1Signature`` that is also Quay's ``ManifestException``."""


class _QuayManifestException(_errors.ManifestException, ManifestException):  # type: ignore[misc]
    """Any other error of this package about a manifest, as Quay's ``ManifestException``."""


def _reraise(error: _errors.ManifestException) -> NoReturn:
    """Raise ``error`` again as the class above that carries Quay's base class."""
    if isinstance(error, ManifestException):
        raise error
    if isinstance(error, _errors.InvalidSchema1Signature):
        quay_class: type[Exception] = InvalidSchema1Signature
    elif isinstance(error, _errors.MalformedSchema1Manifest):
        quay_class = MalformedSchema1Manifest
    else:
        quay_class = _QuayManifestException
    raise quay_class(*error.args).with_traceback(error.__traceback__) from None


def _quay_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` (or generator function) raising the classes above instead of ours."""
    if inspect.isgeneratorfunction(function):

        @functools.wraps(function)
        def generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from function(*args, **kwargs)
            except _errors.ManifestException as error:
                _reraise(error)

        return generator

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except _errors.ManifestException as error:
            _reraise(error)

    return wrapper


def _with_quay_errors(cls: type) -> type:
    """Wrap every method and property that ``cls`` inherits from this package's class."""
    base = cls.__mro__[1]
    for name, member in vars(base).items():
        if name.startswith("__") and name != "__init__":
            continue
        if isinstance(member, property) and member.fget is not None:
            setattr(cls, name, property(_quay_errors(member.fget), doc=member.__doc__))
        elif inspect.isfunction(member) and name not in vars(cls):
            setattr(cls, name, _quay_errors(member))
    return cls


@_with_quay_errors
class DockerSchema1Manifest(_manifest.DockerSchema1Manifest):
    """``docker_schema1.DockerSchema1Manifest`` handing back Quay's types and errors."""

    _bytes_type = Bytes
    _digest_type = digest_tools.Digest
    _v1_metadata_type = DockerV1Metadata
    _image_layer_type = ManifestImageLayer


@_with_quay_errors
class DockerSchema1ManifestBuilder(_builder.DockerSchema1ManifestBuilder):
    """``docker_schema1.DockerSchema1ManifestBuilder`` building the Quay-bound manifest."""

    _manifest_type = DockerSchema1Manifest


DockerSchema1Manifest._builder_type = DockerSchema1ManifestBuilder
ManifestInterface.register(DockerSchema1Manifest)
