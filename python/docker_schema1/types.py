"""The value types, namedtuples with Quay's names, fields and field order."""

from __future__ import annotations

from collections import namedtuple

__all__ = ["DockerV1Metadata", "ManifestImageLayer", "Schema1Layer", "Schema1V1Metadata"]


class Schema1Layer(
    namedtuple(
        "Schema1Layer",
        ["digest", "v1_metadata", "raw_v1_metadata", "compressed_size", "is_remote", "urls"],
    )
):
    """One layer: its blob ``Digest`` and the metadata of its v1Compatibility entry."""

    __slots__ = ()


class Schema1V1Metadata(
    namedtuple(
        "Schema1V1Metadata",
        ["image_id", "parent_image_id", "created", "comment", "command", "author", "labels"],
    )
):
    """What a layer's v1Compatibility JSON says, as raw JSON values."""

    __slots__ = ()


class DockerV1Metadata(
    namedtuple(
        "DockerV1Metadata",
        [
            "namespace_name",
            "repo_name",
            "image_id",
            "checksum",
            "content_checksum",
            "created",
            "comment",
            "command",
            "author",
            "parent_image_id",
            "compat_json",
        ],
    )
):
    """A legacy v1 image of a manifest, as ``rewrite_invalid_image_ids`` yields them."""

    __slots__ = ()


class ManifestImageLayer(
    namedtuple(
        "ManifestImageLayer",
        [
            "layer_id",
            "compressed_size",
            "is_remote",
            "urls",
            "command",
            "blob_digest",
            "created_datetime",
            "author",
            "comment",
            "internal_layer",
        ],
    )
):
    """A layer as ``get_layers`` yields it (the registry's generic view)."""

    __slots__ = ()
