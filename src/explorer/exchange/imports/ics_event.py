"""One iCalendar event (or one occurrence of a series), as parsed by the icalendar library,
turned into what Explorer stores, with every property accounted for in the fidelity report.

Text properties are plain text in iCalendar (RFC 5545 §3.3.11): they are kept as written,
never treated as HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from icalendar import Event

from explorer.exchange.imports.batch import Batch
from explorer.exchange.imports.fidelity import Fidelity
from explorer.exchange.imports.zones import utc_text
from explorer.store import dates

#: Properties read into the event; every other one is reported as dropped.
USED = frozenset(
    {
        *("DTSTART", "DTEND", "DURATION", "SUMMARY", "DESCRIPTION", "LOCATION", "GEO"),
        *("CATEGORIES", "URL", "ORGANIZER", "ATTENDEE", "UID", "RRULE", "RDATE", "EXDATE"),
        "RECURRENCE-ID",
    }
)


@dataclass
class Item:
    """An event as Explorer will store it."""

    key: str | None
    title: str
    start: str
    end: str | None
    precision: str
    category: str
    summary: str
    date_text: str | None
    place: str | None = None
    geo: tuple[float, float] | None = None
    date_note: str | None = None
    notes: list[str] = field(default_factory=list)  # for the report: what changed


def text(value: Any) -> str:
    """The text of a property (the first, when it is given more than once)."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _moment(value: Any, batch: Batch, tzid: str | None, unknown: set[str]) -> tuple[str, bool]:
    """(Explorer date, all day) of a decoded DTSTART/DTEND; floating times (and times in a
    zone this machine does not know) are read in the batch's zone."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            if tzid:
                unknown.add(tzid)
            when = batch.wall_time(value.replace(tzinfo=None))
            return utc_text(when.replace(tzinfo=dt.UTC)), False
        return utc_text(value), False
    if isinstance(value, dt.date):
        return dates.day_text(value.year, value.month, value.day), True
    raise dates.DateFormatError(f"{value!r} is not a date or a date-time")


def _tzid(ev: Event, name: str) -> str | None:
    prop = ev.get(name)
    params = getattr(prop, "params", None)
    return str(params.get("TZID")) if params and params.get("TZID") else None


def _categories(ev: Event) -> list[str]:
    found: list[str] = []
    value = ev.get("CATEGORIES")
    for prop in value if isinstance(value, list) else [value] if value is not None else []:
        for cat in getattr(prop, "cats", [prop]):
            name = str(cat).strip()
            if name and name not in found:
                found.append(name)
    return found


def _people(value: Any) -> list[str]:
    people = []
    for prop in value if isinstance(value, list) else [value] if value is not None else []:
        address = str(prop).strip()
        name = str(getattr(prop, "params", {}).get("CN") or "").strip()
        people.append(f"{name} <{address}>" if name else address)
    return people


def convert(ev: Event, batch: Batch, fidelity: Fidelity, unknown: set[str], *, count: bool) -> Item:
    """The event `ev` as an Item; raises DateFormatError (the event's rejection). With
    `count`, what became of its fields is added to `fidelity` (once a series, not once an
    occurrence)."""
    for name, reason in ev.errors:
        if name in ("DTSTART", "DTEND", "DURATION"):
            raise dates.DateFormatError(f"{name} cannot be read: {reason}")
        if count:
            fidelity.drop(f"unreadable {name or 'content'} line(s) in events")
    if "DTSTART" not in ev:
        for name, reason in ev.errors:  # a DTSTART line icalendar could not split
            if name is None and re.search(r"'DTSTART[;:]", reason, re.IGNORECASE):
                raise dates.DateFormatError(f"its DTSTART line cannot be read: {reason}"[:300])
        raise dates.DateFormatError("it has no DTSTART")
    start, all_day = _moment(ev.start, batch, _tzid(ev, "DTSTART"), unknown)
    end: str | None = None
    if "DTEND" in ev or "DURATION" in ev:
        end_value = ev.end
        end, _ = _moment(end_value, batch, _tzid(ev, "DTEND") or _tzid(ev, "DTSTART"), unknown)
        if all_day:  # DTEND of a day is exclusive: an event on the 19th ends on the 20th
            last = end_value - dt.timedelta(days=1)
            end = dates.day_text(last.year, last.month, last.day)
            if end <= start:
                end = None
        elif end < start:
            if count:
                fidelity.drop("DTEND before DTSTART (the event kept as a moment)")
            end = None
        elif end == start:
            end = None
    summary, description = text(ev.get("SUMMARY")), text(ev.get("DESCRIPTION"))
    location = text(ev.get("LOCATION"))
    title = summary
    if not title:
        made = location or description.split("\n")[0][:120] or f"untitled event on {start[:10]}"
        title = made
        if count:
            origin = "LOCATION" if location else "DESCRIPTION" if description else "the date"
            fidelity.change(f"title(s) made from {origin} (no SUMMARY)")
    cats = _categories(ev)
    lines = [description] if description else []
    if len(cats) > 1:
        lines.append("Categories: " + ", ".join(cats))
        if count:
            fidelity.keep(
                "event(s) with several CATEGORIES: the first is the category, "
                "all kept as a 'Categories:' line"
            )
    for name, label in (("URL", "Link"), ("ORGANIZER", "Organizer"), ("ATTENDEE", "Attendees")):
        if name in ev:
            values = _people(ev.get(name)) if name != "URL" else [text(ev.get("URL"))]
            lines.append(f"{label}: {', '.join(values)}")
            if count:
                fidelity.keep(f"{name} kept as a '{label}:' line of text")
    geo = None
    if "GEO" in ev:
        g = ev.get("GEO")
        lat, lon = getattr(g, "latitude", None), getattr(g, "longitude", None)
        if isinstance(lat, float) and isinstance(lon, float):
            geo = (lat, lon)
    place = location or (f"{geo[0]:.5f}, {geo[1]:.5f}" if geo else None)
    if count:
        _account(ev, fidelity, location, geo)
    return Item(
        key=text(ev.get("UID")) or None,
        title=title,
        start=start,
        end=end,
        precision="day" if all_day else "second",
        category=cats[0] if cats else "event",
        summary="\n".join(lines),
        date_text=raw(ev["DTSTART"]),
        place=place,
        geo=geo,
    )


def raw(prop: Any) -> str:
    value = prop.to_ical()
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _account(ev: Event, fidelity: Fidelity, location: str, geo: Any) -> None:
    if location:
        fidelity.keep("LOCATION kept as a place")
    if geo:
        fidelity.keep("GEO kept as the place's coordinates (locations)")
    elif "GEO" in ev:
        fidelity.drop("GEO that is not a latitude;longitude")
    if "UID" in ev:
        fidelity.keep("UID kept as the event's identity (importing again updates it)")
    for name in ev:
        if name not in USED:
            fidelity.drop(f"{name} (no place for it in Explorer)")
    for sub in ev.subcomponents:
        if sub.name == "VALARM":
            fidelity.drop("alarm(s) (VALARM) ignored")
        else:
            fidelity.drop(f"{sub.name} component(s) inside events")
