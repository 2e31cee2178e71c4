"""The layer table of ``inspect``: every cell in full when it fits the terminal, else ids and
times shortened as Docker shortens them and the command wrapped over several lines."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from .output import text

__all__ = ["layer_table"]

_HEX_ID = re.compile(r"(?:([a-z0-9]+):)?([0-9a-f]+)")
_TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?")
_ID_LENGTH = 12
_COMMAND_ROOM = 24  # shorten the other cells until the command has this much room
_COMMAND_INDENT = "    "


def _cut(value: str, width: int) -> str:
    """``value`` in at most ``width`` characters, an ellipsis marking a cut."""
    if len(value) <= width:
        return value
    return value[: max(width - 1, 0)] + "…"


def _short_id(value: str, keep_sha256: bool = True) -> str:
    """A digest or id shortened as Docker does, to 12 hex digits (the algorithm kept, but for
    sha256 when ``keep_sha256`` is false); other text cut with an ellipsis."""
    match = _HEX_ID.fullmatch(value)
    if not match:
        return _cut(value, _ID_LENGTH + 7)
    algorithm, hex_part = match.groups()
    if algorithm is None or (algorithm == "sha256" and not keep_sha256):
        return hex_part[:_ID_LENGTH]
    return f"{algorithm}:{hex_part[:_ID_LENGTH]}"


def _short_time(value: str, seconds: bool = True) -> str:
    """An RFC 3339 time to the second (``seconds``) or to the minute (UTC offset dropped)."""
    match = _TIMESTAMP.fullmatch(value)
    if not match:
        return _cut(value, 25)
    day, minutes, secs, zone = match.groups()
    if not seconds:
        return f"{day} {minutes}"
    return f"{day}T{minutes}{secs}{zone or ''}"


def human_size(size: Any) -> str:
    if size is None:
        return "-"
    if isinstance(size, bool) or not isinstance(size, (int, float)):
        return text(size)
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(value) < 1000 or unit == "TB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return str(size)  # pragma: no cover - the loop always returns


def command_text(command: Any) -> str:
    """A layer's command for display: a JSON list of arguments joined with spaces."""
    if command is None:
        return "-"
    value = command if isinstance(command, str) else json.dumps(command)
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if isinstance(parsed, list) and all(isinstance(arg, str) for arg in parsed):
        value = " ".join(parsed)
    return " ".join(value.split())


def _wrap(value: str, width: int) -> list[str]:
    """``value`` over lines of at most ``width`` characters, broken at spaces where it can."""
    return textwrap.wrap(value, width, break_on_hyphens=False) or [""]


def layer_table(layers: Sequence[Any], width: int) -> list[str]:
    """The layers as a table in ``width`` columns: every cell in full when it fits; else digests
    and ids shortened to 12 hex digits and times to the second, then (still too narrow) sha256
    digests without their prefix and times to the minute; the command wrapped over as many
    lines as it needs in what is left (the other cells blank on the continuation lines), or,
    with less than 24 columns left for it, on the lines below each row.
    """
    header = ["BLOB", "V1 ID", "PARENT", "CREATED", "SIZE", "COMMAND"]
    gap = "  "
    full = [
        [
            str(layer.digest),
            text(layer.v1_metadata.image_id),
            text(layer.v1_metadata.parent_image_id),
            text(layer.v1_metadata.created),
            human_size(layer.compressed_size),
            command_text(layer.v1_metadata.command),
        ]
        for layer in layers
    ]

    def widths(rows: list[list[str]]) -> list[int]:
        return [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def room(rows: list[list[str]]) -> int:
        """Columns left for the command."""
        return width - sum(widths(rows)[:-1]) - len(gap) * (len(header) - 1)

    rows = full
    command_width: int | None = None
    if room(full) < widths(full)[-1]:
        for keep in (True, False):
            rows = [
                [
                    _short_id(r[0], keep),
                    _short_id(r[1]),
                    _short_id(r[2]),
                    _short_time(r[3], keep),
                    r[4],
                    r[5],
                ]
                for r in full
            ]
            if room(rows) >= _COMMAND_ROOM:
                break
        if room(rows) < _COMMAND_ROOM:
            return _commands_below(header[:-1], rows, width, gap)
        command_width = room(rows)
    sizes = widths([[*r[:-1], ""] for r in rows]) if command_width else widths(rows)
    lines = []
    for row in [header, *rows]:
        parts = _wrap(row[-1], command_width) if command_width and row is not header else [row[-1]]
        for index, part in enumerate(parts):
            cells = row[:-1] if index == 0 else [""] * (len(row) - 1)
            padded = [cell.ljust(size) for cell, size in zip(cells, sizes)]
            lines.append(gap.join([*padded, part]).rstrip())
    return lines


def _commands_below(header: list[str], rows: list[list[str]], width: int, gap: str) -> list[str]:
    """The table without its command column, each layer's command wrapped on the lines below
    its row, indented: for terminals too narrow for a command column."""
    sizes = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [gap.join(cell.ljust(size) for cell, size in zip(header, sizes)).rstrip()]
    lines.append(_COMMAND_INDENT + "COMMAND")
    for row in rows:
        lines.append(gap.join(cell.ljust(size) for cell, size in zip(row, sizes)).rstrip())
        room = max(width - len(_COMMAND_INDENT), 1)
        lines.extend(_COMMAND_INDENT + part for part in _wrap(row[-1], room))
    return lines
