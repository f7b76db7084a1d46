"""What the timeline shows of a large project, one view at a time, without reading every
event: exact density from the overview pyramid when many events are in view, the events
themselves (found through the R*Tree) when few are. Qt-free; the window runs it on a worker
thread with its own read-only connection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

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
        dens = overview.density(db, req.grouping, d0, d1, max(8, req.width_px // 3))
        lanes = dens.lanes
        count = dens.total()
        labels = self.lane_labels(req.grouping, lanes)
        if count > DETAIL_LIMIT:
            return ViewResult(req.generation, lanes, labels, density=dens, in_view=count)
        rowids = overview.overlapping(db, d0, d1, DETAIL_LIMIT * 2)
        events, lane_keys = self._events(rowids, req.grouping, set(lanes))
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
        self, rowids: list[int], grouping: str, known: set[str]
    ) -> tuple[list[Event], list[list[str]]]:
        db = self.store.db
        if not rowids:
            return [], []
        marks = ",".join("?" for _ in rowids)
        rows = db.execute(
            f"""SELECT rowid, id, title, title_en, summary, category, start, "end", earliest,
                       latest, precision, qualifier, date_text, date_note
                FROM events WHERE rowid IN ({marks}) ORDER BY earliest""",
            rowids,
        ).fetchall()
        lanes_of: dict[int, list[str]] = {}
        sql = overview.LANE_SQL[grouping]
        for ev, lane in db.execute(f"SELECT ev, lane FROM ({sql}) WHERE ev IN ({marks})", rowids):
            lanes_of.setdefault(ev, []).append(lane if lane in known else overview.OTHER)
        events = [Event(*r[1:]) for r in rows]
        keys = [lanes_of.get(r[0], [overview.NO_LANE]) for r in rows]
        return events, keys


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
