"""``DockerSchema1ManifestBuilder``: Quay's builder, writing byte-identical manifests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import _backend, _write
from .constants import DOCKER_SCHEMA1_BLOB_SUM_KEY, DOCKER_SCHEMA1_V1_COMPAT_KEY
from .manifest import DockerSchema1Manifest

__all__ = ["DockerSchema1ManifestBuilder"]


class DockerSchema1ManifestBuilder:
    """Builds schema 1 manifests, layers leaf first, as Quay's builder does.

    ``build()`` writes Python's ``json.dumps(indent=3)`` layout byte for byte and, given a key,
    signs it (RSA: RS256, identical to Quay; EC: ES256/ES384/ES512 by curve).
    """

    def __init__(
        self, namespace_name: Any, repo_name: Any, tag: Any, architecture: Any = "amd64"
    ) -> None:
        self._namespace_name = namespace_name
        self._repo_name = repo_name
        self._tag = tag
        self._architecture = architecture
        self._fs_layers: list[dict[str, Any]] = []
        self._history: list[dict[str, Any]] = []

    #: The class ``build()`` returns; ``docker_schema1.quay`` binds its own.
    _manifest_type: type[DockerSchema1Manifest] = DockerSchema1Manifest

    def clone(self, tag_name: Any = None) -> DockerSchema1ManifestBuilder:
        """A copy with its own layer lists, under ``tag_name`` when given."""
        builder = type(self)(
            self._namespace_name, self._repo_name, tag_name or self._tag, self._architecture
        )
        builder._fs_layers = list(self._fs_layers)
        builder._history = list(self._history)
        return builder

    def add_layer(self, layer_digest: Any, v1_json_metadata: Any) -> DockerSchema1ManifestBuilder:
        """Append a layer (call leaf first). Empty or None metadata is stored as ``"{}"``."""
        self._fs_layers.append({DOCKER_SCHEMA1_BLOB_SUM_KEY: layer_digest})
        self._history.append({DOCKER_SCHEMA1_V1_COMPAT_KEY: v1_json_metadata or "{}"})
        return self

    def insert_layer(
        self, layer_digest: Any, v1_json_metadata: Any
    ) -> DockerSchema1ManifestBuilder:
        """Put a layer in front (for building base first)."""
        self._fs_layers.insert(0, {DOCKER_SCHEMA1_BLOB_SUM_KEY: layer_digest})
        self._history.insert(0, {DOCKER_SCHEMA1_V1_COMPAT_KEY: v1_json_metadata or "{}"})
        return self

    def with_metadata_removed(self) -> DockerSchema1ManifestBuilder:
        """A new builder whose layers but the leaf keep only id, parent, created, author,
        comment, Size and container_config.Cmd.

        Raises ``MalformedSchema1Manifest`` for metadata that is not JSON or has no ``id``.
        """
        history = [entry[DOCKER_SCHEMA1_V1_COMPAT_KEY] for entry in self._history]
        stripped = _backend.current().metadata_removed(history)
        builder = type(self)(self._namespace_name, self._repo_name, self._tag, self._architecture)
        for fs_layer, metadata in zip(self._fs_layers, stripped):
            builder.add_layer(fs_layer[DOCKER_SCHEMA1_BLOB_SUM_KEY], metadata)
        return builder

    def build(
        self,
        json_web_key: Any = None,
        ensure_ascii: bool = True,
        *,
        signing_time: datetime | None = None,
    ) -> DockerSchema1Manifest:
        """The manifest, signed when ``json_web_key`` is given.

        ``json_web_key``: a private JWK (dict or JSON text), PEM or DER, a ``cryptography``
        private key, or an object with ``as_dict(is_private=True)``; a public, unsupported or
        too small key raises ``ValueError``. ``signing_time`` fixes the protected header's
        ``time`` (default: now, UTC).
        """
        doc = _write.document(
            self._namespace_name,
            self._repo_name,
            self._tag,
            self._architecture,
            [
                (fs_layer[DOCKER_SCHEMA1_BLOB_SUM_KEY], entry[DOCKER_SCHEMA1_V1_COMPAT_KEY])
                for fs_layer, entry in zip(self._fs_layers, self._history)
            ],
        )
        backend = _backend.current()
        data, parsed = _write.write_parsed(backend, doc, json_web_key, ensure_ascii, signing_time)
        return self._manifest_type._from_parsed(data, parsed, backend)


DockerSchema1Manifest._builder_type = DockerSchema1ManifestBuilder
