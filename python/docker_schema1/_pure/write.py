"""The write path: Quay's builder document, ``metadata_removed``, the image-id rewrite and
the digest history."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import MalformedSchema1Manifest

if TYPE_CHECKING:
    pass

from .common import _b64url_encode, _loads_limited, _malformed, _type_name
from .keys import _Signer, _signer
from .layers import _canonical_json


def _write_document(document: dict[str, Any], ensure_ascii: bool) -> bytes:
    """``json.dumps(document, indent=3)`` as UTF-8, as Quay's builder writes it."""
    try:
        text = json.dumps(document, indent=3, ensure_ascii=ensure_ascii)
    except (TypeError, ValueError, RecursionError) as exc:
        _malformed(f"the manifest cannot be written as JSON: {exc}")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        _malformed(
            f"the manifest holds a lone surrogate (U+{ord(exc.object[exc.start]):04X}), "
            "which UTF-8 cannot encode (ensure_ascii=True escapes it)"
        )


def _build_manifest(
    document: dict[str, Any], ensure_ascii: bool, key: bytes | None, signing_time: str
) -> bytes:
    payload = _write_document(document, ensure_ascii)
    if key is None:
        return payload
    signer = _signer(key)
    split = payload.rfind(b"\n}")
    if split < 1:
        _malformed("the manifest has no closing brace on a line of its own, so it cannot be signed")
    block = _signature_block(signer, payload, split, signing_time)
    return _write_document({**document, "signatures": [block]}, ensure_ascii)


def _signature_block(
    signer: _Signer, payload: bytes, length: int, signing_time: str
) -> dict[str, Any]:
    """libtrust's signature block over ``payload``, whose first ``length`` bytes stay in the
    document (the rest is the protected header's formatTail)."""
    header = {
        "formatTail": _b64url_encode(payload[length:]).decode("ascii"),
        "formatLength": length,
        "time": signing_time,
    }
    protected = _b64url_encode(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    signature = signer.sign(protected + b"." + _b64url_encode(payload))
    return {
        "header": {"jwk": signer.public_jwk(), "alg": signer.alg},
        "signature": _b64url_encode(signature).decode("ascii"),
        "protected": protected.decode("ascii"),
    }


#: What ``with_metadata_removed()`` keeps of a non-leaf layer after its id, in this order.
_KEPT_MEMBERS = ("parent", "created", "author", "comment", "Size")


def _metadata_removed_entry(index: int, entry: Any) -> str:
    def fail(message: str) -> NoReturn:
        raise MalformedSchema1Manifest(f"layer {index}: {message}")

    try:
        md = _loads_limited(entry)
    except ValueError as exc:
        fail(f"v1Compatibility is not JSON: {exc}")
    if index == 0:  # the leaf keeps everything
        fixed = md
    else:
        if not isinstance(md, dict):
            fail(f"v1Compatibility is {_type_name(md)}, not an object, so it has no id")
        if "id" not in md:
            fail("id field missing from v1Compatibility JSON")
        fixed = {"id": md["id"]}
        for member in _KEPT_MEMBERS:
            if member in md:
                fixed[member] = md[member]
        # Python's `"Cmd" in md.get("container_config", {})`, then `[...]["Cmd"]`.
        container_config = md.get("container_config", {})
        if isinstance(container_config, dict):
            if "Cmd" in container_config:
                fixed["container_config"] = {"Cmd": container_config["Cmd"]}
        elif isinstance(container_config, (list, str)):
            if "Cmd" in container_config:
                kind = _type_name(container_config)
                fail(f"container_config is {kind} holding 'Cmd', not an object")
        else:
            fail(f"container_config is {_type_name(container_config)}, not an object")
    try:
        return json.dumps(fixed)
    except (TypeError, ValueError, RecursionError) as exc:  # not for values json.loads made
        fail(f"v1Compatibility cannot be written back: {exc}")


def _metadata_removed(history: Sequence[str]) -> list[str]:
    return [_metadata_removed_entry(i, entry) for i, entry in enumerate(history)]


def _rewrite_from(
    blob_sums: Sequence[str], v1_compat: Sequence[str], earlier_ids: list[str | None]
) -> list[tuple[str, str | None, str]]:
    """Quay's ``rewrite_invalid_image_ids`` from the first rewritten layer on (the layers before
    it keep ``earlier_ids``): ``(new id, remapped parent, rewritten compat_json)``, base first.
    The same rules as the Rust core's ``rewrite::rewrite_from``."""
    count = len(blob_sums)
    first = min(len(earlier_ids), count)
    running = hashlib.sha256()
    id_map: dict[str | None, str | None] = {image_id: image_id for image_id in earlier_ids}
    out = []
    for position in range(count):
        doc_index = count - 1 - position

        def fail(what: str, doc_index: int = doc_index) -> NoReturn:
            raise MalformedSchema1Manifest(
                f"cannot rewrite the v1 metadata of fsLayers[{doc_index}]: {what}"
            )

        v1 = v1_compat[doc_index]
        try:
            running.update(blob_sums[doc_index].encode("utf-8"))
            running.update(b"@")
            running.update(v1.encode("utf-8"))
            running.update(b"|")
        except UnicodeEncodeError:
            fail("it holds a lone surrogate")
        if position < first:
            continue
        new_id = running.hexdigest()
        try:
            md = _loads_limited(v1)
        except ValueError as exc:
            fail(f"v1Compatibility is not JSON: {exc}")
        if not isinstance(md, dict):
            fail(f"v1Compatibility is {_type_name(md)}")
        if "id" not in md:
            fail("it has no id")
        image_id = md["id"]
        if image_id is not None and not isinstance(image_id, str):
            fail(f"id is {_type_name(image_id)}")
        id_map[image_id] = new_id
        md["id"] = new_id
        parent = md.get("parent")
        if parent is not None:
            if not isinstance(parent, str):
                fail(f"parent is {_type_name(parent)}")
            if parent and parent in id_map:
                md["parent"] = id_map[parent]
            parent = id_map.get(parent, parent)
        if "container_config" in md:
            container_config = md["container_config"]
            if not isinstance(container_config, dict):
                fail(f"container_config is {_type_name(container_config)}, not an object")
            image = container_config.get("Image")
            if image and isinstance(image, (list, dict)):
                fail(f"container_config.Image is an {_type_name(image)} (unhashable)")
            if image and isinstance(image, str) and image in id_map:
                container_config["image"] = id_map[image]
        out.append((new_id, parent, _canonical_json(md, True)))
    return out


def _utf8(index: int, value: Any, member: str) -> bytes:
    if not isinstance(value, str):
        raise MalformedSchema1Manifest(
            f"layer {index}: {member} is {_type_name(value)}, not a string"
        )
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedSchema1Manifest(f"layer {index}: {member} holds a lone surrogate") from None


def _digest_history(blob_sums: Sequence[str], v1_compat: Sequence[str]) -> list[str]:
    if len(blob_sums) != len(v1_compat):
        _malformed(f"fsLayers has {len(blob_sums)} entries but history has {len(v1_compat)}")
    running = hashlib.sha256()
    digests = []
    for i, (blob_sum, v1) in enumerate(zip(blob_sums, v1_compat)):
        blob_bytes = _utf8(i, blob_sum, "blobSum")
        v1_bytes = _utf8(i, v1, "v1Compatibility")
        running.update(blob_bytes)
        running.update(b"@")
        running.update(v1_bytes)
        running.update(b"|")
        digests.append(running.hexdigest())
    return digests
