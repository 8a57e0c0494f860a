"""Date values as days, and the `--since`/`--until` window a report is limited to.

A value is `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an interval `START/END` of those
(`..` an open end), as in the extract contract.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PART = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _day(part: str, last: bool) -> dt.date | None:
    m = _PART.match(part.strip())
    if not m:
        return None
    year = int(m[1])
    month = int(m[2]) if m[2] else (12 if last else 1)
    if not 1 <= month <= 12:
        return None
    if m[3]:
        day = int(m[3])
    else:
        day = calendar.monthrange(year, month)[1] if last else 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def bounds(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date value covers (an open end: the earliest or latest day), or None."""
    if not value:
        return None
    start, _, end = value.partition("/")
    first = dt.date.min if start == ".." else _day(start, last=False)
    last = dt.date.max if end == ".." else _day(end or start, last=True)
    if first is None or last is None:
        return None
    return first, last


def parse_bound(value: str | None, last: bool) -> dt.date | None:
    """A `--since` (first day) or `--until` (last day) bound; ValueError for anything but a date value."""
    if value is None:
        return None
    day = _day(value, last)
    if day is None:
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return day


@dataclass(frozen=True)
class DateWindow:
    since: dt.date | None = None
    until: dt.date | None = None

    def admits(self, value: str | None, published: dt.date | None) -> bool:
        """Whether a fact dated `value` falls in the window; an undated one goes by its document's date."""
        span = bounds(value)
        if span is None:
            if published is None:
                return True
            span = (published, published)
        return (self.since is None or span[1] >= self.since) and (self.until is None or span[0] <= self.until)

    def admits_published(self, published: dt.date | None) -> bool:
        """Whether a fact dated by its document's publication date alone (a quote) falls in the window; one whose
        document has no date either falls in no dated window."""
        if published is None:
            return self.since is None and self.until is None
        return self.admits(None, published)


def sort_key(value: str | None) -> tuple:
    """Date order: by first day, the more precise value first; undated last."""
    span = bounds(value)
    if span is None:
        return (dt.date.max, dt.date.max)
    return span
