"""Writing a batch into a project: one transaction, all or nothing.

A batch with rejected rows is refused whole unless the caller asks to skip them. Rows are
upserted by their primary key (an id made from the file's own content), so importing a file
again updates what it wrote the first time instead of adding copies. References are checked
before the commit; the search index and the overview are rebuilt in the same transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from explorer.store import overview, search
from explorer.store.connection import Store
from explorer.store.imports.batch import TABLES, Batch, ImportCancelled, ImportFailed, Rejected

CHUNK = 5000
CURATED_MARK = "dataset_id"  # meta key of the bundled dataset, which imports never touch


@dataclass
class ImportReport:
    path: str
    format: str
    title: str | None
    seen: int
    added: dict[str, int] = field(default_factory=dict)  # new rows per table
    updated: dict[str, int] = field(default_factory=dict)  # rows already there, rewritten
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rejected"] = [{"where": r.where, "reason": r.reason} for r in self.rejected]
        return d

    def text(self) -> str:
        lines = [f"{self.path} ({self.format}): {self.seen} item(s) read"]
        if self.written:
            ev_new, ev_old = self.added.get("events", 0), self.updated.get("events", 0)
            lines.append(f"events: {ev_new} added, {ev_old} already there (updated)")
            others = [
                f"{t}: +{self.added[t]}" for t in TABLES if t != "events" and self.added.get(t)
            ]
            if others:
                lines.append("also " + ", ".join(others))
        else:
            lines.append("nothing was written")
        if self.rejected:
            head = "skipped" if self.written else "rejected"
            lines.append(f"{len(self.rejected)} {head}:")
            lines.extend(f"  {r}" for r in self.rejected)
        lines.extend(f"note: {w}" for w in self.warnings)
        return "\n".join(lines)


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
    return int(store.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])


def _check_references(store: Store, report: ImportReport, skip_bad: bool) -> None:
    """Every reference must land on a row of the file or of the project. With skip_bad,
    rows that do not are taken out again and reported."""
    db = store.db
    while broken := db.execute("PRAGMA foreign_key_check").fetchall():
        if not skip_bad:
            table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
            raise ImportFailed(
                f"{len(broken)} row(s) refer to what neither the file nor the project holds "
                f"(first: a row of {table} refers to a missing {parent}, rowid {rowid}); "
                "nothing was written"
            )
        for table, rowid, parent, _ in broken:
            db.execute(f"DELETE FROM [{table}] WHERE rowid = ?", [rowid])
            report.rejected.append(Rejected(f"{table} row", f"refers to a missing {parent}"))
            report.added[table] = report.added.get(table, 0) - 1


def apply(
    store: Store,
    batch: Batch,
    report: ImportReport,
    *,
    skip_bad: bool = False,
    keep_going: Callable[[], bool] = lambda: True,
) -> ImportReport:
    report.rejected = list(batch.rejected)
    report.warnings = list(batch.warnings)
    if batch.rejected and not skip_bad:
        raise ImportRefused(
            f"{len(batch.rejected)} of the items cannot be imported, so nothing was written "
            "(import with skip-bad to leave them out)",
            report,
        )
    refuse_curated(store)
    db = store.db
    try:
        with db.atomic():
            db.execute("PRAGMA defer_foreign_keys = ON")  # checked below, before the commit
            for table in TABLES:
                rows = batch.rows[table]
                if not rows:
                    continue
                before = _count(store, table)
                for first in range(0, len(rows), CHUNK):
                    if not keep_going():
                        raise ImportCancelled("the import was cancelled; nothing was written")
                    target = db.table(table)
                    target.upsert_all(rows[first : first + CHUNK], pk=target.pks)
                added = _count(store, table) - before
                report.added[table] = added
                report.updated[table] = len(rows) - added
            _check_references(store, report, skip_bad)
            search.rebuild_index(db)
            overview.rebuild(db)
            overview.rebuild_stats(db)
    except sqlite3.Error as exc:
        raise ImportFailed(f"the import failed and nothing was written: {exc}") from exc
    report.written = True
    return report
