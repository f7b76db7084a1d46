"""The annotator's notes and own items an Explorer export carries, on their way into the
project's work file.

The project's rows and the work file are two files, and an import must land whole or not at
all. So the notes travel as a parcel: `stash` writes them into the project's `meta` table
inside the import's own transaction (they commit together with the rows, or not at all),
and `deliver` merges the parcel into the work file and only then takes it out of the
project. Merging is idempotent (explorer.store.merge: nothing is duplicated, diverging
revisions wait as conflicts), so a delivery cut short by a crash is simply done again at
the next import or the next open, with the same result.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from explorer import paths
from explorer.exchange import notes_file
from explorer.exchange.imports.batch import Batch
from explorer.exchange.imports.report import ImportReport
from explorer.model.annotations import store_key
from explorer.store import merge, notes
from explorer.store.connection import Store
from explorer.store.errors import StoreError

#: The meta key of a parcel waiting for delivery.
PARCEL = "pending_annotations"


def stash(db: Database, batch: Batch) -> None:
    """Inside the import's transaction: the batch's notes and own items, as a parcel."""
    if not (batch.notes or batch.items):
        return
    parcel = {
        "notes": [notes_file.note_dict(i.note, list(i.history)) for i in batch.notes],
        "items": [notes_file.item_dict(i.item, list(i.history)) for i in batch.items],
    }
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [PARCEL, json.dumps(parcel, ensure_ascii=False)],
    )


def waiting(store: Store) -> merge.Parsed | None:
    """The parcel the project holds, checked as a notes file is, or None."""
    row = store.db.execute("SELECT value FROM meta WHERE key = ?", [PARCEL]).fetchone()
    if row is None:
        return None
    try:
        data = json.loads(row[0])
        parsed = merge.Parsed(
            [notes_file.incoming_note(n) for n in data["notes"]],
            [notes_file.incoming_item(i) for i in data["items"]],
        )
    except (ValueError, KeyError, TypeError, RecursionError, StoreError) as exc:
        raise StoreError(
            f"{store.path} holds notes from an import that cannot be read: {exc}"
        ) from None
    return parsed


def deliver(store: Store, work: Path | None = None, report: ImportReport | None = None) -> None:
    """Merge the project's waiting parcel into its work file (or `work`), then take it out
    of the project (when the project can be written). Nothing waiting: nothing to do."""
    parsed = waiting(store)
    if parsed is None:
        return
    path = work or paths.work_file(store_key(store))
    try:
        work_store = notes.open_work(path)
        try:
            merged = merge.merge(work_store.db, parsed)
        finally:
            work_store.close()
    except (StoreError, OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"the import's rows are in the project, and its notes and own items wait in it to "
            f"be merged into your notes ({exc}); they are merged the next time the project "
            "is opened or imported into"
        ) from exc
    if not store.readonly:
        with store.db.atomic():
            store.db.execute("DELETE FROM meta WHERE key = ?", [PARCEL])
    if report is not None:
        report.annotations = {
            "added": merged.added,
            "updated": merged.updated,
            "unchanged": merged.unchanged,
            "conflicts": merged.conflicts,
        }
