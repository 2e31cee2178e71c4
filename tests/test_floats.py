"""Floats in canonical JSON: the Rust core writes Python's ``repr`` digits exactly."""

from __future__ import annotations

import json
import struct

from hypothesis import example, given
from hypothesis import strategies as st

from docker_schema1 import _backend


def rust_canonical(value: object) -> str:
    with _backend.using_backend("rust"):
        text: str = _backend.current().canonical_json(value, True)
        return text


@given(st.floats(allow_nan=False))
@example(-1714927114182199.2)  # exact ties between two shortest candidates: half-even
@example(1739847930794186.2)
@example(5e-324)
@example(1e16)
@example(1e-05)
@example(9007199254740993.0)
def test_floats_are_written_as_python_repr(value: float) -> None:
    assert rust_canonical([value]) == json.dumps([value], separators=(",", ":"))


@given(st.integers(0, 2**64 - 1))
def test_every_bit_pattern_is_written_as_python_repr(bits: int) -> None:
    (value,) = struct.unpack("<d", struct.pack("<Q", bits))
    assert rust_canonical({"v": value}) == json.dumps({"v": value}, separators=(",", ":"))
