"""Fixtures of the command-line tests: key files, a folder of many manifests, a fake tqdm."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder

from ..signing import private_jwk
from .support import (
    MANY,
    UNSIGNED,
    FakeBar,
    KeyFile,
    libtrust_key_id,
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KeyFile]:
    """Private keys in PEM and JWK files: RSA and EC of every curve."""
    folder = tmp_path_factory.mktemp("keys")
    made: dict[str, Any] = {
        "rsa.pem": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "p256.jwk": ec.generate_private_key(ec.SECP256R1()),
        "p384.pem": ec.generate_private_key(ec.SECP384R1()),
        "p521.jwk": ec.generate_private_key(ec.SECP521R1()),
        "rsa.jwk": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "p256.pem": ec.generate_private_key(ec.SECP256R1()),
    }
    files = {}
    for index, (name, key) in enumerate(made.items()):
        if name.endswith(".jwk"):
            data = json.dumps(private_jwk(key)).encode()
        else:
            form = (
                serialization.PrivateFormat.PKCS8,
                serialization.PrivateFormat.TraditionalOpenSSL,
            )
            data = key.private_bytes(
                serialization.Encoding.PEM, form[index % 2], serialization.NoEncryption()
            )
        path = folder / name
        path.write_bytes(data)
        files[name] = KeyFile(path, *libtrust_key_id(data))
    public = (
        made["p256.pem"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    (folder / "public.pem").write_bytes(public)
    (folder / "garbage.pem").write_bytes(b"not a key at all")
    return files


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """250 manifests: unsigned and signed ones of different tags, some broken."""
    folder = tmp_path_factory.mktemp("many")
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    base = DockerSchema1Manifest(UNSIGNED.read_bytes())
    for i in range(MANY):
        builder = DockerSchema1ManifestBuilder("ns", f"repo{i % 7}", f"tag{i}")
        for layer in reversed(base.layers):
            builder.add_layer(str(layer.digest), layer.raw_v1_metadata)
        data = builder.build(pem if i % 3 == 0 else None).bytes.as_encoded_str()
        if i % 50 == 7:
            data = data.replace(b'"tag', b'"tog', 1)  # malformed or not verifying
        elif i % 50 == 8:
            data = data[: len(data) // 2]
        (folder / f"m{i:03d}.json").write_bytes(data)
    return folder


@pytest.fixture
def fake_tqdm(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FakeBar]]:
    """A stand-in ``tqdm`` module recording the bars the CLI makes."""
    bars: list[FakeBar] = []

    def tqdm(total: int, file: Any, **options: Any) -> FakeBar:
        bars.append(FakeBar(total, file))
        return bars[-1]

    module = types.ModuleType("tqdm")
    module.tqdm = tqdm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm", module)
    yield bars


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    """A manifest whose lower layers carry more v1 metadata than strip-metadata keeps."""
    builder = DockerSchema1ManifestBuilder("ns", "app", "latest", "arm64")
    layers: list[tuple[str, str | None, dict[str, Any]]] = [
        ("c" * 64, "b" * 64, {"os": "linux", "author": "Ünïcode"}),
        ("b" * 64, "a" * 64, {"config": {"Env": ["A=1"]}, "container": "x", "Size": 12}),
        ("a" * 64, None, {"docker_version": "1.13", "container_config": {"Cmd": ["sh"], "Tty": 1}}),
    ]
    for image_id, parent, extra in layers:  # leaf first
        v1 = {"id": image_id, "created": "2020-01-02T03:04:05Z", **extra}
        if parent:
            v1["parent"] = parent
        builder.add_layer("sha256:" + image_id[:1] * 64, json.dumps(v1, ensure_ascii=False))
    path = tmp_path / "rich.json"
    path.write_bytes(builder.build().bytes.as_encoded_str())
    return path
