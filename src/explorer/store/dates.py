"""Partial ISO 8601 dates with a precision, and the bounds used to sort and draw them.

An event dated '2023-09' with precision 'month' happened some day between 2023-09-01 and
2023-09-30; those two days are its `earliest` and `latest` bounds, and `t0`/`t1` are the
same period as seconds since 1970-01-01 UTC (`t1` exclusive), which is what the timeline
draws and what every query sorts and filters by.

Years follow ISO 8601's astronomical numbering (year 0 is 1 BCE, year -3500 is 3501 BCE) in
the proleptic Gregorian calendar, and may have any number of digits: '-13800000000' is the
Big Bang at year precision. Years outside 0000-9999 are written with a sign ('+12000').
Times of day are UTC and end in 'Z': '2015-07-24T19:01:01Z' (second), '2013-03-30T11:16Z'
(minute), '2013-03-30T11Z' (hour).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Precisions of a date, coarsest last. Curated and annotators' events use the last three.
PRECISIONS = ("day", "month", "year")
TIME_PRECISIONS = ("second", "minute", "hour")
ALL_PRECISIONS = (*TIME_PRECISIONS, *PRECISIONS)
QUALIFIERS = ("exact", "circa", "before", "after")

DAY_SECONDS = 86400
#: Bounds on years: a little beyond the age of the universe either way.
MIN_YEAR = -100_000_000_000
MAX_YEAR = 100_000_000_000

_YEAR = r"([+-]\d{4,12}|\d{4})"
_PATTERNS = {
    "year": re.compile(rf"^{_YEAR}$"),
    "month": re.compile(rf"^{_YEAR}-(\d{{2}})$"),
    "day": re.compile(rf"^{_YEAR}-(\d{{2}})-(\d{{2}})$"),
    "hour": re.compile(rf"^{_YEAR}-(\d{{2}})-(\d{{2}})T(\d{{2}})Z$"),
    "minute": re.compile(rf"^{_YEAR}-(\d{{2}})-(\d{{2}})T(\d{{2}}):(\d{{2}})Z$"),
    "second": re.compile(rf"^{_YEAR}-(\d{{2}})-(\d{{2}})T(\d{{2}}):(\d{{2}}):(\d{{2}})Z$"),
}
_STEP = {"second": 1, "minute": 60, "hour": 3600}


class DateFormatError(ValueError):
    pass


@dataclass(frozen=True)
class Bounds:
    earliest: str  # first possible day, written as a day
    latest: str  # last possible day
    t0: float  # first possible second (seconds since 1970-01-01 UTC)
    t1: float  # end of the last possible second (exclusive)


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date, for any integer year."""
    y = year - (1 if month <= 2 else 0)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """The inverse of `days_from_civil`."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if month <= 2 else 0), month, day


def year_text(year: int) -> str:
    """ISO 8601 writing of a year: '0602', '2024', '-3500', '+12000'."""
    if 0 <= year <= 9999:
        return f"{year:04d}"
    return f"{year:+05d}"


def day_text(year: int, month: int, day: int) -> str:
    return f"{year_text(year)}-{month:02d}-{day:02d}"


def day_of_seconds(t: float) -> str:
    """The day (as text) that contains the instant `t`."""
    return day_text(*civil_from_days(int(t // DAY_SECONDS)))


def precision_of(value: str) -> str:
    """The precision a partial ISO date is written at: '2024' -> 'year'."""
    for precision in ALL_PRECISIONS:
        if _PATTERNS[precision].match(value):
            return precision
    raise DateFormatError(
        f"{value!r} is not a date written as YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"
    )


def _parse(value: str, precision: str) -> tuple[float, float]:
    """The instant range [t0, t1) a date written at `precision` covers."""
    if precision not in _PATTERNS:
        raise DateFormatError(
            f"unknown precision {precision!r} (use one of {', '.join(ALL_PRECISIONS)})"
        )
    m = _PATTERNS[precision].match(value)
    if not m:
        raise DateFormatError(f"{value!r} is not written at {precision} precision")
    parts = [int(g) for g in m.groups()]
    year = parts[0]
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateFormatError(f"{value!r} is outside the years Explorer can place")
    if precision == "year":
        return (
            days_from_civil(year, 1, 1) * DAY_SECONDS,
            days_from_civil(year + 1, 1, 1) * DAY_SECONDS,
        )
    month = parts[1]
    if not 1 <= month <= 12:
        raise DateFormatError(f"{value!r} has no month {month}")
    if precision == "month":
        first = days_from_civil(year, month, 1)
        return first * DAY_SECONDS, (first + month_days(year, month)) * DAY_SECONDS
    day = parts[2]
    if not 1 <= day <= month_days(year, month):
        raise DateFormatError(f"{value!r} has no day {day}")
    t = days_from_civil(year, month, day) * DAY_SECONDS
    if precision == "day":
        return t, t + DAY_SECONDS
    hms = [*parts[3:], 0, 0][:3]
    if hms[0] > 23 or hms[1] > 59 or hms[2] > 59:
        raise DateFormatError(f"{value!r} has no such time of day")
    t += hms[0] * 3600 + hms[1] * 60 + hms[2]
    return t, t + _STEP[precision]


def first_day(value: str, precision: str) -> str:
    return day_of_seconds(_parse(value, precision)[0])


def last_day(value: str, precision: str) -> str:
    return day_of_seconds(_parse(value, precision)[1] - 1)


def bounds(start: str, end: str | None, precision: str) -> Bounds:
    """Bounds of an event from `start` to `end` (or just `start`) at `precision`."""
    t0, t1 = _parse(start, precision)
    if end:
        t1 = _parse(end, precision)[1]
        if t1 <= t0:
            raise DateFormatError(f"end {end!r} is before start {start!r}")
    return Bounds(day_of_seconds(t0), day_of_seconds(t1 - 1), float(t0), float(t1))


def period_bounds(value: str) -> Bounds:
    """Bounds of a partial date at the precision it is written in ('2024' -> whole year)."""
    return bounds(value, None, precision_of(value))


def year_label(year: int) -> str:
    """A year as a reader expects it: '602', '3501 BCE', '13.8 billion BCE'."""
    if year >= 1:
        if year >= 1_000_000_000:
            return f"{year / 1e9:.4g} billion"
        return f"{year / 1e6:.4g} million" if year >= 1_000_000 else str(year)
    bce = 1 - year
    if bce >= 1_000_000_000:
        return f"{bce / 1e9:.4g} billion BCE"
    if bce >= 1_000_000:
        return f"{bce / 1e6:.4g} million BCE"
    return f"{bce} BCE"


def written(value: str, precision: str) -> bool:
    """Whether `value` is a date written at `precision` (its shape only: quick)."""
    pattern = _PATTERNS.get(precision)
    return pattern is not None and isinstance(value, str) and bool(pattern.match(value))


def date_label(value: str) -> str:
    """An Explorer date as a reader expects it: '2024-08-19' as it is, '-3500' as
    '3501 BCE', '-13800000000' as '13.8 billion BCE' (a month or day after it follows).
    Text that is not a date (a damaged file's) is shown as it is."""
    sign = -1 if value.startswith("-") else 1
    year_part, _, rest = value.lstrip("+-").partition("-")
    if not year_part.isdigit() or len(year_part) > 12:
        return value
    year = sign * int(year_part)
    if 1 <= year <= 9999:
        return f"{year_text(year)}-{rest}" if rest else year_text(year)
    return year_label(year) + (f" {rest}" if rest else "")


def instant_text(t: float, precision: str) -> str:
    """The date of instant `t` written at `precision` ('2024-08', '2015-07-24T19:01:01Z')."""
    seconds = int(t)
    year, month, day = civil_from_days(seconds // DAY_SECONDS)
    if precision == "year":
        return year_text(year)
    if precision == "month":
        return f"{year_text(year)}-{month:02d}"
    text = day_text(year, month, day)
    if precision == "day":
        return text
    s = seconds % DAY_SECONDS
    hh, mm, ss = s // 3600, s % 3600 // 60, s % 60
    if precision == "hour":
        return f"{text}T{hh:02d}Z"
    if precision == "minute":
        return f"{text}T{hh:02d}:{mm:02d}Z"
    return f"{text}T{hh:02d}:{mm:02d}:{ss:02d}Z"


def finest(*precisions: str) -> str:
    return min(precisions, key=ALL_PRECISIONS.index)


def common_precision(start: str, end: str | None) -> tuple[str, str | None, str]:
    """(start, end, precision) with both ends written at the finer of their precisions, the
    coarser end widened to its first or last unit: '1943-07' to '1946' becomes '1943-07' to
    '1946-12' at month precision, the same period."""
    p_start = precision_of(start)
    if not end:
        return start, None, p_start
    p_end = precision_of(end)
    p = finest(p_start, p_end)
    if p != p_start:
        start = instant_text(_parse(start, p_start)[0], p)
    if p != p_end:
        end = instant_text(_parse(end, p_end)[1] - 1, p)
    return start, end, p
