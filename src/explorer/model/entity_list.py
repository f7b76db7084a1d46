"""The entity list of an open project: kinds, the annotator's own entities, and pages of
each kind's entities with their counts, for a project of any size (from its catalog when it
is held in memory, a page at a time from the store otherwise); and the categories the
filters offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from explorer.model.workspace import Workspace
from explorer.store import overview
from explorer.store.schema import CATEGORIES, ENTITY_KINDS


@dataclass(frozen=True)
class EntityRow:
    """One line of the entity list."""

    id: str
    kind: str
    name: str
    other_name: str | None  # the name in the other interface language, when it differs
    count: int  # events that pass the filters (resident projects) or all its events
    own: bool


def kinds(ws: Workspace) -> list[tuple[str, int]]:
    """The project's entity kinds with how many entities each has, in list order."""
    if not ws.resident:
        return ws.session.kind_counts()
    counts: dict[str, int] = {}
    for info in ws.catalog.entities.values():
        if info.entity.origin != "own":
            counts[info.entity.kind] = counts.get(info.entity.kind, 0) + 1
    return [(k, counts[k]) for k in ENTITY_KINDS if counts.get(k)]


def own(ws: Workspace, needle: str = "") -> list[EntityRow]:
    """The annotator's own entities whose names contain `needle`, by name."""
    folded = needle.strip().casefold()
    rows = [
        _row(ws, i, len(ws.catalog.entity_events.get(i.entity.id, ())))
        for i in ws.catalog.entities.values()
        if i.entity.origin == "own" and (not folded or i.matches(folded))
    ]
    return sorted(rows, key=lambda r: r.name)


def _row(ws: Workspace, info: Any, count: int) -> EntityRow:
    name = info.display_name(ws.lang)
    other = info.display_name("en" if ws.lang == "ko" else "ko")
    shown = None if other == name else other
    mine = info.entity.origin == "own"
    return EntityRow(info.entity.id, info.entity.kind, name, shown, count, mine)


def page(ws: Workspace, kind: str, needle: str, limit: int, offset: int) -> list[EntityRow]:
    """The project's entities of one kind, most events first, whose names in any
    language contain `needle`; counts are of the events that pass the filters where the
    project is held in memory, of all its events otherwise."""
    if not ws.resident:
        return [
            EntityRow(ident, kind, name, None, count, False)
            for ident, name, count in ws.session.top_entities(kind, needle.strip(), limit, offset)
        ]
    folded = needle.strip().casefold()
    visible = ws.visible
    counted = [
        (len(ws.catalog.entity_events.get(i.entity.id, set()) & visible), i)
        for i in ws.catalog.entities.values()
        if i.entity.kind == kind and i.entity.origin != "own"
        if not folded or i.matches(folded)
    ]
    counted.sort(key=lambda c: (-c[0], c[1].display_name(ws.lang)))
    return [_row(ws, i, n) for n, i in counted[offset : offset + limit]]


def categories(ws: Workspace) -> list[str]:
    """The categories events of the project have (every known one when it is not held
    in memory and has not said), for the filters."""
    found = set(ws.catalog.categories())
    if not ws.resident:
        found |= {lane for lane, _ in overview.lanes(ws.session.store.db, "category")}
        found.discard(overview.NO_LANE)
        found.discard(overview.OTHER)
    return sorted(found) or list(CATEGORIES)
