"""The command line, run as users run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from docker_schema1 import DockerSchema1Manifest
from docker_schema1.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
VALID = sorted(EXAMPLES.glob("*.json"))


def test_examples_exist() -> None:
    names = {p.name for p in VALID}
    assert {"unsigned.json", "signed-rs256.json", "signed-es256.json"} <= names


def test_verify_examples(capsys: pytest.CaptureFixture[str]) -> None:
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


def test_verify_reports_failures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    tampered = EXAMPLES / "invalid" / "tampered-es256.json"
    missing = tmp_path / "missing.json"
    assert main(["verify", str(VALID[0]), str(tampered), str(missing)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("ok ")
    errors = captured.err.splitlines()
    assert errors[0].startswith(f"FAIL {tampered}: InvalidSchema1Signature: signature 0")
    assert errors[1].startswith(f"FAIL {missing}: FileNotFoundError")


def test_require_signature(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--require-signature", str(EXAMPLES / "unsigned.json")]) == 1
    assert capsys.readouterr().out.startswith("FAIL ")


def test_entry_point_and_stdin() -> None:
    data = (EXAMPLES / "signed-es256.json").read_bytes()
    run = subprocess.run(
        [sys.executable, "-m", "docker_schema1", "verify", "-"],
        input=data,
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().startswith(f"ok - {DockerSchema1Manifest(data).digest} ES256:")


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["verify"])
    assert exit_info.value.code == 2
