"""containers/image's own schema 1 conversion as a reference: `tests/convertpeer/main.go`
built against Debian's golang-github-containers-image-dev (5.23.1, what skopeo 1.9.3 is built
from) and driven over a pipe, one JSON request per line.

Outside CI a missing Go toolchain or package skips the tests that need it; in CI it fails."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .peers import unavailable

SOURCE = Path(__file__).parent / "convertpeer" / "main.go"
HOME = Path(os.environ.get("CONVERTPEER_HOME") or "/tmp/docker-schema1-convertpeer")
GOCODE = Path("/usr/share/gocode")
CIMAGE = GOCODE / "src" / "github.com" / "containers" / "image"


@cache
def _build() -> Path | str:
    binary = HOME / "convertpeer"
    if shutil.which("go") is None:
        return "no Go toolchain (apt-get install golang-go)"
    if not (CIMAGE / "manifest" / "docker_schema1.go").exists():
        return "no containers/image source (apt-get install golang-github-containers-image-dev)"
    HOME.mkdir(parents=True, exist_ok=True)
    with open(HOME / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        src = HOME / "src"
        if binary.exists() and (src / "main.go").read_bytes() == SOURCE.read_bytes():
            return binary
        # Debian installs the module without its /v5 suffix: a GOPATH entry maps it back
        v5 = HOME / "gopath" / "src" / "github.com" / "containers" / "image" / "v5"
        v5.parent.mkdir(parents=True, exist_ok=True)
        if not v5.is_symlink():
            v5.symlink_to(CIMAGE)
        src.mkdir(exist_ok=True)
        shutil.copyfile(SOURCE, src / "main.go")
        env = {
            **os.environ,
            "GO111MODULE": "off",
            "GOPATH": f"{HOME / 'gopath'}:{GOCODE}",
            "GOFLAGS": "",
            "GOPROXY": "off",
            "GOCACHE": str(HOME / "gocache"),
        }
        proc = subprocess.run(
            ["go", "build", "-trimpath", "-o", str(binary), "."],
            cwd=src,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0:
            return f"convertpeer did not build: {proc.stderr[-2000:]}"
    return binary


@dataclass
class GoConversion:
    error: str | None
    config: bytes | None
    manifest: bytes | None
    oci_config: bytes | None
    oci_manifest: bytes | None


class ConvertPeer:
    """The running reference; `convert()` one manifest at a time."""

    def __init__(self) -> None:
        built = _build()
        if isinstance(built, str):
            unavailable(built)
        self.proc = subprocess.Popen(
            [str(built)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def convert(self, manifest: str, layers: dict[str, tuple[int, str]]) -> GoConversion:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {"manifest": manifest, "layers": {k: list(v) for k, v in layers.items()}}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self.proc.stdout.readline())

        def field(name: str) -> bytes | None:
            value = answer.get(name)
            return base64.b64decode(value) if value else None

        return GoConversion(
            answer.get("error"),
            field("config"),
            field("manifest"),
            field("oci_config"),
            field("oci_manifest"),
        )

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
