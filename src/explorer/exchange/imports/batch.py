"""What a reader makes of a file: rows for the project's tables, and the rows it rejected.

Readers of other tools' formats describe events with `Batch.add_event`, which gives each a
stable id made from what identifies it in the file (its own id when the file has one, else
its dates and title), so that importing the same file twice updates instead of duplicating.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from explorer.exchange.export import TABLES as EXPORTED
from explorer.exchange.imports.fidelity import Fidelity
from explorer.exchange.imports.text_input import HugeNumber
from explorer.exchange.imports.zones import UTC, Zone, to_utc
from explorer.store import dates
from explorer.store.merge import Incoming, IncomingItem

#: Tables a batch may fill, in the order they are written (references first): those export
#: writes, in its order.
TABLES = tuple(EXPORTED)
QUOTE_LIMIT = 400  # event_sources.quote and claims.quote hold at most this many characters
CHUNK = 5000  # rows held before a batch with a sink hands them on


_SURROGATE = re.compile("[\ud800-\udfff]")
INT64 = (-(2**63), 2**63 - 1)
LONE_SURROGATE = (
    "its text holds a lone surrogate escape (such as \\ud800), which is not a character "
    "and cannot be stored"
)


def unstorable(value: Any) -> str | None:
    """Why `value` (JSON: nested lists and objects) cannot be stored, or None: a lone
    surrogate in any text (JSON's '\\ud800' escapes), or an integer SQLite cannot hold.
    Walked without recursion, so any depth is fine."""
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return LONE_SURROGATE
        elif isinstance(v, bool) or v is None or isinstance(v, float):
            continue
        elif isinstance(v, int):
            if not INT64[0] <= v <= INT64[1]:
                return f"the number {str(v)[:20]}… is too large to store"
        elif isinstance(v, HugeNumber):
            return f"the number {v.head}… has {v.digits} digits, too many to store"
        elif isinstance(v, dict):
            todo.extend(v.keys())
            todo.extend(v.values())
        elif isinstance(v, (list, tuple)):
            todo.extend(v)
    return None


def check_text(*values: object) -> None:
    """Raise DateFormatError (an item's rejection) for text that cannot be stored."""
    for v in values:
        if isinstance(v, str) and _SURROGATE.search(v):
            raise dates.DateFormatError(LONE_SURROGATE)


@dataclass(frozen=True)
class Rejected:
    where: str  # "line 12", "event 3", "VEVENT 2 (line 40)"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:16]}"


@dataclass
class Batch:
    """Rows read from a file, table by table.

    Without a `sink` every accepted row stays in `rows` (or, with `keep`, only the first
    `keep` of each table: enough for a preview, in bounded memory). With a sink, rows are
    handed to it every CHUNK rows and `rows` holds only those not yet handed on; `counts`
    always holds how many rows of each table were accepted."""

    format: str
    title: str | None = None
    file: str = ""  # the name of the file read (where imported coordinates come from)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})
    counts: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)
    seen: int = 0  # items the file holds (events, rows, VEVENTs), accepted or not
    warnings: list[str] = field(default_factory=list)
    #: what became of the file's fields: kept, changed, dropped (shown on every import)
    fidelity: Fidelity = field(default_factory=Fidelity)
    keep: int | None = None
    #: the zone of times the file writes without one, and how many it held
    zone: Zone = UTC
    floating: int = 0
    #: the annotator's notes and own items an Explorer export carried, for the work file
    notes: list[Incoming] = field(default_factory=list)
    items: list[IncomingItem] = field(default_factory=list)
    sink: Callable[[Batch], None] | None = field(default=None, repr=False)
    _pending: int = field(default=0, repr=False)
    _keys: Counter[bytes] = field(default_factory=Counter, repr=False)
    _source_id: str | None = field(default=None, repr=False)
    _source_row: dict[str, Any] | None = field(default=None, repr=False)
    _entity_ids: set[str] = field(default_factory=set, repr=False)

    def wall_time(self, when: dt.datetime) -> dt.datetime:
        """A time written without a zone, read in the batch's zone, in UTC (naive)."""
        self.floating += 1
        return to_utc(when, self.zone)

    def note_floating(self, what: str) -> None:
        """Say, once, in which zone the file's times without one were read."""
        if self.floating:
            self.warnings.append(
                f"{self.floating} {what} had no time zone; read as {self.zone.name}"
            )

    def empty(self) -> bool:
        """Nothing read at all: no row but the file's own source, nothing rejected."""
        rows = sum(n for table, n in self.counts.items() if table != "sources")
        return not (rows or self.rejected or self.seen or self.notes or self.items)

    def reject(self, where: str, reason: str) -> None:
        self.rejected.append(Rejected(where, reason))

    def count(self, table: str) -> int:
        return self.counts[table]

    def put(self, table: str, row: dict[str, Any]) -> None:
        """Accept one row for `table`."""
        self.counts[table] += 1
        if self.sink is None and self.keep is not None and len(self.rows[table]) >= self.keep:
            return
        self.rows[table].append(row)
        self._pending += 1
        if self.sink is not None and self._pending >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Hand every pending row to the sink (which writes them), and forget them."""
        if self.sink is not None and self._pending:
            self.sink(self)
            for rows in self.rows.values():
                rows.clear()
            self._pending = 0

    def retitle_source(self, title: str, note: list[str] | None = None) -> None:
        """Rename the file's source (a title found after rows were already handed on), and
        add `note` lines to its note."""
        row = self._source_row
        if row is None:
            return
        if unstorable(title):
            self.warnings.append(f"the file's title cannot be stored ({LONE_SURROGATE})")
        else:
            row["title"] = title
        if note and not unstorable(note):
            row["note"] = "\n".join([str(row["note"] or ""), *note]).strip()
        if not any(r is row for r in self.rows["sources"]):
            self.rows["sources"].append(row)  # written again: an upsert by its id
            self._pending += 1

    def set_source(self, key: str, title: str, *, url: str | None = None, note: str) -> str:
        """The source every imported event cites: the file itself."""
        if unstorable([key, title, url, note]):
            self.warnings.append(f"the file's title cannot be stored ({LONE_SURROGATE})")
            key = title = self.format
            url = None if unstorable(url) else url
            note = _SURROGATE.sub("\ufffd", note)  # the title in it, marked where it broke
        self._source_id = stable_id("src-import", self.format, key)
        self._source_row = {
            "id": self._source_id,
            "title": title,
            "publisher": None,
            "author": None,
            "published": None,
            "url": url,
            "language": "und",
            "seed_file": None,
            "note": note,
        }
        self.put("sources", self._source_row)
        return self._source_id

    def add_event(
        self,
        *,
        key: str | None,
        title: str,
        start: str,
        end: str | None,
        precision: str,
        category: str,
        summary: str | None = None,
        qualifier: str = "exact",
        date_text: str | None = None,
        quote: str | None = None,
        places: tuple[str, ...] = (),
        date_note: str | None = None,
    ) -> str:
        """Add one event (dates already in Explorer's form); raises DateFormatError."""
        check_text(key, title, start, end, category, summary, date_text, quote, *places)
        check_text(date_note)
        b = dates.bounds(start, end, precision)
        natural = f"{start}|{end}|{title}"
        digest = hashlib.sha256((key or natural).encode("utf-8")).digest()[:12]
        self._keys[digest] += 1  # a short digest per key: bounded memory on large files
        n = self._keys[digest]
        event_id = stable_id("ev-import", self.format, self._source_id, key or natural, n)
        self.put(
            "events",
            {
                "id": event_id,
                "title": title,
                "title_en": None,
                "summary": summary or None,
                "category": category,
                "start": start,
                "end": end,
                "earliest": b.earliest,
                "latest": b.latest,
                "precision": precision,
                "qualifier": qualifier,
                "date_text": date_text,
                "date_note": date_note or f"Imported from {self.format}.",
                "t0": b.t0,
                "t1": b.t1,
            },
        )
        if self._source_id is not None:
            text = (quote or title).strip() or title
            self.put(
                "event_sources",
                {"event_id": event_id, "source_id": self._source_id, "quote": clip(text)},
            )
        for place in places:
            entity_id = self.add_entity("place", place)
            self.put(
                "event_entities", {"event_id": event_id, "entity_id": entity_id, "role": "venue"}
            )
        return event_id

    def add_entity(self, kind: str, name: str) -> str:
        entity_id = stable_id("ent-import", kind, name.casefold())
        if entity_id not in self._entity_ids:
            self._entity_ids.add(entity_id)
            self.put("entities", {"id": entity_id, "kind": kind, "name": name, "description": None})
            self.put(
                "entity_aliases",
                {"entity_id": entity_id, "alias": name, "lang": "und", "is_primary": 1},
            )
        return entity_id

    def add_location(self, entity_id: str, lat: float, lon: float, note: str | None) -> bool:
        """Where a place is (the `locations` table), read from the file; False (and nothing
        stored) for coordinates off the globe."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return False
        self.put(
            "locations",
            {
                "entity_id": entity_id,
                "lat": lat,
                "lon": lon,
                "source": self.file or self.format,
                "note": note,
            },
        )
        return True

    def add_category(self, name: str, color: str | None, description: str | None = None) -> None:
        self.put("categories", {"name": name, "color": color, "description": description})

    def add_period(
        self, *, key: str, title: str, start: str, end: str | None, precision: str
    ) -> None:
        check_text(key, title, start, end)
        b = dates.bounds(start, end, precision)
        self.put(
            "periods",
            {
                "id": stable_id("period-import", self.format, self._source_id, key),
                "title": title,
                "start": start,
                "end": end,
                "precision": precision,
                "t0": b.t0,
                "t1": b.t1,
                "source_id": self._source_id,
            },
        )


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
