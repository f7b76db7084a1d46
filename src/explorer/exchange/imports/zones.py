"""Times a file writes without a zone (iCalendar "floating" times, The Timeline Project's and
TimelineJS's times) are wall-clock times somewhere. The importer reads them in the zone the
user names (UTC unless told otherwise) and stores them in UTC, like every other instant."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from explorer.exchange.imports.errors import ImportFailed
from explorer.store.dates import DateFormatError

_OFFSET = re.compile(r"^(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Zone:
    name: str
    tz: dt.tzinfo

    @property
    def is_utc(self) -> bool:
        return self.tz is dt.UTC


UTC = Zone("UTC", dt.UTC)


def parse_zone(text: str) -> Zone:
    """'UTC', an offset ('+09:00', '-0530') or a zone name ('Asia/Seoul')."""
    t = text.strip()
    if t.upper() in ("", "UTC", "Z", "GMT"):
        return UTC
    m = _OFFSET.match(t)
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise ImportFailed(f"{text!r} is not a UTC offset (from -14:00 to +14:00)")
        delta = dt.timedelta(hours=hours, minutes=minutes) * (-1 if m.group(1) == "-" else 1)
        sign = "+" if delta >= dt.timedelta(0) else "-"
        return Zone(f"UTC{sign}{hours:02d}:{minutes:02d}", dt.timezone(delta))
    try:
        return Zone(t, zoneinfo.ZoneInfo(t))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ImportFailed(
            f"unknown time zone {text!r}; name one as UTC, an offset such as +09:00, "
            "or a place such as Asia/Seoul"
        ) from None


def to_utc(when: dt.datetime, zone: Zone) -> dt.datetime:
    """A wall-clock time (naive) read in `zone`, as a UTC time (naive)."""
    if zone.is_utc:
        return when
    return in_utc(when.replace(tzinfo=zone.tz)).replace(tzinfo=None)


def in_utc(when: dt.datetime) -> dt.datetime:
    """An aware time in UTC; raises DateFormatError where the shift leaves years 1–9999
    (the first hours of year 1, the last of 9999), which Python's datetime cannot hold."""
    try:
        return when.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise DateFormatError(
            f"{when.replace(tzinfo=None).isoformat()} in {when.tzname()} falls outside "
            "the years 1–9999 once shifted to UTC"
        ) from None


def utc_text(when: dt.datetime) -> str:
    """An aware time as Explorer's UTC second ('0050-01-01T00:00:00Z': years below 1000
    keep their four digits, which strftime does not promise)."""
    u = in_utc(when)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"
