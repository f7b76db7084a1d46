"""What the linked views ask of the workspace: their requests (the time window, the filters,
the annotator's own events, what is selected), the events a source is cited by, and the
period a view shows in words. Qt-free: the views' tests drive it headless."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from explorer.model import window as tw
from explorer.model.views_engine import ViewsRequest
from explorer.store import dates

if TYPE_CHECKING:
    from explorer.model.workspace import Workspace

#: A source's events highlighted at most (a large project's source may have many more).
SOURCE_EVENTS = 20_000


def source_events(ws: Workspace, source_id: str, limit: int = SOURCE_EVENTS) -> list[str]:
    """The events that cite a source (the project's and the annotator's own)."""
    found: list[str] = [m.event.id for m in ws.own if source_id in m.sources]
    if ws.resident:
        found += [str(e) for e, srcs in ws.catalog.event_sources.items() if source_id in srcs]
    else:
        rows = ws.session.store.db.execute(
            "SELECT DISTINCT event_id FROM event_sources WHERE source_id = ? LIMIT ?",
            [source_id, limit],
        )
        found += [str(r[0]) for r in rows]
    return found[:limit]


def window_of(ws: Workspace) -> tw.Window | None:
    """The time window the views follow: the timeline's, or the whole project."""
    return ws.window or tw.fitted(ws.extent())


def request(ws: Workspace, view: str, generation: int, **extra: Any) -> ViewsRequest | None:
    """A view's request for what the workspace shows now (None: the project is empty)."""
    window = window_of(ws)
    if window is None:
        return None
    filters = ws.filters if ws.filters.active else None
    return ViewsRequest(
        generation, view, window[0], window[1], filters, ws.own, lang=ws.lang, **extra
    )


def focus(ws: Workspace) -> tuple[str, ...]:
    """The entities whose lifelines to show: the selected entity (with whom it appears),
    the selected event's entities, or none (the most active of the window)."""
    if ws.selected_entity:
        return (ws.selected_entity,)
    if ws.event_detail is not None:
        return tuple(dict.fromkeys(p.entity_id for p in ws.event_detail.participants))
    return ()


def period_text(x0: float, x1: float) -> str:
    """The days [x0, x1) covers, for summaries: "2019-07-01 to 2019-07-05"."""
    first = dates.day_of_seconds(x0)
    last = dates.day_of_seconds(max(x0, x1 - 1))
    return first if first == last else f"{first} – {last}"
