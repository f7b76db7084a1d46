"""What the linked views show of the time window: the network, the map's places, the
lifelines and the events table, computed from one LinkIndex of the project (read once) and
the annotator's own events. One engine for every project size: a small project's views are
computed on the caller's thread, a large one's on the views' worker, with its own read-only
connection (as the timeline's model.viewport). Qt-free."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from explorer import paths
from explorer.model import network as nw
from explorer.model.filters import Filters
from explorer.model.geo import Marker
from explorer.model.link_columns import FileColumns
from explorer.model.link_index import EXACT, LinkIndex, Window, cached
from explorer.model.own_view import OwnMark, passes, resolve
from explorer.store import queries
from explorer.store.connection import Store, open_store
from explorer.store.records import Event
from explorer.store.schema import ENTITY_KINDS

VIEWS = ("network", "map", "lifelines", "table")
#: Lifelines: rows shown when none are asked for (the most active entities of the window).
LIFELINE_ROWS = 10
#: Marks drawn in one lifeline at most; a busier row is drawn as a band of how many events
#: start in each of LIFELINE_BINS parts of the window.
LIFELINE_MARKS, LIFELINE_BINS = 400, 240
#: An edge's shared events listed (all are highlighted, up to SHARED_HIGHLIGHT).
SHARED_LISTED, SHARED_HIGHLIGHT = 200, 20_000
#: Places drawn on the map at most: the busiest of the window (the caption says how many more).
MAP_PLACES = 500
Names = dict[str, dict[str, str]]  # entity id -> language -> name


@dataclass(frozen=True)
class ViewsRequest:
    generation: int
    view: str  # one of VIEWS, or "shared" (the events two entities share)
    x0: float
    x1: float
    filters: Filters | None = None
    own: tuple[OwnMark, ...] = ()
    limit: int = nw.DEFAULT_LIMIT  # network: nodes at most
    previous: tuple[tuple[str, float, float], ...] = ()  # network: positions drawn
    focus: tuple[str, ...] = ()  # lifelines: these entities' rows (else the most active)
    sort: str = "date"  # table: date, title, category, source
    descending: bool = False
    lang: str = "ko"
    pair: tuple[str, str] | None = None  # shared: the two entities


@dataclass
class NetworkResult:
    generation: int
    network: nw.Network
    names: Names


@dataclass
class MapResult:
    generation: int
    markers: list[Marker]  # most events first
    names: Names
    unplaced: int  # places of the window's events with no coordinates
    more: int = 0  # places with coordinates beyond the MAP_PLACES busiest


@dataclass
class Lifeline:
    entity: str
    kind: str
    events: int  # its events in the window
    x0: np.ndarray = field(default_factory=lambda: np.zeros(0))
    x1: np.ndarray = field(default_factory=lambda: np.zeros(0))
    role: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ids: list[str] = field(default_factory=list)  # the event of each mark
    #: too many events to mark one by one: how many start in each of LIFELINE_BINS
    #: equal parts of the window
    density: np.ndarray | None = None


@dataclass
class LifelinesResult:
    generation: int
    rows: list[Lifeline]
    roles: list[str]
    names: Names
    more: int  # entities of the window without a row


@dataclass
class TableResult:
    generation: int
    rowids: np.ndarray  # project events in order; a negative k is own event -k-1
    own: list[Event]
    sort: str
    descending: bool

    def __len__(self) -> int:
        return int(self.rowids.size)


@dataclass
class SharedResult:
    generation: int
    pair: tuple[str, str]
    events: list[Event]  # the first SHARED_LISTED by date
    ids: frozenset[str] = field(default_factory=frozenset)  # up to SHARED_HIGHLIGHT
    total: int = 0


Result = NetworkResult | MapResult | LifelinesResult | TableResult | SharedResult


class ViewsEngine:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: LinkIndex | None = None
        self._titles: dict[str, np.ndarray] = {}

    @classmethod
    def open(cls, path: str) -> ViewsEngine:
        # the file's check is its window's (ui.file_check), not each worker's
        return cls(open_store(path, readonly=True, check="skip"))

    def close(self) -> None:
        self.store.close()

    @property
    def index(self) -> LinkIndex:
        """The project's links, read once (kept in the user's cache folder for a large
        project, so that the next start reads them in a fraction of the time)."""
        if self._index is None:
            self._index = cached(self.store.db, self.store.path, paths.user_data_dir() / "cache")
        return self._index

    def compute(self, req: ViewsRequest) -> Result:
        if req.view == "network":
            return self.network(req)
        if req.view == "map":
            return self.places(req)
        if req.view == "lifelines":
            return self.lifelines(req)
        if req.view == "table":
            return self.table(req)
        if req.view == "shared":
            return self.shared(req)
        raise ValueError(f"unknown view {req.view!r}")

    # --- common --------------------------------------------------------------------------

    def _window(self, req: ViewsRequest) -> tuple[Window, list[OwnMark]]:
        filters = req.filters if req.filters is not None and req.filters.active else None
        mask = self.index.window(req.x0, req.x1, filters)
        own = [
            m
            for m in resolve(req.own, self._kinds)
            if m.event.t1 > req.x0 and m.event.t0 < req.x1 and passes(m, filters)
        ]
        return mask, own

    def _kinds(self, ids: list[str]) -> dict[str, str]:
        marks = ",".join("?" for _ in ids)
        sql = f"SELECT id, kind FROM entities WHERE id IN ({marks})"
        return {r[0]: r[1] for r in self.store.db.execute(sql, ids)}

    def _counts(self, mask: Window, own: list[OwnMark]) -> tuple[np.ndarray, dict[str, int]]:
        """Events of the window per project entity (an array), and per entity in own events."""
        counts = self.index.entity_counts(mask)
        extra: dict[str, int] = {}
        for m in own:
            for e in {e for e, _, _ in m.links}:
                extra[e] = extra.get(e, 0) + 1
        return counts, extra

    def _strongest(
        self, counts: np.ndarray, extra: dict[str, int], limit: int
    ) -> tuple[list[tuple[str, int]], int]:
        """The `limit` entities with most events in the window (ties by id), and how many
        more have any."""
        idx = self.index
        pos = idx.entity_position()
        nonzero = np.flatnonzero(counts)
        take = limit + len(extra)
        if nonzero.size > take:
            candidates = nonzero[np.argpartition(-counts[nonzero], take - 1)[:take]]
        else:
            candidates = nonzero
        total = {idx.entity_ids[i]: int(counts[i]) for i in candidates.tolist()}
        for e, n in extra.items():
            total[e] = (int(counts[pos[e]]) if e in pos else 0) + n
        ranked = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
        with_events = int(nonzero.size) + sum(
            1 for e in extra if e not in pos or counts[pos[e]] == 0
        )
        shown = ranked[:limit]
        return shown, with_events - len(shown)

    def _kind_of(self, entity: str, own: list[OwnMark]) -> str:
        pos = self.index.entity_position().get(entity)
        if pos is not None:
            return ENTITY_KINDS[int(self.index.entity_kind[pos])]
        for m in own:
            for e, _, kind in m.links:
                if e == entity and kind:
                    return kind
        return "organization"

    def names(self, ids: list[str]) -> Names:
        """Each project entity's primary name per language (own entities: the UI knows)."""
        wanted = [i for i in ids if not i.startswith("u-")]
        entities, aliases = queries.some_entities(self.store.db, wanted)
        out: Names = {e.id: {"": e.name} for e, _ in entities}
        for ent, alias, lang, primary in aliases:
            names = out.setdefault(ent, {})
            if primary or lang not in names:
                names.setdefault(lang, alias)
        return out

    def _ids(self, rowids: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for first in range(0, len(rowids), 900):
            chunk = rowids[first : first + 900]
            marks = ",".join("?" for _ in chunk)
            sql = f"SELECT rowid, id FROM events WHERE rowid IN ({marks})"
            out.update((int(r[0]), str(r[1])) for r in self.store.db.execute(sql, chunk))
        return out

    def event_ids(self, rowids: list[int]) -> list[str]:
        """The ids of these project events (by rowid), in the same order."""
        found = self._ids(rowids)
        return [found.get(r, "") for r in rowids]

    # --- the views -----------------------------------------------------------------------

    def network(self, req: ViewsRequest) -> NetworkResult:
        idx = self.index
        mask, own = self._window(req)
        counts, extra = self._counts(mask, own)
        shown, more = self._strongest(counts, extra, req.limit)
        ids = [e for e, _ in shown]
        pos = idx.entity_position()
        node_of = {e: k for k, e in enumerate(ids)}
        project = np.array([pos[e] for e in ids if e in pos], dtype=np.int64)
        lookup = np.full(len(idx.entity_ids), -1, dtype=np.int32)
        lookup[project] = [node_of[idx.entity_ids[p]] for p in project.tolist()]
        roles = list(idx.roles)
        own_links: list[tuple[int, int, int]] = []
        for k, m in enumerate(own):  # own events: numbered after the project's
            for e, r, _ in m.links:
                if e in node_of:
                    if r not in roles:
                        roles.append(r)
                    own_links.append((idx.events + k, node_of[e], roles.index(r)))
        chunks = (
            (event, lookup[entity], role)
            for event, entity, role in idx.links_by_block(mask, project)
        )
        mine = np.array(own_links, dtype=np.int64).reshape(-1, 3).T
        net = nw.build(
            ids,
            [self._kind_of(e, own) for e in ids],
            [n for _, n in shown],
            itertools.chain(chunks, [(mine[0], mine[1], mine[2])]),
            roles,
            more,
            mask.size + len(own),
        )
        previous = {e: (x, y) for e, x, y in req.previous}
        net.positions = nw.layout(net, previous)
        return NetworkResult(req.generation, net, self.names(ids))

    def places(self, req: ViewsRequest) -> MapResult:
        idx = self.index
        mask, own = self._window(req)
        counts, extra = self._counts(mask, own)
        markers: list[Marker] = []
        located = set()
        for p, lat, lon, w in zip(
            idx.place_entity.tolist(),
            idx.place_lat.tolist(),
            idx.place_lon.tolist(),
            idx.place_within.tolist(),
            strict=True,
        ):
            ident = idx.entity_ids[p]
            located.add(p)
            n = int(counts[p]) + extra.get(ident, 0)
            if n:
                within = idx.entity_ids[w] if w >= 0 else None
                markers.append(Marker(ident, lon, lat, n, w != EXACT, within))
        place_kind = ENTITY_KINDS.index("place")
        places = np.flatnonzero((counts > 0) & (idx.entity_kind == place_kind))
        unplaced = sum(1 for p in places.tolist() if p not in located)
        # the annotator's own places (a layer's): drawn where the layer put them
        own_at = {e: (lat, lon) for m in own for e, lat, lon in m.where}
        for e, (lat, lon) in own_at.items():
            markers.append(Marker(e, lon, lat, extra.get(e, 0)))
        own_places = {e for m in own for e, _, k in m.links if k == "place" and e[:2] == "u-"}
        unplaced += len(own_places - own_at.keys())
        markers.sort(key=lambda m: (-m.events, m.id))
        more = max(0, len(markers) - MAP_PLACES)
        markers = markers[:MAP_PLACES]
        # the places whose points approximate ones are, named in their tooltips
        names = self.names([m.id for m in markers] + [m.within for m in markers if m.within])
        return MapResult(req.generation, markers, names, unplaced, more)

    def lifelines(self, req: ViewsRequest) -> LifelinesResult:
        idx = self.index
        mask, own = self._window(req)
        counts, extra = self._counts(mask, own)
        pos = idx.entity_position()
        if req.focus:
            chosen = [e for e in req.focus if e in pos or e in extra][: LIFELINE_ROWS * 2]
            if len(chosen) == 1:  # and with whom: the entities it shares most events with
                chosen += strongest_partners(idx, mask, chosen[0], LIFELINE_ROWS - 1)
            total = {e: (int(counts[pos[e]]) if e in pos else 0) + extra.get(e, 0) for e in chosen}
            more = 0
        else:
            shown, more = self._strongest(counts, extra, LIFELINE_ROWS)
            chosen, total = [e for e, _ in shown], dict(shown)
        roles = list(idx.roles)
        rows: list[Lifeline] = []
        edges = np.linspace(req.x0, req.x1, LIFELINE_BINS + 1)
        linked = idx.lifelines(mask, [pos[e] for e in chosen if e in pos], LIFELINE_MARKS, edges)
        none = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        for e in chosen:
            found = linked[pos[e]] if e in pos else none
            mine = [(m, r) for m in own for linked_to, r, _ in m.links if linked_to == e]
            for _, r in mine:
                if r not in roles:
                    roles.append(r)
            own_starts = np.array([max(m.event.t0, req.x0) for m, _ in mine], dtype=np.float64)
            if isinstance(found, tuple) and found[0].size + len(mine) <= LIFELINE_MARKS:
                ev, rl = found
                t0 = idx.gather("t0", ev)
            else:  # a band of how many, not marks
                density = np.histogram(own_starts, bins=edges)[0]
                if isinstance(found, tuple):
                    starts = np.maximum(idx.gather("t0", found[0]), req.x0)
                    density += np.histogram(starts, bins=edges)[0]
                else:
                    density += found
                rows.append(Lifeline(e, self._kind_of(e, own), total.get(e, 0), density=density))
                continue
            rowids = idx.gather("rowid", ev).tolist()
            ids = self._ids(rowids)
            rows.append(
                Lifeline(
                    e,
                    self._kind_of(e, own),
                    total.get(e, 0),
                    np.concatenate([t0, [m.event.t0 for m, _ in mine]]),
                    np.concatenate([idx.gather("t1", ev), [m.event.t1 for m, _ in mine]]),
                    np.concatenate([rl, [roles.index(r) for _, r in mine]]).astype(np.int64),
                    [ids.get(r, "") for r in rowids] + [m.event.id for m, _ in mine],
                )
            )
        return LifelinesResult(req.generation, rows, roles, self.names(chosen), more)

    def table(self, req: ViewsRequest) -> TableResult:
        """The window's events in the asked order (ties by date); the annotator's own
        events among them (by title: where their titles fall among the project's). The
        project's events come by date already; by title they are the project's title order
        (read once; ties by date) kept to the window's; by category each category's are
        taken in turn; by source they are sorted by one key. Own events are put in place by
        counting."""
        idx = self.index
        mask, own = self._window(req)
        top = self.store.db.execute("SELECT max(rowid) FROM events").fetchone()[0] or 0
        rowid = idx.values("rowid", mask, np.int32 if top < 2**31 else np.int64)  # held: small
        own_t0 = np.array([m.event.t0 for m in own], dtype=np.float64)
        at: list[int] = []
        if req.sort == "title":
            by_title = self._title_order(req.lang)
            inside = np.zeros(top + 1, dtype=bool)
            inside[rowid] = True
            keep = inside[by_title]
            del inside, rowid
            ids = by_title[keep]
            own_rank = [
                self._titles_before(_title(m.event, req.lang), m.event.t0, req.lang) for m in own
            ]
            mine = np.lexsort((np.arange(len(own)), own_t0, np.array(own_rank, dtype=np.int64)))
            at = [int(np.count_nonzero(keep[: own_rank[k]])) for k in mine.tolist()]
        else:
            primary, own_primary = self._sort_keys(req, mask, own)
            ids = rowid if primary is None else _ordered(rowid, primary)
            del rowid
            mine = np.lexsort((np.arange(len(own)), own_t0, own_primary))
            t0 = idx.values("t0", mask) if own else np.zeros(0)
            for k in mine.tolist():
                lo, when = 0, t0
                if primary is not None:  # the run of project events with the same key
                    lo = int(np.count_nonzero(primary < own_primary[k]))
                    when = t0[primary == own_primary[k]]
                at.append(lo + int(np.searchsorted(when, own_t0[k], side="right")))
            del primary, t0
        if own:
            ids = np.insert(ids, at, -1 - mine)
        return TableResult(
            req.generation,
            ids[::-1] if req.descending else ids,
            [m.event for m in own],
            req.sort,
            req.descending,
        )

    def _sort_keys(
        self, req: ViewsRequest, mask: Window, own: list[OwnMark]
    ) -> tuple[np.ndarray | None, np.ndarray]:
        """The key of each window event (by date: None) and of each own event: by category
        or by source."""
        idx = self.index
        if req.sort == "category":
            names = sorted(set(idx.categories) | {m.event.category for m in own})
            code = np.array([names.index(c) for c in idx.categories], dtype=_fitting(len(names)))
            own_code = np.array([names.index(m.event.category) for m in own], dtype=np.float64)
            category = idx.values("category", mask)
            return (code[category] if code.size else category.astype(np.int32)), own_code
        if req.sort == "source":
            labels = self._source_labels()
            place = {label: k for k, label in enumerate(sorted(set(labels)))}
            rank = np.empty(len(labels) + 1, dtype=_fitting(len(labels) + 1))  # sources of
            rank[: len(labels)] = [place[label] for label in labels]  # one label: ties
            rank[-1] = len(labels)  # no source (index -1): last
            after = np.full(len(own), len(labels) + 1, dtype=np.float64)  # own sources: after
            return idx.first_source(mask, rank), after
        return None, np.zeros(len(own), dtype=np.float64)

    def _title_order(self, lang: str) -> np.ndarray:
        """The project's events' rowids in title order (ties by date), read once per
        language and streamed: the titles themselves are not kept. A large project's is
        kept in a file beside its link columns and read when a sort by title needs it (40
        MB at ten million events, not held between sorts); a small one's in memory."""
        if lang in self._titles:
            return self._titles[lang]
        column = _TITLE[lang == "en"]
        idx = self.index
        top = self.store.db.execute("SELECT max(rowid) FROM events").fetchone()[0] or 0
        kind = np.dtype(np.int32 if top < 2**31 else np.int64)
        folder = idx.columns.folder if isinstance(idx.columns, FileColumns) else None
        name = f"by-title-{'en' if lang == 'en' else 'ko'}-{kind.name}.bin"
        path = None if folder is None else folder / name
        if path is not None and _sized(path, idx.events * kind.itemsize):
            return np.fromfile(path, dtype=kind)
        order = np.zeros(idx.events, dtype=kind)
        cur = self.store.db.execute(f"SELECT rowid FROM events ORDER BY {column}, t0, rowid")
        done = 0
        while rows := cur.fetchmany(65536):
            order[done : done + len(rows)] = [r[0] for r in rows]
            done += len(rows)
        order = order[:done]
        if path is None or not _written(path, order):  # (kept when it cannot be written)
            self._titles[lang] = order
        return order

    def _titles_before(self, title: str, t0: float, lang: str) -> int:
        """How many project events come before an own event of this title and start by
        title (then date; an own event after the project's of the same title and start)."""
        column = _TITLE[lang == "en"]
        sql = f"SELECT count(*) FROM events WHERE {column} < ? OR ({column} = ? AND t0 <= ?)"
        return int(self.store.db.execute(sql, (title, title, t0)).fetchone()[0])

    def _source_labels(self) -> list[str]:
        found = dict(
            self.store.db.execute("SELECT id, coalesce(publisher, title) FROM sources").fetchall()
        )
        return [str(found.get(s, s)) for s in self.index.source_ids]

    def shared(self, req: ViewsRequest) -> SharedResult:
        assert req.pair is not None
        idx = self.index
        mask, own = self._window(req)
        pos = idx.entity_position()
        linked = idx.events_of(mask, [pos[e] for e in req.pair if e in pos])
        sets = [linked[pos[e]][0] if e in pos else np.zeros(0, np.int64) for e in req.pair]
        both = np.intersect1d(sets[0], sets[1])
        rowids = idx.gather("rowid", both).tolist()
        own_events = [
            m.event for m in own if {req.pair[0], req.pair[1]} <= {e for e, _, _ in m.links}
        ]
        listed = queries.events_by_rowid(self.store.db, rowids[:SHARED_LISTED], SHARED_LISTED)
        events = sorted([e for _, e in listed] + own_events, key=lambda e: (e.t0, e.id))
        ids = set(self._ids(rowids[:SHARED_HIGHLIGHT]).values()) | {e.id for e in own_events}
        return SharedResult(
            req.generation,
            req.pair,
            events[:SHARED_LISTED],
            frozenset(ids),
            len(rowids) + len(own_events),
        )


def strongest_partners(index: LinkIndex, window: Window, entity: str, n: int) -> list[str]:
    """The entities that share most of the window's events with `entity`."""
    pos = index.entity_position()
    if entity not in pos:
        return []
    counts = index.partner_counts(window, pos[entity])
    top = np.argsort(-counts, kind="stable")[:n]
    return [index.entity_ids[i] for i in top.tolist() if counts[i] > 0]


def _sized(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _written(path: Path, values: np.ndarray) -> bool:
    """`values` written to `path` whole (through a file of this process's own, renamed),
    or False when the folder cannot be written."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        values.tofile(part)
        os.replace(part, path)
    except OSError:
        part.unlink(missing_ok=True)
        return False
    return True


def _fitting(n: int) -> type[np.unsignedinteger]:
    """The smallest unsigned type that holds 0..n: a key per row of ten million events
    takes 10 MB as bytes, 40 as int32."""
    return next(t for t in (np.uint8, np.uint16, np.uint32) if n <= np.iinfo(t).max)


#: Rows put in place at a time when the table is ordered by a key.
ORDER_STEP = 1 << 18


def _ordered(rowid: np.ndarray, key: np.ndarray) -> np.ndarray:
    """The rows (in date order) stably sorted by their keys: by counting (each key's rows
    put in place a million rows at a time), so that memory holds the rows twice and no
    index of them all; keys spread far wider than the rows are sorted."""
    if not key.size:
        return rowid
    top = int(key.max())
    if int(key.min()) < 0 or top > 4 * key.size:
        return rowid[np.argsort(key, kind="stable")]
    step = ORDER_STEP
    counts = np.zeros(top + 1, dtype=np.int64)
    for a in range(0, key.size, step):  # counted a step at a time: bincount takes its
        counts += np.bincount(key[a : a + step], minlength=top + 1)  # keys as int64
    fill = np.zeros(top + 1, dtype=np.int64)
    fill[1:] = np.cumsum(counts)[:-1]
    out = np.empty_like(rowid)
    for a in range(0, key.size, step):
        part = key[a : a + step]
        order = np.argsort(part, kind="stable")
        keys = part[order]
        group = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        sizes = np.diff(np.r_[group, keys.size])
        at = fill[keys] + np.arange(keys.size) - np.repeat(group, sizes)
        out[at] = rowid[a : a + step][order]
        fill[keys[group]] += sizes
    return out


#: The title column of each language's title order (English: the English title if any).
_TITLE = ("title", "coalesce(title_en, title)")


def _title(event: Event, lang: str) -> str:
    return (event.title_en or event.title) if lang == "en" else event.title
