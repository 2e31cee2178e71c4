"""``read_arrow``: manifests read straight from a pyarrow binary array, into the table a backfill
stores. Needs pyarrow (``pip install 'docker-schema1[arrow]'``), imported on first use.

On the Rust backend each chunk's offset and data buffers go to the core as they are (only the
bytes of the chunk's own slots, copied once into a ``bytes``: abi3 builds for Python 3.9 cannot
borrow a buffer), the GIL is released once per chunk and the rows are read on every core; no
Python object is made per manifest. The pure backend reads row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import _backend
from .batch import read_many_of
from .canonical import to_canonical_json
from .errors import InvalidSchema1Signature, MalformedSchema1Manifest
from .manifest import DockerSchema1Manifest

__all__ = ["COLUMNS", "read_arrow", "schema"]

#: The table's columns, in order.
COLUMNS = (
    "digest",
    "verdict",
    "error",
    "tag",
    "name",
    "layer_count",
    "leaf_layer_v1_image_id",
    "blob_digests",
)


def _pyarrow() -> Any:
    try:
        import pyarrow  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ImportError("read_arrow needs pyarrow: pip install 'docker-schema1[arrow]'") from None
    return pyarrow


def schema() -> Any:
    """The pyarrow schema of ``read_arrow``'s table."""
    pa = _pyarrow()
    text = pa.large_string()
    return pa.schema(
        [
            ("digest", text),
            ("verdict", text),
            ("error", text),
            ("tag", text),
            ("name", text),
            ("layer_count", pa.int64()),
            ("leaf_layer_v1_image_id", text),
            ("blob_digests", pa.large_list(pa.field("item", text, nullable=False))),
        ]
    )


def read_arrow(array: Any, *, validate: bool = True, workers: int | None = None) -> Any:
    """Read the manifests of ``array`` into a ``pyarrow.Table`` with one row per slot, in order.

    ``array`` is a pyarrow ``BinaryArray``, ``LargeBinaryArray`` (or their string and view
    counterparts), a ``ChunkedArray`` of those, or any object with the Arrow PyCapsule interface
    (``__arrow_c_array__`` / ``__arrow_c_stream__``).

    Columns (see ``COLUMNS``): ``verdict`` is ``"ok"``, ``"malformed"`` or
    ``"invalid_signature"``, and ``error`` the message of the exception the constructor (or, for
    ``malformed`` with a digest, reading the layers) raises. ``digest``, ``tag`` and ``name`` are
    the manifest's when its constructor succeeds; ``layer_count``, ``leaf_layer_v1_image_id``
    (null without layers; a non-string id as canonical JSON) and ``blob_digests`` (base first)
    when its layers read too. A null slot gives a row of nulls. Text holding Python's lone
    surrogates is written with U+FFFD, as Arrow strings are UTF-8.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1 (or None for every core), not {workers}")
    pa = _pyarrow()
    chunks = _binary_chunks(pa, array)
    backend = _backend.current()
    tables = [
        _read_chunk(pa, chunk, validate, workers)
        if backend.name == "rust"
        else _read_rows(pa, chunk, validate, workers)
        for chunk in chunks
    ]
    if not tables:
        return schema().empty_table()
    if len(tables) == 1:
        return tables[0]
    return pa.concat_tables(tables)


def _binary_chunks(pa: Any, array: Any) -> list[Any]:
    if isinstance(array, pa.ChunkedArray):
        chunks = list(array.chunks)
    elif isinstance(array, pa.Array):
        chunks = [array]
    elif hasattr(array, "__arrow_c_stream__"):
        chunks = list(pa.chunked_array(array).chunks)
    elif hasattr(array, "__arrow_c_array__"):
        chunks = [pa.array(array)]
    else:
        raise TypeError(
            "read_arrow takes a pyarrow binary array, a chunked array or an object with the Arrow "
            f"PyCapsule interface, not {type(array).__name__}"
        )
    out = []
    for chunk in chunks:
        kind = chunk.type
        if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            out.append(chunk)
        elif pa.types.is_string(kind):
            out.append(chunk.view(pa.binary()))
        elif pa.types.is_large_string(kind):
            out.append(chunk.view(pa.large_binary()))
        elif str(kind) in ("binary_view", "string_view"):
            out.append(chunk.cast(pa.large_binary()))
        else:
            raise TypeError(f"read_arrow reads binary or string arrays, not {kind}")
    return out


def _read_chunk(pa: Any, chunk: Any, validate: bool, workers: int | None) -> Any:
    from . import _rust

    large = pa.types.is_large_binary(chunk.type)
    width = 8 if large else 4
    length, offset = len(chunk), chunk.offset
    validity, offsets, data = chunk.buffers()
    # Only this chunk's own slots: its offsets, their bytes, the bitmap from its first bit.
    offset_bytes = offsets.slice(offset * width, (length + 1) * width).to_pybytes()
    first = int.from_bytes(offset_bytes[:width], "little", signed=True)
    last = int.from_bytes(offset_bytes[-width:], "little", signed=True)
    data_bytes = b""
    if data is not None and last > first:
        data_bytes = data.slice(first, last - first).to_pybytes()
    bits = None
    if validity is not None and chunk.null_count:
        bits = validity.slice(offset // 8, (offset % 8 + length + 7) // 8).to_pybytes()
    columns = _rust.backfill_arrow(
        offset_bytes, data_bytes, bits, offset % 8, length, large, validate, workers
    )
    fields = schema()
    arrays = []
    for field in fields:
        null_count, bitmap, *buffers = columns[field.name]
        bitmap = None if bitmap is None else pa.py_buffer(bitmap)
        buffers = [pa.py_buffer(buffer) for buffer in buffers]
        if pa.types.is_large_list(field.type):
            item_offsets, item_data = buffers[1:]
            items_length = len(item_offsets) // 8 - 1
            items = pa.Array.from_buffers(
                field.type.value_type, items_length, [None, item_offsets, item_data], 0
            )
            arrays.append(
                pa.Array.from_buffers(
                    field.type, length, [bitmap, buffers[0]], null_count, children=[items]
                )
            )
        else:
            arrays.append(pa.Array.from_buffers(field.type, length, [bitmap, *buffers], null_count))
    return pa.Table.from_arrays(arrays, schema=fields)


def _read_rows(pa: Any, chunk: Any, validate: bool, workers: int | None) -> Any:
    """The same table, read row by row through the public class (the pure backend)."""
    values: list[bytes | None] = chunk.to_pylist()
    present = [value for value in values if value is not None]
    results = iter(read_many_of(DockerSchema1Manifest, present, validate=validate, workers=workers))
    rows = [None if value is None else _row(next(results)) for value in values]
    columns = {name: [None if r is None else r[i] for r in rows] for i, name in enumerate(COLUMNS)}
    return pa.Table.from_pydict(columns, schema=schema())


def _row(result: Any) -> tuple[Any, ...]:
    """The table's row for one of ``read_many``'s results (see ``read_arrow``), made through the
    public class; the Rust backend's rows equal these."""
    if isinstance(result, Exception):
        return (None, _verdict(result), str(result), None, None, None, None, None)
    head = (result.digest, _text(result.tag), _text(result._parsed["name"]))
    try:
        layers = result.layers
    except (MalformedSchema1Manifest, InvalidSchema1Signature) as exc:
        return (head[0], _verdict(exc), str(exc), *head[1:], None, None, None)
    leaf = layers[-1].v1_metadata.image_id if layers else None
    if leaf is not None and not isinstance(leaf, str):
        leaf = to_canonical_json(leaf, ensure_ascii=False)
    blob_digests: Sequence[str] = result.blob_digests
    return (head[0], "ok", None, *head[1:], len(layers), _text(leaf), blob_digests)


def _verdict(error: Exception) -> str:
    return "invalid_signature" if isinstance(error, InvalidSchema1Signature) else "malformed"


def _text(value: str | None) -> str | None:
    """``value`` as Arrow can hold it: lone surrogates become U+FFFD."""
    if value is None:
        return None
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
