"""Explorer's own format: what `explorer export` writes, read back row for row.

JSON: one document with a list of rows per table. CSV: a folder with one file per table,
where an empty cell is NULL, numbers are typed by the table's columns, and the quote that
export puts before a cell a spreadsheet would run as a formula (or that begins with a quote)
is taken off again. Ids are kept, so an export imported into an empty project gives the same
project back.

The annotator's notes and own items (`notes` and `items`, or notes.csv and items.csv) are
checked here like an annotations bundle and kept on the batch; the caller merges them into
the project's work file once the project's rows have landed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from explorer.exchange import notes_file
from explorer.exchange.export import ITEM_COLUMNS, JSON_CELLS, NOTE_COLUMNS
from explorer.exchange.imports import json_input
from explorer.exchange.imports.batch import TABLES, Batch, unstorable
from explorer.exchange.imports.csv_input import CsvFile
from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.text_input import Progress, TextReader, json_value
from explorer.store import dates
from explorer.store.errors import StoreError


def columns(db: Database, table: str) -> dict[str, tuple[str, bool]]:
    """Column -> (declared type, NOT NULL) of a table in the target project."""
    return {
        str(r[1]): (str(r[2]).upper(), bool(r[3]))
        for r in db.execute(f"PRAGMA table_info([{table}])").fetchall()
    }


def defaults(db: Database, table: str) -> dict[str, Any]:
    """Column -> the value a NOT NULL column with a default takes when a row leaves it out
    (an export from an older schema has no such column)."""
    out: dict[str, Any] = {}
    for r in db.execute(f"PRAGMA table_info([{table}])").fetchall():
        default = r[4]
        if not r[3] or default is None:
            continue
        text = str(default)
        if text.startswith("'") and text.endswith("'"):
            out[str(r[1])] = text[1:-1].replace("''", "'")
        else:
            try:
                out[str(r[1])] = int(text)
            except ValueError:
                out[str(r[1])] = float(text)
    return out


def _check_event(row: dict[str, Any]) -> None:
    b = dates.bounds(str(row["start"]), row.get("end"), str(row["precision"]))
    expected = {"earliest": b.earliest, "latest": b.latest, "t0": b.t0, "t1": b.t1}
    for key, value in expected.items():
        given = row.get(key)
        if given is not None and given != value:
            raise dates.DateFormatError(f"{key} is {given!r} but its dates say {value!r}")
        row[key] = value


def _take(
    batch: Batch,
    table: str,
    where: str,
    row: Any,
    cols: dict[str, tuple[str, bool]],
    defaults_of: dict[str, Any],
) -> None:
    batch.seen += table == "events"
    if not isinstance(row, dict):
        batch.reject(where, "not an object")
        return
    unknown = sorted(set(row) - set(cols))
    if unknown:
        batch.reject(where, f"unknown column(s) {', '.join(unknown)}")
        return
    derived = {"earliest", "latest", "t0", "t1"} if table == "events" else set()
    for c, value in defaults_of.items():
        if row.get(c) is None:
            row[c] = value
    missing = sorted(
        c for c, (_, notnull) in cols.items() if notnull and row.get(c) is None and c not in derived
    )
    if missing:
        batch.reject(where, f"no value for {', '.join(missing)}")
        return
    for c, value in row.items():
        if problem := unstorable(value):
            batch.reject(where, f"{c}: {problem}")
            return
        if value is not None and not isinstance(value, (str, int, float)):
            batch.reject(where, f"{c} holds {type(value).__name__}, not text or a number")
            return
        if isinstance(value, float) and not math.isfinite(value):
            batch.reject(where, f"{c} is not a finite number")
            return
    if table == "events":
        try:
            _check_event(row)
        except (dates.DateFormatError, KeyError) as exc:
            batch.reject(where, str(exc))
            return
    batch.put(table, dict(row))


def read_json(reader: TextReader, batch: Batch, db: Database) -> None:
    """Each table's rows (and the notes and own items) are read one by one as the file is
    read. What makes the whole file unreadable (not this format, another version, a table
    that is not a list) is known only once it is read to its end, when the import is refused
    with the same words as ever (the rows already read are undone with it)."""
    name = reader.path.name
    if not json_input.is_object(reader):  # read whole, as ever, to say what it is not
        json_value(reader.document(), name)
        raise ImportFailed(f"{name} is not an Explorer JSON export")
    batch.title = reader.path.stem
    lists = (*TABLES, "notes", "items")
    shape = {table: (columns(db, table), defaults(db, table)) for table in TABLES}
    held: dict[str, Any] = {}
    not_lists: set[str] = set()
    seen: set[str] = set()  # ids of notes and own items, one namespace
    for key, index, value in json_input.members(reader, set(lists)):
        if key not in lists:
            held[key] = value
            continue
        if index is None:
            if not isinstance(value, list):
                not_lists.add(key)
            continue
        if "format" in held and held["format"] != "explorer-json":
            continue  # refused below: read on only for faults of the JSON itself
        where = f"{key} {index + 1}"
        if isinstance(value, json_input.TooLong):
            batch.seen += key == "events"
            batch.reject(where, json_input.TOO_LONG)
        elif key in shape:
            _take(batch, key, where, value, *shape[key])
        else:
            _annotations(batch, [(where, value)], "u" if key == "items" else "", seen)
    if held.get("format") != "explorer-json":
        raise ImportFailed(f"{name} is not an Explorer JSON export")
    if held.get("format_version") != 1:
        raise ImportFailed(
            f"{name} is format version {held.get('format_version')!r}; "
            "this Explorer reads version 1"
        )
    for table in lists:
        if table in not_lists:
            raise ImportFailed(f"{name}: '{table}' is not a list of rows")


def _annotations(
    batch: Batch, records: Iterable[tuple[str, Any]], kind: str, seen: set[str]
) -> None:
    """Check each note (kind "") or own item (kind "u") as a bundle's, onto the batch;
    `seen` holds the ids already taken."""
    for where, record in records:
        if problem := unstorable(record):
            batch.reject(where, problem)
            continue
        try:
            if kind == "u":
                item = notes_file.incoming_item(record)
                ident = item.item.id
            else:
                note = notes_file.incoming_note(record)
                ident = note.note.id
        except StoreError as exc:
            batch.reject(where, str(exc))
            continue
        if ident in seen:
            batch.reject(where, f"id {ident} appears twice")
            continue
        seen.add(ident)
        if kind == "u":
            batch.items.append(item)
        else:
            batch.notes.append(note)


def _typed(value: str, kind: str, notnull: bool) -> Any:
    if value == "" and not notnull:
        return None
    if value.startswith("'"):
        return value[1:]
    if kind == "REAL" and value:
        return float(value)
    if kind == "INTEGER" and value:
        if len(value) > 20:  # int() refuses over 4,300 digits; SQLite holds 19
            raise ValueError(f"{value[:20]}… is too long a number")
        return int(value)
    return value


def _record(kind: str, cells: dict[str, str]) -> dict[str, Any]:
    """A notes.csv or items.csv row back in the bundle's form; raises ValueError."""
    value: dict[str, Any] = {k: (v[1:] if v.startswith("'") else v) for k, v in cells.items()}
    for key in JSON_CELLS:
        if key in value:
            value[key] = json.loads(value[key])
    if value.get("deleted") not in ("0", "1"):
        raise ValueError("deleted is neither 0 nor 1")
    value["deleted"] = value["deleted"] == "1"
    if kind == "notes":
        value["target"] = {
            "kind": value.pop("target_kind"),
            "id": value.pop("target_id") or None,
            "start": value.pop("range_start") or None,
            "end": value.pop("range_end") or None,
        }
    return value


def _annotation_rows(
    folder: Path, kind: str, progress: Progress | None
) -> Iterable[tuple[str, Any]]:
    path = folder / f"{kind}.csv"
    if not path.is_file():
        return
    expected = list(NOTE_COLUMNS if kind == "notes" else ITEM_COLUMNS)
    sheet = CsvFile(TextReader(path, progress))
    if sheet.header != expected:
        raise ImportFailed(f"{path.name} does not have the columns {', '.join(expected)}")
    for at, values in sheet.records():
        where = f"{kind}.csv {at}"
        if isinstance(values, str):
            yield where, values
            continue
        try:
            yield where, _record(kind, dict(zip(expected, values, strict=True)))
        except (ValueError, RecursionError) as exc:
            yield where, f"a cell cannot be read: {_why(exc)}"


def _why(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "its JSON is nested too deeply"
    return str(exc)


def _checked(batch: Batch, rows: Iterable[tuple[str, Any]]) -> Iterable[tuple[str, Any]]:
    """Rows that could not even be read are rejected here; the rest go on to be checked."""
    for where, row in rows:
        if isinstance(row, str):
            batch.reject(where, row)
        else:
            yield where, row


def read_csv_folder(folder: Path, batch: Batch, db: Database, progress: Progress | None) -> None:
    if not (folder / "events.csv").is_file():
        raise ImportFailed(f"{folder} is not an Explorer CSV export: it has no events.csv")
    batch.title = folder.name
    for table in TABLES:
        path = folder / f"{table}.csv"
        if not path.is_file():
            continue
        cols, given = columns(db, table), defaults(db, table)
        sheet = CsvFile(TextReader(path, progress))
        header = sheet.header
        for at, values in sheet.records():
            where = f"{table}.csv {at}"
            if isinstance(values, str):
                batch.seen += table == "events"
                batch.reject(where, values)
                continue
            try:
                row = {
                    h: _typed(v, *cols[h]) if h in cols else v
                    for h, v in zip(header, values, strict=True)
                }
            except ValueError as exc:
                batch.seen += table == "events"
                batch.reject(where, f"a number cannot be read: {exc}")
                continue
            _take(batch, table, where, row, cols, given)
    seen: set[str] = set()
    for kind, marker in (("notes", ""), ("items", "u")):
        rows = _checked(batch, _annotation_rows(folder, kind, progress))
        _annotations(batch, rows, marker, seen)
