"""``created`` timestamps to naive datetimes, exactly as Quay reads them with dateutil.

Quay parses with ``dateutil.parser.parse(s).replace(tzinfo=None)`` and gives None on any
failure; python-dateutil is a dependency of this package too, so every install gives Quay's
answer. The one form Docker and registries write, ``YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]``
(or a space for the ``T``), is read here directly by a scan of fixed positions, in linear time
and without a regular expression: dateutil's answer for it is the naive datetime of the fields
(the offset is dropped without converting, fraction digits past microseconds are cut), which
``tests/test_dates.py`` checks against dateutil with hypothesis. Anything else, and any field
out of range, goes to dateutil itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dateutil.parser

__all__ = ["parse_created"]

_DIGITS = frozenset("0123456789")


def parse_created(value: Any) -> datetime | None:
    """The naive datetime of a ``created`` value, or None when dateutil cannot parse it."""
    if not isinstance(value, str):
        return None
    fast = _parse_docker_time(value)
    if fast is not None:
        return fast
    try:
        parsed: datetime = dateutil.parser.parse(value)
        return parsed.replace(tzinfo=None)
    except Exception:  # dateutil raises many kinds; Quay maps them all to None
        return None


def _digits(text: str, start: int, end: int) -> int | None:
    """``int(text[start:end])`` when that slice is ASCII digits only, else None."""
    part = text[start:end]
    return int(part) if len(part) == end - start and _DIGITS.issuperset(part) else None


def _parse_docker_time(text: str) -> datetime | None:
    """The datetime of ``text`` in Docker's own form, or None for any other text."""
    # YYYY-MM-DDTHH:MM:SS: fixed positions.
    if len(text) < 19 or text[4] != "-" or text[7] != "-" or text[10] not in "T ":
        return None
    if text[13] != ":" or text[16] != ":":
        return None
    fields = [
        _digits(text, a, b) for a, b in ((0, 4), (5, 7), (8, 10), (11, 13), (14, 16), (17, 19))
    ]
    position = 19
    microsecond = 0
    if position < len(text) and text[position] == ".":
        end = position + 1
        while end < len(text) and text[end] in _DIGITS:
            end += 1
        if end == position + 1:
            return None
        microsecond = int(text[position + 1 : min(end, position + 7)].ljust(6, "0"))
        position = end
    # The offset: none, "Z", or ±HH:MM within a day (dateutil drops it unconverted).
    rest = text[position:]
    if rest not in ("", "Z"):
        if len(rest) != 6 or rest[0] not in "+-" or rest[3] != ":":
            return None
        hours, minutes = _digits(rest, 1, 3), _digits(rest, 4, 6)
        if hours is None or minutes is None or hours > 23 or minutes > 59:
            return None
    if any(field is None for field in fields):
        return None
    year, month, day, hour, minute, second = fields
    try:
        return datetime(year, month, day, hour, minute, second, microsecond)  # type: ignore[arg-type]
    except ValueError:
        return None  # out of range: dateutil decides (it may read the fields another way)
