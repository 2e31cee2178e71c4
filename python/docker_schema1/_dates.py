"""``created`` timestamps to naive datetimes, as Quay reads them with dateutil.

Quay parses with ``dateutil.parser.parse(s).replace(tzinfo=None)`` and gives None on any
failure. The ISO 8601 forms that Docker and every registry write are parsed here directly
(no dependency, same result: the offset is dropped without converting, fractional digits
past microseconds are cut). Other text goes to dateutil when it is installed, else gives None.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

_ISO_RE = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(?:Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*",
    re.ASCII,
)


def parse_created(value: Any) -> datetime | None:
    """The naive datetime of a ``created`` value, or None when it does not parse."""
    if not isinstance(value, str):
        return None
    match = _ISO_RE.fullmatch(value)
    if match is not None:
        year, month, day, hour, minute, second, fraction = match.groups()
        try:
            return datetime(
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
                int((fraction or "0")[:6].ljust(6, "0")),
            )
        except ValueError:
            return None
    return _parse_with_dateutil(value)


def _parse_with_dateutil(value: str) -> datetime | None:
    try:
        import dateutil.parser  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return None
    try:
        parsed: datetime = dateutil.parser.parse(value)
        return parsed.replace(tzinfo=None)
    except Exception:  # dateutil raises many kinds; Quay maps them all to None
        return None
