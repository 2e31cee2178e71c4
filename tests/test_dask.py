"""``docker_schema1.dask.read_parquet`` on a real cluster: a ``LocalCluster`` of 2 worker
processes over a generated Parquet dataset of a few thousand manifests in several partitions, equal
to ``read_arrow`` in this process, the dataset's other columns kept beside the results."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docker_schema1 import DockerSchema1ManifestBuilder, read_arrow
from docker_schema1.arrow import COLUMNS
from docker_schema1.dask import read_parquet

from . import signing

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
distributed = pytest.importorskip("distributed")

ROWS, PARTITIONS = 3000, 6


def manifests() -> list[bytes | None]:
    """Signed (RS256 and ES256), unsigned, broken and null rows, all different."""
    keys = [signing.key_for("RS256"), signing.key_for("ES256")]
    out: list[bytes | None] = []
    for i in range(ROWS):
        builder = DockerSchema1ManifestBuilder("dask", f"repo{i % 7}", f"tag{i}")
        for layer in range(i % 5):
            builder.add_layer("sha256:" + f"{layer:064x}", f'{{"id": "{i}-{layer}"}}')
        key = keys[i % 2] if i % 10 == 0 else None
        data = builder.build(key).bytes.as_encoded_str()
        if i % 97 == 0:
            out.append(None)
        elif i % 31 == 0:
            out.append(data[: len(data) // 2])
        elif i % 10 == 0 and i % 20 == 0:
            out.append(
                data.replace(f'"tag{i}"'.encode(), f'"TAG{i}"'.encode())
            )  # signed tag edited
        else:
            out.append(data)
    return out


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    folder = tmp_path_factory.mktemp("manifests")
    values = manifests()
    table = pa.table(
        {
            "row_id": pa.array(range(ROWS), pa.int64()),
            "manifest": pa.array(values, pa.binary()),
            "source": pa.array([f"repo-{i % 3}" for i in range(ROWS)]),
        }
    )
    size = ROWS // PARTITIONS
    for part in range(PARTITIONS):
        pq.write_table(table.slice(part * size, size), folder / f"part-{part:02d}.parquet")
    return folder, table


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def check(result: Any, table: Any) -> None:
    """``result`` (a pyarrow table) is the dataset's ids and sources beside ``read_arrow``'s
    columns of its manifests, row for row."""
    result = result.sort_by("row_id")
    assert result.column_names == ["row_id", "source", *COLUMNS]
    assert result.column("row_id").to_pylist() == list(range(ROWS))
    assert result.column("source").to_pylist() == table.column("source").to_pylist()
    single = read_arrow(table.column("manifest"))
    for name in COLUMNS:
        assert result.column(name).to_pylist() == single.column(name).to_pylist(), name
    verdicts = set(single.column("verdict").to_pylist())
    assert verdicts == {"ok", "malformed", "invalid_signature", None}


def test_a_two_process_cluster_equals_one_process(client: Any, dataset: tuple[Path, Any]) -> None:
    folder, table = dataset
    frame = read_parquet(folder, "manifest")
    assert frame.npartitions == PARTITIONS
    computed = frame.compute()
    assert len(client.scheduler_info()["workers"]) == 2
    check(pa.Table.from_pandas(computed, preserve_index=False), table)


def test_the_results_written_as_a_parquet_dataset(
    client: Any, dataset: tuple[Path, Any], tmp_path: Path
) -> None:
    folder, table = dataset
    assert read_parquet(folder, "manifest", tmp_path / "out") is None
    written = list((tmp_path / "out").glob("*.parquet"))
    assert len(written) == PARTITIONS
    check(pq.read_table(tmp_path / "out"), table)


def test_a_missing_or_clashing_column(dataset: tuple[Path, Any], tmp_path: Path) -> None:
    folder, table = dataset
    with pytest.raises(KeyError, match="no column 'nope'"):
        read_parquet(folder, "nope")
    pq.write_table(table.rename_columns(["row_id", "manifest", "digest"]), tmp_path / "x.parquet")
    with pytest.raises(ValueError, match=r"\['digest'\] would clash"):
        read_parquet(tmp_path, "manifest")


def test_dasks_pyarrow_filesystem(client: Any, dataset: tuple[Path, Any]) -> None:
    # With filesystem="arrow" Dask ignores dtype_backend: the partitions hold Python objects,
    # and the meta an empty column of them.
    folder, table = dataset
    frame = read_parquet(folder, "manifest", filesystem="arrow")
    check(pa.Table.from_pandas(frame.compute(), preserve_index=False), table)


def test_unique_columns_are_written_without_dictionary_pages(
    client: Any, dataset: tuple[Path, Any], tmp_path: Path
) -> None:
    folder, _ = dataset
    read_parquet(folder, "manifest", tmp_path / "out")
    written = sorted((tmp_path / "out").glob("*.parquet"))[0]
    row_group = pq.ParquetFile(written).metadata.row_group(0)
    encodings = {
        row_group.column(i).path_in_schema: row_group.column(i).encodings
        for i in range(row_group.num_columns)
    }
    for path, found in encodings.items():
        dictionary = any("DICTIONARY" in encoding for encoding in found)
        unique = path.split(".")[0] in ("digest", "leaf_layer_v1_image_id", "blob_digests")
        assert dictionary != unique, (path, found)
