from util.bytes import Bytes

from image.docker.schema1 import DOCKER_SCHEMA1_CONTENT_TYPES, DockerSchema1Manifest
from image.shared import ManifestException


def parse_manifest_from_bytes(manifest_bytes, media_type, validate=True):
    """The manifest class for ``media_type``, as a registry's read path picks it."""
    assert isinstance(manifest_bytes, Bytes)
    if media_type in DOCKER_SCHEMA1_CONTENT_TYPES:
        return DockerSchema1Manifest(manifest_bytes, validate=validate)
    raise ManifestException(f"unsupported media type {media_type}")
