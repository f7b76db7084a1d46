"""Building a large project's derived tables on the second core. Once the events are
written, nothing writes the project for a while: a worker process reads it and writes one
part of the derived tables (the R*Tree and the overview) into a side file, while the builder
reads it and writes another part (the search index) into a second side file (`run_here`).
Then the builder copies those tables in row by row, as VACUUM copies a database (the shadow
tables of an R*Tree or an FTS5 index are ordinary tables). Only readers share the project
meanwhile, so it needs no write-ahead log: a project built beside its target is written
with no journal at all, and no log grows beside it.

A process, not a thread: the builder's side is Python-heavy, and with a thread the two
would take turns holding the interpreter lock (measured at a million events: 52 s with a
thread, 43 s with a process)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from sqlite_utils import Database

from explorer.store.errors import StoreError

Build = Callable[[Database], object]  # must be a module-level function (it is pickled)
#: SQLite's page cache of a side build's connection, in KiB.
SIDE_CACHE_KIB = 32768


class SideBuild:
    """`tables` are created in the side file as the project defines them, filled by
    `build(db)` (a connection to the side file with the project attached, so unqualified
    reads of other tables read the project), and copied in, with the shadow tables of those
    that are virtual."""

    def __init__(
        self, project: Path, tables: tuple[str, ...], build: Build, suffix: str = ".side"
    ) -> None:
        self.project = project
        self.names = tables
        self.build = build
        self.side = project.with_name(project.name + suffix)
        self.result: object = None
        self._tables: list[str] = []
        self._process: multiprocessing.process.BaseProcess | None = None
        self._reply: Connection | None = None

    def _schema(self, db: Database) -> tuple[int, list[str]]:
        page_size = int(db.execute("PRAGMA page_size").fetchone()[0])
        marks = ",".join("?" for _ in self.names)
        schema = [
            sql
            for (sql,) in db.execute(
                f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name IN ({marks})"
                " ORDER BY rowid",
                list(self.names),
            )
        ]
        if len(schema) != len(self.names):
            raise StoreError(f"the project lacks one of the tables {', '.join(self.names)}")
        return page_size, schema

    def start(self, db: Database) -> None:
        """Start the worker on the project as committed now (`db` is the builder's own
        connection: the side file takes its page size and table definitions). Nothing may
        write the project until `join` has returned."""
        self.remove()
        page_size, schema = self._schema(db)
        ctx = multiprocessing.get_context("spawn")  # never fork a process that has threads
        self._reply, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(
            target=_worker,
            args=(send, str(self.side), str(self.project), page_size, schema, self.build),
            name="explorer-side-build",
            daemon=True,
        )
        self._process.start()
        send.close()

    def run_here(self, db: Database) -> None:
        """Build the side file in this process (while a worker builds another)."""
        self.remove()
        page_size, schema = self._schema(db)
        self.result, self._tables = _build_side(
            str(self.side), str(self.project), page_size, schema, self.build
        )

    def join(self) -> None:
        """Wait for the worker; raises StoreError with its reason if it failed."""
        assert self._reply is not None and self._process is not None
        try:
            status, value, tables = self._reply.recv()
        except EOFError:  # it died without a word (killed, out of memory)
            status, value, tables = "error", "the worker process ended unexpectedly", []
        self._process.join()
        if status != "ok":
            raise StoreError(f"building the project failed: {value}")
        self.result, self._tables = value, tables

    def stop(self) -> None:
        """End the worker if it still runs (when the build is failing anyway)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()

    def copy_into(self, db: Database) -> None:
        """Replace the project's tables with the worker's, in one transaction (the caller
        must not be in one: SQLite attaches files only between transactions)."""
        db.execute("ATTACH DATABASE ? AS side", [str(self.side)])
        try:
            with db.atomic():
                for table in self._tables:
                    db.execute(f'DELETE FROM main."{table}"')
                    db.execute(f'INSERT INTO main."{table}" SELECT * FROM side."{table}"')
        finally:
            db.execute("DETACH DATABASE side")
        self.remove()

    def remove(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.side}{suffix}").unlink(missing_ok=True)


def _worker(
    reply: Connection, side: str, project: str, page_size: int, schema: list[str], build: Build
) -> None:
    try:
        result, tables = _build_side(side, project, page_size, schema, build)
        reply.send(("ok", result, tables))
    except BaseException as exc:  # told to the builder, which reports it
        reply.send(("error", f"{exc}" or type(exc).__name__, []))
    finally:
        reply.close()


def _build_side(
    side: str, project: str, page_size: int, schema: list[str], build: Build
) -> tuple[object, list[str]]:
    conn = sqlite3.connect(side, uri=True)
    try:
        conn.execute(f"PRAGMA page_size = {int(page_size)}")  # an R*Tree's nodes follow it
        conn.execute("PRAGMA journal_mode = OFF")  # a scratch file
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(f"PRAGMA cache_size = -{SIDE_CACHE_KIB}")
        # sorts spill to temporary files: memory stays bounded at ten million events
        conn.execute("ATTACH DATABASE ? AS src", [Path(project).resolve().as_uri() + "?mode=ro"])
        db = Database(conn, execute_plugins=False)
        with conn:  # one transaction: created, filled, committed
            for sql in schema:
                conn.execute(sql)
            result = build(db)
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table'"
                " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY rowid"
            )
        ]
        return result, tables
    finally:
        conn.close()
