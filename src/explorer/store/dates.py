"""Partial ISO dates with a precision, and the full-date bounds used to sort and draw them.

An event dated '2023-09' with precision 'month' happened some day between 2023-09-01 and
2023-09-30; those two days are its `earliest` and `latest` bounds.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

PRECISIONS = ("day", "month", "year")
QUALIFIERS = ("exact", "circa", "before", "after")

_PATTERNS = {
    "day": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "year": re.compile(r"^(\d{4})$"),
}
_ANY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DateFormatError(ValueError):
    pass


@dataclass(frozen=True)
class Bounds:
    earliest: str
    latest: str


def precision_of(value: str) -> str:
    """The precision a partial ISO date is written at: '2024' -> 'year'."""
    m = _ANY.match(value)
    if not m:
        raise DateFormatError(f"{value!r} is not a date written as YYYY, YYYY-MM or YYYY-MM-DD")
    if m.group(3):
        return "day"
    return "month" if m.group(2) else "year"


def _check(value: str, precision: str) -> tuple[int, int | None, int | None]:
    if precision not in _PATTERNS:
        raise DateFormatError(
            f"unknown precision {precision!r} (use one of {', '.join(PRECISIONS)})"
        )
    m = _PATTERNS[precision].match(value)
    if not m:
        raise DateFormatError(f"{value!r} is not written at {precision} precision")
    year = int(m.group(1))
    month = int(m.group(2)) if precision in ("month", "day") else None
    day = int(m.group(3)) if precision == "day" else None
    if month is not None and not 1 <= month <= 12:
        raise DateFormatError(f"{value!r} has no month {month}")
    if (
        day is not None
        and month is not None
        and not 1 <= day <= calendar.monthrange(year, month)[1]
    ):
        raise DateFormatError(f"{value!r} has no day {day}")
    return year, month, day


def first_day(value: str, precision: str) -> str:
    year, month, day = _check(value, precision)
    return f"{year:04d}-{month or 1:02d}-{day or 1:02d}"


def last_day(value: str, precision: str) -> str:
    year, month, day = _check(value, precision)
    month = month or 12
    day = day or calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}"


def bounds(start: str, end: str | None, precision: str) -> Bounds:
    """Full-date bounds of an event from `start` to `end` (or just `start`) at `precision`."""
    earliest = first_day(start, precision)
    latest = last_day(end if end else start, precision)
    if latest < earliest:
        raise DateFormatError(f"end {end!r} is before start {start!r}")
    return Bounds(earliest, latest)


def period_bounds(value: str) -> Bounds:
    """Bounds of a partial date at the precision it is written in ('2024' -> whole year)."""
    p = precision_of(value)
    return Bounds(first_day(value, p), last_day(value, p))
