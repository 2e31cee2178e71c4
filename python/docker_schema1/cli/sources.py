"""Where the command line reads manifests from: files, directories (walked), ``-`` (standard
input, read once)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["EmptyDirectory", "Source", "looks_like_manifest", "read_one", "sources"]

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

    def read(self) -> bytes:
        if self.error is not None:
            raise self.error
        if self.data is not None:
            return self.data
        with open(self.path, "rb") as f:
            return f.read()


def read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def read_one(path: str) -> bytes:
    """The bytes of one input: a file, or ``-`` for standard input."""
    if path == "-":
        return read_stdin()
    with open(path, "rb") as f:
        return f.read()


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


def sources(paths: Sequence[str], everything: bool = False) -> list[Source]:
    """The inputs named by ``paths``: directories walked, ``-`` read once from stdin."""
    found: list[Source] = []
    stdin: bytes | None = None
    for path in paths:
        if path == "-":
            if stdin is None:
                stdin = read_stdin()
            found.append(Source(path, data=stdin))
        elif os.path.isdir(path):
            found.extend(walk(path, everything))
        else:
            found.append(Source(path))
    return found
