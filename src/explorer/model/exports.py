"""Exporting what a researcher has: the one implementation the command line and the window
both call. Every export carries the annotator's own events (and, where the format holds
them, notes) unless asked not to; "the events shown" are those that pass the filters in
the time window being looked at."""

from __future__ import annotations

from pathlib import Path

from explorer.exchange.export import csv_names, export_csv, export_json
from explorer.model.own import own_event_detail
from explorer.model.viewport import Viewport
from explorer.model.workspace import Workspace
from explorer.store.errors import StoreError
from explorer.store.records import EventDetail

KINDS = ("json", "csv", "timelinejs", "html")
#: At most this many events go into a TimelineJS file or a report of "the events shown".
SHOWN_LIMIT = 100_000


def shown_event_ids(ws: Workspace, limit: int = SHOWN_LIMIT) -> list[str]:
    """The events the user is looking at: in the time window, passing the filters."""
    window = ws.window or ws.extent()
    if window is None:
        return []
    x0, x1 = window
    if ws.resident:
        shown = [e for e in ws.catalog.events if e.id in ws.visible and e.t1 > x0 and e.t0 < x1]
        return [e.id for e in shown[:limit]]
    viewport = Viewport(ws.session.store)
    return viewport.event_ids(x0, x1, ws.filters if ws.filters.active else None, ws.own, limit)


def would_replace(kind: str, out: Path) -> bool:
    """Whether exporting `kind` to `out` replaces a file that is there: for a CSV export,
    one of its own files in the folder (whatever else the folder holds is never touched)."""
    if kind == "csv":
        return out.is_dir() and any((out / name).exists() for name in csv_names())
    return out.exists()


def own_details(ws: Workspace, event_ids: list[str] | None = None) -> dict[str, EventDetail]:
    """The annotator's own events (those among `event_ids`, or all), as exports read them."""
    if ws.annotations is None:
        return {}
    wanted = None if event_ids is None else {i for i in event_ids if i.startswith("u-")}
    return {
        item.id: own_event_detail(item, ws.catalog)
        for item in ws.annotations.items("event")
        if item.problem is None and (wanted is None or item.id in wanted)
    }


def export_data(
    ws: Workspace,
    kind: str,
    out: Path,
    *,
    event_ids: list[str] | None = None,
    shown: bool = False,
    own: bool = True,
    lang: str | None = None,
    force: bool = False,
) -> int:
    """Write the project as `kind` (json and csv: every table, with notes and own items;
    timelinejs and html: the events `event_ids`, or those shown with `shown`, or all) to
    `out`. Returns how many rows or events were written."""
    if kind not in KINDS:
        raise StoreError(f"unknown export {kind!r}; use one of {', '.join(KINDS)}")
    db = ws.session.store.db
    work = ws.annotations.store.db if ws.annotations is not None and own else None
    if kind == "json":
        return export_json(db, out, force=force, work=work)
    if kind == "csv":
        return export_csv(db, out, force=force, work=work)
    ids = shown_event_ids(ws) if shown else event_ids
    mine = own_details(ws, ids) if own else {}
    if ids is not None and not own:
        ids = [i for i in ids if not i.startswith("u-")]
    language = lang or ws.lang
    # the page exports (and the readers they share with imports) load when first used:
    # imported with the window, they were 40-60 ms of every start
    if kind == "timelinejs":
        from explorer.exchange.export_timelinejs import export_timelinejs

        return export_timelinejs(db, out, event_ids=ids, lang=language, force=force, own=mine)
    chosen = (
        ids
        if ids is not None
        else [str(r[0]) for r in db.execute("SELECT id FROM events ORDER BY t0")] + list(mine)
    )
    notes = ws.annotations.notes_on_events(chosen) if ws.annotations is not None and own else {}
    from explorer.exchange.report_html import export_html_report

    return export_html_report(db, out, chosen, notes=notes, lang=language, force=force, own=mine)
