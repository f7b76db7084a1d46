"""iCalendar (RFC 5545) VEVENTs: SUMMARY, DESCRIPTION, DTSTART/DTEND, LOCATION, CATEGORIES,
UID. All-day events are days (DTEND is exclusive there); times with a zone (TZID or 'Z') are
turned into UTC; floating times are taken as UTC and the report says so."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter

from explorer.exchange.imports.batch import Batch
from explorer.exchange.imports.ics_components import EVENT, Calendar, components
from explorer.exchange.imports.plain_text import plain
from explorer.exchange.imports.text_input import TextReader
from explorer.exchange.imports.zones import utc_text
from explorer.store import dates


def _split(line: str) -> tuple[str, dict[str, str], str]:
    head, sep, value = line.partition(":")
    if not sep:
        raise dates.DateFormatError(f"line {line[:40]!r} has no ':'")
    name, *params = head.split(";")
    return name.upper(), dict(p.partition("=")[::2] for p in params), value


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _moment(
    batch: Batch, value: str, params: dict[str, str], warnings: set[str]
) -> tuple[str, bool]:
    """(Explorer date, all day) of a DTSTART/DTEND value."""
    v = value.strip()
    if params.get("VALUE", "").upper() == "DATE" or (len(v) == 8 and v.isdigit()):
        try:
            d = dt.date(int(v[:4]), int(v[4:6]), int(v[6:8]))
        except ValueError:
            raise dates.DateFormatError(f"{value!r} is not a date") from None
        return d.isoformat(), True
    try:
        when = dt.datetime.strptime(v.rstrip("Zz"), "%Y%m%dT%H%M%S")
    except ValueError:
        raise dates.DateFormatError(f"{value!r} is not a date-time") from None
    if v.endswith(("Z", "z")):
        when = when.replace(tzinfo=dt.UTC)
    elif "TZID" in params:
        try:
            when = when.replace(tzinfo=zoneinfo.ZoneInfo(params["TZID"].strip('"')))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            warnings.add(f"time zone {params['TZID']!r} is unknown here; its times read as UTC")
            when = when.replace(tzinfo=dt.UTC)
    else:  # floating: wall-clock time, read in the zone the user named
        when = batch.wall_time(when).replace(tzinfo=dt.UTC)
    return utc_text(when), False


def read(reader: TextReader, batch: Batch) -> None:
    calendar = Calendar()
    batch.title = reader.path.stem
    batch.set_source(
        reader.path.name, reader.path.stem, note=f"Calendar imported from {reader.path.name}"
    )
    warnings: set[str] = set()
    others: Counter[str] = Counter()
    count = 0
    for comp in components(reader, calendar):
        if comp.name != EVENT:
            others[comp.name] += 1
            continue
        count += 1
        batch.seen += 1
        where = f"VEVENT {count} (line {comp.line})"
        if comp.error:
            batch.reject(where, comp.error)
            continue
        event: dict[str, tuple[dict[str, str], str]] = {}
        depth = 0
        try:
            for line in comp.lines[1:-1]:
                name = line.partition(":")[0].split(";")[0].strip().upper()
                if name == "BEGIN":
                    depth += 1
                elif name == "END":
                    depth -= 1
                elif depth == 0 and line:
                    key, params, value = _split(line)
                    event.setdefault(key, (params, value))
            _add(batch, event, warnings)
        except dates.DateFormatError as exc:
            batch.reject(where, str(exc))
    batch.warnings.extend(sorted(warnings))
    left = [f"{n} {name}" for name, n in sorted(others.items()) if name != "VTIMEZONE"]
    if left:
        batch.warnings.append(f"not imported (Explorer keeps events only): {', '.join(left)}")


def _add(batch: Batch, ev: dict[str, tuple[dict[str, str], str]], warnings: set[str]) -> None:
    if "DTSTART" not in ev:
        raise dates.DateFormatError("it has no DTSTART")
    start, all_day = _moment(batch, ev["DTSTART"][1], ev["DTSTART"][0], warnings)
    end = None
    if "DTEND" in ev:
        end, _ = _moment(batch, ev["DTEND"][1], ev["DTEND"][0], warnings)
        if all_day:  # exclusive: an event on the 19th ends on the 20th
            last = dt.date.fromisoformat(end) - dt.timedelta(days=1)
            end = last.isoformat() if last.isoformat() > start else None
        elif end <= start:
            end = None
    title = plain(_unescape(ev.get("SUMMARY", ({}, ""))[1]))
    if not title:
        raise dates.DateFormatError("it has no SUMMARY")
    location = plain(_unescape(ev.get("LOCATION", ({}, ""))[1]))
    categories = _unescape(ev.get("CATEGORIES", ({}, ""))[1]).split(",")[0].strip()
    uid = ev.get("UID", ({}, ""))[1].strip()
    batch.add_event(
        key=uid or None,
        title=title,
        start=start,
        end=end,
        precision="day" if all_day else "second",
        category=plain(categories) or "event",
        summary=plain(_unescape(ev.get("DESCRIPTION", ({}, ""))[1])),
        date_text=ev["DTSTART"][1].strip(),
        quote=title,
        places=(location,) if location else (),
    )
