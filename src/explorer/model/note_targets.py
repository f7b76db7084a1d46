"""What a note is on, named for showing, and the notes a selected event or entity shows
(those on it, then those on its sources or figures)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.store.errors import StoreError
from explorer.store.notes import Note, Target
from explorer.store.records import Claim, EntityDetail, EventDetail

if TYPE_CHECKING:
    from explorer.model.workspace import Workspace


@dataclass(frozen=True)
class TargetInfo:
    """What a note is on, resolved for showing: `what` names it (a title, a name, a
    publisher, a figure); `orphaned` when this project does not have it."""

    kind: str
    what: str | None
    orphaned: bool = False
    problem: str | None = None
    claim: Claim | None = None


def resolve_target(ws: Workspace, target: Target) -> TargetInfo:
    """What a note is on, named for showing."""
    if target.problem is not None:
        return TargetInfo(target.kind, None, problem=target.problem)
    if target.kind == "range":
        return TargetInfo("range", f"{target.start} – {target.end}")
    ident, cat, lang = str(target.id), ws.catalog, ws.lang
    if target.kind == "event":
        ev = next((e for e in cat.events if e.id == ident), None)
        if ev is None and not ws.resident:
            try:
                ev = ws.session.event(ident).event
            except StoreError:
                ev = None
        return TargetInfo("event", cat.event_title(ev, lang) if ev else None, ev is None)
    if target.kind == "entity":
        info = cat.entities.get(ident)
        if info is None and not ws.resident:
            info = ws.session.some_entities([ident]).entities.get(ident)
        return TargetInfo("entity", info.display_name(lang) if info else None, info is None)
    if target.kind == "source":
        src = cat.sources.get(ident)
        return TargetInfo("source", (src.publisher or src.title) if src else None, src is None)
    try:
        claim = ws.session.claim(ident)
    except StoreError:
        return TargetInfo("claim", None, True)
    label = claim.metric_label if lang == "ko" else claim.metric_label_en
    return TargetInfo("claim", f"{label}: {claim.value_text}", claim=claim)


def event_notes(ws: Workspace, detail: EventDetail) -> tuple[list[Note], dict[str, str]] | None:
    """The notes on an event, then those on each of its sources, with the source each
    of the latter is on (None: notes are unavailable)."""
    if ws.annotations is None:
        return None
    found = ws.notes(Target("event", detail.event.id))
    about: dict[str, str] = {}
    for e in detail.evidence:
        for n in ws.notes(Target("source", e.source.id)):
            if n.id not in about:
                about[n.id] = e.source.publisher or e.source.title
                found.append(n)
    return found, about


def entity_notes(ws: Workspace, detail: EntityDetail) -> tuple[list[Note], dict[str, str]] | None:
    """The notes on an entity, then those on each of its figures, with the figure each
    of the latter is on."""
    if ws.annotations is None:
        return None
    found = ws.notes(Target("entity", detail.entity.id))
    about: dict[str, str] = {}
    for c in detail.claims:
        for n in ws.notes(Target("claim", c.id)):
            label = c.metric_label if ws.lang == "ko" else c.metric_label_en
            about[n.id] = f"{label} {c.value_text}"
            found.append(n)
    return found, about
