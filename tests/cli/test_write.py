"""sign, unsigned, retag and strip-metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder
from docker_schema1.cli import main

from .support import (
    SIGNED,
    TAMPERED,
    TWO_SIGNATURES,
    UNSIGNED,
    BinaryCapture,
    Capture,
    KeyFile,
    json_lines,
    run_module,
    set_stdin,
)

# sign -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key_name", ["rsa.pem", "p256.jwk", "p384.pem", "p521.jwk", "rsa.jwk"])
def test_sign_round_trip(
    key_name: str, keys: dict[str, KeyFile], tmp_path: Path, capsys: Capture
) -> None:
    key = keys[key_name]
    out = tmp_path / "signed.json"
    assert main(["sign", "--key", str(key.path), str(UNSIGNED), "-o", str(out)]) == 0
    assert capsys.readouterr() == ("", "")
    signed = DockerSchema1Manifest(out.read_bytes())  # verifies
    original = DockerSchema1Manifest(UNSIGNED.read_bytes())
    assert signed.signers == [(key.alg, key.key_id)]
    assert (
        key.alg
        == {"rsa": "RS256", "p256": "ES256", "p384": "ES384", "p521": "ES512"}[
            key_name.split(".")[0]
        ]
    )
    assert (signed.namespace, signed.repo_name, signed.tag, signed.architecture) == (
        original.namespace,
        original.repo_name,
        original.tag,
        original.architecture,
    )
    assert signed.blob_digests == original.blob_digests
    assert [layer.raw_v1_metadata for layer in signed.layers] == [
        layer.raw_v1_metadata for layer in original.layers
    ]
    assert main(["verify", "--require-signature", str(out)]) == 0
    assert capsys.readouterr().out.endswith(f" {key.alg}:{key.key_id}\n")


def test_sign_a_signed_manifest_re_signs_its_layers(
    keys: dict[str, KeyFile], capsysbinary: BinaryCapture
) -> None:
    key = keys["p256.pem"]
    assert main(["sign", "--key", str(key.path), str(TWO_SIGNATURES)]) == 0
    data = capsysbinary.readouterr().out
    signed = DockerSchema1Manifest(data)
    assert signed.signers == [("ES256", key.key_id)]
    assert (
        signed.unsigned().bytes
        == DockerSchema1Manifest(TWO_SIGNATURES.read_bytes()).unsigned().bytes
    )
    assert data.endswith(b"}") and not data.endswith(b"\n")  # the bytes exactly


def test_sign_stdin_and_utf8(
    keys: dict[str, KeyFile], capsysbinary: BinaryCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = keys["p384.pem"]
    set_stdin(monkeypatch, UNSIGNED.read_bytes())
    assert main(["sign", "--rebuild", "--key", str(key.path), "-"]) == 0
    escaped = capsysbinary.readouterr().out
    assert escaped.isascii() and b"S\\u00f4m\\u00e9 guy" in escaped
    set_stdin(monkeypatch, UNSIGNED.read_bytes())
    assert main(["sign", "--rebuild", "--utf8", "--key", str(key.path), "-"]) == 0
    utf8 = capsysbinary.readouterr().out
    assert "Sômé guy".encode() in utf8
    for data in (escaped, utf8):
        assert DockerSchema1Manifest(data).signers == [("ES384", key.key_id)]
    assert DockerSchema1Manifest(escaped).digest != DockerSchema1Manifest(utf8).digest


def test_sign_then_verify_through_the_entry_point(keys: dict[str, KeyFile], tmp_path: Path) -> None:
    key = keys["rsa.pem"]
    signed = run_module("sign", "--key", str(key.path), str(UNSIGNED))
    assert signed.returncode == 0, signed.stderr
    assert signed.stderr == b""
    verified = run_module("verify", "--json", "-", stdin=signed.stdout)
    assert verified.returncode == 0
    [record] = json_lines(verified.stdout.decode())
    assert record["signatures"] == [
        {"alg": "RS256", "key_id": key.key_id, "verified": True, "error": None}
    ]
    assert record["digest"] == DockerSchema1Manifest(UNSIGNED.read_bytes()).digest


@pytest.mark.parametrize(
    ("key_name", "message"),
    [
        ("missing.pem", "FileNotFoundError: No such file or directory"),
        ("public.pem", "unusable key: public key given"),
        ("garbage.pem", "unusable key: unrecognised key"),
    ],
)
def test_sign_with_an_unusable_key(
    key_name: str, message: str, keys: dict[str, KeyFile], capsys: Capture, tmp_path: Path
) -> None:
    path = keys["rsa.pem"].path.parent / key_name
    out = tmp_path / "out.json"
    assert main(["sign", "--key", str(path), str(UNSIGNED), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"docker-schema1: {path}: {message}")
    assert not out.exists()


def test_sign_refuses_a_manifest_that_does_not_verify(
    keys: dict[str, KeyFile], capsys: Capture
) -> None:
    assert main(["sign", "--key", str(keys["rsa.pem"].path), str(TAMPERED)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"docker-schema1: {TAMPERED}: InvalidSchema1Signature: signature 0")


def test_sign_keeps_the_bytes_and_the_digest(
    keys: dict[str, KeyFile], capsysbinary: BinaryCapture
) -> None:
    """The payload given is signed as it is: its bytes up to formatLength are the output's,
    and payload prints them back."""
    unsigned = UNSIGNED.read_bytes()
    assert main(["sign", "--key", str(keys["p384.pem"].path), str(UNSIGNED)]) == 0
    signed = capsysbinary.readouterr().out
    split = unsigned.rindex(b"\n}")
    assert signed[:split] == unsigned[:split]
    assert signed[split:].startswith(b',\n   "signatures": [\n      {\n')
    assert signed.endswith(b"\n   ]\n}")
    assert DockerSchema1Manifest(signed).digest == DockerSchema1Manifest(unsigned).digest
    assert main(["payload", "-o", "-", "--no-verify", str(TWO_SIGNATURES)]) == 0
    assert capsysbinary.readouterr().out == unsigned  # what examples/README.md says


def test_sign_replaces_or_appends(keys: dict[str, KeyFile], tmp_path: Path) -> None:
    original = DockerSchema1Manifest(TWO_SIGNATURES.read_bytes())
    replaced, appended = tmp_path / "replaced.json", tmp_path / "appended.json"
    key = keys["p521.jwk"]
    assert main(["sign", "--key", str(key.path), str(TWO_SIGNATURES), "-o", str(replaced)]) == 0
    argv = ["sign", "--append", "--key", str(key.path), str(TWO_SIGNATURES), "-o", str(appended)]
    assert main(argv) == 0
    one = DockerSchema1Manifest(replaced.read_bytes())
    three = DockerSchema1Manifest(appended.read_bytes())
    assert one.signers == [("ES512", key.key_id)]
    assert three.signers == [*original.signers, ("ES512", key.key_id)]
    assert one.digest == three.digest == original.digest
    assert original.signatures == three.signatures[:2]  # the others kept as they were


@pytest.mark.parametrize("append", [False, True])
def test_sign_matches_on_both_backends(
    append: bool, keys: dict[str, KeyFile], backend: str, capsysbinary: BinaryCapture
) -> None:
    """RS256 is deterministic: both backends write the same bytes for the same time."""
    from datetime import datetime, timezone

    from docker_schema1 import _backend
    from docker_schema1.signing import sign_manifest

    at = datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    key = keys["rsa.pem"].path.read_bytes()
    data = TWO_SIGNATURES.read_bytes()
    ours = sign_manifest(data, key, append, at)
    with _backend.using_backend("rust"):
        assert ours == sign_manifest(data, key, append, at)
    with _backend.using_backend("pure"):
        assert ours == sign_manifest(data, key, append, at)


@pytest.mark.parametrize(
    "document",
    [
        b'{"schemaVersion":1,"name":"a/b","tag":"t","fsLayers":[],"history":[]}',
        b'{\n\t"schemaVersion": 1,\n\t"name": "n",\n\t"tag": "t",\n\t"fsLayers": [],\n'
        b'\t"history": []\n}\n\n',
    ],
)
def test_sign_other_layouts(document: bytes, keys: dict[str, KeyFile], backend: str) -> None:
    from docker_schema1.signing import sign_manifest, signed_payload

    signed = sign_manifest(document, keys["p256.pem"].path.read_bytes())
    assert DockerSchema1Manifest(signed).digest == DockerSchema1Manifest(document).digest
    assert signed_payload(signed) == document


def test_libtrust_verifies_what_sign_writes(keys: dict[str, KeyFile], tmp_path: Path) -> None:
    from ..peers import peer_verify

    paths = []
    for index, name in enumerate(("rsa.pem", "p256.jwk", "p384.pem", "p521.jwk")):
        out = tmp_path / f"{index}.json"
        argv = ["sign", "--append", "--key", str(keys[name].path), str(TWO_SIGNATURES)]
        assert main([*argv, "-o", str(out)]) == 0
        paths.append(out)
    for path, verdict in zip(paths, peer_verify(paths)):
        assert verdict["ok"], verdict
        assert verdict["digest"] == DockerSchema1Manifest(TWO_SIGNATURES.read_bytes()).digest
        assert verdict["num_signatures"] == 3
        assert verdict["digest"] == DockerSchema1Manifest(path.read_bytes()).digest


def test_sign_usage(keys: dict[str, KeyFile], capsys: Capture) -> None:
    key = str(keys["rsa.pem"].path)
    for argv in (
        ["sign", "--append", "--rebuild", "--key", key, str(SIGNED)],
        ["sign", "--utf8", "--key", key, str(SIGNED)],
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert capsys.readouterr().err.startswith("usage: docker-schema1 sign")


# unsigned ---------------------------------------------------------------------------------------


def test_unsigned(capsysbinary: BinaryCapture, tmp_path: Path) -> None:
    assert main(["unsigned", str(TWO_SIGNATURES)]) == 0
    data = capsysbinary.readouterr().out
    expected = DockerSchema1Manifest(TWO_SIGNATURES.read_bytes()).unsigned()
    assert data == expected.bytes.as_encoded_str()
    assert not DockerSchema1Manifest(data).is_signed
    out = tmp_path / "u.json"
    assert main(["unsigned", str(SIGNED), "-o", str(out)]) == 0
    assert capsysbinary.readouterr() == (b"", b"")
    assert out.read_bytes() == data  # the same layers, whatever signed them


def test_unsigned_of_an_unsigned_manifest_is_the_same_bytes(
    capsysbinary: BinaryCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_stdin(monkeypatch, UNSIGNED.read_bytes())
    assert main(["unsigned", "-", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out == UNSIGNED.read_bytes()


# retag ------------------------------------------------------------------------------------------


def test_retag_unsigned(capsysbinary: BinaryCapture) -> None:
    assert main(["retag", "--tag", "2.0", str(SIGNED)]) == 0
    data = capsysbinary.readouterr().out
    retagged = DockerSchema1Manifest(data)
    original = DockerSchema1Manifest(SIGNED.read_bytes())
    assert retagged.tag == "2.0" and not retagged.is_signed
    assert (retagged.namespace, retagged.repo_name) == ("examples", "hello")
    assert retagged.blob_digests == original.blob_digests
    assert data == original.with_tag_name("2.0").bytes.as_encoded_str()
    # under its own tag, the retagged layers are exactly the unsigned manifest
    assert main(["retag", "--tag", "1.0", str(SIGNED)]) == 0
    same_tag = capsysbinary.readouterr().out
    assert main(["unsigned", str(SIGNED)]) == 0
    assert same_tag == capsysbinary.readouterr().out
    assert DockerSchema1Manifest(same_tag).digest == original.unsigned().digest


def test_retag_signed(
    keys: dict[str, KeyFile], capsysbinary: BinaryCapture, tmp_path: Path
) -> None:
    key = keys["p521.jwk"]
    out = tmp_path / "retagged.json"
    argv = ["retag", "--tag", "v2", "--key", str(key.path), str(TWO_SIGNATURES), "-o", str(out)]
    assert main(argv) == 0
    retagged = DockerSchema1Manifest(out.read_bytes())
    assert retagged.tag == "v2"
    assert retagged.signers == [("ES512", key.key_id)]
    assert main(["retag", "--tag", "v2", str(TWO_SIGNATURES)]) == 0
    unsigned_v2 = capsysbinary.readouterr().out
    assert retagged.unsigned().bytes.as_encoded_str() == unsigned_v2
    assert main(["unsigned", str(out)]) == 0
    assert capsysbinary.readouterr().out == unsigned_v2


@pytest.mark.parametrize("tag", ["bad tag!", ".dot", "-dash", "x" * 129, "ü"])
def test_retag_checks_the_tag(tag: str, capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["retag", f"--tag={tag}", str(SIGNED)])
    assert exit_info.value.code == 2
    assert "is not a valid tag" in capsys.readouterr().err


@pytest.mark.parametrize("tag", ["v1.2.3-rc_1", "_x", "A" * 128])
def test_retag_takes_any_valid_tag(tag: str, capsysbinary: BinaryCapture) -> None:
    assert main(["retag", "--tag", tag, str(SIGNED)]) == 0
    assert DockerSchema1Manifest(capsysbinary.readouterr().out).tag == tag


def test_retag_with_an_unusable_key(keys: dict[str, KeyFile], capsys: Capture) -> None:
    path = keys["rsa.pem"].path.parent / "public.pem"
    assert main(["retag", "--tag", "x", "--key", str(path), str(SIGNED)]) == 1
    assert capsys.readouterr().err.startswith(f"docker-schema1: {path}: unusable key: ")


# strip-metadata ---------------------------------------------------------------------------------


def test_strip_metadata(rich: Path, capsysbinary: BinaryCapture) -> None:
    assert main(["strip-metadata", str(rich)]) == 0
    data = capsysbinary.readouterr().out
    stripped = DockerSchema1Manifest(data)
    original = DockerSchema1Manifest(rich.read_bytes())
    assert not stripped.is_signed
    assert stripped.blob_digests == original.blob_digests
    assert [layer.v1_metadata.image_id for layer in stripped.layers] == [
        layer.v1_metadata.image_id for layer in original.layers
    ]
    assert (stripped.namespace, stripped.repo_name, stripped.tag, stripped.architecture) == (
        "ns",
        "app",
        "latest",
        "arm64",
    )
    base, middle, leaf = (json.loads(layer.raw_v1_metadata) for layer in stripped.layers)
    assert base == {
        "id": "a" * 64,
        "created": "2020-01-02T03:04:05Z",
        "container_config": {"Cmd": ["sh"]},
    }
    assert "config" not in middle and "container" not in middle and middle["Size"] == 12
    assert leaf == json.loads(original.layers[-1].raw_v1_metadata)  # the leaf is kept whole
    builder = DockerSchema1ManifestBuilder("ns", "app", "latest", "arm64")
    for layer in reversed(original.layers):
        builder.add_layer(str(layer.digest), layer.raw_v1_metadata)
    assert data == builder.with_metadata_removed().build().bytes.as_encoded_str()


def test_strip_metadata_signed(
    rich: Path, keys: dict[str, KeyFile], tmp_path: Path, capsys: Capture
) -> None:
    key = keys["rsa.jwk"]
    out = tmp_path / "stripped.json"
    argv = ["strip-metadata", str(rich), "--key", str(key.path), "-o", str(out)]
    assert main(argv) == 0
    data = out.read_bytes()
    stripped = DockerSchema1Manifest(data)
    assert data.isascii()  # canonical JSON, non-ASCII escaped
    assert json.loads(stripped.layers[-1].raw_v1_metadata)["author"] == "Ünïcode"
    assert stripped.signers == [("RS256", key.key_id)]
    assert stripped.blob_digests == DockerSchema1Manifest(rich.read_bytes()).blob_digests
    assert main(["verify", str(out)]) == 0


def test_strip_metadata_of_layers_without_ids(capsys: Capture, tmp_path: Path) -> None:
    builder = DockerSchema1ManifestBuilder("", "repo", "t").add_layer("sha256:" + "0" * 64, "{}")
    path = tmp_path / "no-id.json"
    path.write_bytes(builder.build().bytes.as_encoded_str())
    assert main(["strip-metadata", str(path)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"docker-schema1: {path}: MalformedSchema1Manifest: ")
