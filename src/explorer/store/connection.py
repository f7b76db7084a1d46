"""Opening a store safely. The CLI and the window both come through `open_store`.

Order matters: nothing is written to a file until it is known to be an undamaged Explorer
database of a version this code understands; upgrades happen in one transaction, after a
backup, and are checked before they commit.

Opening reads the header and the schema, never the whole file. A file Explorer wrote itself,
or one that passed a full check as it is now (store.checked_files), is used at once. Any other
is checked in full with SQLite's `integrity_check`, when the caller says (`check`): before
open_store returns ("now", the default), or after, in the background (store.integrity) while
the caller reads it ("later"), or not at all ("skip", for a script that takes the risk). Until
such a file has passed its check, a writable connection to it refuses every write (`PRAGMA
query_only`); a read-only one cannot write the file anyway, and keeps its temporary tables.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from explorer.store import checked_files, recovery, shape
from explorer.store.errors import (
    DamagedStore,
    MigrationFailed,
    NeedsUpgrade,
    NewerSchema,
    NotAnExplorerStore,
    StoreError,
    StoreNotFound,
)
from explorer.store.files import regular_file
from explorer.store.schema import CURATED, SchemaSpec

#: When a file not known to be sound is checked in full: before open_store returns, after
#: (the caller runs store.integrity.IntegrityCheck), or never (the caller takes the risk).
CHECKS = ("now", "later", "skip")

SQLITE_HEADER = b"SQLite format 3\x00"
#: A statement that reads a project for more than this many seconds is stopped: nothing
#: Explorer asks of a sound file takes that long, so a file that makes it is hostile or
#: broken (the checks that read a whole file on purpose are exempt, see Store.unbounded).
STATEMENT_SECONDS = 60.0
#: How many SQLite virtual-machine steps between two looks at the clock.
_STEPS = 20_000


class _Watch:
    """Times every statement on a read-only connection: the trace callback marks its start,
    the progress handler stops it once it has run longer than the limit."""

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self.started = time.monotonic()

    def trace(self, _sql: str) -> None:
        self.started = time.monotonic()

    def progress(self) -> int:
        if self.limit is not None and time.monotonic() - self.started > self.limit:
            return 1  # SQLite stops the statement: OperationalError('interrupted')
        return 0


@dataclass
class Store:
    """An open Explorer database. `db` is the sqlite-utils handle; `readonly` says whether
    writes are possible at all."""

    path: Path
    db: Database
    readonly: bool
    schema_version: int
    upgraded_from: int | None = None
    backup_path: Path | None = None
    #: a copy with a crashed writer's journal or log applied, read instead of `path`
    recovered: Path | None = None
    #: "known" (written by Explorer, or checked before, and unchanged since), "checked"
    #: (in full, by this open or by a background check since), "pending" (not yet checked:
    #: open_store(check="later")), or "skipped" (check="skip")
    check_state: str = "known"
    _closed: bool = field(default=False, repr=False)
    _watch: _Watch | None = field(default=None, repr=False)

    @property
    def warning(self) -> str | None:
        """What the user must be told about what they see, if anything."""
        if self.recovered is not None:
            return (
                f"the last write to {self.path} did not finish; it is shown as it was before "
                "that write (a recovered copy: the file itself is left as it is)"
            )
        if self.upgraded_from is not None:  # the file was rewritten: never silently
            kept = f"; the file as it was is kept at {self.backup_path}" if self.backup_path else ""
            return (
                f"{self.path} was upgraded from schema version {self.upgraded_from} to "
                f"{self.schema_version}{kept}"
            )
        return None

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @property
    def awaiting_check(self) -> bool:
        """True while the file is not known to be sound: read it, but treat the project as
        read-only (its connection refuses writes) until `check_passed` is called."""
        return self.check_state in ("pending", "skipped")

    @property
    def writable(self) -> bool:
        """Whether the project may be written now."""
        return not self.readonly and not self.awaiting_check

    def check_passed(self, outcome: object) -> bool:
        """Take the outcome of a background check (store.integrity.CheckOutcome) of this
        store's file. If it passed, writes are allowed again (for a store opened writable)
        and True is returned; otherwise nothing changes. Call it on the thread that uses the
        store."""
        # read by its fields: store.integrity imports this module (no cycle back)
        ok, changed = getattr(outcome, "ok", False), getattr(outcome, "changed", True)
        path = getattr(outcome, "path", None)
        if ok is not True or changed is not False or not isinstance(path, (str, Path)):
            return False
        if Path(path).resolve() != self.path.resolve() or self._closed:
            return False
        if self.awaiting_check:
            self.check_state = "checked"
            if not self.readonly:
                self.conn.execute("PRAGMA query_only = OFF")
        return True

    def limit_statements(self, seconds: float | None) -> None:
        """Stop any one statement that runs longer than `seconds` (None: never)."""
        if self._watch is None:
            self._watch = _Watch(seconds)
            self.conn.set_trace_callback(self._watch.trace)
            self.conn.set_progress_handler(self._watch.progress, _STEPS)
        self._watch.limit = seconds

    @contextlib.contextmanager
    def unbounded(self) -> Iterator[None]:
        """No time limit inside (a check that reads the whole file on purpose)."""
        watch = self._watch
        limit = watch.limit if watch is not None else None
        if watch is not None:
            watch.limit = None
        try:
            yield
        finally:
            if watch is not None:
                watch.limit = limit

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.db.close()
            if self.recovered is not None:
                recovery.discard(self.recovered)
            if self.writable:  # what Explorer wrote itself needs no full check next time
                checked_files.remember(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(path.resolve()))}" + (f"?{query}" if query else "")


def _describe_sqlite_error(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return DamagedStore(f"{path} is damaged or truncated: SQLite reports '{exc}'")
    return DamagedStore(f"{path} cannot be read: SQLite reports '{exc}'")


def _check_file(path: Path) -> None:
    if not path.exists():
        raise StoreNotFound(f"no database at {path}")
    if path.is_dir():
        raise NotAnExplorerStore(f"{path} is a directory, not an Explorer database")
    try:
        regular_file(path, "an Explorer database")
        for suffix in ("-wal", "-shm", "-journal"):  # SQLite would open these too
            side = Path(f"{path}{suffix}")
            if side.exists() or side.is_symlink():
                regular_file(side, "a part of an Explorer database")
    except StoreError as exc:
        raise NotAnExplorerStore(str(exc)) from None
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path} cannot be read: {exc.strerror}") from exc
    if not header:
        raise NotAnExplorerStore(f"{path} is an empty file, not an Explorer database")
    if header != SQLITE_HEADER:
        raise NotAnExplorerStore(f"{path} is not an SQLite database")


def _writable(path: Path) -> bool:
    # WAL needs to create -wal and -shm files beside the database.
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(path: Path, readonly: bool) -> tuple[sqlite3.Connection, bool, Path | None]:
    """Connect; returns the connection, whether it is read-only, and the recovered copy it
    reads instead of `path` (store.recovery), if any. For read-only access this falls back
    to immutable=1, which a WAL file in a read-only folder needs (PITFALLS item 7), but never
    while a crashed writer's journal or log is beside the file: immutable would read past
    it."""
    if not readonly:
        conn = sqlite3.connect(_uri(path), uri=True, check_same_thread=False)
        return conn, False, None
    try:
        conn = sqlite3.connect(_uri(path, mode="ro"), uri=True, check_same_thread=False)
    except sqlite3.OperationalError:
        pass
    else:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn, True, None
        except sqlite3.OperationalError:
            conn.close()
    kind = recovery.pending(path)
    if kind is not None:
        copy = recovery.recover_copy(path, kind)
        conn = sqlite3.connect(_uri(copy, mode="ro"), uri=True, check_same_thread=False)
        return conn, True, copy
    conn = sqlite3.connect(_uri(path, mode="ro", immutable="1"), uri=True, check_same_thread=False)
    return conn, True, None


def _read_header(conn: sqlite3.Connection, path: Path) -> tuple[int, int, int]:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _describe_sqlite_error(path, exc) from exc
    return int(app_id), int(version), int(tables)


def damaged_message(path: Path, problems: list[str]) -> str:
    """The one-line message for a file a full check found damaged."""
    detail = "; ".join(problems[:3])
    return f"{path} is damaged: integrity_check reports {detail}"


def _check_integrity(conn: sqlite3.Connection, path: Path, recovered: bool = False) -> None:
    """SQLite's full integrity_check, before the file is used. A recovered copy is not
    recorded in the ledger (it is thrown away on close)."""
    as_it_was = checked_files.identity(path)
    try:
        result = conn.execute("PRAGMA integrity_check(20)").fetchall()
    except sqlite3.DatabaseError as exc:
        raise _describe_sqlite_error(path, exc) from exc
    if [r[0] for r in result] != ["ok"]:
        raise DamagedStore(damaged_message(path, [str(r[0]) for r in result]))
    if not recovered:
        checked_files.remember(path, as_it_was)


def open_store(
    path: str | os.PathLike[str],
    *,
    readonly: bool = False,
    upgrade: bool = True,
    backup_dir: Path | None = None,
    spec: SchemaSpec = CURATED,
    check: str | None = None,
) -> Store:
    """Open an existing Explorer database, upgrading an older schema if allowed.

    `check` says what happens to a file not known to be sound (see CHECKS and the module's
    docstring; None: `default_check`, "now" unless a front end changed it). A file that needs
    an upgrade is checked before it unless it is known, and a recovered copy is always
    checked in full.

    Raises a StoreError subclass with a readable message for every kind of bad file.
    """
    check = check or default_check
    if check not in CHECKS:
        raise ValueError(f"check must be one of {CHECKS}, not {check!r}")
    p = Path(path)
    _check_file(p)
    known = checked_files.known(p)  # before SQLite makes a -wal or -shm beside it
    if not readonly and not _writable(p):
        readonly = True
    try:
        conn, readonly, copy = _connect(p, readonly)
    except sqlite3.DatabaseError as exc:
        raise _describe_sqlite_error(p, exc) from exc
    try:
        conn.execute("PRAGMA trusted_schema = OFF")  # before anything is read from the file
        app_id, version, tables = _read_header(conn, p)
        if app_id != spec.application_id:
            what = (
                "an empty SQLite database"
                if tables == 0
                else "an SQLite database of another program"
            )
            raise NotAnExplorerStore(f"{p} is {what}, not {spec.what}")
        if version > spec.version:
            raise NewerSchema(
                f"{p} has schema version {version}, newer than this Explorer understands "
                f"(version {spec.version}); install a newer Explorer to open it"
            )
        if version == 0:
            raise NotAnExplorerStore(f"{p} is marked as Explorer's but has no schema")
        try:
            shape.check(conn, spec, version, str(p), strict=spec.strict)
        except sqlite3.DatabaseError as exc:
            raise _describe_sqlite_error(p, exc) from exc
        state = "known"
        if copy is not None or not known:
            # an upgrade writes: a file not known to be sound is checked first (a known one
            # is checked with the upgrade, before it commits)
            if copy is not None or version < spec.version or check == "now":
                _check_integrity(conn, p, recovered=copy is not None)
                state = "checked"
            else:  # read now, checked later (or never): nothing may be written meanwhile
                state = "pending" if check == "later" else "skipped"
                if not readonly:  # a read-only connection cannot write the file anyway,
                    conn.execute("PRAGMA query_only = ON")  # and keeps its temporary
                    # tables (a view's events are read through one: query_only refused it)
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn, execute_plugins=False)
        store = Store(p, db, readonly, version, recovered=copy, check_state=state)
        if readonly:
            store.limit_statements(STATEMENT_SECONDS)
        if version < spec.version:
            if readonly:
                raise NeedsUpgrade(
                    f"{p} has schema version {version} and needs an upgrade to "
                    f"{spec.version}, but it is read-only"
                )
            if not upgrade:
                raise StoreError(f"{p} has schema version {version}; an upgrade is needed")
            store.backup_path = backup(store, backup_dir or p.parent, f"before-v{spec.version}")
            migrate(db, p, spec)
            store.upgraded_from, store.schema_version = version, spec.version
            _compact(conn)
        if not readonly and version < spec.version:
            conn.execute("PRAGMA journal_mode = WAL")
        return store
    except BaseException:
        conn.close()
        if copy is not None:
            recovery.discard(copy)
        raise


def create_store(path: str | os.PathLike[str], spec: SchemaSpec = CURATED) -> Store:
    """Create a new, empty Explorer database at a path that must not exist yet.

    The database is made complete beside the path and only then put in place, so a process
    killed while creating it leaves no half-made file that would refuse every later open."""
    p = Path(path)
    if p.exists():
        raise StoreError(f"{p} already exists; refusing to initialise over it")
    fd, name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".new", dir=p.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # sqlite3 makes it afresh
    try:
        conn = sqlite3.connect(str(tmp), check_same_thread=False)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")  # kept in the file
            migrate(Database(conn, execute_plugins=False), tmp, spec)
        finally:
            conn.close()  # the last connection: the WAL is folded in and removed
        try:
            os.link(tmp, p)  # in place only if nothing took the path meanwhile
        except FileExistsError:
            raise StoreError(f"{p} already exists; refusing to initialise over it") from None
        except OSError:  # a file system without hard links
            if p.exists():
                raise StoreError(f"{p} already exists; refusing to initialise over it") from None
            os.replace(tmp, p)
    finally:
        remove_store_files(tmp)
    checked_files.remember(p)  # made here: no full check needed when it is opened
    return open_store(p, spec=spec)


def remove_store_files(path: Path) -> None:
    """Remove a database and its WAL files (a store made here that must not stay)."""
    with contextlib.suppress(OSError):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


#: What open_store does with a file not known to be sound when its caller does not say. A
#: command-line process sets it once for itself (`explorer search --no-check`); nothing else
#: should change it.
default_check = "now"


#: Test hook: called with each migration's name after it has run, inside the transaction.
after_migration_step: Callable[[str], None] | None = None


def migrate(db: Database, path: Path, spec: SchemaSpec = CURATED) -> None:
    """Apply every pending migration in ONE transaction, check it, then commit.

    A failure at any step rolls the whole upgrade back: the file is left as it was.
    """
    # Foreign keys are off while a migration runs (a table rebuild must not cascade) and
    # checked by _verify before the commit; the pragma is ignored inside a transaction.
    fk_on = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            spec.migrations.ensure_migrations_table(db)
            names = spec.names()
            for step in spec.migrations.pending(db):
                spec.migrations.apply(db, stop_before=names[names.index(step.name) + 1 :])
                if after_migration_step is not None:
                    after_migration_step(step.name)
            _verify(db)
            db.execute(f"PRAGMA application_id = {spec.application_id}")
            db.execute(f"PRAGMA user_version = {spec.version}")
    except StoreError:
        raise
    except Exception as exc:
        raise MigrationFailed(f"upgrading {path} failed and was rolled back: {exc}") from exc
    finally:
        if fk_on:
            db.execute("PRAGMA foreign_keys = ON")


def _verify(db: Database) -> None:
    problems = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        raise MigrationFailed("integrity_check failed: " + "; ".join(map(str, problems[:3])))
    fk = db.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        raise MigrationFailed(f"foreign_key_check found {len(fk)} broken reference(s)")


#: An upgrade that leaves more than this share of the file free (the pages of tables it
#: dropped) compacts it: version 12 frees a quarter of a project (the links' text keys).
COMPACT_SHARE = 0.1


def _compact(conn: sqlite3.Connection) -> None:
    """Give the disk back the pages an upgrade freed (VACUUM, which keeps rowids: 6 s at a
    million events). On a disk too full for the copy VACUUM writes, the file stays as it
    is: whole, only larger, and SQLite reuses the free pages as the project grows."""
    free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    if pages and free / pages > COMPACT_SHARE:
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("VACUUM")


def backup(store: Store, folder: Path, label: str) -> Path:
    """Copy the database with SQLite's online backup into `folder`; returns the copy's path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{store.path.stem}.{label}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{store.path.stem}.{label}.{n}.db"
    tmp = target.with_name(target.name + ".partial")
    dest = sqlite3.connect(str(tmp))
    try:
        store.conn.backup(dest)
    finally:
        dest.close()
    os.replace(tmp, target)
    return target
