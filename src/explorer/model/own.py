"""The annotator's own events, entities and sources, shown beside the curated ones and
marked as theirs (origin "own"); curated rows are never changed."""

from __future__ import annotations

from dataclasses import replace

from explorer.model.catalog import Catalog, EntityInfo
from explorer.store import dates
from explorer.store.ids import EntityId, EventId, SourceId
from explorer.store.records import (
    Alias,
    Entity,
    EntityDetail,
    EntityEvent,
    Event,
    EventDetail,
    Evidence,
    Participant,
    Source,
)
from explorer.store.user_items import Item


def own_event(item: Item) -> Event:
    d = item.data
    b = dates.bounds(d["start"], d.get("end"), d["precision"])
    return Event(
        EventId(item.id),
        d["title"],
        d.get("title_en"),
        d.get("summary"),
        d["category"],
        d["start"],
        d.get("end"),
        b.earliest,
        b.latest,
        d["precision"],
        d["qualifier"],
        d.get("date_text"),
        d.get("date_note"),
        b.t0,
        b.t1,
        "own",
    )


def own_entity(item: Item) -> Entity:
    d = item.data
    return Entity(EntityId(item.id), d["kind"], d["name"], d.get("description"), "own")


def own_source(item: Item) -> Source:
    d = item.data
    return Source(
        SourceId(item.id),
        d["title"],
        d.get("publisher"),
        d.get("author"),
        d.get("published"),
        d.get("url"),
        d.get("language") or "ko",
        None,
        None,
        "own",
    )


def with_own(catalog: Catalog, items: list[Item]) -> Catalog:
    """A copy of `catalog` with the annotator's items added. Links to entities or sources
    that exist nowhere are dropped from the view (the item keeps them)."""
    out = replace(
        catalog,
        events=list(catalog.events),
        entities=dict(catalog.entities),
        sources=dict(catalog.sources),
        event_entities={k: list(v) for k, v in catalog.event_entities.items()},
        event_sources={k: list(v) for k, v in catalog.event_sources.items()},
        entity_events={k: set(v) for k, v in catalog.entity_events.items()},
    )
    items = [i for i in items if i.problem is None]  # a bad stored item is left out
    for item in items:
        if item.kind == "entity":
            names: dict[str, list[str]] = {"ko": [item.data["name"]]}
            for a in item.data.get("aliases", []):
                names.setdefault(a["lang"], []).append(a["alias"])
            out.entities[item.id] = EntityInfo(own_entity(item), 0, names)
        elif item.kind == "source":
            out.sources[item.id] = own_source(item)
    for item in items:
        if item.kind != "event":
            continue
        out.events.append(own_event(item))
        for link in item.data.get("entities", []):
            if link["entity"] in out.entities:
                out.event_entities.setdefault(item.id, []).append((link["entity"], link["role"]))
                out.entity_events.setdefault(link["entity"], set()).add(item.id)
        for ref in item.data.get("sources", []):
            if ref["source"] in out.sources:
                out.event_sources.setdefault(item.id, []).append(ref["source"])
    out.events.sort(key=lambda e: (e.t0, e.t1, e.id))
    for ent_id, info in list(out.entities.items()):
        count = len(out.entity_events.get(ent_id, ()))
        if count != info.event_count:
            out.entities[ent_id] = replace(info, event_count=count)
    return out


def own_event_detail(item: Item, catalog: Catalog) -> EventDetail:
    parts = []
    for link in item.data.get("entities", []):
        info = catalog.entities.get(link["entity"])
        if info is not None:
            parts.append(
                Participant(
                    EntityId(link["entity"]), info.entity.name, info.entity.kind, link["role"]
                )
            )
    evidence = []
    for ref in item.data.get("sources", []):
        src = catalog.sources.get(ref["source"])
        if src is not None:
            evidence.append(Evidence(src, ref.get("quote") or ""))
    return EventDetail(own_event(item), parts, evidence)


def own_entity_detail(item: Item, catalog: Catalog) -> EntityDetail:
    aliases = [Alias(item.data["name"], "ko", True)]
    aliases += [Alias(a["alias"], a["lang"], False) for a in item.data.get("aliases", [])]
    events = [
        EntityEvent(
            e, ", ".join(r for ent, r in catalog.event_entities.get(e.id, []) if ent == item.id)
        )
        for e in catalog.events
        if e.id in catalog.entity_events.get(item.id, set())
    ]
    return EntityDetail(own_entity(item), aliases, events, [], [])


def add_own_events(detail: EntityDetail, catalog: Catalog) -> EntityDetail:
    """A curated entity's detail, with the annotator's own events that link it added."""
    known = {ee.event.id for ee in detail.events}
    extra = [
        EntityEvent(
            e,
            ", ".join(
                r for ent, r in catalog.event_entities.get(e.id, []) if ent == detail.entity.id
            ),
        )
        for e in catalog.events
        if e.origin == "own"
        and e.id in catalog.entity_events.get(detail.entity.id, set())
        and e.id not in known
    ]
    if not extra:
        return detail
    events = sorted([*detail.events, *extra], key=lambda ee: (ee.event.t0, ee.event.id))
    return replace(detail, events=events)
