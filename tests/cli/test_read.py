"""verify, digest, inspect and payload."""

from __future__ import annotations

import concurrent.futures
import importlib
import json
import os
import sys
from pathlib import Path

import pytest

from docker_schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder
from docker_schema1.cli import main

from .support import (
    EXAMPLES,
    MANY,
    SIGNED,
    TAMPERED,
    TWO_SIGNATURES,
    UNSIGNED,
    VALID,
    Capture,
    FakeBar,
    FakeTerminal,
    SpyExecutor,
    json_lines,
    run_module,
    set_stdin,
)

# verify --json -----------------------------------------------------------------------------------


RECORD_FIELDS = {
    "path",
    "ok",
    "digest",
    "name",
    "namespace",
    "repo_name",
    "tag",
    "architecture",
    "media_type",
    "signed",
    "verified",
    "signatures",
    "error",
}


def test_verify_json(capsys: Capture, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    paths = [*map(str, VALID), str(TAMPERED), str(missing)]
    assert main(["verify", "--json", *paths]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"{len(VALID)} verified, 2 failed\n"
    records = json_lines(captured.out)
    assert [r["path"] for r in records] == paths
    for record in records:
        assert set(record) == RECORD_FIELDS
    for path, record in zip(VALID, records):
        m = DockerSchema1Manifest(path.read_bytes())
        assert record["ok"] is True and record["error"] is None and record["verified"] is True
        assert record["digest"] == m.digest
        assert record["signed"] is m.is_signed
        assert record["signatures"] == [
            {"alg": a, "key_id": k, "verified": True, "error": None} for a, k in m.signers
        ]
        assert (record["name"], record["tag"]) == ("examples/hello", "1.0")
    tampered, absent = records[-2:]
    # a manifest that does not verify: its digest, and its signature listed as failed
    tampered_manifest = DockerSchema1Manifest(TAMPERED.read_bytes(), validate=False)
    assert tampered["ok"] is False and tampered["digest"] == tampered_manifest.digest
    assert tampered["signed"] is True and tampered["verified"] is False
    assert tampered["error"]["type"] == "InvalidSchema1Signature"
    assert tampered["error"]["message"].startswith("signature 0: signature does not verify")
    [signature] = tampered["signatures"]
    assert signature["alg"] == "ES256" and signature["verified"] is False
    assert signature["error"].startswith("signature does not verify")
    assert absent["error"] == {
        "type": "FileNotFoundError",
        "message": "No such file or directory",
    }
    assert absent["digest"] is None and absent["signatures"] == [] and absent["name"] is None


def test_verify_and_inspect_json_have_the_same_fields(capsys: Capture) -> None:
    for path in (TWO_SIGNATURES, TAMPERED, UNSIGNED):
        main(["verify", "--json", str(path)])
        [verified] = json_lines(capsys.readouterr().out)
        main(["inspect", "--json", str(path)])
        [inspected] = json_lines(capsys.readouterr().out)
        assert set(inspected) == RECORD_FIELDS | {"layers", "layers_error"}
        assert {k: inspected[k] for k in RECORD_FIELDS} == verified


def test_one_bad_signature_of_two(capsys: Capture, tmp_path: Path) -> None:
    data = TWO_SIGNATURES.read_bytes()
    m = DockerSchema1Manifest(data)
    second = m.signatures[1]["signature"]  # type: ignore[index]
    flipped = ("A" if second[0] != "A" else "B") + second[1:]
    bad = tmp_path / "bad.json"
    bad.write_bytes(data.replace(second.encode(), flipped.encode()))
    assert main(["verify", "--json", str(bad)]) == 1
    [record] = json_lines(capsys.readouterr().out)
    first, failed = record["signatures"]
    assert first == {"alg": "RS256", "key_id": m.signers[0][1], "verified": True, "error": None}
    assert failed["verified"] is False and failed["key_id"] == m.signers[1][1]
    assert failed["error"]


def test_verify_json_require_signature(capsys: Capture) -> None:
    assert main(["verify", "--json", "--require-signature", str(UNSIGNED), str(SIGNED)]) == 1
    unsigned, signed = json_lines(capsys.readouterr().out)
    assert unsigned["ok"] is False and unsigned["signed"] is False
    assert unsigned["digest"] == DockerSchema1Manifest(UNSIGNED.read_bytes()).digest
    assert unsigned["error"]["type"] == "UnsignedManifest"
    assert signed["ok"] is True and signed["signatures"][0]["alg"] == "ES256"


def test_verify_json_all_ok_exits_0(capsys: Capture) -> None:
    assert main(["verify", "--json", str(SIGNED)]) == 0
    [record] = json_lines(capsys.readouterr().out)
    assert record["ok"] is True


# Directories -------------------------------------------------------------------------------------


def test_verify_walks_directories(capsys: Capture, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "b" / "deeper").mkdir(parents=True)
    (tree / "a").mkdir()
    (tree / ".hidden-dir").mkdir()
    (tree / "empty").mkdir()
    signed = SIGNED.read_bytes()
    files = {
        "z.json": signed,
        "noext": UNSIGNED.read_bytes(),
        "a/1.json": signed,
        "b/x.txt": TAMPERED.read_bytes(),
        "b/deeper/y": signed,
        ".hidden.json": b"not read",
        ".hidden-dir/m.json": b"not read",
    }
    for name, data in files.items():
        (tree / name).write_bytes(data)
    os.symlink(tree / "a", tree / "link-to-dir")  # not followed
    empty = tmp_path / "nothing-here"
    (empty / ".only-hidden").mkdir(parents=True)
    assert main(["verify", str(tree), str(empty)]) == 1
    captured = capsys.readouterr()
    seen = [line.split()[1].rstrip(":") for line in captured.out.splitlines()]
    *errors, total = captured.err.splitlines()
    failed = [line.split()[1].rstrip(":") for line in errors]
    expected = ["noext", "z.json", "a/1.json", "b/deeper/y"]  # an empty subdirectory is fine
    assert seen == [str(tree / name) for name in expected]
    assert failed == [str(tree / "b" / "x.txt"), str(empty)]
    assert "EmptyDirectory: no manifest file (JSON object) in directory" in captured.err
    assert total == "4 verified, 2 failed"


def test_directories_walk_only_files_that_look_like_manifests(
    capsys: Capture, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("# not a manifest\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf \n" + UNSIGNED.read_bytes())
    (tmp_path / "signed").write_bytes(SIGNED.read_bytes())
    assert main(["verify", "--quiet", str(tmp_path)]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["verify", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert [line.split()[1] for line in out.splitlines()] == [
        str(tmp_path / "bom.json"),
        str(tmp_path / "signed"),
    ]
    assert main(["verify", "--all", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert f"{tmp_path / 'image.png'}: MalformedSchema1Manifest: binary data" in captured.err
    assert f"{tmp_path / 'notes.txt'}: MalformedSchema1Manifest: not JSON" in captured.err
    assert captured.err.endswith("2 verified, 2 failed\n")


def test_verify_json_walks_in_the_same_order(capsys: Capture) -> None:
    assert main(["verify", "--json", str(EXAMPLES)]) == 1  # the tampered one fails
    records = json_lines(capsys.readouterr().out)
    paths = [r["path"] for r in records]
    assert paths[: len(VALID)] == [str(p) for p in VALID]  # not README.md nor the script
    assert str(TAMPERED) in paths and str(EXAMPLES / "src" / "manifest.json") in paths
    by_path = {r["path"]: r for r in records}
    assert all(by_path[str(p)]["ok"] for p in VALID)
    assert not by_path[str(TAMPERED)]["ok"]
    assert main(["verify", "--json", "--all", str(EXAMPLES)]) == 1
    by_path = {r["path"]: r for r in json_lines(capsys.readouterr().out)}
    assert by_path[str(EXAMPLES / "README.md")]["error"]["type"] == "MalformedSchema1Manifest"


def test_many_files_run_threaded_with_the_sequential_results(
    many: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    SpyExecutor.workers = []
    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", SpyExecutor)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    threaded_status = main(["verify", str(many)])
    threaded = capsys.readouterr()
    assert SpyExecutor.workers == [4]  # one worker per core

    sequential_status = main(["verify", "--jobs", "1", str(many)])
    sequential = capsys.readouterr()
    assert SpyExecutor.workers == [4]  # no pool for one job

    assert threaded_status == sequential_status == 1
    assert threaded.out == sequential.out
    assert threaded.err == sequential.err  # the FAIL lines, and no progress bar: not a terminal
    assert len(threaded.out.splitlines()) + len(threaded.err.splitlines()) == MANY + 1
    assert threaded.err.splitlines()[-1] == f"{MANY - 10} verified, 10 failed"
    paths = [line.split()[1].rstrip(":") for line in threaded.out.splitlines()]
    assert paths == sorted(paths)

    assert main(["verify", "--json", "--jobs", "3", str(many)]) == 1
    assert SpyExecutor.workers == [4, 3]
    records = json_lines(capsys.readouterr().out)
    assert [r["path"] for r in records] == sorted(str(p) for p in many.iterdir())
    assert sum(not r["ok"] for r in records) == 10


def test_few_files_run_sequentially(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    SpyExecutor.workers = []
    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", SpyExecutor)
    assert main(["verify", *map(str, VALID)]) == 0
    assert SpyExecutor.workers == []
    assert main(["verify", "--jobs", "2", *map(str, VALID)]) == 0
    assert SpyExecutor.workers == [2]
    out = capsys.readouterr().out.splitlines()
    assert out[: len(VALID)] == out[len(VALID) :]


def test_many_files_through_the_entry_point_show_no_bar_when_piped(many: Path) -> None:
    run = run_module("verify", "--jobs", "2", str(many))
    assert run.returncode == 1
    errors = run.stderr.decode().splitlines()
    assert errors[-1] == f"{MANY - 10} verified, 10 failed"
    assert len(errors) == 11 and all(line.startswith("docker-schema1: ") for line in errors[:-1])
    assert "%|" not in run.stderr.decode() and "\r" not in run.stderr.decode()
    assert len(run.stdout.splitlines()) == MANY - 10


def test_progress_bar_on_a_terminal(
    many: Path, fake_tqdm: list[FakeBar], monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["verify", str(many)]) == 1
    [bar] = fake_tqdm
    assert bar.total == MANY and bar.file is terminal
    assert bar.updates == MANY and bar.closed
    assert bar.writes == 10  # the FAIL lines go through the bar, stdout (not a terminal) not
    assert len(capsys.readouterr().out.splitlines()) == MANY - 10

    assert main(["digest", str(many)]) == 1
    assert len(fake_tqdm) == 2 and fake_tqdm[1].updates == MANY


@pytest.mark.parametrize(
    "argv",
    [["verify", "--json"], ["verify", "--jobs", "1", "--json"]],
)
def test_no_progress_bar_with_json(
    argv: list[str],
    many: Path,
    fake_tqdm: list[FakeBar],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Capture,
) -> None:
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    assert main([*argv, str(many)]) == 1
    assert fake_tqdm == []
    assert len(capsys.readouterr().out.splitlines()) == MANY


def test_no_progress_bar_for_few_files_or_off_a_terminal(
    many: Path, fake_tqdm: list[FakeBar], monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    assert main(["verify", str(many)]) == 1  # capsys's stderr is no terminal
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    assert main(["verify", *map(str, VALID)]) == 0  # not more than 200 files
    assert fake_tqdm == []


def test_no_progress_bar_without_tqdm(
    many: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm raises ImportError
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["verify", str(many)]) == 1
    assert len(capsys.readouterr().out.splitlines()) == MANY - 10
    *errors, total = terminal.getvalue().splitlines()
    assert len(errors) == 10 and total == f"{MANY - 10} verified, 10 failed"
    assert all(line.startswith("docker-schema1: ") for line in errors)


def test_real_tqdm_bar(many: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    try:
        importlib.import_module("tqdm")
    except ImportError:
        pytest.skip("tqdm is not installed (the cli extra)")
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["verify", str(many)]) == 1
    shown = terminal.getvalue()
    assert f"{MANY}/{MANY}" in shown
    fails = [line for line in shown.replace("\r", "\n").splitlines() if "Malformed" in line]
    assert len(fails) == 10 and all(line.startswith("docker-schema1: ") for line in fails)
    assert len(capsys.readouterr().out.splitlines()) == MANY - 10


# digest -------------------------------------------------------------------------------------------


def test_digest_single_file(capsys: Capture) -> None:
    assert main(["digest", str(SIGNED)]) == 0
    assert capsys.readouterr().out == DockerSchema1Manifest(SIGNED.read_bytes()).digest + "\n"


def test_digest_several_files_and_directories(capsys: Capture) -> None:
    assert main(["digest", str(SIGNED), str(UNSIGNED)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{DockerSchema1Manifest(p.read_bytes()).digest}  {p}" for p in (SIGNED, UNSIGNED)
    ]
    assert main(["digest", "--jobs", "2", str(EXAMPLES / "src")]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.endswith(f"  {EXAMPLES / 'src' / 'manifest.json'}")


def test_digest_stdin(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, TWO_SIGNATURES.read_bytes())
    assert main(["digest", "-"]) == 0
    assert capsys.readouterr().out.strip() == DockerSchema1Manifest(SIGNED.read_bytes()).digest


def test_digest_verifies_unless_told_not_to(capsys: Capture) -> None:
    assert main(["digest", str(TAMPERED), str(SIGNED)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"docker-schema1: {TAMPERED}: InvalidSchema1Signature: ")
    assert captured.err.splitlines()[1:] == ["1 verified, 1 failed"]
    assert captured.out.endswith(f"  {SIGNED}\n")
    assert main(["digest", "--no-verify", str(TAMPERED)]) == 0
    tampered = DockerSchema1Manifest(TAMPERED.read_bytes(), validate=False).digest
    assert capsys.readouterr().out == tampered + "\n"


# inspect ------------------------------------------------------------------------------------------


def test_inspect_text(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["inspect", str(TWO_SIGNATURES)]) == 0
    out = capsys.readouterr().out
    m = DockerSchema1Manifest(TWO_SIGNATURES.read_bytes())
    assert "name          examples/hello\n" in out
    assert "tag           1.0\n" in out
    assert "architecture  amd64\n" in out
    assert f"media type    {m.media_type}\n" in out
    assert f"digest        {m.digest}\n" in out
    assert "signatures    2, verified\n" in out
    for alg, key_id in m.signers:
        assert f"{alg}  {key_id}\n" in out
    assert "not verified" not in out
    header, *rows = out.split("\n\n")[1].splitlines()
    assert header.split() == ["BLOB", "V1", "ID", "PARENT", "CREATED", "SIZE", "COMMAND"]
    assert len(rows) == len(m.layers)
    for row, layer in zip(rows, m.layers):  # base first
        assert row.startswith("sha256:" + layer.digest.hash_bytes[:12])  # shortened Docker-style
        assert layer.v1_metadata.image_id[:12] in row
        assert layer.v1_metadata.created[:19] in row
    assert rows[0].split()[2] == "-"  # the base has no parent
    assert "1.9 MB" in rows[0]
    assert rows[2].endswith('/bin/sh -c #(nop) CMD ["/bin/sh"]')  # the command in full


def test_inspect_fits_the_terminal(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    for columns in (80, 100, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        assert main(["inspect", str(SIGNED)]) == 0
        table = capsys.readouterr().out.split("\n\n")[1].splitlines()
        assert all(len(line) <= columns for line in table), columns
        assert len(table) > 4  # a command wrapped over several lines
        # every command in full, over its lines (the other cells blank on the continuation)
        commands = "".join("".join(line.split()) for line in table[1:])
        for layer in DockerSchema1Manifest(SIGNED.read_bytes()).layers:
            command = " ".join(json.loads(layer.v1_metadata.command or '["-"]'))
            assert "".join(command.split()) in commands, command
    monkeypatch.setenv("COLUMNS", "1000")
    assert main(["inspect", str(SIGNED)]) == 0
    out = capsys.readouterr().out
    m = DockerSchema1Manifest(SIGNED.read_bytes())
    for layer in m.layers:  # every cell in full when it fits
        assert str(layer.digest) in out and layer.v1_metadata.created in out
    assert "…" not in out


def test_inspect_unsigned_and_stdin(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, UNSIGNED.read_bytes())
    assert main(["inspect", "-"]) == 0
    out = capsys.readouterr().out
    assert "signatures    none (unsigned)\n" in out
    assert "media type    application/vnd.docker.distribution.manifest.v1+json\n" in out


def test_inspect_a_manifest_that_does_not_verify(capsys: Capture) -> None:
    assert main(["inspect", str(TAMPERED)]) == 1
    captured = capsys.readouterr()
    m = DockerSchema1Manifest(TAMPERED.read_bytes(), validate=False)
    assert "signatures    1, NOT VERIFIED: InvalidSchema1Signature: signature 0" in captured.out
    kid = m.signatures[0]["header"]["jwk"]["kid"]  # type: ignore[index]
    assert f"ES256  {kid}  (not verified: signature does not verify" in captured.out
    assert f"digest        {m.digest}\n" in captured.out
    assert "layers        3, base first" in captured.out
    assert len(captured.out.split("\n\n")[1].splitlines()) >= 4  # the table is still there
    assert captured.err == ""


def test_inspect_json(capsys: Capture) -> None:
    assert main(["inspect", "--json", str(TWO_SIGNATURES)]) == 0
    [record] = json_lines(capsys.readouterr().out)
    m = DockerSchema1Manifest(TWO_SIGNATURES.read_bytes())
    assert record["path"] == str(TWO_SIGNATURES)
    assert record["name"] == "examples/hello"
    assert (record["namespace"], record["repo_name"], record["tag"]) == ("examples", "hello", "1.0")
    assert record["architecture"] == "amd64"
    assert record["media_type"] == m.media_type
    assert record["digest"] == m.digest
    assert record["signed"] is True and record["verified"] is True and record["error"] is None
    assert record["signatures"] == [
        {"alg": alg, "key_id": key_id, "verified": True, "error": None} for alg, key_id in m.signers
    ]
    assert record["layers_error"] is None
    assert record["layers"] == [
        {
            "digest": str(layer.digest),
            "v1_id": layer.v1_metadata.image_id,
            "parent": layer.v1_metadata.parent_image_id,
            "created": layer.v1_metadata.created,
            "size": layer.compressed_size,
            "command": layer.v1_metadata.command,
            "author": layer.v1_metadata.author,
            "comment": layer.v1_metadata.comment,
        }
        for layer in m.layers
    ]


def test_inspect_json_of_a_manifest_that_does_not_verify(capsys: Capture) -> None:
    assert main(["inspect", "--json", str(TAMPERED)]) == 1
    [record] = json_lines(capsys.readouterr().out)
    assert record["verified"] is False and record["signed"] is True
    assert record["error"]["type"] == "InvalidSchema1Signature"
    [signature] = record["signatures"]
    assert signature["alg"] == "ES256" and signature["verified"] is False
    assert signature["key_id"].startswith("YY52:")
    assert len(record["layers"]) == 3


def test_inspect_unreadable_layers(capsys: Capture, tmp_path: Path) -> None:
    builder = DockerSchema1ManifestBuilder("", "repo", "t").add_layer("sha256:" + "0" * 64, "{}")
    path = tmp_path / "no-id.json"
    path.write_bytes(builder.build().bytes.as_encoded_str())
    assert main(["inspect", str(path)]) == 1
    out = capsys.readouterr().out
    assert "name          repo\n" in out
    assert "layers        UNREADABLE: MalformedSchema1Manifest: layer 0" in out
    assert main(["inspect", "--json", str(path)]) == 1
    [record] = json_lines(capsys.readouterr().out)
    assert record["verified"] is True and record["layers"] is None
    assert record["layers_error"]["type"] == "MalformedSchema1Manifest"


def test_inspect_malformed(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b"{nope")
    assert main(["inspect", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"docker-schema1: {path}: MalformedSchema1Manifest: ")
    assert len(captured.err.splitlines()) == 1
