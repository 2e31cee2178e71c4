"""The value types, namedtuples with Quay's names, fields and field order (typed, so that type
checkers see each field; at run time they are plain namedtuples)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .digest import Digest

__all__ = ["DockerV1Metadata", "ManifestImageLayer", "Schema1Layer", "Schema1V1Metadata"]


class Schema1V1Metadata(NamedTuple):
    """What a layer's v1Compatibility JSON says, as raw JSON values."""

    image_id: Any
    parent_image_id: Any
    created: Any
    comment: Any
    command: str | None
    author: Any
    labels: Any


class Schema1Layer(NamedTuple):
    """One layer: its blob ``Digest`` and the metadata of its v1Compatibility entry."""

    digest: Digest
    v1_metadata: Schema1V1Metadata
    raw_v1_metadata: str
    compressed_size: Any
    is_remote: bool
    urls: list[str] | None


class DockerV1Metadata(NamedTuple):
    """A legacy v1 image of a manifest, as ``rewrite_invalid_image_ids`` yields them."""

    namespace_name: Any
    repo_name: Any
    image_id: str
    checksum: Any
    content_checksum: Any
    created: Any
    comment: Any
    command: str | None
    author: Any
    parent_image_id: str | None
    compat_json: str


class ManifestImageLayer(NamedTuple):
    """A layer as ``get_layers`` yields it (the registry's generic view)."""

    layer_id: Any
    compressed_size: Any
    is_remote: bool
    urls: list[str] | None
    command: str | None
    blob_digest: Any
    created_datetime: datetime | None
    author: Any
    comment: Any
    internal_layer: Schema1Layer
