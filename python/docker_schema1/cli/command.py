"""How a command group adds its commands to the parser: ``Commands.add`` makes a subparser
with the shared options (``--debug``), and the helpers add the options several commands share.

A command group is a module with a ``register(commands: Commands) -> None`` function; the
parser (``cli/_main.py``) calls each group's in turn.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .batch import PARALLEL_THRESHOLD
from .output import PROG

__all__ = ["EXIT_STATUS", "PROG", "Commands"]

EXIT_STATUS = """\
exit status:
  0 success, 1 an input failed (unreadable, malformed, signature not verified), 2 usage error"""

Run = Callable[[argparse.Namespace], int]


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {number}")
    return number


class Commands:
    """The subcommands of the main parser, each findable by name (for its usage errors)."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self._subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        # --debug is global: before the command, or after it (a subcommand's default must not
        # override what the main parser read, hence SUPPRESS there).
        self._shared = argparse.ArgumentParser(add_help=False)
        self._shared.add_argument(
            "--debug",
            action="store_true",
            default=argparse.SUPPRESS,
            help="show a traceback for each error",
        )
        self.parsers: dict[str, argparse.ArgumentParser] = {}

    def add(
        self, name: str, summary: str, description: str, epilog: str, run: Run
    ) -> argparse.ArgumentParser:
        sub = self._subparsers.add_parser(
            name,
            help=summary,
            description=description,
            epilog=epilog,
            parents=[self._shared],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(run=run)
        self.parsers[name] = sub
        return sub

    @staticmethod
    def output(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "-o",
            "--output",
            metavar="OUT",
            help="write the manifest to OUT instead of standard output",
        )

    @staticmethod
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

    @staticmethod
    def inputs(sub: argparse.ArgumentParser) -> None:
        """Several inputs: files, directories, ``-``; and the options that go with them."""
        sub.add_argument(
            "files",
            nargs="+",
            metavar="FILE|DIR",
            help="a manifest file, a directory, - for stdin, or a registry reference",
        )
        sub.add_argument(
            "--all",
            action="store_true",
            help="in directories, read every file, not only those that start as JSON objects",
        )
        sub.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            help="print only errors (and nothing on success); the exit status tells",
        )
        Commands.registry(sub)

    @staticmethod
    def one_input(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "file", metavar="FILE", help="a manifest file, - for stdin, or a registry reference"
        )
        Commands.registry(sub)

    @staticmethod
    def registry(sub: argparse.ArgumentParser) -> None:
        """The options of registry references (HOST[:PORT]/NAME:TAG, ...@sha256:..., or an
        https://HOST/v2/NAME/manifests/REF URL)."""
        group = sub.add_argument_group(
            "registry references",
            "Wherever a file is accepted, HOST[:PORT]/NAME[:TAG], HOST[:PORT]/NAME@sha256:... "
            "or https://HOST/v2/NAME/manifests/REF is fetched with the Registry HTTP API v2 "
            "(pip install 'docker-schema1[cli]'): anonymous, or with the user's credentials "
            "(--username, or ~/.docker/config.json), by basic or Bearer-token auth.",
        )
        group.add_argument("--username", metavar="USER", help="registry user name")
        group.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the registry password from the first line of standard input",
        )
        group.add_argument(
            "--insecure",
            action="store_true",
            help="do not verify TLS certificates; allow plain http to any registry",
        )
        group.add_argument(
            "--timeout",
            type=float,
            metavar="S",
            help="seconds to connect and for each read (default: 30)",
        )

    @staticmethod
    def no_verify(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--no-verify",
            action="store_true",
            help="do not verify signatures (the structure is still checked)",
        )

    @staticmethod
    def expect_digest(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--expect-digest",
            metavar="D",
            help="fail (exit 1) when a manifest's digest is not D (sha256:...)",
        )
