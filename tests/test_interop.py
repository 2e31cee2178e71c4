"""Interoperability with the Go reference stack (DESIGN.md section 5), through ../shared/peers:

- we sign (RS256 with RSA-2048/4096, ES256/ES384/ES512), docker/libtrust and distribution's
  `schema1.Verify` accept it with our digest and key ids;
- libtrust signs (one key of each type, several keys, a signature appended to ours), we verify
  with the digest it reports;
- a real docker-registry 2.8 takes our RS256 and ES256 manifests by PUT and gives them back,
  re-signed with its own key, under the same digest.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from docker_schema1 import (
    DOCKER_SCHEMA1_SIGNED_MANIFEST_CONTENT_TYPE,
    DockerSchema1Manifest,
    DockerSchema1ManifestBuilder,
    InvalidSchema1Signature,
)

from .peers import Registry, peer_sign, peer_verify, running_registry, schema1peer

SIGNING_TIME = datetime(2024, 5, 17, 12, 30, 5, tzinfo=timezone.utc)
NAMESPACE, REPO = "interop", "peer-test"
KEY_ALGS = {
    "RSA-2048": "RS256",
    "RSA-4096": "RS256",
    "P-256": "ES256",
    "P-384": "ES384",
    "P-521": "ES512",
}
PEER_KEY_ALGS = {"ec256": "ES256", "ec384": "ES384", "ec521": "ES512", "rsa2048": "RS256"}
CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}


@pytest.fixture(scope="session")
def peer() -> Path:
    """schema1peer, built once per session (skips outside CI when it cannot be built)."""
    return schema1peer()


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    """One `cryptography` private key per type, generated once for the module."""
    out: dict[str, Any] = {}
    for name in KEY_ALGS:
        if name.startswith("RSA-"):
            out[name] = rsa.generate_private_key(public_exponent=65537, key_size=int(name[4:]))
        else:
            out[name] = ec.generate_private_key(CURVES[name]())
    return out


def blob_digests(seed: int) -> list[str]:
    """Three made-up layer digests (base first)."""
    return [f"sha256:{hashlib.sha256(f'layer {seed} {i}'.encode()).hexdigest()}" for i in range(3)]


def builder_for(blob_sums: list[str], tag: str = "latest") -> DockerSchema1ManifestBuilder:
    """A realistic 3-layer image (layers base first in `blob_sums`): v1Compatibility ids chained
    by `parent`, `created`, `container_config.Cmd`, a full config on the leaf, non-ASCII text."""
    rng = random.Random(tag + "".join(blob_sums))
    ids = [f"{rng.getrandbits(256):064x}" for _ in blob_sums]
    history: list[dict[str, Any]] = []
    for i, image_id in enumerate(ids):
        entry: dict[str, Any] = {"id": image_id}
        if i:
            entry["parent"] = ids[i - 1]
        entry["created"] = f"2024-05-{10 + i:02d}T08:{i * 7:02d}:31.{123456789 + i}Z"
        entry["container_config"] = {
            "Cmd": [
                ["/bin/sh", "-c", "#(nop) ADD file:5f0a3e7c in / "],
                ["/bin/sh", "-c", "apk add --no-cache ca-certificates tzdata && echo 'naïve ☃'"],
                ["/bin/sh", "-c", '#(nop)  CMD ["/usr/bin/serve" "--greeting=héllo 世界"]'],
            ][i]
        }
        if i == len(ids) - 1:  # the leaf: what docker wrote for the image itself
            entry.update(
                author="Zoë Ångström <zoe@example.com>",
                architecture="amd64",
                os="linux",
                docker_version="20.10.24",
                config={
                    "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                    "Cmd": ["/usr/bin/serve", "--greeting=héllo 世界"],
                    "Labels": {"org.example.description": 'Ünïcödé ✓ <&> "quoted" \\ tab\t'},
                    "WorkingDir": "/srv",
                },
                throwaway=False,
            )
        entry["Size"] = 1024 * (i + 1) if i < 2 else 0
        history.append(entry)
    builder = DockerSchema1ManifestBuilder(NAMESPACE, REPO, tag)
    for blob_sum, entry in zip(reversed(blob_sums), reversed(history)):  # leaf first
        builder.add_layer(blob_sum, json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    return builder


def write(path: Path, manifest: DockerSchema1Manifest) -> Path:
    path.write_bytes(manifest.bytes.as_encoded_str())
    return path


def layer_view(manifest: DockerSchema1Manifest) -> list[tuple[str, str]]:
    return [(str(layer.digest), layer.raw_v1_metadata) for layer in manifest.layers]


def assert_libtrust_accepts(verdict: dict[str, Any], manifest: DockerSchema1Manifest) -> None:
    """The peer's verdict on our manifest: accepted, same digest, same signers."""
    assert verdict["ok"], verdict.get("error")
    assert verdict["signature_ok"]
    assert verdict["digest"] == manifest.digest
    assert verdict["registry_descriptor_digest"] == manifest.digest
    assert verdict["algs"] == [alg for alg, _ in manifest.signers]
    assert verdict["key_ids"] == [kid for _, kid in manifest.signers]


# ---------------------------------------------------------------- we sign, libtrust verifies


@pytest.mark.parametrize("ensure_ascii", [True, False], ids=["ascii", "utf8"])
@pytest.mark.parametrize("key_name", list(KEY_ALGS))
def test_we_sign_libtrust_verifies(
    backend: str,
    peer: Path,
    keys: dict[str, Any],
    key_name: str,
    ensure_ascii: bool,
    tmp_path: Path,
) -> None:
    builder = builder_for(blob_digests(1))
    manifest = builder.build(keys[key_name], ensure_ascii=ensure_ascii, signing_time=SIGNING_TIME)
    assert [alg for alg, _ in manifest.signers] == [KEY_ALGS[key_name]]
    assert manifest.digest == builder.build(ensure_ascii=ensure_ascii).digest

    (verdict,) = peer_verify([write(tmp_path / "ours.json", manifest)])
    assert_libtrust_accepts(verdict, manifest)
    assert (verdict["name"], verdict["tag"]) == (f"{NAMESPACE}/{REPO}", "latest")
    assert verdict["num_fslayers"] == verdict["num_history"] == 3
    assert verdict["signatures"][0]["time"] == "2024-05-17T12:30:05Z"


@pytest.mark.parametrize("key_name", list(KEY_ALGS))
def test_with_tag_name_libtrust_verifies(
    backend: str, peer: Path, keys: dict[str, Any], key_name: str, tmp_path: Path
) -> None:
    original = builder_for(blob_digests(2)).build(keys["RSA-2048"], signing_time=SIGNING_TIME)
    retagged = original.with_tag_name("v1.2.3-rc.1", keys[key_name])
    assert retagged.tag == "v1.2.3-rc.1"
    assert [alg for alg, _ in retagged.signers] == [KEY_ALGS[key_name]]

    (verdict,) = peer_verify([write(tmp_path / "retagged.json", retagged)])
    assert_libtrust_accepts(verdict, retagged)
    assert verdict["tag"] == "v1.2.3-rc.1"


def test_peer_rejects_what_we_reject(
    backend: str, peer: Path, keys: dict[str, Any], tmp_path: Path
) -> None:
    """Sanity check of the oracle: one byte changed in the signed head fails on both sides."""
    data = builder_for(blob_digests(3)).build(keys["P-256"]).bytes.as_encoded_str()
    tampered = data.replace(b'"tag": "latest"', b'"tag": "latesT"', 1)
    assert tampered != data
    (tmp_path / "tampered.json").write_bytes(tampered)
    (verdict,) = peer_verify([tmp_path / "tampered.json"])
    assert not verdict["ok"]
    with pytest.raises(InvalidSchema1Signature):
        DockerSchema1Manifest(tampered)


# ---------------------------------------------------------------- libtrust signs, we verify


@pytest.mark.parametrize("mode", ["schema1", "raw"])
@pytest.mark.parametrize("key_type", list(PEER_KEY_ALGS))
def test_libtrust_signs_we_verify(
    backend: str, peer: Path, key_type: str, mode: str, tmp_path: Path
) -> None:
    """`schema1` mode is distribution's `schema1.Sign`, which re-marshals the manifest in Go's
    field order: the layers are ours, the signed bytes (and so the digest) are Go's. `raw` mode
    signs our unsigned bytes as they are: the digest is the unsigned build's."""
    unsigned = builder_for(blob_digests(4)).build()
    signed_path = peer_sign(
        write(tmp_path / "unsigned.json", unsigned), key_type, tmp_path / "signed.json", mode=mode
    )
    (verdict,) = peer_verify([signed_path])
    assert verdict["ok"], verdict.get("error")

    manifest = DockerSchema1Manifest(signed_path.read_bytes())
    assert manifest.is_signed
    assert manifest.digest == verdict["digest"]
    assert manifest.signers == [(PEER_KEY_ALGS[key_type], verdict["key_ids"][0])]
    assert layer_view(manifest) == layer_view(unsigned)
    if mode == "raw":
        assert manifest.digest == unsigned.digest
    else:
        assert manifest.digest != unsigned.digest  # Go's field order, not Python's


@pytest.mark.parametrize("mode", ["schema1", "raw"])
def test_libtrust_several_signatures_we_verify(
    backend: str, peer: Path, mode: str, tmp_path: Path
) -> None:
    unsigned = builder_for(blob_digests(5)).build()
    signed_path = peer_sign(
        write(tmp_path / "unsigned.json", unsigned),
        list(PEER_KEY_ALGS),
        tmp_path / "signed.json",
        mode=mode,
    )
    (verdict,) = peer_verify([signed_path])
    assert verdict["ok"], verdict.get("error")
    assert verdict["num_signatures"] == 4

    manifest = DockerSchema1Manifest(signed_path.read_bytes())
    assert manifest.digest == verdict["digest"]
    # libtrust writes the signatures in its own order (sorted), not the keys' order
    assert manifest.signers == list(zip(verdict["algs"], verdict["key_ids"]))
    assert sorted(alg for alg, _ in manifest.signers) == sorted(PEER_KEY_ALGS.values())
    assert len(set(verdict["key_ids"])) == 4
    if mode == "raw":
        assert manifest.digest == unsigned.digest


@pytest.mark.parametrize("key_name", ["RSA-2048", "P-384"])
def test_libtrust_appends_to_our_signature(
    backend: str, peer: Path, keys: dict[str, Any], key_name: str, tmp_path: Path
) -> None:
    """Ours, then libtrust's added (`--append`): all verify, on both sides, under one digest."""
    ours = builder_for(blob_digests(6)).build(keys[key_name], signing_time=SIGNING_TIME)
    both_path = peer_sign(
        write(tmp_path / "ours.json", ours),
        ["ec521", "rsa2048"],
        tmp_path / "both.json",
        append=True,
    )
    (verdict,) = peer_verify([both_path])
    assert verdict["ok"], verdict.get("error")

    both = DockerSchema1Manifest(both_path.read_bytes())
    assert both.digest == ours.digest == verdict["digest"]
    assert both.signers == list(zip(verdict["algs"], verdict["key_ids"]))
    assert ours.signers[0] in both.signers  # in libtrust's (sorted) order
    assert sorted(alg for alg, _ in both.signers) == sorted([KEY_ALGS[key_name], "ES512", "RS256"])


# ---------------------------------------------------------------- a real registry


@pytest.fixture(scope="module")
def registry(peer: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """docker-registry 2.8 on a free loopback port for this module; always stopped."""
    with running_registry(peer, tmp_path_factory.mktemp("registry")) as reg:
        yield reg


def test_registry_round_trip(
    backend: str, registry: Registry, keys: dict[str, Any], tmp_path: Path
) -> None:
    repo = f"{NAMESPACE}/{REPO}"
    blobs = []
    for i in range(3):
        blob = tmp_path / f"layer{i}.tar.gz"
        blob.write_bytes(random.randbytes(512 + 97 * i))
        blobs.append(blob)
    registry.blob(blobs, repo)
    blob_sums = [f"sha256:{hashlib.sha256(b.read_bytes()).hexdigest()}" for b in blobs]

    for key_name in ("RSA-2048", "P-256"):
        tag = f"{KEY_ALGS[key_name].lower()}-{backend}"
        ours = builder_for(blob_sums, tag).build(keys[key_name], signing_time=SIGNING_TIME)
        put = registry.put(write(tmp_path / f"{tag}.json", ours), repo, tag)
        assert put["accepted"], put
        assert put["docker_content_digest"] == ours.digest

        for ref in (tag, ours.digest):
            got_path = tmp_path / f"{tag}-got.json"
            got = registry.get(repo, ref, got_path)
            assert got["status"] == 200, got
            assert got["content_type"] == DOCKER_SCHEMA1_SIGNED_MANIFEST_CONTENT_TYPE
            assert got["docker_content_digest"] == ours.digest

            back = DockerSchema1Manifest(got_path.read_bytes())
            assert back.digest == ours.digest
            assert layer_view(back) == layer_view(ours)
            assert back.tag == tag
            # re-signed by the registry's own (ES256) key, not ours
            assert [alg for alg, _ in back.signers] == ["ES256"]
            assert back.signers != ours.signers
            (verdict,) = peer_verify([got_path])
            assert_libtrust_accepts(verdict, back)
