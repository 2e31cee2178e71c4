"""``read_many`` (DESIGN 9): per input, in order, exactly what the constructor gives, the manifest
or the error instance, on both backends and for every worker count."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docker_schema1 import DockerSchema1Manifest, MalformedSchema1Manifest, read_many
from docker_schema1.batch import read_many_of

from . import batches

WORKERS = [None, 1, 2, 3]


def check(items: list[Any], validate: bool = True) -> None:
    expected = [batches.outcome(batches.one_by_one(item, validate)) for item in items]
    for workers in WORKERS:
        results = read_many(items, validate=validate, workers=workers)
        assert [batches.outcome(r) for r in results] == expected, workers


@pytest.mark.parametrize("validate", [True, False])
def test_equal_to_the_constructor_on_the_local_corpus(backend: str, validate: bool) -> None:
    check(batches.local_corpus(), validate)


def test_equal_to_the_constructor_on_shared_vectors_and_golden_inputs(backend: str) -> None:
    corpus = batches.shared_corpus()
    assert len(corpus) > 30
    check(corpus)


def test_every_input_type_and_order_kept(backend: str) -> None:
    manifests = [batches.generated(2, ["ES256"] if i % 3 else [], tag=f"t{i}") for i in range(40)]
    items = [*manifests, b"{", "not json", *manifests[:3]]
    random.Random(7).shuffle(items)
    typed = [
        item if isinstance(item, str) else batches.as_input(item, i % 4)
        for i, item in enumerate(items)
    ]
    results = read_many(typed, workers=2)
    assert len(results) == len(items)
    for item, result in zip(items, results):
        if isinstance(result, DockerSchema1Manifest):
            assert result.bytes.as_encoded_str() == item
            assert result.tag == DockerSchema1Manifest(item).tag
        else:
            assert isinstance(result, MalformedSchema1Manifest)
    check(typed)


def test_a_batch_of_one_and_of_zero(backend: str) -> None:
    assert read_many([]) == []
    assert read_many(iter([]), workers=1) == []
    for item in (batches.generated(3, ["RS256"]), b"nope"):
        check([item])
        (only,) = read_many(item for item in [item])  # any iterable
        assert batches.outcome(only) == batches.outcome(batches.one_by_one(item, True))


def test_a_subclass_gets_its_own_type(backend: str) -> None:
    class Mine(DockerSchema1Manifest):
        read_many = classmethod(read_many_of)

    good, bad = batches.generated(2, ["RS256"]), b"{}"
    results = Mine.read_many([good, bad])
    assert type(results[0]) is Mine and results[0].digest == Mine(good).digest
    assert batches.outcome(results[1]) == batches.outcome(batches.one_by_one(bad, True, Mine))


def test_bad_arguments_raise_before_any_work(backend: str) -> None:
    with pytest.raises(TypeError, match="manifest_bytes must be"):
        read_many([b"{}", 42])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="workers must be at least 1"):
        read_many([b"{}"], workers=0)


@given(
    st.lists(st.tuples(batches.inputs, st.integers(0, 3)), max_size=12),
    st.booleans(),
)
def test_generated_batches_equal_the_constructor(items: list[Any], validate: bool) -> None:
    typed = [batches.as_input(data, kind) for data, kind in items]
    for name in ("rust", "pure"):
        from docker_schema1 import using_backend

        with using_backend(name):
            check(typed, validate)
