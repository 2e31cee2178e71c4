"""The command line as a whole: usage, help, version, errors, stdin, --debug, signals."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from docker_schema1 import DockerSchema1Manifest, __version__
from docker_schema1.cli import diagnose, main, read

from .support import (
    COMMANDS,
    EXAMPLES,
    SIGNED,
    TAMPERED,
    TWO_SIGNATURES,
    UNSIGNED,
    VALID,
    BinaryCapture,
    Capture,
    KeyFile,
    command_argv,
    json_lines,
    run_module,
    set_stdin,
)

# verify's line format ------------------------------------------------------


def test_examples_exist() -> None:
    names = {p.name for p in VALID}
    assert {"unsigned.json", "signed-rs256.json", "signed-es256.json"} <= names


def test_verify_examples(capsys: Capture) -> None:
    assert main(["verify", *map(str, VALID)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(VALID)
    for path, line in zip(VALID, lines):
        m = DockerSchema1Manifest(path.read_bytes())
        assert line.startswith(f"ok {path} {m.digest}")
        if m.is_signed:
            assert all(f"{alg}:{kid}" in line for alg, kid in m.signers)
        else:
            assert line.endswith("unsigned")


def test_verify_examples_on_both_backends(backend: str, capsys: Capture) -> None:
    assert main(["verify", *map(str, VALID)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(VALID)


def test_verify_reports_failures(capsys: Capture, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    assert main(["verify", str(VALID[0]), str(TAMPERED), str(missing)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("ok ")
    errors = captured.err.splitlines()
    assert errors[0].startswith(f"docker-schema1: {TAMPERED}: InvalidSchema1Signature: signature 0")
    assert errors[1] == f"docker-schema1: {missing}: FileNotFoundError: No such file or directory"
    assert errors[2] == "1 verified, 2 failed"
    assert "Traceback" not in captured.err


def test_require_signature(capsys: Capture) -> None:
    assert main(["verify", "--require-signature", str(UNSIGNED)]) == 1
    assert capsys.readouterr().out.startswith("FAIL ")
    assert main(["verify", "--require-signature", str(SIGNED), str(TWO_SIGNATURES)]) == 0


def test_entry_point_and_stdin() -> None:
    data = SIGNED.read_bytes()
    run = run_module("verify", "-", stdin=data)
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().startswith(f"ok - {DockerSchema1Manifest(data).digest} ES256:")


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["verify"])
    assert exit_info.value.code == 2


# Usage, --help, --version -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["verify", "--frob", str(SIGNED)],
        ["verify", "--jobs", "0", str(SIGNED)],
        ["digest", "--jobs", "many", str(SIGNED)],
        ["inspect"],
        ["inspect", str(SIGNED), str(UNSIGNED)],
        ["sign", str(UNSIGNED)],
        ["retag", str(UNSIGNED)],
        ["unsigned"],
        ["strip-metadata", str(UNSIGNED), "--key"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage: docker-schema1" in capsys.readouterr().err


def test_usage_error_of_the_entry_point() -> None:
    run = run_module("sign", str(UNSIGNED))
    assert run.returncode == 2
    assert b"the following arguments are required: --key" in run.stderr


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_shows_description_and_examples(command: str | None, capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"] if command is None else [command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: docker-schema1{'' if command is None else ' ' + command}")
    assert "examples:" in out
    assert "exit status" in out
    assert (command or "verify") in out.split("examples:")[1]


def test_verify_help_documents_directories(capsys: Capture) -> None:
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "the regular files below it that start as a JSON object (every file with --all)" in out
    assert "whose name starts with '.' are skipped" in out
    for option in (
        "--json",
        "--require-signature",
        "--jobs",
        "--quiet",
        "--all",
        "--expect-digest",
    ):
        assert option in out


def test_version(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"docker-schema1 {__version__}\n"
    run = run_module("--version")
    assert run.returncode == 0
    assert run.stdout.decode() == f"docker-schema1 {__version__}\n"


# Every command: stdin, errors, --debug --------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_reads_stdin(
    command: str,
    keys: dict[str, KeyFile],
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: BinaryCapture,
) -> None:
    set_stdin(monkeypatch, SIGNED.read_bytes())
    assert main(command_argv(command, "-", keys["p256.pem"].path)) == 0
    captured = capsysbinary.readouterr()
    assert captured.err == b""
    assert captured.out


@pytest.mark.parametrize("command", COMMANDS)
def test_errors_are_one_line_without_traceback(
    command: str, keys: dict[str, KeyFile], capsys: Capture, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schemaVersion": 1}')
    assert main(command_argv(command, str(bad), keys["p256.pem"].path)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"docker-schema1: {bad}: MalformedSchema1Manifest: ")
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", COMMANDS)
def test_debug_shows_the_traceback(
    command: str, where: str, keys: dict[str, KeyFile], capsys: Capture, tmp_path: Path
) -> None:
    missing = str(tmp_path / "missing.json")
    argv = command_argv(command, missing, keys["p256.pem"].path)
    argv = ["--debug", *argv] if where == "before" else [argv[0], "--debug", *argv[1:]]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "FileNotFoundError" in err
    last = err.splitlines()[-1]
    assert last == f"docker-schema1: {missing}: FileNotFoundError: No such file or directory"


def test_errors_through_the_entry_point(tmp_path: Path) -> None:
    run = run_module("inspect", str(tmp_path / "missing.json"))
    assert run.returncode == 1
    assert run.stdout == b""
    assert (
        run.stderr.decode() == f"docker-schema1: {tmp_path / 'missing.json'}: FileNotFoundError: "
        "No such file or directory\n"
    )
    debug = run_module("--debug", "inspect", str(tmp_path / "missing.json"))
    assert debug.returncode == 1 and b"Traceback" in debug.stderr


def test_output_to_an_unwritable_place(capsys: Capture, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir" / "out.json"
    assert main(["unsigned", str(SIGNED), "-o", str(out)]) == 1
    assert (
        capsys.readouterr().err
        == f"docker-schema1: {out}: FileNotFoundError: No such file or directory\n"
    )


def test_unexpected_errors_are_reported_per_file(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = DockerSchema1Manifest

    def flaky(data: bytes, validate: bool = True) -> DockerSchema1Manifest:
        if b"ES384" in data:
            raise RuntimeError("boom")
        return real(data, validate)

    monkeypatch.setattr(diagnose, "DockerSchema1Manifest", flaky)
    assert main(["verify", *map(str, VALID)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"docker-schema1: {EXAMPLES / 'signed-es384.json'}: RuntimeError: boom\n"
        f"{len(VALID) - 1} verified, 1 failed\n"
    )
    assert len(captured.out.splitlines()) == len(VALID) - 1


def test_interrupt(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(source: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(read, "examine", interrupted)
    assert main(["verify", str(SIGNED)]) == 130
    assert capsys.readouterr().err == "docker-schema1: interrupted\n"


def test_broken_pipe_is_quiet(many: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "docker_schema1", "verify", str(many)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head`, gone before the output comes
    err = process.stderr.read().decode()
    process.stderr.close()
    process.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err


# Clear messages for what is no schema 1 manifest ------------------------------------------------

SCHEMA2 = (
    b'{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}'
)
NOT_MANIFESTS = {
    "empty": (b"", "empty input"),
    "blank": (b" \n\t\n", "input is only white space"),
    "png": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "binary data, not a JSON manifest (starts 89 50",
    ),
    "text": (b"hello\n", "not JSON: Expecting value (line 1 column 1)"),
    "schema2": (
        SCHEMA2,
        "a Docker schema 2 manifest (application/vnd.docker.distribution.manifest.v2+json)",
    ),
    "list": (
        b'{"mediaType": "application/vnd.docker.distribution.manifest.list.v2+json"}',
        "a Docker manifest list (application/vnd.docker.distribution.manifest.list.v2+json)",
    ),
    "oci": (
        b'{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json"}',
        "an OCI image manifest (application/vnd.oci.image.manifest.v1+json)",
    ),
    "oci-index": (
        b'{"schemaVersion": 2, "manifests": []}',
        "an OCI image index (schemaVersion 2, no mediaType: "
        "application/vnd.oci.image.index.v1+json)",
    ),
    "digits": (
        b'{"schemaVersion": 1, "name": "a", "tag": "t", "x": ' + b"9" * 5000 + b"}",
        "a number has more than 4300 digits, past Python's limit for integers",
    ),
}


@pytest.mark.parametrize("case", sorted(NOT_MANIFESTS))
@pytest.mark.parametrize("command", ["verify", "digest", "inspect", "payload", "unsigned"])
def test_what_is_not_a_manifest_is_named(
    case: str, command: str, backend: str, capsys: Capture, tmp_path: Path
) -> None:
    data, expected = NOT_MANIFESTS[case]
    if case == "digits" and not hasattr(sys, "set_int_max_str_digits"):
        pytest.skip("Python before 3.11 reads integers of any length")
    path = tmp_path / "input"
    path.write_bytes(data)
    assert main([command, str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"docker-schema1: {path}: MalformedSchema1Manifest: {expected}")
    assert len(captured.err.splitlines()) == 1


def test_a_broken_schema1_manifest_keeps_its_own_message(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_bytes(
        b'{"schemaVersion": 1, "name": "a", "tag": "t", "fsLayers": [{}], "history": []}'
    )
    assert main(["verify", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"docker-schema1: {path}: MalformedSchema1Manifest: ")
    assert "schema 2" not in err and "not JSON" not in err


# The backend, usage, --quiet, --expect-digest -----------------------------------------------------


def test_an_unknown_backend_fails_once_with_exit_2() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "docker_schema1", "verify", str(SIGNED), str(UNSIGNED)],
        capture_output=True,
        env={**os.environ, "DOCKER_SCHEMA1_BACKEND": "bogus"},
        check=False,
    )
    assert run.returncode == 2
    assert run.stdout == b""
    assert run.stderr.decode() == (
        "docker-schema1: DOCKER_SCHEMA1_BACKEND: unknown backend 'bogus': "
        "expected 'rust' or 'pure'\n"
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_option_prints_the_commands_usage(
    command: str, keys: dict[str, KeyFile], capsys: Capture
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command_argv(command, str(SIGNED), keys["p256.pem"].path), "--bogus"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: docker-schema1 {command} ")
    assert err.endswith(f"docker-schema1 {command}: error: unrecognized arguments: --bogus\n")


def test_quiet(capsys: Capture, tmp_path: Path) -> None:
    assert main(["verify", "--quiet", *map(str, VALID)]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["digest", "-q", str(SIGNED), str(TAMPERED)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"docker-schema1: {TAMPERED}: InvalidSchema1Signature: ")


@pytest.mark.parametrize("command", ["verify", "digest", "inspect"])
def test_expect_digest(command: str, capsys: Capture) -> None:
    digest = DockerSchema1Manifest(SIGNED.read_bytes()).digest
    assert main([command, "--expect-digest", digest, str(SIGNED)]) == 0
    capsys.readouterr()
    other = "sha256:" + "0" * 64
    assert main([command, "--expect-digest", other, str(SIGNED)]) == 1
    captured = capsys.readouterr()
    expected = f"DigestMismatch: digest is {digest}, not the expected {other}"
    if command == "inspect":
        assert f"FAILED        {expected}" in captured.out
    else:
        assert captured.err == f"docker-schema1: {SIGNED}: {expected}\n"
    if command == "verify":
        assert main(["verify", "--json", "--expect-digest", other, str(SIGNED)]) == 1
        [record] = json_lines(capsys.readouterr().out)
        assert record["ok"] is False and record["verified"] is True
        assert record["error"]["type"] == "DigestMismatch"


def test_the_readmes_command_line_examples_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Capture
) -> None:
    """The README's command-line examples that need no registry, as written, from a folder
    holding the examples (the others need a registry: tests/test_registry.py runs those)."""
    readme = (EXAMPLES.parent / "README.md").read_text()
    section = readme.split("## Command line\n", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```sh\n(.*?)```", section, re.S)[1]
    lines = [line for line in block.splitlines() if "example.com" not in line]
    assert len(lines) == 2
    monkeypatch.chdir(tmp_path)
    os.symlink(EXAMPLES, tmp_path / "examples")
    for line in lines:
        command, *argv = shlex.split(line)
        assert command == "docker-schema1"
        assert main(argv) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.startswith("ok signed.json sha256:86485ffc")
