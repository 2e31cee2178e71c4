"""The commands that write manifests: ``sign``, ``unsigned``, ``retag`` and
``strip-metadata``."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from ..builder import DockerSchema1ManifestBuilder
from ..errors import ManifestException
from ..manifest import DockerSchema1Manifest
from ..signing import sign_manifest
from .command import EXIT_STATUS, PROG, Commands
from .diagnose import read_manifest
from .output import Failure, attempt, write_output
from .sources import Opener, read_one

__all__ = ["TAG", "register"]

#: A tag, as the distribution reference grammar has it.
TAG = re.compile(r"[\w][\w.-]{0,127}", re.ASCII)

KEY_FORMS = """\
KEY is a private key file in PEM (PKCS#1, PKCS#8 or SEC1), DER or JWK (JSON) form. RSA keys
sign RS256; EC keys ES256, ES384 or ES512 by curve (P-256, P-384, P-521)."""

SIGN_DESCRIPTION = f"""\
Sign a manifest as libtrust does: the bytes given are signed as they are, so the payload and
the digest do not change. A JWS signature over the payload (its formatLength and formatTail
taken from the document) is spliced in before the closing brace. An already signed manifest is
verified, and its payload signed: its signatures are replaced, or kept with --append (all then
sign the same payload). A manifest that does not verify is refused.

--rebuild writes what Quay's builder writes instead: the manifest rebuilt from its layers
(name, tag and architecture kept), 3-space indented, non-ASCII characters \\u-escaped unless
--utf8 is given; its digest is the rebuilt document's, which differs from the input's unless
the input was written that way.

{KEY_FORMS}"""

SIGN_EPILOG = f"""\
examples:
  {PROG} sign --key key.pem manifest.json > signed.json      # the digest is kept
  {PROG} sign --append --key second.jwk signed.json -o two-signatures.json
  {PROG} sign --rebuild --key key.jwk --utf8 - -o signed.json < manifest.json

{EXIT_STATUS}
"""

UNSIGNED_DESCRIPTION = """\
Write the manifest without signatures, as Quay's unsigned() does: an unsigned manifest as it
is, byte for byte; a signed one rebuilt from its layers (as registries rebuild it, 3-space
indented, non-ASCII \\u-escaped). The digest of a rebuilt manifest is the rebuilt document's:
it stays the signed manifest's only when the signed payload was written exactly that way (as
Quay's builder writes it); otherwise it changes. 'payload' writes the signed bytes themselves,
digest kept. The input is verified first; a manifest that does not verify is refused."""

UNSIGNED_EPILOG = f"""\
examples:
  {PROG} unsigned signed.json > unsigned.json
  {PROG} unsigned signed.json -o unsigned.json && {PROG} digest unsigned.json
  {PROG} payload signed.json > payload.json         # the digest kept

{EXIT_STATUS}
"""

RETAG_DESCRIPTION = f"""\
Write the manifest under another tag: its layers rebuilt with the tag T (name and architecture
kept), signed with KEY when given, unsigned otherwise (a new tag voids the old signatures). T
must be a tag of the distribution reference grammar: up to 128 letters, digits, '_', '.' and
'-', not starting with '.' or '-'. The input is verified first; a manifest that does not
verify is refused.

{KEY_FORMS}"""

RETAG_EPILOG = f"""\
examples:
  {PROG} retag --tag 2.0 manifest.json > unsigned-2.0.json
  {PROG} retag --tag 2.0 --key key.pem manifest.json -o signed-2.0.json

{EXIT_STATUS}
"""

STRIP_DESCRIPTION = f"""\
Write the manifest with its layers' v1 metadata reduced, as registries do before converting
it: every layer but the leaf keeps only id, parent, created, author, comment, Size and
container_config.Cmd; blob digests and every layer's id are kept. The metadata is rewritten as
canonical JSON (non-ASCII \\u-escaped). The result is signed with KEY when given, unsigned
otherwise. The input is verified first; a manifest that does not verify is refused.

{KEY_FORMS}"""

STRIP_EPILOG = f"""\
examples:
  {PROG} strip-metadata manifest.json > stripped.json
  {PROG} strip-metadata --key key.pem manifest.json -o stripped.json

{EXIT_STATUS}
"""


def _load(args: argparse.Namespace) -> tuple[bytes, DockerSchema1Manifest]:
    """The bytes of the input and the manifest they hold, parsed and verified."""
    path = args.file
    data = attempt(path, lambda: read_one(path, args.opener))
    return data, attempt(path, lambda: read_manifest(data, validate=True))


def _read_key(path: str | None) -> bytes | None:
    if path is None:
        return None
    return attempt(path, lambda: read_one(path, Opener()))


def _builder(manifest: DockerSchema1Manifest) -> DockerSchema1ManifestBuilder:
    """A builder holding ``manifest``'s layers, leaf first, under its name, tag and arch."""
    builder = DockerSchema1ManifestBuilder(
        manifest.namespace, manifest.repo_name, manifest.tag, manifest.architecture
    )
    for layer in reversed(manifest.layers):
        builder.add_layer(str(layer.digest), layer.raw_v1_metadata)
    return builder


def _with_key(manifest_path: str, key_path: str | None, action: Callable[[], bytes]) -> bytes:
    """The bytes ``action`` writes. A ``ValueError`` that is no manifest error is the key's
    fault (unusable key), so is reported on ``key_path``."""
    try:
        return action()
    except ManifestException as e:
        raise Failure(manifest_path, e) from e
    except ValueError as e:
        if key_path is None:
            raise Failure(manifest_path, e) from e
        raise Failure(key_path, e, note="unusable key") from e
    except Exception as e:
        raise Failure(manifest_path, e) from e


def _bytes(manifest: DockerSchema1Manifest) -> bytes:
    data: bytes = manifest.bytes.as_encoded_str()
    return data


def _sign(args: argparse.Namespace) -> int:
    key = _read_key(args.key)
    assert key is not None
    data, manifest = _load(args)
    if args.rebuild:
        built = _with_key(
            args.file,
            args.key,
            lambda: _bytes(_builder(manifest).build(key, ensure_ascii=not args.utf8)),
        )
    else:
        built = _with_key(args.file, args.key, lambda: sign_manifest(data, key, args.append))
    write_output(built, args.output)
    return 0


def _unsigned(args: argparse.Namespace) -> int:
    _, manifest = _load(args)
    write_output(_with_key(args.file, None, lambda: _bytes(manifest.unsigned())), args.output)
    return 0


def _tag(value: str) -> str:
    if not TAG.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a valid tag (up to 128 of A-Z a-z 0-9 _ . -, "
            "not starting with . or -)"
        )
    return value


def _retag(args: argparse.Namespace) -> int:
    key = _read_key(args.key)
    _, manifest = _load(args)
    data = _with_key(args.file, args.key, lambda: _bytes(manifest.with_tag_name(args.tag, key)))
    write_output(data, args.output)
    return 0


def _strip_metadata(args: argparse.Namespace) -> int:
    key = _read_key(args.key)
    _, manifest = _load(args)
    data = _with_key(
        args.file,
        args.key,
        lambda: _bytes(_builder(manifest).with_metadata_removed().build(key)),
    )
    write_output(data, args.output)
    return 0


def register(commands: Commands) -> None:
    sign = commands.add(
        "sign",
        "sign a manifest's bytes with a key (the digest kept)",
        SIGN_DESCRIPTION,
        SIGN_EPILOG,
        _sign,
    )
    sign.add_argument(
        "--key", required=True, metavar="KEY", help="private key file: PEM, DER or JWK (JSON)"
    )
    commands.one_input(sign)
    how = sign.add_mutually_exclusive_group()
    how.add_argument(
        "--append",
        action="store_true",
        help="keep the signatures of a signed manifest and add this one",
    )
    how.add_argument(
        "--rebuild",
        action="store_true",
        help="rebuild the manifest from its layers as Quay's builder does, then sign it",
    )
    sign.add_argument(
        "--utf8",
        action="store_true",
        help="with --rebuild: write non-ASCII characters as UTF-8, not \\u escapes",
    )
    commands.output(sign)

    unsigned = commands.add(
        "unsigned",
        "write a manifest without its signatures (as Quay does)",
        UNSIGNED_DESCRIPTION,
        UNSIGNED_EPILOG,
        _unsigned,
    )
    commands.one_input(unsigned)
    commands.output(unsigned)

    retag = commands.add(
        "retag", "write a manifest under another tag", RETAG_DESCRIPTION, RETAG_EPILOG, _retag
    )
    retag.add_argument("--tag", required=True, type=_tag, metavar="T", help="the new tag")
    retag.add_argument("--key", metavar="KEY", help="sign with this private key file")
    commands.one_input(retag)
    commands.output(retag)

    strip = commands.add(
        "strip-metadata",
        "write a manifest with its layers' v1 metadata reduced",
        STRIP_DESCRIPTION,
        STRIP_EPILOG,
        _strip_metadata,
    )
    commands.one_input(strip)
    strip.add_argument("--key", metavar="KEY", help="sign with this private key file")
    commands.output(strip)
