"""``manifest_value``, the layer model of ``v1Compatibility``, ``canonical_json`` and
``sha256_digest``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from .._protocol import LayerFields
from ..errors import MalformedSchema1Manifest, ManifestException

if TYPE_CHECKING:
    pass

from .common import _DIGEST_RE, _loads_limited, _malformed, _type_name


def _manifest_value(data: bytes) -> Any:
    try:
        return _loads_limited(bytes(data) if not isinstance(data, bytes) else data)
    except (ValueError, TypeError) as exc:
        _malformed(f"malformed manifest data: {exc}")


#: The members of a v1Compatibility object that the layer model reads.
_TOP_KEYS = ("id", "parent", "created", "comment", "container_config", "author", "config", "Size")


def _json_type(value: Any) -> str:
    """The JSON type of a value as the Rust core names it (integer apart from number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return "integer"
    return _type_name(value)


def _check_key_spellings(
    obj: dict[str, Any], what: str, keys: tuple[str, ...], fail: Callable[[str], NoReturn]
) -> None:
    """DESIGN 6.8: Go's ``encoding/json`` takes a member whose key equals a field name under
    ``strings.EqualFold`` for that field; a key that matches one of ``keys`` that way but is not
    spelled exactly is rejected. Besides ASCII case, the Kelvin sign folds to ``k`` and the long
    s to ``s``; no other non-ASCII letter folds to ASCII."""
    for key in obj:
        folded = key.replace("\u212a", "k").replace("\u017f", "s")
        if not folded.isascii():
            continue
        folded = folded.lower()
        for target in keys:
            if key != target and folded == target.lower():
                fail(
                    f'{what} key "{key}" differs from "{target}" only in case '
                    "(Go's readers would take one for the other)"
                )


def _layer(index: int, blob_sum: Any, v1_compat: Any, allow_missing_ids: bool) -> LayerFields:
    def fail(message: str) -> NoReturn:
        raise MalformedSchema1Manifest(f"layer {index}: {message}")

    # 1. The blob digest.
    if not isinstance(blob_sum, str) or not _DIGEST_RE.fullmatch(blob_sum):
        fail(f"could not parse manifest digest: {blob_sum!r}")
    # 2. The metadata.
    if not isinstance(v1_compat, str):
        fail(f"Could not parse metadata string: v1Compatibility is {_type_name(v1_compat)}")
    try:
        md = _loads_limited(v1_compat)
    except ValueError as exc:
        fail(f"Could not parse metadata string: {exc}")
    # 3. Falsy counts as {}.
    if not md:
        md = {}
    elif not isinstance(md, dict):
        fail(f"v1Compatibility is not a JSON object (it is {_type_name(md)})")
    # DESIGN 6.8 and 6.7: keys spelled as the model's in another case; ids and parents.
    _check_key_spellings(md, "v1Compatibility", _TOP_KEYS, fail)
    for key in ("id", "parent"):
        value = md.get(key)
        if value is not None and not isinstance(value, str):
            fail(f'v1Compatibility "{key}" is {_json_type(value)}, not a string')
    # 4. container_config.
    cc = md.get("container_config") or {}
    if not isinstance(cc, dict):
        fail(f"container_config is not an object (it is {_type_name(cc)})")
    _check_key_spellings(cc, "container_config", ("Cmd",), fail)
    # 5. command.
    command = _canonical_json(cc["Cmd"], True) if cc.get("Cmd") else None
    # 6. id.
    if not allow_missing_ids and "id" not in md:
        fail("id field missing from v1Compatibility JSON")
    # 7. labels.
    config = md.get("config", {})
    if not isinstance(config, dict):
        fail(f"config is not an object (it is {_type_name(config)})")
    _check_key_spellings(config, "config", ("Labels",), fail)
    labels = config.get("Labels", {}) or {}
    # 8.
    return (
        blob_sum,
        md.get("id"),
        md.get("parent"),
        md.get("created"),
        md.get("comment"),
        command,
        md.get("author"),
        labels,
        md.get("Size"),
    )


def _layers(
    blob_sums: Sequence[str], v1_compat: Sequence[str], allow_missing_ids: bool
) -> list[LayerFields]:
    if len(blob_sums) != len(v1_compat):
        _malformed(f"fsLayers has {len(blob_sums)} entries but history has {len(v1_compat)}")
    result: list[LayerFields] = []
    for i in range(len(blob_sums) - 1, -1, -1):
        try:
            result.append(_layer(i, blob_sums[i], v1_compat[i], allow_missing_ids))
        except ManifestException:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
            _malformed(f"layer {i}: {type(exc).__name__}: {exc}")
    return result


def _canonical_json(value: Any, ensure_ascii: bool) -> str:
    text = json.dumps(value, ensure_ascii=ensure_ascii, sort_keys=True, separators=(",", ":"))
    if isinstance(value, str):
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text


def _sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
