"""The commands that leave schema 1: ``convert`` (a manifest and its blobs on disk) and
``migrate`` (registry to registry)."""

from __future__ import annotations

import argparse
import sys

from .command import EXIT_STATUS, PROG, Commands
from .diagnose import read_manifest
from .output import attempt
from .sources import read_one

__all__ = ["register"]

CONVERT_DESCRIPTION = """\
Convert a schema 1 image to schema 2 (--format v2s2, written as skopeo's dir: layout) or OCI
(--format oci, an OCI image layout whose index.json names the tag), byte for byte as
`skopeo copy --format v2s2|oci` does. Every blob is checked against its digest; the new
manifest digest is printed."""

CONVERT_EPILOG = f"""\
examples:
  {PROG} convert manifest.json --blobs blobs/ -o out/                # skopeo's dir: layout
  {PROG} convert manifest.json --blobs blobs/ --format oci -o oci/   # an OCI image layout

{EXIT_STATUS}
"""

MIGRATE_DESCRIPTION = """\
Pull the schema 1 image SRC_REF from its registry, check every blob against its digest while
computing its diff ID, convert it as `skopeo copy --format v2s2|oci` does, and push the layers
(mounted from SRC_REF's repository when both are on one registry), the config and the new
manifest to DST_REF; prints the new manifest digest. --dry-run prints what would be pushed.
Credentials: --src-creds / --dest-creds USER:PASSWORD, else ~/.docker/config.json. Needs the
cli extra (pip install 'docker-schema1[cli]')."""

MIGRATE_EPILOG = f"""\
examples:
  {PROG} migrate registry.example/team/app:1.0 registry.example/team/app:1.0-v2s2
  {PROG} migrate --format oci --dry-run SRC_REF DST_REF

{EXIT_STATUS}
"""


def _convert(args: argparse.Namespace) -> int:
    from ..layout import convert_to_layout

    data = attempt(args.file, lambda: read_one(args.file, args.opener))
    manifest = attempt(args.file, lambda: read_manifest(data, validate=True))
    oci = args.format == "oci"
    image = attempt(
        args.file, lambda: convert_to_layout(manifest, args.blobs, args.output, oci, args.tag)
    )
    print(image.manifest_digest)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from ..migrate import migrate

    def log(line: str) -> None:
        print(line, file=sys.stdout if args.dry_run else sys.stderr)

    result = attempt(
        args.source,
        lambda: migrate(
            args.source,
            args.destination,
            oci=args.format == "oci",
            dry_run=args.dry_run,
            src_creds=args.src_creds,
            dest_creds=args.dest_creds,
            insecure=args.insecure,
            log=log,
        ),
    )
    print(result.image.manifest_digest)
    return 0


def register(commands: Commands) -> None:
    convert = commands.add(
        "convert",
        "convert a manifest and its blobs to a schema 2 or OCI image, as skopeo does",
        CONVERT_DESCRIPTION,
        CONVERT_EPILOG,
        _convert,
    )
    convert.add_argument("file", metavar="MANIFEST", help="a schema 1 manifest file")
    convert.add_argument(
        "--blobs", required=True, metavar="DIR", help="the blobs, as files named by hex digest"
    )
    convert.add_argument("--format", choices=["v2s2", "oci"], default="v2s2")
    convert.add_argument("--tag", help="the tag index.json names (oci; default: the manifest's)")
    convert.add_argument("-o", "--output", required=True, metavar="OUT", help="directory to write")

    migrate = commands.add(
        "migrate",
        "pull a schema 1 image, convert it as skopeo does, push it as schema 2 or OCI",
        MIGRATE_DESCRIPTION,
        MIGRATE_EPILOG,
        _migrate,
    )
    migrate.add_argument("source", metavar="SRC_REF", help="HOST[:PORT]/NAME[:TAG|@DIGEST]")
    migrate.add_argument("destination", metavar="DST_REF", help="HOST[:PORT]/NAME[:TAG]")
    migrate.add_argument("--format", choices=["v2s2", "oci"], default="v2s2")
    migrate.add_argument("--dry-run", action="store_true", help="pull and convert, push nothing")
    migrate.add_argument("--src-creds", metavar="USER:PASS", help="credentials for SRC_REF")
    migrate.add_argument("--dest-creds", metavar="USER:PASS", help="credentials for DST_REF")
    migrate.add_argument(
        "--insecure",
        action="store_true",
        help="do not verify TLS certificates; allow plain http to any registry",
    )
