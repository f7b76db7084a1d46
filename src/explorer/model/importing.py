"""Bringing a file into a project: the one implementation the command line and the window
both call (preview, then import).

An import is one unit. Into an existing project it is one transaction. A new project is
built beside its path under a hidden name and put in place only once it is complete, so a
process killed at any moment leaves either no project or the whole one (the hidden file it
was building is removed by the next import into that folder). The annotator's notes and own
items an Explorer export carries belong in the project's work file, another file: they are
written into the project in the same transaction, as a parcel waiting for delivery, and
delivered into the work file right after (and, should that be cut short, at the next
import or the next time the project is opened). Delivery merges, so doing it twice changes
nothing.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from explorer.exchange.imports import (
    FORMATS,
    Batch,
    SeriesBound,
    Zone,
    parse_zone,
    read,
    reader,
)
from explorer.exchange.imports.apply import ImportReport, apply, refuse_curated
from explorer.exchange.imports.text_input import Progress
from explorer.model import imported_notes
from explorer.model.projects import folder_for
from explorer.store import checked_files
from explorer.store.connection import Store, create_store, open_store, remove_store_files
from explorer.store.errors import StoreError
from explorer.store.schema import migrations

#: The hidden name a new project is built under, beside its path (and the names SQLite and
#: create_store give the files they make beside that one).
_BUILDING = re.compile(r"^\.\.?(?P<name>.+?)\.import-(?P<pid>\d+)\.new")


def _scratch() -> Database:
    """An empty project in memory: Explorer's own formats read their columns from it."""
    db = Database(sqlite3.connect(":memory:"), execute_plugins=False)
    migrations.apply(db)
    return db


def preview(
    source: Path,
    fmt: str,
    zone: str,
    progress: Progress | None = None,
    keep: int = 200,
    series: SeriesBound | None = None,
) -> Batch:
    """What `source` holds, read as `fmt` ('auto' detects it) with times without a zone
    read in `zone` and recurring series expanded within `series`: every row counted, the
    first `keep` of each table held. Writes nothing."""
    return read(source, fmt, _scratch(), progress, keep=keep, zone=parse_zone(zone), series=series)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def clear_leftovers(folder: Path) -> list[Path]:
    """Remove the hidden files of new projects whose import was killed (their process is
    gone); returns what was removed."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            m = _BUILDING.match(entry.name)
            if m and not _alive(int(m.group("pid"))):
                entry.unlink(missing_ok=True)
                removed.append(entry)
    return removed


def _place(built: Path, target: Path) -> None:
    """Put the finished project in place, unless something took the path meanwhile."""
    try:
        os.link(built, target)
    except FileExistsError:
        raise StoreError(f"{target} appeared while importing; nothing was replaced") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise StoreError(f"{target} appeared while importing; nothing was replaced") from None
        os.replace(built, target)
    remove_store_files(built)


def run_import(
    source: Path,
    target: Path,
    *,
    fmt: str = "auto",
    zone: str = "UTC",
    skip_bad: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    keep_going: Callable[[], bool] = lambda: True,
    work: Path | None = None,
    series: SeriesBound | None = None,
) -> ImportReport:
    """Import `source` into the project at `target` (made if it does not exist). Raises
    ImportFailed or StoreError with a sentence; a refused import changes nothing."""
    read_zone = parse_zone(zone)  # a bad name stops here, before anything is made
    target = target.expanduser()
    if target.exists():
        store = open_store(target)
        try:
            if store.readonly:
                raise StoreError(f"{target} is read-only; nothing can be imported into it")
            refuse_curated(store)
            imported_notes.deliver(store, work)  # an earlier import's parcel, if any
            report = _into(
                store, source, fmt, read_zone, skip_bad, dry_run, progress, keep_going, series
            )
            if report.written:
                imported_notes.deliver(store, work, report)
            return report
        finally:
            store.close()
    folder_for(target)
    clear_leftovers(target.parent)
    built = target.with_name(f".{target.name}.import-{os.getpid()}.new")
    remove_store_files(built)
    try:
        try:
            store = create_store(built)
        except OSError as exc:
            raise StoreError(
                f"a project cannot be made at {target} ({exc.strerror or exc}); "
                "choose another place for it"
            ) from None
        try:
            report = _into(
                store, source, fmt, read_zone, skip_bad, dry_run, progress, keep_going, series
            )
        finally:
            store.close()
        if not report.written:
            return report
        _place(built, target)
        checked_files.remember(target)  # written here: known sound, no full check to open
    finally:
        remove_store_files(built)
    with open_store(target) as placed:
        imported_notes.deliver(placed, work, report)
    return report


def _into(
    store: Store,
    source: Path,
    fmt: str,
    zone: Zone,
    skip_bad: bool,
    dry_run: bool,
    progress: Progress | None,
    keep_going: Callable[[], bool],
    series: SeriesBound | None,
) -> ImportReport:
    fmt, fill = reader(source, fmt, store.db, progress, zone, series)
    report = ImportReport(str(source), fmt, None, 0)
    batch = Batch(fmt)
    apply(
        store,
        batch,
        report,
        skip_bad=skip_bad,
        keep_going=keep_going,
        fill=fill,
        dry_run=dry_run,
        also=lambda db: imported_notes.stash(db, batch),
    )
    if report.dry_run and (batch.notes or batch.items):
        report.warnings.append(
            f"{len(batch.notes)} note(s) and {len(batch.items)} own item(s) would be merged "
            "into the project's annotations"
        )
    return report


__all__ = ["FORMATS", "SeriesBound", "clear_leftovers", "preview", "run_import"]
