"""Which events an export holds: those asked for, each once, in date order; the annotator's
own events come from their details (they live in the work file, not the project)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlite_utils import Database

from explorer.store import queries
from explorer.store.records import EventDetail


def selected_events(
    db: Database, event_ids: list[str] | None, own: Mapping[str, EventDetail] | None = None
) -> list[EventDetail]:
    """The events asked for (all the project's and every one in `own` when None), each
    once, in date order (t0, then id). `own` holds the annotator's own events, which live
    in the work file, by id. An unknown id raises NotFound."""
    own = own or {}
    ids: list[str]
    if event_ids is None:
        ids = [e.id for e in queries.list_events(db)] + list(own)
    else:
        ids = list(dict.fromkeys(event_ids))
    details = [own[i] if i in own else queries.get_event(db, i) for i in ids]
    return sorted(details, key=lambda d: (d.event.t0, d.event.id))
