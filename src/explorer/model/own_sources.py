"""A source's detail, the annotator's own events citing it included (an own source is
cited by own events only)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from explorer.store.errors import NotFound
from explorer.store.records import Cited, Event, SourceDetail
from explorer.store.source_detail import get_source_detail

if TYPE_CHECKING:
    from explorer.model.workspace import Workspace


def _own_citing(ws: Workspace, source_id: str) -> list[Cited]:
    """The annotator's own events that cite the source, with their quotes."""
    if ws.annotations is None:
        return []
    by_id: dict[str, Event] = {e.id: e for e in ws.catalog.events if e.origin == "own"}
    found = []
    for item in ws.annotations.items("event"):
        if item.id not in by_id:
            continue  # hidden layer, or a bad item
        for ref in item.data.get("sources", []):
            if ref.get("source") == source_id:
                found.append(Cited(by_id[item.id], str(ref.get("quote") or "")))
    return found


def source_detail(ws: Workspace, source_id: str) -> SourceDetail:
    mine = _own_citing(ws, source_id)
    if source_id.startswith("u-"):
        source = ws.catalog.sources.get(source_id)
        if source is None:
            raise NotFound(f"no source with id {source_id!r}")
        return SourceDetail(source, mine, len(mine), [], [], [], [])
    detail = get_source_detail(ws.session.store.db, source_id)
    if not mine:
        return detail
    events = sorted([*detail.events, *mine], key=lambda c: (c.event.t0, c.event.id))
    return replace(detail, events=events, event_total=detail.event_total + len(mine))
