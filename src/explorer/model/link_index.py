"""Who takes part in which event, as numpy arrays: what the linked views (network, map,
lifelines, events table) count over the time window without asking SQLite for every link.

A project's events (start, end, category), links (event, entity, role) and source citations
are read once into arrays sorted by start; a window is then a prefix of the events
(`searchsorted`) masked by end, the filters are masks, and counting an entity's events in
the window is a `bincount`. At a million events the arrays take about 60 MB and a few
seconds to read (on the views' worker thread); every question after that takes
milliseconds. The annotator's own events live in the work file and are added by the views
(model.views_engine) the same way the timeline adds them. Qt-free.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlite_utils import Database

from explorer.model.filters import Filters
from explorer.store.schema import ENTITY_KINDS

#: Positions and codes; links are held as int32 (half the memory traffic of int64).
Ints = NDArray[np.signedinteger[Any]]
Floats = NDArray[np.float64]
#: `place_within` of a place's own point, and of an approximate one whose container is unknown
EXACT, APPROXIMATE = -1, -2
Mask = NDArray[np.bool_]


def _codes(values: list[str]) -> tuple[list[str], Ints]:
    """The distinct values in first-seen order, and each value's index among them."""
    index: dict[str, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64, len(values))
    return list(index), codes


@dataclass
class LinkIndex:
    # events, sorted by start (position i is the i-th event by t0)
    rowid: Ints
    t0: Floats
    t1: Floats
    category: Ints  # index into `categories`
    categories: list[str]
    # entities, by position (the entity's rowid order)
    entity_ids: list[str]
    entity_kind: Ints  # index into ENTITY_KINDS
    # links, sorted by event position; one per (event, entity): its first role
    link_event: Ints
    link_entity: Ints
    link_role: Ints  # index into `roles`
    roles: list[str]
    # source citations, one per (event, source)
    cite_event: Ints
    cite_source: Ints
    source_ids: list[str]
    # places with coordinates: entity position, latitude, longitude, and for a point that
    # is not the place's own, the position of the place containing it whose point it is
    # (EXACT for a place's own point, APPROXIMATE when no container is named)
    place_entity: Ints
    place_lat: Floats
    place_lon: Floats
    place_within: Ints
    _positions: dict[str, int] | None = field(default=None, repr=False)
    _by_entity: Ints | None = field(default=None, repr=False)  # links sorted by entity
    _entity_start: Ints | None = field(default=None, repr=False)

    @property
    def events(self) -> int:
        return int(self.rowid.size)

    def entity_position(self) -> dict[str, int]:
        """Each entity's position in the arrays (built once)."""
        if self._positions is None:
            self._positions = {e: i for i, e in enumerate(self.entity_ids)}
        return self._positions

    # --- questions ---------------------------------------------------------------------

    def in_window(self, x0: float, x1: float, filters: Filters | None = None) -> Mask:
        """Which events overlap [x0, x1) and pass the filters."""
        end = int(np.searchsorted(self.t0, x1, side="left"))
        mask = np.zeros(self.events, dtype=bool)
        mask[:end] = self.t1[:end] > x0
        if filters is not None and filters.active:
            mask &= self.passing(filters)
        return mask

    def passing(self, filters: Filters) -> Mask:
        """Which events pass the filters (model.filters.passes, over arrays)."""
        ok = np.ones(self.events, dtype=bool)
        if filters.categories:
            wanted = [i for i, c in enumerate(self.categories) if c in filters.categories]
            ok &= np.isin(self.category, wanted)
        if filters.t_from is not None:
            ok &= self.t1 > filters.t_from
        if filters.t_to is not None:
            ok &= self.t0 < filters.t_to
        if filters.entities:
            pos = self.entity_position()
            wanted = [pos[e] for e in filters.entities if e in pos]
            ok &= self._events_of(np.isin(self.link_entity, wanted))
        if filters.kinds:
            kinds = [i for i, k in enumerate(ENTITY_KINDS) if k in filters.kinds]
            ok &= self._events_of(np.isin(self.entity_kind[self.link_entity], kinds))
        if filters.sources:
            wanted = [i for i, s in enumerate(self.source_ids) if s in filters.sources]
            hit = np.zeros(self.events, dtype=bool)
            hit[self.cite_event[np.isin(self.cite_source, wanted)]] = True
            ok &= hit
        return ok

    def _events_of(self, links: Mask) -> Mask:
        hit = np.zeros(self.events, dtype=bool)
        hit[self.link_event[links]] = True
        return hit

    def entity_counts(self, events: Mask) -> Ints:
        """How many of these events each entity takes part in."""
        inside = events[self.link_event]
        return np.bincount(self.link_entity[inside], minlength=len(self.entity_ids))

    def links_of(self, events: Mask, entities: Ints) -> tuple[Ints, Ints, Ints]:
        """(event position, entity position, role) of the links of these events to these
        entities, by event."""
        wanted = np.zeros(len(self.entity_ids), dtype=bool)
        wanted[entities] = True
        keep = wanted[self.link_entity]
        keep &= events[self.link_event]
        return self.link_event[keep], self.link_entity[keep], self.link_role[keep]

    def events_of(self, events: Mask, entity: int) -> tuple[Ints, Ints]:
        """(event position, role) of one entity's links to these events, by date."""
        if self._by_entity is None:
            self._by_entity = np.argsort(self.link_entity, kind="stable")
            self._entity_start = np.searchsorted(
                self.link_entity[self._by_entity], np.arange(len(self.entity_ids) + 1)
            )
        assert self._entity_start is not None
        links = self._by_entity[self._entity_start[entity] : self._entity_start[entity + 1]]
        ev = self.link_event[links]
        keep = events[ev]
        return ev[keep], self.link_role[links][keep]

    def first_source(self) -> Ints:
        """Each event's first cited source (-1: none), for sorting by source."""
        first = np.full(self.events, -1, dtype=np.int64)
        first[self.cite_event[::-1]] = self.cite_source[::-1]
        return first


def load(db: Database) -> LinkIndex:
    """Read a project's events, links, citations and places into a LinkIndex."""
    conn = db.conn
    rows = conn.execute("SELECT rowid, t0, t1, category FROM events").fetchall()
    n = len(rows)
    rowid = np.fromiter((r[0] for r in rows), np.int64, n)
    t0 = np.fromiter((r[1] for r in rows), np.float64, n)
    t1 = np.fromiter((r[2] for r in rows), np.float64, n)
    categories, category = _codes([r[3] for r in rows])
    del rows
    by_start = np.lexsort((rowid, t0))
    rowid, t0, t1, category = rowid[by_start], t0[by_start], t1[by_start], category[by_start]
    position = np.full(int(rowid.max()) + 1 if n else 1, -1, dtype=np.int64)
    position[rowid] = np.arange(n)

    ents = conn.execute("SELECT rowid, id, kind FROM entities ORDER BY rowid").fetchall()
    ent_pos = np.full(max((r[0] for r in ents), default=0) + 1, -1, dtype=np.int64)
    ent_pos[[r[0] for r in ents]] = np.arange(len(ents))
    kind_index = {k: i for i, k in enumerate(ENTITY_KINDS)}
    entity_kind = np.array([kind_index.get(r[2], 0) for r in ents], dtype=np.int64)

    links = conn.execute(
        """SELECT ev.rowid, en.rowid, ee.role FROM events ev
           JOIN event_entities ee ON ee.event_id = ev.id
           JOIN entities en ON en.id = ee.entity_id"""
    ).fetchall()
    m = len(links)
    l_event = position[np.fromiter((r[0] for r in links), np.int64, m)]
    l_entity = ent_pos[np.fromiter((r[1] for r in links), np.int64, m)]
    roles, l_role = _codes([r[2] for r in links])
    del links
    # one link per (event, entity), its first role; sorted by event
    order = np.lexsort((np.arange(m), l_entity, l_event))
    l_event, l_entity, l_role = l_event[order], l_entity[order], l_role[order]
    first = np.ones(m, dtype=bool)
    first[1:] = (l_event[1:] != l_event[:-1]) | (l_entity[1:] != l_entity[:-1])

    srcs = conn.execute("SELECT rowid, id FROM sources ORDER BY rowid").fetchall()
    src_pos = np.full(max((r[0] for r in srcs), default=0) + 1, -1, dtype=np.int64)
    src_pos[[r[0] for r in srcs]] = np.arange(len(srcs))
    cites = conn.execute(
        """SELECT DISTINCT ev.rowid, s.rowid FROM events ev
           JOIN event_sources es ON es.event_id = ev.id JOIN sources s ON s.id = es.source_id"""
    ).fetchall()
    c_event = position[np.fromiter((r[0] for r in cites), np.int64, len(cites))]
    c_source = src_pos[np.fromiter((r[1] for r in cites), np.int64, len(cites))]
    corder = np.argsort(c_event, kind="stable")

    has_locations = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'locations'"
    ).fetchone()
    columns = {r[1] for r in conn.execute("PRAGMA table_info(locations)")}
    within, join = str(EXACT), ""
    if "approximate" in columns:  # schema 11
        within = (
            f"CASE WHEN NOT l.approximate THEN {EXACT} ELSE coalesce(w.rowid, {APPROXIMATE}) END"
        )
        join = "LEFT JOIN entities w ON w.id = l.within_id"
    places = (
        conn.execute(
            f"""SELECT en.rowid, l.lat, l.lon, {within} FROM locations l
                JOIN entities en ON en.id = l.entity_id {join}"""
        ).fetchall()
        if has_locations
        else []
    )
    within_rowids = [p[3] for p in places]
    return LinkIndex(
        rowid=rowid,
        t0=t0,
        t1=t1,
        category=category.astype(np.int32),
        categories=categories,
        entity_ids=[str(r[1]) for r in ents],
        entity_kind=entity_kind,
        link_event=l_event[first].astype(np.int32),
        link_entity=l_entity[first].astype(np.int32),
        link_role=l_role[first].astype(np.int32),
        roles=roles,
        cite_event=c_event[corder].astype(np.int32),
        cite_source=c_source[corder].astype(np.int32),
        source_ids=[str(r[1]) for r in srcs],
        place_entity=ent_pos[np.array([p[0] for p in places], dtype=np.int64)],
        place_lat=np.array([p[1] for p in places], dtype=np.float64),
        place_lon=np.array([p[2] for p in places], dtype=np.float64),
        place_within=np.array([ent_pos[r] if r >= 0 else r for r in within_rowids], dtype=np.int64),
    )


#: Projects with more events than this keep their index in the user's cache folder, so
#: that the links are read from the project once, not at every start.
CACHE_EVENTS = 50_000
_ARRAYS = (
    "rowid",
    "t0",
    "t1",
    "category",
    "entity_kind",
    "link_event",
    "link_entity",
    "link_role",
    "cite_event",
    "cite_source",
    "place_entity",
    "place_lat",
    "place_lon",
    "place_within",
)
_LISTS = ("categories", "entity_ids", "roles", "source_ids")
_CACHE_VERSION = "2"  # 2: place_within


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{_CACHE_VERSION}:{st.st_size}:{st.st_mtime_ns}:{path.resolve()}"


def cached(db: Database, path: Path, folder: Path) -> LinkIndex:
    """The project's index from `folder` when it was made from this very file (same path,
    size and modification time), else read from the project and kept there. A cache that
    cannot be read or written is passed over: the index is then read as without one."""
    stamp = _stamp(path)
    digest = hashlib.sha256(stamp.split(":", 3)[3].encode()).hexdigest()[:20]
    file = folder / f"links-{digest}.npz"
    try:
        with np.load(file, allow_pickle=False) as saved:
            if str(saved["stamp"]) == stamp:
                fields: dict[str, Any] = {k: saved[k] for k in _ARRAYS}
                fields.update({k: [str(v) for v in saved[k].tolist()] for k in _LISTS})
                return LinkIndex(**fields)
    except (OSError, KeyError, ValueError):
        pass
    index = load(db)
    if index.events > CACHE_EVENTS:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            part = file.with_name(file.name + ".part")
            arrays: dict[str, Any] = {k: getattr(index, k) for k in _ARRAYS}
            arrays.update({k: np.array(getattr(index, k), dtype=str) for k in _LISTS})
            arrays["stamp"] = np.array(stamp)
            with open(part, "wb") as out:
                np.savez(out, **arrays)
            os.replace(part, file)
        except OSError:
            pass
    return index
