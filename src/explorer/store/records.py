"""Typed records the store returns. Plain dataclasses: no database handle inside."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from explorer.store.ids import ClaimId, EntityId, EventId, SourceId, StatementId


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
    #: An open-ended span ("since 2023"): the last date its source vouches for, and the end
    #: of that date in seconds. Draw the bar solid from t0 to last_vouched_t1, fading after.
    last_vouched: str | None = None
    last_vouched_t1: float | None = None
    #: The source gives no date: `start` is only a bound (qualifier 'before'); do not draw it
    #: as happening at `start`.
    undated: bool = False


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
class DatedPeriod:
    """When a statement was said, or the period it is about, as events are dated."""

    start: str
    end: str | None
    precision: str
    qualifier: str  # exact, circa, before (by then), after (from then on)
    text: str | None  # the article's own words for it
    note: str | None  # how it was read
    t0: float
    t1: float


@dataclass(frozen=True)
class Statement:
    """Who said what: the speaker's words verbatim from one source, when they were said, and
    what they are about (events, entities, a period such as a target year)."""

    id: StatementId
    source_id: SourceId
    speaker_id: EntityId | None  # None when the source names no one ("관련 업계에서는")
    speaker_name: str | None
    attribution: str | None  # the source's words naming the speaker, verbatim
    words: str  # what was said, verbatim from the source
    kind: str  # remark, goal, forecast, assessment
    direct: bool  # the source quotes the words in quotation marks
    said: DatedPeriod
    said_event_id: EventId | None  # the event at which it was said
    about: DatedPeriod | None  # the period it is about (2030 for "by 2030"), or None
    note: str | None
    events: tuple[EventId, ...] = ()  # events it is about
    entities: tuple[EntityId, ...] = ()  # entities it is about


@dataclass(frozen=True)
class Mention:
    """An entity named in a source, with the passage that names it."""

    entity_id: EntityId
    source: Source
    quote: str


@dataclass(frozen=True)
class CuratorNote:
    """A note of the curators, never a source's: `kind` 'inference' is their own reasoning."""

    id: str
    kind: str
    text: str
    targets: tuple[tuple[str, str], ...]  # (kind, id): event, entity, claim, statement, source


@dataclass(frozen=True)
class Cited:
    """An event that cites a source, with the source's words for it."""

    event: Event
    quote: str


@dataclass(frozen=True)
class SourceDetail:
    """What a source is and what the project takes from it: the events that cite it (the
    first ones by date, and how many in all), its figures, statements and mentions, and the
    curators' notes on it."""

    source: Source
    events: list[Cited]
    event_total: int
    claims: list[Claim]
    statements: list[Statement]
    mentions: list[tuple[EntityId, str, str]]  # entity, its name, the passage naming it
    notes: list[CuratorNote]


@dataclass(frozen=True)
class EventDetail:
    event: Event
    participants: list[Participant]
    evidence: list[Evidence]
    #: statements said at this event or about it, in the order they were said
    statements: list[Statement] = field(default_factory=list)
    #: the curators' notes on this event
    notes: list[CuratorNote] = field(default_factory=list)


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
    basis: str = "stated"  # stated, estimate, forecast, derived (the curators' inference)
    period_start: str | None = None  # a figure over a period: its first date (as_of: last)


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
    statements: list[Statement] = field(default_factory=list)  # said by this entity
    statements_about: list[Statement] = field(default_factory=list)  # about it, by others
    mentions: list[Mention] = field(default_factory=list)  # where the sources name it

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


@dataclass(frozen=True)
class SearchHit:
    kind: str  # event, entity, claim, source or statement
    ref_id: str
    field: str  # which field matched best: title, alias, quote, ...
    label: str  # the event title, entity name, claim figure, source title or speaker's words
    snippet: str  # the matching text, cut around the first match
    when: str | None = None  # an event's dates, a statement's: results are told apart by them


@dataclass(frozen=True)
class SearchResult:
    query: str
    expression: str  # the FTS5 expression run ('' when the query had nothing to search)
    hits: list[SearchHit]
    more: bool  # True when more hits exist beyond the limit


def to_dict(record: Any) -> dict[str, Any]:
    result: dict[str, Any] = asdict(record)
    return result
