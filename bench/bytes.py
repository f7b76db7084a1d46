"""Where a project's bytes go, per event, and what the cuts made and left would save.

    python bench/bytes.py bench/.projects/demo-1000000.db [--sample 50000]

The first table reads SQLite's `dbstat` (every page of every table and index, unused space
included) and groups the objects by what they are for. Then, in temporary files beside
nothing of the project's:

- the links as schema 11 stored them (text ids of the event and of the entity or source,
  in the table and again in its primary key), built from the project's, against the links
  as schema 12 stores them (the rowids of what they join, store/links.py): the simple
  approach and this one, on the same rows in the same run;
- the search index without the linked entities' names (an event would no longer be found
  by the name of an entity it involves unless its own text says it), and without the
  one-character tails (a one-character CJK query would no longer find a character that
  ends a run), built for the first `--sample` events and scaled: cuts not made.

The project (schema 12) is opened read-only; nothing in it changes. Figures only; nothing
is asserted.
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database

from explorer.store import search

#: (what, the objects it holds): objects not named here fall into "everything else". The
#: links are named as schema 12 stores them (store/links.py) and as 11 did.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("events", ("events",)),
    (
        "events' indexes (id, category, t0)",
        ("sqlite_autoindex_events_1", "events_category", "events_t0"),
    ),
    ("entity links", ("event_entity_links", "link_roles", "event_entities")),
    (
        "entity links' key and by-entity index",
        (
            "event_entity_links_key",
            "event_entity_links_entity",
            "sqlite_autoindex_link_roles_1",
            "sqlite_autoindex_event_entities_1",
            "event_entities_entity",
        ),
    ),
    ("quotes (source links)", ("event_source_links", "event_sources")),
    (
        "quotes' key and by-source index",
        (
            "event_source_links_key",
            "event_source_links_source",
            "sqlite_autoindex_event_sources_1",
            "event_sources_source",
        ),
    ),
    (
        "search index (FTS5 data, sizes)",
        ("search_index_data", "search_index_docsize", "search_index_idx", "search_index_config"),
    ),
    ("search_docs (what each search row is)", ("search_docs",)),
    ("event_spans (R*Tree)", ("event_spans_node", "event_spans_rowid", "event_spans_parent")),
    (
        "overview, facets, entity stats",
        ("overview", "overview_lanes", "overview_facets", "entity_stats"),
    ),
)

#: The links as schema 11 stored them (text ids, in the table and again in its key), built
#: from a project of schema 12 for the comparison
_TEXT_LINKS = (
    """CREATE TABLE event_entities (event_id TEXT NOT NULL, entity_id TEXT NOT NULL,
       role TEXT NOT NULL, PRIMARY KEY (event_id, entity_id, role))""",
    """INSERT INTO event_entities SELECT ev.id, en.id, r.name FROM p.event_entity_links l
       JOIN p.events ev ON ev.rowid = l.event JOIN p.entities en ON en.rowid = l.entity
       JOIN p.link_roles r ON r.id = l.role ORDER BY l.rowid""",
    "CREATE INDEX event_entities_entity ON event_entities(entity_id)",
    """CREATE TABLE event_sources (event_id TEXT NOT NULL, source_id TEXT NOT NULL,
       quote TEXT NOT NULL, PRIMARY KEY (event_id, source_id, quote))""",
    """INSERT INTO event_sources SELECT ev.id, s.id, l.quote FROM p.event_source_links l
       JOIN p.events ev ON ev.rowid = l.event JOIN p.sources s ON s.rowid = l.source
       ORDER BY l.rowid""",
    "CREATE INDEX event_sources_source ON event_sources(source_id)",
)

#: search index variants: the columns each keeps of a search row (rowid, kind, ref, names,
#: names_tails, body, body_tails, related, related_tails)
_FTS = {
    "as shipped": (3, 4, 5, 6, 7, 8),
    "without linked names": (3, 4, 5, 6),
    "without tails": (3, 5, 7),
    "without both": (3, 5),
}


def sizes(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    return {
        str(name): int(size)
        for name, size in conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat(?) GROUP BY name", [schema]
        )
    }


def where_they_go(conn: sqlite3.Connection, events: int) -> dict[str, float]:
    have = sizes(conn)
    out: dict[str, float] = {}
    for what, names in GROUPS:
        out[what] = sum(have.pop(n, 0) for n in names) / events
    out["everything else (entities, aliases, claims, sources, ...)"] = sum(have.values()) / events
    return out


def link_cut(project: Path, events: int) -> tuple[float, float, float]:
    """Bytes an event of the links as stored (by rowid) and as schema 11 stored them (by
    text id, built from them in a temporary file), and the seconds that build took."""
    ro = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    have = sizes(ro)
    ro.close()
    now = sum(have.get(n, 0) for _, names in GROUPS[2:6] for n in names)
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "links.db")
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("ATTACH ? AS p", [f"file:{project}?mode=ro"])
        t = time.perf_counter()
        for sql in _TEXT_LINKS:
            conn.execute(sql)
        conn.commit()
        spent = time.perf_counter() - t
        text = sum(sizes(conn).values())
        conn.close()
    return now / events, text / events, spent


def search_cuts(project: Path, sample: int) -> dict[str, float]:
    """Bytes an event of the events' search rows in each variant, for the first `sample`."""
    db = Database(sqlite3.connect(f"file:{project}?mode=ro", uri=True))
    names = search._entity_tokens(db)
    rows = list(itertools.islice(search._event_rows(db, names, 1), sample))
    db.conn.close()
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "fts.db")
        conn.execute("PRAGMA journal_mode = OFF")
        for n, (what, keep) in enumerate(_FTS.items()):
            cols = ", ".join(f"c{i}" for i in keep)
            conn.execute(
                f"CREATE VIRTUAL TABLE v{n} USING fts5({cols}, content = '',"
                " tokenize = 'unicode61 remove_diacritics 2')"
            )
            conn.execute(f"INSERT INTO v{n} (v{n}, rank) VALUES ('automerge', 0)")
            marks = ", ".join("?" * (len(keep) + 1))
            conn.executemany(
                f"INSERT INTO v{n} (rowid, {cols}) VALUES ({marks})",
                [(r[0], *(r[i] for i in keep)) for r in rows],
            )
            conn.execute(f"INSERT INTO v{n} (v{n}) VALUES ('optimize')")
            conn.commit()
            have = sizes(conn)
            out[what] = sum(v for k, v in have.items() if k.startswith(f"v{n}_")) / len(rows)
        conn.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("project", type=Path)
    ap.add_argument("--sample", type=int, default=50_000, help="events in the search variants")
    args = ap.parse_args(argv)
    if not args.project.is_file():
        print(f"no such project: {args.project}", file=sys.stderr)
        return 2
    conn = sqlite3.connect(f"file:{args.project}?mode=ro", uri=True)
    events = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    total = args.project.stat().st_size
    print(
        f"{args.project.name}: {events:,} events, {total:,} bytes, "
        f"{total / events:.0f} bytes an event (SQLite {sqlite3.sqlite_version})\n"
    )
    print("| what | bytes an event |\n| --- | ---: |")
    for what, b in where_they_go(conn, events).items():
        print(f"| {what} | {b:.1f} |")
    conn.close()

    now, text, spent = link_cut(args.project, events)
    print("\nLinks (event_entities, event_sources, their keys and indexes):\n")
    print("| stored | bytes an event |\n| --- | ---: |")
    print(
        f"| by text ids, in the table and again in its key (schema 11; built in {spent:.1f} s)"
        f" | {text:.1f} |"
    )
    print(f"| by rowid, roles in a table (schema 12) | {now:.1f} |")
    print(
        f"| saved | {text - now:.1f} ({(text - now) / (total / events + text - now):.0%} of"
        " what the file would be) |"
    )

    variants = search_cuts(args.project, args.sample)
    shipped = variants["as shipped"]
    print(
        f"\nSearch rows of events (first {min(args.sample, events):,} events, FTS5 data and"
        " sizes):\n"
    )
    print("| index | bytes an event | saved |\n| --- | ---: | ---: |")
    for what, b in variants.items():
        print(f"| {what} | {b:.1f} | {shipped - b:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
