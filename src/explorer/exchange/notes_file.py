"""The notes file colleagues exchange: one portable JSON file of every note and own item
(tombstones and revision histories included, so deletions and edits travel), written
atomically, and read back record by record, each checked, into one merge transaction that a
fault anywhere in the file undoes whole (explorer.store.merge does the merging)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from explorer import __version__
from explorer.exchange import json_stream
from explorer.store import notes, text, user_items
from explorer.store.errors import StoreError
from explorer.store.files import atomic_writer, regular_file
from explorer.store.merge import Incoming, IncomingItem, MergeReport, merge
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
    """Every note and own item (tombstones included, so deletions travel too) into one JSON
    file, written one record at a time into a temporary file that replaces `out` when whole."""
    if out.exists() and not force:
        raise StoreError(f"{out} already exists; pass --force to replace it")
    head = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported": notes.now(),
        "exported_by": f"Explorer {__version__}",
        "author": author,
    }
    count = 0
    with atomic_writer(out) as f:
        f.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2].encode("utf-8"))
        f.write(b',\n "notes": [')
        for n in notes.iter_notes(db, include_deleted=True):
            f.write(b",\n  " if count else b"\n  ")
            f.write(_dumps(note_dict(n, notes.history(db, n.id))))
            count += 1
        f.write(b'\n ],\n "items": [')
        for i, item in enumerate(user_items.iter_items(db, include_deleted=True)):
            f.write(b",\n  " if i else b"\n  ")
            f.write(_dumps(item_dict(item, user_items.history(db, item.id))))
        f.write(b"\n ]\n}\n")
    return count


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


# --- reading and checking ------------------------------------------------------------------


@dataclass
class NotesStream:
    """A colleague's notes file, read and checked as it is merged: `records()` yields each
    note and own item in the order of the file, one at a time (a file of 200 MB never sits
    in memory), and raises BadNotesFile when anything in the file is wrong, even after its
    last record; explorer.store.merge.merge then undoes everything it had merged."""

    path: Path

    def records(self) -> Iterator[Incoming | IncomingItem]:
        path = self.path
        seen: set[str] = set()  # note and item ids share one namespace
        problems = _Problems()
        found: dict[str, int] = {}
        try:
            for key, index, value in json_stream.members(path, arrays={"notes", "items"}):
                if key == "format" and value != FORMAT:
                    raise BadNotesFile(f"{path} is not an Explorer annotations file")
                if key == "format_version":
                    _check_version(path, value)
                if key not in ("notes", "items"):
                    found[key] = 1
                    continue
                if index is None and value == []:
                    found[key] = 0
                    continue
                if index is None:  # the member is not a list
                    what = "no list of notes" if key == "notes" else "'items' that is not a list"
                    raise BadNotesFile(f"{path} has {what}")
                found[key] = index + 1
                if "format" not in found:
                    raise BadNotesFile(
                        f'{path} is not an Explorer annotations file (its "format" must '
                        "come before its notes)"
                    )
                label = key[:-1]  # note, item
                try:
                    record = incoming_note(value) if key == "notes" else incoming_item(value)
                except (BadNotesFile, StoreError) as exc:
                    problems.add(f"{label} #{index + 1}: {exc}")
                    continue
                ident = record.note.id if isinstance(record, Incoming) else record.item.id
                if ident in seen:
                    problems.add(f"{label} #{index + 1}: id {ident} appears twice")
                    continue
                seen.add(ident)
                if not problems.count:  # a bad file is read to its end only to count faults
                    yield record
        except json_stream.JSONStreamError as exc:
            raise BadNotesFile(f"{path} is not valid JSON: {exc}; it may be truncated") from None
        if "format" not in found:
            raise BadNotesFile(f"{path} is not an Explorer annotations file")
        if "format_version" not in found:
            raise BadNotesFile(f"{path} has no valid format_version")
        if "notes" not in found:
            raise BadNotesFile(f"{path} has no list of notes")
        if problems.count:  # one line: the first few, and how many more
            shown = "; ".join(problems.first)
            more = f"; and {problems.count - 3} more" if problems.count > 3 else ""
            raise BadNotesFile(
                f"{path}: {problems.count} bad note(s) or item(s), nothing imported: {shown}{more}"
            )


@dataclass
class _Problems:
    """The first three problems' words, and how many there are in all."""

    first: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, line: str) -> None:
        self.count += 1
        if len(self.first) < 3:
            self.first.append(line)


def _check_version(path: Path, version: object) -> None:
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadNotesFile(f"{path} has no valid format_version")
    if version > FORMAT_VERSION:
        raise BadNotesFile(
            f"{path} was written by a newer Explorer (annotations format {version}; "
            f"this Explorer reads up to {FORMAT_VERSION}); update Explorer"
        )


def read_notes_file(path: Path) -> NotesStream:
    """A notes file ready to be merged (refused at once when it is not a regular file or is
    too large; everything else is checked as it is read)."""
    try:
        size = regular_file(path, "an annotations file").st_size
    except StoreError as exc:
        raise BadNotesFile(str(exc)) from None
    if size > MAX_BYTES:
        raise BadNotesFile(
            f"{path} is {size / 2**20:.0f} MB; annotation files are at most {MAX_BYTES // 2**20} MB"
        )
    return NotesStream(path)


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
