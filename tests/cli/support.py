"""Helpers of the command-line tests: the examples, running the entry point, keys."""

from __future__ import annotations

import concurrent.futures
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from docker_schema1 import DockerSchema1ManifestBuilder

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VALID = sorted(EXAMPLES.glob("*.json"))
TAMPERED = EXAMPLES / "invalid" / "tampered-es256.json"
UNSIGNED = EXAMPLES / "unsigned.json"
SIGNED = EXAMPLES / "signed-es256.json"
TWO_SIGNATURES = EXAMPLES / "signed-two-signatures.json"
COMMANDS = ["verify", "digest", "inspect", "sign", "unsigned", "retag", "strip-metadata"]

Capture = pytest.CaptureFixture[str]
BinaryCapture = pytest.CaptureFixture[bytes]


def run_module(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The real entry point, ``python -m docker_schema1 ARGS``, stdout and stderr piped."""
    return subprocess.run(
        [sys.executable, "-m", "docker_schema1", *args],
        input=stdin,
        capture_output=True,
        check=False,
    )


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@dataclass(frozen=True)
class KeyFile:
    path: Path
    alg: str
    key_id: str  # the libtrust key id, as the library's own builder signs with it


def libtrust_key_id(key_data: bytes) -> tuple[str, str]:
    """(alg, key id) of the signature the library's builder makes with ``key_data``."""
    built = DockerSchema1ManifestBuilder("ns", "repo", "tag").add_layer(
        "sha256:" + "0" * 64, '{"id": "a"}'
    )
    [signer] = built.build(key_data).signers
    return signer


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


MANY = 250


class SpyExecutor(concurrent.futures.ThreadPoolExecutor):
    workers: ClassVar[list[int | None]] = []

    def __init__(self, max_workers: int | None = None) -> None:
        SpyExecutor.workers.append(max_workers)
        super().__init__(max_workers)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@dataclass
class FakeBar:
    total: int
    file: Any
    updates: int = 0
    closed: bool = False
    writes: int = 0

    def update(self, n: int = 1) -> None:
        self.updates += n

    def close(self) -> None:
        self.closed = True

    def external_write_mode(self, file: Any = None) -> Any:
        self.writes += 1
        return io.StringIO()  # any context manager


def command_argv(command: str, path: str, key: Path) -> list[str]:
    extra = {"sign": ["--key", str(key)], "retag": ["--tag", "t2"]}.get(command, [])
    return [command, *extra, path]
