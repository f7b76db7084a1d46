"""The full check of a file Explorer did not write itself, run after the file is opened.

`open_store(path, check="later")` opens a file that is not known to be sound
(store.checked_files) without reading it: the window can paint at once. The caller then runs
an `IntegrityCheck` on a worker thread; it reads the file through a read-only connection of
its own, so the window's reads go on meanwhile (SQLite releases Python's interpreter lock
while it works). Until the check has passed, the store refuses writes (`Store.awaiting_check`
is True, its connection is `query_only`). Qt-free: the window wraps it in a thread; the
command line runs it in the foreground with a progress line.

    check = IntegrityCheck(store.path, progress=lambda done, what: ...)  # any thread
    outcome = check.run()             # on a worker thread; check.cancel() from any thread
    if outcome.ok:
        store.check_passed(outcome)   # on the store's thread: writes allowed again
    elif outcome.problems:
        error = outcome.error()       # DamagedStore, with the message open_store gives

The check is SQLite's `integrity_check`, done a table at a time (each table's b-trees, and
its indexes against its rows, with `PRAGMA integrity_check(TABLE)`) so that it can report
progress and stop between tables, then `quick_check` over the whole file, which finds what
no single table shows (a page used twice or by none). Together they find everything one
whole `integrity_check` finds, for about an eighth more reading. A file that passes, and has
not changed while it was read, is recorded in the ledger; a damaged one is forgotten.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from explorer.store import checked_files
from explorer.store.errors import DamagedStore, StoreError

#: progress(fraction done, what is being checked); called from the checking thread
Progress = Callable[[float, str], None]
#: A check that takes less than this is not mentioned to the user (the command line's
#: progress line, the window's status bar).
QUIET_SECONDS = 0.5
#: Share of the work given to the closing whole-file quick_check.
_QUICK_SHARE = 0.1
#: Problems reported at most (as open_store's check).
_MAX_PROBLEMS = 20


@dataclass(frozen=True)
class CheckOutcome:
    """What a check found. `ok`: the file passed (and is recorded as sound unless it
    changed while it was read: `changed`). `problems`: what integrity_check reported.
    `cancelled`: stopped before the end (nothing is known). `unreadable`: why the file
    could not be read at all, if so."""

    path: Path
    ok: bool
    problems: tuple[str, ...] = ()
    cancelled: bool = False
    changed: bool = False
    unreadable: str | None = None
    seconds: float = 0.0

    def message(self) -> str | None:
        """The one-line message for the user when the file is damaged or unreadable."""
        from explorer.store.connection import damaged_message

        if self.unreadable is not None:
            return self.unreadable
        if self.problems:
            return damaged_message(self.path, list(self.problems))
        return None

    def error(self) -> DamagedStore | None:
        """The same error open_store(check="now") raises for this file, if it failed."""
        text = self.message()
        return DamagedStore(text) if text else None


@dataclass
class IntegrityCheck:
    """A full check of the database at `path`, run by `run()` on the caller's thread (a
    worker's, for the window). Thread-safe: `cancel()`, `fraction` and `running` may be used
    from any thread."""

    path: Path
    progress: Progress | None = None
    fraction: float = 0.0
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _running: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)

    @property
    def running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        """Stop the check soon (between two b-tree pages); `run()` then returns an outcome
        with `cancelled` set. Safe from any thread, before or during `run()`."""
        self._cancel.set()
        with self._lock:
            if self._conn is not None:
                self._conn.interrupt()

    def run(self) -> CheckOutcome:
        """Check the whole file; blocks until done, cancelled or failed. Never raises for a
        bad file: the outcome says what is wrong."""
        started = time.perf_counter()
        self._running = True
        try:
            outcome = self._run()
        finally:
            self._running = False
            with self._lock:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
        seconds = time.perf_counter() - started
        if outcome.ok and not outcome.changed:
            self._report(1.0, "done")
        return CheckOutcome(
            outcome.path,
            outcome.ok,
            outcome.problems,
            outcome.cancelled,
            outcome.changed,
            outcome.unreadable,
            seconds,
        )

    def _report(self, fraction: float, what: str) -> None:
        self.fraction = fraction
        if self.progress is not None:
            self.progress(fraction, what)

    def _stopped(self) -> CheckOutcome:
        return CheckOutcome(self.path, ok=False, cancelled=True)

    def _run(self) -> CheckOutcome:
        from explorer.store.connection import _connect, _describe_sqlite_error

        if self._cancel.is_set():
            return self._stopped()
        as_it_was = checked_files.identity(self.path)
        try:
            conn, _readonly, copy = _connect(self.path, readonly=True)
        except (sqlite3.Error, StoreError, OSError) as exc:  # told, not raised
            return CheckOutcome(self.path, ok=False, unreadable=str(exc))
        if copy is not None:  # a writer crashed since the file was opened: open it again
            from explorer.store import recovery

            conn.close()
            recovery.discard(copy)
            return CheckOutcome(self.path, ok=False, changed=True)
        with self._lock:
            self._conn = conn
        if self._cancel.is_set():  # cancelled before the connection could be interrupted
            return self._stopped()
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            problems = self._check(conn)
        except sqlite3.OperationalError as exc:
            if self._cancel.is_set() or "interrupt" in str(exc).lower():
                return self._stopped()
            return CheckOutcome(
                self.path, ok=False, unreadable=str(_describe_sqlite_error(self.path, exc))
            )
        except sqlite3.DatabaseError as exc:
            return CheckOutcome(
                self.path, ok=False, unreadable=str(_describe_sqlite_error(self.path, exc))
            )
        if problems is None:
            return self._stopped()
        if problems:
            checked_files.forget(self.path)
            return CheckOutcome(self.path, ok=False, problems=tuple(problems))
        changed = checked_files.identity(self.path) != as_it_was
        if not changed:
            checked_files.remember(self.path, as_it_was)
        return CheckOutcome(self.path, ok=True, changed=changed)

    def _check(self, conn: sqlite3.Connection) -> list[str] | None:
        """Problems found (empty: none), or None when cancelled."""
        tables = _weighted_tables(conn)
        total = sum(w for _, w in tables) or 1.0
        done = 0.0
        problems: list[str] = []
        for name, weight in tables:
            if self._cancel.is_set():
                return None
            self._report((1 - _QUICK_SHARE) * done / total, name)
            rows = conn.execute(f'PRAGMA integrity_check("{_quoted(name)}")').fetchall()
            problems += [str(r[0]) for r in rows if r[0] != "ok"]
            if len(problems) >= _MAX_PROBLEMS:
                return problems[:_MAX_PROBLEMS]
            done += weight
        if self._cancel.is_set():
            return None
        self._report(1 - _QUICK_SHARE, "pages of the whole file")
        rows = conn.execute(f"PRAGMA quick_check({_MAX_PROBLEMS})").fetchall()
        problems += [str(r[0]) for r in rows if r[0] != "ok"]
        return problems[:_MAX_PROBLEMS]


def _quoted(name: str) -> str:
    return name.replace('"', '""')


def _weighted_tables(conn: sqlite3.Connection) -> list[tuple[str, float]]:
    """Every ordinary table (with the shadow tables of virtual ones), with an estimate of
    its share of the file from cheap reads: its largest rowid (one step down its b-tree) and
    its number of indexes. A table without rowids is weighed like a small one."""
    rows = conn.execute(
        "SELECT name, sql, (SELECT count(*) FROM sqlite_master i"
        "  WHERE i.type = 'index' AND i.tbl_name = m.name)"
        " FROM sqlite_master m WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        " ORDER BY rootpage"
    ).fetchall()
    names = {str(r[0]) for r in rows}

    def largest_rowid(name: str) -> float | None:
        try:
            top = conn.execute(f'SELECT max(rowid) FROM "{_quoted(name)}"').fetchone()[0]
        except sqlite3.DatabaseError:
            return None
        return float(top) if isinstance(top, int) and 0 < top < 2**40 else None

    out = []
    for name, sql, indexes in rows:
        rows_guess: float | None = None
        if str(name).endswith("_data") and f"{str(name)[:-5]}_docsize" in names:
            # an FTS5 index: its rowids are segment and page numbers, not counts; it holds
            # a few entries per document
            docs = largest_rowid(f"{str(name)[:-5]}_docsize")
            rows_guess = 2 * docs if docs else None
        elif "WITHOUT ROWID" not in str(sql).upper():
            rows_guess = largest_rowid(str(name))
        out.append((str(name), (rows_guess or 1000.0) * (1 + int(indexes))))
    return out
