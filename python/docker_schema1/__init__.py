"""docker_schema1: Docker image manifests of schema 1, read, verified, digested, built and
signed on a Rust core. A drop-in for Quay's ``image/docker/schema1.py``."""

from __future__ import annotations

from ._backend import set_backend, using_backend
from .arrow import read_arrow
from .batch import read_many
from .builder import DockerSchema1ManifestBuilder
from .bytes import Bytes
from .canonical import to_canonical_json
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
from .convert import layer_info, layer_infos
from .digest import Digest, InvalidDigestException, sha256_digest
from .errors import InvalidSchema1Signature, MalformedSchema1Manifest, ManifestException
from .manifest import DockerSchema1Manifest
from .types import DockerV1Metadata, ManifestImageLayer, Schema1Layer, Schema1V1Metadata

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
    "Digest",
    "DockerSchema1Manifest",
    "DockerSchema1ManifestBuilder",
    "DockerV1Metadata",
    "InvalidDigestException",
    "InvalidSchema1Signature",
    "MalformedSchema1Manifest",
    "ManifestException",
    "ManifestImageLayer",
    "Schema1Layer",
    "Schema1V1Metadata",
    "layer_info",
    "layer_infos",
    "read_arrow",
    "read_many",
    "set_backend",
    "sha256_digest",
    "to_canonical_json",
    "using_backend",
]

try:
    from importlib.metadata import version as _version

    __version__ = _version("docker-schema1")
except Exception:  # running from a source tree that was never installed
    __version__ = "0+unknown"
