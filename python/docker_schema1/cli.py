"""The ``docker-schema1`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import ManifestException
from .manifest import DockerSchema1Manifest

EXAMPLES = """\
examples:
  docker-schema1 verify manifest.json
  docker-schema1 verify --require-signature examples/*.json
"""


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as f:
        return f.read()


def _verify(args: argparse.Namespace) -> int:
    failures = 0
    for path in args.files:
        try:
            manifest = DockerSchema1Manifest(_read(path), validate=True)
        except (OSError, ManifestException) as e:
            failures += 1
            kind = type(e).__name__
            print(f"FAIL {path}: {kind}: {e}", file=sys.stderr)
            continue
        if not manifest.is_signed:
            verdict = "FAIL" if args.require_signature else "ok"
            failures += args.require_signature
            print(f"{verdict} {path} {manifest.digest} unsigned")
            continue
        signers = " ".join(f"{alg}:{key_id}" for alg, key_id in manifest.signers)
        print(f"ok {path} {manifest.digest} {signers}")
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docker-schema1",
        description="Verify and inspect Docker image manifests of schema 1.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser(
        "verify",
        help="verify manifests: verdict, digest, algorithms and key ids",
        description=(
            "Verify each manifest (every signature, DESIGN section 5 and 6 rules) and print "
            "'ok PATH DIGEST ALG:KEYID...' or 'FAIL PATH: reason' (on stderr). "
            "Exit status 0 when all verify, 1 otherwise."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("files", nargs="+", metavar="FILE", help="a manifest file, or - for stdin")
    verify.add_argument(
        "--require-signature",
        action="store_true",
        help="count unsigned manifests as failures",
    )
    verify.set_defaults(run=_verify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
