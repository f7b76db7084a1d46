"""What the timeline shows of a large project, one view at a time, without reading every
event: exact density from the overview pyramid when many events are in view, the events
themselves (found through the R*Tree) when few are. Qt-free; the window runs it on a worker
thread with its own read-only connection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from explorer.model.filters import Filters
from explorer.model.timeline import DAY, PRECISIONS, QUALIFIERS, Lane, TimelineRows
from explorer.store import overview
from explorer.store.connection import Store, open_store
from explorer.store.records import Event

#: Above this many events in view the timeline draws density instead of events.
DETAIL_LIMIT = 3000
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class ViewRequest:
    generation: int
    x0: float  # epoch seconds
    x1: float
    grouping: str
    width_px: int
    filters: Filters | None = None


@dataclass
class ViewResult:
    generation: int
    lanes: list[str]
    labels: list[str]  # a readable name per lane
    density: overview.Density | None = None  # set in density mode
    rows: TimelineRows | None = None  # set in detail mode
    events: list[Event] | None = None  # rows.event indexes this list
    in_view: int = 0  # events starting in the bins covering the view (exact)


def epoch_day(seconds: float) -> int:
    return int(seconds // DAY)


class Viewport:
    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str) -> Viewport:
        return cls(open_store(path, readonly=True))

    def close(self) -> None:
        self.store.close()

    def lanes(self, grouping: str) -> list[str]:
        return [lane for lane, _ in overview.lanes(self.store.db, grouping)]

    def compute(self, req: ViewRequest) -> ViewResult:
        db = self.store.db
        d0, d1 = epoch_day(req.x0), epoch_day(max(req.x0, req.x1 - 1))  # x1 is exclusive
        bins = max(8, req.width_px // 3)
        where, params = sql_filters(req.filters)
        dens = (
            filtered_density(db, req.grouping, d0, d1, bins, where, params)
            if where
            else overview.density(db, req.grouping, d0, d1, bins)
        )
        lanes = dens.lanes
        count = dens.total()
        labels = self.lane_labels(req.grouping, lanes)
        if count > DETAIL_LIMIT:
            return ViewResult(req.generation, lanes, labels, density=dens, in_view=count)
        rowids = overview.overlapping(db, d0, d1, DETAIL_LIMIT * 2 if not where else 10**7)
        events, lane_keys = self._events(rowids, req.grouping, set(lanes), where, params)
        return ViewResult(
            req.generation,
            lanes,
            labels,
            rows=_rows(events, lane_keys, lanes),
            events=events,
            in_view=count,
        )

    def lane_labels(self, grouping: str, lanes: list[str]) -> list[str]:
        """A readable name for each lane (entity and source names looked up)."""
        db = self.store.db
        names: dict[str, str] = {}
        ids = [lane for lane in lanes if lane not in (overview.NO_LANE, overview.OTHER)]
        if ids and grouping in ("place", "source"):
            marks = ",".join("?" for _ in ids)
            sql = (
                f"SELECT id, name FROM entities WHERE id IN ({marks})"
                if grouping == "place"
                else f"SELECT id, coalesce(publisher, title) FROM sources WHERE id IN ({marks})"
            )
            names = {r[0]: r[1] for r in db.execute(sql, ids)}
        return [names.get(lane, lane) for lane in lanes]

    def _events(
        self,
        rowids: list[int],
        grouping: str,
        known: set[str],
        where: str = "",
        params: list[object] | None = None,
    ) -> tuple[list[Event], list[list[str]]]:
        db = self.store.db
        if not rowids:
            return [], []
        db.execute("CREATE TEMP TABLE IF NOT EXISTS view_ids (id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM temp.view_ids")
        db.conn.executemany("INSERT INTO temp.view_ids VALUES (?)", [(r,) for r in rowids])
        rows = db.execute(
            f"""SELECT ev.rowid, ev.id, ev.title, ev.title_en, ev.summary, ev.category, ev.start,
                       ev."end", ev.earliest, ev.latest, ev.precision, ev.qualifier,
                       ev.date_text, ev.date_note
                FROM events ev WHERE ev.rowid IN (SELECT id FROM temp.view_ids) {where}
                ORDER BY ev.earliest LIMIT {DETAIL_LIMIT * 2}""",
            params or [],
        ).fetchall()
        rowids = [r[0] for r in rows]
        marks = ",".join("?" for _ in rowids)
        lanes_of: dict[int, list[str]] = {}
        sql = overview.lane_sql(grouping, f"ev.rowid IN ({marks})")
        for ev, lane in db.execute(sql, rowids):
            lanes_of.setdefault(ev, []).append(lane if lane in known else overview.OTHER)
        events = [Event(*r[1:]) for r in rows]
        keys = [lanes_of.get(r[0], [overview.NO_LANE]) for r in rows]
        return events, keys


def sql_filters(filters: Filters | None) -> tuple[str, list[object]]:
    """An "AND ..." clause over events `ev` for the active filters, and its parameters."""
    if filters is None or not filters.active:
        return "", []
    parts: list[str] = []
    params: list[object] = []

    def inside(values: frozenset[str]) -> str:
        params.extend(sorted(values))
        return ",".join("?" for _ in values)

    if filters.categories:
        parts.append(f"ev.category IN ({inside(filters.categories)})")
    if filters.date_from:
        parts.append("ev.latest >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        parts.append("ev.earliest <= ?")
        params.append(filters.date_to)
    if filters.entities:
        parts.append(
            "EXISTS (SELECT 1 FROM event_entities x WHERE x.event_id = ev.id"
            f" AND x.entity_id IN ({inside(filters.entities)}))"
        )
    if filters.kinds:
        parts.append(
            "EXISTS (SELECT 1 FROM event_entities x JOIN entities k ON k.id ="
            f" x.entity_id WHERE x.event_id = ev.id AND k.kind IN"
            f" ({inside(filters.kinds)}))"
        )
    if filters.sources:
        parts.append(
            "EXISTS (SELECT 1 FROM event_sources x WHERE x.event_id = ev.id"
            f" AND x.source_id IN ({inside(filters.sources)}))"
        )
    return " AND " + " AND ".join(parts), params


def filtered_density(
    db: Database,
    grouping: str,
    day0: int,
    day1: int,
    max_bins: int,
    where: str,
    params: list[object],
) -> overview.Density:
    """Exact counts per lane and bin of the events that pass the filters, aggregated from
    the events in the window (found through the R*Tree by start day)."""
    level = 0
    while level < overview.LEVELS - 1 and (day1 - day0) / 4**level > max_bins:
        level += 1
    size = 4**level
    first, last = day0 // size, day1 // size
    order = [lane for lane, _ in overview.lanes(db, grouping)]
    index = {lane: i for i, lane in enumerate(order)}
    counts = [[0] * (last - first + 1) for _ in order]
    lane_sql = overview.lane_sql(grouping, "ev.rowid IN (SELECT ev FROM w)")
    sql = f"""
        WITH w AS MATERIALIZED (
            SELECT ev.rowid AS ev, s.d0 AS d0 FROM event_spans s
            JOIN events ev ON ev.rowid = s.id
            WHERE s.d0 >= ? AND s.d0 <= ? {where}),
        l AS ({lane_sql})
        SELECT coalesce(l.lane, ''), (w.d0 - ((w.d0 % {size}) + {size}) % {size}) / {size},
               count(*)
        FROM w LEFT JOIN l ON l.ev = w.ev GROUP BY 1, 2"""
    lo, hi = first * size, (last + 1) * size - 1
    for lane, b, n in db.execute(sql, [lo, hi, *params]):
        i = index.get(lane, index.get(overview.OTHER, len(order) - 1))
        if 0 <= b - first < len(counts[i]):
            counts[i][b - first] += int(n)
    return overview.Density(grouping, order, size, first, counts)


def _rows(events: list[Event], keys: list[list[str]], lanes: list[str]) -> TimelineRows:
    index = {lane: i for i, lane in enumerate(lanes)}
    ev_idx, lane_idx = [], []
    for i, ks in enumerate(keys):
        for k in ks:
            ev_idx.append(i)
            lane_idx.append(index.get(k, len(lanes) - 1))
    x0 = np.array([_seconds(events[i].earliest) for i in ev_idx], dtype=np.float64)
    x1 = np.array([_seconds(events[i].latest) + DAY for i in ev_idx], dtype=np.float64)
    order = np.argsort(x0, kind="stable")
    return TimelineRows(
        lanes=[Lane(k, "") for k in lanes],
        event=np.array(ev_idx, dtype=np.int32)[order],
        lane=np.array(lane_idx, dtype=np.int32)[order],
        x0=x0[order],
        x1=x1[order],
        precision=np.array([PRECISIONS[events[i].precision] for i in ev_idx], dtype=np.int8)[order],
        qualifier=np.array([QUALIFIERS[events[i].qualifier] for i in ev_idx], dtype=np.int8)[order],
        span=np.array([events[i].end is not None for i in ev_idx], dtype=np.bool_)[order],
    )


def _seconds(day: str) -> float:
    return (dt.date.fromisoformat(day) - _EPOCH).days * DAY
