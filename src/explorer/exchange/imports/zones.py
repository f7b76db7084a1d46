"""Times a file writes without a zone (iCalendar "floating" times, The Timeline Project's and
TimelineJS's times) are wall-clock times somewhere. The importer reads them in the zone the
user names (UTC unless told otherwise) and stores them in UTC, like every other instant."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from explorer.exchange.imports.errors import ImportFailed

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
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImportFailed(
            f"unknown time zone {text!r}; name one as UTC, an offset such as +09:00, "
            "or a place such as Asia/Seoul"
        ) from None


def to_utc(when: dt.datetime, zone: Zone) -> dt.datetime:
    """A wall-clock time (naive) read in `zone`, as a UTC time (naive)."""
    if zone.is_utc:
        return when
    try:
        return when.replace(tzinfo=zone.tz).astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:  # at the very ends of year 1 and 9999: left as written
        return when
