"""Timesketch's import files: CSV or JSONL with `message`, `datetime` (ISO 8601 with a zone)
and `timestamp_desc`, plus any other fields, which are kept as lines of the summary.

Instants are stored in UTC at second precision (or finer written as seconds: Explorer's
finest unit); the zone the file gave is kept in the date words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from explorer.exchange.imports.batch import Batch, unstorable
from explorer.exchange.imports.csv_input import CsvFile
from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.plain_text import plain
from explorer.exchange.imports.text_input import MAX_LINE, LineTooLong, TextReader, json_value
from explorer.exchange.imports.zones import utc_text
from explorer.store import dates

REQUIRED = ("message", "datetime", "timestamp_desc")
_KNOWN = frozenset({"message", "datetime", "timestamp", "timestamp_desc"})


def instant(value: str) -> str:
    """'2015-07-24T19:01:01+02:00' -> '2015-07-24T17:01:01Z'."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise dates.DateFormatError(f"datetime {value!r} is not ISO 8601") from None
    if when.tzinfo is None:
        raise dates.DateFormatError(f"datetime {value!r} has no time zone")
    return utc_text(when)


def _add(batch: Batch, where: str, row: dict[str, Any]) -> None:
    missing = [k for k in ("message", "datetime") if not str(row.get(k) or "").strip()]
    if missing:
        batch.reject(where, f"no {' or '.join(missing)}")
        return
    start = instant(str(row["datetime"]))
    extra = [
        f"{k}: {plain(str(v))}"
        for k, v in row.items()
        if k not in _KNOWN and v not in (None, "") and isinstance(k, str)
    ]
    message = plain(str(row["message"]))
    batch.add_event(
        key=None,
        title=message.split("\n")[0][:200],
        start=start,
        end=None,
        precision="second",
        category=plain(str(row.get("timestamp_desc") or "")) or "event",
        summary="\n".join([message, *extra]),
        date_text=str(row["datetime"]).strip(),
        quote=message,
    )


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
