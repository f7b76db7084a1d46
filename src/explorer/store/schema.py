"""The public schema, created by named migrations (docs/schema.md documents every column).

Released migrations are never edited: a change to the schema is a new migration appended to
the list, and `SCHEMA_VERSION` follows the number of migrations.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

#: `PRAGMA application_id` of every Explorer database: ASCII "EXPL".
APPLICATION_ID = 0x4558504C

ENTITY_KINDS = ("person", "organization", "place", "program", "product", "event_series")
CATEGORIES = (
    "conference",
    "founding",
    "launch",
    "opening",
    "policy",
    "partnership",
    "visit",
    "deployment",
    "investment",
    "media",
)
CLAIM_QUALIFIERS = ("exact", "more_than", "at_least", "less_than", "about", "estimate")

migrations = Migrations("explorer")

#: The events table from migration 0007 on.
EVENTS_V7 = """CREATE TABLE events (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    title_en TEXT,
    summary TEXT,
    category TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT,
    earliest TEXT NOT NULL,
    latest TEXT NOT NULL,
    precision TEXT NOT NULL
        CHECK (precision IN ('second', 'minute', 'hour', 'day', 'month', 'year')),
    qualifier TEXT NOT NULL DEFAULT 'exact'
        CHECK (qualifier IN ('exact', 'circa', 'before', 'after')),
    date_text TEXT,
    date_note TEXT,
    t0 REAL NOT NULL,
    t1 REAL NOT NULL,
    CHECK (t0 < t1)
)"""
EVENT_INDEXES_V7 = (
    "CREATE INDEX events_t0 ON events(t0)",
    "CREATE INDEX events_t1 ON events(t1)",
    "CREATE INDEX events_category ON events(category)",
)


def _derived_later(db: Database) -> None:
    """The search index, overview, facet counts and entity statistics are built from the
    links as version 12 stores them (store/links.py): an upgrade from before it builds
    them once, at its end (`_integer_links`), instead of in the migration that made them."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS derived_pending (x)")


def _run(db: Database, *statements: str) -> None:
    # One statement at a time: executescript() would commit the surrounding transaction.
    for sql in statements:
        db.execute(sql)


@migrations(name="0001_core_tables")
def _core_tables(db: Database) -> None:
    _run(
        db,
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            publisher TEXT,
            author TEXT,
            published TEXT,
            url TEXT,
            language TEXT NOT NULL,
            seed_file TEXT,
            note TEXT
        )""",
        f"""CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ({", ".join(repr(k) for k in ENTITY_KINDS)})),
            name TEXT NOT NULL,
            description TEXT
        )""",
        """CREATE TABLE entity_aliases (
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            lang TEXT NOT NULL,
            is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
            PRIMARY KEY (entity_id, alias, lang)
        )""",
        "CREATE INDEX entity_aliases_alias ON entity_aliases(alias)",
        """CREATE TABLE events (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            title_en TEXT,
            summary TEXT,
            category TEXT NOT NULL,
            start TEXT NOT NULL,
            "end" TEXT,
            earliest TEXT NOT NULL,
            latest TEXT NOT NULL,
            precision TEXT NOT NULL CHECK (precision IN ('day', 'month', 'year')),
            qualifier TEXT NOT NULL DEFAULT 'exact'
                CHECK (qualifier IN ('exact', 'circa', 'before', 'after')),
            date_text TEXT,
            date_note TEXT,
            CHECK (earliest <= latest)
        )""",
        "CREATE INDEX events_earliest ON events(earliest)",
        "CREATE INDEX events_latest ON events(latest)",
        "CREATE INDEX events_category ON events(category)",
        """CREATE TABLE event_entities (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            PRIMARY KEY (event_id, entity_id, role)
        )""",
        "CREATE INDEX event_entities_entity ON event_entities(entity_id)",
        """CREATE TABLE event_sources (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            source_id TEXT NOT NULL REFERENCES sources(id),
            quote TEXT NOT NULL CHECK (length(quote) <= 400),
            PRIMARY KEY (event_id, source_id, quote)
        )""",
        "CREATE INDEX event_sources_source ON event_sources(source_id)",
        """CREATE TABLE metrics (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            label_en TEXT NOT NULL,
            unit TEXT NOT NULL
        )""",
        f"""CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            metric TEXT NOT NULL REFERENCES metrics(id),
            value REAL NOT NULL,
            value_text TEXT NOT NULL,
            unit TEXT NOT NULL,
            qualifier TEXT NOT NULL DEFAULT 'exact'
                CHECK (qualifier IN ({", ".join(repr(q) for q in CLAIM_QUALIFIERS)})),
            value_low REAL,
            value_high REAL,
            as_of TEXT NOT NULL,
            as_of_earliest TEXT NOT NULL,
            as_of_latest TEXT NOT NULL,
            source_id TEXT NOT NULL REFERENCES sources(id),
            quote TEXT NOT NULL CHECK (length(quote) <= 400),
            note TEXT
        )""",
        "CREATE INDEX claims_entity ON claims(entity_id)",
        "CREATE INDEX claims_metric ON claims(metric, entity_id)",
    )


@migrations(name="0002_search_index")
def _search_index(db: Database) -> None:
    # One row per event, entity, claim or source. `fields` is the JSON list of its
    # [field, text] pairs (for snippets). The indexed columns hold words and CJK bigrams made
    # by explorer.store.tokens: `names` for titles, names and aliases (weighted highest),
    # `body` for the rest of its own text, `related` for the names of linked entities
    # (weighted lowest). Each `*_tails` column holds the last character of every CJK run,
    # so that one-character queries find run-final characters too.
    db.execute(
        """CREATE VIRTUAL TABLE search_index USING fts5(
            kind UNINDEXED, ref_id UNINDEXED, fields UNINDEXED,
            names, names_tails, body, body_tails, related, related_tails,
            tokenize = 'unicode61 remove_diacritics 2'
        )"""
    )


@migrations(name="0003_claim_conflicts_view")
def _claim_conflicts(db: Database) -> None:
    # Two claims conflict when they measure the same metric of the same entity over
    # overlapping periods (one as_of is a prefix of the other: '2024' and '2024-09') and
    # their value ranges (after 'more than', 'about', ...) cannot both be true.
    db.execute(
        """CREATE VIEW claim_conflicts AS
        SELECT a.entity_id AS entity_id, a.metric AS metric, a.unit AS unit,
               a.id AS claim_id, a.value_text AS value_text, a.as_of AS as_of,
               a.source_id AS source_id,
               b.id AS other_claim_id, b.value_text AS other_value_text,
               b.as_of AS other_as_of, b.source_id AS other_source_id
        FROM claims a
        JOIN claims b
          ON a.entity_id = b.entity_id AND a.metric = b.metric AND a.unit = b.unit
         AND a.id < b.id
        WHERE a.as_of_earliest <= b.as_of_latest AND b.as_of_earliest <= a.as_of_latest
          AND (COALESCE(a.value_high, 1e308) < COALESCE(b.value_low, -1e308)
               OR COALESCE(b.value_high, 1e308) < COALESCE(a.value_low, -1e308))"""
    )


@migrations(name="0004_search_contentless")
def _search_contentless(db: Database) -> None:
    # The first index kept a copy of every document; at a million events that tripled the
    # file. Now the FTS table holds only the index (content=''), `search_docs` says what each
    # row is, and snippets are read from the real tables for the hits shown.
    for sql in (
        "DROP TABLE search_index",
        """CREATE TABLE search_docs (
            rowid INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            ref_id TEXT NOT NULL
        )""",
        """CREATE VIRTUAL TABLE search_index USING fts5(
            names, names_tails, body, body_tails, related, related_tails,
            content = '', tokenize = 'unicode61 remove_diacritics 2'
        )""",
    ):
        db.execute(sql)
    _derived_later(db)


@migrations(name="0005_spans_and_overview")
def _spans_and_overview(db: Database) -> None:
    # An R*Tree of event spans (days) finds the events overlapping a window without a scan;
    # a density pyramid lets the timeline draw a million events without reading them.
    from explorer.store import overview

    overview.create_tables(db)
    # Filled by 0007, which every upgrade through here also runs (in the same transaction):
    # the pyramid is built from the events' t0/t1, which 0007 adds.


@migrations(name="0006_entity_stats")
def _entity_stats(db: Database) -> None:
    # Event and figure counts per entity: the browser lists 50,000 entities with their
    # counts, and the pane of an entity in 400,000 events shows its total, without counting.
    from explorer.store import overview

    overview.create_stats(db)
    _derived_later(db)


@migrations(name="0007_instants_periods_categories")
def _instants(db: Database) -> None:
    # Dates from other tools reach far before the common era and down to the second. Every
    # event gets `t0`/`t1`, its period in seconds since 1970 (t1 exclusive), which orders and
    # filters events for any year; `precision` gains hour, minute and second. SQLite cannot
    # change a CHECK, so the table is rebuilt with its rowids kept (the span index uses them);
    # `migrate` runs this with foreign keys off and checks them before committing.
    from explorer.store import overview

    _run(
        db,
        EVENTS_V7.replace("CREATE TABLE events", "CREATE TABLE events_v7"),
        f"""INSERT INTO events_v7 (rowid, id, title, title_en, summary, category, start, "end",
                earliest, latest, precision, qualifier, date_text, date_note, t0, t1)
            SELECT rowid, id, title, title_en, summary, category, start, "end",
                earliest, latest, precision, qualifier, date_text, date_note,
                round((julianday(earliest) - {overview.DAY0}) * 86400),
                round((julianday(latest) + 1 - {overview.DAY0}) * 86400)
            FROM events""",
        "DROP TABLE events",
        "ALTER TABLE events_v7 RENAME TO events",
        *EVENT_INDEXES_V7,
        # Eras and other named periods that frame events (TimelineJS eras), drawn behind them
        """CREATE TABLE periods (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            start TEXT NOT NULL,
            "end" TEXT,
            precision TEXT NOT NULL
                CHECK (precision IN ('second', 'minute', 'hour', 'day', 'month', 'year')),
            t0 REAL NOT NULL,
            t1 REAL NOT NULL,
            source_id TEXT REFERENCES sources(id),
            CHECK (t0 < t1)
        )""",
        # Colours and descriptions other tools give their categories
        """CREATE TABLE categories (
            name TEXT PRIMARY KEY,
            color TEXT CHECK (color IS NULL OR color GLOB
                '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
            description TEXT
        )""",
    )
    _derived_later(db)


@migrations(name="0008_locations")
def _locations(db: Database) -> None:
    # Where a place is, with where that was read (a GeoNames id for curated places, the file
    # for imported ones): the map view draws them, exports carry them.
    db.execute(
        """CREATE TABLE locations (
            entity_id TEXT PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
            lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
            lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
            source TEXT NOT NULL,
            note TEXT
        )"""
    )


#: What a statement is: a remark, a goal (a target someone set), a forecast, an assessment.
STATEMENT_KINDS = ("remark", "goal", "forecast", "assessment")
#: How a figure is known: stated by the source as fact, the source's estimate of a past or
#: present value, its forecast of a future one, or derived by the curators (their inference).
CLAIM_BASES = ("stated", "estimate", "forecast", "derived")
#: What a curators' note is: their inference (reasoning no source states), or a caveat.
CURATOR_NOTE_KINDS = ("inference", "caveat")
#: What a curators' note may be about.
NOTE_TARGETS = ("event", "entity", "claim", "statement", "source")


def _period_columns(prefix: str, required: bool) -> str:
    """Columns of a dated period (`said_*`, `about_*`) in the form events use."""
    null = "NOT NULL" if required else ""
    check = f"{prefix}_precision IN ('second', 'minute', 'hour', 'day', 'month', 'year')"
    return f"""{prefix}_start TEXT {null},
            {prefix}_end TEXT,
            {prefix}_precision TEXT {null} CHECK ({prefix}_precision IS NULL OR {check}),
            {prefix}_qualifier TEXT {null} CHECK ({prefix}_qualifier IS NULL
                OR {prefix}_qualifier IN ('exact', 'circa', 'before', 'after')),
            {prefix}_text TEXT,
            {prefix}_note TEXT,
            {prefix}_t0 REAL {null},
            {prefix}_t1 REAL {null}"""


@migrations(name="0009_statements_spans_mentions")
def _statements(db: Database) -> None:
    # What the curated data needed and could not say: who said what (statements, with when
    # they were said and the period they are about), open-ended spans ("since 2023") and
    # facts the source gives no date for, figures over a period and how a figure is known,
    # where an entity is mentioned, the curators' own inferences, and which quote or note
    # stands behind each sentence of a summary. Only ADD COLUMN and new tables: the events
    # table keeps its rowids (the span index uses them).
    bases = ", ".join(repr(b) for b in CLAIM_BASES)
    _run(
        db,
        # A span that goes on past what its source can say: the last date the source
        # vouches for it (the bar fades out after `last_vouched_t1`).
        "ALTER TABLE events ADD COLUMN last_vouched TEXT",
        "ALTER TABLE events ADD COLUMN last_vouched_t1 REAL",
        # The source gives no date: `start` is only a bound (qualifier 'before').
        "ALTER TABLE events ADD COLUMN undated INTEGER NOT NULL DEFAULT 0"
        " CHECK (undated IN (0, 1))",
        f"ALTER TABLE claims ADD COLUMN basis TEXT NOT NULL DEFAULT 'stated'"
        f" CHECK (basis IN ({bases}))",
        # A figure about a period (a total over January-September): its first date; `as_of`
        # is its last.
        "ALTER TABLE claims ADD COLUMN period_start TEXT",
        # Version 8 documented 'estimate' as a forecast.
        "UPDATE claims SET basis = 'forecast' WHERE qualifier = 'estimate'",
        f"""CREATE TABLE statements (
            id TEXT PRIMARY KEY,
            source_id TEXT NOT NULL REFERENCES sources(id),
            speaker_id TEXT REFERENCES entities(id) ON DELETE SET NULL,
            attribution TEXT CHECK (length(attribution) <= 400),
            words TEXT NOT NULL CHECK (length(words) <= 400),
            kind TEXT NOT NULL
                CHECK (kind IN ({", ".join(repr(k) for k in STATEMENT_KINDS)})),
            direct INTEGER NOT NULL DEFAULT 0 CHECK (direct IN (0, 1)),
            said_event_id TEXT REFERENCES events(id) ON DELETE SET NULL,
            {_period_columns("said", True)},
            {_period_columns("about", False)},
            note TEXT,
            CHECK (said_t0 < said_t1),
            CHECK (about_t0 IS NULL OR about_t0 < about_t1)
        )""",
        "CREATE INDEX statements_speaker ON statements(speaker_id)",
        "CREATE INDEX statements_said ON statements(said_t0)",
        """CREATE TABLE statement_events (
            statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            PRIMARY KEY (statement_id, event_id)
        )""",
        "CREATE INDEX statement_events_event ON statement_events(event_id)",
        """CREATE TABLE statement_entities (
            statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            PRIMARY KEY (statement_id, entity_id)
        )""",
        "CREATE INDEX statement_entities_entity ON statement_entities(entity_id)",
        """CREATE TABLE entity_mentions (
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            source_id TEXT NOT NULL REFERENCES sources(id),
            quote TEXT NOT NULL CHECK (length(quote) <= 400),
            PRIMARY KEY (entity_id, source_id, quote)
        )""",
        "CREATE INDEX entity_mentions_source ON entity_mentions(source_id)",
        f"""CREATE TABLE curator_notes (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL
                CHECK (kind IN ({", ".join(repr(k) for k in CURATOR_NOTE_KINDS)})),
            text TEXT NOT NULL
        )""",
        f"""CREATE TABLE curator_note_targets (
            note_id TEXT NOT NULL REFERENCES curator_notes(id) ON DELETE CASCADE,
            target_kind TEXT NOT NULL
                CHECK (target_kind IN ({", ".join(repr(k) for k in NOTE_TARGETS)})),
            target_id TEXT NOT NULL,
            PRIMARY KEY (note_id, target_kind, target_id)
        )""",
        "CREATE INDEX curator_note_targets_target ON curator_note_targets(target_kind, target_id)",
        # Which evidence quote of the event, or which note, says each summary sentence.
        """CREATE TABLE summary_basis (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            n INTEGER NOT NULL CHECK (n >= 1),
            sentence TEXT NOT NULL,
            k INTEGER NOT NULL CHECK (k >= 1),
            source_id TEXT,
            quote TEXT,
            note TEXT,
            PRIMARY KEY (event_id, n, k),
            FOREIGN KEY (event_id, source_id, quote)
                REFERENCES event_sources(event_id, source_id, quote) ON DELETE CASCADE,
            CHECK ((quote IS NULL) = (source_id IS NULL)),
            CHECK ((quote IS NULL) <> (note IS NULL))
        )""",
    )


@migrations(name="0010_facet_counts")
def _facet_counts(db: Database) -> None:
    # A filter on a common attribute (a category, an entity kind, an entity in hundreds of
    # thousands of events) over the whole span took seconds to count at a million events:
    # its counts per lane and bin are now precomputed at the coarse levels, for the values
    # common enough to need it (store/overview.py). The index on events(t1) is dropped: no
    # query uses it (spans are found through the R*Tree, and views start from t0), and it
    # took 13 bytes an event.
    from explorer.store import overview

    overview.create_facets(db)
    _derived_later(db)
    db.execute("DROP INDEX events_t1")
    # Search puts an entity whose name or alias is exactly the query first, ignoring case:
    # without these, that look-up read every name (10 ms of each search at 50,000 entities).
    db.execute("CREATE INDEX entity_aliases_alias_nocase ON entity_aliases(alias COLLATE NOCASE)")
    db.execute("CREATE INDEX entities_name_nocase ON entities(name COLLATE NOCASE)")
    # An entity's figures in the order the pane lists them, read as a range (the first 500
    # of 77,000 were sorted from all of them: 150 ms at ten million events); it serves
    # every look-up by entity the index it replaces served.
    db.execute("CREATE INDEX claims_entity_order ON claims(entity_id, metric, as_of, id)")
    db.execute("DROP INDEX claims_entity")


@migrations(name="0011_approximate_locations")
def _approximate_locations(db: Database) -> None:
    # A place no source gives a point for (a technology hub, a development area, a label for
    # a district's waterfront) is drawn at the point of a place that contains it, and says
    # so: `approximate` marks the point as not the place's own, `within_id` names the place
    # whose point it is (the map says "approximate: the point of Haidian District"). Rows
    # already there are exact points.
    _run(
        db,
        "ALTER TABLE locations ADD COLUMN approximate INTEGER NOT NULL DEFAULT 0"
        " CHECK (approximate IN (0, 1))",
        "ALTER TABLE locations ADD COLUMN within_id TEXT"
        " REFERENCES entities(id) ON DELETE SET NULL",
    )


@migrations(name="0012_integer_links")
def _integer_links(db: Database) -> None:
    # The links stored by the rowids of what they join (store/links.py): 305 bytes an event
    # became 163 at a million events. `event_entities` and `event_sources` become views of
    # the same columns. The link order is kept (the rowids are copied in order). A summary
    # sentence's quote was a foreign key into `event_sources`, which a view cannot be: the
    # table is rebuilt without it, and the quote is checked where the basis is written
    # (dataset.verify, and the import's reference check).
    from explorer.store import links

    _run(
        db,
        links.ROLES,
        links.ENTITY_LINKS,
        links.SOURCE_LINKS,
        "INSERT INTO link_roles (name) SELECT DISTINCT role FROM event_entities ORDER BY role",
        """INSERT INTO event_entity_links (event, entity, role)
           SELECT ev.rowid, en.rowid, r.id FROM event_entities l
           JOIN events ev ON ev.id = l.event_id JOIN entities en ON en.id = l.entity_id
           JOIN link_roles r ON r.name = l.role ORDER BY l.rowid""",
        """INSERT INTO event_source_links (event, source, quote)
           SELECT ev.rowid, s.rowid, l.quote FROM event_sources l
           JOIN events ev ON ev.id = l.event_id JOIN sources s ON s.id = l.source_id
           ORDER BY l.rowid""",
        """CREATE TABLE summary_basis_v12 (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            n INTEGER NOT NULL CHECK (n >= 1),
            sentence TEXT NOT NULL,
            k INTEGER NOT NULL CHECK (k >= 1),
            source_id TEXT REFERENCES sources(id),
            quote TEXT,
            note TEXT,
            PRIMARY KEY (event_id, n, k),
            CHECK ((quote IS NULL) = (source_id IS NULL)),
            CHECK ((quote IS NULL) <> (note IS NULL))
        )""",
        "INSERT INTO summary_basis_v12 SELECT * FROM summary_basis ORDER BY rowid",
        "DROP TABLE summary_basis",
        "ALTER TABLE summary_basis_v12 RENAME TO summary_basis",
        "DROP TABLE event_entities",
        "DROP TABLE event_sources",
        *links.INDEXES,
        *links.VIEWS,
    )
    if db.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'derived_pending'").fetchone():
        from explorer.store import overview, search

        search.rebuild_index(db)
        overview.rebuild(db)
        overview.rebuild_stats(db)
        overview.rebuild_facets(db)
        db.execute("DROP TABLE temp.derived_pending")


SCHEMA_VERSION = len(migrations._migrations)


@dataclass(frozen=True)
class SchemaSpec:
    """What kind of Explorer database a file must be: its mark and its migrations."""

    what: str  # for messages: "an Explorer database", "an Explorer work file"
    application_id: int
    migrations: Migrations
    #: whether the file may hold nothing but what Explorer makes (shape.check): a work file
    #: is Explorer's alone; a project may carry a researcher's own views and indexes
    strict: bool = False

    @property
    def version(self) -> int:
        return len(self.migrations._migrations)

    def names(self) -> list[str]:
        return [m.name for m in self.migrations._migrations]


CURATED = SchemaSpec("an Explorer database", APPLICATION_ID, migrations)
