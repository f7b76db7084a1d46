"""Layers: another tool's file brought into an open project as events of one's own.

The curated data stays read-only; the file's events become the annotator's own items (in
the work file), each marked with the layer it came from, shown beside the curated ones,
exported and exchanged like any other own item. A layer is added, hidden, shown and removed
as one step (adding and removing are undone as one step too). A file too large for a layer
is refused with the advice to make a project of it instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.exchange.imports import Batch, SeriesBound
from explorer.exchange.imports.apply import ImportRefused
from explorer.exchange.imports.report import ImportReport
from explorer.exchange.imports.text_input import Progress
from explorer.model.changes import Changes
from explorer.model.importing import preview
from explorer.model.workspace import Workspace
from explorer.store.errors import StoreError
from explorer.store.user_items import new_item_id

#: A layer holds at most this many events; a larger file is better as a project of its own.
MAX_EVENTS = 50_000


@dataclass(frozen=True)
class Layer:
    id: str
    name: str
    events: int
    hidden: bool


@dataclass
class LayerReport:
    layer: Layer
    report: ImportReport
    places: int = 0
    left_out: list[str] = field(default_factory=list)  # what a layer does not keep, said

    def text(self) -> str:
        lines = [
            f"{self.report.path}: {self.layer.events} event(s) added as the layer "
            f"“{self.layer.name}”, {self.places} place(s)",
        ]
        lines += [f"note: {w}" for w in [*self.report.warnings, *self.left_out]]
        return "\n".join(lines)


def layers(ws: Workspace) -> list[Layer]:
    """The layers of the project's own events, by name."""
    if ws.annotations is None:
        return []
    found: dict[str, list[Any]] = {}
    for item in ws.annotations.items():
        ident = item.data.get("layer")
        if isinstance(ident, str) and item.problem is None:
            entry = found.setdefault(ident, [item.data.get("layer_name") or ident, 0])
            entry[1] += item.kind == "event"
    return sorted(
        (Layer(i, str(n), c, i in ws.hidden_layers) for i, (n, c) in found.items()),
        key=lambda lay: lay.name,
    )


def set_hidden(ws: Workspace, layer_id: str, hidden: bool) -> None:
    """Hide or show a layer in every view (remembered with the project's view)."""
    before = set(ws.hidden_layers)
    if hidden:
        ws.hidden_layers.add(layer_id)
    else:
        ws.hidden_layers.discard(layer_id)
    if ws.hidden_layers != before:
        ws.refresh_own(Changes(catalog=True, filters=True))


def remove(ws: Workspace, layer_id: str) -> int:
    """Delete a layer's items (as one undoable step); returns how many."""
    if ws.annotations is None:
        return 0
    ids = [i.id for i in ws.annotations.items() if i.data.get("layer") == layer_id]
    ws.writable_annotations().delete_items(ids)
    ws.hidden_layers.discard(layer_id)
    return len(ids)


def read(
    source: Path,
    *,
    fmt: str = "auto",
    zone: str = "UTC",
    series: SeriesBound | None = None,
    progress: Progress | None = None,
) -> Batch:
    """Read a file whole for a layer (writes nothing; may run on a worker thread)."""
    batch = preview(source, fmt, zone, progress, keep=MAX_EVENTS + 1, series=series)
    if batch.count("events") > MAX_EVENTS:
        raise StoreError(
            f"{source.name} holds {batch.count('events'):,} events; a layer holds at most "
            f"{MAX_EVENTS:,}: import it as a project of its own instead"
        )
    return batch


def add_batch(ws: Workspace, batch: Batch, source: Path, *, skip_bad: bool = False) -> LayerReport:
    """Add what `read` read as a layer of the project's own events, as one step. Rejected
    items refuse the whole file unless `skip_bad` (as an import does)."""
    annotations = ws.writable_annotations()
    report = ImportReport(str(source), batch.format, batch.title, batch.seen)
    report.rejected, report.warnings = list(batch.rejected), list(batch.warnings)
    if batch.rejected and not skip_bad:
        raise ImportRefused(
            f"{len(batch.rejected)} of the items cannot be imported, so nothing was added "
            "(add it with skip-bad to leave them out)",
            report,
        )
    if not batch.count("events"):
        raise StoreError(f"{source.name} holds no events to add")
    layer_id = "layer-" + uuid.uuid4().hex[:12]
    name = batch.title or source.stem
    entries, places, left_out = _entries(batch, layer_id, name, source)
    made = annotations.add_items(entries)
    events = sum(1 for i in made if i.kind == "event")
    report.written = True
    report.added = {"events": events}
    return LayerReport(Layer(layer_id, name, events, False), report, places, left_out)


def add_file(
    ws: Workspace,
    source: Path,
    *,
    fmt: str = "auto",
    zone: str = "UTC",
    skip_bad: bool = False,
    series: SeriesBound | None = None,
    progress: Progress | None = None,
) -> LayerReport:
    """Read `source` and add its events to the project as a layer of one's own."""
    batch = read(source, fmt=fmt, zone=zone, series=series, progress=progress)
    return add_batch(ws, batch, source, skip_bad=skip_bad)


def _entries(
    batch: Batch, layer_id: str, name: str, source: Path
) -> tuple[list[tuple[str, str, dict[str, Any]]], int, list[str]]:
    """The batch's rows as own items of the layer, (id, kind, fields) each: one source (the
    file), its places (with their coordinates), its events linked to both."""
    mark = {"layer": layer_id, "layer_name": name}
    rows = batch.rows
    source_id = new_item_id()
    first = rows["sources"][0] if rows["sources"] else {}
    entries: list[tuple[str, str, dict[str, Any]]] = [
        (
            source_id,
            "source",
            {
                "title": str(first.get("title") or name)[:500],
                "url": first.get("url"),
                "publisher": f"{source.name} ({batch.format})",
                **mark,
            },
        )
    ]
    located = {r["entity_id"]: r for r in rows["locations"]}
    entity_ids: dict[str, str] = {}
    for ent in rows["entities"]:
        entity_ids[ent["id"]] = new_item_id()
        data: dict[str, Any] = {"kind": ent["kind"], "name": ent["name"], **mark}
        where = located.get(ent["id"])
        if where is not None:
            data["lat"], data["lon"] = where["lat"], where["lon"]
        entries.append((entity_ids[ent["id"]], "entity", data))
    links: dict[str, list[dict[str, str]]] = {}
    for link in rows["event_entities"]:
        if link["entity_id"] in entity_ids:
            links.setdefault(link["event_id"], []).append(
                {"entity": entity_ids[link["entity_id"]], "role": link["role"]}
            )
    quotes = {r["event_id"]: r["quote"] for r in rows["event_sources"]}
    fields = ("title", "title_en", "summary", "category", "start", "end", "precision",
              "qualifier", "date_text", "date_note")  # fmt: skip
    for ev in rows["events"]:
        data = {key: ev.get(key) for key in fields}
        data["entities"] = links.get(ev["id"], [])
        data["sources"] = [{"source": source_id, "quote": quotes.get(ev["id"], "")}]
        entries.append((new_item_id(), "event", {**data, **mark}))
    left_out = []
    if batch.count("periods"):
        left_out.append(f"{batch.count('periods')} era(s) are not kept in a layer")
    return entries, len(rows["entities"]), left_out
