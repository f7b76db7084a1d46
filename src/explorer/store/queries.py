"""Read queries. Everything the CLI and the Session read from a store goes through here."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from explorer.store import links
from explorer.store.errors import NotFound
from explorer.store.ids import ClaimId, EntityId, EventId, SourceId, StatementId
from explorer.store.records import (
    Alias,
    Claim,
    Companion,
    Conflict,
    CuratorNote,
    DatedPeriod,
    Entity,
    EntityDetail,
    EntityEvent,
    Event,
    EventDetail,
    Evidence,
    Mention,
    Participant,
    Period,
    Source,
    Statement,
)

EVENT_COLUMNS = (
    'id, title, title_en, summary, category, start, "end", earliest, latest, precision, '
    "qualifier, date_text, date_note, t0, t1, last_vouched, last_vouched_t1, undated"
)
SOURCE_COLUMNS = "id, title, publisher, author, published, url, language, seed_file, note"
#: Text read for showing is cut to sane lengths in SQL, so that a hostile or broken file's
#: 50 MB title never reaches a label, a list or a pane (`explorer check` reports it).
MAX_LABEL = 1000  # titles, names, categories, dates as written: drawn on one line
MAX_BODY = 100_000  # summaries, notes, descriptions: shown in a pane
_BODY_COLUMNS = frozenset({"summary", "date_note", "note", "description"})
_KEEP_COLUMNS = frozenset({"id", "t0", "t1", "last_vouched_t1", "undated"})


def clipped(column: str, alias: str = "") -> str:
    """`column` (of the table `alias`) as a select expression cut to its sane length, with
    an ellipsis where it was cut."""
    name = column.strip().strip('"')
    ref = f'{alias}."{name}"' if alias else f'"{name}"'
    if name in _KEEP_COLUMNS:
        return ref
    limit = MAX_BODY if name in _BODY_COLUMNS else MAX_LABEL
    return (
        f"CASE WHEN length({ref}) > {limit} THEN substr({ref}, 1, {limit - 1}) || '…' "
        f"ELSE {ref} END"
    )


def select_list(columns: str, alias: str = "") -> str:
    """A comma-separated column list as clipped select expressions."""
    return ", ".join(clipped(c, alias) for c in columns.split(","))


EVENT_SELECT = select_list(EVENT_COLUMNS)
#: The seconds of the first and last instant Explorer can place (dates.MIN_YEAR, MAX_YEAR).
T_LIMIT = 3.2e18


def valid_event(alias: str = "") -> str:
    """A condition true of an event row every view can draw: a known precision and
    qualifier, a finite period in order. A row from a damaged or hostile file that fails it
    is left out of every view (and named by `explorer check`), never fatal."""
    a = f"{alias}." if alias else ""
    return (
        f"{a}precision IN ('second', 'minute', 'hour', 'day', 'month', 'year') "
        f"AND {a}qualifier IN ('exact', 'circa', 'before', 'after') "
        f"AND {a}t0 < {a}t1 AND {a}t0 >= -{T_LIMIT} AND {a}t1 <= {T_LIMIT}"
    )


def invalid_events(db: Database, limit: int = 5) -> tuple[int, list[str]]:
    """How many event rows no view can draw, and the ids of the first few."""
    where = f"NOT ({valid_event()}) OR t0 IS NULL OR t1 IS NULL"
    total = int(db.execute(f"SELECT count(*) FROM events WHERE {where}").fetchone()[0])
    ids = [str(r[0]) for r in db.execute(f"SELECT id FROM events WHERE {where} LIMIT ?", [limit])]
    return total, ids


SOURCE_SELECT = select_list(SOURCE_COLUMNS)
CLAIM_SELECT = """SELECT c.id, c.entity_id, c.metric, m.label, m.label_en, c.value, c.value_text,
    c.unit, c.qualifier, c.as_of, c.source_id, c.quote, c.note, c.basis, c.period_start
    FROM claims c JOIN metrics m ON m.id = c.metric"""


_EVENT_FIELDS = [c.strip().strip('"') for c in EVENT_COLUMNS.split(",")]


def _event(row: tuple[Any, ...]) -> Event:
    fields = dict(zip(_EVENT_FIELDS, row, strict=True))
    fields["id"] = EventId(row[0])
    fields["undated"] = bool(fields["undated"])
    return Event(**fields)


def _source(row: tuple[Any, ...]) -> Source:
    return Source(SourceId(row[0]), *row[1:])


def _claim(row: tuple[Any, ...]) -> Claim:
    return Claim(ClaimId(row[0]), EntityId(row[1]), *row[2:])


def counts(db: Database) -> dict[str, int]:
    tables = ["events", "entities", "entity_aliases", "sources", "claims", "event_entities"]
    tables += ["event_sources", "metrics", "statements", "entity_mentions", "curator_notes"]
    stored = [(t, links.STORED.get(t, t)) for t in (*tables, "locations")]  # links: by table
    return {t: int(db.execute(f"SELECT count(*) FROM {s}").fetchone()[0]) for t, s in stored}


def list_events(db: Database) -> list[Event]:
    rows = db.execute(
        f"SELECT {EVENT_SELECT} FROM events WHERE {valid_event()} ORDER BY t0, t1, id"
    )
    return [_event(r) for r in rows]


def events_by_rowid(db: Database, rowids: list[int], limit: int) -> list[tuple[int, Event]]:
    """The events with these rowids (the span index's ids), first `limit` by date, with
    their rowids. The ids go through a temporary table: a view holds thousands."""
    if not rowids:
        return []
    # filling the temporary table opens a transaction; one left open would keep this
    # connection on the project as it was (later writes by others unseen)
    ours = not db.conn.in_transaction
    db.execute("CREATE TEMP TABLE IF NOT EXISTS view_ids (id INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.view_ids")
    db.conn.executemany("INSERT INTO temp.view_ids VALUES (?)", [(r,) for r in rowids])
    rows = db.execute(
        f"""SELECT ev.rowid, {select_list(EVENT_COLUMNS, "ev")} FROM events ev
            WHERE ev.rowid IN (SELECT id FROM temp.view_ids) AND {valid_event("ev")}
            ORDER BY ev.t0 LIMIT ?""",
        [limit],
    ).fetchall()
    if ours and db.conn.in_transaction:
        db.conn.commit()
    return [(int(r[0]), _event(r[1:])) for r in rows]


def list_entities(db: Database) -> list[tuple[Entity, int]]:
    """Every entity with the number of events it takes part in."""
    rows = db.execute(
        f"""SELECT e.id, e.kind, {clipped("name", "e")}, {clipped("description", "e")},
               coalesce(s.events, 0)
           FROM entities e LEFT JOIN entity_stats s ON s.entity_id = e.id
           ORDER BY e.kind, e.name"""
    )
    return [(Entity(EntityId(r[0]), r[1], r[2], r[3]), int(r[4])) for r in rows]


def list_sources(db: Database) -> list[Source]:
    return [_source(r) for r in db.execute(f"SELECT {SOURCE_SELECT} FROM sources ORDER BY id")]


def get_source(db: Database, source_id: str) -> Source:
    row = db.execute(f"SELECT {SOURCE_SELECT} FROM sources WHERE id = ?", [source_id]).fetchone()
    if row is None:
        raise NotFound(f"no source with id {source_id!r}")
    return _source(row)


def get_event(db: Database, event_id: str) -> EventDetail:
    row = db.execute(f"SELECT {EVENT_SELECT} FROM events WHERE id = ?", [event_id]).fetchone()
    if row is None:
        raise NotFound(f"no event with id {event_id!r}")
    participants = [
        Participant(EntityId(r[0]), r[1], r[2], r[3])
        for r in db.execute(
            f"""SELECT e.id, {clipped("name", "e")}, e.kind, r.name FROM event_entity_links l
               JOIN entities e ON e.rowid = l.entity JOIN link_roles r ON r.id = l.role
               WHERE l.event = (SELECT rowid FROM events WHERE id = ?) ORDER BY l.rowid""",
            [event_id],
        )
    ]
    evidence = [
        Evidence(_source(r[:-1]), r[-1])
        for r in db.execute(
            f"""SELECT {select_list(SOURCE_COLUMNS, "s")}, l.quote
                FROM event_source_links l JOIN sources s ON s.rowid = l.source
                WHERE l.event = (SELECT rowid FROM events WHERE id = ?) ORDER BY l.rowid""",
            [event_id],
        )
    ]
    return EventDetail(
        _event(row),
        participants,
        evidence,
        event_statements(db, event_id),
        curator_notes(db, "event", event_id),
    )


#: An entity in more events than this is listed by walking events in date order (the index
#: on `t0`) instead of gathering and sorting all of them.
HEAVY_ENTITY = 5000
COMPANION_SAMPLE = 2000


def _entity_events(db: Database, entity_id: str, total: int, limit: int) -> list[EntityEvent]:
    cols = select_list(EVENT_COLUMNS, "ev")
    roles = """(SELECT group_concat(r.name, ', ') FROM event_entity_links x
                JOIN link_roles r ON r.id = x.role WHERE x.event = ev.rowid AND x.entity = :e)"""
    if total > HEAVY_ENTITY:
        sql = f"""SELECT {cols}, {roles} FROM events ev INDEXED BY events_t0
                  WHERE EXISTS (SELECT 1 FROM event_entity_links x
                                WHERE x.event = ev.rowid AND x.entity = :e)
                  ORDER BY ev.t0 LIMIT :n"""
    else:
        sql = f"""SELECT {cols}, {roles} FROM events ev
                  WHERE ev.rowid IN (SELECT event FROM event_entity_links WHERE entity = :e)
                  ORDER BY ev.t0, ev.id LIMIT :n"""
    key = _rowid(db, "entities", entity_id)
    return [EntityEvent(_event(r[:-1]), r[-1]) for r in db.execute(sql, {"e": key, "n": limit})]


def _rowid(db: Database, table: str, ident: str) -> int:
    """The rowid of a row by id, the key its links use (store/links.py); -1: none."""
    row = db.execute(f"SELECT rowid FROM {table} WHERE id = ?", [ident]).fetchone()
    return int(row[0]) if row else -1


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
        f"SELECT id, kind, {select_list('name, description')} FROM entities WHERE id = ?",
        [entity_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    aliases = [
        Alias(r[0], r[1], bool(r[2]))
        for r in db.execute(
            f"""SELECT {clipped("alias")}, lang, is_primary FROM entity_aliases WHERE entity_id = ?
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
        f"""SELECT ev.rowid FROM events ev INDEXED BY events_t0
                 WHERE EXISTS (SELECT 1 FROM event_entity_links x
                               WHERE x.event = ev.rowid AND x.entity = :e)
                 ORDER BY ev.t0 DESC LIMIT {COMPANION_SAMPLE}"""
        if (event_total > COMPANION_SAMPLE)
        else "SELECT event FROM event_entity_links WHERE entity = :e"
    )
    together = [
        Companion(EntityId(r[0]), r[1], r[2], int(r[3]))
        for r in db.execute(
            f"""SELECT e.id, {clipped("name", "e")}, e.kind, count(DISTINCT other.event) AS n
               FROM event_entity_links other JOIN entities e ON e.rowid = other.entity
               WHERE other.event IN ({sample}) AND other.entity <> :e
               GROUP BY e.id ORDER BY n DESC, e.name LIMIT :k""",
            {"e": _rowid(db, "entities", entity_id), "k": companions},
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
        entity_statements(db, entity_id),
        statements_about_entity(db, entity_id),
        entity_mentions(db, entity_id),
    )


def get_claim(db: Database, claim_id: str) -> Claim:
    row = db.execute(f"{CLAIM_SELECT} WHERE c.id = ?", [claim_id]).fetchone()
    if row is None:
        raise NotFound(f"no claim with id {claim_id!r}")
    return _claim(row)


def conflict_count(db: Database) -> int:
    """How many pairs of claims disagree, without reading them."""
    return int(db.execute("SELECT count(*) FROM claim_conflicts").fetchone()[0])


def conflicts(db: Database) -> list[Conflict]:
    """Pairs of claims about the same metric of the same entity and period that disagree."""
    result = []
    for entity_id, name, metric, label_en, a, b in db.execute(
        f"""SELECT cc.entity_id, {clipped("name", "e")}, cc.metric, m.label_en, cc.claim_id,
                  cc.other_claim_id
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
        """SELECT ev.id, e.id, e.kind, r.name FROM event_entity_links l
           JOIN events ev ON ev.rowid = l.event JOIN entities e ON e.rowid = l.entity
           JOIN link_roles r ON r.id = l.role ORDER BY l.rowid"""
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def event_source_links(db: Database) -> list[tuple[str, str]]:
    rows = db.execute(
        """SELECT ev.id, s.id FROM event_source_links l
           JOIN events ev ON ev.rowid = l.event JOIN sources s ON s.rowid = l.source
           GROUP BY l.event, l.source ORDER BY min(l.rowid)"""
    )
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
        f"""SELECT e.id, e.kind, {clipped("name", "e")}, {clipped("description", "e")},
                   coalesce(s.events, 0)
            FROM entities e LEFT JOIN entity_stats s ON s.entity_id = e.id
            WHERE e.id IN ({marks})""",
        ids,
    )
    entities = [(Entity(EntityId(r[0]), r[1], r[2], r[3]), int(r[4])) for r in rows]
    aliases = db.execute(
        f"""SELECT entity_id, {clipped("alias")}, lang, is_primary FROM entity_aliases
            WHERE entity_id IN ({marks}) ORDER BY rowid""",
        ids,
    )
    return entities, [(r[0], r[1], r[2], bool(r[3])) for r in aliases]


def all_aliases(db: Database) -> list[tuple[str, str, str, bool]]:
    """(entity_id, alias, lang, is_primary) for every alias."""
    rows = db.execute(
        f"SELECT entity_id, {clipped('alias')}, lang, is_primary FROM entity_aliases ORDER BY rowid"
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
        sql = f"""SELECT e.id, {clipped("name", "e")}, coalesce(s.events, 0) AS n FROM entities e
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
            f"""SELECT e.id, {clipped("name", "e")}, coalesce(s.events, 0) AS n FROM entities e
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
                f"""SELECT ev.id FROM events ev WHERE ev.id IN ({marks})
                    AND EXISTS (SELECT 1 FROM event_entity_links x
                                WHERE x.event = ev.rowid AND x.entity = ?)""",
                [*chunk, _rowid(db, "entities", entity_id)],
            )
        )
    return found


def periods(db: Database) -> list[Period]:
    """Every period (era), in time order."""
    rows = db.execute(
        f'SELECT id, {clipped("title")}, start, "end", precision, t0, t1 FROM periods '
        "ORDER BY t0, t1, id"
    )
    return [Period(*r) for r in rows]


def category_colours(db: Database) -> dict[str, str]:
    """The colours other tools gave their categories ('#rrggbb'), by category name."""
    rows = db.execute("SELECT name, color FROM categories WHERE color IS NOT NULL")
    return {str(r[0]): str(r[1]) for r in rows}


# --- who said what ------------------------------------------------------------------------

_PERIOD = "{p}_start, {p}_end, {p}_precision, {p}_qualifier, {p}_text, {p}_note, {p}_t0, {p}_t1"
STATEMENT_SELECT = f"""SELECT st.id, st.source_id, st.speaker_id, sp.name, st.attribution,
    st.words, st.kind, st.direct, st.said_event_id, st.note,
    {_PERIOD.format(p="st.said")}, {_PERIOD.format(p="st.about")},
    (SELECT group_concat(event_id, char(31)) FROM
        (SELECT event_id FROM statement_events WHERE statement_id = st.id ORDER BY rowid)),
    (SELECT group_concat(entity_id, char(31)) FROM
        (SELECT entity_id FROM statement_entities WHERE statement_id = st.id ORDER BY rowid))
    FROM statements st LEFT JOIN entities sp ON sp.id = st.speaker_id"""
STATEMENT_ORDER = " ORDER BY st.said_t0, st.said_t1, st.id"


def _period(values: tuple[Any, ...]) -> DatedPeriod | None:
    if values[0] is None:
        return None
    return DatedPeriod(*values)


def _ids(joined: str | None) -> tuple[str, ...]:
    return tuple(joined.split("\x1f")) if joined else ()


def _statement(row: tuple[Any, ...]) -> Statement:
    said = _period(row[10:18])
    assert said is not None  # said_start is NOT NULL
    return Statement(
        id=StatementId(row[0]),
        source_id=SourceId(row[1]),
        speaker_id=EntityId(row[2]) if row[2] else None,
        speaker_name=row[3],
        attribution=row[4],
        words=row[5],
        kind=row[6],
        direct=bool(row[7]),
        said=said,
        said_event_id=EventId(row[8]) if row[8] else None,
        about=_period(row[18:26]),
        note=row[9],
        events=tuple(EventId(e) for e in _ids(row[26])),
        entities=tuple(EntityId(e) for e in _ids(row[27])),
    )


def list_statements(db: Database) -> list[Statement]:
    """Every statement, in the order they were said (said_t0)."""
    return [_statement(r) for r in db.execute(STATEMENT_SELECT + STATEMENT_ORDER)]


def get_statement(db: Database, statement_id: str) -> Statement:
    row = db.execute(f"{STATEMENT_SELECT} WHERE st.id = ?", [statement_id]).fetchone()
    if row is None:
        raise NotFound(f"no statement with id {statement_id!r}")
    return _statement(row)


def entity_statements(db: Database, entity_id: str) -> list[Statement]:
    """What an entity (a person, an organisation) said, in the order it was said."""
    rows = db.execute(f"{STATEMENT_SELECT} WHERE st.speaker_id = ?{STATEMENT_ORDER}", [entity_id])
    return [_statement(r) for r in rows]


def statements_about_entity(db: Database, entity_id: str) -> list[Statement]:
    """Statements by others about an entity (it is one of their subjects)."""
    rows = db.execute(
        f"""{STATEMENT_SELECT} WHERE st.id IN
            (SELECT statement_id FROM statement_entities WHERE entity_id = ?)
            AND st.speaker_id IS NOT ?{STATEMENT_ORDER}""",
        [entity_id, entity_id],
    )
    return [_statement(r) for r in rows]


def event_statements(db: Database, event_id: str) -> list[Statement]:
    """Statements said at an event or about it, in the order they were said."""
    rows = db.execute(
        f"""{STATEMENT_SELECT} WHERE st.said_event_id = :e OR st.id IN
            (SELECT statement_id FROM statement_events WHERE event_id = :e){STATEMENT_ORDER}""",
        {"e": event_id},
    )
    return [_statement(r) for r in rows]


def entity_mentions(db: Database, entity_id: str) -> list[Mention]:
    """Where the sources name an entity, with the passage that names it."""
    cols = select_list(SOURCE_COLUMNS, "s")
    rows = db.execute(
        f"""SELECT m.entity_id, {cols}, m.quote FROM entity_mentions m
            JOIN sources s ON s.id = m.source_id WHERE m.entity_id = ? ORDER BY m.rowid""",
        [entity_id],
    )
    return [Mention(EntityId(r[0]), _source(r[1:-1]), r[-1]) for r in rows]


def curator_notes(
    db: Database, target_kind: str | None = None, target_id: str | None = None
) -> list[CuratorNote]:
    """The curators' notes (all, or those on one event, entity, claim, statement or source)."""
    if target_kind is None:
        ids = [r[0] for r in db.execute("SELECT id FROM curator_notes ORDER BY id")]
    else:
        ids = [
            r[0]
            for r in db.execute(
                """SELECT DISTINCT note_id FROM curator_note_targets
                   WHERE target_kind = ? AND target_id = ? ORDER BY note_id""",
                [target_kind, target_id],
            )
        ]
    notes = []
    for note_id in ids:
        kind, text = db.execute(
            "SELECT kind, text FROM curator_notes WHERE id = ?", [note_id]
        ).fetchone()
        targets = tuple(
            (str(r[0]), str(r[1]))
            for r in db.execute(
                "SELECT target_kind, target_id FROM curator_note_targets WHERE note_id = ?"
                " ORDER BY rowid",
                [note_id],
            )
        )
        notes.append(CuratorNote(note_id, kind, text, targets))
    return notes


def inferred_tensions(db: Database) -> list[CuratorNote]:
    """The curators' inferences that set figures against each other (for the conflict view,
    beside `conflicts`, which only lists figures that contradict outright)."""
    return [
        n
        for n in curator_notes(db)
        if n.kind == "inference" and sum(k == "claim" for k, _ in n.targets) >= 2
    ]


def statements_overlapping(db: Database, t0: float, t1: float, limit: int) -> list[Statement]:
    """Statements said in [t0, t1) or about a period that overlaps it, in the order they
    were said, at most `limit` (a view draws them beside its events)."""
    rows = db.execute(
        f"""{STATEMENT_SELECT} WHERE (st.said_t1 > :a AND st.said_t0 < :b)
            OR (st.about_t1 > :a AND st.about_t0 < :b){STATEMENT_ORDER} LIMIT :n""",
        {"a": t0, "b": t1, "n": limit},
    )
    return [_statement(r) for r in rows]
