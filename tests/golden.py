"""Reading and judging the records of ../shared/vectors/quay-golden (see its README.md).

Each record pins what Quay's Python 3 module did. Where DESIGN section 6 makes us stricter,
or where Quay leaked a foreign exception (section 4.2), the expectation is rewritten here by
rule, from the input itself, never by record id.
"""

from __future__ import annotations

import base64
import json
import math
from datetime import datetime, timezone
from typing import Any, Callable

from docker_schema1 import (
    Digest,
    DockerSchema1Manifest,
    DockerSchema1ManifestBuilder,
    InvalidSchema1Signature,
    MalformedSchema1Manifest,
    ManifestException,
)

from .conftest import shared_path

EITHER = (MalformedSchema1Manifest, InvalidSchema1Signature)

#: The signing time and key of every signed record (the `meta` record).
SIGNING_TIME = datetime(2019, 2, 20, 12, 0, 0, tzinfo=timezone.utc)
#: The libtrust key id of that key, as the README of the vectors gives it.
GOLDEN_KEY_ID = "GZPQ:GQ2L:JHD2:YKIB:QHAS:CL2K:UJVH:TALW:HNA7:FYJC:TTQW:RRYH"


def golden_key() -> dict[str, Any]:
    key: dict[str, Any] = json.loads(
        shared_path("vectors", "quay-golden", "test_rsa_key.jwk.json").read_text()
    )
    return key


def records(kind: str) -> list[dict[str, Any]]:
    path = shared_path("vectors", "quay-golden", "vectors.jsonl")
    with path.open() as f:
        return [r for r in map(json.loads, f) if r["kind"] == kind]


def b64(text: str) -> bytes:
    return base64.b64decode(text)


def encode(value: Any) -> Any:
    """A result in the records' conventions (README section 1)."""
    if isinstance(value, float) and not math.isfinite(value):
        return {
            "$float": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        }
    if isinstance(value, (set, frozenset)):
        return sorted((encode(v) for v in value), key=lambda v: json.dumps(v))
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Digest):
        return str(value)
    if isinstance(value, bytes):
        return {"$bytes_b64": base64.b64encode(value).decode()}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: encode(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def same(actual: Any, expected: Any) -> bool:
    """Equal, and of the same JSON type all the way down (1 is not 1.0 nor True)."""
    if type(actual) is not type(expected):
        return False
    if isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            same(actual[k], expected[k]) for k in actual
        )
    if isinstance(actual, list):
        return len(actual) == len(expected) and all(map(same, actual, expected))
    return bool(actual == expected)


def _layer_summary(m: DockerSchema1Manifest) -> list[dict[str, Any]]:
    out = []
    for layer in m.layers:
        md = layer.v1_metadata
        out.append(
            {
                "digest": str(layer.digest),
                "image_id": md.image_id,
                "parent_image_id": md.parent_image_id,
                "created": md.created,
                "comment": md.comment,
                "command": md.command,
                "author": md.author,
                "labels": md.labels,
                "compressed_size": layer.compressed_size,
                "raw_v1_metadata": layer.raw_v1_metadata,
            }
        )
    return out


def _get_layers(m: DockerSchema1Manifest) -> list[dict[str, Any]]:
    out = []
    for item in m.get_layers(None):
        fields = item._asdict()
        del fields["internal_layer"]
        fields["blob_digest"] = str(fields["blob_digest"])
        out.append(fields)
    return out


def _bytes_and_digest(m: DockerSchema1Manifest) -> dict[str, Any]:
    return {
        "bytes_b64": base64.b64encode(m.bytes.as_encoded_str()).decode(),
        "digest": m.digest,
    }


def _unsigned(m: DockerSchema1Manifest) -> dict[str, Any]:
    u = m.unsigned()
    return {**_bytes_and_digest(u), "is_same_object": u is m, "media_type": u.media_type}


def _metadata_removed(m: DockerSchema1Manifest) -> dict[str, Any]:
    builder = DockerSchema1ManifestBuilder(m.namespace, m.repo_name, m.tag, m.architecture)
    for layer in reversed(m.layers):
        builder.add_layer(str(layer.digest), layer.raw_v1_metadata)
    return _bytes_and_digest(builder.with_metadata_removed().build())


MEMBERS: dict[str, Callable[[DockerSchema1Manifest], Any]] = {
    "is_signed": lambda m: m.is_signed,
    "content_type": lambda m: m.content_type,
    "media_type": lambda m: m.media_type,
    "schema_version": lambda m: m.schema_version,
    "is_manifest_list": lambda m: m.is_manifest_list,
    "is_image_manifest": lambda m: m.is_image_manifest,
    "has_legacy_image": lambda m: m.has_legacy_image,
    "namespace": lambda m: m.namespace,
    "repo_name": lambda m: m.repo_name,
    "tag": lambda m: m.tag,
    "architecture": lambda m: m.architecture,
    "signature_count": lambda m: None if m.signatures is None else len(m.signatures),
    "digest": lambda m: m.digest,
    "layers": _layer_summary,
    "get_layers": _get_layers,
    "image_ids": lambda m: m.image_ids,
    "parent_image_ids": lambda m: m.parent_image_ids,
    "legacy_image_ids": lambda m: m.legacy_image_ids,
    "checksums_sorted": lambda m: sorted(m.checksums),
    "blob_digests": lambda m: m.blob_digests,
    "local_blob_digests": lambda m: m.local_blob_digests,
    "blob_digests_for_translation": lambda m: m.get_blob_digests_for_translation(),
    "leaf_layer_v1_image_id": lambda m: m.leaf_layer_v1_image_id,
    "created_datetime": lambda m: m.created_datetime,
    "layers_compressed_size": lambda m: m.layers_compressed_size,
    "manifest_labels": lambda m: m.get_manifest_labels(None),
    "validate_parents": lambda m: m.validate(None),
    "unsigned": _unsigned,
    "with_tag_name_other": lambda m: _bytes_and_digest(m.with_tag_name("other")),
    "with_tag_name_other_signed": lambda m: _bytes_and_digest(
        m.with_tag_name("other", golden_key(), signing_time=SIGNING_TIME)
    ),
    "metadata_removed_via_unsigned_builder": _metadata_removed,
    "rewrite_empty_map": lambda m: list(m.rewrite_invalid_image_ids({})),
}


def expected_error(error: dict[str, Any], lazy: bool) -> tuple[type[Exception], ...]:
    """Our class for an error Quay raised (README section 3, 'Which class is expected')."""
    name, message = error["$error"], error.get("message", "")
    if name == "MalformedSchema1Manifest":
        return (MalformedSchema1Manifest,)
    if name == "InvalidSchema1Signature":
        return (InvalidSchema1Signature,)
    if name == "ManifestException":
        return (ManifestException,)
    if lazy:
        # Leaks from layer metadata and structure, read lazily.
        return (MalformedSchema1Manifest,)
    if (
        "formatLength" in message
        or "formatTail" in message
        or name in ("JSONDecodeError", "TypeError")
    ):
        return EITHER  # what rebuilds the payload
    if name == "AttributeError":
        return (MalformedSchema1Manifest,)  # non-UTF-8 bytes given to for_string_or_unicode
    return (InvalidSchema1Signature,)  # alg, jwk, signature value, crit


def contract_rejection(data: bytes, validate: bool) -> tuple[type[Exception], ...] | None:
    """The error DESIGN section 6 gives where Quay accepted the input, else None."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict):
        return None
    fs_layers, history = doc.get("fsLayers"), doc.get("history")
    if isinstance(fs_layers, list) and isinstance(history, list) and len(fs_layers) != len(history):
        return (MalformedSchema1Manifest,)  # 6.4
    signatures = doc.get("signatures")
    if signatures == []:
        return EITHER  # 6.4
    if not isinstance(signatures, list) or not signatures:
        return None
    try:
        protected = json.loads(base64.urlsafe_b64decode(signatures[0]["protected"] + "=="))
        length = protected["formatLength"]
    except Exception:
        return None
    if isinstance(length, bool) or not isinstance(length, (int, float)):
        return None
    if length != int(length) or not 1 <= length <= len(data):
        return EITHER  # 6.2, with validate=False too
    if validate:
        algs = [str(s.get("header", {}).get("alg", "")) for s in signatures if isinstance(s, dict)]
        if any(a.lower() == "none" or a.upper().startswith("HS") for a in algs):
            return (InvalidSchema1Signature,)  # 6.1
    return None


#: The members that read the layers: each raises when a layer breaks DESIGN 6.7 or 6.8.
LAYER_MEMBERS = frozenset(
    {
        "layers",
        "get_layers",
        "image_ids",
        "parent_image_ids",
        "legacy_image_ids",
        "checksums_sorted",
        "blob_digests",
        "local_blob_digests",
        "blob_digests_for_translation",
        "leaf_layer_v1_image_id",
        "created_datetime",
        "layers_compressed_size",
        "manifest_labels",
        "validate_parents",
        "with_tag_name_other",
        "with_tag_name_other_signed",
        "metadata_removed_via_unsigned_builder",
        "rewrite_empty_map",
    }
)

#: The keys the layer model reads, by the object they are in (DESIGN 6.8).
MODEL_KEYS = {
    None: ("id", "parent", "created", "comment", "container_config", "author", "config", "Size"),
    "container_config": ("Cmd",),
    "config": ("Labels",),
}


def _go_fold(key: str) -> str | None:
    """``key`` under Go's ``strings.EqualFold`` when it can equal an ASCII name, else None."""
    folded = key.replace("\u212a", "k").replace("\u017f", "s")
    return folded.lower() if folded.isascii() else None


def _miscased(obj: dict[str, Any], names: tuple[str, ...]) -> bool:
    return any(key != name and _go_fold(key) == name.lower() for key in obj for name in names)


def layer_rule_violation(data: bytes) -> bool:
    """Whether a v1Compatibility entry has an id or parent that is neither a string nor null
    (DESIGN 6.7) or a key the layer model reads in another case (6.8): Quay reads such layers,
    we reject them when the layers are read."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return False
    history = doc.get("history") if isinstance(doc, dict) else None
    for entry in history if isinstance(history, list) else []:
        try:
            md = json.loads(entry["v1Compatibility"])
        except (ValueError, TypeError, KeyError, RecursionError):
            continue
        if not isinstance(md, dict):
            continue
        if any(md.get(k) is not None and not isinstance(md[k], str) for k in ("id", "parent")):
            return True
        for member, names in MODEL_KEYS.items():
            obj = md if member is None else md.get(member)
            if isinstance(obj, dict) and _miscased(obj, names):
                return True
    return False


def check_summary(m: DockerSchema1Manifest, summary: dict[str, Any], data: bytes) -> list[str]:
    """Compare every member the summary holds; return the differences."""
    problems = []
    broken_layers = layer_rule_violation(data)
    for member, expected in summary.items():
        compute = MEMBERS[member]
        if broken_layers and (member in LAYER_MEMBERS or (member == "unsigned" and m.is_signed)):
            try:
                value = compute(m)
            except MalformedSchema1Manifest:
                continue
            except Exception as e:  # a foreign class is a bug
                problems.append(f"{member}: raised {type(e).__name__}: {e}, want Malformed")
                continue
            problems.append(
                f"{member}: returned {value!r}, want MalformedSchema1Manifest (6.7/6.8)"
            )
            continue
        if isinstance(expected, dict) and "$error" in expected:
            classes = expected_error(expected, lazy=True)
            try:
                value = compute(m)
            except classes:
                continue
            except Exception as e:  # a foreign class is a bug
                problems.append(f"{member}: raised {type(e).__name__}: {e}, want {classes}")
                continue
            problems.append(f"{member}: returned {value!r}, want {classes}")
            continue
        try:
            actual = encode(compute(m))
        except Exception as e:
            problems.append(f"{member}: raised {type(e).__name__}: {e}")
            continue
        if not same(actual, expected):
            problems.append(f"{member}: {actual!r} != {expected!r}")
    problems += check_unrecorded(m, data)
    return problems


def check_unrecorded(m: DockerSchema1Manifest, data: bytes) -> list[str]:
    """Members Quay does not record but whose values follow from its behaviour."""
    problems = []
    constants = {
        "artifact_type": m.artifact_type,
        "subject": m.subject,
        "config": m.config,
        "config_media_type": m.config_media_type,
        "child_manifests": m.child_manifests(None),
    }
    problems += [f"{k} is {v!r}" for k, v in constants.items() if v is not None]
    if m.get_requires_empty_layer_blob(None) is not False:
        problems.append("get_requires_empty_layer_blob is not False")
    if m.get_schema1_manifest("n", "r", "t", None) is not m:
        problems.append("get_schema1_manifest is not self")
    own, unsigned_type = m.media_type, "application/vnd.docker.distribution.manifest.v1+json"
    if m.convert_manifest([own], "n", "r", "t", None) is not m:
        problems.append("convert_manifest([own media type]) is not self")
    try:  # both rebuild the layers when m is signed: broken layers raise as unsigned() does
        if m.convert_manifest([], "n", "r", "t", None) is not None:
            problems.append("convert_manifest([]) is not None")
        converted = m.convert_manifest([unsigned_type], "n", "r", "t", None)
        if converted is None or converted.bytes != m.unsigned().bytes:
            problems.append("convert_manifest([v1+json]) differs from unsigned()")
    except MalformedSchema1Manifest:
        pass  # the layers are broken: unsigned() raises the same
    if m.bytes.as_encoded_str() != data:
        problems.append("bytes changed")
    if not same(encode(m.manifest_dict), encode(json.loads(data))):
        problems.append("manifest_dict differs from json.loads")
    if m.manifest_json is not m.manifest_dict:
        problems.append("manifest_json is not manifest_dict")
    try:
        layers = m.layers
    except MalformedSchema1Manifest:
        return problems
    if m.filesystem_layers != layers:
        problems.append("filesystem_layers != layers")
    try:
        if m.get_legacy_image_ids(None) != m.legacy_image_ids:
            problems.append("get_legacy_image_ids differs")
        if layers and m.get_leaf_layer_v1_image_id(None) != m.leaf_layer_v1_image_id:
            problems.append("get_leaf_layer_v1_image_id differs")
    except MalformedSchema1Manifest:
        pass
    return problems
