"""``read_arrow`` (DESIGN 9): one row per slot of a pyarrow binary array, equal to what the
constructor and the manifest's members give for each input, on both backends."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docker_schema1 import (
    InvalidSchema1Signature,
    read_arrow,
    to_canonical_json,
    using_backend,
)
from docker_schema1.arrow import COLUMNS, schema

from . import batches

pa = pytest.importorskip("pyarrow")


def _text(value: Any) -> Any:
    if value is None:
        return None
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def expected_row(data: bytes | None, validate: bool = True) -> dict[str, Any]:
    """The row, made from the constructor and the public members."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    if data is None:
        return row
    result = batches.one_by_one(data, validate)
    if isinstance(result, Exception):
        verdict = (
            "invalid_signature" if isinstance(result, InvalidSchema1Signature) else "malformed"
        )
        return {**row, "verdict": verdict, "error": str(result)}
    name = result.manifest_dict["name"]
    row.update(digest=result.digest, tag=_text(result.tag), name=_text(name))
    try:
        layers = result.layers
    except batches.ERRORS as e:
        return {**row, "verdict": "malformed", "error": str(e)}
    leaf = result.leaf_layer_v1_image_id if layers else None
    if leaf is not None and not isinstance(leaf, str):
        leaf = to_canonical_json(leaf, ensure_ascii=False)
    row.update(
        verdict="ok",
        layer_count=len(layers),
        leaf_layer_v1_image_id=_text(leaf),
        blob_digests=result.blob_digests,
    )
    return row


def check(array: Any, values: list[bytes | None], validate: bool = True, **kw: Any) -> None:
    table = read_arrow(array, validate=validate, **kw)
    assert table.schema == schema()
    table.validate(full=True)
    assert table.to_pylist() == [expected_row(v, validate) for v in values]


@pytest.mark.parametrize("kind", ["binary", "large_binary"])
@pytest.mark.parametrize("validate", [True, False])
def test_equal_to_the_constructor_on_the_local_corpus(
    backend: str, kind: str, validate: bool
) -> None:
    values: list[bytes | None] = [*batches.local_corpus(), None]
    values.insert(3, None)
    check(pa.array(values, type=getattr(pa, kind)()), values, validate)


def test_equal_to_the_constructor_on_shared_vectors_and_golden_inputs(backend: str) -> None:
    values: list[bytes | None] = list(batches.shared_corpus())
    for workers in (1, 2):
        check(pa.array(values, type=pa.large_binary()), values, workers=workers)


def test_slices_chunks_strings_and_capsules(backend: str) -> None:
    values: list[bytes | None] = [
        batches.generated(i % 4, ["RS256"] if i % 2 else [], tag=f"t{i}") for i in range(30)
    ]
    values[5] = values[17] = None
    values[9] = b"{"
    array = pa.array(values, type=pa.binary())
    for start, stop in [(0, 30), (1, 4), (5, 6), (7, 30), (13, 13), (9, 25)]:
        check(array.slice(start, stop - start), values[start:stop])
    chunked = pa.chunked_array([array.slice(0, 11), array.slice(11, 0), array.slice(11)])
    check(chunked, values)
    check(pa.chunked_array([], type=pa.binary()), [])
    check(array.cast(pa.large_string()).slice(2), values[2:])
    check(array.cast(pa.string()), values)
    if hasattr(pa, "binary_view"):
        check(array.cast(pa.binary_view()), values)

    class Capsule:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __arrow_c_array__(self, requested_schema: Any = None) -> Any:
            return self.inner.__arrow_c_array__(requested_schema)

    class Stream:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
            return self.inner.__arrow_c_stream__(requested_schema)

    check(Capsule(array.slice(3)), values[3:])
    check(Stream(chunked), values)


def test_a_batch_of_one_and_of_zero(backend: str) -> None:
    check(pa.array([], type=pa.binary()), [])
    check(pa.array([None], type=pa.binary()), [None])
    one = batches.generated(2, ["ES256"])
    check(pa.array([one], type=pa.large_binary()), [one], workers=1)


def test_bad_input_types() -> None:
    with pytest.raises(TypeError, match="binary or string arrays, not int64"):
        read_arrow(pa.array([1, 2]))
    with pytest.raises(TypeError, match="PyCapsule interface, not list"):
        read_arrow([b"{}"])
    with pytest.raises(ValueError, match="workers must be at least 1"):
        read_arrow(pa.array([b"{}"]), workers=0)


@given(
    st.lists(batches.inputs | st.none(), max_size=12),
    st.integers(0, 12),
    st.booleans(),
    st.booleans(),
)
def test_generated_arrays_equal_the_constructor(
    values: list[bytes | None], start: int, large: bool, validate: bool
) -> None:
    array = pa.array(values, type=pa.large_binary() if large else pa.binary())
    start = min(start, len(values))
    for name in ("rust", "pure"):
        with using_backend(name):
            check(array.slice(start), values[start:], validate)
            check(array, values, validate, workers=2)


def test_without_pyarrow_the_error_says_what_to_install() -> None:
    # In a child process: a failed import of pyarrow would stay in this one's pandas and Dask.
    script = """
import sys
sys.modules["pyarrow"] = None  # import pyarrow now raises ImportError
from docker_schema1 import read_arrow
from docker_schema1.dask import read_parquet
for call in (lambda: read_arrow([b"{}"]), lambda: read_parquet("anywhere", "manifest")):
    try:
        call()
    except ImportError as e:
        print(e)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "read_arrow needs pyarrow: pip install 'docker-schema1[arrow]'",
        "docker_schema1.dask needs Dask: pip install 'docker-schema1[dask]'",
    ]
