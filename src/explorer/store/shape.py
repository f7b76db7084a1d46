"""Is the file's schema Explorer's? Checked at every open, from the schema alone (no row is
read, so it costs the same for a file of any size).

SQLite's integrity check says whether a file is sound, not whether it is what it claims to
be. A file marked as Explorer's can still carry a view named `events` that never ends, a
trigger that rewrites every note Explorer saves, or a virtual table where a table should be.
Every table, view and index that Explorer's migrations make for the file's schema version
must be there with the same kind and shape (columns, their types, constraints of NOT NULL,
defaults and keys; a view's exact text), and no trigger may exist at all: Explorer makes
none. A researcher's own extra tables, views and indexes (made in the sqlite3 shell, say)
are allowed, since Explorer never reads them; with `strict` (a backup to restore), nothing
may be added.

The shape expected is built once per schema version, by running the migrations into an
in-memory database, so it always says what this Explorer would have made.
"""

from __future__ import annotations

import functools
import re
import sqlite3

from sqlite_utils import Database

from explorer.store.errors import NotAnExplorerStore
from explorer.store.schema import SchemaSpec

#: (kind, table it belongs to, what describes its shape)
Shape = tuple[str, str, tuple[object, ...]]
_SPACE = re.compile(r"\s+")
_MODULE = re.compile(r"\bUSING\s+(\w+)", re.IGNORECASE)


def _describe(
    conn: sqlite3.Connection, kind: str, name: str, sql: str | None
) -> tuple[object, ...]:
    """The shape of one object: a table's columns (and the module of a virtual one), an
    index's columns, a view's text. Reads the schema only."""
    if kind == "table":
        text = sql or ""
        virtual = text.upper().startswith("CREATE VIRTUAL TABLE")
        found = _MODULE.search(text) if virtual else None
        columns = tuple(
            tuple(r) for r in conn.execute("SELECT * FROM pragma_table_xinfo(?)", [name])
        )
        return (virtual, found.group(1).lower() if found else "", columns)
    if kind == "index":
        columns = tuple(
            tuple(r) for r in conn.execute("SELECT * FROM pragma_index_xinfo(?)", [name])
        )
        return (sql is not None, columns)
    return (_SPACE.sub(" ", sql or "").strip(),)


def _objects(conn: sqlite3.Connection) -> dict[str, tuple[str, str, str | None]]:
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    return {str(name): (str(kind), str(table), sql) for kind, name, table, sql in rows}


@functools.cache
def expected(spec: SchemaSpec, version: int) -> dict[str, Shape]:
    """What Explorer's migrations make for `version` of `spec`, object by object."""
    conn = sqlite3.connect(":memory:")
    try:
        db = Database(conn, execute_plugins=False)
        names = spec.names()
        spec.migrations.ensure_migrations_table(db)
        if version < len(names):
            spec.migrations.apply(db, stop_before=names[version])
        else:
            spec.migrations.apply(db)
        return {
            name: (kind, table, _describe(conn, kind, name, sql))
            for name, (kind, table, sql) in _objects(conn).items()
        }
    finally:
        conn.close()


def check(
    conn: sqlite3.Connection, spec: SchemaSpec, version: int, what: str, *, strict: bool = False
) -> None:
    """Raise NotAnExplorerStore saying what is wrong if the file's schema is not the one
    Explorer makes for `version`."""
    want = expected(spec, version)
    have = _objects(conn)
    for name, (kind, table, _sql) in have.items():
        if kind == "trigger":
            raise NotAnExplorerStore(
                f"{what} has a trigger ({name!r}) on {table!r}; Explorer makes none, and one "
                "could change what it writes, so the file is not opened"
            )
        if strict and name not in want:
            raise NotAnExplorerStore(f"{what} has a {kind} {name!r} that Explorer does not make")
    for name, (kind, table, shape) in want.items():
        found = have.get(name)
        if found is None:
            raise NotAnExplorerStore(f"{what} has no {kind} {name!r}, which Explorer needs")
        if found[0] != kind:
            raise NotAnExplorerStore(
                f"{what}: {name!r} is a {found[0]}, not the {kind} Explorer makes"
            )
        if found[1] != table or _describe(conn, kind, name, found[2]) != shape:
            raise NotAnExplorerStore(
                f"{what}: the {kind} {name!r} does not have the shape Explorer gives it"
            )
