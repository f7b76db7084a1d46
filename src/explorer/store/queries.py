"""Read queries. Everything the CLI and the Session read from a store goes through here."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from explorer.store.errors import NotFound
from explorer.store.ids import ClaimId, EntityId, EventId, SourceId
from explorer.store.records import (
    Alias,
    Claim,
    Companion,
    Conflict,
    Entity,
    EntityDetail,
    EntityEvent,
    Event,
    EventDetail,
    Evidence,
    Participant,
    Period,
    Source,
)

EVENT_COLUMNS = (
    'id, title, title_en, summary, category, start, "end", earliest, latest, precision, '
    "qualifier, date_text, date_note, t0, t1"
)
SOURCE_COLUMNS = "id, title, publisher, author, published, url, language, seed_file, note"
CLAIM_SELECT = """SELECT c.id, c.entity_id, c.metric, m.label, m.label_en, c.value, c.value_text,
    c.unit, c.qualifier, c.as_of, c.source_id, c.quote, c.note
    FROM claims c JOIN metrics m ON m.id = c.metric"""


def _event(row: tuple[Any, ...]) -> Event:
    return Event(EventId(row[0]), *row[1:])


def _source(row: tuple[Any, ...]) -> Source:
    return Source(SourceId(row[0]), *row[1:])


def _claim(row: tuple[Any, ...]) -> Claim:
    return Claim(ClaimId(row[0]), EntityId(row[1]), *row[2:])


def counts(db: Database) -> dict[str, int]:
    tables = (
        "events",
        "entities",
        "entity_aliases",
        "sources",
        "claims",
        "event_entities",
        "event_sources",
        "metrics",
    )
    return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}


def list_events(db: Database) -> list[Event]:
    rows = db.execute(f"SELECT {EVENT_COLUMNS} FROM events ORDER BY t0, t1, id")
    return [_event(r) for r in rows]


def list_entities(db: Database) -> list[tuple[Entity, int]]:
    """Every entity with the number of events it takes part in."""
    rows = db.execute(
        """SELECT e.id, e.kind, e.name, e.description, coalesce(s.events, 0)
           FROM entities e LEFT JOIN entity_stats s ON s.entity_id = e.id
           ORDER BY e.kind, e.name"""
    )
    return [(Entity(EntityId(r[0]), r[1], r[2], r[3]), int(r[4])) for r in rows]


def list_sources(db: Database) -> list[Source]:
    return [_source(r) for r in db.execute(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id")]


def get_source(db: Database, source_id: str) -> Source:
    row = db.execute(f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?", [source_id]).fetchone()
    if row is None:
        raise NotFound(f"no source with id {source_id!r}")
    return _source(row)


def get_event(db: Database, event_id: str) -> EventDetail:
    row = db.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", [event_id]).fetchone()
    if row is None:
        raise NotFound(f"no event with id {event_id!r}")
    participants = [
        Participant(EntityId(r[0]), r[1], r[2], r[3])
        for r in db.execute(
            """SELECT e.id, e.name, e.kind, ee.role FROM event_entities ee
               JOIN entities e ON e.id = ee.entity_id WHERE ee.event_id = ?
               ORDER BY ee.rowid""",
            [event_id],
        )
    ]
    evidence = [
        Evidence(_source(r[:-1]), r[-1])
        for r in db.execute(
            f"""SELECT {", ".join("s." + c.strip() for c in SOURCE_COLUMNS.split(","))}, es.quote
                FROM event_sources es JOIN sources s ON s.id = es.source_id
                WHERE es.event_id = ? ORDER BY es.rowid""",
            [event_id],
        )
    ]
    return EventDetail(_event(row), participants, evidence)


#: An entity in more events than this is listed by walking events in date order (the index
#: on `t0`) instead of gathering and sorting all of them.
HEAVY_ENTITY = 5000
COMPANION_SAMPLE = 2000


def _entity_events(db: Database, entity_id: str, total: int, limit: int) -> list[EntityEvent]:
    cols = ", ".join("ev." + c.strip() for c in EVENT_COLUMNS.split(","))
    roles = """(SELECT group_concat(role, ', ') FROM event_entities r
                WHERE r.event_id = ev.id AND r.entity_id = :e)"""
    if total > HEAVY_ENTITY:
        sql = f"""SELECT {cols}, {roles} FROM events ev INDEXED BY events_t0
                  WHERE EXISTS (SELECT 1 FROM event_entities ee
                                WHERE ee.event_id = ev.id AND ee.entity_id = :e)
                  ORDER BY ev.t0 LIMIT :n"""
    else:
        sql = f"""SELECT {cols}, {roles} FROM events ev
                  WHERE ev.id IN (SELECT event_id FROM event_entities WHERE entity_id = :e)
                  ORDER BY ev.t0, ev.id LIMIT :n"""
    return [
        EntityEvent(_event(r[:-1]), r[-1]) for r in db.execute(sql, {"e": entity_id, "n": limit})
    ]


def get_entity(
    db: Database,
    entity_id: str,
    companions: int = 10,
    *,
    event_limit: int = 500,
    claim_limit: int = 500,
) -> EntityDetail:
    """An entity with its names, its first `event_limit` events (by date) and figures, the
    totals of both, and the entities it most often appears with (counted over its most
    recent COMPANION_SAMPLE events, exact for the rest)."""
    row = db.execute(
        "SELECT id, kind, name, description FROM entities WHERE id = ?", [entity_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    aliases = [
        Alias(r[0], r[1], bool(r[2]))
        for r in db.execute(
            """SELECT alias, lang, is_primary FROM entity_aliases WHERE entity_id = ?
               ORDER BY lang, is_primary DESC, rowid""",
            [entity_id],
        )
    ]
    stats = db.execute(
        "SELECT events, claims FROM entity_stats WHERE entity_id = ?", [entity_id]
    ).fetchone()
    event_total = int(stats[0]) if stats else 0
    events = _entity_events(db, entity_id, event_total, event_limit)
    claim_total = int(stats[1]) if stats else 0
    claims = [
        _claim(r)
        for r in db.execute(
            f"{CLAIM_SELECT} WHERE c.entity_id = ? ORDER BY c.metric, c.as_of, c.id LIMIT ?",
            [entity_id, claim_limit],
        )
    ]
    sample = (
        f"""SELECT ev.id FROM events ev INDEXED BY events_t0
                 WHERE EXISTS (SELECT 1 FROM event_entities ee
                               WHERE ee.event_id = ev.id AND ee.entity_id = :e)
                 ORDER BY ev.t0 DESC LIMIT {COMPANION_SAMPLE}"""
        if (event_total > COMPANION_SAMPLE)
        else "SELECT event_id FROM event_entities WHERE entity_id = :e"
    )
    together = [
        Companion(EntityId(r[0]), r[1], r[2], int(r[3]))
        for r in db.execute(
            f"""SELECT e.id, e.name, e.kind, count(DISTINCT other.event_id) AS n
               FROM event_entities other JOIN entities e ON e.id = other.entity_id
               WHERE other.event_id IN ({sample}) AND other.entity_id <> :e
               GROUP BY e.id ORDER BY n DESC, e.name LIMIT :k""",
            {"e": entity_id, "k": companions},
        )
    ]
    return EntityDetail(
        Entity(EntityId(row[0]), row[1], row[2], row[3]),
        aliases,
        events,
        claims,
        together,
        event_total,
        claim_total,
        min(event_total, COMPANION_SAMPLE),
    )


def get_claim(db: Database, claim_id: str) -> Claim:
    row = db.execute(f"{CLAIM_SELECT} WHERE c.id = ?", [claim_id]).fetchone()
    if row is None:
        raise NotFound(f"no claim with id {claim_id!r}")
    return _claim(row)


def conflicts(db: Database) -> list[Conflict]:
    """Pairs of claims about the same metric of the same entity and period that disagree."""
    result = []
    for entity_id, name, metric, label_en, a, b in db.execute(
        """SELECT cc.entity_id, e.name, cc.metric, m.label_en, cc.claim_id, cc.other_claim_id
           FROM claim_conflicts cc JOIN entities e ON e.id = cc.entity_id
           JOIN metrics m ON m.id = cc.metric ORDER BY cc.entity_id, cc.metric, cc.claim_id"""
    ).fetchall():
        result.append(
            Conflict(
                EntityId(entity_id), name, metric, label_en, (get_claim(db, a), get_claim(db, b))
            )
        )
    return result


def meta(db: Database) -> dict[str, str]:
    return {k: v for k, v in db.execute("SELECT key, value FROM meta ORDER BY key")}


def event_links(db: Database) -> list[tuple[str, str, str, str]]:
    """(event_id, entity_id, entity kind, role) for every link, in link order."""
    rows = db.execute(
        """SELECT ee.event_id, ee.entity_id, e.kind, ee.role FROM event_entities ee
           JOIN entities e ON e.id = ee.entity_id ORDER BY ee.rowid"""
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def event_source_links(db: Database) -> list[tuple[str, str]]:
    rows = db.execute("SELECT DISTINCT event_id, source_id FROM event_sources ORDER BY rowid")
    return [(r[0], r[1]) for r in rows]


def some_entities(
    db: Database, ids: list[str]
) -> tuple[list[tuple[Entity, int]], list[tuple[str, str, str, bool]]]:
    """Some entities with their event counts, and their aliases (as list_entities and
    all_aliases give them for every entity)."""
    if not ids:
        return [], []
    marks = ",".join("?" for _ in ids)
    rows = db.execute(
        f"""SELECT e.id, e.kind, e.name, e.description, coalesce(s.events, 0)
            FROM entities e LEFT JOIN entity_stats s ON s.entity_id = e.id
            WHERE e.id IN ({marks})""",
        ids,
    )
    entities = [(Entity(EntityId(r[0]), r[1], r[2], r[3]), int(r[4])) for r in rows]
    aliases = db.execute(
        f"""SELECT entity_id, alias, lang, is_primary FROM entity_aliases
            WHERE entity_id IN ({marks}) ORDER BY rowid""",
        ids,
    )
    return entities, [(r[0], r[1], r[2], bool(r[3])) for r in aliases]


def all_aliases(db: Database) -> list[tuple[str, str, str, bool]]:
    """(entity_id, alias, lang, is_primary) for every alias."""
    rows = db.execute(
        "SELECT entity_id, alias, lang, is_primary FROM entity_aliases ORDER BY rowid"
    )
    return [(r[0], r[1], r[2], bool(r[3])) for r in rows]


def kind_counts(db: Database) -> list[tuple[str, int]]:
    """Entities per kind."""
    return [
        (r[0], int(r[1]))
        for r in db.execute("SELECT kind, count(*) FROM entities GROUP BY kind ORDER BY kind")
    ]


def top_entities(
    db: Database, kind: str, needle: str = "", limit: int = 200, offset: int = 0
) -> list[tuple[str, str, int]]:
    """(id, name, events) of one kind's entities, most events first; with `needle`, only
    those with a name in any language containing it (case-insensitive)."""
    if needle:
        sql = """SELECT e.id, e.name, coalesce(s.events, 0) AS n FROM entities e
                 LEFT JOIN entity_stats s ON s.entity_id = e.id
                 WHERE e.kind = ? AND (e.name LIKE :p ESCAPE '\\' OR e.id IN (
                     SELECT entity_id FROM entity_aliases WHERE alias LIKE :p ESCAPE '\\'))
                 ORDER BY n DESC, e.name LIMIT :limit OFFSET :offset"""
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        rows = db.execute(
            sql.replace("e.kind = ?", "e.kind = :kind"),
            {"kind": kind, "p": pattern, "limit": limit, "offset": offset},
        )
    else:
        rows = db.execute(
            """SELECT e.id, e.name, coalesce(s.events, 0) AS n FROM entities e
               LEFT JOIN entity_stats s ON s.entity_id = e.id WHERE e.kind = ?
               ORDER BY n DESC, e.name LIMIT ? OFFSET ?""",
            [kind, limit, offset],
        )
    return [(r[0], r[1], int(r[2])) for r in rows]


def linked(db: Database, entity_id: str, event_ids: list[str]) -> set[str]:
    """Which of `event_ids` link `entity_id` (for highlighting what is in view)."""
    found: set[str] = set()
    for first in range(0, len(event_ids), 500):
        chunk = event_ids[first : first + 500]
        marks = ",".join("?" for _ in chunk)
        found.update(
            r[0]
            for r in db.execute(
                "SELECT event_id FROM event_entities WHERE entity_id = ?"
                f" AND event_id IN ({marks})",
                [entity_id, *chunk],
            )
        )
    return found


def periods(db: Database) -> list[Period]:
    """Every period (era), in time order."""
    rows = db.execute(
        'SELECT id, title, start, "end", precision, t0, t1 FROM periods ORDER BY t0, t1, id'
    )
    return [Period(*r) for r in rows]


def category_colours(db: Database) -> dict[str, str]:
    """The colours other tools gave their categories ('#rrggbb'), by category name."""
    rows = db.execute("SELECT name, color FROM categories WHERE color IS NOT NULL")
    return {str(r[0]): str(r[1]) for r in rows}
