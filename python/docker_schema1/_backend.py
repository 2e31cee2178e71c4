"""Which backend the public classes use: ``rust`` (default, or ``DOCKER_SCHEMA1_BACKEND``) or
``pure``, each imported on first use. The protocol both implement is ``_protocol``; its names
are re-exported here for the modules that use a backend.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from ._protocol import (
    MAX_DEPTH,
    MAX_SIGNATURES,
    UNREAD,
    Backend,
    History,
    LayerFields,
    ParsedManifest,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_SIGNATURES",
    "UNREAD",
    "Backend",
    "History",
    "LayerFields",
    "ParsedManifest",
    "current",
    "get",
    "set_backend",
    "using_backend",
]

_BACKENDS: dict[str, Backend] = {}
_current: str = os.environ.get("DOCKER_SCHEMA1_BACKEND", "rust")


def get(name: str) -> Backend:
    """The backend called ``name`` ("rust" or "pure"), imported on first use."""
    if name not in _BACKENDS:
        if name == "rust":
            from ._rust_backend import BACKEND as rust

            _BACKENDS[name] = rust
        elif name == "pure":
            from ._pure import BACKEND as pure

            _BACKENDS[name] = pure
        else:
            raise ValueError(f"unknown backend {name!r}: expected 'rust' or 'pure'")
    return _BACKENDS[name]


def current() -> Backend:
    """The backend that new manifests and helpers use."""
    return get(_current)


def set_backend(name: str) -> None:
    """Make ``name`` the backend for everything created from now on."""
    global _current
    get(name)
    _current = name


@contextlib.contextmanager
def using_backend(name: str) -> Iterator[Backend]:
    """Run a block on the backend ``name``, then restore the previous one."""
    global _current
    previous = _current
    set_backend(name)
    try:
        yield get(name)
    finally:
        _current = previous
