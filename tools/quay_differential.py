"""Random differential against Quay's own module: every member, both sides in one process.

Quay is never a dependency: point ``--quay`` at a Quay tree whose interpreter has Quay's pinned
libraries (``../shared/tools/quay-reference.sh`` sets one up outside the checkout), and run this
script with that interpreter, with this package installed in it::

    /tmp/quay-ref/venv/bin/pip install .
    /tmp/quay-ref/venv/bin/python tools/quay_differential.py --quay /tmp/quay-ref/quay

Each case is a random manifest (ids, parents, ``created`` in many forms, commands, labels,
sizes, odd JSON values; a quarter signed by Quay's own builder) read by Quay's
``DockerSchema1Manifest`` and by ours. Where Quay raises something other than its
``ManifestException`` (DESIGN 4.2: those are Quay's bugs) the member is not compared; where we
raise and a rule of DESIGN 6 explains it (6.7: an id or parent that is not a string), the case is
counted apart. Every other difference is printed and counted, by member; the exit status is 1
when any remains.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

# Text `created` values: Docker's own form, other ISO forms, other date texts, junk.
CREATED = [
    "2018-08-13T19:19:53.123456789Z",
    "2018-08-13T19:19:53Z",
    "2018-08-13t19:19:53z",
    "2018-08-13 19:19:53",
    "2018-08-13T19:19:53+05:30",
    "2018-08-13T19:19:53-0700",
    "2018-08-13T19:19:53,5",
    "2018-08",
    "2018-08-13",
    "13 Aug 2018",
    "Mon, 13 Aug 2018 19:19:53 GMT",
    "2018-02-30T00:00:00Z",
    "2018-13-01T00:00:00Z",
    "1-02-03",
    "",
    "yesterday",
    "  2018-08-13T19:19:52Z ",
]
IDS = ["a", "b", "c", "d", "", "0" * 64, "é"]


def random_created(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(CREATED)
    if roll < 0.8:
        fields = [rng.randint(0, 9999), rng.randint(0, 14), rng.randint(0, 33)]
        time = [rng.randint(0, 25), rng.randint(0, 61), rng.randint(0, 61)]
        sep = rng.choice("T tZ")
        fraction = rng.choice(["", ".5", ".123456789"])
        tz = rng.choice(["", "Z", "+01:00", "-23:59", "+24:00", "UTC", "z"])
        return "{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}{}{}".format(
            *fields, sep, *time, fraction, tz
        )
    if roll < 0.9:
        return "".join(rng.choice("0123456789-:T .Z+abc") for _ in range(rng.randint(0, 30)))
    return rng.choice([None, 5, 1.5, [], {}])


def random_layer(rng: random.Random, ids: list[str]) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    if rng.random() < 0.95:
        layer["id"] = rng.choice(ids) if rng.random() < 0.9 else rng.choice([None, "", "x", [], {}])
    if rng.random() < 0.6:
        layer["parent"] = rng.choice([*ids, None, ""])
    if rng.random() < 0.9:
        layer["created"] = random_created(rng)
    for key in ("comment", "author"):
        if rng.random() < 0.3:
            layer[key] = rng.choice(["text", "", None, "<&>", "ünï"])
    if rng.random() < 0.7:
        cmd = rng.choice([["/bin/sh", "-c", "echo hi"], [], None, "echo", ["é", 1.5]])
        layer["container_config"] = {"Cmd": cmd, "Image": rng.choice(ids)}
    if rng.random() < 0.5:
        labels = rng.choice([{"a": "b"}, {}, None, {"é": "<&>"}])
        layer["config"] = {"Labels": labels}
    if rng.random() < 0.7:
        layer["Size"] = rng.choice([0, 1, 12345, None, 2**40, 1.5])
    if rng.random() < 0.2:
        layer["throwaway"] = True
    return layer


def random_manifest(rng: random.Random, quay: Any, key: Any) -> str:
    count = rng.randint(1, 5)
    ids = rng.sample(IDS, k=min(len(IDS), count + 2))
    layers = [random_layer(rng, ids) for _ in range(count)]
    name = rng.choice(["ns/repo", "repo", "a/b/c"])
    if rng.random() < 0.25:  # signed by Quay's own builder (RS256)
        namespace, _, repo = name.rpartition("/")
        builder = quay.DockerSchema1ManifestBuilder(namespace, repo, "latest", "amd64")
        for layer in layers:
            digest = f"sha256:{rng.getrandbits(256):064x}"
            builder.add_layer(digest, json.dumps(layer, ensure_ascii=rng.random() < 0.5))
        built: str = builder.build(key, ensure_ascii=rng.random() < 0.5).bytes.as_unicode()
        return built
    doc = {
        "name": name,
        "tag": rng.choice(["latest", "v1.0"]),
        "architecture": rng.choice(["amd64", "arm64"]),
        "schemaVersion": 1,
        "fsLayers": [{"blobSum": f"sha256:{rng.getrandbits(256):064x}"} for _ in layers],
        "history": [
            {"v1Compatibility": json.dumps(layer, ensure_ascii=rng.random() < 0.5)}
            for layer in layers
        ],
    }
    return json.dumps(doc, indent=3)


def design6_reason(text: str) -> str | None:
    """Why DESIGN 6 rejects what Quay reads in ``text``'s layers, if it does (6.7: an ``id``
    or ``parent`` that is present, not null and not a string)."""
    for entry in json.loads(text).get("history", []):
        layer = json.loads(entry["v1Compatibility"])
        for key in ("id", "parent"):
            if layer.get(key) is not None and not isinstance(layer[key], str):
                return f"6.7: {key} {layer[key]!r}"
    return None


def plain(value: Any) -> Any:
    """A comparable form: digests and records as strings and tuples."""
    if isinstance(value, (list, tuple)) and not isinstance(value, str):
        if hasattr(value, "_fields"):
            return tuple(plain(v) for f, v in zip(value._fields, value) if f != "internal_layer")
        return [plain(v) for v in value]
    if isinstance(value, set):
        return sorted(value, key=repr)
    if type(value).__name__ in ("Digest",):
        return str(value)
    if type(value).__name__ == "Bytes":
        return value.as_encoded_str()
    if type(value).__name__ == "DockerSchema1Manifest":
        return value.bytes.as_encoded_str()
    return value


class _Mismatch:
    def __init__(self, images: list[Any]) -> None:
        self.content_checksum = "sha256:" + "f" * 64
        self.images = images


MEMBERS: dict[str, Callable[[Any], Any]] = {
    "digest": lambda m: m.digest,
    "namespace": lambda m: m.namespace,
    "repo_name": lambda m: m.repo_name,
    "tag": lambda m: m.tag,
    "architecture": lambda m: m.architecture,
    "media_type": lambda m: m.media_type,
    "is_signed": lambda m: m.is_signed,
    "manifest_dict": lambda m: m.manifest_dict,
    "layers": lambda m: m.layers,
    "leaf_layer": lambda m: m.leaf_layer,
    "layers_compressed_size": lambda m: m.layers_compressed_size,
    "image_ids": lambda m: m.image_ids,
    "legacy_image_ids": lambda m: m.legacy_image_ids,
    "parent_image_ids": lambda m: m.parent_image_ids,
    "checksums": lambda m: sorted(m.checksums),
    "blob_digests": lambda m: list(m.blob_digests),
    "local_blob_digests": lambda m: list(m.local_blob_digests),
    "get_blob_digests_for_translation": lambda m: m.get_blob_digests_for_translation(),
    "created_datetime": lambda m: m.created_datetime,
    "get_layers": lambda m: list(m.get_layers(None)),
    "leaf_layer_v1_image_id": lambda m: m.leaf_layer_v1_image_id,
    "get_manifest_labels": lambda m: m.get_manifest_labels(None),
    "validate": lambda m: m.validate(None),
    "rewrite_invalid_image_ids({})": lambda m: list(m.rewrite_invalid_image_ids({})),
    "rewrite_invalid_image_ids(base mismatched)": lambda m: list(
        m.rewrite_invalid_image_ids({m.layers[0].v1_metadata.image_id: _Mismatch([])})
    ),
    "unsigned": lambda m: m.unsigned(),
    "with_tag_name": lambda m: m.with_tag_name("other"),
    "convert_manifest": lambda m: m.convert_manifest(
        ["application/vnd.docker.distribution.manifest.v1+json"], "ns", "repo", "tag", None
    ),
}


def outcome(call: Callable[..., Any], arg: Any, errors: tuple[type, ...]) -> tuple[str, Any]:
    """``("value", result)``, ``("manifest-error", class name)`` or ``("other-error", ...)``."""
    try:
        return "value", plain(call(arg))
    except errors as error:
        return "manifest-error", type(error).__name__
    except Exception as error:  # Quay's leaks (DESIGN 4.2)
        return "other-error", type(error).__name__


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quay", required=True, help="a Quay tree (image/, digest/, util/)")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="differences printed per member")
    args = parser.parse_args()

    sys.path.insert(0, args.quay)
    from app import docker_v2_signing_key  # type: ignore[import-not-found]
    from image.docker import schema1 as quay  # type: ignore[import-not-found]
    from image.shared import ManifestException as QuayError  # type: ignore[import-not-found]
    from util.bytes import Bytes  # type: ignore[import-not-found]

    import docker_schema1 as ours

    errors = (QuayError, ours.ManifestException)
    rng = random.Random(args.seed)
    differ: Counter[str] = Counter()
    design6: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    cases_differing = 0
    compared = 0
    signed = 0
    for case in range(args.cases):
        text = random_manifest(rng, quay, docker_v2_signing_key)
        theirs = outcome(quay.DockerSchema1Manifest, Bytes.for_string_or_unicode(text), errors)
        mine = outcome(ours.DockerSchema1Manifest, text, errors)
        if theirs[0] != "value" or mine[0] != "value":
            if theirs[0] != mine[0] and theirs[0] != "other-error":
                differ["constructor"] += 1
                print(f"case {case}: constructor: Quay {theirs}, ours {mine}")
            continue
        q_manifest = quay.DockerSchema1Manifest(Bytes.for_string_or_unicode(text))
        o_manifest = ours.DockerSchema1Manifest(text)
        compared += 1
        deliberate = design6_reason(text)
        signed += o_manifest.is_signed
        case_differs = False
        for member, get in MEMBERS.items():
            expected = outcome(get, q_manifest, errors)
            got = outcome(get, o_manifest, errors)
            if expected[0] == "other-error":
                skipped[member] += 1
                continue
            same = expected == got or (
                expected[0] == got[0] == "manifest-error"  # class names differ only by module
            )
            if not same and got[0] == "manifest-error" and deliberate:
                design6[member] += 1  # a rule of DESIGN 6 that Quay does not have
            elif not same:
                differ[member] += 1
                case_differs = True
                if differ[member] <= args.show:
                    print(f"case {case}: {member}: Quay {expected!r}\n    ours {got!r}")
        cases_differing += case_differs
    print(
        f"\n{args.cases} cases, {compared} read by both sides and compared member by member, "
        f"{cases_differing} with a difference"
    )
    for member, count in differ.most_common():
        print(f"  differ  {member}: {count}")
    print(f"  signed cases: {signed}")
    for member, count in design6.most_common():
        print(f"  DESIGN 6 {member}: {count} (rejected on purpose: an id or parent not a string)")
    for member, count in skipped.most_common():
        print(f"  skipped {member}: {count} (Quay raised a non-ManifestException)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
