"""Explorer's own format: what `explorer export` writes, read back row for row.

JSON: one document with a list of rows per table. CSV: a folder with one file per table,
where an empty cell is NULL, numbers are typed by the table's columns, and the quote that
export puts before a cell a spreadsheet would run as a formula (or that begins with a quote)
is taken off again. Ids are kept, so an export imported into an empty project gives the same
project back.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from explorer.store import dates
from explorer.store.imports.batch import TABLES, Batch, ImportFailed
from explorer.store.imports.text_input import Progress, TextReader, json_value


def columns(db: Database, table: str) -> dict[str, tuple[str, bool]]:
    """Column -> (declared type, NOT NULL) of a table in the target project."""
    return {
        str(r[1]): (str(r[2]).upper(), bool(r[3]))
        for r in db.execute(f"PRAGMA table_info([{table}])").fetchall()
    }


def _check_event(row: dict[str, Any]) -> None:
    b = dates.bounds(str(row["start"]), row.get("end"), str(row["precision"]))
    expected = {"earliest": b.earliest, "latest": b.latest, "t0": b.t0, "t1": b.t1}
    for key, value in expected.items():
        given = row.get(key)
        if given is not None and given != value:
            raise dates.DateFormatError(f"{key} is {given!r} but its dates say {value!r}")
        row[key] = value


def _take(
    batch: Batch, table: str, where: str, row: Any, cols: dict[str, tuple[str, bool]]
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
    missing = sorted(
        c for c, (_, notnull) in cols.items() if notnull and row.get(c) is None and c not in derived
    )
    if missing:
        batch.reject(where, f"no value for {', '.join(missing)}")
        return
    for c, value in row.items():
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
    batch.rows[table].append(dict(row))


def read_json(reader: TextReader, batch: Batch, db: Database) -> None:
    doc = json_value(reader.document(), reader.path.name)
    if not isinstance(doc, dict) or doc.get("format") != "explorer-json":
        raise ImportFailed(f"{reader.path.name} is not an Explorer JSON export")
    if doc.get("format_version") != 1:
        raise ImportFailed(
            f"{reader.path.name} is format version {doc.get('format_version')!r}; "
            "this Explorer reads version 1"
        )
    batch.title = reader.path.stem
    for table in TABLES:
        rows = doc.get(table, [])
        if not isinstance(rows, list):
            raise ImportFailed(f"{reader.path.name}: '{table}' is not a list of rows")
        cols = columns(db, table)
        for i, row in enumerate(rows, 1):
            _take(batch, table, f"{table} {i}", row, cols)


def _typed(value: str, kind: str, notnull: bool) -> Any:
    if value == "" and not notnull:
        return None
    if value.startswith("'"):
        return value[1:]
    if kind == "REAL" and value:
        return float(value)
    if kind == "INTEGER" and value:
        return int(value)
    return value


def read_csv_folder(folder: Path, batch: Batch, db: Database, progress: Progress | None) -> None:
    if not (folder / "events.csv").is_file():
        raise ImportFailed(f"{folder} is not an Explorer CSV export: it has no events.csv")
    batch.title = folder.name
    for table in TABLES:
        path = folder / f"{table}.csv"
        if not path.is_file():
            continue
        cols = columns(db, table)
        rows = csv.reader(TextReader(path, progress).lines())
        header = next(rows, None) or []
        for values in rows:
            where = f"{table}.csv line {rows.line_num}"
            if len(values) != len(header):
                batch.seen += table == "events"
                batch.reject(where, f"{len(values)} cells for {len(header)} columns")
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
            _take(batch, table, where, row, cols)
