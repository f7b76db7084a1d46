"""Exchanging annotations: one portable JSON file per export, merged on import.

Merging never drops anyone's work:
- a note the receiver does not have is added (also when its event is unknown here: it is
  kept and shown as orphaned);
- the same revision, or one the receiver's note already descends from, changes nothing, so
  importing a file twice is harmless;
- a colleague's revision that descends from the receiver's replaces it (fast-forward);
- two revisions that diverged are both kept: the colleague's waits in `note_conflicts` until
  the user keeps theirs, keeps their own, or keeps both.
An import is one transaction: it applies whole or not at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from explorer import __version__
from explorer.store import notes, user_items
from explorer.store.errors import NotFound, StoreError
from explorer.store.files import atomic_write
from explorer.store.notes import Note, Target

FORMAT = "explorer-annotations"
FORMAT_VERSION = 1
MAX_BYTES = 200 * 1024 * 1024
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class BadBundle(StoreError):
    pass


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.conflicts} conflict(s) to resolve"
        )


@dataclass(frozen=True)
class Incoming:
    note: Note
    history: tuple[str, ...]


# --- export --------------------------------------------------------------------------------


def note_dict(note: Note, history: list[str]) -> dict[str, Any]:
    t = note.target
    return {
        "id": note.id,
        "target": {"kind": t.kind, "id": t.id, "start": t.start, "end": t.end},
        "text": note.text, "format": note.format, "author": note.author,
        "created": note.created, "updated": note.updated, "revision": note.revision,
        "deleted": note.deleted, "tags": list(note.tags), "history": history,
    }  # fmt: skip


def export_bundle(db: Database, out: Path, *, author: str, force: bool = False) -> int:
    """Every note (tombstones included, so deletions travel too) into one JSON file."""
    if out.exists() and not force:
        raise StoreError(f"{out} already exists; pass --force to replace it")
    items = [
        note_dict(n, notes.history(db, n.id)) for n in notes.list_notes(db, include_deleted=True)
    ]
    own = [
        item_dict(i, user_items.history(db, i.id))
        for i in user_items.list_items(db, include_deleted=True)
    ]
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported": notes.now(),
        "exported_by": f"Explorer {__version__}",
        "author": author,
        "notes": items,
        "items": own,
    }
    atomic_write(out, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return len(items)


# --- reading and checking ------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingItem:
    item: user_items.Item
    history: tuple[str, ...]


@dataclass(frozen=True)
class Parsed:
    notes: list[Incoming]
    items: list[IncomingItem]


T = TypeVar("T")


def _parse_each(
    entries: list[Any],
    parse: Callable[[Any], T],
    ident: Callable[[T], str],
    label: str,
    seen: set[str],
    problems: list[str],
) -> list[T]:
    """Each entry parsed; a bad or repeated one is a problem ("note #3: ..."), not a stop."""
    out: list[T] = []
    for i, entry in enumerate(entries):
        try:
            parsed = parse(entry)
        except (BadBundle, StoreError) as exc:
            problems.append(f"{label} #{i + 1}: {exc}")
            continue
        key = ident(parsed)
        if key in seen:
            problems.append(f"{label} #{i + 1}: id {key} appears twice")
        seen.add(key)
        out.append(parsed)
    return out


def read_bundle(path: Path) -> Parsed:
    """Parse and check a bundle completely before anything is written."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BadBundle(f"no file at {path}") from None
    if path.is_dir():
        raise BadBundle(f"{path} is a folder, not an annotations file")
    if size > MAX_BYTES:
        raise BadBundle(
            f"{path} is {size / 2**20:.0f} MB; annotation files are at most {MAX_BYTES // 2**20} MB"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadBundle(f"{path} is not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadBundle(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); it may be truncated"
        ) from None
    except RecursionError:
        raise BadBundle(f"{path} is nested too deeply to be an annotations file") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadBundle(f"{path} is not an Explorer annotations file")
    version = data.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BadBundle(f"{path} has no valid format_version")
    if version > FORMAT_VERSION:
        raise BadBundle(
            f"{path} was written by a newer Explorer (annotations format {version}; "
            f"this Explorer reads up to {FORMAT_VERSION}); update Explorer"
        )
    items = data.get("notes")
    if not isinstance(items, list):
        raise BadBundle(f"{path} has no list of notes")
    problems: list[str] = []
    seen: set[str] = set()  # note and item ids share one namespace
    out = _parse_each(items, incoming_note, lambda inc: inc.note.id, "note", seen, problems)
    own = data.get("items", [])
    if not isinstance(own, list):
        raise BadBundle(f"{path}: 'items' must be a list")
    out_items = _parse_each(own, incoming_item, lambda inc: inc.item.id, "item", seen, problems)
    if problems:
        shown = problems[:10] + ([f"… and {len(problems) - 10} more"] if len(problems) > 10 else [])
        raise BadBundle(
            "\n".join(
                [
                    f"{path}: {len(problems)} bad note(s) or item(s); nothing imported:",
                    *("  - " + p for p in shown),
                ]
            )
        )
    return Parsed(out, out_items)


def _str(item: dict[str, Any], key: str, *, limit: int = 200, optional: bool = False) -> str | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise BadBundle(f"'{key}' must be text")
    if len(value) > limit:
        raise BadBundle(f"'{key}' is too long ({len(value):,} characters)")
    if "\x00" in value:
        raise BadBundle(f"'{key}' contains a NUL character")
    return value


def item_dict(item: user_items.Item, history: list[str]) -> dict[str, Any]:
    return {"id": item.id, "kind": item.kind, "data": item.data, "author": item.author,
            "created": item.created, "updated": item.updated, "revision": item.revision,
            "deleted": item.deleted, "history": history}  # fmt: skip


_ITEM_ID = re.compile(r"^u-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _versioned(item: dict[str, Any]) -> tuple[bool, tuple[str, ...]]:
    """The fields every versioned record has, checked: (deleted, history); its created and
    updated stamps are checked too."""
    for key in ("created", "updated"):
        if not _STAMP.match(str(_str(item, key, limit=40))):
            raise BadBundle(f"'{key}' is not a timestamp")
    deleted = item.get("deleted", False)
    if not isinstance(deleted, bool):
        raise BadBundle("'deleted' must be true or false")
    history = item.get("history", [])
    if not isinstance(history, list) or not all(
        isinstance(x, str) and _UUID.match(x) for x in history
    ):
        raise BadBundle("'history' must be a list of revision ids")
    return deleted, tuple(history)


def incoming_item(item: object) -> IncomingItem:
    if not isinstance(item, dict):
        raise BadBundle("is not an object")
    if not _ITEM_ID.match(str(item.get("id", ""))):
        raise BadBundle("'id' is not an item id (u- and a UUID)")
    if not _UUID.match(str(item.get("revision", ""))):
        raise BadBundle("'revision' is not a UUID")
    kind = str(_str(item, "kind", limit=20))
    data = user_items.clean(kind, item.get("data"))  # type: ignore[arg-type]
    deleted, history = _versioned(item)
    parsed = user_items.Item(
        str(item["id"]),
        kind,
        data,
        str(_str(item, "author")),
        str(item["created"]),
        str(item["updated"]),
        str(item["revision"]),
        deleted,
    )
    return IncomingItem(parsed, history)


def incoming_note(item: object) -> Incoming:
    if not isinstance(item, dict):
        raise BadBundle("is not an object")
    note_id = _str(item, "id")
    revision = _str(item, "revision")
    for name, value in (("id", note_id), ("revision", revision)):
        if not _UUID.match(value or ""):
            raise BadBundle(f"'{name}' is not a UUID")
    target = item.get("target")
    if not isinstance(target, dict):
        raise BadBundle("'target' must be an object")
    t = Target(
        str(_str(target, "kind", limit=20)),
        _str(target, "id", optional=True),
        _str(target, "start", limit=10, optional=True),
        _str(target, "end", limit=10, optional=True),
    )
    text = str(_str(item, "text", limit=notes.MAX_TEXT))
    fmt = str(_str(item, "format", limit=20))
    if fmt not in ("plain", "markdown"):
        raise BadBundle(f"unknown format {fmt!r}")
    deleted, history = _versioned(item)
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(x, str) for x in tags):
        raise BadBundle("'tags' must be a list of text")
    note = Note(
        str(note_id),
        t,
        text,
        fmt,
        str(_str(item, "author")),
        str(item["created"]),
        str(item["updated"]),
        str(revision),
        deleted,
        notes.clean_tags(tags),
    )
    return Incoming(note, history)


# --- merging -------------------------------------------------------------------------------


def import_bundle(db: Database, path: Path) -> ImportReport:
    return merge(db, read_bundle(path))


def merge(db: Database, parsed: Parsed) -> ImportReport:
    """Merge checked notes and own items into a work file, in one transaction."""
    report = ImportReport()
    with notes.saving(db):
        for inc in parsed.notes:
            _merge(db, inc, report)
        for inc_item in parsed.items:
            _merge_record(db, ITEM_OPS, inc_item.item, inc_item.history, report)
    return report


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
    db: Database, ops: _Ops, theirs: Any, history: tuple[str, ...], report: ImportReport
) -> None:
    """Add, fast-forward, keep, or record as a conflict: the one merge rule for every kind."""
    try:
        mine = ops.get(db, theirs.id)
    except NotFound:
        ops.write(db, theirs, history)
        report.added += 1
        return
    verdict = decide(
        mine.revision, set(ops.history(db, mine.id)), theirs.revision, {*history, theirs.revision}
    )
    known = f"SELECT 1 FROM {ops.conflicts} WHERE {ops.key} = ? AND revision = ?"
    if verdict == "unchanged":
        report.unchanged += 1  # we have this version or one that descends from it
    elif verdict == "fast_forward":
        ops.write(db, theirs, history)  # theirs descends from ours: take it
        db.execute(
            f"DELETE FROM {ops.conflicts} WHERE {ops.key} = ? AND revision = ?",
            [theirs.id, theirs.revision],
        )
        report.updated += 1
    elif db.execute(known, [theirs.id, theirs.revision]).fetchone():
        report.unchanged += 1  # this conflict is already waiting for the user
    else:
        values = [theirs.id, *ops.conflict_row(theirs, history)]
        marks = ", ".join("?" for _ in values)
        db.execute(f"INSERT INTO {ops.conflicts} VALUES ({marks})", values)
        report.conflicts += 1


def _merge(db: Database, inc: Incoming, report: ImportReport) -> None:
    _merge_record(db, NOTE_OPS, inc.note, inc.history, report)


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
