"""Writing a batch into a project: one transaction, all or nothing.

A batch with rejected rows is refused whole unless the caller asks to skip them. Rows are
upserted by their primary key (an id made from the file's own content), so importing a file
again updates what it wrote the first time instead of adding copies. References are checked
before the commit; the search index and the overview are rebuilt in the same transaction.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable

from sqlite_utils import Database

from explorer.exchange.imports.batch import CHUNK, TABLES, Batch, Rejected
from explorer.exchange.imports.errors import ImportCancelled, ImportFailed
from explorer.exchange.imports.report import ImportReport
from explorer.store import links, overview, search
from explorer.store.connection import Store

CURATED_MARK = "dataset_id"  # meta key of the bundled dataset, which imports never touch


class ImportRefused(ImportFailed):
    def __init__(self, message: str, report: ImportReport) -> None:
        super().__init__(message)
        self.report = report


def refuse_curated(store: Store) -> None:
    row = store.db.execute("SELECT value FROM meta WHERE key = ?", [CURATED_MARK]).fetchone()
    if row is not None:
        raise ImportFailed(
            f"{store.path} is the bundled dataset ({row[0]}), which imports never change; "
            "import into a project of your own (a new --db path is created)"
        )


def _count(store: Store, table: str) -> int:
    stored = links.STORED.get(table, table)  # a link view's rows are its table's
    return int(store.db.execute(f"SELECT count(*) FROM [{stored}]").fetchone()[0])


def _refuse_or_skip(
    report: ImportReport, skip_bad: bool, broken: list[tuple[str, object, str]]
) -> None:
    """Refuse the import over `broken` rows (table, rowid, missing parent), or with
    skip_bad report each as left out (the caller deletes them)."""
    if not skip_bad:
        table, rowid, parent = broken[0]
        raise ImportFailed(
            f"{len(broken)} row(s) refer to what neither the file nor the project holds "
            f"(first: a row of {table} refers to a missing {parent}, rowid {rowid}); "
            "nothing was written"
        )
    for table, _, parent in broken:
        report.rejected.append(Rejected(f"{table} row", f"refers to a missing {parent}"))


def _store_links(store: Store, report: ImportReport, skip_bad: bool) -> Counter[str]:
    """The staged links, stored once every row of the file is in: a link may name an
    entity the file gives later. Those naming what nothing holds are refused or skipped
    (returned: how many of each table)."""
    db = store.db
    broken = links.staged_broken(db)
    if broken:
        _refuse_or_skip(report, skip_bad, [(t, r, p) for t, r, p in broken])
        for table, rowid, _ in broken:
            links.drop_staged(db, table, rowid)
    links.store_staged(db)
    return Counter(table for table, _, _ in broken)


def _check_references(store: Store, report: ImportReport, skip_bad: bool) -> None:
    """Every reference must land on a row of the file or of the project. With skip_bad,
    rows that do not are taken out again and reported."""
    db = store.db
    while broken := [
        (str(r[0]), r[1], str(r[2]))
        for r in [*db.execute("PRAGMA foreign_key_check"), *db.execute(links.UNQUOTED_BASIS)]
    ]:
        _refuse_or_skip(report, skip_bad, broken)
        for table, rowid, _ in broken:
            db.execute(f"DELETE FROM [{table}] WHERE rowid = ?", [rowid])
            report.added[table] = report.added.get(table, 0) - 1


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _sink(store: Store, keep_going: Callable[[], bool]) -> Callable[[Batch], None]:
    """Writes a batch's pending rows, table by table, inside the caller's transaction."""

    def write(batch: Batch) -> None:
        if not keep_going():
            raise ImportCancelled("the import was cancelled; nothing was written")
        for table in TABLES:
            rows = batch.rows[table]
            if rows and table in links.STAGED:
                links.stage(store.db, table, rows)
            elif rows:
                target = store.db.table(table)
                target.upsert_all(rows, pk=target.pks, batch_size=CHUNK)

    return write


def apply(
    store: Store,
    batch: Batch,
    report: ImportReport,
    *,
    skip_bad: bool = False,
    keep_going: Callable[[], bool] = lambda: True,
    fill: Callable[[Batch], None] | None = None,
    dry_run: bool = False,
    also: Callable[[Database], None] | None = None,
) -> ImportReport:
    """Write `batch` into the project in one transaction. With `fill` (a reader that puts a
    file's rows into the batch), the file is read inside the transaction and its rows are
    written as they come, so memory stays bounded whatever the file's size. A batch with
    rejected rows is rolled back whole unless skip_bad. A dry run rolls back at the end and
    reports what would have been written. `also` writes more into the same transaction,
    once every row is in (it is not called for a refused batch)."""
    refuse_curated(store)
    db = store.db
    try:
        with db.atomic():
            db.execute("PRAGMA defer_foreign_keys = ON")  # checked below, before the commit
            before = {table: _count(store, table) for table in TABLES}
            links.stage_begin(db)
            batch.sink = _sink(store, keep_going)
            try:
                if fill is not None:
                    fill(batch)
                batch.flush()
            finally:
                batch.sink = None
            report.format, report.title, report.seen = batch.format, batch.title, batch.seen
            report.rejected, report.warnings = list(batch.rejected), list(batch.warnings)
            report.fidelity = batch.fidelity.to_dict()
            if batch.rejected and not skip_bad:
                raise ImportRefused(
                    f"{len(batch.rejected)} of the items cannot be imported, so nothing was "
                    "written (import with skip-bad to leave them out)",
                    report,
                )
            dropped = _store_links(store, report, skip_bad)
            for table in TABLES:
                if batch.counts[table]:
                    added = _count(store, table) - before[table]
                    report.added[table] = added
                    report.updated[table] = batch.counts[table] - added - dropped[table]
            _check_references(store, report, skip_bad)
            search.rebuild_index(db)
            overview.rebuild(db)
            overview.rebuild_stats(db)
            if also is not None:
                also(db)
            if dry_run:
                report.dry_run = True
                raise _DryRun
    except _DryRun:
        return report
    except sqlite3.Error as exc:
        raise ImportFailed(f"the import failed and nothing was written: {exc}") from exc
    report.written = True
    return report


__all__ = ["CURATED_MARK", "ImportRefused", "ImportReport", "apply", "refuse_curated"]
