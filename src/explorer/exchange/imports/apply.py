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

from sqlite_utils import Database

from explorer.exchange.imports.batch import CHUNK, TABLES, Batch, Rejected
from explorer.exchange.imports.errors import ImportCancelled, ImportFailed
from explorer.exchange.imports.fidelity import Fidelity
from explorer.store import overview, search
from explorer.store.connection import Store

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
    dry_run: bool = False
    annotations: dict[str, int] = field(default_factory=dict)  # notes and own items merged
    #: what became of the file's fields: {"kept"|"changed"|"dropped": {what: count}}
    fidelity: dict[str, dict[str, int]] = field(default_factory=dict)

    def fidelity_lines(self) -> list[str]:
        """The fidelity report as lines of text ('dropped: 3 alarm(s) (VALARM)')."""
        return Fidelity.from_dict(self.fidelity).lines()

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
        elif self.dry_run and (self.added or self.updated):
            ev_new, ev_old = self.added.get("events", 0), self.updated.get("events", 0)
            lines.append(f"dry run: events: {ev_new} would be added, {ev_old} already there")
            lines.append("nothing was written")
        else:
            lines.append("nothing was written")
        if self.rejected:
            head = "skipped" if self.written else "rejected"
            lines.append(f"{len(self.rejected)} {head}:")
            lines.extend(f"  {r}" for r in self.rejected)
        if self.annotations:
            a = self.annotations
            lines.append(
                f"notes and own items: {a['added']} added, {a['updated']} updated, "
                f"{a['unchanged']} unchanged, {a['conflicts']} conflict(s) to resolve"
            )
        lines.extend(f"note: {w}" for w in self.warnings)
        lines.extend(self.fidelity_lines())
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


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _sink(store: Store, keep_going: Callable[[], bool]) -> Callable[[Batch], None]:
    """Writes a batch's pending rows, table by table, inside the caller's transaction."""

    def write(batch: Batch) -> None:
        if not keep_going():
            raise ImportCancelled("the import was cancelled; nothing was written")
        for table in TABLES:
            rows = batch.rows[table]
            if rows:
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
            for table in TABLES:
                if batch.counts[table]:
                    added = _count(store, table) - before[table]
                    report.added[table] = added
                    report.updated[table] = batch.counts[table] - added
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
