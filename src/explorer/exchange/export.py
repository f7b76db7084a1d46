"""Export every public table as JSON (one file) or CSV (one file per table), atomically.

With the annotator's work file, its notes and own items (events, entities, sources) go too,
in the annotations bundle's form: `notes` and `items` lists in JSON, `notes.csv` and
`items.csv` (lists and data as JSON text in their cells) in CSV. Deleted ones travel as
tombstones, with their revision history, so importing an export merges exactly like a
notes file."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from operator import attrgetter
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from explorer import __version__
from explorer.exchange import notes_file
from explorer.store import notes, user_items
from explorer.store.errors import StoreError
from explorer.store.files import atomic_write
from explorer.store.schema import SCHEMA_VERSION

#: Tables in dependency order, with the columns that identify a row (for stable ordering).
TABLES: dict[str, str] = {
    "sources": "id",
    "metrics": "id",
    "entities": "id",
    "entity_aliases": "entity_id, lang, alias",
    "events": "t0, id",
    "event_entities": "event_id, entity_id, role",
    "event_sources": "event_id, source_id, quote",
    "claims": "entity_id, metric, as_of, id",
    "categories": "name",
    "periods": "t0, id",
    "locations": "entity_id",
    "statements": "said_t0, id",
    "statement_events": "statement_id, event_id",
    "statement_entities": "statement_id, entity_id",
    "entity_mentions": "entity_id, source_id, quote",
    "curator_notes": "id",
    "curator_note_targets": "note_id, target_kind, target_id",
    "summary_basis": "event_id, n, k",
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Columns of the annotation CSV files; the JSON_CELLS hold JSON text.
NOTE_COLUMNS = (
    *("id", "target_kind", "target_id", "range_start", "range_end", "text", "format"),
    *("author", "created", "updated", "revision", "deleted", "tags", "history"),
)
ITEM_COLUMNS = (
    "id",
    "kind",
    "data",
    "author",
    "created",
    "updated",
    "revision",
    "deleted",
    "history",
)
JSON_CELLS = ("tags", "history", "data")
by_id = attrgetter("id")


def dump(db: Database) -> dict[str, list[dict[str, Any]]]:
    """All public rows, as plain dicts, in a stable order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table, order in TABLES.items():
        cur = db.execute(f"SELECT * FROM [{table}] ORDER BY {order}")
        names = [d[0] for d in cur.description]
        out[table] = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    return out


def annotation_records(work: Database | None) -> dict[str, list[dict[str, Any]]]:
    """The work file's notes and own items, tombstones and histories included, by id."""
    if work is None:
        return {}
    found = notes.list_notes(work, include_deleted=True)
    own = user_items.list_items(work, include_deleted=True)
    return {
        "notes": [
            notes_file.note_dict(n, notes.history(work, n.id)) for n in sorted(found, key=by_id)
        ],
        "items": [
            notes_file.item_dict(i, user_items.history(work, i.id)) for i in sorted(own, key=by_id)
        ],
    }


def annotation_cells(kind: str, record: dict[str, Any]) -> list[Any]:
    """One note or item (bundle form) as the cells of its CSV row."""
    flat = dict(record)
    if kind == "notes":
        target = flat.pop("target")
        flat.update(
            target_kind=target["kind"],
            target_id=target["id"],
            range_start=target["start"],
            range_end=target["end"],
        )
    flat["deleted"] = int(flat["deleted"])
    for key in JSON_CELLS:
        if key in flat:
            flat[key] = json.dumps(flat[key], ensure_ascii=False, sort_keys=True)
    columns = NOTE_COLUMNS if kind == "notes" else ITEM_COLUMNS
    return [flat[c] for c in columns]


def neutralise_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote (and so
    is one that begins with a quote, so that import can take exactly one off again)."""
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, "'")):
        return "'" + value
    return value


def _refuse_existing(out: Path, force: bool) -> None:
    if out.is_dir():
        raise StoreError(f"{out} is a folder; name a file to write")
    if out.exists() and not force:
        raise StoreError(f"{out} already exists; pass --force to replace it")


def export_json(
    db: Database, out: Path, *, force: bool = False, work: Database | None = None
) -> int:
    """Every table (and, given the work file, the annotator's notes and items) as JSON."""
    _refuse_existing(out, force)
    data = {
        "format": "explorer-json",
        "format_version": 1,
        "schema_version": SCHEMA_VERSION,
        "exported_by": f"Explorer {__version__}",
        **dump(db),
        **annotation_records(work),
    }
    text = json.dumps(data, ensure_ascii=False, indent=1)
    atomic_write(out, text.encode("utf-8"))
    return sum(len(v) for v in data.values() if isinstance(v, list))


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([neutralise_cell(v) for v in r])
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


def csv_names() -> list[str]:
    """The files a CSV export writes into its folder: one per table, and the annotator's."""
    return [f"{table}.csv" for table in TABLES] + ["notes.csv", "items.csv"]


def export_csv(
    db: Database, out: Path, *, force: bool = False, work: Database | None = None
) -> int:
    """One CSV per table in the folder `out` (created if need be), and notes.csv and
    items.csv (empty but for their header without a work file, so that no older export's
    notes stay beside the new tables). Only these files are ever written or replaced:
    whatever else the folder holds is left alone. Without `force`, a folder that already
    holds any of them is refused."""
    if out.exists() and not out.is_dir():
        raise StoreError(f"{out} is a file; a CSV export writes a folder of files")
    names = csv_names()
    present = [n for n in names if (out / n).exists()]
    if present and not force:
        raise StoreError(
            f"{out} already holds {', '.join(present[:3])}{' …' if len(present) > 3 else ''}; "
            "pass --force to replace them (other files in it are never touched)"
        )
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".explorer-export.", dir=out))
    rows = 0
    try:
        for table, records in dump(db).items():
            cur = db.execute(f"SELECT * FROM [{table}] LIMIT 0")
            header = [d[0] for d in cur.description]
            _write_csv(tmp / f"{table}.csv", header, [list(r.values()) for r in records])
            rows += len(records)
        annotations = annotation_records(work) or {"notes": [], "items": []}
        for kind, records in annotations.items():
            columns = list(NOTE_COLUMNS if kind == "notes" else ITEM_COLUMNS)
            _write_csv(tmp / f"{kind}.csv", columns, [annotation_cells(kind, r) for r in records])
            rows += len(records)
        for name in names:  # each written whole first, then put in place
            os.replace(tmp / name, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the temporary folder Explorer made, only
    return rows
