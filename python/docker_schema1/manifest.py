"""``DockerSchema1Manifest``: a parsed, verified schema 1 manifest (Quay's API)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol, Union

from . import _backend, _write
from ._dates import parse_created
from .bytes import Bytes
from .constants import (
    DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE,
    DOCKER_SCHEMA1_SIGNED_MANIFEST_CONTENT_TYPE,
)
from .digest import Digest
from .errors import MalformedSchema1Manifest, ManifestException
from .types import DockerV1Metadata, ManifestImageLayer, Schema1Layer, Schema1V1Metadata

__all__ = ["DockerSchema1Manifest", "EncodedBytes", "ManifestInput"]


class EncodedBytes(Protocol):
    """Any wrapper of encoded bytes with Quay's ``Bytes`` shape."""

    def as_encoded_str(self) -> bytes: ...


ManifestInput = Union[bytes, bytearray, memoryview, str, Bytes, EncodedBytes]


def _raw_bytes(manifest_bytes: Any) -> bytes:
    if isinstance(manifest_bytes, bytes):
        return manifest_bytes
    if isinstance(manifest_bytes, (bytearray, memoryview)):
        return bytes(manifest_bytes)
    if isinstance(manifest_bytes, str):
        return Bytes.for_string_or_unicode(manifest_bytes).as_encoded_str()
    # Bytes, Quay's util.bytes.Bytes, or any other wrapper of the same shape.
    as_encoded_str = getattr(manifest_bytes, "as_encoded_str", None)
    if as_encoded_str is not None:
        data = as_encoded_str()
        if isinstance(data, (bytes, bytearray, memoryview)):
            return bytes(data)
    raise TypeError(
        "manifest_bytes must be bytes, bytearray, memoryview, str or an object with "
        f"as_encoded_str() returning bytes (Bytes), not {type(manifest_bytes).__name__}"
    )


def _id_set(values: Iterable[Any], what: str) -> set[Any]:
    try:
        return set(values)
    except TypeError:
        raise MalformedSchema1Manifest(f"a layer's {what} is not a JSON scalar") from None


class DockerSchema1Manifest:
    """A Docker image manifest of schema 1, signed (prettyjws) or not.

    ``manifest_bytes`` may be ``bytes``, ``bytearray``, ``memoryview``, ``str``, ``Bytes`` or
    any object with ``as_encoded_str()`` (Quay's ``util.bytes.Bytes``).
    The document is parsed and checked at once; with ``validate=True`` every signature is
    verified. Raises ``MalformedSchema1Manifest`` or ``InvalidSchema1Signature`` (both
    ``ManifestException`` and ``ValueError``). Layers are read on first use.
    """

    # The value and record types the members hand back. ``docker_schema1.quay`` binds Quay's
    # own classes here; each is built with the same arguments as ours.
    _bytes_type: Any = Bytes
    _digest_type: Any = Digest
    _v1_metadata_type: Any = DockerV1Metadata
    _image_layer_type: Any = ManifestImageLayer
    #: The builder class of ``_unsigned_builder()``; set by ``docker_schema1.builder``.
    _builder_type: Any = None

    def __init__(self, manifest_bytes: ManifestInput, validate: bool = True) -> None:
        data = _raw_bytes(manifest_bytes)
        backend = _backend.current()
        self._set(data, backend.parse_manifest(data, validate), backend)

    @classmethod
    def _from_parsed(
        cls, data: bytes, parsed: _backend.ParsedManifest, backend: _backend.Backend
    ) -> DockerSchema1Manifest:
        """A manifest whose bytes a backend has already parsed (the builder's output)."""
        manifest = cls.__new__(cls)
        manifest._set(data, parsed, backend)
        return manifest

    def _set(self, data: bytes, parsed: _backend.ParsedManifest, backend: _backend.Backend) -> None:
        self._bytes = self._bytes_type(data)
        self._backend = backend
        self._parsed = parsed
        self._signatures: list[Any] | None = parsed["signatures"]
        self._digest = parsed["digest"]
        self._tag: str = parsed["tag"]
        # The name splits at the first "/" only: "a/b/c" is namespace "a", repo "b/c".
        namespace, sep, repo_name = parsed["name"].partition("/")
        self._namespace, self._repo_name = (namespace, repo_name) if sep else ("", namespace)
        self._layers: list[Schema1Layer] | None = None
        self._raw_v1: list[str] | None = None
        self._rows: tuple[list[Schema1Layer], list[tuple[Any, ...]], list[Any]] | None = None
        self._manifest_value: Any = None

    def __repr__(self) -> str:
        return (
            f"<DockerSchema1Manifest {self._namespace}/{self._repo_name}:{self._tag} "
            f"{self._digest}>"
        )

    # Simple members ---------------------------------------------------------------------

    @property
    def is_signed(self) -> bool:
        """Whether the manifest carries signatures."""
        return bool(self._signatures)

    @property
    def signers(self) -> list[tuple[str, str]]:
        """``(alg, libtrust key id)`` of each signature verified at construction.

        Empty when the manifest is unsigned or was constructed with ``validate=False``.
        """
        return list(self._parsed["signers"])

    @property
    def architecture(self) -> Any:
        """The ``architecture`` member as it is in the document, or None."""
        if self._parsed["architecture"] is _backend.UNREAD:
            self._parsed["architecture"] = self._member("architecture")
        return self._parsed["architecture"]

    @property
    def is_manifest_list(self) -> bool:
        """Always False: schema 1 has no manifest lists."""
        return False

    @property
    def schema_version(self) -> int:
        """Always 1."""
        return 1

    @property
    def content_type(self) -> str:
        """``...v1+prettyjws`` when signed, else ``...v1+json``."""
        if self._signatures:
            return DOCKER_SCHEMA1_SIGNED_MANIFEST_CONTENT_TYPE
        return DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE

    @property
    def media_type(self) -> str:
        """The same as ``content_type``."""
        return self.content_type

    @property
    def artifact_type(self) -> None:
        """Always None (an OCI notion)."""
        return None

    @property
    def subject(self) -> None:
        """Always None (an OCI notion)."""
        return None

    @property
    def config(self) -> None:
        """Always None: schema 1 has no config blob."""
        return None

    @property
    def config_media_type(self) -> None:
        """Always None: schema 1 has no config blob."""
        return None

    @property
    def signatures(self) -> list[Any] | None:
        """The raw ``signatures`` list, or None when the document has none."""
        if self._signatures is _backend.UNREAD:
            self._signatures = self._member("signatures")
        return self._signatures

    def _member(self, key: str) -> Any:
        # A raw member the constructor checked but did not build (DESIGN 6.9).
        return self._backend.manifest_member(self._bytes.as_encoded_str(), key)

    @property
    def namespace(self) -> str:
        """The part of ``name`` before its first ``/``; ``""`` when there is none."""
        return self._namespace

    @property
    def repo_name(self) -> str:
        """The part of ``name`` after its first ``/`` (all of it when there is none)."""
        return self._repo_name

    @property
    def tag(self) -> str:
        """The ``tag`` member."""
        return self._tag

    @property
    def bytes(self) -> Any:
        """The manifest exactly as given, as ``Bytes``."""
        return self._bytes

    @property
    def manifest_json(self) -> Any:
        """The whole document as Python's ``json.loads`` reads it (parsed on first use)."""
        if self._manifest_value is None:
            self._manifest_value = self._backend.manifest_value(self._bytes.as_encoded_str())
        return self._manifest_value

    @property
    def manifest_dict(self) -> Any:
        """The same as ``manifest_json``."""
        return self.manifest_json

    @property
    def digest(self) -> str:
        """``sha256:<hex>`` of the payload: the signed bytes, without the signatures."""
        return self._digest

    # Layers -----------------------------------------------------------------------------

    def _generate_layers(self, allow_missing_ids: bool) -> list[Schema1Layer]:
        history = self._parsed["history"]
        if self._raw_v1 is None:
            # The v1Compatibility texts as Python strings, made once (base first).
            self._raw_v1 = history.v1_compat()[::-1]
        records: list[Schema1Layer] = history.records(
            allow_missing_ids, self._raw_v1, Schema1Layer, Schema1V1Metadata, self._digest_type
        )
        return records

    @property
    def layers(self) -> list[Schema1Layer]:
        """The layers, base first (leaf last), parsed on first use.

        Raises ``MalformedSchema1Manifest`` for a bad blobSum or v1Compatibility entry.
        """
        if self._layers is None:
            self._layers = self._generate_layers(allow_missing_ids=False)
        return self._layers

    @property
    def filesystem_layers(self) -> list[Schema1Layer]:
        """The same as ``layers``."""
        return self.layers

    def _leaf(self) -> Schema1Layer:
        layers = self.layers
        if not layers:
            raise MalformedSchema1Manifest("manifest has no layers")
        return layers[-1]

    @property
    def leaf_layer(self) -> Schema1Layer:
        """The top layer. Raises ``MalformedSchema1Manifest`` when there are no layers."""
        return self._leaf()

    @property
    def layers_compressed_size(self) -> int | float:
        """The sum of the layers' ``Size`` values that are present (0 when none are)."""
        try:
            return sum(  # type: ignore[no-any-return]
                layer.compressed_size for layer in self.layers if layer.compressed_size is not None
            )
        except (TypeError, OverflowError):  # OverflowError: a huge int beside a float
            raise MalformedSchema1Manifest("a layer's Size is not a number") from None

    @property
    def image_ids(self) -> set[Any]:
        """The set of the layers' v1 image ids (which may hold None).

        Raises ``MalformedSchema1Manifest`` as ``layers`` does, or for an id that is not a
        JSON scalar.
        """
        return _id_set((layer.v1_metadata.image_id for layer in self.layers), "id")

    @property
    def legacy_image_ids(self) -> set[Any]:
        """The same as ``image_ids``."""
        return self.image_ids

    def get_legacy_image_ids(self, content_retriever: Any) -> set[Any]:
        """The same as ``legacy_image_ids``."""
        return self.legacy_image_ids

    @property
    def parent_image_ids(self) -> set[Any]:
        """The set of the layers' parent ids that are set (truthy).

        Raises ``MalformedSchema1Manifest`` as ``image_ids`` does.
        """
        return _id_set(
            (
                layer.v1_metadata.parent_image_id
                for layer in self.layers
                if layer.v1_metadata.parent_image_id
            ),
            "parent",
        )

    @property
    def checksums(self) -> list[str]:
        """The distinct blob digests, in no particular order."""
        return list({str(layer.digest) for layer in self.layers})

    @property
    def blob_digests(self) -> list[str]:
        """The blob digest of every layer, base first, repeats kept."""
        return [str(layer.digest) for layer in self.layers]

    @property
    def local_blob_digests(self) -> list[str]:
        """The same as ``blob_digests``."""
        return self.blob_digests

    def get_blob_digests_for_translation(self) -> list[str]:
        """As ``blob_digests``, but layers whose metadata has no ``id`` are allowed."""
        return [field[0] for field in self._parsed["history"].fields(True)]

    @property
    def created_datetime(self) -> datetime | None:
        """The leaf's ``created`` as a naive datetime; None when absent or unparsable."""
        return parse_created(self._leaf().v1_metadata.created)

    def get_layers(self, content_retriever: Any) -> Iterator[ManifestImageLayer]:
        """The layers as ``ManifestImageLayer``, base first."""
        image_layer_type = self._image_layer_type
        for layer in self.layers:
            metadata = layer.v1_metadata
            yield image_layer_type(
                layer_id=metadata.image_id,
                compressed_size=layer.compressed_size,
                is_remote=False,
                urls=None,
                command=metadata.command,
                blob_digest=layer.digest,
                created_datetime=parse_created(metadata.created),
                author=metadata.author,
                comment=metadata.comment,
                internal_layer=layer,
            )

    @property
    def leaf_layer_v1_image_id(self) -> Any:
        """The leaf layer's v1 image id; ``MalformedSchema1Manifest`` without layers."""
        return self._leaf().v1_metadata.image_id

    def get_leaf_layer_v1_image_id(self, content_retriever: Any) -> Any:
        """The same as ``leaf_layer_v1_image_id``."""
        return self.leaf_layer_v1_image_id

    def get_manifest_labels(self, content_retriever: Any) -> Any:
        """The leaf layer's ``config.Labels``."""
        return self._leaf().v1_metadata.labels

    def validate(self, content_retriever: Any) -> None:
        """Check that each layer's parent is the id of a layer below it.

        Raises ``ManifestException`` ("Unknown parent image ...") otherwise.
        """
        seen: set[Any] = set()
        for layer in self.layers:
            metadata = layer.v1_metadata
            try:
                if metadata.parent_image_id and metadata.parent_image_id not in seen:
                    raise ManifestException(f"Unknown parent image {metadata.parent_image_id}")
                # As Quay: only ids that are set (truthy) are recorded.
                if metadata.image_id:
                    seen.add(metadata.image_id)
            except TypeError:
                raise MalformedSchema1Manifest(
                    "a layer's id or parent is not a JSON scalar"
                ) from None

    # Other manifest kinds ---------------------------------------------------------------

    @property
    def is_image_manifest(self) -> bool:
        """Always True."""
        return True

    @property
    def has_legacy_image(self) -> bool:
        """Always True: every layer has v1 metadata."""
        return True

    def child_manifests(self, content_retriever: Any) -> None:
        """Always None: schema 1 has no child manifests."""
        return None

    def get_requires_empty_layer_blob(self, content_retriever: Any) -> bool:
        """Always False."""
        return False

    # Rebuilding ---------------------------------------------------------------------------

    def _rebuilt(self, tag: Any, json_web_key: Any, signing_time: datetime | None) -> Any:
        # As Quay's builder stores them: empty metadata becomes "{}".
        layers = [
            (str(layer.digest), layer.raw_v1_metadata or "{}") for layer in reversed(self.layers)
        ]
        doc = _write.document(self._namespace, self._repo_name, tag, self.architecture, layers)
        # On this manifest's own backend, whichever is current now.
        data, parsed = _write.write_parsed(self._backend, doc, json_web_key, True, signing_time)
        return type(self)._from_parsed(data, parsed, self._backend)

    def _unsigned_builder(self) -> Any:
        """A builder holding this manifest's layers, name, tag and architecture (Quay's
        private helper, which Quay's tests call)."""
        builder = self._builder_type(self._namespace, self._repo_name, self._tag, self.architecture)
        for layer in reversed(self.layers):
            builder.add_layer(str(layer.digest), layer.raw_v1_metadata)
        return builder

    def _validate(self) -> None:
        """Verify every signature again (Quay's private check, which Quay's tests call).

        Raises ``InvalidSchema1Signature`` (or ``MalformedSchema1Manifest``) as the
        constructor does with ``validate=True``.
        """
        if self._signatures:
            self._backend.parse_manifest(self._bytes.as_encoded_str(), True)

    def unsigned(self) -> DockerSchema1Manifest:
        """This manifest when it is unsigned, else the same layers rebuilt without signatures
        (always ``\\u``-escaped, as Quay rebuilds it)."""
        if self.media_type == DOCKER_SCHEMA1_MANIFEST_CONTENT_TYPE:
            return self
        rebuilt: DockerSchema1Manifest = self._rebuilt(self._tag, None, None)
        return rebuilt

    def with_tag_name(
        self, tag_name: Any, json_web_key: Any = None, *, signing_time: datetime | None = None
    ) -> DockerSchema1Manifest:
        """The same layers under another tag, signed when a key is given (see the builder's
        ``build`` for the key forms and ``signing_time``)."""
        rebuilt: DockerSchema1Manifest = self._rebuilt(tag_name, json_web_key, signing_time)
        return rebuilt

    def convert_manifest(
        self,
        allowed_mediatypes: Any,
        namespace_name: Any,
        repo_name: Any,
        tag_name: Any,
        content_retriever: Any,
    ) -> DockerSchema1Manifest | None:
        """This very manifest when its media type is allowed, else ``unsigned()`` when that
        one's is, else None."""
        if self.media_type in allowed_mediatypes:
            return self
        unsigned = self.unsigned()
        if unsigned.media_type in allowed_mediatypes:
            return unsigned
        return None

    def rewrite_invalid_image_ids(self, images_map: Any) -> Iterator[DockerV1Metadata]:
        """Quay's v1 image id rewrite, base first.

        From the first layer whose id is in ``images_map`` with a ``content_checksum`` other
        than the layer's blob digest, that layer and all later ones get a new id: the running
        SHA-256 of ``digest@v1Compatibility|`` over the layers so far. Their parents and
        ``container_config`` image are remapped and their ``compat_json`` rewritten.
        """
        rows, records = self._v1_rows()
        first = self._first_rewritten(rows, images_map)
        history = self._parsed["history"]
        if first == len(rows):
            # Nothing rewritten: every id maps to itself, so the records are the layers' own.
            history.check_encodable()
            yield from records
            return
        cls = self._v1_metadata_type
        rewritten = history.rewritten_records(
            [row[2] for row in rows[:first]], rows[first:], cls, self._is_v1_namedtuple(cls)
        )
        yield from records[:first]
        yield from rewritten

    @staticmethod
    def _is_v1_namedtuple(cls: Any) -> bool:
        """Whether ``cls`` (``DockerV1Metadata`` or the bound class) is a namedtuple with our
        fields (Quay's class has the same): its records are then made by ``tuple.__new__``, as
        its own ``__new__`` would, without that Python-level call; any other class is called."""
        return getattr(cls, "_fields", None) == DockerV1Metadata._fields

    def _v1_record_maker(self) -> Any:
        """Makes a ``DockerV1Metadata`` (or the bound class's) from its fields, in order."""
        cls = self._v1_metadata_type
        if self._is_v1_namedtuple(cls):
            return functools.partial(tuple.__new__, cls)
        return lambda fields: cls(*fields)

    def _v1_rows(self) -> tuple[list[tuple[Any, ...]], list[Any]]:
        """The fields of each layer's ``DockerV1Metadata`` when no id is rewritten, base first,
        and those records (immutable, so made once per list of layers and handed out again)."""
        layers = self.layers
        cached = self._rows
        if cached is None or cached[0] is not layers:
            namespace, repo_name = self._namespace, self._repo_name
            rows = [
                (
                    namespace,
                    repo_name,
                    layer.v1_metadata.image_id,
                    None,
                    str(layer.digest),
                    layer.v1_metadata.created,
                    layer.v1_metadata.comment,
                    layer.v1_metadata.command,
                    layer.v1_metadata.author,
                    layer.v1_metadata.parent_image_id,
                    layer.raw_v1_metadata,
                )
                for layer in layers
            ]
            make = self._v1_record_maker()
            cached = self._rows = (layers, rows, [make(row) for row in rows])
        return cached[1], cached[2]

    @staticmethod
    def _first_rewritten(rows: list[tuple[Any, ...]], images_map: Any) -> int:
        """The position of the first layer whose id ``images_map`` holds with another
        ``content_checksum`` (``len(rows)`` when there is none). As Quay, every layer's id is
        looked up, also after the first mismatch."""
        first = len(rows)
        if type(images_map) is dict and not images_map:
            return first
        for position, row in enumerate(rows):
            image_id = row[2]
            if (
                image_id in images_map
                and images_map[image_id].content_checksum != row[4]
                and position < first
            ):
                first = position
        return first

    def generate_legacy_layers(
        self, images_map: Any, content_retriever: Any
    ) -> Iterator[DockerV1Metadata]:
        """The same as ``rewrite_invalid_image_ids(images_map)``."""
        return self.rewrite_invalid_image_ids(images_map)

    def get_schema1_manifest(
        self, namespace_name: str, repo_name: str, tag_name: str, content_retriever: Any
    ) -> DockerSchema1Manifest:
        """This manifest itself."""
        return self

    def to_schema2(self, layer_info: Any) -> Any:
        """This image as schema 2, byte for byte as skopeo converts it: ``layer_info`` maps
        each layer blob digest to an object with ``size`` and ``diff_id``. Gives a
        ``docker_schema1.convert.ConvertedImage``; see ``docker_schema1.convert.convert``."""
        from .convert import convert

        return convert(self._bytes.as_encoded_str(), layer_info, oci=False)

    def to_oci(self, layer_info: Any) -> Any:
        """This image as an OCI image, as ``to_schema2`` does it for schema 2."""
        from .convert import convert

        return convert(self._bytes.as_encoded_str(), layer_info, oci=True)
