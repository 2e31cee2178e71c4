"""What the command line prints: the result model of ``verify`` and ``inspect`` (text and
``--json``), the one error format of every command, the totals line, and manifest bytes."""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..manifest import DockerSchema1Manifest

__all__ = [
    "PROG",
    "Failure",
    "Result",
    "SignatureResult",
    "attempt",
    "describe",
    "error_json",
    "error_line",
    "message",
    "printable",
    "report",
    "show_traceback",
    "totals",
    "write_output",
]

PROG = "docker-schema1"

T = TypeVar("T")


# Errors --------------------------------------------------------------------------------------


class Failure(Exception):
    """A command failed on ``path`` because of ``cause``; reported as one line."""

    def __init__(self, path: str, cause: BaseException, note: str | None = None) -> None:
        super().__init__(path)
        self.path = path
        self.cause = cause
        self.note = note


class DigestMismatch(Exception):
    """The manifest's digest is not the one ``--expect-digest`` asked for."""


class UnsignedManifest(Exception):
    """An unsigned manifest under ``--require-signature``."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def describe(error: BaseException) -> tuple[str, str]:
    """The class name and a one-line message of ``error`` (an OSError's without its path)."""
    kind = type(error).__name__
    strerror = error.strerror if isinstance(error, OSError) else None
    return kind, _one_line(str(strerror) if strerror else str(error) or kind)


def message(error: BaseException) -> str:
    """``Kind: message``, the form every error takes."""
    kind, text = describe(error)
    return f"{kind}: {text}"


def error_json(error: BaseException | None) -> dict[str, str] | None:
    if error is None:
        return None
    kind, text = describe(error)
    return {"type": kind, "message": text}


def printable(text: str) -> str:
    """``text`` with lone surrogates (from JSON escapes or file names) made printable."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def show_traceback(error: BaseException) -> None:
    traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)


def error_line(path: str, error: BaseException, note: str | None = None) -> str:
    """The one error format of every command: ``docker-schema1: PATH: Kind: message`` (with a
    note, ``docker-schema1: PATH: note: message``)."""
    text = f"{note}: {describe(error)[1]}" if note else message(error)
    return printable(f"{PROG}: {path}: {text}")


def report(path: str, error: BaseException, debug: bool, note: str | None = None) -> None:
    if debug:
        show_traceback(error)
    print(error_line(path, error, note), file=sys.stderr)


def attempt(path: str, action: Callable[[], T]) -> T:
    """``action()``, any exception it raises turned into a ``Failure`` on ``path``."""
    try:
        return action()
    except Exception as e:
        raise Failure(path, e) from e


def totals(good: int, failed: int, word: str = "verified") -> None:
    """The totals line on standard error, after several inputs."""
    print(f"{good} {word}, {failed} failed", file=sys.stderr)


def write_output(data: bytes, out: str | None) -> None:
    """The bytes ``data``, exactly, to ``out`` (a path) or standard output."""
    if out is None or out == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return

    def write() -> None:
        with open(out, "wb") as f:
            f.write(data)

    attempt(out, write)


# The result model of verify and inspect ------------------------------------------------------


@dataclass
class SignatureResult:
    """One signature: the algorithm and key id its header claims, whether it verified, and why
    not when it did not."""

    alg: str
    key_id: str
    verified: bool
    error: str | None = None

    def record(self) -> dict[str, Any]:
        return {
            "alg": self.alg,
            "key_id": self.key_id,
            "verified": self.verified,
            "error": self.error,
        }


_SIGNATURE_ERROR = re.compile(r"signature (\d+): (.*)", re.DOTALL)


@dataclass
class Result:
    """What ``verify`` and ``inspect`` found in one input.

    ``manifest`` is the parsed manifest (read without verifying when verification failed) or
    None when it could not be read at all; ``error`` is why it failed (unreadable, malformed,
    not verified, unsigned under ``--require-signature``, another digest than expected).
    """

    path: str
    manifest: DockerSchema1Manifest | None = None
    verified: bool = False
    error: BaseException | None = None
    signatures: list[SignatureResult] = field(default_factory=list)

    @classmethod
    def verified_manifest(cls, path: str, manifest: DockerSchema1Manifest) -> Result:
        signatures = [SignatureResult(alg, key_id, True) for alg, key_id in manifest.signers]
        return cls(path, manifest, True, None, signatures)

    @classmethod
    def unverified(cls, path: str, manifest: DockerSchema1Manifest, error: BaseException) -> Result:
        """A manifest that parses but does not verify: each signature's claimed algorithm and
        key id; the one the error names is marked with it, those before it verified (they are
        checked in order), those after it not checked."""
        match = _SIGNATURE_ERROR.fullmatch(str(error))
        failed = int(match.group(1)) if match else None
        signatures = []
        for index, (alg, key_id) in enumerate(_claimed(manifest)):
            if failed is None:
                signatures.append(SignatureResult(alg, key_id, False))
            elif index < failed:
                signatures.append(SignatureResult(alg, key_id, True))
            elif index == failed and match:
                signatures.append(SignatureResult(alg, key_id, False, _one_line(match.group(2))))
            else:
                signatures.append(SignatureResult(alg, key_id, False, "not checked"))
        return cls(path, manifest, False, error, signatures)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def digest(self) -> str | None:
        return self.manifest.digest if self.manifest is not None else None

    @property
    def signed(self) -> bool:
        return self.manifest is not None and self.manifest.is_signed

    def fail(self, error: BaseException) -> None:
        """Count a verified manifest as failed (unsigned, or another digest than expected)."""
        if self.error is None:
            self.error = error

    def record(self) -> dict[str, Any]:
        """The ``--json`` object of ``verify`` and ``inspect`` (which adds the layers)."""
        m = self.manifest
        return {
            "path": self.path,
            "ok": self.ok,
            "digest": self.digest,
            "name": name(m) if m is not None else None,
            "namespace": m.namespace if m is not None else None,
            "repo_name": m.repo_name if m is not None else None,
            "tag": m.tag if m is not None else None,
            "architecture": m.architecture if m is not None else None,
            "media_type": m.media_type if m is not None else None,
            "signed": self.signed,
            "verified": self.verified,
            "signatures": [s.record() for s in self.signatures],
            "error": error_json(self.error),
        }

    def json_line(self, extra: dict[str, Any] | None = None) -> str:
        return json.dumps({**self.record(), **(extra or {})})

    def verify_line(self) -> tuple[str, bool]:
        """``verify``'s text line and whether it goes to standard error."""
        if self.manifest is None or (not self.verified and self.error is not None):
            assert self.error is not None
            return error_line(self.path, self.error), True
        if isinstance(self.error, DigestMismatch):
            return error_line(self.path, self.error), True
        word = "ok" if self.ok else "FAIL"
        if not self.signed:
            return f"{word} {self.path} {self.digest} unsigned", False
        signers = " ".join(f"{s.alg}:{s.key_id}" for s in self.signatures)
        return f"{word} {self.path} {self.digest} {signers}", False


def _claimed(manifest: DockerSchema1Manifest) -> list[tuple[str, str]]:
    """The algorithm and key id each signature's header claims (not verified)."""
    claimed = []
    for signature in manifest.signatures or []:
        header = signature.get("header") if isinstance(signature, dict) else None
        header = header if isinstance(header, dict) else {}
        jwk = header.get("jwk")
        key_id = jwk.get("kid") if isinstance(jwk, dict) else None
        claimed.append((text(header.get("alg")), text(key_id)))
    return claimed


def text(value: Any) -> str:
    """A JSON value for display: strings as they are, None as ``-``, the rest as JSON."""
    if value is None:
        return "-"
    return value if isinstance(value, str) else json.dumps(value)


def name(manifest: DockerSchema1Manifest) -> str:
    if manifest.namespace:
        return f"{manifest.namespace}/{manifest.repo_name}"
    return manifest.repo_name
