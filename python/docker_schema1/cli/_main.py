"""The parser, made of the command groups' registrations, and ``main``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from .. import __version__, _backend
from . import migrate, read, write
from .command import EXIT_STATUS, PROG, Commands
from .output import Failure, report
from .sources import Opener

__all__ = ["GROUPS", "build_parser", "main"]

#: The command groups, in the order ``--help`` lists their commands. Each is a module with a
#: ``register(commands)`` function.
GROUPS = [read, write, migrate]

DESCRIPTION = """\
Read, verify, digest, inspect, build and sign Docker image manifests of schema 1
(application/vnd.docker.distribution.manifest.v1+prettyjws and ...v1+json).

Every FILE may be - for standard input. Commands that output a manifest write its bytes
exactly, with no newline added, to standard output or to -o OUT. Errors are one line each on
standard error: 'docker-schema1: PATH: Kind: message' (--debug adds the traceback)."""

MAIN_EPILOG = f"""\
examples:
  {PROG} verify examples/*.json
  {PROG} verify --json --require-signature manifests/ > report.jsonl
  {PROG} digest manifest.json
  {PROG} inspect manifest.json
  {PROG} sign --key key.pem manifest.json -o signed.json
  {PROG} payload signed.json > payload.json
  {PROG} retag --tag 2.0 --key key.jwk manifest.json > retagged.json
  curl -s URL | {PROG} verify -

{EXIT_STATUS}
"""


class _Parser(argparse.ArgumentParser):
    """The main parser; it hands arguments it does not know to the command's own parser, so
    that ``verify --bogus`` prints verify's usage."""

    commands: Commands

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        parsed, extra = self.parse_known_args(args)
        if extra:
            sub = self.commands.parsers.get(getattr(parsed, "command", ""), self)
            sub.error(f"unrecognized arguments: {' '.join(extra)}")
        if getattr(parsed, "utf8", False) and not getattr(parsed, "rebuild", True):
            self.commands.parsers["sign"].error("--utf8 goes with --rebuild")
        return parsed


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback for each error")
    parser.commands = Commands(parser)
    for group in GROUPS:
        group.register(parser.commands)
    return parser


def _silence_stdout() -> None:
    """After a broken pipe: send what is left for stdout to /dev/null, so that Python's final
    flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _backend_error() -> str | None:
    """Why the backend ``DOCKER_SCHEMA1_BACKEND`` names cannot be used, if it cannot."""
    try:
        _backend.current()
    except ValueError as e:
        return f"DOCKER_SCHEMA1_BACKEND: {e}"
    except ImportError as e:
        return f"backend: {e}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``); returns the exit status.

    Usage errors, ``--help`` and ``--version`` raise ``SystemExit`` (2, 0, 0) as argparse does.
    A backend that cannot be used is a usage error too (exit status 2, one line).
    """
    args = build_parser().parse_args(argv)
    problem = _backend_error()
    if problem is not None:
        print(f"{PROG}: {problem}", file=sys.stderr)
        return 2
    args.opener = Opener(args)
    try:
        status: int = _run(args)
    except Failure as failure:
        report(failure.path, failure.cause, args.debug, failure.note)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1
    finally:
        args.opener.close()
    return status


def _run(args: argparse.Namespace) -> int:
    """The command, with the registry password read from standard input first when asked."""
    if getattr(args, "password_stdin", False):
        inputs = getattr(args, "files", None) or [getattr(args, "file", "")]
        if "-" in inputs:
            raise Failure("-", ValueError("--password-stdin and - both read standard input"))
        args.password = sys.stdin.readline().rstrip("\r\n")
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)
