"""The workspace, headless: selection, highlight, history, filters, the time window and the
marks of events, as every view sees them. No Qt here: these are the application's state and
use cases, tested as plain objects."""

from __future__ import annotations

import pytest

from explorer.dataset.demo import generate
from explorer.model import entity_list, labels
from explorer.model import window as tw
from explorer.model.annotations import Annotations
from explorer.model.changes import Changes
from explorer.model.filters import Filters
from explorer.model.session import Session
from explorer.model.timeline import epoch_seconds
from explorer.model.viewport import Viewport, ViewRequest
from explorer.model.workspace import Workspace
from explorer.store.errors import NotFound
from explorer.store.notes import Target

MARKS = {"circa": "≈ ", "before": "≤ ", "after": "≥ "}


@pytest.fixture
def ws(mini_db, tmp_path):
    session = Session.open(mini_db)
    work = Workspace(session, Annotations.open(session, tmp_path / "w.db", "kim"), lang="en")
    told: list[Changes] = []
    work.listeners.append(told.append)
    work.told = told  # type: ignore[attr-defined]
    yield work
    work.close()


def test_selecting_tells_once_and_keeps_history(ws):
    ws.select_event("ev-alliance")
    assert ws.told[-1].selection and ws.told[-1].history and len(ws.told) == 1
    assert ws.event_detail.event.id == "ev-alliance" and ws.entity_detail is None
    ws.select_entity("ent-baidu")
    assert ws.selected_entity == "ent-baidu" and ws.selected_event is None
    ws.clear_selection()
    assert ws.event_detail is None and ws.entity_detail is None
    ws.back()  # what was selected stays reachable
    assert ws.selected_entity == "ent-baidu"
    ws.back()
    assert ws.selected_event == "ev-alliance"
    ws.forward()
    assert ws.selected_entity == "ent-baidu" and not ws.history.can_forward


def test_an_unknown_id_is_refused_and_changes_nothing(ws):
    ws.select_event("ev-alliance")
    before = len(ws.told)
    with pytest.raises(NotFound):
        ws.select_event("ev-nope")
    assert ws.selected_event == "ev-alliance" and len(ws.told) == before


def test_an_entity_highlights_its_events_and_selecting_another_drops_it(ws):
    ws.select_entity("ent-baidu")
    all_ids = [e.id for e in ws.catalog.events]
    assert ws.highlighted(all_ids) == {"ev-conference", "ev-cooperation", "ev-ernie"}
    ws.select_event("ev-ernie")  # one of its events: the highlight stays
    assert ws.highlight_entity == "ent-baidu"
    ws.select_event("ev-alliance")  # not one of them: never dim what was just selected
    assert ws.highlighted(all_ids) is None


def test_going_back_shows_what_was_selected_as_it_was_without_a_later_highlight(ws):
    all_ids = [e.id for e in ws.catalog.events]
    ws.select_event("ev-ernie")  # nothing highlighted
    ws.select_entity("ent-baidu")  # its events highlighted, ev-ernie among them
    assert ws.highlighted(all_ids) is not None
    ws.back()
    assert ws.selected_event == "ev-ernie"
    assert ws.highlighted(all_ids) is None  # no dimming left over from the entity
    ws.set_language("ko")
    assert ws.highlighted(all_ids) is None
    ws.forward()  # and forward highlights the entity again
    assert ws.highlighted(all_ids) == {"ev-conference", "ev-cooperation", "ev-ernie"}


def test_an_own_event_linking_an_entity_is_highlighted_with_it(ws):
    item = ws.add_item(
        "event",
        {
            "title": "mine",
            "category": "media",
            "start": "2024-03",
            "precision": "month",
            "entities": [{"entity": "ent-baidu", "role": "subject"}],
        },
    )
    assert ws.told[-1].catalog and item.id in {e.id for e in ws.catalog.events}
    ws.select_entity("ent-baidu")
    assert item.id in ws.highlighted([item.id, "ev-alliance"])
    assert item.id in [ee.event.id for ee in ws.entity_detail.events]


def test_filters_narrow_what_is_visible_and_the_entity_counts(ws):
    before = {r.id: r.count for r in entity_list.page(ws, "organization", "", 100, 0)}
    assert before["ent-baidu"] == 3
    ws.set_filters(Filters(categories=frozenset({"founding"})), origin="panel")
    assert ws.told[-1].filters and ws.told[-1].origin == "panel"
    assert ws.visible == {"ev-alliance"}
    after = {r.id: r.count for r in entity_list.page(ws, "organization", "", 100, 0)}
    assert after["ent-baidu"] == 0
    told = len(ws.told)
    ws.set_filters(ws.filters)  # the same filters again: nothing to tell
    assert len(ws.told) == told


def test_names_in_any_language_find_entities(ws):
    assert [r.id for r in entity_list.page(ws, "organization", "百度", 10, 0)] == ["ent-baidu"]
    assert [r.id for r in entity_list.page(ws, "place", "haidian", 10, 0)] == ["ent-haidian"]


def test_the_window_is_kept_between_the_narrowest_and_the_widest(ws):
    ws.fit_all()
    x0, x1 = ws.window
    extent = ws.extent()
    assert x0 < extent[0] and x1 > extent[1]
    ws.set_window(x0, x0 + 60)  # a minute: widened to the narrowest view
    assert ws.window[1] - ws.window[0] == pytest.approx(tw.MIN_SPAN)
    for _ in range(40):  # zooming out far past the widest never walks away from the data
        ws.zoom(tw.ZOOM_STEP)
    a, b = ws.window
    assert b - a == pytest.approx(tw.widest(extent))
    assert a <= extent[0] and b >= extent[1]


def test_a_large_projects_extent_is_read_once_and_follows_its_own_events(
    mini_db, tmp_path, monkeypatch
):
    from explorer.model import workspace

    monkeypatch.setattr(workspace, "RESIDENT_EVENTS", 0)  # read from the store, not memory
    session = Session.open(mini_db)
    ws = Workspace(session, Annotations.open(session, tmp_path / "w.db", "kim"), lang="en")
    try:
        assert not ws.resident
        reads: list[int] = []
        read = session.extent
        monkeypatch.setattr(session, "extent", lambda: reads.append(1) or read())
        first = ws.extent()
        assert first is not None and ws.extent() == first  # a drag asks at every frame
        assert len(reads) == 1
        ws.add_item(
            "event",
            {"title": "later", "category": "media", "start": "2031-05-02", "precision": "day"},
        )
        after = ws.extent()
        assert after[0] == first[0] and after[1] == epoch_seconds("2031-05-03")
        assert len(reads) == 2
    finally:
        ws.close()


def test_selecting_an_event_far_away_brings_it_into_the_window(ws):
    ev = ws.session.event("ev-ernie").event
    ws.set_window(0.0, tw.DAY * 400)  # 1970
    ws.select_event("ev-ernie", center=True)
    assert ws.told[-1].window
    x0, x1 = ws.window
    assert x0 <= ev.t0 and ev.t1 <= x1


def test_a_new_note_is_on_the_selection_or_on_the_days_in_view(ws):
    ws.set_window(tw.DAY * 18000, tw.DAY * 18010)
    target = ws.current_target()
    assert (target.kind, target.start, target.end) == ("range", "2019-04-14", "2019-04-23")
    ws.select_event("ev-alliance")
    note = ws.add_note(ws.current_target(), "check", ["date"])
    assert ws.told[-1].notes and note.id in ws.told[-1].ids
    assert ws.noted_events() == {"ev-alliance"}
    assert ws.resolve_target(note.target).what == "Shanghai AI Alliance founded"
    ws.undo()
    assert ws.noted_events() == set()


def _qualified(path, lang="en"):
    """For one event of each qualifier: its label as the one engine draws it."""
    with Session.open(path) as session:
        ws = Workspace(session, lang=lang)
        viewport = Viewport(session.store)
        found = {}
        for qualifier in MARKS:
            row = session.store.db.execute(
                "SELECT t0, t1, id FROM events WHERE qualifier = ? ORDER BY t0 LIMIT 1",
                [qualifier],
            ).fetchone()
            assert row is not None, f"no {qualifier} event"
            t0, t1, ident = row
            req = ViewRequest(1, t0 - tw.DAY, t1 + tw.DAY, ws.grouping, 1600)
            result = viewport.compute(req)
            assert result.rows is not None, "a narrow view shows the events themselves"
            event = next(e for e in result.events if e.id == ident)
            found[qualifier] = labels.label(event, lang)
        return found


def test_circa_before_and_after_carry_their_marks_at_25_events(tmp_path):
    path = tmp_path / "small.db"
    generate(path, 25, seed=3)
    for qualifier, label in _qualified(path).items():
        assert label.startswith(MARKS[qualifier]), (qualifier, label)


def test_circa_before_and_after_carry_their_marks_at_30000_events(tmp_path):
    """Over 20,000 events the marks the README promises never appeared (two copies of the
    label code had drifted); one engine draws every size now."""
    path = tmp_path / "large.db"
    generate(path, 30_000, seed=3)
    for qualifier, label in _qualified(path).items():
        assert label.startswith(MARKS[qualifier]), (qualifier, label)


def test_a_work_file_written_elsewhere_is_read_again_on_reload(ws, tmp_path):
    other = Annotations.open(ws.session, ws.annotations.path, "lee")
    other.add(Target("event", "ev-alliance"), "from the other window")
    other.close()
    told = len(ws.told)
    ws.reload()
    assert len(ws.told) == told + 1
    assert [n.text for n in ws.notes()] == ["from the other window"]
    assert ws.told[-1].notes
