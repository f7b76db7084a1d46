"""What the timeline needs without reading every event: an R*Tree of event spans (days since
1970) for "which events overlap this window", and a density pyramid, counts of events per
lane and per bin of 4**level days (by each event's earliest day), for every grouping; and
the same counts for the events with one common attribute (`overview_facets`, see
rebuild_facets), so that a filter on it over the whole span is read, not counted.

All are derived from the events and rebuilt whole by `rebuild` (build-db, demo-data,
imports, and the migrations that introduced them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

if TYPE_CHECKING:
    import numpy as np

GROUPINGS = ("category", "place", "entity_kind", "source")
LEVELS = 8  # bins of 1, 4, 16, ... 16384 days
LANE_CAP = 30  # lanes beyond the largest 30 are counted together as OTHER
OTHER = "~other"
NO_LANE = ""
DAY0 = "2440587.5"  # julianday('1970-01-01')


def day_sql(column: str) -> str:
    """SQL for the day (days since 1970-01-01) containing the instant `column` (seconds)."""
    q = f"CAST(({column}) / 86400 AS INTEGER)"
    return f"({q} - (({column}) < {q} * 86400))"  # floor, for instants before 1970 too


#: The span index holds 32-bit days (about 5.8 million years either side of 1970); days
#: beyond are clamped, and queries that reach that far check the events' own t0/t1.
SPAN_MIN, SPAN_MAX = -(2**31) + 1, 2**31 - 1


def clamp(day: int) -> int:
    return max(SPAN_MIN, min(SPAN_MAX, day))


#: The numbers of the roles that put an event at a place (link_roles, store/links.py)
VENUE = "(SELECT id FROM link_roles WHERE name = 'venue')"
PLACE_ROLES = "(SELECT id FROM link_roles WHERE name IN ('venue', 'location'))"


def lane_sql(grouping: str, only: str = "", start: bool = False, outer: bool = False) -> str:
    """SQL for (ev = event rowid, lane) of one grouping; an event may be in several lanes.
    `only` is an SQL condition on `ev` (say, "ev.rowid IN (SELECT ...)") that limits the
    work to some events instead of filtering a whole-table result afterwards. With `start`,
    a third column `day` gives the event's earliest day as days since 1970-01-01. With
    `outer`, an event in no lane is listed once with a NULL lane."""
    cond = f"WHERE {only}" if only else ""
    day = f", {day_sql('ev.t0')} AS day" if start else ""
    join = "LEFT JOIN" if outer else "JOIN"
    if grouping == "category":
        return f"SELECT ev.rowid AS ev, ev.category AS lane{day} FROM events ev {cond}"
    if grouping == "entity_kind":
        return f"""SELECT DISTINCT ev.rowid AS ev, e.kind AS lane{day} FROM events ev
            {join} event_entity_links ee ON ee.event = ev.rowid
            {join} entities e ON e.rowid = ee.entity {cond}"""
    if grouping == "source":
        return f"""SELECT DISTINCT ev.rowid AS ev, s.id AS lane{day} FROM events ev
            {join} event_source_links es ON es.event = ev.rowid
            {join} sources s ON s.rowid = es.source {cond}"""
    if grouping == "place":
        return f"""SELECT ev, lane{", day" if start else ""} FROM (
            SELECT ev.rowid AS ev, e.id AS lane{day},
                   row_number() OVER (PARTITION BY ev.rowid
                                      ORDER BY e.id IS NULL, ee.role <> {VENUE}, ee.rowid) AS n
            FROM events ev
            {join} event_entity_links ee
                ON ee.event = ev.rowid AND ee.role IN {PLACE_ROLES}
            {join} entities e ON e.rowid = ee.entity AND e.kind = 'place'
            {cond}) WHERE n = 1"""
    raise ValueError(f"unknown grouping {grouping!r}")


#: The lane SQL of each grouping over the whole project.
LANE_SQL = {g: lane_sql(g) for g in GROUPINGS}


def create_tables(db: Database) -> None:
    for sql in (
        "CREATE VIRTUAL TABLE event_spans USING rtree_i32(id, d0, d1)",
        """CREATE TABLE overview (
            grouping TEXT NOT NULL,
            lane TEXT NOT NULL,
            level INTEGER NOT NULL,
            bin INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (grouping, level, lane, bin)
        ) WITHOUT ROWID""",
        """CREATE TABLE overview_lanes (
            grouping TEXT NOT NULL,
            lane TEXT NOT NULL,
            events INTEGER NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (grouping, lane)
        ) WITHOUT ROWID""",
    ):
        db.execute(sql)


def _lane(alias: str) -> str:
    """The stored lane: the lane itself among the largest LANE_CAP, else OTHER."""
    return (
        f"CASE WHEN {alias}.pos < {LANE_CAP} OR {alias}.lane = '' THEN {alias}.lane "
        f"ELSE '{OTHER}' END"
    )


def rebuild(db: Database) -> None:
    """Fill event_spans, the density pyramid and the facet counts from the events (inside
    the caller's transaction). Each grouping is aggregated to (lane, day) once; coarser
    levels are rolled up from that, so a million events take seconds, not minutes."""
    rebuild_spans(db)
    rebuild_pyramid(db)
    rebuild_facets(db)


def rebuild_pyramid(db: Database) -> None:
    """The density pyramid and its lanes."""
    db.execute("DELETE FROM overview")
    db.execute("DELETE FROM overview_lanes")
    temps = ("day_counts", "lane_rank", "level0")
    for grouping in GROUPINGS:
        for temp in temps:
            db.execute(f"DROP TABLE IF EXISTS temp.{temp}")
        # events per lane and start day, in one pass; an event with nothing to group by
        # is in the empty lane
        db.execute(
            f"""CREATE TEMP TABLE day_counts AS
                SELECT coalesce(lane, '{NO_LANE}') AS lane, day AS bin, count(*) AS n
                FROM ({lane_sql(grouping, start=True, outer=True)}) GROUP BY 1, 2"""
        )
        db.execute(
            """CREATE TEMP TABLE lane_rank AS
               SELECT lane, n, row_number() OVER (ORDER BY lane = '', n DESC, lane) - 1 AS pos
               FROM (SELECT lane, sum(n) AS n FROM temp.day_counts GROUP BY lane)"""
        )
        db.execute("CREATE UNIQUE INDEX temp.lane_rank_lane ON lane_rank(lane)")
        db.execute(
            f"""INSERT INTO overview_lanes (grouping, lane, events, position)
                SELECT ?, {_lane("r")}, sum(n), min(pos) FROM temp.lane_rank r GROUP BY 2""",
            [grouping],
        )
        db.execute(
            f"""CREATE TEMP TABLE level0 AS
                SELECT {_lane("r")} AS lane, d.bin AS bin, sum(d.n) AS n
                FROM temp.day_counts d JOIN temp.lane_rank r ON r.lane = d.lane GROUP BY 1, 2"""
        )
        for level in range(LEVELS):
            size = 4**level
            db.execute(
                f"""INSERT INTO overview (grouping, lane, level, bin, count)
                    SELECT ?, lane, ?, (bin - ((bin % {size}) + {size}) % {size}) / {size},
                           sum(n)
                    FROM temp.level0 GROUP BY 2, 4""",
                [grouping, level],
            )
    for temp in temps:
        db.execute(f"DROP TABLE IF EXISTS temp.{temp}")


def rebuild_spans(db: Database) -> None:
    db.execute("DELETE FROM event_spans")
    db.execute(  # sorted by start: an R*Tree fills a third faster that way
        f"""INSERT INTO event_spans (id, d0, d1)
            SELECT rowid, max({SPAN_MIN}, min({SPAN_MAX}, {day_sql("t0")})),
                   max({SPAN_MIN}, min({SPAN_MAX}, {day_sql("t1 - 1")}))
            FROM events ORDER BY t0"""
    )


def create_stats(db: Database) -> None:
    db.execute(
        """CREATE TABLE entity_stats (
            entity_id TEXT PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
            events INTEGER NOT NULL,
            claims INTEGER NOT NULL
        ) WITHOUT ROWID"""
    )


def rebuild_stats(db: Database) -> None:
    """How many events and figures each entity has (for the browser and the entity pane)."""
    db.execute("DELETE FROM entity_stats")
    db.execute(  # grouped in one pass each: needs no index on the link tables
        """INSERT INTO entity_stats (entity_id, events, claims)
           SELECT e.id, coalesce(x.n, 0), coalesce(c.n, 0) FROM entities e
           LEFT JOIN (SELECT entity, count(DISTINCT event) AS n FROM event_entity_links
                      GROUP BY entity) x ON x.entity = e.rowid
           LEFT JOIN (SELECT entity_id, count(*) AS n FROM claims GROUP BY entity_id) c
                  ON c.entity_id = e.id"""
    )


@dataclass
class Density:
    """Counts of events per lane and bin for a window: `counts[lane][i]` is the number of
    events whose earliest day falls in bin `first_bin + i` (bins of `bin_days` days)."""

    grouping: str
    lanes: list[str]
    bin_days: int
    first_bin: int
    counts: list[list[int]]
    #: The events starting in each bin, each counted once, when an event may be in several
    #: lanes; None: each event is in one lane, and the lanes' counts add up to them.
    bin_events: list[int] | None = None

    def total(self) -> int:
        return sum(sum(c) for c in self.counts)

    @property
    def events(self) -> int:
        """How many events the counts stand for (an event in several lanes once)."""
        return self.total() if self.bin_events is None else sum(self.bin_events)

    def bins(self, day0: int, day1: int) -> slice:
        """The bins (indexes into each lane's counts) that cover the days [day0, day1]."""
        first = max(0, day0 // self.bin_days - self.first_bin)
        return slice(first, max(first, day1 // self.bin_days - self.first_bin + 1))

    def within(self, day0: int, day1: int) -> tuple[int, int]:
        """The lane entries and the events in the bins that cover the days [day0, day1]."""
        at = self.bins(day0, day1)
        entries = sum(sum(c[at]) for c in self.counts)
        return entries, entries if self.bin_events is None else sum(self.bin_events[at])


def level_of(day0: int, day1: int, max_bins: float) -> tuple[int, int]:
    """The pyramid's level a window [day0, day1] is counted at (the finest with at most
    `max_bins` bins) and how many of its bins make one (more than one only past the coarsest
    level: a view over geological time)."""
    level = 0
    while level < LEVELS - 1 and (day1 - day0) / 4**level > max_bins:
        level += 1
    size = 4**level
    return level, max(1, -(-(day1 - day0) // int(size * max(1, max_bins))))


def lanes(db: Database, grouping: str) -> list[tuple[str, int]]:
    """The grouping's lanes in drawing order, with their event counts."""
    return [
        (r[0], int(r[1]))
        for r in db.execute(
            "SELECT lane, events FROM overview_lanes WHERE grouping = ? ORDER BY lane = '', "
            "lane = ?, events DESC, lane",
            [grouping, OTHER],
        )
    ]


def density(
    db: Database,
    grouping: str,
    day0: int,
    day1: int,
    max_bins: int,
    reach: tuple[int, int] | None = None,
) -> Density:
    """Counts for the window [day0, day1] at the finest level with at most `max_bins` bins.
    Wider than the coarsest level allows (a view over geological time), bins of that level
    are summed into as many of them as it takes. `reach`: the days to count over, at the
    window's level (around it: what a pan shows next)."""
    level, merge = level_of(day0, day1, max_bins)
    size = 4**level * merge
    lo, hi = reach or (day0, day1)
    first, last = lo // size, hi // size
    order = [lane for lane, _ in lanes(db, grouping)]
    index = {lane: i for i, lane in enumerate(order)}
    counts = [[0] * (last - first + 1) for _ in order]
    # naming the lanes lets the key (grouping, level, lane, bin) find each lane's bins in
    # view; without them a level's every bin was read (10 ms at 1M, 0.7 ms this way)
    for lane, b, n in db.execute(
        """SELECT lane, bin, count FROM overview WHERE grouping = ? AND level = ?
           AND lane IN (SELECT lane FROM overview_lanes WHERE grouping = ?)
           AND bin BETWEEN ? AND ?""",
        [grouping, level, grouping, first * merge, last * merge + merge - 1],
    ):
        counts[index[lane]][b // merge - first] += int(n)
    return Density(grouping, order, size, first, counts)


def event_total(db: Database) -> int:
    """How many events the project holds, from the pyramid's coarsest level (each event is in
    exactly one category lane): a few rows, where count(*) reads every event (0.1-0.3 s at
    ten million)."""
    row = db.execute(
        f"SELECT sum(count) FROM overview WHERE grouping = 'category' AND level = {LEVELS - 1}"
    ).fetchone()
    return int(row[0] or 0)


def extent(db: Database) -> tuple[int, int] | None:
    """First and last day (days since 1970-01-01) on which events start, from the
    pyramid's day bins (the ends of each lane's run, found through the key)."""
    row = db.execute(
        """SELECT min(first), max(last) FROM (
             SELECT (SELECT min(bin) FROM overview o WHERE o.grouping = 'category'
                       AND o.level = 0 AND o.lane = l.lane) AS first,
                    (SELECT max(bin) FROM overview o WHERE o.grouping = 'category'
                       AND o.level = 0 AND o.lane = l.lane) AS last
             FROM overview_lanes l WHERE l.grouping = 'category')"""
    ).fetchone()
    if row is None or row[0] is None:
        return None
    # a damaged or hostile file may hold any bins: the extent stays within the days
    # Explorer can place
    return clamp(int(row[0])), clamp(int(row[1]))


def overlapping(db: Database, day0: int, day1: int, limit: int) -> list[int]:
    """Rowids of up to `limit` events whose days overlap [day0, day1]."""
    if day0 > SPAN_MIN and day1 < SPAN_MAX:
        sql = "SELECT id FROM event_spans WHERE d1 >= ? AND d0 <= ? LIMIT ?"
        return [r[0] for r in db.execute(sql, [day0, day1, limit])]
    sql = """SELECT s.id FROM event_spans s JOIN events e ON e.rowid = s.id
             WHERE s.d1 >= ? AND s.d0 <= ? AND e.t1 > ? AND e.t0 < ? LIMIT ?"""
    args = [clamp(day0), clamp(day1), day0 * 86400, (day1 + 1) * 86400, limit]
    return [r[0] for r in db.execute(sql, args)]


# --- counts for one common attribute -------------------------------------------------------

#: A facet value (a category, an entity kind, an entity, a source) held by at least this many
#: events gets its counts per lane and bin precomputed: counted from the events, a filter on
#: it costs about 3 microseconds per event that passes (a second per 300,000), while values
#: held by fewer are counted in time from their own indexes.
FACET_MIN_EVENTS = 50_000
#: Precomputed from this level up (bins of 64 days and wider: a whole span of decades).
FACET_LEVEL = 3
#: The facets, named as model.filters.Filters names them, with the SQL that lists the events
#: (rowid `ev`) among rowids ? to ? that hold each chosen value (its number `vid` in
#: temp.facet_values), each pair once.
FACET_MEMBERS = {
    "categories": """SELECT ev.rowid AS ev, fv.vid AS vid FROM events ev
        JOIN temp.facet_values fv ON fv.facet = 'categories' AND fv.value = ev.category
        WHERE ev.rowid BETWEEN ? AND ?""",
    "kinds": """SELECT DISTINCT ee.event AS ev, fv.vid AS vid FROM event_entity_links ee
        JOIN entities e ON e.rowid = ee.entity
        JOIN temp.facet_values fv ON fv.facet = 'kinds' AND fv.value = e.kind
        WHERE ee.event BETWEEN ? AND ?""",
    "entities": """SELECT DISTINCT ee.event AS ev, fv.vid AS vid FROM event_entity_links ee
        JOIN entities e ON e.rowid = ee.entity
        JOIN temp.facet_values fv ON fv.facet = 'entities' AND fv.value = e.id
        WHERE ee.event BETWEEN ? AND ?""",
    "sources": """SELECT DISTINCT es.event AS ev, fv.vid AS vid FROM event_source_links es
        JOIN sources s ON s.rowid = es.source
        JOIN temp.facet_values fv ON fv.facet = 'sources' AND fv.value = s.id
        WHERE es.event BETWEEN ? AND ?""",
}
#: How many events hold each value, counted once per link (an upper bound for kinds, which
#: only chooses which values are precomputed).
_FACET_SIZES = {
    "categories": "SELECT category AS v, count(*) AS n FROM events GROUP BY 1",
    "kinds": """SELECT e.kind AS v, sum(x.n) AS n FROM entities e JOIN (SELECT entity,
        count(*) AS n FROM event_entity_links GROUP BY entity) x ON x.entity = e.rowid
        GROUP BY 1""",
    "entities": """SELECT e.id AS v, x.n AS n FROM entities e JOIN (SELECT entity,
        count(*) AS n FROM event_entity_links GROUP BY entity) x ON x.entity = e.rowid""",
    "sources": """SELECT s.id AS v, x.n AS n FROM sources s JOIN (SELECT source,
        count(*) AS n FROM event_source_links GROUP BY source) x ON x.source = s.rowid""",
}
#: Events read at a time while counting (memory stays flat at ten million).
_FACET_CHUNK = 200_000


def create_facets(db: Database) -> None:
    db.execute(
        """CREATE TABLE overview_facets (
            facet TEXT NOT NULL,
            value TEXT NOT NULL,
            grouping TEXT NOT NULL,
            level INTEGER NOT NULL,
            bin INTEGER NOT NULL,
            lane TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (facet, value, grouping, level, bin, lane)
        ) WITHOUT ROWID"""
    )


def rebuild_facets(db: Database) -> None:
    """Counts per lane (as overview_lanes names them) and bin, at FACET_LEVEL and up, of the
    events holding each facet value held by FACET_MIN_EVENTS events or more, for every
    grouping. Skipped in a project older than the table (an upgrade fills it later).

    The events are read a chunk of rowids at a time: their lanes in each grouping and the
    chosen values they hold, paired by event and counted with numpy (in SQL the join and
    its sort took ten times as long)."""
    if not db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'overview_facets'"
    ).fetchone():
        return
    db.execute("DELETE FROM overview_facets")
    top = db.execute("SELECT max(rowid) FROM events").fetchone()[0] or 0
    if top < FACET_MIN_EVENTS:  # nothing can be that common (rowids only grow)
        return
    db.execute("DROP TABLE IF EXISTS temp.facet_values")
    db.execute(
        "CREATE TEMP TABLE facet_values (vid INTEGER PRIMARY KEY, facet TEXT, value TEXT,"
        " UNIQUE (facet, value))"
    )
    for facet, sql in _FACET_SIZES.items():
        db.execute(
            f"INSERT INTO temp.facet_values (facet, value) SELECT ?, v FROM ({sql})"
            " WHERE n >= ? ORDER BY v",
            [facet, FACET_MIN_EVENTS],
        )
    values = [
        (int(r[0]), str(r[1]), str(r[2])) for r in db.execute("SELECT * FROM temp.facet_values")
    ]
    if values:
        named = {vid: (facet, value) for vid, facet, value in values}
        _count_facets(db, named, top)
        for level in range(FACET_LEVEL + 1, LEVELS):
            db.execute(
                """INSERT INTO overview_facets (facet, value, grouping, level, bin, lane, count)
                   SELECT facet, value, grouping, ?, (bin - ((bin % 4) + 4) % 4) / 4 AS b, lane,
                          sum(count)
                   FROM overview_facets WHERE level = ?
                   GROUP BY facet, value, grouping, b, lane""",
                [level, level - 1],
            )
    db.execute("DROP TABLE temp.facet_values")


def _count_facets(db: Database, named: dict[int, tuple[str, str]], top: int) -> None:
    """The level FACET_LEVEL rows of every grouping; `named` gives each value's number its
    facet and value."""
    import numpy as np

    members_sql = " UNION ALL ".join(
        f"SELECT ev, vid FROM ({sql})" for sql in FACET_MEMBERS.values()
    )
    found: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {g: [] for g in GROUPINGS}
    shown = {g: [lane for lane, _ in lanes(db, g)] for g in GROUPINGS}
    for first in range(1, top + 1, _FACET_CHUNK):
        bounds = [first, first + _FACET_CHUNK - 1]
        members = np.array(
            db.execute(members_sql, bounds * len(FACET_MEMBERS)).fetchall(), dtype=np.int64
        ).reshape(-1, 2)
        if len(members):
            for grouping in GROUPINGS:
                found[grouping].append(_pairs(db, grouping, shown[grouping], members, bounds))
    names_of = {g: [*shown[g], OTHER] for g in GROUPINGS}
    for grouping, parts in found.items():
        if not parts:
            continue
        keys = np.concatenate([k for k, _ in parts])
        counts = np.concatenate([c for _, c in parts])
        order = np.argsort(keys, kind="stable")
        keys, counts = keys[order], counts[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        keys, counts = keys[starts], np.add.reduceat(counts, starts)
        width = len(shown[grouping]) + 1
        vid_lane, bins = keys >> 40, (keys & (2**40 - 1)) - 2**39
        vids, lane_ids = vid_lane // width, vid_lane % width
        names = names_of[grouping]
        db.conn.executemany(
            "INSERT INTO overview_facets (facet, value, grouping, level, bin, lane, count)"
            f" VALUES (?, ?, ?, {FACET_LEVEL}, ?, ?, ?)",
            (
                (*named[v], grouping, bn, names[ln], c)
                for v, bn, ln, c in zip(
                    vids.tolist(), bins.tolist(), lane_ids.tolist(), counts.tolist(), strict=True
                )
            ),
        )


def _pairs(
    db: Database, grouping: str, shown: list[str], members: np.ndarray, bounds: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Each (event, value) pair of `members` meets each of the event's lanes: counts per
    (value, lane, bin) as encoded keys, for the events with rowids within `bounds`."""
    import numpy as np

    lane_no = {lane: i for i, lane in enumerate(shown)}
    other = lane_no.get(OTHER, len(shown))
    rows = db.execute(
        lane_sql(grouping, "ev.rowid BETWEEN ? AND ?", start=True, outer=True), bounds
    ).fetchall()
    ev = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    lane = np.fromiter(
        (lane_no.get(NO_LANE if r[1] is None else r[1], other) for r in rows),
        dtype=np.int64,
        count=len(rows),
    )
    day = np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows))
    order = np.argsort(ev, kind="stable")
    ev, lane, b = ev[order], lane[order], np.floor_divide(day[order], 4**FACET_LEVEL)
    lo = np.searchsorted(ev, members[:, 0], "left")
    n = np.searchsorted(ev, members[:, 0], "right") - lo
    at = np.repeat(lo, n) + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    vid = np.repeat(members[:, 1], n)
    key = ((vid * (len(shown) + 1) + lane[at]) << 40) + (b[at] + 2**39)
    keys, counts = np.unique(key, return_counts=True)
    return keys, counts


def facet_density(
    db: Database,
    facet: str,
    values: frozenset[str],
    grouping: str,
    day0: int,
    day1: int,
    max_bins: int,
    reach: tuple[int, int] | None = None,
) -> Density | None:
    """Counts per lane and bin of the events holding one of `values` of `facet`, exactly as
    model.viewport.filtered_density would count them, read from overview_facets; None when
    they are not precomputed (a value too rare, a view finer than FACET_LEVEL, or several
    values of a facet an event can hold more than one of). `reach`: as in `density`."""
    if not values or (len(values) > 1 and facet != "categories"):
        return None
    level, _merge = level_of(day0, day1, max_bins)  # bins of the level itself, unmerged
    if level < FACET_LEVEL:
        return None
    wanted = sorted(values)
    marks = ",".join("?" for _ in wanted)
    held = db.execute(
        f"""SELECT count(DISTINCT value) FROM overview_facets WHERE facet = ? AND value IN ({marks})
            AND grouping = 'category' AND level = {LEVELS - 1}""",
        [facet, *wanted],
    ).fetchone()[0]
    if held != len(wanted):
        return None
    size = 4**level
    lo, hi = reach or (day0, day1)
    first, last = lo // size, hi // size
    order = [lane for lane, _ in lanes(db, grouping)]
    index = {lane: i for i, lane in enumerate(order)}
    counts = [[0] * (last - first + 1) for _ in order]
    events = [0] * (last - first + 1)
    for group, lane, b, n in db.execute(
        f"""SELECT grouping, lane, bin, sum(count) FROM overview_facets
            WHERE facet = ? AND value IN ({marks}) AND grouping IN (?, 'category')
            AND level = ? AND bin BETWEEN ? AND ? GROUP BY 1, 2, 3""",
        [facet, *wanted, grouping, level, first, last],
    ):
        if group == "category":
            events[b - first] += int(n)
        if group == grouping:
            i = index.get(lane, index.get(OTHER, len(order) - 1))
            counts[i][b - first] += int(n)
    return Density(grouping, order, size, first, counts, None if grouping == "category" else events)
