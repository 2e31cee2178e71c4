"""Every public member of ``DockerSchema1Manifest`` called on one manifest, for the properties
that say no member ever raises anything but our two classes (DESIGN 4.2)."""

from __future__ import annotations

import contextlib
import operator
from types import SimpleNamespace
from typing import Any, Callable

from docker_schema1 import (
    DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE,
    DockerSchema1Manifest,
    InvalidSchema1Signature,
    MalformedSchema1Manifest,
    ManifestException,
)

ERRORS = (MalformedSchema1Manifest, InvalidSchema1Signature)

Member = Callable[[DockerSchema1Manifest], Any]


def _rewrite_everything(manifest: DockerSchema1Manifest) -> Any:
    """``rewrite_invalid_image_ids`` with the base layer stored under other content, so that
    every layer is rewritten (when the base layer's id can be looked up at all)."""
    layers = manifest.layers
    images_map: dict[Any, Any] = {}
    if layers:
        # An id Python cannot hash: the package must say so itself.
        with contextlib.suppress(TypeError):
            images_map[layers[0].v1_metadata.image_id] = SimpleNamespace(
                content_checksum="sha256:" + "0" * 64
            )
    return list(manifest.rewrite_invalid_image_ids(images_map))


MEMBERS: list[tuple[str, Member]] = [
    (name, operator.attrgetter(name))
    for name in [
        "is_signed",
        "architecture",
        "is_manifest_list",
        "schema_version",
        "content_type",
        "media_type",
        "artifact_type",
        "subject",
        "signatures",
        "signers",
        "namespace",
        "repo_name",
        "tag",
        "bytes",
        "manifest_json",
        "manifest_dict",
        "layers_compressed_size",
        "config",
        "config_media_type",
        "digest",
        "image_ids",
        "parent_image_ids",
        "checksums",
        "leaf_layer",
        "created_datetime",
        "layers",
        "filesystem_layers",
        "is_image_manifest",
        "blob_digests",
        "local_blob_digests",
        "legacy_image_ids",
        "has_legacy_image",
        "leaf_layer_v1_image_id",
    ]
] + [
    ("validate", lambda m: m.validate(None)),
    ("get_layers", lambda m: list(m.get_layers(None))),
    ("get_blob_digests_for_translation", lambda m: m.get_blob_digests_for_translation()),
    ("child_manifests", lambda m: m.child_manifests(None)),
    ("get_manifest_labels", lambda m: m.get_manifest_labels(None)),
    ("get_requires_empty_layer_blob", lambda m: m.get_requires_empty_layer_blob(None)),
    ("unsigned", lambda m: m.unsigned().digest),
    ("with_tag_name", lambda m: m.with_tag_name("retagged").digest),
    ("generate_legacy_layers", lambda m: list(m.generate_legacy_layers({}, None))),
    ("get_legacy_image_ids", lambda m: m.get_legacy_image_ids(None)),
    ("get_leaf_layer_v1_image_id", lambda m: m.get_leaf_layer_v1_image_id(None)),
    ("get_schema1_manifest", lambda m: m.get_schema1_manifest("n", "r", "t", None)),
    (
        "convert_manifest",
        lambda m: m.convert_manifest([DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE], "n", "r", "t", None),
    ),
    ("rewrite_invalid_image_ids", _rewrite_everything),
    ("repr", repr),
]


def every_member(manifest: DockerSchema1Manifest) -> dict[str, str]:
    """Each member's outcome: "ok" or the name of the class it raised. Raises AssertionError
    naming the member when one raises anything else (``validate`` may raise Quay's own
    ``ManifestException`` for an unknown parent, as Quay does)."""
    outcomes = {}
    for name, call in MEMBERS:
        try:
            call(manifest)
        except ERRORS as exc:
            outcomes[name] = type(exc).__name__
        except ManifestException as exc:
            assert name == "validate", f"{name}: {type(exc).__name__}: {exc}"
            outcomes[name] = type(exc).__name__
        except Exception as exc:
            raise AssertionError(
                f"{name}: foreign exception {type(exc).__name__}: {exc!r}"[:2000]
            ) from exc
        else:
            outcomes[name] = "ok"
    return outcomes
