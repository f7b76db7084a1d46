"""The annotator's own events in a large project's views. They live in the work file, not
in the project, so the overview pyramid does not count them: the viewport adds them to each
view it computes (to the counts in density mode, to the events in detail mode), after
applying the same filters and lane rules as the project's events. Qt-free."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from explorer.model.filters import Filters
from explorer.model.filters import passes as filters_passes
from explorer.model.own import own_event
from explorer.store import overview
from explorer.store.records import Event
from explorer.store.user_items import Item

#: Roles that put an event in a place's lane (as in the project's overview).
PLACE_ROLES = ("venue", "location")


@dataclass(frozen=True)
class OwnMark:
    """An own event with what the views need: links as (entity, role, kind or None when the
    entity is in the project and its kind must be looked up there), sources, and where its
    own linked places are, as (entity, latitude, longitude), when a layer gave them
    coordinates (a TimelineJS location, an iCalendar GEO)."""

    event: Event
    links: tuple[tuple[str, str, str | None], ...]
    sources: tuple[str, ...]
    where: tuple[tuple[str, float, float], ...] = ()


def _coordinates(data: dict[str, object]) -> tuple[float, float] | None:
    lat, lon = data.get("lat"), data.get("lon")
    if not (isinstance(lat, (int, float)) and isinstance(lon, (int, float))):
        return None
    return (float(lat), float(lon)) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def own_marks(items: Iterable[Item]) -> tuple[OwnMark, ...]:
    """Marks for the annotator's own events, with the kinds of their own entities."""
    items = [i for i in items if i.problem is None]  # a bad stored item is left out
    own_kinds = {i.id: str(i.data["kind"]) for i in items if i.kind == "entity" and not i.deleted}
    located = {
        i.id: at
        for i in items
        if i.kind == "entity" and not i.deleted and (at := _coordinates(i.data)) is not None
    }
    marks = []
    for item in items:
        if item.kind != "event" or item.deleted:
            continue
        links = tuple(
            (str(link["entity"]), str(link.get("role") or ""), own_kinds.get(link["entity"]))
            for link in item.data.get("entities", [])
        )
        sources = tuple(str(ref["source"]) for ref in item.data.get("sources", []))
        where = tuple((e, *located[e]) for e, _, _ in links if e in located)
        marks.append(OwnMark(own_event(item), links, sources, where))
    return tuple(marks)


def resolve(
    marks: tuple[OwnMark, ...], kinds_in_project: Callable[[list[str]], dict[str, str]]
) -> tuple[OwnMark, ...]:
    """Marks with every link's kind filled in; links to entities that exist nowhere (say,
    deleted since) are dropped, as they are from the small-project views."""
    unknown = sorted({e for m in marks for e, _, kind in m.links if kind is None})
    kinds = kinds_in_project(unknown) if unknown else {}
    out = []
    for m in marks:
        links = tuple(
            (e, role, kind or kinds[e]) for e, role, kind in m.links if kind or e in kinds
        )
        out.append(OwnMark(m.event, links, m.sources, m.where))
    return tuple(out)


def passes(mark: OwnMark, filters: Filters | None) -> bool:
    """The project's filters applied to one own event."""
    if filters is None or not filters.active:
        return True
    return filters_passes(
        filters,
        mark.event,
        {e for e, _, _ in mark.links},
        {k for _, _, k in mark.links if k},
        set(mark.sources),
    )


def lanes_of(mark: OwnMark, grouping: str) -> list[str]:
    """The mark's lanes in a grouping (overview.lane_sql's rules), NO_LANE if none."""
    if grouping == "category":
        found = [mark.event.category]
    elif grouping == "entity_kind":
        found = sorted({k for _, _, k in mark.links if k})
    elif grouping == "source":
        found = list(dict.fromkeys(mark.sources))
    elif grouping == "place":
        places = [
            (role != "venue", i, e)
            for i, (e, role, kind) in enumerate(mark.links)
            if kind == "place" and role in PLACE_ROLES
        ]
        found = [min(places)[2]] if places else []
    else:
        raise ValueError(f"unknown grouping {grouping!r}")
    return found or [overview.NO_LANE]


def lane_index(lanes: list[str], lane: str) -> int:
    """Where a mark's lane is drawn among `lanes`, adding NO_LANE or OTHER if needed: a lane
    the project does not show (an own place, a source beyond the largest) is OTHER."""
    if lane in lanes:
        return lanes.index(lane)
    shown = overview.NO_LANE if lane == overview.NO_LANE else overview.OTHER
    if shown not in lanes:
        lanes.append(shown)
    return lanes.index(shown)


def add_to_density(density: overview.Density, marks: tuple[OwnMark, ...]) -> None:
    """Count the marks whose earliest day falls in the density's bins (in place)."""
    size, first = density.bin_days, density.first_bin
    width = len(density.counts[0]) if density.counts else 0
    for mark in marks:
        b = int(mark.event.t0 // 86400) // size - first
        if not 0 <= b < width:
            continue
        if density.bin_events is not None:
            density.bin_events[b] += 1
        for lane in lanes_of(mark, density.grouping):
            i = lane_index(density.lanes, lane)
            while len(density.counts) < len(density.lanes):
                density.counts.append([0] * width)
            density.counts[i][b] += 1
