"""The ``docker-schema1`` command line: verify, digest, inspect, sign and rewrite manifests.

Every command reads ``-`` as standard input. Commands that output a manifest write its bytes
exactly (no newline added) to standard output or ``-o``. Errors are one line per input on
standard error (``docker-schema1: PATH: Kind: message``), with a traceback only under
``--debug``. Exit status: 0 on success, 1 when an input fails, 2 on a usage error.

One module per concept: ``sources`` (where manifests are read from), ``output`` (the result
model, errors, totals), ``batch`` (many inputs on every core), ``command`` (how a command group
registers its commands), and one module per command group (``read``: verify, digest, inspect,
payload; ``write``: sign, unsigned, retag, strip-metadata).
"""

from __future__ import annotations

from ._main import build_parser, main
from .batch import PARALLEL_THRESHOLD

__all__ = ["PARALLEL_THRESHOLD", "build_parser", "main"]
