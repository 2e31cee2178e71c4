"""Where the command line reads manifests from: files, directories (walked), ``-`` (standard
input, read once) and registry references (fetched with ``docker_schema1.registry``)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["EmptyDirectory", "Opener", "Source", "looks_like_manifest", "read_one", "sources"]

#: How much of a file a directory walk reads to tell a manifest from other files.
SNIFF_BYTES = 512


class EmptyDirectory(Exception):
    """A directory argument with no file to read."""


@dataclass
class Source:
    """An input to read: a path, or ``-`` with standard input already read."""

    path: str
    data: bytes | None = None
    error: BaseException | None = None
    fetch: Callable[[str], bytes] | None = None

    def read(self) -> bytes:
        if self.error is not None:
            raise self.error
        if self.data is not None:
            return self.data
        if self.fetch is not None:
            return self.fetch(self.path)
        with open(self.path, "rb") as f:
            return f.read()


def read_stdin() -> bytes:
    return sys.stdin.buffer.read()


class Opener:
    """Reads inputs for one run of the command line: files, ``-``, and registry references
    with the run's registry options (one client, made on first use)."""

    def __init__(self, args: argparse.Namespace | None = None) -> None:
        self._args = args
        self._client: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def is_reference(text: str) -> bool:
        """Whether ``text`` names a manifest in a registry (and no file or directory)."""
        if text.startswith(("https://", "http://")):
            return True
        if "/" not in text or os.path.exists(text):
            return False
        from ..registry import Reference

        return Reference.parse(text) is not None

    def fetch(self, text: str) -> bytes:
        data: bytes = self._registry().get_manifest(text).data
        return data

    def read(self, path: str) -> bytes:
        """The bytes of one input: a file, ``-`` for standard input, or a registry reference."""
        if path == "-":
            return read_stdin()
        if self.is_reference(path):
            return self.fetch(path)
        with open(path, "rb") as f:
            return f.read()

    def _registry(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._make_client()
            return self._client

    def _make_client(self) -> Any:
        registry = importlib.import_module("docker_schema1.registry")
        args = self._args
        credentials = None
        if args is not None and getattr(args, "username", None):
            password = getattr(args, "password", None)
            if password is None:
                raise ValueError("--username needs --password-stdin (the password on stdin)")
            credentials = registry.Credentials(args.username, password)
        return registry.RegistryClient(
            credentials=credentials,
            insecure=bool(getattr(args, "insecure", False)),
            timeout=getattr(args, "timeout", None) or registry.DEFAULT_TIMEOUT,
        )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def read_one(path: str, opener: Opener | None = None) -> bytes:
    """The bytes of one input: a file, ``-`` for standard input, or a registry reference."""
    return (opener or Opener()).read(path)


def looks_like_manifest(path: str) -> bool:
    """Whether the file at ``path`` starts as a JSON object does (after a UTF-8 byte order
    mark and white space): what a directory walk reads unless ``--all``."""
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return True  # let the read report it
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    return head.startswith(b"{")


def walk(top: str, everything: bool = False) -> list[Source]:
    """The files below ``top`` (hidden names skipped; only those that look like manifests
    unless ``everything``), sorted, each directory's files before its subdirectories."""
    found: list[Source] = []

    def unreadable(error: OSError) -> None:
        found.append(Source(error.filename or top, error=error))

    for dirpath, dirnames, filenames in os.walk(top, onerror=unreadable):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            if everything or looks_like_manifest(path):
                found.append(Source(path))
    if not found:
        what = "file" if everything else "manifest file (JSON object)"
        error = EmptyDirectory(f"no {what} in directory (hidden files are skipped)")
        found.append(Source(top, error=error))
    return found


def sources(
    paths: Sequence[str], everything: bool = False, opener: Opener | None = None
) -> list[Source]:
    """The inputs named by ``paths``: directories walked, ``-`` read once from stdin, registry
    references fetched when read."""
    found: list[Source] = []
    stdin: bytes | None = None
    opener = opener or Opener()
    for path in paths:
        if path == "-":
            if stdin is None:
                stdin = read_stdin()
            found.append(Source(path, data=stdin))
        elif opener.is_reference(path):
            found.append(Source(path, fetch=opener.fetch))
        elif os.path.isdir(path):
            found.extend(walk(path, everything))
        else:
            found.append(Source(path))
    return found
