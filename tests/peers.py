"""The reference peers of ../shared/peers for the interoperability tests.

- `schema1peer()`: the Go program over Debian's docker/libtrust and docker/distribution
  (`manifest/schema1`), built once per session with `peers/build.sh`; `peer_verify` and
  `peer_sign` wrap its subcommands.
- `running_registry()`: Debian's real `docker-registry` 2.8 on 127.0.0.1 (schema 1 enabled), run
  with `peers/registry_peer.py`, always stopped on the way out.

Outside CI a peer that cannot be had here (no ../shared, no apt, no network, not root) skips the
tests that need it, with the reason; with `CI` set that is a failure.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, Union

import pytest

from .conftest import SHARED, shared_path

PathLike = Union[str, "os.PathLike[str]"]

PEER_HOME = Path(os.environ.get("SCHEMA1PEER_HOME") or "/tmp/schema1peer")
BUILD_TIMEOUT = 900  # apt the first time (~20 s here) and Go (~12 s), with a wide margin
APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing peer; in CI, where every peer must be there, fail it."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must have the interoperability peers: {reason}", pytrace=False)
    pytest.skip(reason)


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _runs(binary: Path) -> bool:
    try:
        return subprocess.run([binary, "help"], capture_output=True, timeout=30).returncode == 0
    except OSError:
        return False


def _fresh(binary: Path, source: Path) -> bool:
    """An existing binary is reused when it runs and was built from this source (build.sh
    leaves a copy of it in OUT_DIR/src/main.go)."""
    try:
        if (binary.parent / "src" / "main.go").read_bytes() != source.read_bytes():
            return False
    except OSError:
        return False
    return _runs(binary)


@cache
def _build_peer() -> Path | str:
    """The peer's path, or the reason it cannot be built (computed once per session)."""
    build_sh = SHARED / "peers" / "build.sh"
    source = SHARED / "peers" / "schema1peer" / "main.go"
    binary = PEER_HOME / "schema1peer"
    if _fresh(binary, source):
        return binary
    if shutil.which("bash") is None:
        return "schema1peer cannot be built: no bash"
    try:
        PEER_HOME.mkdir(parents=True, exist_ok=True)
        with open(PEER_HOME / ".build.lock", "w") as lock:
            # other sessions may run the suite at the same time: build once, under a lock
            fcntl.flock(lock, fcntl.LOCK_EX)
            if _fresh(binary, source):
                return binary
            proc = subprocess.run(
                ["bash", str(build_sh), str(PEER_HOME)],
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT,
                env=APT_ENV,
            )
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"schema1peer could not be built in {PEER_HOME}: {e}"
    if proc.returncode != 0 or not _runs(binary):
        return (
            f"schema1peer could not be built (bash {build_sh} {PEER_HOME} exited "
            f"{proc.returncode}; it needs root or sudo for apt, and Debian's packages):\n"
            + _tail(proc.stdout + proc.stderr)
        )
    return binary


def schema1peer() -> Path:
    """Path of the built peer; skips (fails in CI) when it cannot be built here."""
    shared_path("peers", "build.sh")  # skips cleanly without ../shared (fails in CI)
    built = _build_peer()
    if isinstance(built, str):
        unavailable(built)
    return built


def peer_verify(paths: Sequence[PathLike]) -> list[dict[str, Any]]:
    """`schema1peer verify`: one verdict per file, in order (`ok`, `digest`, `algs`, `key_ids`,
    `error`, ...). Exit status 3 (some file failed) is not an error here: read `ok`."""
    proc = subprocess.run(
        [schema1peer(), "verify", *map(str, paths)], capture_output=True, text=True, timeout=120
    )
    if proc.returncode not in (0, 3):
        raise AssertionError(f"schema1peer verify exited {proc.returncode}: {proc.stderr}")
    verdicts = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(verdicts) != len(paths):
        raise AssertionError(f"schema1peer verify gave {len(verdicts)} verdicts: {proc.stdout}")
    return verdicts


def peer_sign(
    input_path: PathLike,
    key_type: str | Sequence[str],
    out_path: PathLike,
    append: bool = False,
    mode: str | None = None,
    key_out: PathLike | None = None,
) -> Path:
    """`schema1peer sign`: libtrust signs `input_path` with fresh keys, one signature per key
    type (`ec256`, `ec384`, `ec521`, `rsa2048`; a sequence gives several signatures).

    `append`: the input is signed already, add the signature(s). `mode`: `schema1` (default:
    distribution's `schema1.Sign`, which re-marshals the manifest with Go's field order) or
    `raw` (libtrust signs the input bytes as they are). `key_out`: save the keys under a prefix.
    """
    types = key_type if isinstance(key_type, str) else ",".join(key_type)
    cmd = [str(schema1peer()), "sign", "--in", str(input_path), "--key-type", types]
    if append:
        cmd.append("--append")
    if mode is not None:
        cmd += ["--mode", mode]
    if key_out is not None:
        cmd += ["--key-out", str(key_out)]
    cmd += ["--out", str(out_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr}")
    return Path(out_path)


# ---------------------------------------------------------------- registry


@dataclass
class Registry:
    """A running docker-registry, driven through `registry_peer.py`."""

    url: str
    dir: Path
    script: Path
    env: dict[str, str]

    def _run(self, *args: str) -> str:
        cmd = [sys.executable, str(self.script), *args, "--dir", str(self.dir)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=self.env)
        if proc.returncode != 0:
            raise AssertionError(
                f"registry_peer.py {' '.join(args)} exited {proc.returncode}: {proc.stderr}\n"
                f"registry log:\n{self.log()}"
            )
        return proc.stdout

    def log(self) -> str:
        try:
            return _tail((self.dir / "log").read_text(errors="replace"), 40)
        except OSError:
            return "(no log)"

    def blob(self, files: Sequence[PathLike], repo: str) -> None:
        """Upload files as blobs; each one's digest is the sha256 of its bytes."""
        self._run("blob", *map(str, files), "--repo", repo)

    def put(self, file: PathLike, repo: str, ref: str) -> dict[str, Any]:
        """PUT a manifest: `status`, `accepted`, `docker_content_digest`, `errors`..."""
        verdict: dict[str, Any] = json.loads(
            self._run("put", str(file), "--repo", repo, "--ref", ref)
        )
        return verdict

    def get(self, repo: str, ref: str, out: PathLike) -> dict[str, Any]:
        """GET as v1+prettyjws into `out` (the registry re-signs with its own key): `status`,
        `content_type`, `docker_content_digest`, `length`."""
        verdict: dict[str, Any] = json.loads(
            self._run("get", "--repo", repo, "--ref", ref, "--out", str(out))
        )
        return verdict


def _registry_installed() -> str | None:
    """None when `docker-registry` is on PATH (apt-installed here if root), else why not."""
    if shutil.which("docker-registry"):
        return None
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "docker-registry is not installed (apt-get install docker-registry needs root)"
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "docker-registry"],
    ):
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=APT_ENV)
        except (OSError, subprocess.TimeoutExpired) as e:
            return f"{' '.join(cmd)} failed: {e}"
        if proc.returncode != 0:
            return f"{' '.join(cmd)} exited {proc.returncode}:\n{_tail(proc.stdout + proc.stderr)}"
    return None if shutil.which("docker-registry") else "docker-registry not on PATH after apt"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _stop(reg: Registry) -> None:
    """`registry_peer.py stop`, then wait for that process to end (SIGKILL after 10 s)."""
    try:
        pid = int((reg.dir / "pid").read_text())
    except (OSError, ValueError):
        return  # never started
    subprocess.run(
        [sys.executable, str(reg.script), "stop", "--dir", str(reg.dir)],
        capture_output=True,
        timeout=60,
        env=reg.env,
    )
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


@contextmanager
def running_registry(peer: Path, workdir: Path) -> Iterator[Registry]:
    """A docker-registry on a free loopback port, data under `workdir`; always stopped at the end.

    Skips (fails in CI) when docker-registry is missing and cannot be apt-installed here.
    """
    script = shared_path("peers", "registry_peer.py")
    reason = _registry_installed()
    if reason is not None:
        unavailable(reason)
    # registry_peer.py finds the peer (for the registry's signing key) under SCHEMA1PEER_HOME
    env = {**os.environ, "SCHEMA1PEER_HOME": str(peer.parent)}
    reg = Registry(url="", dir=workdir, script=script, env=env)
    try:
        for attempt in range(2):
            port = _free_port()
            proc = subprocess.run(
                [sys.executable, str(script), "start", "--port", str(port), "--dir", str(workdir)],
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
            )
            if proc.returncode == 0:
                reg.url = proc.stdout.strip().splitlines()[-1]
                break
            _stop(reg)  # the port may have been taken meanwhile: once more on another one
            if attempt:
                raise AssertionError(
                    f"docker-registry did not start: {proc.stdout}{proc.stderr}\n{reg.log()}"
                )
        yield reg
    finally:
        _stop(reg)
