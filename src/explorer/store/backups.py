"""Rolling backups of the work file with SQLite's online backup (safe while it is open).

Backups are whole, checked databases named by time in a `backups/` folder beside the work
file; the oldest beyond `keep` are removed. Restoring first backs up the current state, so a
restore can itself be undone.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from explorer.store.connection import Store, open_store
from explorer.store.errors import StoreError
from explorer.store.work_schema import WORK

DEFAULT_KEEP = 10


def folder_for(work_path: Path) -> Path:
    return work_path.parent / "backups"


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")


def list_backups(work_path: Path) -> list[Path]:
    """Backups of this work file, oldest first."""
    folder = folder_for(work_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{work_path.stem}-*.db"))


def make_backup(store: Store, keep: int = DEFAULT_KEEP) -> Path:
    """Copy the open work file into a new backup and prune old ones; returns the backup."""
    if keep < 1:
        raise StoreError("keep at least one backup")
    folder = folder_for(store.path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{store.path.stem}-{_stamp()}.db"
    partial = target.with_suffix(".partial")
    try:
        dest = sqlite3.connect(partial)
        try:
            store.conn.backup(dest)
            ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dest.close()
        if ok != "ok":
            raise StoreError(f"the backup failed its integrity check ({ok})")
        os.replace(partial, target)
    except sqlite3.Error as exc:  # a full disk, say: no half-made backup is left behind
        raise StoreError(f"the backup could not be written: {exc}") from exc
    finally:
        for leftover in (partial, Path(f"{partial}-journal")):
            leftover.unlink(missing_ok=True)
    for old in list_backups(store.path)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def restore_backup(store: Store, backup: Path, keep: int = DEFAULT_KEEP) -> Path:
    """Replace the work file's contents with `backup` (checked first), after backing up
    the current state; returns that safety backup."""
    with open_store(backup, readonly=True, spec=WORK) as source:  # refuses foreign files
        safety = make_backup(store, keep=keep + 1)
        source.conn.backup(store.conn)
    return safety
