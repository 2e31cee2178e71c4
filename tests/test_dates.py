"""``created`` parsing: the fast path answers only where it equals dateutil, which Quay uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dateutil.parser
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from docker_schema1 import _backend, _dates

BACKENDS = ("rust", "pure")


def quay_created(value: Any) -> datetime | None:
    """What Quay's ``created_datetime`` gives for ``value``."""
    if value is None:
        return None
    try:
        parsed: datetime = dateutil.parser.parse(value)
        return parsed.replace(tzinfo=None)
    except Exception:
        return None


def two(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.integers(lo, hi).map(lambda n: f"{n:02d}")


# Docker's form, with every field allowed to go out of range, and near misses around it.
docker_times = st.builds(
    lambda y, mo, d, sep, h, mi, s, frac, tz: f"{y}-{mo}-{d}{sep}{h}:{mi}:{s}{frac}{tz}",
    st.integers(0, 9999).map(lambda n: f"{n:04d}"),
    two(0, 14),
    two(0, 33),
    st.sampled_from(["T", " ", "t"]),
    two(0, 25),
    two(0, 61),
    two(0, 61),
    st.one_of(st.just(""), st.text("0123456789", min_size=0, max_size=14).map(lambda f: "." + f)),
    st.one_of(
        st.sampled_from(["", "Z", "z", "UTC", " Z", "+00:00", "-00:00", "+0530", "+05"]),
        st.builds(
            lambda sign, h, m: f"{sign}{h}:{m}", st.sampled_from("+-"), two(0, 30), two(0, 70)
        ),
    ),
)


@given(docker_times)
@example("2018-08-13T19:19:53.123456789Z")
@example("2018-02-30T00:00:00Z")
@example("0001-01-01T00:00:00Z")
@example("2018-08-13T19:19:53+23:59")
@example("2018-08-13T19:19:53+24:00")
def test_docker_form_equals_dateutil(text: str) -> None:
    for name in BACKENDS:
        with _backend.using_backend(name):
            assert _dates.parse_created(text) == quay_created(text), name


@given(st.text(max_size=40))
@example("13 Aug 2018")
@example("Mon, 13 Aug 2018 19:19:53 GMT")
@example("2018-08")
@example("2018-08-13t19:19:53z")
@example("٢٠١٨-08-13T19:19:53Z")  # non-ASCII digits: not the fast path
def test_any_text_equals_dateutil(text: str) -> None:
    for name in BACKENDS:
        with _backend.using_backend(name):
            assert _dates.parse_created(text) == quay_created(text), name


@given(st.one_of(docker_times, st.text(max_size=40)))
@example("2018-08-13T19:19:53.\ud800Z")  # a lone surrogate
@example("2018-08-13T19:19:53.123456789\u0661Z")
def test_backends_read_docker_times_alike(text: str) -> None:
    assert _backend.get("rust").docker_time(text) == _backend.get("pure").docker_time(text)


@pytest.mark.parametrize("value", [None, 0, 1.5, [], {}, True])
def test_non_text_is_none(value: Any) -> None:
    assert _dates.parse_created(value) is None


@pytest.mark.parametrize("name", BACKENDS)
@given(
    moment=st.datetimes(min_value=datetime(1000, 1, 1)),
    sep=st.sampled_from(["T", " "]),
    tz=st.sampled_from(["", "Z", "+01:00", "-23:59"]),
)
def test_fast_path_answers_for_docker_times(name: str, moment: datetime, sep: str, tz: str) -> None:
    # Docker's own form never reaches dateutil: the scan answers, with dateutil's answer.
    text = moment.strftime(f"%Y-%m-%d{sep}%H:%M:%S.%f") + tz
    fields = _backend.get(name).docker_time(text)
    assert fields is not None
    assert datetime(*fields) == moment == quay_created(text)


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-08-13T19:19:53.123456789Z", (2018, 8, 13, 19, 19, 53, 123456)),
        ("2018-08-13 19:19:53+02:00", (2018, 8, 13, 19, 19, 53, 0)),
        ("2018-08-13T19:19:53.5-05:30", (2018, 8, 13, 19, 19, 53, 500000)),
        # No range check in the scan: making the datetime fails, and dateutil decides.
        ("2018-13-01T00:00:00Z", (2018, 13, 1, 0, 0, 0, 0)),
    ],
)
def test_fast_path_reads_docker_times(name: str, text: str, expected: tuple[int, ...]) -> None:
    assert _backend.get(name).docker_time(text) == expected


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.parametrize(
    "text",
    ["2018-08-13T19:19:53.Z", "2018-08-13T19:19:53+0530", "2018-08-13T19:19:53+24:00", "x" * 30],
)
def test_fast_path_leaves_other_text_to_dateutil(name: str, text: str) -> None:
    assert _backend.get(name).docker_time(text) is None
