"""The annotator's notes and own items that an Explorer export carries, merged into the
project's work file once the import's rows have landed.

They merge exactly like an annotations bundle (explorer.store.merge): nothing is duplicated when the
same file is imported again, and diverging revisions wait as conflicts. The project's rows
and the work file are two files, so they are two transactions: the rows first, then the
notes. If the second fails the message says so, and importing the file again completes it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from explorer import paths
from explorer.exchange.imports.apply import ImportReport
from explorer.exchange.imports.batch import Batch
from explorer.model.annotations import store_key
from explorer.store import merge, notes
from explorer.store.connection import Store
from explorer.store.errors import StoreError


def carry(store: Store, batch: Batch, report: ImportReport, work: Path | None = None) -> None:
    """Merge what `batch` carried into the work file of the project `store` (or `work`)."""
    if not (batch.notes or batch.items):
        return
    if not report.written:
        report.warnings.append(
            f"{len(batch.notes)} note(s) and {len(batch.items)} own item(s) would be merged "
            "into the project's annotations"
        )
        return
    path = work or paths.work_file(store_key(store))
    try:
        work_store = notes.open_work(path)
        try:
            merged = merge.merge(work_store.db, merge.Parsed(batch.notes, batch.items))
        finally:
            work_store.close()
    except (StoreError, OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"the project's rows were imported, but its notes and own items were not ({exc}); "
            "import the same file again to add them (nothing is duplicated)"
        ) from exc
    report.annotations = {
        "added": merged.added,
        "updated": merged.updated,
        "unchanged": merged.unchanged,
        "conflicts": merged.conflicts,
    }
