"""The ``docker-schema1`` command line: verify, digest, inspect, sign and rewrite manifests.

Every command reads ``-`` as standard input. Commands that output a manifest write its bytes
exactly (no newline added) to standard output or ``-o``. Errors are one line per file on
standard error (``docker-schema1: PATH: message``; ``verify`` keeps its ``FAIL PATH: ...``
lines), with a traceback only under ``--debug``. Exit status: 0 on success, 1 when a file
fails, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib
import json
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from . import __version__
from .builder import DockerSchema1ManifestBuilder
from .errors import ManifestException
from .manifest import DockerSchema1Manifest

__all__ = ["PARALLEL_THRESHOLD", "build_parser", "main"]

PROG = "docker-schema1"

#: Above this many files, ``verify`` and ``digest`` run on every core and, when standard error
#: is a terminal (and tqdm is installed), show a progress bar there.
PARALLEL_THRESHOLD = 200

T = TypeVar("T")

# Help texts ----------------------------------------------------------------------------------

DESCRIPTION = """\
Read, verify, digest, inspect, build and sign Docker image manifests of schema 1
(application/vnd.docker.distribution.manifest.v1+prettyjws and ...v1+json).

Every FILE may be - for standard input. Commands that output a manifest write its bytes
exactly, with no newline added, to standard output or to -o OUT."""

EXIT_STATUS = """\
exit status:
  0 success, 1 a file failed (unreadable, malformed, signature not verified), 2 usage error"""

MAIN_EPILOG = f"""\
examples:
  {PROG} verify examples/*.json
  {PROG} verify --json --require-signature manifests/ > report.jsonl
  {PROG} digest manifest.json
  {PROG} inspect manifest.json
  {PROG} sign --key key.pem manifest.json -o signed.json
  {PROG} retag --tag 2.0 --key key.jwk manifest.json > retagged.json
  curl -s URL | {PROG} verify -

{EXIT_STATUS}
"""

VERIFY_DESCRIPTION = """\
Verify each manifest: parse it, check its structure and verify every signature. Prints one
line per manifest, in the order given:

  ok PATH DIGEST ALG:KEYID...      a signed manifest that verifies (one ALG:KEYID per signature)
  ok PATH DIGEST unsigned          an unsigned manifest that is otherwise valid
  FAIL PATH DIGEST unsigned        the same, under --require-signature
  FAIL PATH: ErrorClass: message   on standard error, for a file that fails

DIGEST is the sha256 of the signed payload (what registries store), KEYID the libtrust key id.

A DIR is walked recursively: every regular file below it, whatever its name, in sorted order
(each directory's files before its subdirectories); files and directories whose name starts
with '.' are skipped, symbolic links to directories are not followed, and a directory with no
file counts as a failure. With more than 200 files the work runs on every core (results are
still printed in order) and, when standard error is a terminal and tqdm is installed
(pip install 'docker-schema1[cli]'), a progress bar shows there; never under --json."""

VERIFY_EPILOG = f"""\
examples:
  {PROG} verify manifest.json
  {PROG} verify --require-signature examples/*.json
  {PROG} verify manifests/                     # every file below manifests/
  {PROG} verify --json manifests/ | jq -c 'select(.ok | not)'
  {PROG} verify - < manifest.json

--json prints one object per file on standard output, failures included:
  {{"path": ..., "ok": true, "digest": "sha256:...", "signed": true,
   "signatures": [{{"alg": "ES256", "key_id": "..."}}], "error": null}}
  (for a failure "ok" is false, "digest" null and "error" {{"type": ..., "message": ...}})

exit status:
  0 when every manifest verifies, 1 otherwise, 2 usage error
"""

DIGEST_DESCRIPTION = """\
Print the digest of each manifest: the sha256 of its signed payload (of the whole document when
unsigned), as a registry stores it. The manifest is verified first (see 'verify'); --no-verify
skips the signature checks. With a single FILE only the digest is printed; with several, or a
DIR (walked as 'verify' does), one 'DIGEST  PATH' line per file."""

DIGEST_EPILOG = f"""\
examples:
  {PROG} digest manifest.json
  {PROG} digest a.json b.json manifests/
  {PROG} digest --no-verify - < manifest.json

{EXIT_STATUS}
"""

INSPECT_DESCRIPTION = """\
Show a manifest: name, tag, architecture, media type, digest, its signatures (algorithm and
key id, verified or not), then its layers, base first: blob digest, v1 image id, parent id,
created, size and command. Long cells are shortened to fit the terminal; --json prints one
JSON object with every value in full.

When the manifest does not verify, inspect says so, still shows what it can (the signatures'
claimed algorithms and key ids, marked 'not verified') and exits with status 1."""

INSPECT_EPILOG = f"""\
examples:
  {PROG} inspect manifest.json
  {PROG} inspect --json manifest.json | jq '.layers[].digest'

exit status:
  0 a valid manifest, 1 a manifest that does not verify or cannot be read, 2 usage error
"""

SIGN_DESCRIPTION = """\
Sign a manifest: rebuild it from its layers (name, tag and architecture kept) and sign it with
KEY, a private key file in PEM (PKCS#1, PKCS#8 or SEC1), DER or JWK (JSON) form. RSA keys sign
RS256; EC keys ES256, ES384 or ES512 by curve (P-256, P-384, P-521). An already signed manifest
is verified, then its layers are signed afresh: the old signatures are dropped. A manifest
that does not verify is refused.

The output is written as Docker writes it, 3-space indented, with non-ASCII characters
\\u-escaped unless --utf8 is given (both forms verify; their digests differ)."""

SIGN_EPILOG = f"""\
examples:
  {PROG} sign --key key.pem manifest.json > signed.json
  {PROG} sign --key key.jwk --utf8 - -o signed.json < manifest.json

{EXIT_STATUS}
"""

UNSIGNED_DESCRIPTION = """\
Write the manifest without signatures: an unsigned manifest as it is, byte for byte; a signed
one rebuilt from its layers (as registries rebuild it, non-ASCII \\u-escaped). The input is
verified first; a manifest that does not verify is refused."""

UNSIGNED_EPILOG = f"""\
examples:
  {PROG} unsigned signed.json > unsigned.json
  {PROG} unsigned signed.json -o unsigned.json && {PROG} digest unsigned.json

{EXIT_STATUS}
"""

RETAG_DESCRIPTION = """\
Write the manifest under another tag: its layers rebuilt with the tag T (name and architecture
kept), signed with KEY when given (see 'sign' for the key forms), unsigned otherwise (a new tag
voids the old signatures). The input is verified first; a manifest that does not verify is
refused."""

RETAG_EPILOG = f"""\
examples:
  {PROG} retag --tag 2.0 manifest.json > unsigned-2.0.json
  {PROG} retag --tag 2.0 --key key.pem manifest.json -o signed-2.0.json

{EXIT_STATUS}
"""

STRIP_DESCRIPTION = """\
Write the manifest with its layers' v1 metadata reduced, as registries do before converting
it: every layer but the leaf keeps only id, parent, created, author, comment, Size and
container_config.Cmd; blob digests and every layer's id are kept. The metadata is rewritten as
canonical JSON (non-ASCII \\u-escaped). The result is signed with KEY when given (see 'sign'
for the key forms), unsigned otherwise. The input is verified first; a manifest that does not
verify is refused."""

STRIP_EPILOG = f"""\
examples:
  {PROG} strip-metadata manifest.json > stripped.json
  {PROG} strip-metadata --key key.pem manifest.json -o stripped.json

{EXIT_STATUS}
"""


# Errors --------------------------------------------------------------------------------------


class EmptyDirectory(Exception):
    """A directory argument with no file to read."""


class _Failure(Exception):
    """A command failed on ``path`` because of ``cause``; reported as one line."""

    def __init__(self, path: str, cause: BaseException, note: str | None = None) -> None:
        super().__init__(path)
        self.path = path
        self.cause = cause
        self.note = note


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _describe(error: BaseException) -> tuple[str, str]:
    """The class name and a one-line message of ``error`` (an OSError's without its path)."""
    kind = type(error).__name__
    if isinstance(error, OSError) and error.strerror:
        message = error.strerror
    else:
        message = str(error) or kind
    return kind, _one_line(message)


def _message(error: BaseException) -> str:
    kind, message = _describe(error)
    if isinstance(error, OSError) and error.strerror:
        return message
    return f"{kind}: {message}"


def _printable(text: str) -> str:
    """``text`` with lone surrogates (from JSON escapes or file names) made printable."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _traceback(error: BaseException) -> None:
    traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)


def _report(path: str, error: BaseException, debug: bool, note: str | None = None) -> None:
    if debug:
        _traceback(error)
    message = f"{note}: {_describe(error)[1]}" if note else _message(error)
    print(_printable(f"{PROG}: {path}: {message}"), file=sys.stderr)


def _attempt(path: str, action: Callable[[], T]) -> T:
    """``action()``, any exception it raises turned into a ``_Failure`` on ``path``."""
    try:
        return action()
    except Exception as e:
        raise _Failure(path, e) from e


# Input and output ----------------------------------------------------------------------------


@dataclass
class _Source:
    """A file to read: a path, or ``-`` with standard input already read."""

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


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def _read_file(path: str) -> bytes:
    if path == "-":
        return _read_stdin()
    with open(path, "rb") as f:
        return f.read()


def _walk(top: str) -> list[_Source]:
    """Every regular file below ``top`` (hidden names skipped), sorted, each directory's files
    before its subdirectories."""
    found: list[_Source] = []

    def unreadable(error: OSError) -> None:
        found.append(_Source(error.filename or top, error=error))

    for dirpath, dirnames, filenames in os.walk(top, onerror=unreadable):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if not name.startswith(".") and os.path.isfile(path):
                found.append(_Source(path))
    if not found:
        error = EmptyDirectory("no file in directory (hidden files are skipped)")
        found.append(_Source(top, error=error))
    return found


def _sources(paths: Sequence[str]) -> list[_Source]:
    """The files named by ``paths``: directories walked, ``-`` read once from stdin."""
    sources: list[_Source] = []
    stdin: bytes | None = None
    for path in paths:
        if path == "-":
            if stdin is None:
                stdin = _read_stdin()
            sources.append(_Source(path, data=stdin))
        elif os.path.isdir(path):
            sources.extend(_walk(path))
        else:
            sources.append(_Source(path))
    return sources


def _write_output(data: bytes, out: str | None) -> None:
    """The bytes ``data``, exactly, to ``out`` (a path) or standard output."""
    if out is None or out == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return

    def write() -> None:
        with open(out, "wb") as f:
            f.write(data)

    _attempt(out, write)


# Running over many files ---------------------------------------------------------------------


class _Progress:
    """A tqdm bar on standard error, or nothing at all."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar

    @classmethod
    def create(cls, total: int, wanted: bool) -> _Progress:
        if not wanted or total <= PARALLEL_THRESHOLD or not _isatty(sys.stderr):
            return cls(None)
        try:
            tqdm = importlib.import_module("tqdm")
        except ImportError:
            return cls(None)
        return cls(tqdm.tqdm(total=total, file=sys.stderr, unit="file", desc=PROG))

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def update(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def print(self, text: str, stream: IO[str]) -> None:
        """Print a line to ``stream`` without garbling the bar: when the line goes to the
        terminal (stderr, or stdout when it is one too), the bar is cleared and redrawn."""
        if self._bar is None or (stream is not sys.stderr and not _isatty(stream)):
            print(_printable(text), file=stream)
            return
        with self._bar.external_write_mode(file=stream):
            print(_printable(text), file=stream)
            stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _workers(jobs: int | None, count: int) -> int:
    if jobs is not None:
        return jobs
    return (os.cpu_count() or 1) if count > PARALLEL_THRESHOLD else 1


def _run(
    sources: Sequence[_Source], work: Callable[[_Source], T], workers: int, progress: _Progress
) -> Iterator[T]:
    """``work`` over ``sources``, results in input order. With more than one worker, on a thread
    pool (the Rust core releases the GIL while it parses and verifies). ``work`` must not raise.
    """
    if workers <= 1 or len(sources) <= 1:
        for source in sources:
            result = work(source)
            progress.update()
            yield result
        return
    executor = concurrent.futures.ThreadPoolExecutor(workers)
    try:
        futures = [executor.submit(work, source) for source in sources]
        index = {future: i for i, future in enumerate(futures)}
        done: dict[int, T] = {}
        following = 0
        for future in concurrent.futures.as_completed(futures):
            done[index[future]] = future.result()
            progress.update()
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


# verify --------------------------------------------------------------------------------------


@dataclass
class _Verdict:
    path: str
    digest: str | None = None
    signed: bool = False
    signers: list[tuple[str, str]] = field(default_factory=list)
    error: BaseException | None = None


def _verify_one(source: _Source) -> _Verdict:
    try:
        manifest = DockerSchema1Manifest(source.read(), validate=True)
    except Exception as e:
        return _Verdict(source.path, error=e)
    return _Verdict(source.path, manifest.digest, manifest.is_signed, manifest.signers)


def _verify(args: argparse.Namespace) -> int:
    sources = _sources(args.files)
    progress = _Progress.create(len(sources), wanted=not args.json)
    failures = 0
    try:
        for verdict in _run(sources, _verify_one, _workers(args.jobs, len(sources)), progress):
            ok = verdict.error is None and (verdict.signed or not args.require_signature)
            failures += not ok
            if args.debug and verdict.error is not None:
                _traceback(verdict.error)
            if args.json:
                progress.print(_verdict_json(verdict, ok), sys.stdout)
            elif verdict.error is not None:
                kind, message = _describe(verdict.error)
                progress.print(f"FAIL {verdict.path}: {kind}: {message}", sys.stderr)
            elif not verdict.signed:
                word = "ok" if ok else "FAIL"
                progress.print(f"{word} {verdict.path} {verdict.digest} unsigned", sys.stdout)
            else:
                signers = " ".join(f"{alg}:{key_id}" for alg, key_id in verdict.signers)
                progress.print(f"ok {verdict.path} {verdict.digest} {signers}", sys.stdout)
    finally:
        progress.close()
    return 1 if failures else 0


def _verdict_json(verdict: _Verdict, ok: bool) -> str:
    error: dict[str, str] | None = None
    if verdict.error is not None:
        kind, message = _describe(verdict.error)
        error = {"type": kind, "message": message}
    elif not ok:
        error = {"type": "UnsignedManifest", "message": "manifest is not signed"}
    record = {
        "path": verdict.path,
        "ok": ok,
        "digest": verdict.digest,
        "signed": verdict.signed,
        "signatures": [{"alg": alg, "key_id": key_id} for alg, key_id in verdict.signers],
        "error": error,
    }
    return json.dumps(record)


# digest --------------------------------------------------------------------------------------


def _digest(args: argparse.Namespace) -> int:
    sources = _sources(args.files)
    with_paths = len(args.files) > 1 or any(os.path.isdir(path) for path in args.files)
    validate = not args.no_verify

    def digest_one(source: _Source) -> tuple[str, str | BaseException]:
        try:
            return source.path, DockerSchema1Manifest(source.read(), validate=validate).digest
        except Exception as e:
            return source.path, e

    progress = _Progress.create(len(sources), wanted=True)
    failures = 0
    try:
        for path, result in _run(sources, digest_one, _workers(args.jobs, len(sources)), progress):
            if isinstance(result, BaseException):
                failures += 1
                if args.debug:
                    _traceback(result)
                progress.print(f"{PROG}: {path}: {_message(result)}", sys.stderr)
            else:
                progress.print(f"{result}  {path}" if with_paths else result, sys.stdout)
    finally:
        progress.close()
    return 1 if failures else 0


# inspect -------------------------------------------------------------------------------------


@dataclass
class _Signature:
    alg: str
    key_id: str
    verified: bool


def _claimed_signatures(manifest: DockerSchema1Manifest) -> list[_Signature]:
    """The algorithm and key id each signature's header claims (not verified)."""
    claimed = []
    for signature in manifest.signatures or []:
        header = signature.get("header") if isinstance(signature, dict) else None
        header = header if isinstance(header, dict) else {}
        jwk = header.get("jwk")
        key_id = jwk.get("kid") if isinstance(jwk, dict) else None
        alg = header.get("alg")
        claimed.append(_Signature(_text(alg), _text(key_id), False))
    return claimed


def _text(value: Any) -> str:
    if value is None:
        return "-"
    return value if isinstance(value, str) else json.dumps(value)


def _name(manifest: DockerSchema1Manifest) -> str:
    if manifest.namespace:
        return f"{manifest.namespace}/{manifest.repo_name}"
    return manifest.repo_name


def _inspect(args: argparse.Namespace) -> int:
    path = args.file
    data = _attempt(path, lambda: _read_file(path))
    verify_error: BaseException | None = None
    try:
        manifest = DockerSchema1Manifest(data, validate=True)
        signatures = [_Signature(alg, key_id, True) for alg, key_id in manifest.signers]
    except ManifestException as e:
        verify_error = e
        manifest = _attempt(path, lambda: DockerSchema1Manifest(data, validate=False))
        signatures = _claimed_signatures(manifest)
    if args.debug and verify_error is not None:
        _traceback(verify_error)
    layers_error: BaseException | None = None
    try:
        layers = manifest.layers
    except ManifestException as e:
        layers_error, layers = e, []
        if args.debug:
            _traceback(e)
    if args.json:
        _inspect_json(path, manifest, signatures, verify_error, layers, layers_error)
    else:
        _inspect_text(manifest, signatures, verify_error, layers, layers_error)
    return 1 if verify_error is not None or layers_error is not None else 0


def _error_json(error: BaseException | None) -> dict[str, str] | None:
    if error is None:
        return None
    kind, message = _describe(error)
    return {"type": kind, "message": message}


def _inspect_json(
    path: str,
    manifest: DockerSchema1Manifest,
    signatures: list[_Signature],
    verify_error: BaseException | None,
    layers: Sequence[Any],
    layers_error: BaseException | None,
) -> None:
    record = {
        "path": path,
        "name": _name(manifest),
        "namespace": manifest.namespace,
        "repo_name": manifest.repo_name,
        "tag": manifest.tag,
        "architecture": manifest.architecture,
        "media_type": manifest.media_type,
        "digest": manifest.digest,
        "signed": manifest.is_signed,
        "verified": verify_error is None,
        "error": _error_json(verify_error),
        "signatures": [
            {"alg": s.alg, "key_id": s.key_id, "verified": s.verified} for s in signatures
        ],
        "layers": None
        if layers_error is not None
        else [
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
            for layer in layers
        ],
        "layers_error": _error_json(layers_error),
    }
    print(json.dumps(record))


def _inspect_text(
    manifest: DockerSchema1Manifest,
    signatures: list[_Signature],
    verify_error: BaseException | None,
    layers: Sequence[Any],
    layers_error: BaseException | None,
) -> None:
    lines = [
        ("name", _name(manifest)),
        ("tag", manifest.tag),
        ("architecture", _text(manifest.architecture)),
        ("media type", manifest.media_type),
        ("digest", manifest.digest),
    ]
    count = len(signatures)
    if verify_error is not None:
        status = f"NOT VERIFIED: {_message(verify_error)}"
        lines.append(("signatures", f"{count}, {status}" if count else status))
    elif count:
        lines.append(("signatures", f"{count}, verified"))
    else:
        lines.append(("signatures", "none (unsigned)"))
    for signature in signatures:
        mark = "" if signature.verified else "  (not verified)"
        lines.append(("", f"{signature.alg}  {signature.key_id}{mark}"))
    if layers_error is not None:
        lines.append(("layers", f"UNREADABLE: {_message(layers_error)}"))
    else:
        lines.append(("layers", f"{len(layers)}, base first"))
    for label, value in lines:
        print(_printable(f"{label:<14}{value}".rstrip()))
    if layers:
        print()
        width = shutil.get_terminal_size().columns
        for line in _layer_table(layers, width):
            print(_printable(line))


_HEX_ID = re.compile(r"(?:([a-z0-9]+):)?([0-9a-f]+)")
_TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?")
_ID_LENGTH = 12
_COMMAND_ROOM = 24  # shorten the other cells until the command has this much room
_COMMAND_MIN = 12


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, an ellipsis marking a cut."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…"


def _short_id(text: str, keep_sha256: bool = True) -> str:
    """A digest or id shortened as Docker does, to 12 hex digits (the algorithm kept, but for
    sha256 when ``keep_sha256`` is false); other text cut with an ellipsis."""
    match = _HEX_ID.fullmatch(text)
    if not match:
        return _cut(text, _ID_LENGTH + 7)
    algorithm, hex_part = match.groups()
    if algorithm is None or (algorithm == "sha256" and not keep_sha256):
        return hex_part[:_ID_LENGTH]
    return f"{algorithm}:{hex_part[:_ID_LENGTH]}"


def _short_time(text: str, seconds: bool = True) -> str:
    """An RFC 3339 time to the second (``seconds``) or to the minute (UTC offset dropped)."""
    match = _TIMESTAMP.fullmatch(text)
    if not match:
        return _cut(text, 25)
    day, minutes, secs, zone = match.groups()
    if not seconds:
        return f"{day} {minutes}"
    return f"{day}T{minutes}{secs}{zone or ''}"


def _human_size(size: Any) -> str:
    if size is None:
        return "-"
    if isinstance(size, bool) or not isinstance(size, (int, float)):
        return _text(size)
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(value) < 1000 or unit == "TB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return str(size)  # pragma: no cover - the loop always returns


def _command_text(command: Any) -> str:
    """A layer's command for display: a JSON list of arguments joined with spaces."""
    if command is None:
        return "-"
    text = command if isinstance(command, str) else json.dumps(command)
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, list) and all(isinstance(arg, str) for arg in parsed):
        text = " ".join(parsed)
    return _one_line(text)


def _layer_table(layers: Sequence[Any], width: int) -> list[str]:
    """The layers as a table in ``width`` columns: every cell in full when it fits; else digests
    and ids shortened to 12 hex digits and times to the second, then (still too narrow) sha256
    digests without their prefix and times to the minute; the command cut to what is left.
    """
    header = ["BLOB", "V1 ID", "PARENT", "CREATED", "SIZE", "COMMAND"]
    gap = "  "
    full = [
        [
            str(layer.digest),
            _text(layer.v1_metadata.image_id),
            _text(layer.v1_metadata.parent_image_id),
            _text(layer.v1_metadata.created),
            _human_size(layer.compressed_size),
            _command_text(layer.v1_metadata.command),
        ]
        for layer in layers
    ]

    def widths(rows: list[list[str]]) -> list[int]:
        return [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def room(rows: list[list[str]]) -> int:
        """Columns left for the command."""
        return width - sum(widths(rows)[:-1]) - len(gap) * (len(header) - 1)

    rows = full
    if room(full) < widths(full)[-1]:
        for keep in (True, False):
            rows = [
                [
                    _short_id(r[0], keep),
                    _short_id(r[1]),
                    _short_id(r[2]),
                    _short_time(r[3], keep),
                    r[4],
                    r[5],
                ]
                for r in full
            ]
            if room(rows) >= _COMMAND_ROOM:
                break
        command_width = max(room(rows), _COMMAND_MIN)
        rows = [[*r[:-1], _cut(r[-1], command_width)] for r in rows]
    sizes = widths(rows)
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(size) for cell, size in zip(row, sizes)]
        lines.append(gap.join(cells).rstrip())
    return lines


# sign, unsigned, retag, strip-metadata --------------------------------------------------------


def _load(path: str) -> DockerSchema1Manifest:
    """The manifest at ``path``, read, parsed and verified."""
    data = _attempt(path, lambda: _read_file(path))
    return _attempt(path, lambda: DockerSchema1Manifest(data, validate=True))


def _read_key(path: str | None) -> bytes | None:
    if path is None:
        return None
    return _attempt(path, lambda: _read_file(path))


def _builder(manifest: DockerSchema1Manifest) -> DockerSchema1ManifestBuilder:
    """A builder holding ``manifest``'s layers, leaf first, under its name, tag and arch."""
    builder = DockerSchema1ManifestBuilder(
        manifest.namespace, manifest.repo_name, manifest.tag, manifest.architecture
    )
    for layer in reversed(manifest.layers):
        builder.add_layer(str(layer.digest), layer.raw_v1_metadata)
    return builder


def _with_key(
    manifest_path: str, key_path: str | None, action: Callable[[], DockerSchema1Manifest]
) -> bytes:
    """The bytes of the manifest ``action`` builds. A ``ValueError`` that is no manifest error
    is the key's fault (unusable key), so is reported on ``key_path``."""
    try:
        built = action()
    except ManifestException as e:
        raise _Failure(manifest_path, e) from e
    except ValueError as e:
        if key_path is None:
            raise _Failure(manifest_path, e) from e
        raise _Failure(key_path, e, note="unusable key") from e
    except Exception as e:
        raise _Failure(manifest_path, e) from e
    return built.bytes.as_encoded_str()


def _sign(args: argparse.Namespace) -> int:
    key = _read_key(args.key)
    manifest = _load(args.file)
    data = _with_key(
        args.file,
        args.key,
        lambda: _builder(manifest).build(key, ensure_ascii=not args.utf8),
    )
    _write_output(data, args.output)
    return 0


def _unsigned(args: argparse.Namespace) -> int:
    manifest = _load(args.file)
    data = _with_key(args.file, None, manifest.unsigned)
    _write_output(data, args.output)
    return 0


def _retag(args: argparse.Namespace) -> int:
    key = _read_key(args.key)
    manifest = _load(args.file)
    data = _with_key(args.file, args.key, lambda: manifest.with_tag_name(args.tag, key))
    _write_output(data, args.output)
    return 0


def _strip_metadata(args: argparse.Namespace) -> int:
    key = _read_key(args.key)
    manifest = _load(args.file)
    data = _with_key(
        args.file,
        args.key,
        lambda: _builder(manifest).with_metadata_removed().build(key),
    )
    _write_output(data, args.output)
    return 0


# The parser ----------------------------------------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    # --debug is global: before the command, or after it (a subcommand's default must not
    # override what the main parser read, hence SUPPRESS there).
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show a traceback for each error",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback for each error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, summary: str, description: str, epilog: str, run: Callable[..., int]
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=epilog,
            parents=[debug],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(run=run)
        return sub

    def output(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "-o",
            "--output",
            metavar="OUT",
            help="write the manifest to OUT instead of standard output",
        )

    def jobs(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "-j",
            "--jobs",
            type=_positive,
            metavar="N",
            help=(
                f"worker threads (default: one per core with more than {PARALLEL_THRESHOLD} "
                "files, else 1)"
            ),
        )

    verify = command(
        "verify",
        "verify manifests: verdict, digest, algorithms and key ids",
        VERIFY_DESCRIPTION,
        VERIFY_EPILOG,
        _verify,
    )
    verify.add_argument(
        "files", nargs="+", metavar="FILE|DIR", help="a manifest file, a directory, or - for stdin"
    )
    verify.add_argument(
        "--require-signature", action="store_true", help="count unsigned manifests as failures"
    )
    verify.add_argument(
        "--json", action="store_true", help="print one JSON object per file on standard output"
    )
    jobs(verify)

    digest = command(
        "digest", "print the digest of manifests", DIGEST_DESCRIPTION, DIGEST_EPILOG, _digest
    )
    digest.add_argument(
        "files", nargs="+", metavar="FILE|DIR", help="a manifest file, a directory, or - for stdin"
    )
    digest.add_argument(
        "--no-verify",
        action="store_true",
        help="do not verify signatures (the structure is still checked)",
    )
    jobs(digest)

    inspect = command(
        "inspect",
        "show a manifest's name, tag, signatures and layers",
        INSPECT_DESCRIPTION,
        INSPECT_EPILOG,
        _inspect,
    )
    inspect.add_argument("file", metavar="FILE", help="a manifest file, or - for stdin")
    inspect.add_argument(
        "--json", action="store_true", help="print one JSON object with every value in full"
    )

    sign = command(
        "sign", "sign a manifest's layers with a key", SIGN_DESCRIPTION, SIGN_EPILOG, _sign
    )
    sign.add_argument(
        "--key", required=True, metavar="KEY", help="private key file: PEM, DER or JWK (JSON)"
    )
    sign.add_argument("file", metavar="FILE", help="a manifest file, or - for stdin")
    sign.add_argument(
        "--utf8", action="store_true", help="write non-ASCII characters as UTF-8, not \\u escapes"
    )
    output(sign)

    unsigned = command(
        "unsigned",
        "write a manifest without its signatures",
        UNSIGNED_DESCRIPTION,
        UNSIGNED_EPILOG,
        _unsigned,
    )
    unsigned.add_argument("file", metavar="FILE", help="a manifest file, or - for stdin")
    output(unsigned)

    retag = command(
        "retag", "write a manifest under another tag", RETAG_DESCRIPTION, RETAG_EPILOG, _retag
    )
    retag.add_argument("--tag", required=True, metavar="T", help="the new tag")
    retag.add_argument("--key", metavar="KEY", help="sign with this private key file")
    retag.add_argument("file", metavar="FILE", help="a manifest file, or - for stdin")
    output(retag)

    strip = command(
        "strip-metadata",
        "write a manifest with its layers' v1 metadata reduced",
        STRIP_DESCRIPTION,
        STRIP_EPILOG,
        _strip_metadata,
    )
    strip.add_argument("file", metavar="FILE", help="a manifest file, or - for stdin")
    strip.add_argument("--key", metavar="KEY", help="sign with this private key file")
    output(strip)

    convert = command(
        "convert",
        "convert a manifest and its blobs to a schema 2 or OCI image, as skopeo does",
        CONVERT_DESCRIPTION,
        EXIT_STATUS,
        _convert,
    )
    convert.add_argument("file", metavar="MANIFEST", help="a schema 1 manifest file")
    convert.add_argument(
        "--blobs", required=True, metavar="DIR", help="the blobs, as files named by hex digest"
    )
    convert.add_argument("--format", choices=["v2s2", "oci"], default="v2s2")
    convert.add_argument("--tag", help="the tag index.json names (oci; default: the manifest's)")
    convert.add_argument("-o", "--output", required=True, metavar="OUT", help="directory to write")

    migrate = command(
        "migrate",
        "pull a schema 1 image, convert it as skopeo does, push it as schema 2 or OCI",
        MIGRATE_DESCRIPTION,
        EXIT_STATUS,
        _migrate,
    )
    migrate.add_argument("source", metavar="SRC_REF", help="HOST[:PORT]/NAME[:TAG|@DIGEST]")
    migrate.add_argument("destination", metavar="DST_REF", help="HOST[:PORT]/NAME[:TAG]")
    migrate.add_argument("--format", choices=["v2s2", "oci"], default="v2s2")
    migrate.add_argument("--dry-run", action="store_true", help="pull and convert, push nothing")
    migrate.add_argument("--src-creds", metavar="USER:PASS", help="credentials for SRC_REF")
    migrate.add_argument("--dest-creds", metavar="USER:PASS", help="credentials for DST_REF")
    migrate.add_argument(
        "--plain-http", action="store_true", help="HTTP, not HTTPS (test registries)"
    )
    migrate.add_argument("--no-tls-verify", action="store_true", help="do not check certificates")
    return parser


MIGRATE_DESCRIPTION = """\
Pull the schema 1 image SRC_REF from its registry (anonymously, with Basic or with a Bearer
token), check every blob against its digest while computing its diff ID, convert it as
`skopeo copy --format v2s2|oci` does, and push the layers (mounted from SRC_REF's repository
when both are on one registry), the config and the new manifest to DST_REF; prints the new
manifest digest. --dry-run prints what would be pushed. Needs the cli extra (requests)."""


def _migrate(args: argparse.Namespace) -> int:
    from .migrate import migrate

    def log(line: str) -> None:
        print(line, file=sys.stderr if not args.dry_run else sys.stdout)

    result = _attempt(
        args.source,
        lambda: migrate(
            args.source,
            args.destination,
            oci=args.format == "oci",
            dry_run=args.dry_run,
            src_creds=args.src_creds,
            dest_creds=args.dest_creds,
            plain_http=args.plain_http,
            tls_verify=not args.no_tls_verify,
            log=log,
        ),
    )
    print(result.image.manifest_digest)
    return 0


CONVERT_DESCRIPTION = """\
Convert a schema 1 image to schema 2 (--format v2s2, written as skopeo's dir: layout) or OCI
(--format oci, an OCI image layout whose index.json names the tag), byte for byte as
`skopeo copy --format v2s2|oci` does. Every blob is checked against its digest; the new
manifest digest is printed."""


def _convert(args: argparse.Namespace) -> int:
    from .layout import convert_to_layout

    manifest = _load(args.file)
    oci = args.format == "oci"
    image = _attempt(
        args.file, lambda: convert_to_layout(manifest, args.blobs, args.output, oci, args.tag)
    )
    print(image.manifest_digest)
    return 0


def _silence_stdout() -> None:
    """After a broken pipe: send what is left for stdout to /dev/null, so that Python's final
    flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``); returns the exit status.

    Usage errors, ``--help`` and ``--version`` raise ``SystemExit`` (2, 0, 0) as argparse does.
    """
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except _Failure as failure:
        _report(failure.path, failure.cause, args.debug, failure.note)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
