"""Times Quay's own ``image/docker/schema1.py`` on the bench's corpus (run by ``bench.py --quay``).

    QUAY_PYTHON quay_worker.py QUAY_SOURCE SPEC.json

Runs in Quay's interpreter (its venv, its pinned libraries) and imports nothing of this package:
``SPEC.json`` (written by ``bench.py``) lists the operations, each with the file of its manifest
or builder layers, and the time budget. Prints one JSON object: operation id -> median us.

Quay's JOSE library (authlib) refuses signed payloads over 256,000 base64 characters; the worker
lifts that cap in its own process so that the 2 MB manifests can be timed at all.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from timing import median_us  # benches/timing.py: the same loop as bench.py


class _Image:
    def __init__(self, content_checksum: str) -> None:
        self.content_checksum = content_checksum


def lift_payload_cap() -> None:
    import binascii

    from authlib.common.encoding import urlsafe_b64decode
    from authlib.jose import util
    from authlib.jose.rfc7515 import jws

    def extract_segment(segment: Any, error_cls: Any, name: str = "payload") -> Any:
        try:
            return urlsafe_b64decode(segment)
        except (TypeError, binascii.Error) as exc:
            raise error_cls(f"Invalid {name} padding") from exc

    util.extract_segment = extract_segment
    jws.extract_segment = extract_segment  # type: ignore[attr-defined]


def main() -> None:
    quay_dir, spec_path = sys.argv[1], sys.argv[2]
    sys.path.insert(0, quay_dir)
    lift_payload_cap()
    from authlib.jose import JsonWebKey
    from image.docker.schema1 import DockerSchema1Manifest, DockerSchema1ManifestBuilder
    from image.shared.schemautil import to_canonical_json
    from util.bytes import Bytes

    with open(spec_path) as f:
        spec = json.load(f)
    budget = spec["budget"]
    results: dict[str, float] = {}
    for op in spec["ops"]:
        kind = op["kind"]
        with open(op["file"], "rb") as f:
            raw = f.read()
        call: Callable[[], Any]
        if kind == "build_sign":
            layers = json.loads(raw)
            with open(op["key"], "rb") as f:
                key = JsonWebKey.import_key(f.read())
            builder = DockerSchema1ManifestBuilder("bench", "image", "latest")
            for digest, v1 in layers:
                builder.add_layer(digest, v1)

            def call(builder: Any = builder, key: Any = key) -> Any:
                return builder.build(key)

            results[op["id"]] = median_us(call, budget)
            continue
        data = Bytes.for_string_or_unicode(raw)
        parsed = DockerSchema1Manifest(data, validate=False)
        if kind == "construct":

            def call(data: Any = data) -> Any:
                return DockerSchema1Manifest(data).digest

        elif kind == "layers":

            def call(parsed: Any = parsed) -> Any:
                parsed._layers = None
                return parsed.layers

        elif kind == "get_layers":

            def call(parsed: Any = parsed) -> Any:
                parsed._layers = None
                return list(parsed.get_layers(None))

        elif kind in ("rewrite_none", "rewrite_mismatch"):
            images = {}
            if kind == "rewrite_mismatch":
                images[parsed.layers[0].v1_metadata.image_id] = _Image("sha256:mismatch")

            def call(parsed: Any = parsed, images: Any = images) -> Any:
                return list(parsed.rewrite_invalid_image_ids(images))

        elif kind == "canonical":
            value = json.loads(parsed.layers[-1].raw_v1_metadata)

            def call(value: Any = value) -> Any:
                return to_canonical_json(value)

        elif kind == "unsigned":

            def call(parsed: Any = parsed) -> Any:
                return parsed.unsigned()

        else:
            raise SystemExit(f"unknown operation kind {kind!r}")
        results[op["id"]] = median_us(call, budget)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
