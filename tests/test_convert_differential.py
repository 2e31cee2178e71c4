"""Hypothesis against containers/image itself (tests/convertpeer, Debian's 5.23.1): v1Compatibility
text made of Go's hard cases (keys in other cases and repeated, numbers as written, escapes,
`<&>`, U+2028, nulls, wrong types, times in every form RFC 3339 parsing allows) converted by
both; the same bytes for schema 2 and OCI, or an error from both."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from docker_schema1 import DockerSchema1Manifest
from docker_schema1.errors import MalformedSchema1Manifest

from .go_convert import ConvertPeer


@pytest.fixture(scope="module")
def peer() -> Iterator[ConvertPeer]:
    running = ConvertPeer()
    yield running
    running.close()


def blob(i: int) -> str:
    return "sha256:" + hashlib.sha256(bytes([i])).hexdigest()


ws = st.sampled_from(["", "", " ", "\n  ", "\t"])
strings = st.sampled_from(
    [
        '""',
        '"x"',
        '"<&>"',
        '"\\u003c\\u0026"',
        '"é ☃"',
        '"\\u00e9\\/"',
        '"a\\nb\\t\\"q\\""',
        '"\u2028\u2029"',
        '"\\ud800"',
        '"\\ud83d\\ude00"',
        '"\x7f"',
    ]
)
numbers = st.sampled_from(["0", "1", "-0", "1.0", "1e3", "12345678901234567890", "-5"])
scalars = st.one_of(strings, numbers, st.sampled_from(["true", "false", "null"]))
times = st.sampled_from(
    [
        '"2024-01-02T03:04:05Z"',
        '"2024-01-02T3:04:05Z"',
        '"2024-01-02T03:04:05.000Z"',
        '"2024-01-02T03:04:05,5+01:30"',
        '"2024-01-02T03:04:05.1234567891-00:00"',
        '"2024-02-29T23:59:59+14:00"',
        '"2023-02-29T00:00:00Z"',
        '"2024-01-02 03:04:05Z"',
        '"2024-01-02T03:04:05"',
        '"2024\\u002d01-02T03:04:05Z"',
        "null",
        "1",
    ]
)


def obj(members: st.SearchStrategy[list[tuple[str, str]]]) -> st.SearchStrategy[str]:
    def render(items: list[tuple[str, str]], pad: str) -> str:
        body = ",".join(f"{pad}{json.dumps(k)}{pad}:{pad}{v}" for k, v in items)
        return "{" + body + pad + "}"

    return st.builds(render, members, ws)


def arr(items: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda xs, pad: "[" + f",{pad}".join(xs) + "]", st.lists(items, max_size=3), ws
    )


string_lists = arr(strings | st.just("null")) | strings | st.just("null") | numbers
string_maps = obj(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "<", "é"]), strings | st.just("null")), max_size=3
    )
)
sets = obj(
    st.lists(
        st.tuples(
            st.sampled_from(["80/tcp", "/v"]), st.sampled_from(["{}", '{"x":1}', "null", "1"])
        ),
        max_size=2,
    )
)
health = obj(
    st.lists(
        st.tuples(
            st.sampled_from(["Test", "Interval", "Retries", "StartPeriod", "timeout"]),
            st.one_of(numbers, arr(strings), st.just("null")),
        ),
        max_size=3,
    )
)
config_members = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "Cmd",
                "cmd",
                "Env",
                "Entrypoint",
                "User",
                "Labels",
                "ExposedPorts",
                "Volumes",
                "WorkingDir",
                "StopSignal",
                "ArgsEscaped",
                "Shell",
                "Healthcheck",
                "Image",
                "Tty",
            ]
        ),
        st.one_of(string_lists, string_maps, sets, scalars),
    ),
    max_size=5,
)
top_keys = st.sampled_from(
    [
        "created",
        "Created",
        "CREATED",
        "author",
        "Author",
        "comment",
        "throwaway",
        "ThrowAway",
        "architecture",
        "os",
        "variant",
        "os.features",
        "os.version",
        "Size",
        "size",
        "docker_version",
        "rootfs",
        "history",
        "History",
        "parent_id",
        "layer_id",
        "container",
        "config",
        "Config",
        "container_config",
        "Container_Config",
        "<&>",
        "é",
        "\u2028",
        "zz",
    ]
)


def value_for(key: str) -> st.SearchStrategy[str]:
    lowered = key.lower()
    if lowered == "created":
        return times
    if lowered in ("config", "container_config"):
        return obj(config_members) | st.sampled_from(["null", "1"])
    if lowered == "throwaway":
        return st.sampled_from(["true", "false", "null", "1"])
    if lowered == "docker_version":
        return st.sampled_from(
            ['"1.9.0"', '"20.10.24"', '""', "null", '"1.8.2"', '"1.6.0"', '"1.8.3-rc1"', '"1.8"']
        )
    if lowered == "os.features":
        return arr(strings) | scalars
    return (
        scalars
        | arr(scalars)
        | obj(st.lists(st.tuples(st.sampled_from(["a", "B"]), scalars), max_size=2))
    )


members = st.lists(top_keys.flatmap(lambda k: value_for(k).map(lambda v: (k, v))), max_size=6)


@st.composite
def manifests(draw: st.DrawFn) -> tuple[str, dict[str, tuple[int, str]]]:
    count = draw(st.integers(1, 4))
    ids = [f"{n:02x}" * 32 for n in range(1, count + 1)]  # base first
    entries = []
    for i in range(count):  # leaf first
        layer = count - 1 - i
        own = [("id", json.dumps(ids[layer]))]
        if layer > 0:
            own.append(("parent", json.dumps(ids[layer - 1])))
        extra = draw(members)
        items = draw(st.permutations(own + extra))
        entries.append(draw(obj(st.just(items))))
    sums = [blob(draw(st.integers(0, 2))) for _ in range(count)]
    fs_layers = ",".join(json.dumps({"blobSum": s}) for s in sums)
    history = ",".join(json.dumps({"v1Compatibility": e}, ensure_ascii=False) for e in entries)
    extra = draw(
        st.lists(
            st.sampled_from(
                [
                    ',"layers":null',
                    ',"layers":[]',
                    ',"config":{}',
                    ',"Config":null',
                    ',"manifests":[]',
                    ',"mediaType":"application/json"',
                    ',"SchemaVersion":1',
                    ',"schemaVersion":2',
                ]
            ),
            max_size=2,
        )
    )
    raw = (
        '{"name":"a/b","tag":"t","architecture":"amd64","fsLayers":['
        + fs_layers
        + '],"history":['
        + history
        + '],"schemaVersion":1'
        + "".join(extra)
        + "}"
    )
    layers = {blob(i): (100 + i, "sha256:" + f"{i:x}" * 64) for i in range(3)}
    return raw, layers


@given(manifests())
def test_same_bytes_as_containers_image(
    peer: ConvertPeer, case: tuple[str, dict[str, tuple[int, str]]]
) -> None:
    raw, layers = case
    go = peer.convert(raw, layers)
    try:
        manifest = DockerSchema1Manifest(raw.encode(), validate=True)
    except MalformedSchema1Manifest:
        assume(False)
        return
    info = {k: SimpleNamespace(size=s, diff_id=d) for k, (s, d) in layers.items()}
    if go.error is not None and not go.error.startswith("oci: "):
        with pytest.raises(MalformedSchema1Manifest):
            manifest.to_schema2(info)
        return
    ours = manifest.to_schema2(info)
    assert (ours.config, ours.manifest) == (go.config, go.manifest)
    if go.error is not None:
        with pytest.raises(MalformedSchema1Manifest):
            manifest.to_oci(info)
        return
    oci = manifest.to_oci(info)
    assert (oci.config, oci.manifest) == (go.oci_config, go.oci_manifest)
