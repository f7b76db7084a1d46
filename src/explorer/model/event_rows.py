"""The events table's rows, read a page at a time (a table of a million events keeps only
their order; what a row shows is read when it is scrolled into view), and written out as
CSV or as tab-separated text for the clipboard. Qt-free."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.model import labels
from explorer.model.views_engine import TableResult
from explorer.store import queries
from explorer.store.files import atomic_write

if TYPE_CHECKING:
    from explorer.model.workspace import Workspace

COLUMNS = ("date", "title", "category", "source")


@dataclass(frozen=True)
class Row:
    id: str
    date: str
    title: str
    category: str
    source: str  # the first source's publisher (or title); "" when none


def page(ws: Workspace, result: TableResult, first: int, count: int) -> list[Row]:
    """Rows first .. first + count of the table, in its order."""
    keys = result.rowids[first : first + count].tolist()
    project = [k for k in keys if k >= 0]
    found: dict[int, Row] = {}
    if project:
        marks = ",".join("?" for _ in project)
        sql = f"""SELECT ev.rowid, {queries.select_list(queries.EVENT_COLUMNS, "ev")},
                    (SELECT coalesce(s.publisher, s.title) FROM event_source_links l
                     JOIN sources s ON s.rowid = l.source
                     WHERE l.event = ev.rowid ORDER BY l.rowid LIMIT 1)
                  FROM events ev WHERE ev.rowid IN ({marks})"""
        for r in ws.session.store.db.execute(sql, project):
            event = queries._event(r[1:-1])
            found[int(r[0])] = Row(
                event.id,
                labels.when(event),
                labels.label(event, ws.lang),
                event.category,
                str(r[-1] or ""),
            )
    rows = []
    for k in keys:
        if k >= 0:
            rows.append(found.get(k, Row("", "", "", "", "")))
            continue
        event = result.own[-k - 1]
        sources = next((m.sources for m in ws.own if m.event.id == event.id), ())
        src = ws.catalog.sources.get(sources[0]) if sources else None
        rows.append(
            Row(
                event.id,
                labels.when(event),
                labels.label(event, ws.lang),
                event.category,
                (src.publisher or src.title) if src else "",
            )
        )
    return rows


def row_of(ws: Workspace, result: TableResult, event_id: str) -> int | None:
    """Where an event is in the table (None: not in it)."""
    import numpy as np

    if event_id.startswith("u-"):
        own = next((i for i, e in enumerate(result.own) if e.id == event_id), None)
        key = -own - 1 if own is not None else None
    else:
        found = ws.session.store.db.execute(
            "SELECT rowid FROM events WHERE id = ?", [event_id]
        ).fetchone()
        key = int(found[0]) if found else None
    if key is None:
        return None
    hits = np.flatnonzero(result.rowids == key)
    return int(hits[0]) if hits.size else None


def as_text(rows: list[Row], header: list[str], sep: str = "\t") -> str:
    """Rows as text: tab-separated for the clipboard, or CSV."""
    out = io.StringIO()
    if sep == "\t":
        lines = [sep.join(header)]
        lines += [
            sep.join(" ".join(v.split()) for v in (r.date, r.title, r.category, r.source))
            for r in rows
        ]
        return "\n".join(lines) + "\n"
    writer = csv.writer(out)
    writer.writerow([*header, "id"])
    for r in rows:
        writer.writerow([r.date, r.title, r.category, r.source, r.id])
    return out.getvalue()


def write_csv(ws: Workspace, result: TableResult, out: Path, header: list[str]) -> int:
    """Every row of the table as a CSV file (written whole, then put in place)."""
    rows: list[Row] = []
    for first in range(0, len(result), 5000):
        rows += page(ws, result, first, 5000)
    atomic_write(out, as_text(rows, header, sep=",").encode("utf-8"))
    return len(rows)
