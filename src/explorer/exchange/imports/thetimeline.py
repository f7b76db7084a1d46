"""The Timeline Project's `.timeline` XML: categories with colours, events, eras.

The XML is parsed with defusedxml as it is read: entity declarations (the billion-laughs
expansion) and external references are refused before they can do anything. Each event is read
as soon as it ends and taken out of the tree, so a large file is never held whole. Times have
no zone in the file and are read in the zone the user names; an event whose start and end are
both at midnight is a day (or days). Text is plain text, kept as written (it is never HTML:
"Die <zweite> Szene" keeps its word). What has no column of its own is kept as a line of the
event's summary (colour, labels, hyperlink, progress, container), and the report says so. The
format follows The Timeline Project's own writer and reader (thetimelineproj,
source/timelinelib/dataexport/timelinexml.py and dataimport/timelinexml.py, commit 1d1ca9ff).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from explorer.exchange.imports.batch import Batch
from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.text_input import TextReader
from explorer.store import dates

_WHEN = re.compile(r"^(-?\d{1,12})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
#: A container's text is "[id]name", an event inside one "(id)text"; a text that itself
#: begins with "[" or "(" is written with a space before it (dataexport/timelinexml.py).
_CONTAINER = re.compile(r"^\[(\d+)\](.*)$", re.DOTALL)
_SUBEVENT = re.compile(r"^\((\d+)\)(.*)$", re.DOTALL)
OLD_TEXT_FORMAT = "# Written by Timeline "
_EVENT_TAGS = frozenset(
    {
        *("start", "end", "text", "progress", "fuzzy", "fuzzy_start", "fuzzy_end", "locked"),
        *("ends_today", "category", "categories", "description", "labels", "alert"),
        *("hyperlink", "icon", "default_color", "milestone"),
    }
)


class _Tree:
    """An ElementTree target that builds the document, except that each <event> of
    <timeline><events> is taken out of the tree when it ends and queued in `ended`, so the
    events are read one by one as the file is parsed and never held all at once."""

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.open: list[ET.Element] = []
        self.root: ET.Element | None = None
        self.ended: list[ET.Element] = []

    def start(self, tag: str, attrib: dict[str, str]) -> ET.Element:
        el = self.builder.start(tag, attrib)
        if self.root is None:
            self.root = el
        self.open.append(el)
        return el

    def end(self, tag: str) -> ET.Element:
        el = self.builder.end(tag)
        self.open.pop()
        if tag == "event" and [e.tag for e in self.open] == ["timeline", "events"]:
            self.open[-1].remove(el)
            self.ended.append(el)
        return el

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> ET.Element:
        return self.builder.close()


def safe_parse(reader: TextReader, tree: _Tree) -> Iterator[list[ET.Element]]:
    """Parse XML as it is read, refusing DTD entities and external references; yields the
    events that ended in each chunk read (and the last ones at the end)."""
    parser = DefusedXMLParser(
        target=tree, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    try:
        for text in reader.chunks():
            parser.feed(text)
            yield _taken(tree)
        parser.close()
        yield _taken(tree)
    except DefusedXmlException:
        raise ImportFailed(
            f"{reader.path.name} is refused: it declares or references XML entities, "
            "which are not accepted"
        ) from None
    except ET.ParseError as exc:
        raise ImportFailed(f"{reader.path.name} is not well-formed XML: {exc}") from None
    except RecursionError:
        raise ImportFailed(f"{reader.path.name} is nested too deeply to be read") from None


def _taken(tree: _Tree) -> list[ET.Element]:
    ended, tree.ended = tree.ended, []
    return ended


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
    try:
        when = dt.datetime(y, mo, d, *hms)
    except ValueError:
        raise dates.DateFormatError(f"{day} is not a day of the calendar") from None
    u = batch.wall_time(when)
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


def _old_text_format(reader: TextReader) -> None:
    with reader.path.open("rb") as f:
        head = f.read(len(OLD_TEXT_FORMAT) + 3).decode("utf-8", "replace").lstrip("\ufeff")
    if head.startswith(OLD_TEXT_FORMAT):
        # thetimelineproj source/timelinelib/db/__init__.py, lines 78-79: its own message
        raise ImportFailed(
            f"{reader.path.name} is in The Timeline Project's old text format (written by "
            "versions before 0.10); open it in The Timeline Project 0.21.1, which converts it "
            "to the XML format, save it, and import that file"
        )


def _category_color(batch: Batch, ev: ET.Element) -> str | None:
    value = _text(ev, "default_color")
    return _color(value) if value else None


def _timetype(root: ET.Element) -> str:
    return _text(root, "timetype") or "gregoriantime"


def read(reader: TextReader, batch: Batch) -> None:
    """Events are read one by one as the file is parsed; the rest of the document (its
    categories, eras, settings) is small and read whole. What refuses the whole file (its
    root, its kind of time) is said once the file is parsed, after any fault of the XML."""
    _old_text_format(reader)
    batch.title = reader.path.stem
    batch.set_source(
        reader.path.name,
        reader.path.stem,
        note=f"The Timeline Project file imported from {reader.path.name}",
    )
    tree = _Tree()
    containers: dict[str, str] = {}
    number = 0
    for ended in safe_parse(reader, tree):
        root = tree.root
        if root is None or _timetype(root) != "gregoriantime":
            continue  # refused below
        for ev in ended:
            number += 1
            _event(batch, f"event {number}", ev, containers)
    root = tree.root
    if root is None:  # not reached: a document without a root is not well-formed XML
        raise ImportFailed(f"{reader.path.name} is not a .timeline file: it has no root")
    if root.tag != "timeline":
        raise ImportFailed(f"{reader.path.name} is not a .timeline file: its root is <{root.tag}>")
    timetype = _timetype(root)
    if timetype != "gregoriantime":
        raise ImportFailed(
            f"{reader.path.name} counts time as {timetype!r}, not in calendar dates; "
            "only Gregorian timelines can be imported"
        )
    f = batch.fidelity
    for cat in root.iterfind("categories/category"):
        name = _text(cat, "name")
        if name:
            batch.add_category(name, _color(_text(cat, "color")))
            f.keep("category colour(s) kept")
            for tag in ("progress_color", "done_color", "font_color", "parent"):
                if cat.find(tag) is not None:
                    f.drop(f"category {tag}")
    for i, era in enumerate(root.iterfind("eras/era"), 1):
        try:
            start, end, precision = _dates(batch, _text(era, "start"), _text(era, "end"))
            name = _text(era, "name") or f"era {i}"
            batch.add_period(
                key=f"{start}|{end}|{name}", title=name, start=start, end=end, precision=precision
            )
            if _text(era, "color"):
                f.drop("era colour(s) (Explorer's periods have none)")
        except dates.DateFormatError as exc:
            batch.reject(f"era {i}", str(exc))
    for tag in ("view", "now"):
        if root.find(tag) is not None:
            f.drop(f"<{tag}> (the file's display settings)")


def _event(batch: Batch, where: str, ev: ET.Element, containers: dict[str, str]) -> None:
    f = batch.fidelity
    batch.seen += 1
    try:
        start, end, precision = _dates(batch, _text(ev, "start"), _text(ev, "end"))
    except dates.DateFormatError as exc:
        batch.reject(where, str(exc))
        return
    lines, title = _lines(batch, ev, containers)
    if not title:
        what = "milestone" if _true(ev, "milestone") else "event"
        title = f"untitled {what} on {start[:10]}"
        f.change("title(s) made from the date (empty text)")
    fuzzy = "True" in (_text(ev, "fuzzy"), _text(ev, "fuzzy_start"), _text(ev, "fuzzy_end"))
    if fuzzy:
        f.change("fuzzy date(s) kept as 'circa'")
    cats = [c.text.strip() for c in ev.iterfind("categories/category") if c.text]
    category = _text(ev, "category") or (cats[0] if cats else "") or "event"
    if len(cats) > 1 or (cats and cats[0] != category):
        lines.append("Categories: " + ", ".join(dict.fromkeys([category, *cats])))
        f.keep("events with several categories: all kept as a 'Categories:' line")
    try:
        batch.add_event(
            key=None,
            title=title,
            start=start,
            end=end,
            precision=precision,
            category=category,
            summary="\n".join(lines),
            qualifier="circa" if fuzzy else "exact",
            date_text=f"{_text(ev, 'start')} – {_text(ev, 'end')}",
            quote=title,
        )
    except dates.DateFormatError as exc:
        batch.reject(where, str(exc))


def _true(ev: ET.Element, tag: str) -> bool:
    return _text(ev, tag) == "True"


def _lines(batch: Batch, ev: ET.Element, containers: dict[str, str]) -> tuple[list[str], str]:
    """The summary lines of an event and its title, with what they hold reported."""
    f = batch.fidelity
    raw = (ev.find("text").text or "") if ev.find("text") is not None else ""  # type: ignore[union-attr]
    title = raw
    lines: list[str] = []
    if m := _CONTAINER.match(raw):
        title = m.group(2).strip()
        containers[m.group(1)] = title
        lines.append("Container of other events")
        f.keep("container(s) kept as events (their events say 'Part of:')")
    elif m := _SUBEVENT.match(raw):
        title = m.group(2).strip()
        lines.append(f"Part of: {containers.get(m.group(1), 'container ' + m.group(1))}")
    elif raw.startswith((" (", " [")):
        title = raw[1:]  # the writer's space before a text that begins with ( or [
    title = title.strip()
    description = _text(ev, "description")
    if description:
        lines.insert(0, description)
    if _true(ev, "milestone"):
        lines.append("Milestone")
        f.keep("milestone(s) kept as a 'Milestone' line")
    for tag, label in (("labels", "Labels"), ("hyperlink", "Link")):
        if _text(ev, tag):
            lines.append(f"{label}: {_text(ev, tag)}")
            f.keep(f"{tag} kept as a '{label}:' line")
    color = _category_color(batch, ev)
    if color:
        lines.append(f"Colour: {color}")
        f.keep("event colour(s) (default_color) kept as a 'Colour:' line")
    progress = _text(ev, "progress")
    if progress and progress != "0":
        lines.append(f"Progress: {progress}%")
        f.keep("progress kept as a 'Progress:' line")
    for tag, what in (
        ("alert", "alert(s)"),
        ("icon", "icon(s) (images in the file)"),
    ):
        if _text(ev, tag):
            f.drop(what)
    if _true(ev, "ends_today"):
        f.change("'ends today' event(s): the end written in the file is kept")
    if _true(ev, "locked"):
        f.drop("'locked' flag(s) (an editing setting)")
    for child in ev:
        if child.tag not in _EVENT_TAGS:
            f.drop(f"event field <{child.tag[:40]}>")
    return lines, title
