from util.bytes import Bytes

from image.docker.schema1 import DockerSchema1Manifest
from image.shared import ManifestException


def schema1_children(children):
    """The children that parse as schema 1; a malformed one is skipped, as manifest lists do."""
    parsed = []
    for child in children:
        try:
            parsed.append(DockerSchema1Manifest(Bytes.for_string_or_unicode(child)))
        except ManifestException:
            continue
    return parsed
