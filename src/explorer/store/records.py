"""Typed records the store returns. Plain dataclasses: no database handle inside."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from explorer.store.ids import ClaimId, EntityId, EventId, SourceId


@dataclass(frozen=True)
class Period:
    """A named span that frames events (an era), drawn behind them on the timeline."""

    id: str
    title: str
    start: str
    end: str | None
    precision: str
    t0: float  # seconds since 1970, t1 exclusive
    t1: float


@dataclass(frozen=True)
class Source:
    id: SourceId
    title: str
    publisher: str | None
    author: str | None
    published: str | None
    url: str | None
    language: str
    seed_file: str | None = None
    note: str | None = None
    origin: str = "curated"  # or "own": the annotator's, from the work file


@dataclass(frozen=True)
class Alias:
    alias: str
    lang: str
    is_primary: bool


@dataclass(frozen=True)
class Event:
    id: EventId
    title: str
    title_en: str | None
    summary: str | None
    category: str
    start: str
    end: str | None
    earliest: str
    latest: str
    precision: str
    qualifier: str
    date_text: str | None
    date_note: str | None
    t0: float  # the period in seconds since 1970-01-01 UTC, t1 exclusive (store.dates)
    t1: float
    origin: str = "curated"  # or "own": the annotator's, from the work file


@dataclass(frozen=True)
class Participant:
    entity_id: EntityId
    name: str
    kind: str
    role: str


@dataclass(frozen=True)
class Evidence:
    source: Source
    quote: str


@dataclass(frozen=True)
class EventDetail:
    event: Event
    participants: list[Participant]
    evidence: list[Evidence]


@dataclass(frozen=True)
class Claim:
    id: ClaimId
    entity_id: EntityId
    metric: str
    metric_label: str
    metric_label_en: str
    value: float
    value_text: str
    unit: str
    qualifier: str
    as_of: str
    source_id: SourceId
    quote: str
    note: str | None


@dataclass(frozen=True)
class Entity:
    id: EntityId
    kind: str
    name: str
    description: str | None
    origin: str = "curated"  # or "own": the annotator's, from the work file


@dataclass(frozen=True)
class EntityEvent:
    event: Event
    role: str


@dataclass(frozen=True)
class Companion:
    entity_id: EntityId
    name: str
    kind: str
    shared_events: int


@dataclass(frozen=True)
class EntityDetail:
    entity: Entity
    aliases: list[Alias]
    events: list[EntityEvent]
    claims: list[Claim]
    companions: list[Companion] = field(default_factory=list)
    event_total: int | None = None  # all its events, when `events` holds only the first
    claim_total: int | None = None
    companions_from: int | None = None  # companions counted over this many recent events

    def names(self, lang: str) -> list[str]:
        return [a.alias for a in self.aliases if a.lang == lang]

    def display_name(self, lang: str) -> str:
        for a in self.aliases:
            if a.lang == lang and a.is_primary:
                return a.alias
        return self.entity.name


@dataclass(frozen=True)
class Conflict:
    entity_id: EntityId
    entity_name: str
    metric: str
    metric_label_en: str
    claims: tuple[Claim, Claim]


def to_dict(record: Any) -> dict[str, Any]:
    result: dict[str, Any] = asdict(record)
    return result
