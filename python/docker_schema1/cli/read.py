"""The commands that read manifests: ``verify``, ``digest``, ``inspect`` and ``payload``."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from typing import Any

from ..errors import ManifestException
from ..signing import signed_payload
from .batch import Progress, run, workers
from .command import EXIT_STATUS, PROG, Commands
from .diagnose import read_manifest
from .output import (
    DigestMismatch,
    Failure,
    Result,
    UnsignedManifest,
    attempt,
    error_json,
    error_line,
    message,
    name,
    printable,
    show_traceback,
    text,
    totals,
    write_output,
)
from .sources import Source, read_one, sources
from .table import layer_table

__all__ = ["examine", "register"]

VERIFY_DESCRIPTION = """\
Verify each manifest: parse it, check its structure and verify every signature. Prints one
line per manifest, in the order given, and with several inputs a totals line on standard
error ('N verified, M failed'):

  ok PATH DIGEST ALG:KEYID...      a signed manifest that verifies (one ALG:KEYID per signature)
  ok PATH DIGEST unsigned          an unsigned manifest that is otherwise valid
  FAIL PATH DIGEST unsigned        the same, under --require-signature
  docker-schema1: PATH: Kind: why  on standard error, for an input that fails

DIGEST is the sha256 of the signed payload (what registries store), KEYID the libtrust key id.

A DIR is walked recursively: the regular files below it that start as a JSON object (every
file with --all), in sorted order (each directory's files before its subdirectories); files
and directories whose name starts with '.' are skipped, symbolic links to directories are not
followed, and a directory with no such file counts as a failure. With more than 200 files the
work runs on every core (results are still printed in order) and, when standard error is a
terminal and tqdm is installed (pip install 'docker-schema1[cli]'), a progress bar shows
there; never under --json."""

VERIFY_EPILOG = f"""\
examples:
  {PROG} verify manifest.json
  {PROG} verify --require-signature examples/*.json
  {PROG} verify manifests/                     # the manifests below manifests/
  {PROG} verify --expect-digest sha256:86485ffc... manifest.json
  {PROG} verify --json manifests/ | jq -c 'select(.ok | not)'
  {PROG} verify - < manifest.json

--json prints one object per input on standard output, failures included; 'inspect --json'
prints the same fields, and the layers:
  {{"path": ..., "ok": true, "digest": "sha256:...", "name": ..., "namespace": ...,
   "repo_name": ..., "tag": ..., "architecture": ..., "media_type": ..., "signed": true,
   "verified": true, "signatures": [{{"alg": "ES256", "key_id": "...", "verified": true,
   "error": null}}], "error": null}}
  (for a failure "ok" is false and "error" {{"type": ..., "message": ...}}; a manifest that
  does not verify still has its digest and its signatures, each with "verified" and "error")

exit status:
  0 when every manifest verifies, 1 otherwise, 2 usage error
"""

DIGEST_DESCRIPTION = """\
Print the digest of each manifest: the sha256 of its signed payload (of the whole document when
unsigned), as a registry stores it. The manifest is verified first (see 'verify'); --no-verify
skips the signature checks. With a single FILE only the digest is printed; with several, or a
DIR (walked as 'verify' does), one 'DIGEST  PATH' line per file and a totals line on standard
error."""

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
created, size and command. When the table does not fit the terminal, ids and times are
shortened and the command wraps; --json prints one JSON object with every value in full (the
fields of 'verify --json', and the layers).

When the manifest does not verify, inspect says so, still shows what it can (the signatures'
claimed algorithms and key ids, marked 'not verified', with the reason) and exits with
status 1."""

INSPECT_EPILOG = f"""\
examples:
  {PROG} inspect manifest.json
  {PROG} inspect --json manifest.json | jq '.layers[].digest'

exit status:
  0 a valid manifest, 1 a manifest that does not verify or cannot be read, 2 usage error
"""

PAYLOAD_DESCRIPTION = """\
Write the signed payload of a manifest, exactly: the bytes its signatures sign and its digest
covers (the document's first formatLength bytes and its formatTail; the whole document when it
is unsigned). 'sign' signs these bytes again; 'digest' is their sha256. The manifest is
verified first; --no-verify skips the signature checks."""

PAYLOAD_EPILOG = f"""\
examples:
  {PROG} payload signed.json > payload.json
  {PROG} payload signed.json | sha256sum         # the digest, without 'sha256:'

{EXIT_STATUS}
"""


# Reading one input -----------------------------------------------------------------------------


def examine(source: Source) -> Result:
    """``source`` read, parsed and verified; never raises."""
    try:
        data = source.read()
    except Exception as e:
        return Result(source.path, error=e)
    try:
        return Result.verified_manifest(source.path, read_manifest(data, True))
    except ManifestException as e:
        try:
            manifest = read_manifest(data, False)
        except Exception:
            return Result(source.path, error=e)
        return Result.unverified(source.path, manifest, e)
    except Exception as e:
        return Result(source.path, error=e)


def judge(result: Result, args: argparse.Namespace) -> Result:
    """Apply ``--require-signature`` and ``--expect-digest`` to a result."""
    if result.ok and getattr(args, "require_signature", False) and not result.signed:
        result.fail(UnsignedManifest("manifest is not signed"))
    expected = getattr(args, "expect_digest", None)
    if expected and result.ok and result.digest != expected:
        result.fail(DigestMismatch(f"digest is {result.digest}, not the expected {expected}"))
    return result


# verify --------------------------------------------------------------------------------------


def _verify(args: argparse.Namespace) -> int:
    inputs = sources(args.files, args.all, args.opener)
    progress = Progress.create(len(inputs), wanted=not args.json)
    failures = 0
    try:
        for result in run(inputs, examine, workers(args.jobs, len(inputs)), progress):
            judge(result, args)
            failures += not result.ok
            if args.debug and result.error is not None and not result.verified:
                show_traceback(result.error)
            if args.json:
                progress.print(result.json_line(), sys.stdout)
                continue
            line, to_stderr = result.verify_line()
            if to_stderr:
                progress.print(line, sys.stderr)
            elif not args.quiet:
                progress.print(line, sys.stdout)
    finally:
        progress.close()
    if len(inputs) > 1 and not args.quiet:
        totals(len(inputs) - failures, failures)
    return 1 if failures else 0


# digest --------------------------------------------------------------------------------------


def _digest(args: argparse.Namespace) -> int:
    inputs = sources(args.files, args.all, args.opener)
    with_paths = len(inputs) > 1 or len(args.files) > 1 or any(map(os.path.isdir, args.files))
    validate = not args.no_verify

    def digest_one(source: Source) -> tuple[str, str | BaseException]:
        try:
            digest = read_manifest(source.read(), validate=validate).digest
        except Exception as e:
            return source.path, e
        if args.expect_digest and digest != args.expect_digest:
            return source.path, DigestMismatch(
                f"digest is {digest}, not the expected {args.expect_digest}"
            )
        return source.path, digest

    progress = Progress.create(len(inputs), wanted=True)
    failures = 0
    try:
        for path, result in run(inputs, digest_one, workers(args.jobs, len(inputs)), progress):
            if isinstance(result, BaseException):
                failures += 1
                if args.debug:
                    show_traceback(result)
                progress.print(error_line(path, result), sys.stderr)
            elif not args.quiet:
                progress.print(f"{result}  {path}" if with_paths else result, sys.stdout)
    finally:
        progress.close()
    if len(inputs) > 1 and not args.quiet:
        totals(len(inputs) - failures, failures, "verified" if validate else "read")
    return 1 if failures else 0


# inspect -------------------------------------------------------------------------------------


def _inspect(args: argparse.Namespace) -> int:
    path = args.file
    data = attempt(path, lambda: read_one(path, args.opener))
    result = judge(examine(Source(path, data=data)), args)
    if result.manifest is None:
        assert result.error is not None
        raise Failure(path, result.error)
    if args.debug and result.error is not None:
        show_traceback(result.error)
    layers: Sequence[Any] = []
    layers_error: BaseException | None = None
    try:
        layers = result.manifest.layers
    except ManifestException as e:
        layers_error = e
        if args.debug:
            show_traceback(e)
    if args.json:
        print(
            result.json_line(
                {
                    "layers": _layers_json(layers, layers_error),
                    "layers_error": error_json(layers_error),
                }
            )
        )
    else:
        _inspect_text(result, layers, layers_error)
    return 1 if result.error is not None or layers_error is not None else 0


def _layers_json(layers: Sequence[Any], error: BaseException | None) -> list[Any] | None:
    if error is not None:
        return None
    return [
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
    ]


def _inspect_text(
    result: Result, layers: Sequence[Any], layers_error: BaseException | None
) -> None:
    manifest = result.manifest
    assert manifest is not None
    lines = [
        ("name", name(manifest)),
        ("tag", manifest.tag),
        ("architecture", text(manifest.architecture)),
        ("media type", manifest.media_type),
        ("digest", manifest.digest),
    ]
    count = len(result.signatures)
    if not result.verified and result.error is not None:
        status = f"NOT VERIFIED: {message(result.error)}"
        lines.append(("signatures", f"{count}, {status}" if count else status))
    elif count:
        lines.append(("signatures", f"{count}, verified"))
    else:
        lines.append(("signatures", "none (unsigned)"))
    for signature in result.signatures:
        mark = ""
        if not signature.verified:
            mark = f"  (not verified: {signature.error})" if signature.error else "  (not verified)"
        lines.append(("", f"{signature.alg}  {signature.key_id}{mark}"))
    if result.verified and result.error is not None:
        lines.append(("FAILED", message(result.error)))
    if layers_error is not None:
        lines.append(("layers", f"UNREADABLE: {message(layers_error)}"))
    else:
        lines.append(("layers", f"{len(layers)}, base first"))
    for label, value in lines:
        print(printable(f"{label:<14}{value}".rstrip()))
    if layers:
        print()
        width = shutil.get_terminal_size().columns
        for line in layer_table(layers, width):
            print(printable(line))


# payload -------------------------------------------------------------------------------------


def _payload(args: argparse.Namespace) -> int:
    path = args.file
    data = attempt(path, lambda: read_one(path, args.opener))
    attempt(path, lambda: read_manifest(data, validate=not args.no_verify))
    write_output(attempt(path, lambda: signed_payload(data)), args.output)
    return 0


# Registration --------------------------------------------------------------------------------


def register(commands: Commands) -> None:
    verify = commands.add(
        "verify",
        "verify manifests: verdict, digest, algorithms and key ids",
        VERIFY_DESCRIPTION,
        VERIFY_EPILOG,
        _verify,
    )
    commands.inputs(verify)
    verify.add_argument(
        "--require-signature", action="store_true", help="count unsigned manifests as failures"
    )
    verify.add_argument(
        "--json", action="store_true", help="print one JSON object per input on standard output"
    )
    commands.expect_digest(verify)
    commands.jobs(verify)

    digest = commands.add(
        "digest", "print the digest of manifests", DIGEST_DESCRIPTION, DIGEST_EPILOG, _digest
    )
    commands.inputs(digest)
    commands.no_verify(digest)
    commands.expect_digest(digest)
    commands.jobs(digest)

    inspect = commands.add(
        "inspect",
        "show a manifest's name, tag, signatures and layers",
        INSPECT_DESCRIPTION,
        INSPECT_EPILOG,
        _inspect,
    )
    commands.one_input(inspect)
    inspect.add_argument(
        "--json", action="store_true", help="print one JSON object with every value in full"
    )
    commands.expect_digest(inspect)

    payload = commands.add(
        "payload",
        "write the exact bytes a manifest's signatures sign",
        PAYLOAD_DESCRIPTION,
        PAYLOAD_EPILOG,
        _payload,
    )
    commands.one_input(payload)
    commands.no_verify(payload)
    commands.output(payload)
