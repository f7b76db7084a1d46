"""TimelineJS 3: its JSON document and the spreadsheet (CSV) its users fill in.

Dates are objects of strings {year, month, day, hour, minute, second}; the fields given set
the precision, so {year: '1951', month: ''} is the year 1951. Years may be negative and
huge (the cosmological template starts at -13800000000). Headlines and text are HTML and
are kept as plain text; media are kept as a line naming their address, never fetched.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from explorer.exchange.imports.batch import Batch, unstorable
from explorer.exchange.imports.csv_input import CsvFile
from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.plain_text import plain
from explorer.exchange.imports.text_input import TextReader, json_value
from explorer.store import dates

DEFAULT_CATEGORY = "event"
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


def date_of(obj: Any, batch: Batch | None = None) -> str | None:
    """Explorer's date for a TimelineJS date object; None when it has no year. Its times
    carry no zone: they are read in the batch's zone."""
    if obj is None or obj == "":
        return None
    if not isinstance(obj, dict):
        raise dates.DateFormatError(f"a date must be an object with a year, not {obj!r}")
    values = [_field(obj.get(f)) for f in _FIELDS]
    if not values[0]:
        return None
    numbers: list[int] = []
    for name, value in zip(_FIELDS, values, strict=True):
        if not value:
            break
        try:
            numbers.append(int(value))
        except ValueError:
            raise dates.DateFormatError(f"{name} {value!r} is not a number") from None
    year = numbers[0]
    if not dates.MIN_YEAR <= year <= dates.MAX_YEAR:
        raise dates.DateFormatError(f"year {year} is outside the years Explorer can place")
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


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _media_line(media: Any) -> str:
    if not isinstance(media, dict) or not media.get("url"):
        return ""
    parts = [f"Media: {plain(str(media['url']))}"]
    for key in ("caption", "credit"):
        if media.get(key):
            parts.append(plain(str(media[key])))
    return " — ".join(parts)


def _add(batch: Batch, where: str, item: dict[str, Any]) -> None:
    text = _obj(item.get("text"))
    headline = plain(str(text.get("headline") or ""))
    body = plain(str(text.get("text") or ""))
    start = date_of(item.get("start_date"), batch)
    if start is None:
        batch.reject(where, "it has no start date (a year at least)")
        return
    end = date_of(item.get("end_date"), batch)
    start, end, precision = dates.common_precision(start, end)
    title = headline or body.split("\n")[0][:120]
    if not title:
        batch.reject(where, "it has neither a headline nor text")
        return
    summary = "\n".join(x for x in (body, _media_line(item.get("media"))) if x)
    group = plain(str(item.get("group") or "")) or DEFAULT_CATEGORY
    display = plain(str(item.get("display_date") or "")) or None
    batch.add_event(
        key=str(item["unique_id"]) if item.get("unique_id") else None,
        title=title,
        start=start,
        end=end,
        precision=precision,
        category=group,
        summary=summary,
        date_text=display,
        quote=headline or body,
    )


def read_json(reader: TextReader, batch: Batch) -> None:
    doc = json_value(reader.document(), reader.path.name)
    if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
        raise ImportFailed(f"{reader.path.name} is not a TimelineJS file: it has no 'events' list")
    title_text = _obj(_obj(doc.get("title")).get("text"))
    batch.title = plain(str(title_text.get("headline") or "")) or reader.path.stem
    batch.set_source(
        batch.title, batch.title, note=f"TimelineJS timeline imported from {reader.path.name}"
    )
    for i, item in enumerate(doc["events"], 1):
        batch.seen += 1
        where = f"event {i}"
        if not isinstance(item, dict):
            batch.reject(where, "it is not an object")
            continue
        if problem := unstorable(item):
            batch.reject(where, problem)
            continue
        try:
            _add(batch, where, item)
        except dates.DateFormatError as exc:
            batch.reject(where, str(exc))
    eras = doc.get("eras")
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
        batch.add_period(
            key=f"{start}|{end}|{title}", title=title, start=start, end=end, precision=precision
        )
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
    for where, values in sheet.records():
        if isinstance(values, str):
            batch.seen += 1
            batch.reject(where, values)
            continue
        row = dict(zip(header, values, strict=True))
        kind = row.get("Type", "").strip().lower()
        if kind == "title":
            batch.title = plain(row.get("Headline", "")) or batch.title
            batch.retitle_source(batch.title)
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
    }
