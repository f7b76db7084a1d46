"""The notes file colleagues exchange: one portable JSON file of every note and own item
(tombstones and revision histories included, so deletions and edits travel), written
atomically, and read back completely checked before anything is merged
(explorer.store.merge does the merging)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from explorer import __version__
from explorer.store import notes, text, user_items
from explorer.store.errors import StoreError
from explorer.store.files import atomic_write, regular_file
from explorer.store.merge import Incoming, IncomingItem, MergeReport, Parsed, merge
from explorer.store.notes import Note, Target

FORMAT = "explorer-annotations"
FORMAT_VERSION = 1
MAX_BYTES = 200 * 1024 * 1024
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class BadNotesFile(StoreError):
    pass


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


def export_notes_file(db: Database, out: Path, *, author: str, force: bool = False) -> int:
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
        except (BadNotesFile, StoreError) as exc:
            problems.append(f"{label} #{i + 1}: {exc}")
            continue
        key = ident(parsed)
        if key in seen:
            problems.append(f"{label} #{i + 1}: id {key} appears twice")
        seen.add(key)
        out.append(parsed)
    return out


def read_notes_file(path: Path) -> Parsed:
    """Parse and check a bundle completely before anything is written."""
    try:
        size = regular_file(path, "an annotations file").st_size
    except StoreError as exc:
        raise BadNotesFile(str(exc)) from None
    if size > MAX_BYTES:
        raise BadNotesFile(
            f"{path} is {size / 2**20:.0f} MB; annotation files are at most {MAX_BYTES // 2**20} MB"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadNotesFile(f"{path} is not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadNotesFile(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); it may be truncated"
        ) from None
    except RecursionError:
        raise BadNotesFile(f"{path} is nested too deeply to be an annotations file") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadNotesFile(f"{path} is not an Explorer annotations file")
    version = data.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BadNotesFile(f"{path} has no valid format_version")
    if version > FORMAT_VERSION:
        raise BadNotesFile(
            f"{path} was written by a newer Explorer (annotations format {version}; "
            f"this Explorer reads up to {FORMAT_VERSION}); update Explorer"
        )
    items = data.get("notes")
    if not isinstance(items, list):
        raise BadNotesFile(f"{path} has no list of notes")
    problems: list[str] = []
    seen: set[str] = set()  # note and item ids share one namespace
    out = _parse_each(items, incoming_note, lambda inc: inc.note.id, "note", seen, problems)
    own = data.get("items", [])
    if not isinstance(own, list):
        raise BadNotesFile(f"{path}: 'items' must be a list")
    out_items = _parse_each(own, incoming_item, lambda inc: inc.item.id, "item", seen, problems)
    if problems:  # one line: the first few, and how many more
        shown = "; ".join(problems[:3])
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise BadNotesFile(
            f"{path}: {len(problems)} bad note(s) or item(s), nothing imported: {shown}{more}"
        )
    return Parsed(out, out_items)


def _str(item: dict[str, Any], key: str, *, limit: int = 200, optional: bool = False) -> str | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise BadNotesFile(f"'{key}' must be text")
    why = text.problem(value, limit=limit)
    if why is not None:
        raise BadNotesFile(f"'{key}' {why}")
    return value


def _stamp(item: dict[str, Any], key: str) -> str:
    """A time stamp as Explorer writes them ('2024-05-01T09:30:00.123Z'), a real instant."""
    value = str(_str(item, key, limit=40))
    if _STAMP.match(value):
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return value
        except ValueError:
            pass
    raise BadNotesFile(f"'{key}' is not a time stamp such as 2024-05-01T09:30:00Z")


def item_dict(item: user_items.Item, history: list[str]) -> dict[str, Any]:
    return {"id": item.id, "kind": item.kind, "data": item.data, "author": item.author,
            "created": item.created, "updated": item.updated, "revision": item.revision,
            "deleted": item.deleted, "history": history}  # fmt: skip


_ITEM_ID = re.compile(r"^u-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _versioned(item: dict[str, Any]) -> tuple[bool, tuple[str, ...]]:
    """The fields every versioned record has, checked: (deleted, history); its created and
    updated stamps are checked too."""
    for key in ("created", "updated"):
        _stamp(item, key)
    deleted = item.get("deleted", False)
    if not isinstance(deleted, bool):
        raise BadNotesFile("'deleted' must be true or false")
    history = item.get("history", [])
    if not isinstance(history, list) or not all(
        isinstance(x, str) and _UUID.match(x) for x in history
    ):
        raise BadNotesFile("'history' must be a list of revision ids")
    return deleted, tuple(history)


def incoming_item(item: object) -> IncomingItem:
    if not isinstance(item, dict):
        raise BadNotesFile("is not an object")
    if not _ITEM_ID.match(str(item.get("id", ""))):
        raise BadNotesFile("'id' is not an item id (u- and a UUID)")
    if not _UUID.match(str(item.get("revision", ""))):
        raise BadNotesFile("'revision' is not a UUID")
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
        raise BadNotesFile("is not an object")
    note_id = _str(item, "id")
    revision = _str(item, "revision")
    for name, value in (("id", note_id), ("revision", revision)):
        if not _UUID.match(value or ""):
            raise BadNotesFile(f"'{name}' is not a UUID")
    target = item.get("target")
    if not isinstance(target, dict):
        raise BadNotesFile("'target' must be an object")
    t = Target(
        str(_str(target, "kind", limit=20)),
        _str(target, "id", optional=True),
        _str(target, "start", limit=10, optional=True),
        _str(target, "end", limit=10, optional=True),
    )
    body = str(_str(item, "text", limit=notes.MAX_TEXT))
    fmt = str(_str(item, "format", limit=20))
    if fmt not in ("plain", "markdown"):
        raise BadNotesFile(f"unknown format {fmt!r}")
    deleted, history = _versioned(item)
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(x, str) for x in tags):
        raise BadNotesFile("'tags' must be a list of text")
    note = Note(
        str(note_id),
        t,
        body,
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


def import_notes_file(db: Database, path: Path) -> MergeReport:
    return merge(db, read_notes_file(path))
