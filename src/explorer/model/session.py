"""The Session: one open store and the use-cases the CLI and the window share.

Views never hold a database handle or run SQL; they ask the Session.
"""

from __future__ import annotations

import os
from pathlib import Path

from explorer.model.catalog import Catalog
from explorer.store import queries, search
from explorer.store.connection import Store, open_store
from explorer.store.errors import NeedsUpgrade, ReadOnlyStore, StoreError
from explorer.store.records import (
    Claim,
    Conflict,
    CuratorNote,
    EntityDetail,
    Event,
    EventDetail,
    Period,
    SearchResult,
    Source,
)


class EmptyQuery(StoreError):
    pass


class Session:
    def __init__(self, store: Store) -> None:
        self._store = store

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, readonly: bool = True, check: str | None = None
    ) -> Session:
        """Open a project; `check` as store.connection.open_store takes it ("later": a file
        not known to be sound opens at once, read-only until store.integrity's check has
        passed). A project of an older schema is upgraded first (backed up beside it, in
        one checked transaction), then opened as asked; one that cannot be written (a
        read-only folder or medium) is refused with the reason."""
        try:
            return cls(open_store(path, readonly=readonly, check=check))
        except NeedsUpgrade:
            try:
                with open_store(path, readonly=False, check="now") as upgraded:
                    done = (upgraded.upgraded_from, upgraded.backup_path)
            except ReadOnlyStore:
                raise
            except (StoreError, OSError) as exc:
                raise ReadOnlyStore(f"{path} needs a schema upgrade that failed: {exc}") from exc
            store = open_store(path, readonly=readonly, check=check)
            store.upgraded_from, store.backup_path = done  # said to the user (`warning`)
            return cls(store)

    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def store(self) -> Store:
        return self._store

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def counts(self) -> dict[str, int]:
        return queries.counts(self._store.db)

    def catalog(self) -> Catalog:
        """Everything the window shows at once (events, links, entities, sources)."""
        db = self._store.db
        return Catalog.build(
            queries.list_events(db),
            queries.list_entities(db),
            queries.all_aliases(db),
            queries.list_sources(db),
            queries.event_links(db),
            queries.event_source_links(db),
        )

    def events(self) -> list[Event]:
        return queries.list_events(self._store.db)

    def event(self, event_id: str) -> EventDetail:
        return queries.get_event(self._store.db, event_id)

    def entity(self, entity_id: str) -> EntityDetail:
        return queries.get_entity(self._store.db, entity_id)

    def sources(self) -> list[Source]:
        return queries.list_sources(self._store.db)

    def periods(self) -> list[Period]:
        return queries.periods(self._store.db)

    def category_colours(self) -> dict[str, str]:
        return queries.category_colours(self._store.db)

    def kind_counts(self) -> list[tuple[str, int]]:
        return queries.kind_counts(self._store.db)

    def top_entities(
        self, kind: str, needle: str = "", limit: int = 200, offset: int = 0
    ) -> list[tuple[str, str, int]]:
        return queries.top_entities(self._store.db, kind, needle, limit, offset)

    def some_entities(self, ids: list[str]) -> Catalog:
        """A catalog of just these entities (no events): for a large project, the ones the
        annotator's own items link to."""
        entities, aliases = queries.some_entities(self._store.db, ids)
        return Catalog.build([], entities, aliases, [], [], [])

    def extent(self) -> tuple[int, int] | None:
        """First and last day of the project (days since 1970-01-01), from the overview (no
        scan of the events)."""
        from explorer.store import overview

        return overview.extent(self._store.db)

    def linked(self, entity_id: str, event_ids: list[str]) -> set[str]:
        """Which of `event_ids` the entity takes part in."""
        return queries.linked(self._store.db, entity_id, event_ids)

    def invalid_events(self) -> int:
        """How many event rows no view can draw (a damaged or hostile file's)."""
        return queries.invalid_events(self._store.db)[0]

    def event_count(self) -> int:
        from explorer.store import overview

        return overview.event_total(self._store.db)

    def claim(self, claim_id: str) -> Claim:
        return queries.get_claim(self._store.db, claim_id)

    def conflicts(self) -> list[Conflict]:
        return queries.conflicts(self._store.db)

    def conflict_count(self) -> int:
        """How many pairs of claims disagree, without reading them (`explorer check`: the
        pairs of a million-event project's claims took 84 s and 2.9 GB to list)."""
        return queries.conflict_count(self._store.db)

    def inferred_tensions(self) -> list[CuratorNote]:
        """The curators' inferences that set figures against each other: shown beside the
        conflicts, always as theirs."""
        return queries.inferred_tensions(self._store.db)

    def search(
        self, query: str, *, advanced: bool = False, limit: int = 50, offset: int = 0
    ) -> SearchResult:
        if not query.strip():
            raise EmptyQuery("the search query is empty")
        return search.search(self._store.db, query, advanced=advanced, limit=limit, offset=offset)
