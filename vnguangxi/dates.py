"""ISO 8601 partial dates (``2025``, ``2025-04``, ``2025-04-14``) and intervals (``A/B``).

A small subset of EDTF: enough to say what the articles say, checked against the real calendar.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PART = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DateError(ValueError):
    """A date string that is malformed or not on the calendar."""


@dataclass(frozen=True)
class Span:
    """The first and last day a partial date or interval covers."""

    start: date
    end: date

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def year_end(self) -> int:
        return self.end.year


def _part(text: str) -> Span:
    m = _PART.fullmatch(text)
    if m is None:
        raise DateError(f"'{text}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m[1])
    if year < 1:
        raise DateError(f"'{text}': year 0000 does not exist")
    if m[2] is None:
        return Span(date(year, 1, 1), date(year, 12, 31))
    month = int(m[2])
    if not 1 <= month <= 12:
        raise DateError(f"'{text}': month {m[2]} does not exist (01-12)")
    last = calendar.monthrange(year, month)[1]
    if m[3] is None:
        return Span(date(year, month, 1), date(year, month, last))
    day = int(m[3])
    if not 1 <= day <= last:
        raise DateError(f"'{text}': {calendar.month_name[month]} {year} has no day {m[3]} (01-{last})")
    return Span(date(year, month, day), date(year, month, day))


def parse(text: str) -> Span:
    """Parse a partial date or an interval ``START/END``; raise DateError if it is not real."""
    if "/" not in text:
        return _part(text)
    left, _, right = text.partition("/")
    if "/" in right:
        raise DateError(f"'{text}': an interval has exactly one '/'")
    a, b = _part(left), _part(right)
    if b.start < a.start or left == right:
        raise DateError(f"'{text}': the interval must run forward (its end after its start)")
    return Span(a.start, max(a.end, b.end))
