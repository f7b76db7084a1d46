"""A source with everything the project takes from it (the source pane)."""

from __future__ import annotations

from sqlite_utils import Database

from explorer.store import queries
from explorer.store.ids import EntityId
from explorer.store.records import Cited, SourceDetail

#: At most this many of a source's events are listed (a large import cites one file often).
EVENT_LIMIT = 500


def get_source_detail(db: Database, source_id: str, limit: int = EVENT_LIMIT) -> SourceDetail:
    """Raises NotFound for an id the project does not have."""
    source = queries.get_source(db, source_id)
    cols = queries.select_list(queries.EVENT_COLUMNS, "ev")
    rows = db.execute(
        f"""SELECT {cols}, es.quote FROM event_source_links es JOIN events ev ON ev.rowid = es.event
            WHERE es.source = (SELECT rowid FROM sources WHERE id = ?)
            ORDER BY ev.t0, ev.id LIMIT ?""",
        [source_id, limit],
    ).fetchall()
    events = [Cited(queries._event(r[:-1]), r[-1]) for r in rows]
    total = int(
        db.execute(
            "SELECT count(*) FROM event_sources WHERE source_id = ?",
            [source_id],
        ).fetchone()[0]
    )
    claims = [
        queries._claim(r)
        for r in db.execute(
            f"{queries.CLAIM_SELECT} WHERE c.source_id = ? ORDER BY c.as_of, c.id", [source_id]
        )
    ]
    statements = [s for s in queries.list_statements(db) if s.source_id == source_id]
    name = queries.clipped("name", "e")
    mentions = [
        (EntityId(r[0]), str(r[1]), str(r[2]))
        for r in db.execute(
            f"""SELECT m.entity_id, {name}, m.quote FROM entity_mentions m
                JOIN entities e ON e.id = m.entity_id WHERE m.source_id = ? ORDER BY m.rowid""",
            [source_id],
        )
    ]
    notes = queries.curator_notes(db, "source", source_id)
    return SourceDetail(source, events, total, claims, statements, mentions, notes)
