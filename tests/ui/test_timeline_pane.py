"""The timeline on a large project: density when many events are in view (exact counts),
events when few are, computed off the GUI thread with stale results dropped."""

from __future__ import annotations

import time
from dataclasses import replace

from explorer.model import viewport
from explorer.model.timeline import DAY, epoch_seconds
from explorer.store import overview
from explorer.store.connection import open_store
from explorer.ui import timeline_pane


def show(qtbot, large_timeline, x0, x1):
    with qtbot.waitSignal(large_timeline.sigApplied, timeout=10000) as applied:
        large_timeline.view.set_range(x0, x1)
    return applied.args[0]


def test_the_whole_span_is_drawn_as_exact_density(qtbot, large_timeline, large_project):
    result = show(qtbot, large_timeline, epoch_seconds("1989-01-01"), epoch_seconds("2027-01-01"))
    assert result.density is not None and large_timeline.view.item.density is result.density
    assert result.density.total() == 20_000  # every event counted exactly once per category
    large_timeline.view.plot.grab()
    assert large_timeline.view.item.rows is None


def test_zooming_in_shows_the_events_themselves(qtbot, large_timeline, large_project):
    with open_store(large_project, readonly=True) as store:
        busiest = store.db.execute(
            "SELECT earliest FROM events GROUP BY earliest ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        day = int(epoch_seconds(busiest) // DAY)
        want = set(overview.overlapping(store.db, day, day, 10**9))
    result = show(qtbot, large_timeline, epoch_seconds(busiest), epoch_seconds(busiest) + DAY)
    assert result.density is None and result.rows is not None
    # the result holds the day's events and those either side of it (what a pan shows next)
    assert result.covers[0] < day < result.covers[1]
    shown = {e.id for e in result.events if e.t1 > day * DAY and e.t0 < (day + 1) * DAY}
    assert len(shown) == len(want) == result.events_in_view
    assert len(result.events) > len(shown)
    large_timeline.view.plot.grab()
    assert large_timeline.view.item.drawn_labels() or len(result.rows) > 20


def test_the_window_keeps_working_while_a_slow_view_is_computed(qtbot, large_timeline, monkeypatch):
    real = viewport.Viewport.compute

    def slow(self, req):
        time.sleep(0.6)
        return real(self, req)

    monkeypatch.setattr(viewport.Viewport, "compute", slow)
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    started = time.perf_counter()
    with qtbot.waitSignal(large_timeline.sigApplied, timeout=10000):
        large_timeline.view.set_range(epoch_seconds("2000-01-01"), epoch_seconds("2010-01-01"))
    timer.stop()
    waited = time.perf_counter() - started
    assert waited >= 0.5
    assert len(ticks) >= 30, f"the event loop turned only {len(ticks)} times in {waited:.2f} s"


def test_results_for_views_already_left_are_dropped(qtbot, large_timeline, monkeypatch):
    real = viewport.Viewport.compute
    seen = []

    def slow(self, req):
        time.sleep(0.2)
        seen.append(req.generation)
        return real(self, req)

    monkeypatch.setattr(viewport.Viewport, "compute", slow)
    applied = []
    large_timeline.sigApplied.connect(lambda r: applied.append(r.generation))
    for year in range(2000, 2010):  # ten quick zooms while the first is still running
        large_timeline.view.set_range(
            epoch_seconds(f"{year}-01-01"), epoch_seconds(f"{year}-06-01")
        )
        large_timeline.request()
    qtbot.waitUntil(
        lambda: bool(applied) and applied[-1] == large_timeline.generation, timeout=10000
    )
    assert len(seen) <= 3, "requests made while one runs are coalesced"
    assert applied == [large_timeline.generation], "only the newest view is shown"


def test_circa_before_and_after_carry_their_marks_on_a_large_project(
    qtbot, large_timeline, large_project
):
    """The large timeline's labels had no ≈, ≤ or ≥ (its own copy of the label code)."""
    marks = {"circa": "≈ ", "before": "≤ ", "after": "≥ "}
    with open_store(large_project, readonly=True) as store:
        picked = {
            q: store.db.execute(
                "SELECT id, t0, t1 FROM events WHERE qualifier = ? ORDER BY t0 LIMIT 1", [q]
            ).fetchone()
            for q in marks
        }
    for qualifier, (ident, t0, t1) in picked.items():
        result = show(qtbot, large_timeline, t0 - DAY, t1 + DAY)
        rows = [r for r, e in enumerate(result.rows.event.tolist()) if result.events[e].id == ident]
        assert rows, f"{ident} is drawn"
        assert large_timeline._label(rows[0]).startswith(marks[qualifier])


def test_a_small_pan_that_holds_the_same_events_keeps_what_was_planned(
    qtbot, large_timeline, large_project
):
    with open_store(large_project, readonly=True) as store:
        busiest = store.db.execute(
            "SELECT earliest FROM events GROUP BY earliest ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    x0 = epoch_seconds(busiest) + DAY / 4
    first = show(qtbot, large_timeline, x0, x0 + DAY / 2)
    assert first.rows is not None
    qtbot.wait(50)  # the lane names' width is laid out
    large_timeline.view.plot.grab()
    item = large_timeline.view.item
    item._rest.setInterval(60_000)  # the pan is not let rest here (that plans it: tested apart)
    data, made = item._data, item.plans.made
    moved = show(qtbot, large_timeline, x0 + DAY / 100, x0 + DAY / 2 + DAY / 100)  # the same day
    assert moved is not first and [e.id for e in moved.events] == [e.id for e in first.events]
    large_timeline.view.plot.grab()
    assert item._data == data and item.plans.made == made  # nothing planned again
    other = show(qtbot, large_timeline, x0 + 40 * DAY, x0 + 40 * DAY + DAY / 2)  # other events
    assert other.rows is not None and item._data != data


def test_a_pan_whose_result_moves_the_rows_plays_the_frame_before_and_clicks_hit(
    qtbot, large_timeline, large_project, monkeypatch
):
    """A pan brings a result with other rows (some gone out of the view, some come in):
    the frame drawn from the plans held is still what is shown (played moved, not drawn
    again), and what it hits is the new rows' (a click selects the event under it)."""
    monkeypatch.setattr(timeline_pane, "REACH", 0.0)  # a pan past what the view read
    x0 = epoch_seconds("2012-03-01")
    width = 200 * DAY
    first = show(qtbot, large_timeline, x0, x0 + width)
    assert first.rows is not None and len(first.rows) > 50
    item = large_timeline.view.item
    item._rest.setInterval(60_000)  # not let rest here (it plans the view: tested apart)
    qtbot.wait(50)  # the lane names' width is laid out
    large_timeline.view.plot.grab()
    played, recorded = item._frame.played, item._frame.recorded
    moved = show(qtbot, large_timeline, x0 + width / 20, x0 + width + width / 20)
    ids = [e.id for e in moved.events]
    assert moved.rows is not None and ids != [e.id for e in first.events]
    large_timeline.view.plot.grab()
    assert item._frame.played > played and item._frame.recorded == recorded
    marks = [h for h in item._hits if not h.label and len(h.rows) == 1]
    assert marks
    sx, ox = item._device.m11(), item._device.m31()
    for hit in marks:  # each hit's row is the new rows' event drawn there
        row = hit.rows[0]
        left = float(moved.rows.x0[row]) * sx + ox
        right = float(moved.rows.x1[row]) * sx + ox
        assert hit.rect.left() - 40 <= left and right <= hit.rect.right() + 40
    hit = marks[len(marks) // 2]
    clicked = []
    large_timeline.view.sigRowsClicked.connect(clicked.append)
    large_timeline.view.item.sigClicked.emit(
        item.hit_at(item._device.inverted()[0].map(hit.rect.center()))
    )
    assert clicked and ids[moved.rows.event[clicked[0][0]]] == ids[moved.rows.event[hit.rows[0]]]
    # another filter is another view: drawn anew, never played from the one before
    recorded = item._frame.recorded
    large_timeline.ws.set_filters(
        replace(large_timeline.ws.filters, categories=frozenset({"conference"}))
    )
    qtbot.waitUntil(lambda: large_timeline.settled(), timeout=10000)
    large_timeline.view.plot.grab()
    assert item._frame.recorded > recorded
