"""TimelineJS 3: its JSON document and the spreadsheet (CSV) its users fill in.

Dates are objects of strings {year, month, day, hour, minute, second}; the fields given set
the precision, so {year: '1951', month: ''} is the year 1951. Years may be negative and
huge (the cosmological template starts at -13800000000). Headlines and text are HTML and
are kept as plain text; media are kept as a line naming their address, never fetched.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from explorer.exchange.imports import json_input
from explorer.exchange.imports.batch import Batch, unstorable
from explorer.exchange.imports.csv_input import CsvFile
from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.plain_text import plain
from explorer.exchange.imports.text_input import TextReader, json_value
from explorer.exchange.imports.timelinejs_slide import (
    EVIDENCE_CLASS,
    background_lines,
    from_timelinejs2,
    location_of,
    media_of,
    year_from_timelinejs,
)
from explorer.store import dates

DEFAULT_CATEGORY = "event"
_MARKUP = re.compile(r"<[a-zA-Z/!]|&[#a-zA-Z]")
_FIELDS = ("year", "month", "day", "hour", "minute", "second")


def _field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise dates.DateFormatError(f"{value!r} is not a date field")
    if isinstance(value, float):
        if not value.is_integer():
            raise dates.DateFormatError(f"{value!r} is not a whole number")
        value = int(value)
    return str(value).strip()


#: What became of a time's milliseconds: an era's are lost, an event's kept in its words.
MILLISECONDS = "time(s) with milliseconds kept to the second (rounded down)"
MILLISECONDS_IN_WORDS = (
    "time(s) with milliseconds placed to the second (rounded down), the time as written "
    "kept in the date's words (or its note, beside a display_date)"
)


def date_of(obj: Any, batch: Batch | None = None, millis: str = MILLISECONDS) -> str | None:
    """Explorer's date for a TimelineJS date object; None when it has no year. Its times
    carry no zone: they are read in the batch's zone. `millis` says in the report what
    became of milliseconds."""
    if obj is None or obj == "":
        return None
    if not isinstance(obj, dict):
        raise dates.DateFormatError(f"a date must be an object with a year, not {obj!r}")
    values = [_field(obj.get(f)) for f in _FIELDS]
    if not values[0]:
        return None
    if batch is not None and _has_milliseconds(obj):
        batch.fidelity.change(millis)
    numbers: list[int] = []
    for name, value in zip(_FIELDS, values, strict=True):
        if not value:
            break
        try:
            numbers.append(int(value))
        except ValueError:
            raise dates.DateFormatError(f"{name} {value!r} is not a number") from None
    year = numbers[0] = year_from_timelinejs(numbers[0])
    if not dates.MIN_YEAR <= year <= dates.MAX_YEAR:
        raise dates.DateFormatError(f"year {year} is outside the years Explorer can place")
    if batch is not None and year <= 0:
        batch.fidelity.keep("BCE year(s) read as TimelineJS shows them (year -300 is 300 BCE)")
    if len(numbers) > 3 and batch is not None and 1 <= year <= 9999:
        numbers = _in_utc(batch, numbers)
        year = numbers[0]
    text = dates.year_text(year)
    if len(numbers) > 1:
        text += f"-{numbers[1]:02d}"
    if len(numbers) > 2:
        text += f"-{numbers[2]:02d}"
    if len(numbers) > 3:
        text += f"T{numbers[3]:02d}"
        text += "".join(f":{n:02d}" for n in numbers[4:6])
        text += "Z"
    dates.precision_of(text)  # checks the shape
    return text


def _has_milliseconds(obj: Any) -> bool:
    return isinstance(obj, dict) and _field(obj.get("millisecond")) not in ("", "0")


def written_time(obj: dict[str, Any]) -> str:
    """A date object as the file writes it, milliseconds and all, in the file's own terms
    (its year, its wall-clock time): '2001-07-20 20:17:40.250'."""
    given: list[str] = []
    for name in _FIELDS:
        value = _field(obj.get(name))
        if not value:
            break
        given.append(value if name == "year" else value.zfill(2))
    text = "-".join(given[:3])
    if len(given) > 3:
        text += " " + ":".join(given[3:])
    ms = _field(obj.get("millisecond"))
    if ms not in ("", "0"):
        if len(given) == 6 and ms.isdigit() and len(ms) <= 3:
            text += "." + ms.zfill(3)
        else:
            text += f" (millisecond {ms})"
    return text


def _in_utc(batch: Batch, numbers: list[int]) -> list[int]:
    """Year to hour (and minute, second when given) read in the batch's zone, in UTC; a
    shift by part of an hour gives the minutes too."""
    y, mo, d, h, mi, s = [*numbers, 0, 0][:6]
    try:
        when = dt.datetime(y, mo, d, h, mi, s)
    except ValueError:
        return numbers  # an impossible date: refused with its reason later
    u = batch.wall_time(when)
    out = [u.year, u.month, u.day, u.hour, u.minute, u.second][: max(len(numbers), 4)]
    if len(out) == 4 and u.minute:
        out.append(u.minute)
    return out


def _filled(value: Any) -> bool:
    """Whether a field holds anything (TimelineJS's sheets write objects of empty strings)."""
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    return value not in (None, "", [], False)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _add(batch: Batch, where: str, item: dict[str, Any]) -> None:
    f = batch.fidelity
    text = _obj(item.get("text"))
    raw_body = str(text.get("text") or "")
    raw_headline = str(text.get("headline") or "")
    headline = plain(raw_headline)
    body = plain(raw_body, skip_class=EVIDENCE_CLASS)
    if _MARKUP.search(raw_headline) or _MARKUP.search(raw_body):
        f.change("HTML text(s) made plain text (tags dropped, links kept as 'text (url)')")
    start = date_of(item.get("start_date"), batch, MILLISECONDS_IN_WORDS)
    if start is None:
        batch.reject(where, "it has no start date (a year at least)")
        return
    end = date_of(item.get("end_date"), batch, MILLISECONDS_IN_WORDS)
    end_given = end is not None
    start, end, precision = dates.common_precision(start, end)
    media, quote = media_of(item.get("media"))
    place = location_of(item.get("location"))
    lines = [body] if body else []
    if quote:
        lines.append(quote)
        f.keep("text given as media (a quote) kept in the summary")
    if media:
        lines.append(media.line())
        f.keep("media kept as a 'Media:' line (address, caption, credit; never fetched)")
        if media.embed:
            f.change("media given as embed code kept as the address in it")
    raw_media = _obj(item.get("media"))
    if raw_media.get("thumbnail"):
        f.drop("media thumbnail(s) (an address TimelineJS shows small; the media is kept)")
    for key, value in raw_media.items():
        if key not in ("url", "caption", "credit", "thumbnail") and value not in ("", None):
            f.drop(f"media field {str(key)[:40]!r}")
    background = background_lines(item.get("background"))
    if background:
        lines.extend(background)
        f.keep("slide background(s) kept as 'Background:' lines")
    title = headline
    if not title:
        candidates = (
            ("text", body.split("\n")[0][:120]),
            ("the media's caption", media.caption if media else ""),
            ("the quote given as media", (quote or "").split("\n")[0][:120]),
            ("the media's credit", media.credit if media else ""),
            ("the location", place[0] if place else ""),
            ("the media's address", media.url.rsplit("/", 1)[-1] if media else ""),
        )
        origin, title = next(((o, t) for o, t in candidates if t), ("the date", ""))
        title = title or f"untitled slide on {start}"
        f.change(f"title(s) made from {origin} (no headline)")
    if EVIDENCE_CLASS in raw_body:
        f.change("evidence blocks of Explorer's export (date note, quotes) not read as text")
    display = plain(str(item.get("display_date") or "")) or None
    if display:
        f.keep("display_date kept as the date's words")
    date_note = None
    if _has_milliseconds(item.get("start_date")) or _has_milliseconds(item.get("end_date")):
        written = written_time(item["start_date"])  # start_date is an object with a year
        if end_given:
            written += " – " + written_time(item["end_date"])
        if display:  # Explorer's times are to the second: the written time is kept here
            date_note = f"Imported from {batch.format}; the file writes the time {written}."
        else:
            display = written
    for key in item:
        if key not in _SLIDE_KEYS:
            f.drop(f"slide field {str(key)[:40]!r}")
    batch.add_event(
        key=str(item["unique_id"]) if item.get("unique_id") else None,
        title=title,
        start=start,
        end=end,
        precision=precision,
        category=plain(str(item.get("group") or "")) or DEFAULT_CATEGORY,
        summary="\n".join(lines),
        date_text=display,
        quote=headline or body or title,
        places=(place[0],) if place else (),
        date_note=date_note,
    )
    if place:
        f.keep("location kept as a place")
        name, lat, lon = place
        if lat is not None and lon is not None:
            entity = batch.add_entity("place", name)
            if batch.add_location(entity, lat, lon, "location of the TimelineJS slide"):
                f.keep("location kept as a place with coordinates")
            else:
                f.drop("location coordinates off the globe")


_SLIDE_KEYS = frozenset(
    {
        *("start_date", "end_date", "text", "media", "group", "display_date", "unique_id"),
        *("background", "location", "type"),
    }
)


def read_json(reader: TextReader, batch: Batch) -> None:
    """The document's events are read one by one as the file is read (its other members are
    small and read whole); an event is added only once the title slide is known, since the
    events' ids are made with the source the title names: a title written after the events
    is looked for first, in a pass over the file that holds nothing."""
    name = reader.path.name
    if not json_input.is_object(reader):  # read whole, as ever, to say what it is not
        json_value(reader.document(), name)
        raise ImportFailed(f"{name} is not a TimelineJS file: it has no 'events' list")
    place = _Progress(reader)
    held: dict[str, Any] = {}
    events = False  # an 'events' list met
    begun = False
    for key, index, value in json_input.members(TextReader(reader.path, place), {"events"}):
        if key != "events":
            held[key] = value
            continue
        if index is None and not isinstance(value, list):
            held[key] = value  # not a list: refused once the whole file is read
            continue
        events = True
        if index is None:
            continue
        if not begun:
            if "title" not in held:
                held["title"] = _title_after_events(reader, place)
            _begin(reader, batch, held)
            begun = True
        _event(batch, f"event {index + 1}", value)
    if not events and isinstance(held.get("timeline"), dict) and "events" not in held:
        if not isinstance(held["timeline"].get("date"), list):
            raise ImportFailed(f"{name} looks like a TimelineJS 2 file but has no 'date' list")
        doc = from_timelinejs2(held)
        batch.fidelity.change("TimelineJS 2 file read in TimelineJS 3's terms (the whole file)")
        _begin(reader, batch, doc)
        for i, item in enumerate(doc["events"], 1):
            _event(batch, f"event {i}", item)
        _eras(batch, doc.get("eras"))
        return
    if not events:
        raise ImportFailed(f"{name} is not a TimelineJS file: it has no 'events' list")
    if not begun:  # an empty list of events
        _begin(reader, batch, held)
    if "scale" in held:
        batch.fidelity.keep("'scale' read (Explorer places every year on one axis)")
    _eras(batch, held.get("eras"))


class _Progress:
    """The import's progress as the main pass reads the file; a look ahead (for a title
    written after the events) reports where the main pass is, and can be cancelled too."""

    def __init__(self, reader: TextReader) -> None:
        self.reader, self.done = reader, 0

    def __call__(self, done: int, total: int) -> bool:
        self.done = done
        return self.reader.progress(done, total)

    def ahead(self, done: int, total: int) -> bool:
        return self.reader.progress(self.done, total)


def _title_after_events(reader: TextReader, place: _Progress) -> Any:
    """The title slide of a document that writes it after its events (None without one)."""
    title = None
    for key, _, value in json_input.members(TextReader(reader.path, place.ahead), {"events"}):
        if key == "title":
            title = value
    return title


def _begin(reader: TextReader, batch: Batch, doc: dict[str, Any]) -> None:
    """The title slide: the source's title and note."""
    title = _obj(doc.get("title"))
    title_text = _obj(title.get("text"))
    batch.title = plain(str(title_text.get("headline") or "")) or reader.path.stem
    note = [f"TimelineJS timeline imported from {reader.path.name}"]
    about = plain(str(title_text.get("text") or ""), skip_class=EVIDENCE_CLASS)
    media, quote = media_of(title.get("media"))
    extra = [x for x in (about, quote, media.line() if media else "") if x]
    if extra:
        note.extend(extra)
        batch.fidelity.keep("title slide's text and media kept in the source's note")
    background = background_lines(title.get("background"))
    if background:
        note.extend(background)
        batch.fidelity.keep("title slide's background kept in the source's note")
    for key, value in title.items():
        if key not in ("text", "media", "background") and _filled(value):
            batch.fidelity.drop(f"title slide field {str(key)[:40]!r}")
    batch.set_source(batch.title, batch.title, note="\n".join(note))


def _event(batch: Batch, where: str, item: Any) -> None:
    batch.seen += 1
    if isinstance(item, json_input.TooLong):
        batch.reject(where, json_input.TOO_LONG)
        return
    if not isinstance(item, dict):
        batch.reject(where, "it is not an object")
        return
    if problem := unstorable(item):
        batch.reject(where, problem)
        return
    try:
        _add(batch, where, item)
    except dates.DateFormatError as exc:
        batch.reject(where, str(exc))


def _eras(batch: Batch, eras: Any) -> None:
    if eras is None:
        return
    if not isinstance(eras, list):
        batch.reject("eras", f"it is not a list of eras but {json.dumps(eras)[:40]}")
        return
    for i, era in enumerate(eras, 1):
        if problem := unstorable(era):
            batch.reject(f"era {i}", problem)
            continue
        _add_era(batch, f"era {i}", era)


def _add_era(batch: Batch, where: str, era: Any) -> None:
    try:
        if not isinstance(era, dict):
            raise dates.DateFormatError("it is not an object")
        start = date_of(era.get("start_date"), batch)
        if start is None:
            raise dates.DateFormatError("it has no start date")
        start, end, precision = dates.common_precision(start, date_of(era.get("end_date"), batch))
        text = _obj(era.get("text"))
        title = plain(str(text.get("headline") or "")) or f"{start} – {end or ''}"
        if not text.get("headline"):
            batch.fidelity.change("era title(s) made from their dates (no headline)")
        batch.add_period(
            key=f"{start}|{end}|{title}", title=title, start=start, end=end, precision=precision
        )
        if plain(str(text.get("text") or "")):
            batch.fidelity.drop("era text (Explorer's periods hold a title and dates only)")
        for key in era:
            if key not in ("start_date", "end_date", "text"):
                batch.fidelity.drop(f"era field {str(key)[:40]!r}")
    except dates.DateFormatError as exc:
        batch.reject(where, str(exc))


#: The spreadsheet's columns (TimelineJS's Google Sheets template).
CSV_COLUMNS = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)


def _time_fields(value: str) -> dict[str, str]:
    value = value.strip().lower()
    if not value:
        return {}
    pm = value.endswith("pm")
    value = value.removesuffix("am").removesuffix("pm").strip()
    parts = value.split(":")
    if not 1 <= len(parts) <= 3 or not all(p.strip().isdigit() for p in parts):
        raise dates.DateFormatError(f"time {value!r} is not written as HH:MM[:SS]")
    numbers = [int(p) for p in parts]
    if pm and numbers[0] < 12:
        numbers[0] += 12
    return dict(zip(("hour", "minute", "second"), map(str, numbers), strict=False))


def read_csv(reader: TextReader, batch: Batch) -> None:
    sheet = CsvFile(reader)
    header = sheet.header
    missing = [c for c in ("Year", "Headline") if c not in header]
    if missing:
        raise ImportFailed(
            f"{reader.path.name} is not a TimelineJS sheet: no column {', '.join(missing)}"
        )
    batch.title = reader.path.stem
    batch.set_source(
        reader.path.name,
        reader.path.stem,
        note=f"TimelineJS sheet imported from {reader.path.name}",
    )
    unused = [h for h in header if h not in CSV_COLUMNS and h != "Type"]
    for where, values in sheet.records():
        if isinstance(values, str):
            batch.seen += 1
            batch.reject(where, values)
            continue
        row = dict(zip(header, values, strict=True))
        for h in unused:
            if row[h].strip():
                batch.fidelity.drop(f"sheet column {h[:40]!r}")
        if row.get("Media Thumbnail", "").strip():
            batch.fidelity.drop("media thumbnail(s) (an address TimelineJS shows small)")
        kind = row.get("Type", "").strip().lower()
        if kind == "title":
            batch.title = plain(row.get("Headline", "")) or batch.title
            title_row = _sheet_item(row)
            media, quote = media_of(title_row["media"])
            texts = (plain(row.get("Text", "")), quote or "", media.line() if media else "")
            extra = [x for x in texts if x]
            if extra:
                batch.fidelity.keep("title slide's text and media kept in the source's note")
            background = background_lines(title_row["background"])
            if background:
                extra.extend(background)
                batch.fidelity.keep("title slide's background kept in the source's note")
            batch.retitle_source(batch.title, extra)
            continue
        if kind != "era":
            batch.seen += 1
        try:
            item = _sheet_item(row)
        except dates.DateFormatError as exc:
            batch.reject(where, str(exc))
            continue
        if kind == "era":
            _add_era(batch, where, item)
            continue
        try:
            _add(batch, where, item)
        except dates.DateFormatError as exc:
            batch.reject(where, str(exc))


def _sheet_item(row: dict[str, str]) -> dict[str, Any]:
    def when(prefix: str) -> dict[str, str]:
        return {
            "year": row.get(f"{prefix}Year", ""),
            "month": row.get(f"{prefix}Month", ""),
            "day": row.get(f"{prefix}Day", ""),
            **_time_fields(row.get(f"{prefix}Time", "")),
        }

    return {
        "start_date": when(""),
        "end_date": when("End "),
        "text": {"headline": row.get("Headline", ""), "text": row.get("Text", "")},
        "media": {
            "url": row.get("Media", ""),
            "caption": row.get("Media Caption", ""),
            "credit": row.get("Media Credit", ""),
        },
        "group": row.get("Group", ""),
        "display_date": row.get("Display Date", ""),
        "background": {"color": row.get("Background", "")}
        if row.get("Background", "").strip().startswith("#")
        else {"url": row.get("Background", "")},
    }
