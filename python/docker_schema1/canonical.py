"""``to_canonical_json``: Quay's canonical JSON text of a value."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["to_canonical_json"]


def to_canonical_json(value: Any, ensure_ascii: bool = True, indent: int | None = None) -> str:
    """``json.dumps`` with sorted keys and ``","``/``":"`` separators, as Quay writes it.

    When ``value`` itself is a string, ``<``, ``>`` and ``&`` are escaped as ``\\u003c``,
    ``\\u003e`` and ``\\u0026``. Raises ``TypeError``/``ValueError`` as ``json.dumps`` does for
    values JSON cannot hold.
    """
    if indent is not None:
        text = json.dumps(
            value, ensure_ascii=ensure_ascii, sort_keys=True, separators=(",", ":"), indent=indent
        )
        return escape_html(text) if isinstance(value, str) else text
    from . import _backend

    return _backend.current().canonical_json(value, ensure_ascii)


def escape_html(text: str) -> str:
    """The escaping Quay applies to a top-level string."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
