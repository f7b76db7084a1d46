"""Export every public table as JSON (one file) or CSV (one file per table), atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from explorer import __version__
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
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def dump(db: Database) -> dict[str, list[dict[str, Any]]]:
    """All public rows, as plain dicts, in a stable order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table, order in TABLES.items():
        cur = db.execute(f"SELECT * FROM [{table}] ORDER BY {order}")
        names = [d[0] for d in cur.description]
        out[table] = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    return out


def neutralise_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote (and so
    is one that begins with a quote, so that import can take exactly one off again)."""
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, "'")):
        return "'" + value
    return value


def _refuse_existing(out: Path, force: bool) -> None:
    if out.exists() and not force:
        raise StoreError(f"{out} already exists; pass --force to replace it")


def export_json(db: Database, out: Path, *, force: bool = False) -> int:
    _refuse_existing(out, force)
    data = {
        "format": "explorer-json",
        "format_version": 1,
        "schema_version": SCHEMA_VERSION,
        "exported_by": f"Explorer {__version__}",
        **dump(db),
    }
    text = json.dumps(data, ensure_ascii=False, indent=1)
    atomic_write(out, text.encode("utf-8"))
    return sum(len(v) for v in data.values() if isinstance(v, list))


def export_csv(db: Database, out: Path, *, force: bool = False) -> int:
    """One CSV per table in the folder `out` (created; replaced whole only with force)."""
    _refuse_existing(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    rows = 0
    try:
        for table, records in dump(db).items():
            buf = io.StringIO()
            cur = db.execute(f"SELECT * FROM [{table}] LIMIT 0")
            writer = csv.writer(buf, lineterminator="\r\n")
            writer.writerow([d[0] for d in cur.description])
            for r in records:
                writer.writerow([neutralise_cell(v) for v in r.values()])
            (tmp / f"{table}.csv").write_text(buf.getvalue(), encoding="utf-8-sig")
            rows += len(records)
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return rows
