"""Notes in the work file: add, edit, delete (as a tombstone revision), list.

Every write is one transaction, committed with synchronous=FULL before it returns, so a
caller that reports "saved" has a note that survives a crash or power cut. A write that
fails (disk full, I/O error) rolls back whole and raises SaveFailed; nothing saved before is
touched.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlite_utils import Database

from explorer.store import dates
from explorer.store.connection import Store, create_store, open_store
from explorer.store.errors import NotFound, StoreError
from explorer.store.text import check_text
from explorer.store.work_schema import NOTE_FORMATS, TARGET_KINDS, WORK

MAX_TEXT = 1_000_000  # characters in one note
MAX_TAG = 100
MAX_TAGS = 1000  # tags on one note
MAX_ID = 200  # characters of a target's id


class SaveFailed(StoreError):
    """The write was rolled back; the caller still holds what the user typed."""


class ConcurrentEdit(StoreError):
    """The note changed (in another window or process) since the caller read it."""


@dataclass(frozen=True)
class Target:
    """What a note is about. Made from input, it is checked whole (StoreError says what is
    wrong); read back from a work file that holds a bad one (written by an older Explorer, or
    by hand), it carries the reason as `problem` instead, so that one bad row is shown as bad
    and never stops anything else."""

    kind: str  # event, entity, claim, source or range
    id: str | None = None  # None for a range
    start: str | None = None  # ISO day, for a range
    end: str | None = None
    problem: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.problem is None:
            self._check()

    def _check(self) -> None:
        if self.kind not in TARGET_KINDS:
            raise StoreError(f"a note cannot be attached to {self.kind!r}")
        if (self.kind == "range") != (self.id is None):
            raise StoreError("a range note has dates and no id; other notes have an id")
        if self.id is not None:
            check_text(self.id, "the id a note is on", limit=MAX_ID)
        if self.kind != "range":
            return
        if not (self.start and self.end):
            raise StoreError("a range note needs a start and an end date")
        try:
            t0 = dates.bounds(self.start, None, "day").t0
            t1 = dates.bounds(self.end, None, "day").t0
        except dates.DateFormatError as exc:
            raise StoreError(f"a range note's dates must be days (YYYY-MM-DD): {exc}") from None
        if t1 < t0:
            raise StoreError(f"a range note's end {self.end} is before its start {self.start}")

    @classmethod
    def stored(cls, kind: str, ident: str | None, start: str | None, end: str | None) -> Target:
        """A target as a work file holds it: checked, with any problem kept, never raised."""
        try:
            return cls(kind, ident, start, end)
        except StoreError as exc:
            return cls(kind, ident, start, end, problem=str(exc))


@dataclass(frozen=True)
class Note:
    id: str
    target: Target
    text: str
    format: str
    author: str
    created: str
    updated: str
    revision: str
    deleted: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    return str(uuid.uuid4())


def open_work(path: Path) -> Store:
    """Open the work file at `path`, creating it (and its folder) on first use."""
    if path.exists():
        store = open_store(path, spec=WORK)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        store = create_store(path, spec=WORK)
    if store.readonly:
        store.close()
        raise StoreError(f"{path} is read-only; notes cannot be saved there")
    store.conn.execute("PRAGMA synchronous = FULL")
    store.conn.execute("PRAGMA busy_timeout = 5000")
    return store


@contextmanager
def saving(db: Database) -> Iterator[None]:
    """One transaction; a failure to write becomes SaveFailed after a full rollback."""
    try:
        with db.atomic():
            yield
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "full" in text:
            raise SaveFailed("the disk is full; nothing was saved (your text is kept)") from exc
        if "i/o" in text or "disk" in text:
            raise SaveFailed(f"the disk could not be written ({exc}); nothing was saved") from exc
        if "locked" in text or "busy" in text:
            raise SaveFailed("the work file is busy in another program; try again") from exc
        raise


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags with their spaces tidied, each once, in order (linear in their number)."""
    out: dict[str, None] = {}
    for t in tags:
        if not isinstance(t, str):
            raise StoreError("a tag must be text")
        tag = " ".join(t[: MAX_TAG * 4].split())
        if not tag:
            continue
        if len(tag) > MAX_TAG:
            raise StoreError(f"a tag has {len(tag)} characters (at most {MAX_TAG})")
        check_text(tag, "a tag", limit=MAX_TAG)
        out[tag] = None
        if len(out) > MAX_TAGS:
            raise StoreError(f"a note has more than {MAX_TAGS:,} tags")
    return tuple(out)


def _check_text(text: str, fmt: str) -> None:
    if fmt not in NOTE_FORMATS:
        raise StoreError(f"unknown note format {fmt!r}")
    if len(text) > MAX_TEXT:
        raise StoreError(f"a note has {len(text):,} characters (at most {MAX_TEXT:,})")
    check_text(text, "a note's text", limit=MAX_TEXT)


def _row(note: Note) -> dict[str, object]:
    t = note.target
    return {
        "id": note.id, "target_kind": t.kind, "target_id": t.id, "range_start": t.start,
        "range_end": t.end, "text": note.text, "format": note.format, "author": note.author,
        "created": note.created, "updated": note.updated, "revision": note.revision,
        "deleted": int(note.deleted),
    }  # fmt: skip


def write(db: Database, note: Note, history: Iterable[str] = ()) -> None:
    """Insert or replace `note`, its tags, and add its revision (and `history`) to its
    history. Callers wrap this in `saving`."""
    db.execute(
        """INSERT INTO notes (id, target_kind, target_id, range_start, range_end, text, format,
               author, created, updated, revision, deleted)
           VALUES (:id, :target_kind, :target_id, :range_start, :range_end, :text, :format,
               :author, :created, :updated, :revision, :deleted)
           ON CONFLICT(id) DO UPDATE SET target_kind = excluded.target_kind,
               target_id = excluded.target_id, range_start = excluded.range_start,
               range_end = excluded.range_end, text = excluded.text, format = excluded.format,
               author = excluded.author, created = excluded.created, updated = excluded.updated,
               revision = excluded.revision, deleted = excluded.deleted""",
        _row(note),
    )
    db.execute("DELETE FROM note_tags WHERE note_id = ?", [note.id])
    db.conn.executemany(
        "INSERT INTO note_tags (note_id, tag) VALUES (?, ?)", [(note.id, t) for t in note.tags]
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO note_history (note_id, revision) VALUES (?, ?)",
        [(note.id, r) for r in (*history, note.revision)],
    )
    keep_version(db, note)


def keep_version(db: Database, note: Note) -> None:
    """Keep this revision's content for good (a later revision never erases it)."""
    db.execute(
        """INSERT OR IGNORE INTO note_versions
           (note_id, revision, text, format, tags, author, updated, deleted)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            note.id,
            note.revision,
            note.text,
            note.format,
            json.dumps(list(note.tags), ensure_ascii=False),
            note.author,
            note.updated,
            int(note.deleted),
        ],
    )


def version(db: Database, note_id: str, revision: str) -> Note:
    """The note as it was at one of its revisions (kept in note_versions)."""
    match = [v for v in versions(db, note_id) if v.revision == revision]
    if not match:
        raise NotFound(f"note {note_id!r} has no revision {revision!r}")
    return match[0]


def versions(db: Database, note_id: str) -> list[Note]:
    """Every revision of a note this work file has seen, oldest first (its own edits, and
    those merged from colleagues, the ones replaced by a fast-forward included)."""
    current = get(db, note_id)
    rows = db.execute(
        """SELECT revision, text, format, tags, author, updated, deleted FROM note_versions
           WHERE note_id = ? ORDER BY updated, rowid""",
        [note_id],
    ).fetchall()
    return [
        replace(
            current,
            revision=r[0],
            text=r[1],
            format=r[2],
            tags=tuple(json.loads(r[3])),
            author=r[4],
            updated=r[5],
            deleted=bool(r[6]),
        )
        for r in rows
    ]


def add(
    db: Database,
    target: Target,
    text: str,
    *,
    author: str,
    tags: Iterable[str] = (),
    fmt: str = "plain",
) -> Note:
    _check_text(text, fmt)
    stamp = now()
    note = Note(
        new_id(), target, text, fmt, author, stamp, stamp, new_id(), False, clean_tags(tags)
    )
    with saving(db):
        write(db, note)
    return note


def get(db: Database, note_id: str) -> Note:
    row = db.execute(
        """SELECT id, target_kind, target_id, range_start, range_end, text, format, author,
                  created, updated, revision, deleted FROM notes WHERE id = ?""",
        [note_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no note with id {note_id!r}")
    return _note(db, row)


def _note(db: Database, row: tuple[object, ...]) -> Note:
    tags = tuple(
        r[0]
        for r in db.execute("SELECT tag FROM note_tags WHERE note_id = ? ORDER BY rowid", [row[0]])
    )
    target = Target.stored(str(row[1]), row[2], row[3], row[4])  # type: ignore[arg-type]
    return Note(
        str(row[0]),
        target,
        str(row[5]),
        str(row[6]),
        str(row[7]),
        str(row[8]),
        str(row[9]),
        str(row[10]),
        bool(row[11]),
        tags,
    )


def history(db: Database, note_id: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT revision FROM note_history WHERE note_id = ? ORDER BY rowid", [note_id]
        )
    ]


def update(
    db: Database,
    note_id: str,
    *,
    text: str | None = None,
    tags: Iterable[str] | None = None,
    fmt: str | None = None,
    deleted: bool | None = None,
    expected_revision: str | None = None,
) -> Note:
    """A new revision of the note. With `expected_revision`, refuses (ConcurrentEdit) when
    the note has changed since the caller read it, instead of silently overwriting."""
    with saving(db):
        current = get(db, note_id)
        if expected_revision is not None and current.revision != expected_revision:
            raise ConcurrentEdit(
                "this note was changed elsewhere since you opened it; reopen it to see the "
                "other version (your text is kept)"
            )
        new = replace(
            current,
            text=current.text if text is None else text,
            tags=current.tags if tags is None else clean_tags(tags),
            format=current.format if fmt is None else fmt,
            deleted=current.deleted if deleted is None else deleted,
            updated=now(),
            revision=new_id(),
        )
        _check_text(new.text, new.format)
        write(db, new)
    return new


def delete(db: Database, note_id: str, *, expected_revision: str | None = None) -> Note:
    """Delete as a tombstone revision, so a merge never brings the note back by accident."""
    return update(db, note_id, deleted=True, expected_revision=expected_revision)


def list_notes(
    db: Database,
    *,
    target: Target | None = None,
    tag: str | None = None,
    include_deleted: bool = False,
) -> list[Note]:
    return list(iter_notes(db, target=target, tag=tag, include_deleted=include_deleted))


def iter_notes(
    db: Database,
    *,
    target: Target | None = None,
    tag: str | None = None,
    include_deleted: bool = False,
) -> Iterator[Note]:
    """The notes one at a time, oldest first (an export of many never holds them all)."""
    sql = """SELECT id, target_kind, target_id, range_start, range_end, text, format, author,
                    created, updated, revision, deleted FROM notes WHERE 1"""
    args: list[object] = []
    if not include_deleted:
        sql += " AND deleted = 0"
    if target is not None:
        sql += " AND target_kind = ? AND target_id IS ?"
        args += [target.kind, target.id]
    if tag is not None:
        sql += " AND id IN (SELECT note_id FROM note_tags WHERE tag = ?)"
        args.append(tag)
    sql += " ORDER BY created, rowid"
    for row in db.execute(sql, args):
        yield _note(db, row)


def default_author() -> str:
    """The system user's name (EXPLORER_AUTHOR overrides it)."""
    name = os.environ.get("EXPLORER_AUTHOR")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
