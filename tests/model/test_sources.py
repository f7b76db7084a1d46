"""A source, selected anywhere: what it is, and what the project takes from it."""

from __future__ import annotations

from explorer.model.annotations import Annotations
from explorer.model.session import Session
from explorer.model.workspace import Workspace

from ..conftest import BUNDLED_DB


def test_a_source_shows_its_notes_events_figures_and_highlights_its_events(tmp_path):
    with Session.open(BUNDLED_DB) as session:
        ws = Workspace(session, Annotations.open(session, tmp_path / "w.db", "kim"), lang="en")
        detail = ws.select_source("src-beijing-gov-2025-01-14")
        assert detail.source.publisher == "korea.beijing.gov.cn"
        assert "written in 2024, not 2025" in (detail.source.note or "")
        assert detail.events and all(c.quote for c in detail.events)
        assert detail.event_total == len(detail.events)
        assert detail.mentions  # the entities the article names
        ids = [e.id for e in ws.catalog.events]
        assert ws.highlighted(ids) == {c.event.id for c in detail.events}
        ws.select_event(detail.events[0].event.id)
        ws.back()
        assert ws.selected_source == "src-beijing-gov-2025-01-14"
        ws.close()


def test_an_own_event_citing_a_curated_source_is_listed_with_it(tmp_path):
    with Session.open(BUNDLED_DB) as session:
        ws = Workspace(session, Annotations.open(session, tmp_path / "w.db", "kim"), lang="en")
        before = ws.select_source("src-peoplekr-2019-07-05").event_total
        item = ws.add_item(
            "event",
            {
                "title": "my reading",
                "category": "media",
                "start": "2019-07-06",
                "sources": [{"source": "src-peoplekr-2019-07-05", "quote": "지난 4일"}],
            },
        )
        detail = ws.select_source("src-peoplekr-2019-07-05")
        assert detail.event_total == before + 1
        assert item.id in [c.event.id for c in detail.events]
        ws.close()
