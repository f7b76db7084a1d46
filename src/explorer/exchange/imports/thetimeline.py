"""The Timeline Project's `.timeline` XML: categories with colours, events, eras.

The XML is parsed as it is read, and any entity declaration (the billion-laughs expansion)
or external entity is refused before it can do anything. Times have no zone in the file and
are taken as UTC; an event whose start and end are both at midnight is a day (or days).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import NoReturn
from xml.parsers import expat

from explorer.exchange.imports.batch import Batch
from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.plain_text import plain
from explorer.exchange.imports.text_input import TextReader
from explorer.store import dates

_WHEN = re.compile(r"^(-?\d{1,12})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class _Forbidden(Exception):
    pass


def safe_parse(reader: TextReader) -> ET.Element:
    """Parse XML as it is read, refusing DTD entities and external references."""
    parser = expat.ParserCreate()
    builder = ET.TreeBuilder()

    def forbid(*_: object) -> NoReturn:
        raise _Forbidden("it declares or references XML entities, which are not accepted")

    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.buffer_text = True
    try:
        for text in reader.chunks():
            parser.Parse(text, False)
        parser.Parse("", True)
        return builder.close()
    except _Forbidden as exc:
        raise ImportFailed(f"{reader.path.name} is refused: {exc}") from None
    except expat.ExpatError as exc:
        raise ImportFailed(f"{reader.path.name} is not well-formed XML: {exc}") from None


def _text(el: ET.Element | None, tag: str) -> str:
    child = el.find(tag) if el is not None else None
    return (child.text or "").strip() if child is not None else ""


def _color(value: str) -> str | None:
    parts = value.split(",")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        return None
    r, g, b = (min(255, int(p)) for p in parts)
    return f"#{r:02x}{g:02x}{b:02x}"


def _when(value: str) -> tuple[str, tuple[int, int, int] | None]:
    m = _WHEN.match(value.strip())
    if not m:
        raise dates.DateFormatError(f"{value!r} is not a date and time")
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    day = dates.day_text(y, mo, d)
    if m.group(4) is None:
        return day, None
    h, mi, s = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
    if s == 60:
        raise dates.DateFormatError(
            f"{value!r} is a leap second, which Explorer's times (UTC seconds) cannot hold"
        )
    if h > 23 or mi > 59 or s > 59:
        raise dates.DateFormatError(f"{value!r} is not a time of day")
    return day, (h, mi, s)


def _written(day: str, hms: tuple[int, int, int] | None, precision: str) -> str:
    if precision == "day" or hms is None:
        return day
    h, m, s = hms
    return f"{day}T{h:02d}:{m:02d}Z" if precision == "minute" else f"{day}T{h:02d}:{m:02d}:{s:02d}Z"


def _in_utc(batch: Batch, day: str, hms: tuple[int, int, int]) -> tuple[str, tuple[int, int, int]]:
    """The file's wall-clock time (it writes no zone) in UTC."""
    year, mo, d = (int(p) for p in day.lstrip("+-").split("-"))
    y = -year if day.startswith("-") else year
    if not 1 <= y <= 9999:
        return day, hms
    u = batch.wall_time(dt.datetime(y, mo, d, *hms))
    return dates.day_text(u.year, u.month, u.day), (u.hour, u.minute, u.second)


def _dates(batch: Batch, start: str, end: str) -> tuple[str, str | None, str]:
    (d0, t0), (d1, t1) = _when(start), _when(end or start)
    times = [t for t in (t0, t1) if t is not None]
    if all(t == (0, 0, 0) for t in times):
        precision = "day"
    else:
        if t0 is not None:
            d0, t0 = _in_utc(batch, d0, t0)
        if t1 is not None:
            d1, t1 = _in_utc(batch, d1, t1)
        times = [t for t in (t0, t1) if t is not None]
        precision = "minute" if all(t[2] == 0 for t in times) else "second"
    a, b = _written(d0, t0, precision), _written(d1, t1, precision)
    if a == b:
        return a, None, precision
    return a, b, precision


def read(reader: TextReader, batch: Batch) -> None:
    root = safe_parse(reader)
    if root.tag != "timeline":
        raise ImportFailed(f"{reader.path.name} is not a .timeline file: its root is <{root.tag}>")
    timetype = _text(root, "timetype") or "gregoriantime"
    if timetype != "gregoriantime":
        raise ImportFailed(
            f"{reader.path.name} counts time as {timetype!r}, not in calendar dates; "
            "only Gregorian timelines can be imported"
        )
    batch.title = reader.path.stem
    batch.set_source(
        reader.path.name,
        reader.path.stem,
        note=f"The Timeline Project file imported from {reader.path.name}",
    )
    for cat in root.iterfind("categories/category"):
        name = _text(cat, "name")
        if name:
            batch.add_category(name, _color(_text(cat, "color")))
    for i, ev in enumerate(root.iterfind("events/event"), 1):
        batch.seen += 1
        where = f"event {i}"
        try:
            start, end, precision = _dates(batch, _text(ev, "start"), _text(ev, "end"))
        except dates.DateFormatError as exc:
            batch.reject(where, str(exc))
            continue
        title = plain(_text(ev, "text"))
        if not title:
            batch.reject(where, "it has no text")
            continue
        fuzzy = "True" in (_text(ev, "fuzzy"), _text(ev, "fuzzy_start"), _text(ev, "fuzzy_end"))
        link = _text(ev, "hyperlink")
        summary = "\n".join(x for x in (plain(_text(ev, "description")), link) if x)
        try:
            batch.add_event(
                key=None,
                title=title,
                start=start,
                end=end,
                precision=precision,
                category=_text(ev, "category") or "event",
                summary=summary,
                qualifier="circa" if fuzzy else "exact",
                date_text=f"{_text(ev, 'start')} – {_text(ev, 'end')}",
                quote=title,
            )
        except dates.DateFormatError as exc:
            batch.reject(where, str(exc))
    for i, era in enumerate(root.iterfind("eras/era"), 1):
        try:
            start, end, precision = _dates(batch, _text(era, "start"), _text(era, "end"))
            name = _text(era, "name") or f"era {i}"
            batch.add_period(
                key=f"{start}|{end}|{name}", title=name, start=start, end=end, precision=precision
            )
        except dates.DateFormatError as exc:
            batch.reject(f"era {i}", str(exc))
