"""Timesketch's import files: CSV or JSONL with `message`, `datetime` (ISO 8601) or
`timestamp` (microseconds since 1970, Timesketch's own unit), and `timestamp_desc`, plus any
other fields, which are kept as 'name: value' lines of the summary.

Text is plain text, kept as written (a plaso export's Windows event XML keeps every tag).
Instants are stored in UTC at second precision, Explorer's finest unit (the report says how
many had fractions of a second); a `datetime` without a zone is read in the zone the user
names (--zone), as Timesketch reads such times in UTC; an epoch number in `datetime` is read
as seconds, milliseconds or microseconds by its size. The zone the file gave is kept in the
date words.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any

from explorer.exchange.imports.batch import Batch, unstorable
from explorer.exchange.imports.csv_input import CsvFile
from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.text_input import MAX_LINE, LineTooLong, TextReader, json_value
from explorer.exchange.imports.zones import utc_text
from explorer.store import dates

REQUIRED = ("message",)
_KNOWN = frozenset({"message", "datetime", "timestamp", "timestamp_desc"})
FRACTIONS = "time(s) with fractions of a second kept to the second (rounded down)"
_EPOCH = re.compile(r"^-?\d+(\.\d+)?$")
_EPOCH_UNITS = ((1e14, 1e6, "microseconds"), (1e11, 1e3, "milliseconds"), (0, 1, "seconds"))


def _epoch(value: float, unit: float) -> dt.datetime:
    try:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=value / unit)
    except (OverflowError, ValueError):
        raise dates.DateFormatError(
            f"{value:.0f} is not a time Explorer can place (years 1-9999)"
        ) from None


def instant(value: Any, batch: Batch | None = None) -> str:
    """'2015-07-24T19:01:01+02:00' -> '2015-07-24T17:01:01Z'; a time without a zone is read
    in the batch's zone, an epoch number by its size."""
    f = batch.fidelity if batch is not None else None
    text = str(value).strip()
    if (isinstance(value, (int, float)) and not isinstance(value, bool)) or _EPOCH.match(text):
        number = float(text)
        _, unit, name = next(u for u in _EPOCH_UNITS if abs(number) >= u[0])
        if f is not None:
            f.change(f"datetime given as an epoch number, read as {name} since 1970 (UTC)")
        when = _epoch(number, unit)
    else:
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            raise dates.DateFormatError(f"datetime {str(value)[:60]!r} is not ISO 8601") from None
        if when.tzinfo is None:
            if batch is None:
                raise dates.DateFormatError(f"datetime {value!r} has no time zone")
            when = batch.wall_time(when).replace(tzinfo=dt.UTC)
    if when.microsecond and f is not None:
        f.change(FRACTIONS)
    return utc_text(when)


def _timestamp(value: Any, batch: Batch) -> str:
    """Timesketch's `timestamp`: microseconds since 1970, UTC."""
    text = str(value).strip()
    if not _EPOCH.match(text):
        raise dates.DateFormatError(f"timestamp {text[:40]!r} is not a number")
    when = _epoch(float(text), 1e6)
    if when.microsecond:
        batch.fidelity.change(FRACTIONS)
    return utc_text(when)


def _cell(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _add(batch: Batch, where: str, row: dict[str, Any]) -> None:
    f = batch.fidelity
    message = _cell(row.get("message") if row.get("message") is not None else "").strip()
    given = _blank_none(row.get("datetime"))
    stamp = _blank_none(row.get("timestamp"))
    if not message:
        batch.reject(where, "no message")
        return
    if given not in (None, ""):
        start = instant(given, batch)
        date_text = _cell(given).strip()
        if stamp not in (None, ""):
            f.drop("timestamp (the row's datetime is used)")
    elif stamp not in (None, ""):
        start = _timestamp(stamp, batch)
        date_text = f"timestamp {_cell(stamp).strip()}"
        f.change("time(s) read from timestamp (microseconds since 1970), no datetime")
    else:
        batch.reject(where, "no datetime or timestamp")
        return
    extra = [
        f"{k}: {_cell(v)}"
        for k, v in row.items()
        if k not in _KNOWN and v not in (None, "") and isinstance(k, str)
    ]
    if extra:
        f.keep("other field(s) kept as 'name: value' lines", len(extra))
    kind = _cell(row.get("timestamp_desc") or "").strip()
    if not kind:
        f.change("rows without timestamp_desc given the category 'event'")
    batch.add_event(
        key=None,
        title=message.split("\n")[0][:200],
        start=start,
        end=None,
        precision="second",
        category=kind or "event",
        summary="\n".join([message, *extra]),
        date_text=date_text,
        quote=message,
    )
    if len(message.split("\n")[0]) > 200:
        f.change("title(s) cut to 200 characters (the whole message is the summary)")


def _source(reader: TextReader, batch: Batch) -> None:
    batch.title = reader.path.stem
    batch.set_source(
        reader.path.name,
        reader.path.stem,
        note=f"Timesketch timeline imported from {reader.path.name}",
    )


def read_csv(reader: TextReader, batch: Batch) -> None:
    sheet = CsvFile(reader)
    missing = [c for c in REQUIRED if c not in sheet.header]
    if not {"datetime", "timestamp"} & set(sheet.header):
        missing.append("datetime (or timestamp)")
    if missing:
        raise ImportFailed(
            f"{reader.path.name} is not a Timesketch CSV: no column {', '.join(missing)}"
        )
    _source(reader, batch)
    _each(batch, _csv_rows(sheet))


def _csv_rows(sheet: CsvFile) -> Iterable[tuple[str, Any]]:
    for where, cells in sheet.records():
        if isinstance(cells, str):
            yield where, ImportFailed(cells)
        else:
            yield where, dict(zip(sheet.header, cells, strict=True))


def read_jsonl(reader: TextReader, batch: Batch) -> None:
    _source(reader, batch)
    _each(batch, _json_rows(reader))


def _json_rows(reader: TextReader) -> Iterable[tuple[str, Any]]:
    for n, line in enumerate(reader.lines(), 1):
        if isinstance(line, LineTooLong):
            yield f"line {n}", ImportFailed(f"it is longer than {MAX_LINE >> 20} MB")
            continue
        if not line.strip():
            continue
        try:
            yield f"line {n}", json_value(line, "it")
        except ImportFailed as exc:
            yield f"line {n}", exc


def _each(batch: Batch, rows: Iterable[tuple[str, Any]]) -> None:
    for where, row in rows:
        batch.seen += 1
        if isinstance(row, Exception):
            batch.reject(where, str(row))
        elif not isinstance(row, dict):
            batch.reject(where, "not an object")
        elif problem := unstorable(row):
            batch.reject(where, problem)
        else:
            try:
                _add(batch, where, row)
            except dates.DateFormatError as exc:
                batch.reject(where, str(exc))
