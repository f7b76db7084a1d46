"""The events the worker has read, kept for the next view.

A view of a large project in detail holds thousands of events (every event dated by its
year overlaps a view of a few days), and reading them with their lanes took most of a
step: 200-400 ms at a million events, for a pan that moved the view by a few pixels and
held the same events. The events read are kept here (up to `MOST`) with their lanes, and
only those not held yet are read. What is held is dropped when another connection has
written to the project (SQLite's data_version, and the connection's own count of
changes), so a view never shows an event as it was.
"""

from __future__ import annotations

from collections import OrderedDict

from sqlite_utils import Database

from explorer.store import overview, queries
from explorer.store.records import Event

#: Events held at most (about a kilobyte each): a few views' worth.
MOST = 30_000


class EventCache:
    def __init__(self, most: int = MOST) -> None:
        self.most = most
        self._events: OrderedDict[int, Event | None] = OrderedDict()  # None: not valid
        self._lanes: dict[int, list[str]] = {}
        self._grouping = ""
        self._version: object = None
        self.read = 0  # events read from the file (the rest were held)

    def events(
        self, db: Database, rowids: list[int], grouping: str, limit: int
    ) -> list[tuple[int, Event, list[str]]]:
        """The valid events among `rowids` with their lanes in `grouping` (none: an empty
        list), the first `limit` by date (then rowid)."""
        if self._state(db) != self._version:
            self._events.clear()
            self._lanes.clear()
        if grouping != self._grouping:
            self._grouping = grouping
            self._lanes.clear()
        held = self._events
        missing = [r for r in rowids if r not in held]
        if missing:
            found = dict(queries.events_by_rowid(db, missing, len(missing)))
            self.read += len(found)
            for r in missing:
                held[r] = found.get(r)
        lanes = self._lanes
        no_lanes = [r for r in rowids if r not in lanes and held[r] is not None]
        if no_lanes:
            for r in no_lanes:
                lanes[r] = []
            marks = ",".join("?" for _ in no_lanes)
            for ev, lane in db.execute(
                overview.lane_sql(grouping, f"ev.rowid IN ({marks})"), no_lanes
            ):
                lanes[ev].append(lane)
        out = []
        for r in rowids:
            event = held[r]
            held.move_to_end(r)
            if event is not None:
                out.append((r, event, lanes[r]))
        self._version = self._state(db)  # after the reads (they write a temporary table)
        out.sort(key=lambda item: (item[1].t0, item[0]))
        while len(held) > self.most:
            gone, _ = held.popitem(last=False)
            lanes.pop(gone, None)
        return out[:limit]

    @staticmethod
    def _state(db: Database) -> tuple[int, int]:
        """What changes when the project is written: another connection's commits move
        data_version; this connection's own, its count of changes."""
        return db.execute("PRAGMA data_version").fetchone()[0], db.conn.total_changes
