"""The links between events and what they involve, stored by integer keys.

Who takes part in an event (`event_entities`) and which source says so (`event_sources`)
are the project's most numerous rows: about 1.6 and 1 an event. Until schema version 12
each link repeated an event id and an entity or source id as text, in the table and again
in its primary-key index: 305 bytes an event at a million events, 38% of the file. Since
then they are stored as the rowids of the event, the entity and the source (`event`,
`entity`, `source`), with the roles in a table of their own, and read through views of the
same names and columns as before: a researcher's SQL, the exports and every reader that
only reads them see what they saw. 163 bytes an event at a million (`bench/bytes.py`).

The rowids of events, entities and sources are therefore keys, as the events' already were
for the span index: Explorer never deletes and re-inserts those rows (an import updates
them in place), and VACUUM keeps rowids. Writes go through this module, which turns ids into
rowids and says which link names a missing row.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator

from sqlite_utils import Database

#: Roles of participants, each stored once (a link holds its number).
ROLES = """CREATE TABLE link_roles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
)"""
ENTITY_LINKS = """CREATE TABLE event_entity_links (
    event INTEGER NOT NULL,
    entity INTEGER NOT NULL,
    role INTEGER NOT NULL REFERENCES link_roles(id)
)"""
SOURCE_LINKS = """CREATE TABLE event_source_links (
    event INTEGER NOT NULL,
    source INTEGER NOT NULL,
    quote TEXT NOT NULL CHECK (length(quote) <= 400)
)"""
INDEXES = (
    "CREATE UNIQUE INDEX event_entity_links_key ON event_entity_links(event, entity, role)",
    "CREATE INDEX event_entity_links_entity ON event_entity_links(entity)",
    "CREATE UNIQUE INDEX event_source_links_key ON event_source_links(event, source, quote)",
    "CREATE INDEX event_source_links_source ON event_source_links(source)",
)
VIEWS = (
    """CREATE VIEW event_entities AS
    SELECT ev.id AS event_id, en.id AS entity_id, r.name AS role
    FROM event_entity_links l
    JOIN events ev ON ev.rowid = l.event
    JOIN entities en ON en.rowid = l.entity
    JOIN link_roles r ON r.id = l.role""",
    """CREATE VIEW event_sources AS
    SELECT ev.id AS event_id, s.id AS source_id, l.quote AS quote
    FROM event_source_links l
    JOIN events ev ON ev.rowid = l.event
    JOIN sources s ON s.rowid = l.source""",
)
#: Link rows whose event, entity or source is gone (the views leave them out): (table,
#: rowid). SQLite's foreign-key check cannot see them, since a rowid is no declared key.
ORPHANS = """
SELECT 'event_entity_links', l.rowid FROM event_entity_links l
WHERE NOT EXISTS (SELECT 1 FROM events WHERE rowid = l.event)
   OR NOT EXISTS (SELECT 1 FROM entities WHERE rowid = l.entity)
UNION ALL
SELECT 'event_source_links', l.rowid FROM event_source_links l
WHERE NOT EXISTS (SELECT 1 FROM events WHERE rowid = l.event)
   OR NOT EXISTS (SELECT 1 FROM sources WHERE rowid = l.source)"""

#: One link stored by ids, its parameters in the public table's column order (`STAGED`)
_PUT = {
    "event_entities": """INSERT OR IGNORE INTO event_entity_links (event, entity, role)
        SELECT ev.rowid, en.rowid, r.id FROM events ev, entities en, link_roles r
        WHERE ev.id = ?1 AND en.id = ?2 AND r.name = ?3""",
    "event_sources": """INSERT OR IGNORE INTO event_source_links (event, source, quote)
        SELECT ev.rowid, s.rowid, ?3 FROM events ev, sources s WHERE ev.id = ?1 AND s.id = ?2""",
}


class MissingTarget(ValueError):
    """A link names an event, entity or source the project does not hold."""


def create(db: Database) -> None:
    for sql in (ROLES, ENTITY_LINKS, SOURCE_LINKS, *INDEXES, *VIEWS):
        db.execute(sql)


@contextlib.contextmanager
def _all_or_nothing(conn: sqlite3.Connection) -> Iterator[None]:
    """What is written inside stays only if nothing raises (a savepoint: it nests in the
    caller's transaction)."""
    conn.execute("SAVEPOINT put_links")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO put_links")
        conn.execute("RELEASE put_links")
        raise
    conn.execute("RELEASE put_links")


def put_entities(db: Database, links: Iterable[tuple[str, str, str]]) -> int:
    """Store (event id, entity id, role) links not stored yet, in the order given; returns
    how many were new. Raises MissingTarget (nothing of the call stored) when a link names
    an event or entity the project does not hold."""
    return _put(db, "event_entities", list(links))


def put_sources(db: Database, links: Iterable[tuple[str, str, str]]) -> int:
    """Store (event id, source id, quote) links not stored yet, in the order given; as
    `put_entities`."""
    return _put(db, "event_sources", list(links))


def _put(db: Database, table: str, rows: list[tuple[str, str, str]]) -> int:
    conn = db.conn
    cols = STAGED[table]
    held = f"SELECT 1 FROM {table} WHERE {' AND '.join(f'{c} = ?' for c in cols)}"
    with _all_or_nothing(conn):
        if table == "event_entities":  # each role stored once, by number
            roles = [(r,) for r in sorted({r[2] for r in rows})]
            conn.executemany("INSERT OR IGNORE INTO link_roles (name) VALUES (?)", roles)
        before = conn.total_changes
        for row in rows:
            if (
                conn.execute(_PUT[table], row).rowcount == 0
                and not conn.execute(held, row).fetchone()
            ):
                raise MissingTarget(_missing(db, table, row))
        return conn.total_changes - before


def _missing(db: Database, table: str, row: tuple[str, str, str]) -> str:
    for (_, target), ident in zip(_TARGETS[table], row, strict=False):
        if db.execute(f"SELECT 1 FROM {target} WHERE id = ?", [ident]).fetchone() is None:
            noun = {"events": "event", "entities": "entity", "sources": "source"}[target]
            return f"a link names {noun} {ident!r}, which the project does not hold"
    return "a link names what the project does not hold"


#: The link tables as the public schema names them, with their columns: an import stages
#: their rows in temporary tables of these names (`stage`), since a file may name an
#: entity before it holds it, and stores them once every row is in (`store_staged`).
STAGED = {
    "event_entities": ("event_id", "entity_id", "role"),
    "event_sources": ("event_id", "source_id", "quote"),
}
#: Where each staged link's targets are: (column, table it names)
_TARGETS = {
    "event_entities": (("event_id", "events"), ("entity_id", "entities")),
    "event_sources": (("event_id", "events"), ("source_id", "sources")),
}
#: The table that stores each public link table's rows (for counting them quickly).
STORED = {"event_entities": "event_entity_links", "event_sources": "event_source_links"}


def stage_begin(db: Database) -> None:
    for table, cols in STAGED.items():
        db.execute(f"DROP TABLE IF EXISTS temp.staged_{table}")
        db.execute(f"CREATE TEMP TABLE staged_{table} ({', '.join(cols)})")


def stage(db: Database, table: str, rows: list[dict[str, object]]) -> None:
    cols = STAGED[table]
    db.conn.executemany(
        f"INSERT INTO temp.staged_{table} VALUES ({', '.join('?' for _ in cols)})",
        [tuple(r.get(c) for c in cols) for r in rows],
    )


def staged_broken(db: Database) -> list[tuple[str, int, str]]:
    """Staged links that name what neither the file nor the project holds: (public table,
    staged rowid, table of the missing target), in the order staged."""
    out: list[tuple[str, int, str]] = []
    for table, targets in _TARGETS.items():
        for col, target in targets:
            sql = f"""SELECT rowid FROM temp.staged_{table} s
                      WHERE NOT EXISTS (SELECT 1 FROM main.{target} t WHERE t.id = s.{col})"""
            out += [(table, int(r[0]), target) for r in db.execute(sql)]
    return sorted(set(out), key=lambda b: (b[0], b[1]))


def drop_staged(db: Database, table: str, rowid: int) -> None:
    db.execute(f"DELETE FROM temp.staged_{table} WHERE rowid = ?", [rowid])


def store_staged(db: Database) -> None:
    """Store the staged links not stored yet, in the order staged, and drop the staging."""
    db.execute(
        "INSERT OR IGNORE INTO link_roles (name)"
        " SELECT DISTINCT role FROM temp.staged_event_entities"
    )
    db.execute(
        """INSERT OR IGNORE INTO event_entity_links (event, entity, role)
           SELECT ev.rowid, en.rowid, r.id FROM temp.staged_event_entities s
           JOIN events ev ON ev.id = s.event_id JOIN entities en ON en.id = s.entity_id
           JOIN link_roles r ON r.name = s.role ORDER BY s.rowid"""
    )
    db.execute(
        """INSERT OR IGNORE INTO event_source_links (event, source, quote)
           SELECT ev.rowid, so.rowid, s.quote FROM temp.staged_event_sources s
           JOIN events ev ON ev.id = s.event_id JOIN sources so ON so.id = s.source_id
           ORDER BY s.rowid"""
    )
    for table in STAGED:
        db.execute(f"DROP TABLE temp.staged_{table}")


#: Summary sentences whose quote is not among their event's: (table, rowid, what is
#: missing), as SQLite's foreign-key check reports. A foreign key until version 12, when
#: `event_sources` became a view.
UNQUOTED_BASIS = """SELECT 'summary_basis', b.rowid, 'event_sources' FROM summary_basis b
    WHERE b.quote IS NOT NULL AND NOT EXISTS (SELECT 1 FROM event_sources es
        WHERE es.event_id = b.event_id AND es.source_id = b.source_id AND es.quote = b.quote)"""


def orphans(db: Database) -> list[tuple[str, int]]:
    """Link rows whose event, entity or source is gone."""
    return [(str(t), int(r)) for t, r in db.execute(ORPHANS)]


def problems(db: Database) -> list[str]:
    """What SQLite's foreign-key check cannot see in the links (`explorer check`): links to
    what is gone, summary sentences whose quote is not their event's. None before version
    12 (the foreign keys said it)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'event_entity_links'").fetchone():
        return []
    out = []
    gone = orphans(db)
    if gone:
        out.append(
            f"{len(gone)} link(s) to an event, entity or source that is gone (first: "
            f"{gone[0][0]} rowid {gone[0][1]}); no view shows them"
        )
    unquoted = db.execute(UNQUOTED_BASIS).fetchall()
    if unquoted:
        out.append(
            f"{len(unquoted)} summary sentence basis row(s) cite a quote their event does not "
            f"have (first: summary_basis rowid {unquoted[0][1]})"
        )
    return out


__all__ = [
    "STAGED",
    "STORED",
    "MissingTarget",
    "create",
    "drop_staged",
    "orphans",
    "problems",
    "put_entities",
    "put_sources",
    "stage",
    "stage_begin",
    "staged_broken",
    "store_staged",
]
