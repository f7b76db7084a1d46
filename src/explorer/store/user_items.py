"""The annotator's own events, entities and sources, kept apart from the curated rows.

Each item has an id ('u-' and a UUID), a kind, its fields (checked here), an author and a
revision with a history, like a note. Curated rows are never changed: an annotator who
disagrees writes a note or an event of their own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlite_utils import Database

from explorer.store import dates, notes
from explorer.store.errors import NotFound, StoreError
from explorer.store.schema import CATEGORIES, ENTITY_KINDS
from explorer.store.text import check_text

KINDS = ("event", "entity", "source")
MAX_FIELD = 20_000


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    data: dict[str, Any]
    author: str
    created: str
    updated: str
    revision: str
    deleted: bool = False
    #: why the stored fields cannot be shown (a work file written by hand or by an older
    #: Explorer); such an item is listed as bad and left out of every view, never fatal
    problem: str | None = field(default=None, compare=False)

    def title(self) -> str:
        d = self.data
        return str(d.get("title") or d.get("name") or self.id)


def _text(
    data: dict[str, Any], key: str, *, required: bool = False, limit: int = 500
) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise StoreError(f"'{key}' is required")
        return None
    if not isinstance(value, str):
        raise StoreError(f"'{key}' must be text")
    check_text(value, f"'{key}'", limit=limit)
    return value.strip()


def clean(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Checked, normalised fields of an item; raises StoreError saying what is wrong."""
    if kind not in KINDS:
        raise StoreError(f"unknown kind {kind!r}")
    if not isinstance(data, dict):
        raise StoreError("the fields must be an object")
    if kind == "source":
        out = {
            k: _text(data, k, required=(k == "title"))
            for k in ("title", "publisher", "author", "url", "language")
        }
        published = _text(data, "published", limit=10)
        if published:
            try:
                dates.precision_of(published)
            except dates.DateFormatError as exc:
                raise StoreError(str(exc)) from None
        out["published"] = published
        return out
    if kind == "entity":
        entity_kind = data.get("kind")
        if entity_kind not in ENTITY_KINDS:
            raise StoreError(f"an entity's kind is one of {', '.join(ENTITY_KINDS)}")
        aliases = []
        for a in data.get("aliases") or []:
            if (
                not isinstance(a, dict)
                or not isinstance(a.get("alias"), str)
                or a.get("lang") not in ("ko", "en", "zh", "ja")
            ):
                raise StoreError("each alias needs 'alias' text and a 'lang' of ko, en, zh or ja")
            check_text(a["alias"], "an alias", limit=500)
            aliases.append({"alias": a["alias"].strip(), "lang": a["lang"]})
        return {
            "kind": entity_kind,
            "name": _text(data, "name", required=True),
            "description": _text(data, "description", limit=MAX_FIELD),
            "aliases": aliases,
        }
    # an event
    category = data.get("category")
    if category not in CATEGORIES:
        raise StoreError(f"an event's category is one of {', '.join(CATEGORIES)}")
    precision = data.get("precision", "day")
    if precision not in dates.PRECISIONS:
        raise StoreError(f"an event's precision is one of {', '.join(dates.PRECISIONS)}")
    qualifier = data.get("qualifier", "exact")
    start = _text(data, "start", required=True, limit=10)
    end = _text(data, "end", limit=10)
    try:
        dates.bounds(str(start), end, str(precision))
    except dates.DateFormatError as exc:
        raise StoreError(str(exc)) from None
    if qualifier not in dates.QUALIFIERS:
        raise StoreError(f"a qualifier is one of {', '.join(dates.QUALIFIERS)}")
    links = []
    for link in data.get("entities") or []:
        if not isinstance(link, dict) or not isinstance(link.get("entity"), str):
            raise StoreError("each linked entity needs an 'entity' id")
        role = link.get("role") or "subject"
        if not isinstance(role, str):
            raise StoreError("a linked entity's role must be text")
        check_text(link["entity"], "a linked entity's id", limit=200)
        check_text(role, "a role", limit=50)
        links.append({"entity": link["entity"], "role": role})
    evidence = []
    for ref in data.get("sources") or []:
        if not isinstance(ref, dict) or not isinstance(ref.get("source"), str):
            raise StoreError("each source reference needs a 'source' id")
        quote = ref.get("quote") or ""
        if not isinstance(quote, str):
            raise StoreError("a quote must be text")
        check_text(ref["source"], "a source id", limit=200)
        check_text(quote, "a quote", limit=1000)
        evidence.append({"source": ref["source"], "quote": quote})
    return {
        "title": _text(data, "title", required=True), "title_en": _text(data, "title_en"),
        "summary": _text(data, "summary", limit=MAX_FIELD), "category": category,
        "start": start, "end": end, "precision": precision, "qualifier": qualifier,
        "date_text": _text(data, "date_text"), "date_note": _text(data, "date_note", limit=2000),
        "entities": links, "sources": evidence,
    }  # fmt: skip


def new_item_id() -> str:
    return "u-" + notes.new_id()


def write(db: Database, item: Item, history: Iterable[str] = ()) -> None:
    db.execute(
        """INSERT INTO user_items (id, kind, data, author, created, updated, revision, deleted)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, data = excluded.data,
               author = excluded.author, created = excluded.created,
               updated = excluded.updated, revision = excluded.revision,
               deleted = excluded.deleted""",
        [
            item.id,
            item.kind,
            json.dumps(item.data, ensure_ascii=False),
            item.author,
            item.created,
            item.updated,
            item.revision,
            int(item.deleted),
        ],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO user_item_history (item_id, revision) VALUES (?, ?)",
        [(item.id, r) for r in (*history, item.revision)],
    )
    keep_version(db, item)


def keep_version(db: Database, item: Item) -> None:
    """Keep this revision's fields for good (a later revision never erases them)."""
    db.execute(
        """INSERT OR IGNORE INTO user_item_versions
           (item_id, revision, data, author, updated, deleted) VALUES (?, ?, ?, ?, ?, ?)""",
        [
            item.id,
            item.revision,
            json.dumps(item.data, ensure_ascii=False),
            item.author,
            item.updated,
            int(item.deleted),
        ],
    )


def add(db: Database, kind: str, data: dict[str, Any], *, author: str) -> Item:
    stamp = notes.now()
    item = Item(new_item_id(), kind, clean(kind, data), author, stamp, stamp, notes.new_id())
    with notes.saving(db):
        write(db, item)
    return item


def _item(row: tuple[Any, ...]) -> Item:
    problem = None
    try:
        data = json.loads(row[2])
        clean(str(row[1]), data)
    except (ValueError, RecursionError) as exc:
        data, problem = {}, f"its fields cannot be read: {exc}"
    except StoreError as exc:
        problem = str(exc)
    if problem is not None and not isinstance(data, dict):
        data = {}
    return Item(row[0], row[1], data, row[3], row[4], row[5], row[6], bool(row[7]), problem=problem)


_COLUMNS = "id, kind, data, author, created, updated, revision, deleted"


def get(db: Database, item_id: str) -> Item:
    row = db.execute(f"SELECT {_COLUMNS} FROM user_items WHERE id = ?", [item_id]).fetchone()
    if row is None:
        raise NotFound(f"no item of yours with id {item_id!r}")
    return _item(row)


def history(db: Database, item_id: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT revision FROM user_item_history WHERE item_id = ? ORDER BY rowid", [item_id]
        )
    ]


def update(
    db: Database,
    item_id: str,
    *,
    data: dict[str, Any] | None = None,
    deleted: bool | None = None,
    expected_revision: str | None = None,
) -> Item:
    with notes.saving(db):
        current = get(db, item_id)
        if expected_revision is not None and current.revision != expected_revision:
            raise notes.ConcurrentEdit(
                "this was changed elsewhere since you opened it; reopen it to see the other version"
            )
        new = replace(
            current,
            data=current.data if data is None else clean(current.kind, data),
            deleted=current.deleted if deleted is None else deleted,
            updated=notes.now(),
            revision=notes.new_id(),
        )
        write(db, new)
    return new


def list_items(
    db: Database, kind: str | None = None, *, include_deleted: bool = False
) -> list[Item]:
    sql = f"SELECT {_COLUMNS} FROM user_items WHERE 1"
    args: list[Any] = []
    if kind is not None:
        sql += " AND kind = ?"
        args.append(kind)
    if not include_deleted:
        sql += " AND deleted = 0"
    return [_item(r) for r in db.execute(sql + " ORDER BY created, rowid", args).fetchall()]
