"""The user's work file: notes, tags and (later) the annotator's own events. It lives in the
per-user data folder, apart from the read-only curated database, so that a new release of the
dataset never touches it; notes point at curated rows by their stable text ids.

Every note and every version of it has a UUID, and each note keeps the list of revisions it
has been through, so two colleagues' copies can be merged without losing either's work.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from explorer.store.schema import SchemaSpec

#: `PRAGMA application_id` of a work file: ASCII "EXPW".
WORK_APPLICATION_ID = 0x45585057
TARGET_KINDS = ("event", "entity", "claim", "source", "range")
NOTE_FORMATS = ("plain", "markdown")

work_migrations = Migrations("explorer-work")


@work_migrations(name="0001_notes")
def _notes(db: Database) -> None:
    for sql in (
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        f"""CREATE TABLE notes (
            id TEXT PRIMARY KEY,
            target_kind TEXT NOT NULL
                CHECK (target_kind IN ({", ".join(repr(k) for k in TARGET_KINDS)})),
            target_id TEXT,
            range_start TEXT,
            range_end TEXT,
            text TEXT NOT NULL,
            format TEXT NOT NULL DEFAULT 'plain'
                CHECK (format IN ({", ".join(repr(f) for f in NOTE_FORMATS)})),
            author TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            revision TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
            CHECK ((target_kind = 'range') = (target_id IS NULL)),
            CHECK (target_kind <> 'range' OR (range_start IS NOT NULL AND range_end IS NOT NULL))
        )""",
        "CREATE INDEX notes_target ON notes(target_kind, target_id)",
        """CREATE TABLE note_tags (
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (note_id, tag)
        )""",
        "CREATE INDEX note_tags_tag ON note_tags(tag)",
        """CREATE TABLE note_history (
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            revision TEXT NOT NULL,
            PRIMARY KEY (note_id, revision)
        )""",
        """CREATE TABLE note_conflicts (
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            revision TEXT NOT NULL,
            text TEXT NOT NULL,
            format TEXT NOT NULL,
            author TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted INTEGER NOT NULL,
            tags TEXT NOT NULL,
            history TEXT NOT NULL,
            PRIMARY KEY (note_id, revision)
        )""",
    ):
        db.execute(sql)


@work_migrations(name="0002_user_items")
def _user_items(db: Database) -> None:
    # The annotator's own events, entities and sources: one row per item, its fields as JSON
    # (documented in docs/schema.md), versioned and merged exactly like notes.
    for sql in (
        """CREATE TABLE user_items (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('event', 'entity', 'source')),
            data TEXT NOT NULL,  -- JSON, checked by explorer.store.user_items.clean
            author TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            revision TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
        )""",
        "CREATE INDEX user_items_kind ON user_items(kind)",
        """CREATE TABLE user_item_history (
            item_id TEXT NOT NULL REFERENCES user_items(id) ON DELETE CASCADE,
            revision TEXT NOT NULL,
            PRIMARY KEY (item_id, revision)
        )""",
        """CREATE TABLE user_item_conflicts (
            item_id TEXT NOT NULL REFERENCES user_items(id) ON DELETE CASCADE,
            revision TEXT NOT NULL,
            data TEXT NOT NULL,
            author TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted INTEGER NOT NULL,
            history TEXT NOT NULL,
            PRIMARY KEY (item_id, revision)
        )""",
    ):
        db.execute(sql)


@work_migrations(name="0003_versions")
def _versions(db: Database) -> None:
    # Every revision's content, not only its id: a colleague's revision that descends from
    # the user's replaces it in `notes` (a fast-forward), and the user's text must stay
    # findable. Filled with the current revision of every note and item.
    for sql in (
        """CREATE TABLE note_versions (
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            revision TEXT NOT NULL,
            text TEXT NOT NULL,
            format TEXT NOT NULL,
            tags TEXT NOT NULL,  -- JSON list
            author TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted INTEGER NOT NULL,
            PRIMARY KEY (note_id, revision)
        )""",
        """CREATE TABLE user_item_versions (
            item_id TEXT NOT NULL REFERENCES user_items(id) ON DELETE CASCADE,
            revision TEXT NOT NULL,
            data TEXT NOT NULL,
            author TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted INTEGER NOT NULL,
            PRIMARY KEY (item_id, revision)
        )""",
        """INSERT INTO note_versions
           SELECT n.id, n.revision, n.text, n.format,
                  (SELECT json_group_array(tag) FROM
                      (SELECT tag FROM note_tags t WHERE t.note_id = n.id ORDER BY t.rowid)),
                  n.author, n.updated, n.deleted
           FROM notes n""",
        """INSERT INTO user_item_versions
           SELECT id, revision, data, author, updated, deleted FROM user_items""",
    ):
        db.execute(sql)


WORK = SchemaSpec("an Explorer work file", WORK_APPLICATION_ID, work_migrations, strict=True)
