"""The main window on a large project: nothing loaded whole; the timeline, entity list and
panes come from the store a view or a page at a time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from explorer.dataset.demo import generate
from explorer.model import workspace
from explorer.model.session import Session
from explorer.model.timeline import DAY, epoch_seconds
from explorer.ui.entity_browser import ID_ROLE, MORE_ROLE
from explorer.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    out = tmp_path_factory.mktemp("large") / "demo.db"
    generate(out, 20_000, seed=9)
    return out


def read(qtbot, window):
    """Wait for the selection's detail, read on the worker for a large project."""
    qtbot.waitUntil(lambda: window.ws.pending is None, timeout=20000)


@pytest.fixture
def window(qtbot, project, monkeypatch, settings):
    monkeypatch.setattr(workspace, "RESIDENT_EVENTS", 5_000)  # held in the store, not memory
    session = Session.open(project)
    w = MainWindow(session, settings, lang="en")
    qtbot.addWidget(w)
    w.resize(1500, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    session.close()
    assert w.timeline.item.paint_errors == 0 and w.pane.errors == []


def settle(qtbot, w):
    qtbot.waitUntil(w.pane.settled, timeout=10000)


def test_opens_without_loading_the_project(qtbot, window):
    assert not window.ws.resident
    assert window.ws.catalog.events == [] and window.ws.catalog.entities == {}
    window.fit_all()
    settle(qtbot, window)
    assert window.pane.result.density is not None
    assert window.pane.result.density.total() == 20_000
    assert window.status.text() == "20,000 events in view · 20,000 in all"
    window.set_grouping("entity_kind")  # events in several lanes are counted once
    settle(qtbot, window)
    assert window.pane.result.in_view > 20_000
    assert window.status.text() == "20,000 events in view · 20,000 in all"


def test_filters_on_a_large_project_are_counted_exactly(qtbot, window):
    window.fit_all()
    settle(qtbot, window)
    lst = window.filters_panel.lists["categories"]
    item = next(
        lst.item(i)
        for i in range(lst.count())
        if lst.item(i).data(Qt.ItemDataRole.UserRole) == "visit"
    )
    item.setCheckState(Qt.CheckState.Checked)
    settle(qtbot, window)
    visits = window.ws.session.store.db.execute(
        "SELECT count(*) FROM events WHERE category = 'visit'"
    ).fetchone()[0]
    result = window.pane.result
    shown = result.density.total() if result.density is not None else len(result.events)
    assert shown == visits
    assert window.status.text() == f"{visits:,} events in view match the filters · 20,000 in all"
    assert window.filters_bar.isVisible() and len(window.filters_bar.chips) == 1
    window.filters_bar.sigClearAll.emit()
    settle(qtbot, window)
    assert window.pane.result.density.total() == 20_000


def test_paged_entity_list_filters_and_shows_more(qtbot, window):
    browser = window.browser
    organizations = next(
        browser.model.item(g)
        for g in range(browser.model.rowCount())
        if browser.model.item(g).text().startswith("Organization")
    )
    before = organizations.rowCount()
    assert before == browser.PAGE + 1  # a page and "show more"
    browser._activated(organizations.child(before - 1).index())
    assert organizations.rowCount() > before
    browser.filter.setText("Kada")
    browser.rebuild()
    names = browser.visible_ids()
    assert names and len(names) < 200
    assert all(
        organizations.child(r).data(MORE_ROLE) is None for r in range(organizations.rowCount() - 1)
    )


def test_zoom_in_click_an_event_and_see_its_entity(qtbot, window):
    with Session.open(window.ws.session.path) as s:
        busiest = s.store.db.execute(
            "SELECT earliest FROM events GROUP BY earliest ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    window.timeline.set_range(epoch_seconds(busiest), epoch_seconds(busiest) + DAY)
    settle(qtbot, window)
    result = window.pane.result
    assert result.rows is not None
    window.timeline.plot.viewport().update()
    qtbot.wait(30)
    width = window.timeline.plot.viewport().width()

    def on_screen(r):
        pos = window.timeline.row_position(r)
        return pos is not None and 0 < pos.x() < width

    row = next(r for r in range(len(result.rows)) if on_screen(r))
    pos = window.timeline.row_position(row)
    qtbot.mouseClick(
        window.timeline.plot.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(int(pos.x()), int(pos.y())),
    )
    event_id = result.events[int(result.rows.event[row])].id
    read(qtbot, window)
    assert window.event_pane.detail.event.id == event_id
    entity = window.event_pane.detail.participants[0].entity_id
    window.select_entity(entity)  # read on the worker: the pane says so meanwhile
    assert window.details.currentWidget() is window.placeholder
    assert window.placeholder.text() == "Reading…"
    read(qtbot, window)
    assert window.details.currentWidget() is window.entity_pane
    assert window.entity_pane.detail.event_total >= 1
    dimmed = window.timeline.item.dimmed
    ids = [result.events[e].id for e in result.rows.event.tolist()]
    linked = window.ws.session.linked(entity, ids)
    assert [bool(d) for d in dimmed] == [i not in linked for i in ids]
    window.act_clear.trigger()
    assert window.timeline.item.dimmed is None


def test_search_jumps_to_an_event_in_a_large_project(qtbot, window):
    window.search_edit.setText("출범")
    window.run_search()
    assert window.search_panel.results.count() > 0
    event_item = next(
        window.search_panel.results.item(i)
        for i in range(window.search_panel.results.count())
        if window.search_panel.results.item(i).data(Qt.ItemDataRole.UserRole)[0] == "event"
    )
    window.search_panel._chosen(event_item)
    _kind, ref = event_item.data(Qt.ItemDataRole.UserRole)
    read(qtbot, window)
    assert window.event_pane.detail.event.id == ref
    settle(qtbot, window)
    x0, x1 = window.timeline.x_range()
    assert x0 <= epoch_seconds(window.event_pane.detail.event.earliest) <= x1


def test_own_events_are_counted_and_drawn_on_a_large_project(qtbot, window, tmp_path):
    """The annotator's own events live in the work file, not in the pyramid: the worker adds
    them to the counts and draws them, marked as theirs, once zoomed in."""
    item = window.ws.annotations.add_item(
        "event",
        {
            "title": "내가 추가한 회의",
            "title_en": "A meeting I added",
            "category": "conference",
            "start": "2011-06-15",
            "precision": "day",
            "qualifier": "exact",
        },
    )
    window.fit_all()
    settle(qtbot, window)
    assert window.pane.result.density.total() == 20_001
    assert window.status.text() == "20,001 events in view · 20,001 in all"
    x = epoch_seconds("2011-06-15")
    window.timeline.set_range(x - 2 * DAY, x + 3 * DAY)
    settle(qtbot, window)
    result = window.pane.result
    assert result.rows is not None
    rows = [r for r, e in enumerate(result.rows.event.tolist()) if result.events[e].id == item.id]
    assert len(rows) == 1
    assert window.pane._label(rows[0]) == "✎ A meeting I added"
    window.grab().save(str(tmp_path / "own-large.png"))
    window.timeline.plot.grab()
    assert window.timeline.item.plans.label(rows[0]) == "✎ A meeting I added"
    window.ws.edit_item(item.id, {**item.data, "title_en": "A meeting renamed"}, None)
    settle(qtbot, window)
    window.timeline.plot.grab()  # drawn with the new title, never the one kept from before
    rows = _rows_of(window.pane.result, item.id)
    assert window.timeline.item.plans.label(rows[0]) == "✎ A meeting renamed"
    window.pane._rows_clicked((rows[0],))
    assert window.ws.selected_event == item.id
    assert "A meeting renamed" in window.event_pane.browser.toPlainText()
    window.ws.annotations.delete_item(item.id)
    settle(qtbot, window)
    assert item.id not in [e.id for e in window.pane.result.events]


def test_own_items_link_project_entities_on_a_large_project(qtbot, window):
    """The own-event dialog offers the project's most frequent entities; an own event keeps
    its links to them (shown in its pane and theirs), and own entities head the list."""
    db = window.ws.session.store.db
    top_id, top_name = db.execute(
        "SELECT e.id, e.name FROM entities e JOIN entity_stats s ON s.entity_id = e.id"
        " WHERE e.kind = 'person' ORDER BY s.events DESC LIMIT 1"
    ).fetchone()
    choices = dict(window.work.entity_choices())
    assert top_id in choices and top_name in choices[top_id]
    mine = window.ws.annotations.add_item("entity", {"kind": "organization", "name": "우리 연구실"})
    ev = window.ws.annotations.add_item(
        "event",
        {
            "title": "연구실 방문",
            "title_en": "Lab visit",
            "category": "visit",
            "start": "2012-02-03",
            "precision": "day",
            "qualifier": "exact",
            "entities": [
                {"entity": top_id, "role": "visitor"},
                {"entity": mine.id, "role": "host"},
            ],
        },
    )
    browser = window.browser
    first = browser.model.item(0)
    assert first.text().startswith("Added by you (1)")
    assert first.rowCount() == 1 and first.child(0).data(ID_ROLE) == mine.id
    assert first.child(0).text() == "✎ 우리 연구실 · Organization"
    window.select_event(ev.id)  # an own event: read at once
    pane = window.event_pane.browser.toPlainText()
    assert window.ws.catalog.entities[top_id].display_name("en") in pane and "우리 연구실" in pane
    window.select_entity(top_id)
    read(qtbot, window)
    assert ev.id in [ee.event.id for ee in window.entity_pane.detail.events]
    x = epoch_seconds("2012-02-03")
    window.timeline.set_range(x - DAY, x + 2 * DAY)
    settle(qtbot, window)
    result = window.pane.result
    rows = [r for r, e in enumerate(result.rows.event.tolist()) if result.events[e].id == ev.id]
    assert rows and not window.timeline.item.dimmed[rows[0]]


def test_a_filter_still_waiting_when_the_window_closes_asks_nothing_more(qtbot, window):
    window.browser.filter.setText("Kada")  # the store is asked after a pause in typing
    window.close()
    window.ws.session.close()  # as the app does after closing the window
    qtbot.wait(600)  # longer than the pause: a rebuild now would read a closed database


def test_true_counts_names_in_chips_and_paged_dated_search(qtbot, window):
    """On a large project an entity with 82,861 events showed "(500)", the filter chip
    "ent-000000", and search stopped at 100 results without dates."""
    db = window.ws.session.store.db
    top, total = db.execute(
        "SELECT entity_id, events FROM entity_stats ORDER BY events DESC LIMIT 1"
    ).fetchone()
    assert total > 500
    window.select_entity(top)
    read(qtbot, window)
    label = window.entity_pane.events_label.text()
    assert f"{total:,}" in label and "first 500" in label
    name = window.ws.entity_names({top})[top]
    window.entity_pane.filter_button.click()  # filter to this entity
    assert [c.text() for c in window.filters_bar.chips] == [f"{name}  ✕"]
    window.search_edit.setText("launched")  # a word in many generated titles
    window.run_search()
    results = window.search_panel.results
    first_page = results.count()
    last = results.item(first_page - 1)
    assert last.text() == "Show more…"
    hit = results.item(0).text()
    assert "(event)" in hit and " · " in hit  # its kind, and its date before the title
    window.search_panel._chosen(last)
    assert results.count() > first_page
    ids = [results.item(i).data(0x0100)[1] for i in range(results.count())]
    assert len(ids) == len(set(ids))  # the next page, not the first again


def test_the_selected_event_is_marked_in_the_density_view(qtbot, window, project):
    import sqlite3

    with sqlite3.connect(project) as db:
        sql = "SELECT id FROM events ORDER BY t0 LIMIT 1 OFFSET 9000"
        (event_id,) = db.execute(sql).fetchone()
    window.fit_all()
    settle(qtbot, window)
    assert window.pane.result.density is not None
    want = window.timeline.item.style.selected.rgb()

    def marked():
        image = window.timeline.plot.grab().toImage()
        return sum(
            1
            for y in range(0, image.height(), 2)
            for x in range(0, image.width(), 2)
            if image.pixel(x, y) == want
        )

    assert marked() == 0
    window.select_event(event_id)  # from a search result, say: the view stays as it is
    read(qtbot, window)
    settle(qtbot, window)
    assert window.pane.result.density is not None
    assert marked() > 20
    window.clear_selection()
    assert marked() == 0


def _rows_of(result, event_id: str) -> list[int]:
    return [r for r, e in enumerate(result.rows.event.tolist()) if result.events[e].id == event_id]


def test_a_view_crowded_by_long_spans_says_how_many_of_its_events_are_drawn(
    qtbot, window, monkeypatch
):
    """More events overlap the view than can be drawn: the status bar counts them all and
    says how many are drawn (it said the number drawn, as if it were all)."""
    from explorer.model import viewport as module

    x0 = epoch_seconds("2012-03-01")
    x1 = x0 + 20 * DAY
    window.timeline.set_range(x0, x1)
    settle(qtbot, window)
    x0, x1 = window.timeline.x_range()  # as the view was laid out
    d0, d1 = module.days_of(x0, x1)
    db = window.ws.session.store.db
    a, b = d0 * DAY, (d1 + 1) * DAY
    starting = db.execute("SELECT count(*) FROM events WHERE t0 >= ? AND t0 < ?", [a, b])
    overlapping = db.execute("SELECT count(*) FROM events WHERE t1 > ? AND t0 < ?", [a, b])
    room, n = starting.fetchone()[0] + 3, overlapping.fetchone()[0]
    assert room < n  # long spans reach into the view
    assert window.status.text() == f"{n:,} events in view · 20,000 in all"
    for limit in ("REACH_LIMIT", "VIEW_LIMIT", "CROWDED_LIMIT"):
        monkeypatch.setattr(module, limit, room)
    window.timeline.set_range(x0 + 3000 * DAY, x1 + 3000 * DAY)  # away, and back: read again
    settle(qtbot, window)
    window.timeline.set_range(x0, x1)
    settle(qtbot, window)
    assert window.pane.result.undrawn == n - room
    assert window.status.text() == (
        f"{n:,} events in view ({room:,} drawn: all that start in it, some that started"
        " before) · 20,000 in all"
    )


def test_a_linked_view_names_the_selected_entity_when_it_is_not_drawn(qtbot, window):
    # a large project's catalog holds few entities: the network said "selected: ent-000123"
    # for an entity outside the nodes it drew
    window.timeline.set_range(epoch_seconds("2001-01-01"), epoch_seconds("2001-01-08"))
    settle(qtbot, window)
    window.linked_views.show("network")
    net = window.linked_views.views["network"]
    qtbot.waitUntil(net.settled, timeout=20000)
    with Session.open(window.ws.session.path) as s:
        entity, name = s.store.db.execute(
            """SELECT id, name FROM entities e WHERE NOT EXISTS (
                   SELECT 1 FROM event_entities ee JOIN events ev ON ev.id = ee.event_id
                   WHERE ee.entity_id = e.id AND ev.t1 > ? AND ev.t0 < ?)
               ORDER BY id LIMIT 1""",
            [epoch_seconds("2001-01-01"), epoch_seconds("2001-01-08")],
        ).fetchone()
    assert entity not in window.ws.catalog.entities
    window.select_entity(entity)
    read(qtbot, window)
    assert net.selected_words() == f"; selected: {name}"
    assert entity not in net.summary() and name in net.summary()
