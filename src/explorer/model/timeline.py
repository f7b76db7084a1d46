"""What the timeline draws: one row per (event, lane), as numpy arrays in epoch seconds.

An event dated at month precision covers its whole month (earliest..latest); the drawing layer
decides how to show that uncertainty, this module only says what is known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from explorer.model.catalog import Catalog
from explorer.store import dates
from explorer.store.records import Event

GROUPINGS = ("category", "place", "entity_kind", "source")
#: How the drawing treats a precision: 0 is a known day or instant, 1 a month, 2 a year.
PRECISIONS = {"second": 0, "minute": 0, "hour": 0, "day": 0, "month": 1, "year": 2}
QUALIFIERS = {"exact": 0, "circa": 1, "before": 2, "after": 3}
DAY = 86400.0
NO_LANE = ""  # key of the lane for events with nothing to group by


def epoch_seconds(day: str) -> float:
    """Seconds from 1970-01-01 UTC to the start of an ISO day (any year)."""
    return dates.period_bounds(day).t0


def iso_day(seconds: float) -> str:
    return dates.day_of_seconds(seconds)


def _ymd(seconds: float) -> tuple[int, int, int]:
    return dates.civil_from_days(int(seconds // DAY))


def period_caption(x0: float, x1: float) -> str:
    """The period a view shows, as briefly as is exact: '2024-08-19', '2024-08', '2024',
    '2019-07-01 – 2019-07-05', '2015 – 2026', '4.6 billion BCE – 315000 BCE'. Ticks alone
    lose the year when zoomed in."""
    (ya, ma, _), (yb, mb, _) = _ymd(x0), _ymd(max(x0, x1 - 1))
    if not (1 <= ya <= 9999 and 1 <= yb <= 9999):
        a, b = dates.year_label(ya), dates.year_label(yb)
        return a if a == b else f"{a} – {b}"
    a, b = iso_day(x0), iso_day(max(x0, x1 - 1))
    if a == b:
        return a
    if (ya, ma) == (yb, mb):
        return f"{a} – {b}" if x1 - x0 < 20 * DAY else a[:7]
    if ya == yb:
        return f"{a[:7]} – {b[:7]}" if x1 - x0 < 200 * DAY else a[:4]
    return f"{a[:7]} – {b[:7]}" if x1 - x0 < 3 * 365 * DAY else f"{ya} – {yb}"


@dataclass(frozen=True)
class Lane:
    key: str  # a category, entity id, entity kind or source id ('' for none)
    grouping: str


@dataclass
class TimelineRows:
    """Rows sorted by start; `event` indexes Catalog.events."""

    lanes: list[Lane]
    event: npt.NDArray[np.int32]
    lane: npt.NDArray[np.int32]
    x0: npt.NDArray[np.float64]  # start of the earliest possible instant (Event.t0)
    x1: npt.NDArray[np.float64]  # end of the latest possible instant (Event.t1)
    precision: npt.NDArray[np.int8]
    qualifier: npt.NDArray[np.int8]
    span: npt.NDArray[np.bool_]  # a stated start-end range, not an uncertain date
    #: an open-ended span's last vouched-for instant (Event.last_vouched_t1), NaN for none
    vouched: npt.NDArray[np.float64] | None = None
    undated: npt.NDArray[np.bool_] | None = None  # the source gives no date, only a bound

    def __len__(self) -> int:
        return int(self.event.size)

    def same_as(self, other: TimelineRows) -> bool:
        """Whether `other` draws exactly these rows (a view moved by a few pixels usually
        holds the same events: what was planned for them still holds)."""
        if self.lanes != other.lanes or len(self) != len(other):
            return False
        names = ("event", "lane", "x0", "x1", "precision", "qualifier", "span")
        if not all(np.array_equal(getattr(self, n), getattr(other, n)) for n in names):
            return False
        for name in ("vouched", "undated"):
            a, b = getattr(self, name), getattr(other, name)
            if (a is None) != (b is None) or (a is not None and not np.array_equal(a, b, True)):
                return False
        return True

    def extent(self) -> tuple[float, float] | None:
        if not len(self):
            return None
        return float(self.x0.min()), float(self.x1.max())


def _lane_keys(catalog: Catalog, event: Event, grouping: str) -> list[str]:
    event_id = event.id
    if grouping == "category":
        return [event.category]
    if grouping == "place":
        places = catalog.places_of(event_id)
        return places[:1] or [NO_LANE]
    if grouping == "entity_kind":
        return sorted(catalog.kinds_of(event_id)) or [NO_LANE]
    if grouping == "source":
        return catalog.event_sources.get(event_id) or [NO_LANE]
    raise ValueError(f"unknown grouping {grouping!r}; use one of {', '.join(GROUPINGS)}")


def build_rows(catalog: Catalog, grouping: str, visible: set[str] | None = None) -> TimelineRows:
    """Rows for the events in `visible` (all when None), one per lane an event belongs to.

    Lanes are ordered by how many events they hold (most first), the empty lane last.
    """
    members: dict[str, list[int]] = {}
    for i, ev in enumerate(catalog.events):
        if visible is not None and ev.id not in visible:
            continue
        for key in _lane_keys(catalog, ev, grouping):
            members.setdefault(key, []).append(i)
    order = sorted(members, key=lambda k: (k == NO_LANE, -len(members[k]), k))
    lanes = [Lane(k, grouping) for k in order]
    ev_idx: list[int] = []
    lane_idx: list[int] = []
    for li, key in enumerate(order):
        ev_idx.extend(members[key])
        lane_idx.extend([li] * len(members[key]))
    events = [catalog.events[i] for i in ev_idx]
    x0 = np.array([e.t0 for e in events], dtype=np.float64)
    x1 = np.array([e.t1 for e in events], dtype=np.float64)
    order_by_start = np.argsort(x0, kind="stable")
    return TimelineRows(
        lanes=lanes,
        event=np.array(ev_idx, dtype=np.int32)[order_by_start],
        lane=np.array(lane_idx, dtype=np.int32)[order_by_start],
        x0=x0[order_by_start],
        x1=x1[order_by_start],
        precision=np.array([PRECISIONS[e.precision] for e in events], dtype=np.int8)[
            order_by_start
        ],
        qualifier=np.array([QUALIFIERS[e.qualifier] for e in events], dtype=np.int8)[
            order_by_start
        ],
        span=np.array([e.end is not None for e in events], dtype=np.bool_)[order_by_start],
        vouched=vouched_of(events)[order_by_start],
        undated=np.array([e.undated for e in events], dtype=np.bool_)[order_by_start],
    )


def vouched_of(events: list[Event]) -> npt.NDArray[np.float64]:
    """Each event's last vouched-for instant, NaN where its span's end is its end."""
    return np.array(
        [np.nan if e.last_vouched_t1 is None else e.last_vouched_t1 for e in events],
        dtype=np.float64,
    )
