"""Backfills beyond one machine on Dask: ``read_arrow`` mapped over the partitions of a Parquet
dataset of manifests. Needs ``pip install 'docker-schema1[dask]'``.

Dask schedules; this module only says what each partition does, so it runs on whatever client is
active (a ``distributed.Client`` on a cluster, or Dask's local scheduler without one).
"""

from __future__ import annotations

from typing import Any

from .arrow import COLUMNS, read_arrow

__all__ = ["read_parquet", "read_partition"]

#: ``read_arrow``'s columns whose values differ from row to row.
UNIQUE_COLUMNS = ("digest", "leaf_layer_v1_image_id", "blob_digests")


def _imports() -> tuple[Any, Any, Any]:
    try:
        import dask.dataframe as dd
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ImportError(
            "docker_schema1.dask needs Dask: pip install 'docker-schema1[dask]'"
        ) from None
    return dd, pd, pa


def read_parquet(
    path: Any,
    column: str,
    output: Any = None,
    *,
    validate: bool = True,
    workers: int | None = 1,
    **read_options: Any,
) -> Any:
    """Read the manifests in ``column`` of the Parquet dataset at ``path`` (anything
    ``dask.dataframe.read_parquet`` takes; ``read_options`` go to it too).

    Each row keeps the dataset's other columns (so results join back to the caller's ids) and
    gains ``read_arrow``'s columns; the manifests themselves are not copied into the result.
    With ``output`` the result is written there as a Parquet dataset (one file per partition,
    no dictionary pages for the ``UNIQUE_COLUMNS``) and None is returned; without, the lazy Dask
    dataframe is returned.

    ``workers`` is per task: Dask already runs one task per core, so the default is 1.
    """
    dd, _, _ = _imports()
    frame = dd.read_parquet(path, dtype_backend="pyarrow", **read_options)
    if column not in frame.columns:
        raise KeyError(f"the dataset has no column {column!r}; it has {list(frame.columns)}")
    clashes = [name for name in frame.columns if name in COLUMNS and name != column]
    if clashes:
        raise ValueError(
            f"the dataset's columns {clashes} would clash with read_arrow's columns; "
            "rename them or leave them out with columns=[...]"
        )
    meta = read_partition(frame._meta, column, validate=validate, workers=workers)
    results = frame.map_partitions(
        read_partition, column, validate=validate, workers=workers, meta=meta
    )
    if output is None:
        return results
    # Columns unique to each row get no dictionary page (pyarrow would try one per column chunk,
    # then give it up: a third more time writing); every other column keeps pyarrow's default.
    dictionary = [name for name in results.columns if name not in UNIQUE_COLUMNS]
    results.to_parquet(output, write_index=False, use_dictionary=dictionary)
    return None


def read_partition(
    partition: Any, column: str, *, validate: bool = True, workers: int | None = 1
) -> Any:
    """One partition (a pandas dataframe): its columns but ``column``, then ``read_arrow``'s,
    as pyarrow-backed pandas columns."""
    _, pd, pa = _imports()
    manifests = pa.Table.from_pandas(partition[[column]], preserve_index=False).column(0)
    if pa.types.is_null(manifests.type):
        # A column of Python objects (Dask's pyarrow filesystem ignores dtype_backend) gives an
        # untyped empty meta, or nothing but nulls.
        manifests = manifests.cast(pa.binary())
    table = read_arrow(manifests, validate=validate, workers=workers)
    results = table.to_pandas(types_mapper=pd.ArrowDtype)
    results.index = partition.index
    return pd.concat([partition.drop(columns=[column]), results], axis=1)
