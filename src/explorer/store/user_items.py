"""The annotator's own events, entities and sources, kept apart from the curated rows.

Each item has an id ('u-' and a UUID), a kind, its fields (checked here), an author and a
revision with a history, like a note. Curated rows are never changed: an annotator who
disagrees writes a note or an event of their own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
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
    layer = _layer(data)
    if kind == "source":
        out = {
            k: _text(data, k, required=(k == "title"))
            for k in ("title", "publisher", "author", "url", "language")
        }
        out.update(layer)
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
            **_location(data),
            **layer,
        }
    # an event
    category = data.get("category")
    if layer:  # from another tool's file: its own categories and finer times
        category = _text(data, "category", required=True, limit=100)
    elif category not in CATEGORIES:
        raise StoreError(f"an event's category is one of {', '.join(CATEGORIES)}")
    precision = data.get("precision", "day")
    allowed = dates.ALL_PRECISIONS if layer else dates.PRECISIONS
    if precision not in allowed:
        raise StoreError(f"an event's precision is one of {', '.join(allowed)}")
    qualifier = data.get("qualifier", "exact")
    longest = 40 if layer else 10  # '-13800000000', '2015-07-24T19:01:01Z'
    start = _text(data, "start", required=True, limit=longest)
    end = _text(data, "end", limit=longest)
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
    longer = 5 if layer else 1  # another tool's texts may be longer than a form's
    return {
        "title": _text(data, "title", required=True, limit=500 * longer),
        "title_en": _text(data, "title_en", limit=500 * longer),
        "summary": _text(data, "summary", limit=MAX_FIELD * longer), "category": category,
        "start": start, "end": end, "precision": precision, "qualifier": qualifier,
        "date_text": _text(data, "date_text"), "date_note": _text(data, "date_note", limit=2000),
        "entities": links, "sources": evidence, **layer,
    }  # fmt: skip


def _layer(data: dict[str, Any]) -> dict[str, str]:
    """The layer an item belongs to: the file it was imported from (id and name), if any."""
    layer = data.get("layer")
    if layer is None:
        return {}
    if not isinstance(layer, str) or not layer.strip():
        raise StoreError("'layer' must be text")
    check_text(layer, "a layer's id", limit=100)
    name = _text(data, "layer_name", limit=300) or layer
    return {"layer": layer.strip(), "layer_name": name}


def _location(data: dict[str, Any]) -> dict[str, float]:
    """A place's coordinates, when it has them (WGS 84 degrees)."""
    lat, lon = data.get("lat"), data.get("lon")
    if lat is None and lon is None:
        return {}
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        raise StoreError("a place's lat and lon must be numbers")
    assert isinstance(lat, (int, float)) and isinstance(lon, (int, float))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise StoreError("a place's lat is within ±90 and its lon within ±180")
    return {"lat": float(lat), "lon": float(lon)}


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


def add_many(
    db: Database, entries: list[tuple[str, str, dict[str, Any]]], *, author: str
) -> list[Item]:
    """Several items, (id, kind, fields) each, in one transaction (a layer of one's own
    from a file, whose events link its places by the ids given here): all or none. Each is
    checked first; the first bad one refuses them all, saying which."""
    stamp = notes.now()
    made = []
    for n, (ident, kind, data) in enumerate(entries, 1):
        try:
            if not ident.startswith("u-") or len(ident) > 40:
                raise StoreError(f"{ident!r} is not an id for an item of one's own")
            fields = clean(kind, data)
        except StoreError as exc:
            raise StoreError(f"item {n} of {len(entries)}: {exc}") from None
        made.append(Item(ident, kind, fields, author, stamp, stamp, notes.new_id()))
    with notes.saving(db):
        for item in made:
            write(db, item)
    return made


def delete_many(db: Database, item_ids: list[str]) -> list[tuple[Item, Item]]:
    """Delete several items (as tombstones) in one transaction; (before, after) of each."""
    out = []
    with notes.saving(db):
        for ident in item_ids:
            before = get(db, ident)
            out.append((before, update(db, ident, deleted=True)))
    return out


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


def version(db: Database, item_id: str, revision: str) -> Item:
    """The item as it was at one of its revisions (kept in user_item_versions)."""
    row = db.execute(
        """SELECT data, author, updated, deleted FROM user_item_versions
           WHERE item_id = ? AND revision = ?""",
        [item_id, revision],
    ).fetchone()
    if row is None:
        raise NotFound(f"item {item_id!r} has no revision {revision!r}")
    current = get(db, item_id)
    return _item((item_id, current.kind, row[0], row[1], current.created, row[2], revision, row[3]))


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
    return list(iter_items(db, kind, include_deleted=include_deleted))


def iter_items(
    db: Database, kind: str | None = None, *, include_deleted: bool = False
) -> Iterator[Item]:
    """The items one at a time, oldest first."""
    sql = f"SELECT {_COLUMNS} FROM user_items WHERE 1"
    args: list[Any] = []
    if kind is not None:
        sql += " AND kind = ?"
        args.append(kind)
    if not include_deleted:
        sql += " AND deleted = 0"
    for row in db.execute(sql + " ORDER BY created, rowid", args):
        yield _item(row)
