"""Which events the user wants to see. Empty sets mean 'no restriction'."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from explorer.model.catalog import Catalog
from explorer.store import dates
from explorer.store.records import Event


@dataclass(frozen=True)
class Filters:
    kinds: frozenset[str] = field(default_factory=frozenset)  # event links an entity of a kind
    entities: frozenset[str] = field(default_factory=frozenset)  # event links one of these
    sources: frozenset[str] = field(default_factory=frozenset)  # event cites one of these
    categories: frozenset[str] = field(default_factory=frozenset)
    date_from: str | None = None  # ISO day; events that end before it are hidden
    date_to: str | None = None  # ISO day; events that start after it are hidden

    @cached_property
    def t_from(self) -> float | None:
        """date_from as seconds since 1970: events with t1 at or before it are hidden."""
        return dates.period_bounds(self.date_from).t0 if self.date_from else None

    @cached_property
    def t_to(self) -> float | None:
        """The end of date_to as seconds: events with t0 at or after it are hidden."""
        return dates.period_bounds(self.date_to).t1 if self.date_to else None

    @property
    def active(self) -> bool:
        return bool(
            self.kinds
            or self.entities
            or self.sources
            or self.categories
            or self.date_from
            or self.date_to
        )

    def without(self, facet: str, value: str | None = None) -> Filters:
        """A copy with one value (or the whole facet) cleared."""
        changes: dict[str, Any]
        if facet in ("date_from", "date_to"):
            changes = {facet: None}
        else:
            current: frozenset[str] = getattr(self, facet)
            changes = {facet: frozenset() if value is None else current - {value}}
        return replace(self, **changes)

    def toggled(self, facet: str, value: str) -> Filters:
        current: frozenset[str] = getattr(self, facet)
        changes: dict[str, Any] = {facet: current ^ {value}}
        return replace(self, **changes)

    def chips(self) -> list[tuple[str, str | None]]:
        """(facet, value) for each active restriction, for 'active filter' chips."""
        out: list[tuple[str, str | None]] = []
        for facet in ("categories", "kinds", "entities", "sources"):
            out.extend((facet, v) for v in sorted(getattr(self, facet)))
        out.extend((f, None) for f in ("date_from", "date_to") if getattr(self, f))
        return out


def matching_events(catalog: Catalog, filters: Filters) -> set[str]:
    """Ids of the events that pass every active filter."""
    return {
        ev.id
        for ev in catalog.events
        if passes(
            filters,
            ev,
            {e for e, _ in catalog.event_entities.get(ev.id, [])},
            catalog.kinds_of(ev.id),
            set(catalog.event_sources.get(ev.id, [])),
        )
    }


def passes(
    filters: Filters, ev: Event, entities: set[str], kinds: set[str], sources: set[str]
) -> bool:
    """Whether one event, linking these entities (of these kinds) and citing these sources,
    passes every active filter (model.viewport.sql_filters says the same in SQL)."""
    if filters.categories and ev.category not in filters.categories:
        return False
    if filters.t_from is not None and ev.t1 <= filters.t_from:
        return False
    if filters.t_to is not None and ev.t0 >= filters.t_to:
        return False
    if filters.entities and not entities & filters.entities:
        return False
    if filters.kinds and not kinds & filters.kinds:
        return False
    return not (filters.sources and not sources & filters.sources)


def entity_counts(catalog: Catalog, visible: set[str]) -> dict[str, int]:
    """How many of the `visible` events each entity takes part in."""
    return {ent: len(events & visible) for ent, events in catalog.entity_events.items()}
