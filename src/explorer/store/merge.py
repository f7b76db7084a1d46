"""Merging a colleague's notes and own items into a work file, never dropping anyone's work:
- a note the receiver does not have is added (also when its event is unknown here: it is
  kept and shown as orphaned);
- the same revision, or one the receiver's note already descends from, changes nothing, so
  importing a file twice is harmless;
- a colleague's revision that descends from the receiver's replaces it (fast-forward);
- two revisions that diverged are both kept: the colleague's waits in `note_conflicts` until
  the user keeps theirs, keeps their own, or keeps both.
A merge is one transaction: it applies whole or not at all. Reading the notes file lives in
explorer.exchange.notes_file; what arrives here is checked record by record as it is read,
and a file found bad at any point, even after its last record, raises inside the transaction,
so that nothing of it is kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlite_utils import Database

from explorer.store import notes, user_items
from explorer.store.errors import NotFound, StoreError
from explorer.store.notes import Note


@dataclass
class MergeReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    problems: list[str] = field(default_factory=list)
    #: what the merge did to each record it touched: (id, revision before or None, revision
    #: after), in order, so that it can be undone as one step (each revision's content is
    #: kept in the work file: holding revision ids keeps a large import's memory flat)
    changed: list[tuple[str, str | None, str]] = field(default_factory=list)
    #: the user's own text that someone else's revision replaced or deleted (it is kept
    #: among the note's versions), one line each
    by_others: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.conflicts} conflict(s) to resolve"
        )
        if self.by_others:
            text += f"; {len(self.by_others)} of yours changed by others: " + "; ".join(
                self.by_others[:3]
            )
            if len(self.by_others) > 3:
                text += f"; and {len(self.by_others) - 3} more"
        return text


@dataclass(frozen=True)
class Incoming:
    note: Note
    history: tuple[str, ...]


@dataclass(frozen=True)
class IncomingItem:
    item: user_items.Item
    history: tuple[str, ...]


class Records(Protocol):
    def records(self) -> Iterator[Incoming | IncomingItem]: ...


@dataclass(frozen=True)
class Parsed:
    notes: list[Incoming]
    items: list[IncomingItem]

    def records(self) -> Iterator[Incoming | IncomingItem]:
        yield from self.notes
        yield from self.items


def merge(db: Database, parsed: Records) -> MergeReport:
    """Merge notes and own items into a work file, in one transaction: whatever `records`
    raises, even after its last record, undoes the whole merge."""
    report = MergeReport()
    with notes.saving(db):
        _merge_all(db, parsed.records(), report)
        drop_settled_conflicts(db)
    return report


def _merge_all(
    db: Database, records: Iterable[Incoming | IncomingItem], report: MergeReport
) -> None:
    for record in records:
        if isinstance(record, Incoming):
            _merge_record(db, NOTE_OPS, record.note, record.history, report)
        else:
            _merge_record(db, ITEM_OPS, record.item, record.history, report)


def drop_settled_conflicts(db: Database) -> None:
    """Forget waiting conflicts whose revision the record's history now holds: a later
    merge (or a resolution made elsewhere and sent back) has settled them."""
    for table, key, history in (
        ("note_conflicts", "note_id", "note_history"),
        ("user_item_conflicts", "item_id", "user_item_history"),
    ):
        db.execute(
            f"""DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM {history} h
                WHERE h.{key} = {table}.{key} AND h.revision = {table}.revision)"""
        )


def _what(record: Any) -> str:
    if isinstance(record, Note):
        text = " ".join(record.text.split())
        return f"note “{text[:40]}{'…' if len(text) > 40 else ''}”"
    return f"your {record.kind} “{record.title()[:40]}”"


def _by_others(mine: Any, theirs: Any) -> str | None:
    """A line for the report when a fast-forward deletes or rewrites the user's content."""
    if theirs.author == mine.author:
        return None
    if theirs.deleted and not mine.deleted:
        return f"{_what(mine)} deleted by {theirs.author}"
    same = (
        theirs.text == mine.text
        if isinstance(mine, Note)
        else theirs.data == mine.data  # an own item
    )
    return None if same else f"{_what(mine)} rewritten by {theirs.author}"


def decide(mine: str, my_history: set[str], theirs: str, their_history: set[str]) -> str:
    """How a colleague's revision relates to ours: 'unchanged' (we have it, or descend from
    it), 'fast_forward' (it descends from ours) or 'conflict' (the two diverged)."""
    if theirs in my_history or theirs == mine:
        return "unchanged"
    if mine in their_history:
        return "fast_forward"
    return "conflict"


@dataclass(frozen=True)
class _Ops:
    """How to read and write one kind of versioned record (notes, the user's own items)."""

    get: Callable[[Database, str], Any]
    write: Callable[[Database, Any, tuple[str, ...]], None]
    history: Callable[[Database, str], list[str]]
    conflicts: str  # table of diverging versions
    key: str  # its id column
    conflict_row: Callable[[Any, tuple[str, ...]], list[Any]]  # values after the id


def _note_conflict(n: Note, history: tuple[str, ...]) -> list[Any]:
    return [
        n.revision,
        n.text,
        n.format,
        n.author,
        n.updated,
        int(n.deleted),
        json.dumps(list(n.tags)),
        json.dumps(list(history)),
    ]


def _item_conflict(i: user_items.Item, history: tuple[str, ...]) -> list[Any]:
    return [
        i.revision,
        json.dumps(i.data, ensure_ascii=False),
        i.author,
        i.updated,
        int(i.deleted),
        json.dumps(list(history)),
    ]


NOTE_OPS = _Ops(notes.get, notes.write, notes.history, "note_conflicts", "note_id", _note_conflict)
ITEM_OPS = _Ops(
    user_items.get,
    user_items.write,
    user_items.history,
    "user_item_conflicts",
    "item_id",
    _item_conflict,
)


def _merge_record(
    db: Database, ops: _Ops, theirs: Any, history: tuple[str, ...], report: MergeReport
) -> None:
    """Add, fast-forward, keep, or record as a conflict: the one merge rule for every kind."""
    try:
        mine = ops.get(db, theirs.id)
    except NotFound:
        ops.write(db, theirs, history)
        report.added += 1
        report.changed.append((theirs.id, None, theirs.revision))
        return
    verdict = decide(
        mine.revision, set(ops.history(db, mine.id)), theirs.revision, {*history, theirs.revision}
    )
    known = f"SELECT 1 FROM {ops.conflicts} WHERE {ops.key} = ? AND revision = ?"
    if verdict == "unchanged":
        report.unchanged += 1  # we have this version or one that descends from it
    elif verdict == "fast_forward":
        ops.write(db, theirs, history)  # theirs descends from ours: take it (ours stays a version)
        report.updated += 1
        report.changed.append((theirs.id, mine.revision, theirs.revision))
        line = _by_others(mine, theirs)
        if line is not None:
            report.by_others.append(line)
    elif db.execute(known, [theirs.id, theirs.revision]).fetchone():
        report.unchanged += 1  # this conflict is already waiting for the user
    else:
        values = [theirs.id, *ops.conflict_row(theirs, history)]
        marks = ", ".join("?" for _ in values)
        db.execute(f"INSERT INTO {ops.conflicts} VALUES ({marks})", values)
        report.conflicts += 1


@dataclass(frozen=True)
class Conflict:
    mine: Note
    theirs: Note
    their_history: tuple[str, ...]


def conflicts(db: Database) -> list[Conflict]:
    out = []
    for row in db.execute(
        """SELECT note_id, revision, text, format, author, updated, deleted, tags, history
           FROM note_conflicts ORDER BY rowid"""
    ).fetchall():
        mine = notes.get(db, row[0])
        theirs = Note(
            mine.id,
            mine.target,
            row[2],
            row[3],
            row[4],
            mine.created,
            row[5],
            row[1],
            bool(row[6]),
            tuple(json.loads(row[7])),
        )
        out.append(Conflict(mine, theirs, tuple(json.loads(row[8]))))
    return out


def resolve(db: Database, note_id: str, their_revision: str, keep: str) -> list[Note]:
    """Settle a conflict: keep 'mine', 'theirs' or 'both' (theirs becomes a new note).
    Either way both revisions enter the history, so the same conflict never returns."""
    if keep not in ("mine", "theirs", "both"):
        raise StoreError("keep must be mine, theirs or both")
    match = [
        c for c in conflicts(db) if c.mine.id == note_id and c.theirs.revision == their_revision
    ]
    if not match:
        raise NotFound(f"no conflict for note {note_id} revision {their_revision}")
    c = match[0]
    result: list[Note] = []
    with notes.saving(db):
        notes.keep_version(db, c.theirs)  # whichever is kept, both texts stay versions
        base = c.theirs if keep == "theirs" else c.mine
        merged = Note(
            c.mine.id,
            c.mine.target,
            base.text,
            base.format,
            base.author,
            c.mine.created,
            notes.now(),
            notes.new_id(),
            base.deleted,
            base.tags,
        )
        notes.write(db, merged, [*c.their_history, c.theirs.revision])
        result.append(merged)
        if keep == "both":
            stamp = notes.now()
            copy = Note(
                notes.new_id(),
                c.theirs.target,
                c.theirs.text,
                c.theirs.format,
                c.theirs.author,
                stamp,
                stamp,
                notes.new_id(),
                c.theirs.deleted,
                c.theirs.tags,
            )
            notes.write(db, copy)
            result.append(copy)
        db.execute(
            "DELETE FROM note_conflicts WHERE note_id = ? AND revision = ?",
            [note_id, their_revision],
        )
    return result


# --- one view of every conflict, for the dialog and the CLI ---------------------------------


@dataclass(frozen=True)
class ConflictView:
    kind: str  # "note" or "item"
    id: str
    their_revision: str
    mine_text: str
    theirs_text: str
    mine_author: str
    theirs_author: str
    mine_updated: str
    theirs_updated: str


def _item_text(kind: str, data: dict[str, Any], deleted: bool) -> str:
    if deleted:
        return "(deleted)"
    keys = {
        "event": ("title", "title_en", "start", "end", "summary"),
        "entity": ("name", "kind", "description"),
        "source": ("title", "publisher", "published", "url"),
    }[kind]
    return "\n".join(f"{k}: {data[k]}" for k in keys if data.get(k))


def all_conflicts(db: Database) -> list[ConflictView]:
    views = [
        ConflictView(
            "note",
            c.mine.id,
            c.theirs.revision,
            "(deleted)" if c.mine.deleted else c.mine.text,
            "(deleted)" if c.theirs.deleted else c.theirs.text,
            c.mine.author,
            c.theirs.author,
            c.mine.updated,
            c.theirs.updated,
        )
        for c in conflicts(db)
    ]
    for row in db.execute(
        """SELECT item_id, revision, data, author, updated, deleted FROM user_item_conflicts
           ORDER BY rowid"""
    ).fetchall():
        mine = user_items.get(db, row[0])
        views.append(
            ConflictView(
                "item",
                mine.id,
                row[1],
                _item_text(mine.kind, mine.data, mine.deleted),
                _item_text(mine.kind, json.loads(row[2]), bool(row[5])),
                mine.author,
                row[3],
                mine.updated,
                row[4],
            )
        )
    return views


def resolve_any(db: Database, kind: str, ident: str, their_revision: str, keep: str) -> list[str]:
    """Settle a note or item conflict; returns the ids kept."""
    if kind == "note":
        return [n.id for n in resolve(db, ident, their_revision, keep)]
    if keep not in ("mine", "theirs", "both"):
        raise StoreError("keep must be mine, theirs or both")
    row = db.execute(
        """SELECT data, author, updated, deleted, history FROM user_item_conflicts
           WHERE item_id = ? AND revision = ?""",
        [ident, their_revision],
    ).fetchone()
    if row is None:
        raise NotFound(f"no conflict for item {ident} revision {their_revision}")
    mine = user_items.get(db, ident)
    theirs_data, theirs_deleted = json.loads(row[0]), bool(row[3])
    kept = [ident]
    with notes.saving(db):
        user_items.keep_version(
            db,
            user_items.Item(
                ident,
                mine.kind,
                theirs_data,
                row[1],
                mine.created,
                row[2],
                their_revision,
                theirs_deleted,
            ),
        )
        base_data = theirs_data if keep == "theirs" else mine.data
        base_deleted = theirs_deleted if keep == "theirs" else mine.deleted
        merged = user_items.Item(
            ident,
            mine.kind,
            base_data,
            mine.author,
            mine.created,
            notes.now(),
            notes.new_id(),
            base_deleted,
        )
        user_items.write(db, merged, [*json.loads(row[4]), their_revision])
        if keep == "both":
            stamp = notes.now()
            copy = user_items.Item(
                user_items.new_item_id(),
                mine.kind,
                theirs_data,
                row[1],
                stamp,
                stamp,
                notes.new_id(),
                theirs_deleted,
            )
            user_items.write(db, copy)
            kept.append(copy.id)
        db.execute(
            "DELETE FROM user_item_conflicts WHERE item_id = ? AND revision = ?",
            [ident, their_revision],
        )
    return kept
