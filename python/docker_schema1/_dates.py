"""``created`` timestamps to naive datetimes, exactly as Quay reads them with dateutil.

Quay parses with ``dateutil.parser.parse(s).replace(tzinfo=None)`` and gives None on any
failure; python-dateutil is a dependency of this package too, so every install gives Quay's
answer. The one form Docker and registries write, ``YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]``
(or a space for the ``T``), is read by the backend (``docker_time``: a scan of fixed positions,
in linear time, without a regular expression): dateutil's answer for it is the naive datetime of
the fields (the offset is dropped without converting, fraction digits past microseconds are
cut), which ``tests/test_dates.py`` checks against dateutil with hypothesis. Anything else, and
any field out of range, goes to dateutil itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dateutil.parser

from . import _backend

__all__ = ["parse_created"]


def parse_created(value: Any) -> datetime | None:
    """The naive datetime of a ``created`` value, or None when dateutil cannot parse it."""
    if not isinstance(value, str):
        return None
    fields = _backend.current().docker_time(value)
    if fields is not None:
        try:
            return datetime(*fields)
        except ValueError:
            pass  # out of range: dateutil decides (it may read the fields another way)
    try:
        parsed: datetime = dateutil.parser.parse(value)
        return parsed.replace(tzinfo=None)
    except Exception:  # dateutil raises many kinds; Quay maps them all to None
        return None
