"""Everything the window shows at once, loaded in one go: events with their links, entities
with all their names, sources. (The bundled dataset is small; large projects will page this
in by viewport.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from explorer.store.records import Entity, Event, Source

#: Roles that make an entity of kind 'place' the place of an event.
PLACE_ROLES = frozenset({"venue", "location"})


@dataclass(frozen=True)
class EntityInfo:
    entity: Entity
    event_count: int
    names: dict[str, list[str]]  # lang -> names, primary first

    def display_name(self, lang: str) -> str:
        names = self.names.get(lang)
        return names[0] if names else self.entity.name

    def matches(self, needle: str) -> bool:
        """Whether `needle` (already case-folded) occurs in any name in any language."""
        if needle in self.entity.name.casefold():
            return True
        return any(needle in n.casefold() for ns in self.names.values() for n in ns)


@dataclass
class Catalog:
    events: list[Event]
    entities: dict[str, EntityInfo]
    sources: dict[str, Source]
    #: event id -> [(entity id, role)]
    event_entities: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    event_sources: dict[str, list[str]] = field(default_factory=dict)
    entity_events: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        events: list[Event],
        entities: list[tuple[Entity, int]],
        aliases: list[tuple[str, str, str, bool]],
        sources: list[Source],
        links: list[tuple[str, str, str, str]],
        source_links: list[tuple[str, str]],
    ) -> Catalog:
        names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for ent_id, alias, lang, primary in aliases:
            bucket = names[ent_id][lang]
            if primary:
                bucket.insert(0, alias)
            else:
                bucket.append(alias)
        infos: dict[str, EntityInfo] = {
            e.id: EntityInfo(e, count, {k: list(v) for k, v in names[e.id].items()})
            for e, count in entities
        }
        cat = cls(events, infos, {s.id: s for s in sources})
        for event_id, ent_id, _kind, role in links:
            cat.event_entities.setdefault(event_id, []).append((ent_id, role))
            cat.entity_events.setdefault(ent_id, set()).add(event_id)
        for event_id, source_id in source_links:
            cat.event_sources.setdefault(event_id, []).append(source_id)
        return cat

    def event_title(self, event: Event, lang: str) -> str:
        if lang == "en" and event.title_en:
            return event.title_en
        return event.title

    def kinds_of(self, event_id: str) -> set[str]:
        return {self.entities[e].entity.kind for e, _ in self.event_entities.get(event_id, [])}

    def places_of(self, event_id: str) -> list[str]:
        """Place entities where the event happened (venue or location), most specific first:
        venues before locations, in link order."""
        links = self.event_entities.get(event_id, [])
        places = [
            (role != "venue", e)
            for e, role in links
            if role in PLACE_ROLES and self.entities[e].entity.kind == "place"
        ]
        seen: list[str] = []
        for _, e in sorted(places, key=lambda p: p[0]):
            if e not in seen:
                seen.append(e)
        return seen

    def categories(self) -> list[str]:
        return sorted({e.category for e in self.events})
