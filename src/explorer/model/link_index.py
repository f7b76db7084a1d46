"""Who takes part in which event: what the linked views (network, map, lifelines, events
table) count over the time window without asking SQLite for every link.

A project's events (start, end, category), links (event, entity, role) and source citations
are read once into columns (model.link_columns) sorted by start, in blocks of events.
Each block's first start and latest end are held in memory, so a window reads only the
blocks it overlaps, one at a time: a day at ten million events reads one block, the whole
span streams every block and holds none. The filters are masks over a block, counting an
entity's events is a `bincount` per block. A large project's columns live in the user's
cache folder, written once per version of its file; a small one's in memory. The
annotator's own events live in the work file and are added by the views
(model.views_engine) the same way the timeline adds them. Qt-free.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlite_utils import Database

from explorer.model import link_columns
from explorer.model.filters import Filters
from explorer.model.link_columns import APPROXIMATE, EXACT, Columns
from explorer.store.schema import ENTITY_KINDS

__all__ = ["APPROXIMATE", "EXACT", "LinkIndex", "Window", "cached", "load"]

Ints = NDArray[np.signedinteger[Any]]
Floats = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass
class Window:
    """The events of a window that pass the filters: for each block with any, its first
    position and which of its events."""

    parts: list[tuple[int, Mask]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(int(m.sum()) for _, m in self.parts)


@dataclass
class LinkIndex:
    columns: Columns
    events: int
    block: int  # events per block
    block_first: Floats  # each block's first start
    block_end: Floats  # each block's latest end
    categories: list[str]
    entity_ids: list[str]
    entity_kind: Ints  # index into ENTITY_KINDS, by entity position
    roles: list[str]
    source_ids: list[str]
    # places with coordinates: entity position, latitude, longitude, and for a point that
    # is not the place's own, the position of the place containing it (or EXACT/APPROXIMATE)
    place_entity: Ints
    place_lat: Floats
    place_lon: Floats
    place_within: Ints
    _positions: dict[str, int] | None = field(default=None, repr=False)

    def entity_position(self) -> dict[str, int]:
        """Each entity's position in the arrays (built once)."""
        if self._positions is None:
            self._positions = {e: i for i, e in enumerate(self.entity_ids)}
        return self._positions

    # --- the window --------------------------------------------------------------------

    def window(self, x0: float, x1: float, filters: Filters | None = None) -> Window:
        """The events that overlap [x0, x1) and pass the filters, read a block at a time
        from the blocks the window overlaps."""
        active = filters if filters is not None and filters.active else None
        out = Window()
        last = int(np.searchsorted(self.block_first, x1, side="left"))
        for k in np.flatnonzero(self.block_end[:last] > x0).tolist():
            lo, hi = k * self.block, min(self.events, (k + 1) * self.block)
            t0 = self.columns.read("t0", lo, hi)
            mask = (t0 < x1) & (self.columns.read("t1", lo, hi) > x0)
            if active is not None and mask.any():
                mask &= self._passing(active, lo, hi)
            if mask.any():
                out.parts.append((lo, mask))
        return out

    def _passing(self, filters: Filters, lo: int, hi: int) -> Mask:
        """Which events of positions [lo, hi) pass the filters (model.filters.passes)."""
        read = self.columns.read
        ok = np.ones(hi - lo, dtype=bool)
        if filters.categories:
            wanted = [i for i, c in enumerate(self.categories) if c in filters.categories]
            ok &= np.isin(read("category", lo, hi), wanted)
        if filters.t_from is not None:
            ok &= read("t1", lo, hi) > filters.t_from
        if filters.t_to is not None:
            ok &= read("t0", lo, hi) < filters.t_to
        if filters.entities or filters.kinds:
            event, entity, _ = self._links(lo, hi)
            if filters.entities:
                pos = self.entity_position()
                wanted = [pos[e] for e in filters.entities if e in pos]
                ok &= _hit(hi - lo, event[np.isin(entity, wanted)])
            if filters.kinds:
                kinds = [i for i, k in enumerate(ENTITY_KINDS) if k in filters.kinds]
                ok &= _hit(hi - lo, event[np.isin(self.entity_kind[entity], kinds)])
        if filters.sources:
            wanted = [i for i, s in enumerate(self.source_ids) if s in filters.sources]
            event, source = self._cites(lo, hi)
            ok &= _hit(hi - lo, event[np.isin(source, wanted)])
        return ok

    def _links(self, lo: int, hi: int, roles: bool = False) -> tuple[Ints, Ints, Ints | None]:
        """The links of events [lo, hi): (event - lo, entity, role or None), by event."""
        start = self.columns.read("link_start", lo, hi + 1)
        a, b = int(start[0]), int(start[-1])
        event = np.repeat(np.arange(hi - lo), np.diff(start))
        entity = self.columns.read("link_entity", a, b)
        role = self.columns.read("link_role", a, b) if roles else None
        return event, entity, role

    def _cites(self, lo: int, hi: int) -> tuple[Ints, Ints]:
        start = self.columns.read("cite_start", lo, hi + 1)
        event = np.repeat(np.arange(hi - lo), np.diff(start))
        return event, self.columns.read("cite_source", int(start[0]), int(start[-1]))

    def _parts_links(
        self, window: Window, roles: bool = False
    ) -> Iterator[tuple[int, Ints, Ints, Ints | None]]:
        """For each block of the window: its first position, and its window events' links
        (event - lo, entity, role or None)."""
        for lo, mask in window.parts:
            event, entity, role = self._links(lo, lo + mask.size, roles)
            inside = mask[event]
            yield lo, event[inside], entity[inside], None if role is None else role[inside]

    # --- questions ---------------------------------------------------------------------

    def entity_counts(self, window: Window) -> Ints:
        """How many of the window's events each entity takes part in."""
        counts = np.zeros(len(self.entity_ids), dtype=np.int64)
        for _, _, entity, _ in self._parts_links(window):
            counts += np.bincount(entity, minlength=counts.size)
        return counts

    def links_by_block(self, window: Window, entities: Ints) -> Iterator[tuple[Ints, Ints, Ints]]:
        """(event position, entity position, role) of the links of the window's events to
        these entities, by event, a block at a time."""
        wanted = np.zeros(len(self.entity_ids), dtype=bool)
        wanted[entities] = True
        for lo, event, entity, role in self._parts_links(window, roles=True):
            assert role is not None
            keep = wanted[entity]
            if keep.any():
                yield lo + event[keep], entity[keep], role[keep]

    def _grouped(
        self, window: Window, entities: list[int]
    ) -> Iterator[tuple[int, int, Ints, Ints]]:
        """For each block of the window and each of these entities with links to its
        events: (block start, entity, event positions, roles), by date."""
        wanted = np.array(sorted(set(entities)), dtype=np.int64)
        for lo, event, entity, role in self._parts_links(window, roles=True):
            assert role is not None
            keep = np.flatnonzero(np.isin(entity, wanted))
            if not keep.size:
                continue
            order = keep[np.argsort(entity[keep], kind="stable")]
            found, first = np.unique(entity[order], return_index=True)
            ends = np.r_[first[1:], order.size]
            for e, a, b in zip(found.tolist(), first.tolist(), ends.tolist(), strict=True):
                at = order[a:b]
                yield lo, e, lo + event[at], role[at]

    def events_of(self, window: Window, entities: list[int]) -> dict[int, tuple[Ints, Ints]]:
        """For each of these entities, (event position, role) of its links to the window's
        events, by date."""
        found: dict[int, tuple[list[Ints], list[Ints]]] = {e: ([], []) for e in entities}
        for _, e, ev, role in self._grouped(window, entities):
            found[e][0].append(ev)
            found[e][1].append(role)
        empty = np.zeros(0, dtype=np.int64)
        return {
            e: (np.concatenate(ev) if ev else empty, np.concatenate(r) if r else empty)
            for e, (ev, r) in found.items()
        }

    def lifelines(
        self, window: Window, entities: list[int], limit: int, edges: Floats
    ) -> dict[int, tuple[Ints, Ints] | Ints]:
        """For each of these entities: (event position, role) of its links to the window's
        events when it has at most `limit`, else how many of those events start in each bin
        between `edges` (an event starting before the first edge counts in the first bin),
        counted block by block without holding the events."""
        marks: dict[int, list[tuple[Ints, Ints]]] = {e: [] for e in entities}
        density: dict[int, Ints] = {}
        taken = dict.fromkeys(entities, 0)
        starts: tuple[int, Floats] | None = None

        def counted(t0: Floats) -> Ints:
            return np.histogram(np.maximum(t0, edges[0]), bins=edges)[0]

        for lo, e, ev, role in self._grouped(window, entities):
            taken[e] += ev.size
            if e not in density and taken[e] <= limit:
                marks[e].append((ev, role))
                continue
            if starts is None or starts[0] != lo:
                starts = (lo, self.columns.read("t0", lo, lo + self.block))
            here = counted(starts[1][ev - lo])
            if e in density:
                density[e] += here
            else:  # past the limit: its marks so far become counts
                held = marks.pop(e)
                before = np.concatenate([m for m, _ in held]) if held else ev[:0]
                density[e] = here + counted(self.gather("t0", before))
        out: dict[int, tuple[Ints, Ints] | Ints] = dict(density)
        empty = np.zeros(0, dtype=np.int64)
        for e, held in marks.items():
            out[e] = (
                (np.concatenate([m for m, _ in held]), np.concatenate([r for _, r in held]))
                if held
                else (empty, empty)
            )
        return out

    def partner_counts(self, window: Window, entity: int) -> Ints:
        """How many of the window's events with `entity` each other entity takes part in."""
        counts = np.zeros(len(self.entity_ids), dtype=np.int64)
        for _, event, linked, _ in self._parts_links(window):
            shared = np.unique(event[linked == entity])
            counts += np.bincount(linked[np.isin(event, shared)], minlength=counts.size)
        counts[entity] = 0
        return counts

    def values(self, name: str, window: Window, dtype: Any = None) -> np.ndarray:
        """A column's values for the window's events, in start order (as `dtype`, when
        given, for values known to fit it)."""
        out = np.empty(window.size, dtype=dtype or link_columns.WIDE[name])
        done = 0
        for lo, m in window.parts:  # filled in place: no list of parts to join
            part = self.columns.read(name, lo, lo + m.size)[m]
            out[done : done + part.size] = part
            done += part.size
        return out

    def gather(self, name: str, positions: Ints) -> np.ndarray:
        """A column's values at these positions (any order)."""
        out = np.zeros(positions.size, dtype=link_columns.WIDE[name])
        block = positions // self.block
        for k in np.unique(block).tolist():
            at = np.flatnonzero(block == k)
            lo = k * self.block
            values = self.columns.read(name, lo, min(self.events, lo + self.block))
            out[at] = values[positions[at] - lo]
        return out

    def first_source(self, window: Window, rank: np.ndarray) -> np.ndarray:
        """Each window event's first cited source, in start order, as its `rank` (indexed
        by source; its last: no source), in `rank`'s type: mapped a block at a time, never
        a source per event held besides."""
        out = np.empty(window.size, dtype=rank.dtype)
        done = 0
        for lo, mask in window.parts:
            start = self.columns.read("cite_start", lo, lo + mask.size + 1)
            first = np.full(mask.size, -1, dtype=np.int32)
            has = np.flatnonzero(np.diff(start) > 0)
            if has.size:
                sources = self.columns.read("cite_source", int(start[0]), int(start[-1]))
                first[has] = sources[start[has] - start[0]]
            part = rank[first[mask]]
            out[done : done + part.size] = part
            done += part.size
        return out


def _hit(size: int, events: Ints) -> Mask:
    hit = np.zeros(size, dtype=bool)
    hit[events] = True
    return hit


def _index(columns: Columns, small: dict[str, Any]) -> LinkIndex:
    return LinkIndex(columns=columns, **small)


def load(db: Database, folder: Path | None = None) -> LinkIndex:
    """Read a project's events, links, citations and places (into `folder`'s files, or
    memory)."""
    columns, small = link_columns.read(db.conn, folder)
    return _index(columns, small)


#: Projects with more events than this keep their index in the user's cache folder (read
#: from there a block at a time), so that the links are read from the project once, not at
#: every start, and never held in memory.
CACHE_EVENTS = 50_000
_CACHE_VERSION = "3"  # 3: columns in files, read by block
#: A folder being written that has not changed for this long (s) was left by a process that
#: stopped: it is removed.
STALE_PART = 3600


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{_CACHE_VERSION}:{st.st_size}:{st.st_mtime_ns}:{path.resolve()}"


def cached(db: Database, path: Path, folder: Path) -> LinkIndex:
    """The project's index from `folder` when it was made from this very file (same path,
    size and modification time), else read from the project (a large one's into `folder`).
    A cache that cannot be read or written is passed over: the index is then held in
    memory, as a small project's."""
    stamp = _stamp(path)
    digest = hashlib.sha256(stamp.split(":", 3)[3].encode()).hexdigest()[:20]
    target = folder / f"links-{digest}"
    small = link_columns.load_small(target, stamp)
    if small is not None:
        return _index(link_columns.FileColumns(target), small)
    n = db.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    if n <= CACHE_EVENTS:
        return load(db)
    # a folder of this process's own: two windows on one new project write side by side
    part = folder / f"links-{digest}.part-{os.getpid()}-{threading.get_ident()}"
    try:
        for stale in folder.glob(f"links-{digest}.part*"):  # a write cut short before
            with contextlib.suppress(OSError):  # (or another process's, removed meanwhile)
                if stale != part and time.time() - stale.stat().st_mtime > STALE_PART:
                    shutil.rmtree(stale, ignore_errors=True)
        if part.exists():
            shutil.rmtree(part)
        part.mkdir(parents=True)
        index = load(db, part)
        saved = {k: getattr(index, k) for k in (*link_columns.SMALL, *link_columns.LISTS)}
        link_columns.save_small(part, saved, stamp)
        where = link_columns.replace_folder(part, target)
        (folder / f"links-{digest}.npz").unlink(missing_ok=True)  # the cache before version 3
        return _index(link_columns.FileColumns(where), saved)
    except OSError:
        shutil.rmtree(part, ignore_errors=True)
        return load(db)
