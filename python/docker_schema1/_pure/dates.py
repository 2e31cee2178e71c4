"""Docker's own ``created`` form read by fixed positions (the reference for the core's
``docker_time.rs``); ``_dates`` turns the fields into Quay's datetime."""

from __future__ import annotations

__all__ = ["_docker_time"]

_DIGITS = frozenset("0123456789")


def _digits(text: str, start: int, end: int) -> int | None:
    """``int(text[start:end])`` when that slice is ASCII digits only, else None."""
    part = text[start:end]
    return int(part) if len(part) == end - start and _DIGITS.issuperset(part) else None


def _docker_time(text: str) -> tuple[int, int, int, int, int, int, int] | None:
    """``(year, month, day, hour, minute, second, microsecond)`` of ``text`` in Docker's own
    form, with no range check; None for any other text."""
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
    year, month, day, hour, minute, second = fields
    if year is None or month is None or day is None:
        return None
    if hour is None or minute is None or second is None:
        return None
    return (year, month, day, hour, minute, second, microsecond)
