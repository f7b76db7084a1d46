"""What the timeline shows of a large project, one view at a time, without reading every
event: exact density from the overview pyramid when many events are in view, the events
themselves (found through the R*Tree) when few are. Qt-free; the window runs it on a worker
thread with its own read-only connection."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from sqlite_utils import Database

from explorer.model.event_cache import EventCache
from explorer.model.filters import Filters
from explorer.model.own_view import OwnMark, add_to_density, lane_index, lanes_of, passes, resolve
from explorer.model.timeline import DAY, PRECISIONS, QUALIFIERS, Lane, TimelineRows, vouched_of
from explorer.store import overview, queries
from explorer.store.connection import Store, open_store
from explorer.store.records import Event, Statement

#: Above this many events in view the timeline draws density instead of events.
DETAIL_LIMIT = 3000
#: At most this many statements are drawn in a view (who said what, beside the events).
STATEMENT_LIMIT = 500
#: A view is read with this share of its width past either side (`ViewRequest.reach`): what
#: a pan or a zoom in shows next is then held, and drawn at once with nothing read (`served`).
REACH = 0.5
#: At most this many events are read for a view and its reach; past it, for the view alone.
REACH_LIMIT = DETAIL_LIMIT * 3
#: At most this many events are read for a view alone (long spans crowd a view whose events
#: starting in it are few); past it the view is crowded (`Viewport._crowded`) and holds no
#: day whole.
VIEW_LIMIT = DETAIL_LIMIT * 2
#: A crowded view draws every event that starts in it, and of those that started before, as
#: many as make this many in all. A move of a crowded view onto other days is read (nothing
#: it holds is whole; a pan within its days is `served`): with 6,000 drawn such a step took
#: about 40 ms at ten million events, 20-36 with 3,000 (a view of thousands of lines is no
#: more legible with 6,000).
CROWDED_LIMIT = DETAIL_LIMIT


@dataclass(frozen=True)
class ViewRequest:
    generation: int
    x0: float  # epoch seconds
    x1: float
    grouping: str
    width_px: int
    filters: Filters | None = None
    own: tuple[OwnMark, ...] = ()  # the annotator's own events, from the work file
    statements: bool = False  # who said what, drawn beside the events
    #: the range to read around the view (epoch seconds; see REACH), None: the view alone
    reach: tuple[float, float] | None = None


@dataclass
class ViewResult:
    generation: int
    lanes: list[str]
    labels: list[str]  # a readable name per lane
    density: overview.Density | None = None  # set in density mode
    rows: TimelineRows | None = None  # set in detail mode
    events: list[Event] | None = None  # rows.event indexes this list
    in_view: int = 0  # lane entries in the bins covering the view (exact)
    events_in_view: int = 0  # events: in those bins (density), or in view (detail)
    #: statements said in what it covers or about a period in it (`ViewRequest.statements`)
    statements: list[Statement] = field(default_factory=list)
    #: the days [first, last] whose events, bins and statements it holds whole: the view's
    #: and, when they were few enough to read, its reach's
    covers: tuple[int, int] = (0, -1)
    #: the counts per lane and bin over what it covers, at the view's level
    counts: overview.Density | None = None
    #: events in view that are not drawn: more overlap it than can be (long spans crowd
    #: it); `events_in_view` counts them
    undrawn: int = 0
    #: the days [first, last] of a crowded view (`Viewport._crowded`): it holds no day
    #: whole, but any view of the same days at the same level is answered the same
    crowded: tuple[int, int] | None = None


def epoch_day(seconds: float) -> int:
    return int(seconds // DAY)


def days_of(x0: float, x1: float) -> tuple[int, int]:
    """The first and last day of the range [x0, x1) (x1 is exclusive)."""
    return epoch_day(x0), epoch_day(max(x0, x1 - 1))


def bins_of(width_px: int) -> int:
    """How many bins a view this many pixels wide is counted in, at most."""
    return max(8, width_px // 3)


def events_within(rows: TimelineRows, day0: int, day1: int) -> int:
    """How many of the rows' events overlap the days [day0, day1]."""
    inside = (rows.x1 > day0 * DAY) & (rows.x0 < (day1 + 1) * DAY)
    return int(np.unique(rows.event[inside]).size)


def served(held: ViewResult, req: ViewRequest) -> ViewResult | None:
    """What `req` would be answered, made from `held` with nothing read, when `held` was
    asked with the same grouping, filters, own events and statements and covers the view:
    a pan, or a zoom in from events. None: the view must be read (it is past what `held`
    covers, or would be counted at another level, or its events are too many or too few
    for what `held` draws)."""
    counts = held.counts
    d0, d1 = days_of(req.x0, req.x1)
    if counts is None:
        return None
    level, merge = overview.level_of(d0, d1, bins_of(req.width_px))
    size = 4**level * merge
    if held.crowded is not None:  # a pan within the same days (a crowded day is read whole)
        if held.crowded != (d0, d1) or size != counts.bin_days:
            return None
        return replace(held, generation=req.generation)
    if not (held.covers[0] <= d0 and d1 <= held.covers[1]):
        return None
    count, events = counts.within(d0, d1)
    if held.density is not None:  # the same bins, and still too many events to draw
        if size != held.density.bin_days or count <= DETAIL_LIMIT:
            return None
    elif held.rows is not None:  # counted here at a level no finer than the view's: its
        if size > counts.bin_days or count > DETAIL_LIMIT:  # own count is no more
            return None
        events = events_within(held.rows, d0, d1)
    else:
        return None
    return replace(held, generation=req.generation, in_view=count, events_in_view=events)


class Viewport:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.held = EventCache()  # the events read for earlier views

    @classmethod
    def open(cls, path: str, check: str | None = None) -> Viewport:
        """The worker's own read-only connection. A window that checks its project in the
        background (store.integrity) opens this one with check="skip": the check is the
        window's, not the worker's."""
        return cls(open_store(path, readonly=True, check=check))

    def close(self) -> None:
        self.store.close()

    def lanes(self, grouping: str) -> list[str]:
        return [lane for lane, _ in overview.lanes(self.store.db, grouping)]

    def compute(self, req: ViewRequest) -> ViewResult:
        db = self.store.db
        d0, d1 = days_of(req.x0, req.x1)
        r0, r1 = days_of(*req.reach) if req.reach is not None else (d0, d1)
        covers = (min(r0, d0), max(r1, d1))
        narrow = self.is_narrow(req, covers)
        where, params = sql_filters(req.filters, narrow)
        dens = self.density(req, narrow, covers)
        own = self.own_marks(req)
        add_to_density(dens, own)
        lanes = dens.lanes
        count, events_count = dens.within(d0, d1)
        said: list[Statement] = []
        if req.statements:
            said = queries.statements_overlapping(
                db, covers[0] * DAY, (covers[1] + 1) * DAY, STATEMENT_LIMIT
            )
            if len(said) >= STATEMENT_LIMIT and covers != (d0, d1):  # the view's alone
                covers = (d0, d1)
                said = queries.statements_overlapping(db, req.x0, req.x1, STATEMENT_LIMIT)
        labels = self.lane_labels(req.grouping, lanes)
        if count > DETAIL_LIMIT:
            return ViewResult(
                req.generation,
                lanes,
                labels,
                density=dens,
                in_view=count,
                events_in_view=events_count,
                statements=said,
                covers=covers,
                counts=dens,
            )
        rowids = self._overlapping(covers, where, params, narrow, REACH_LIMIT)
        if len(rowids) >= REACH_LIMIT and covers != (d0, d1):  # too many around: the view's
            covers = (d0, d1)
            rowids = self._overlapping(covers, where, params, narrow, VIEW_LIMIT)
        undrawn = 0
        crowded = None
        if len(rowids) >= VIEW_LIMIT and covers == (d0, d1):  # not all of the view's: no
            covers = (0, -1)  # other view may be answered from these, but one of its days
            rowids, overlapping = self._crowded(d0, d1, where, params)
            undrawn = overlapping - len(rowids)
            # (statements cut to the view's own range would differ in a view moved)
            crowded = (d0, d1) if len(said) < STATEMENT_LIMIT else None
        events, lane_keys = self._events(rowids, req.grouping, set(lanes))
        o0, o1 = crowded or covers  # the days whose own events are drawn
        for mark in own:
            if mark.event.t1 > o0 * DAY and mark.event.t0 < (o1 + 1) * DAY:
                events.append(mark.event)
                lane_keys.append(
                    [lanes[lane_index(lanes, lane)] for lane in lanes_of(mark, req.grouping)]
                )
        rows = _rows(events, lane_keys, lanes)
        return ViewResult(
            req.generation,
            lanes,
            labels,
            rows=rows,
            events=events,
            in_view=count,
            events_in_view=events_within(rows, d0, d1) + undrawn,
            undrawn=undrawn,
            statements=said,
            covers=covers,
            counts=dens,
            crowded=crowded,
        )

    def _crowded(
        self, day0: int, day1: int, where: str, params: list[object]
    ) -> tuple[list[int], int]:
        """A view that more events overlap than can be drawn (long spans crowd it): the
        rowids of every event that starts in it, then of as many of those that started
        before it as the limit leaves room for; and how many events overlap it in all. (An
        arbitrary `limit` of them, as read before, left out events of the view's own days,
        and the status bar counted only those drawn.)"""
        db = self.store.db
        a, b = day0 * DAY, (day1 + 1) * DAY
        starts = f"FROM events ev WHERE ev.t0 >= ? AND ev.t0 < ? {where}"
        read = f"SELECT ev.rowid {starts} ORDER BY ev.t0 LIMIT {VIEW_LIMIT}"
        starting = [r[0] for r in db.execute(read, [a, b, *params])]
        # those that started on a day before the view's first and last into it: the R*Tree
        # alone says so (its days are whole days), the filters need each event's row
        if where:
            before = f"""FROM events ev
                WHERE ev.rowid IN (SELECT id FROM event_spans WHERE d1 >= ? AND d0 <= ?)
                AND +ev.t0 < ? AND +ev.t1 > ? {where}"""
            args = [overview.clamp(day0), overview.clamp(day0), a, a, *params]
            rowid = "ev.rowid"
        else:
            before = "FROM event_spans WHERE d1 >= ? AND d0 <= ?"
            args = [overview.clamp(day0), overview.clamp(day0 - 1)]
            rowid = "id"
        room = max(0, CROWDED_LIMIT - len(starting))
        earlier = [r[0] for r in db.execute(f"SELECT {rowid} {before} LIMIT {room}", args)]
        started = len(starting)
        if started >= VIEW_LIMIT:  # more start in it than were read: count them all
            started = int(db.execute(f"SELECT count(*) {starts}", [a, b, *params]).fetchone()[0])
        reaching = int(db.execute(f"SELECT count(*) {before}", args).fetchone()[0])
        return starting + earlier, started + reaching

    def _overlapping(
        self,
        days: tuple[int, int],
        where: str,
        params: list[object],
        narrow: bool,
        limit: int,
    ) -> list[int]:
        if where:
            return self._filtered_overlapping(*days, where, params, narrow, limit)
        return overview.overlapping(self.store.db, *days, limit)

    def event_ids(
        self, x0: float, x1: float, filters: Filters | None, own: tuple[OwnMark, ...], limit: int
    ) -> list[str]:
        """Ids of the events (the project's and the annotator's own) that overlap [x0, x1)
        and pass the filters, in date order, at most `limit`: what the user is looking at."""
        where, params = sql_filters(filters)
        sql = f"""SELECT ev.id, ev.t0 FROM events ev WHERE ev.t1 > ? AND ev.t0 < ? {where}
                  ORDER BY ev.t0, ev.id LIMIT ?"""
        found = [
            (float(r[1]), str(r[0])) for r in self.store.db.execute(sql, [x0, x1, *params, limit])
        ]
        req = ViewRequest(0, x0, x1, "category", 100, filters, own)
        found += [
            (m.event.t0, m.event.id)
            for m in self.own_marks(req)
            if m.event.t1 > x0 and m.event.t0 < x1
        ]
        return [ident for _, ident in sorted(found)[:limit]]

    def own_marks(self, req: ViewRequest) -> tuple[OwnMark, ...]:
        """The request's own events that pass its filters, their links' kinds filled in."""
        if not req.own:
            return ()
        return tuple(m for m in resolve(req.own, self._kinds) if passes(m, req.filters))

    def _kinds(self, entity_ids: list[str]) -> dict[str, str]:
        marks = ",".join("?" for _ in entity_ids)
        sql = f"SELECT id, kind FROM entities WHERE id IN ({marks})"
        return {r[0]: r[1] for r in self.store.db.execute(sql, entity_ids)}

    def is_narrow(self, req: ViewRequest, days: tuple[int, int] | None = None) -> bool:
        """Whether few enough events are in view (or in `days`) to test the filters on
        each of them."""
        if req.filters is None or not req.filters.active:
            return False
        d0, d1 = days or days_of(req.x0, req.x1)
        return overview.density(self.store.db, "category", d0, d1, 8).total() <= NARROW_VIEW

    def density(
        self,
        req: ViewRequest,
        narrow: bool | None = None,
        reach: tuple[int, int] | None = None,
    ) -> overview.Density:
        """Exact counts per lane and bin of the events (passing the filters) in view, at the
        view's level over `reach` (days, around the view) when given."""
        db = self.store.db
        d0, d1 = days_of(req.x0, req.x1)
        bins = bins_of(req.width_px)
        if narrow is None:
            narrow = self.is_narrow(req, reach)
        where, params = sql_filters(req.filters, narrow)
        if where:
            facet = one_facet(req.filters)
            if facet is not None:  # a common value over a wide view: read, not counted
                found = overview.facet_density(db, *facet, req.grouping, d0, d1, bins, reach)
                if found is not None:
                    return found
            return filtered_density(db, req.grouping, d0, d1, bins, where, params, reach)
        dens = overview.density(db, req.grouping, d0, d1, bins, reach)
        if req.grouping != "category":  # events in several lanes are counted once here
            each = overview.density(db, "category", d0, d1, bins, reach).counts
            dens.bin_events = [sum(col) for col in zip(*each, strict=True)] if each else []
        return dens

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

    def _filtered_overlapping(
        self,
        day0: int,
        day1: int,
        where: str,
        params: list[object],
        narrow: bool,
        limit: int = VIEW_LIMIT,
    ) -> list[int]:
        """Rowids of the events that pass the filters and overlap [day0, day1]: found
        through the R*Tree in a narrow view, through the filters' indexes in a wide one."""
        if narrow:
            sql = f"""SELECT ev.rowid FROM events ev
                      WHERE ev.rowid IN (SELECT id FROM event_spans WHERE d1 >= ? AND d0 <= ?)
                      AND +ev.t1 > ? AND +ev.t0 < ? {where}
                      ORDER BY ev.t0 LIMIT {int(limit)}"""
            spans = [overview.clamp(day0), overview.clamp(day1)]
            args = [*spans, day0 * DAY, (day1 + 1) * DAY, *params]
            return [r[0] for r in self.store.db.execute(sql, args)]
        sql = f"""SELECT ev.rowid FROM events ev
                  WHERE ev.t1 > ? AND ev.t0 < ? {where}
                  ORDER BY ev.t0 LIMIT {int(limit)}"""
        return [r[0] for r in self.store.db.execute(sql, [day0 * DAY, (day1 + 1) * DAY, *params])]

    def _events(
        self, rowids: list[int], grouping: str, known: set[str]
    ) -> tuple[list[Event], list[list[str]]]:
        found = self.held.events(self.store.db, rowids, grouping, REACH_LIMIT)
        events = [ev for _, ev, _ in found]
        keys = [
            [lane if lane in known else overview.OTHER for lane in lanes] or [overview.NO_LANE]
            for _, _, lanes in found
        ]
        return events, keys


#: Below this many events in the view, filters are tested event by event (starting from the
#: view's dates); above it, the filters' own indexes find the passing events.
NARROW_VIEW = 50_000


def sql_filters(filters: Filters | None, narrow: bool = False) -> tuple[str, list[object]]:
    """An "AND ..." clause over events `ev` for the active filters, and its parameters.

    Both forms select the same events; they differ in what SQLite can start from. The
    default lets it start from the link tables and the category index, which is what a
    wide view needs (testing each of a million events costs seconds). With `narrow`, the
    conditions cannot use an index, so the view's date range drives the query and only the
    events in view are tested."""
    if filters is None or not filters.active:
        return "", []
    parts: list[str] = []
    params: list[object] = []

    def inside(values: frozenset[str]) -> str:
        params.extend(sorted(values))
        return ",".join("?" for _ in values)

    def linked(table: str, condition: str) -> str:  # links by rowid (store/links.py)
        if narrow:
            return f"EXISTS (SELECT 1 FROM {table} WHERE x.event = ev.rowid AND {condition})"
        return f"ev.rowid IN (SELECT x.event FROM {table} WHERE {condition})"

    plain = "+" if narrow else ""  # a unary plus keeps SQLite off a column's index
    if filters.categories:
        parts.append(f"{plain}ev.category IN ({inside(filters.categories)})")
    if filters.t_from is not None:
        parts.append(f"{plain}ev.t1 > ?")
        params.append(filters.t_from)
    if filters.t_to is not None:
        parts.append(f"{plain}ev.t0 < ?")
        params.append(filters.t_to)
    if filters.entities:
        ids = f"SELECT rowid FROM entities WHERE id IN ({inside(filters.entities)})"
        parts.append(linked("event_entity_links x", f"x.entity IN ({ids})"))
    if filters.kinds:
        parts.append(
            linked(
                "event_entity_links x JOIN entities k ON k.rowid = x.entity",
                f"k.kind IN ({inside(filters.kinds)})",
            )
        )
    if filters.sources:
        ids = f"SELECT rowid FROM sources WHERE id IN ({inside(filters.sources)})"
        parts.append(linked("event_source_links x", f"x.source IN ({ids})"))
    return " AND " + " AND ".join(parts), params


def one_facet(filters: Filters | None) -> tuple[str, frozenset[str]] | None:
    """(facet, values) when the filters restrict one facet and nothing else (no dates):
    the case overview.facet_density may hold precomputed."""
    if filters is None or filters.date_from or filters.date_to:
        return None
    active = [(f, getattr(filters, f)) for f in overview.FACET_MEMBERS if getattr(filters, f)]
    return active[0] if len(active) == 1 else None


def filtered_density(
    db: Database,
    grouping: str,
    day0: int,
    day1: int,
    max_bins: int,
    where: str,
    params: list[object],
    reach: tuple[int, int] | None = None,
) -> overview.Density:
    """Exact counts per lane and bin of the events that pass the filters, aggregated from
    the events in the window (found through the R*Tree by start day); `reach`: the days to
    count over at the window's level."""
    level, _merge = overview.level_of(day0, day1, max_bins)  # the level's own bins
    size = 4**level
    lo_day, hi_day = reach or (day0, day1)
    first, last = lo_day // size, hi_day // size
    order = [lane for lane, _ in overview.lanes(db, grouping)]
    index = {lane: i for i, lane in enumerate(order)}
    counts = [[0] * (last - first + 1) for _ in order]
    events: list[int] | None = None if grouping == "category" else [0] * (last - first + 1)

    def add(lane: str | None, b: int, n: int) -> None:
        i = index.get(lane or overview.NO_LANE, index.get(overview.OTHER, len(order) - 1))
        if 0 <= b - first < len(counts[i]):
            counts[i][b - first] += int(n)

    lo, hi = first * size, (last + 1) * size - 1
    # Every condition is on `ev`, so SQLite starts from whichever index is most selective
    # (the start day, a category, the link tables) and reads each passing event once.
    only = f"ev.t0 >= ? AND ev.t0 < ? {where}"
    bin_of = f"(day - ((day % {size}) + {size}) % {size}) / {size}"
    laned = overview.lane_sql(grouping, only, start=True, outer=True)
    if grouping == "category":  # one lane per event: the lanes add up to the events
        sql = f"SELECT 0, lane, {bin_of}, count(*) FROM ({laned}) GROUP BY 2, 3"
    else:  # and the events of each bin, counted once however many lanes they are in
        sql = f"""WITH r AS MATERIALIZED ({laned})
                  SELECT 0, lane, {bin_of}, count(*) FROM r GROUP BY 2, 3
                  UNION ALL SELECT 1, NULL, {bin_of}, count(DISTINCT ev) FROM r GROUP BY 3"""
    for kind, lane, b, n in db.execute(sql, [lo * DAY, (hi + 1) * DAY, *params]):
        if kind == 0:
            add(lane, b, n)
        elif events is not None and 0 <= b - first < len(events):
            events[b - first] += int(n)
    return overview.Density(grouping, order, size, first, counts, events)


def _rows(events: list[Event], keys: list[list[str]], lanes: list[str]) -> TimelineRows:
    index = {lane: i for i, lane in enumerate(lanes)}
    ev_idx, lane_idx = [], []
    for i, ks in enumerate(keys):
        for k in ks:
            ev_idx.append(i)
            lane_idx.append(index.get(k, len(lanes) - 1))
    x0 = np.array([events[i].t0 for i in ev_idx], dtype=np.float64)
    x1 = np.array([events[i].t1 for i in ev_idx], dtype=np.float64)
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
        vouched=vouched_of([events[i] for i in ev_idx])[order],
        undated=np.array([events[i].undated for i in ev_idx], dtype=np.bool_)[order],
    )
