"""A database a crashed writer left behind, opened read-only.

A writer killed mid-transaction leaves a hot rollback journal (`-journal`) beside the file:
the file may hold half-written pages, and only the journal can put it back. A write-ahead
log (`-wal`) may hold committed transactions not yet copied into the file. A read-only
connection can do neither: SQLite refuses it, and opening the file as immutable instead
(what read-only media need) would read past the journal, showing uncommitted text as fact
or calling a recoverable file damaged, or would miss the log's committed changes.

So when such a file cannot be opened read-only as it is, it is recovered into a copy, the
way SQLite means a hot journal to be handled: the file and its journal or log are copied
into a private folder, a read-write connection to the copy rolls back or replays them, and
the copy is what is shown; the original is left exactly as it was. A file too large to copy
quickly is refused with a sentence that says what to do.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from explorer.store.errors import DamagedStore, StoreError

#: Above this size a read-only file with a hot journal is not copied: the user is told.
MAX_COPY = 2 * 1024**3


def pending(path: Path) -> str | None:
    """'journal' or 'wal' if a writer left work beside `path` that a reader must apply
    first, else None. A journal is hot when it is not empty and its header is not zeroed
    (SQLite's persistent mode zeroes it after a commit)."""
    journal = Path(f"{path}-journal")
    try:
        with journal.open("rb") as f:
            if any(f.read(28)):
                return "journal"
    except OSError:
        pass
    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size > 0:
            return "wal"
    except OSError:
        pass
    return None


def recover_copy(path: Path, kind: str) -> Path:
    """A copy of `path` with its `kind` ('journal' or 'wal') applied, in a new private
    folder the caller removes when done (`discard`). Raises StoreError when it cannot."""
    size = path.stat().st_size
    if size > MAX_COPY:
        raise StoreError(
            f"{path}'s last write did not finish (a -{kind} file is beside it) and it is "
            f"read-only here; open it once where it can be written, or copy it with its "
            f"-{kind} file to a writable folder, and SQLite will finish or undo that write"
        )
    folder = Path(tempfile.mkdtemp(prefix="explorer-recovered-"))
    copy = folder / path.name
    try:
        shutil.copyfile(path, copy)
        shutil.copyfile(Path(f"{path}-{kind}"), Path(f"{copy}-{kind}"))
        conn = sqlite3.connect(copy)
        try:  # the first read rolls the journal back, or replays the log
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if kind == "wal":
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as exc:
        discard(copy)
        raise DamagedStore(
            f"{path}'s last write did not finish and it could not be recovered into a copy: {exc}"
        ) from exc
    return copy


def discard(copy: Path) -> None:
    """Remove a recovered copy and its folder."""
    shutil.rmtree(copy.parent, ignore_errors=True)
