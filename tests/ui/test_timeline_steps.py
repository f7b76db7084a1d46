"""What a step of the timeline asks of the event loop: a range set is painted once, and a
pan within what the view read is drawn at once, with nothing asked of the worker."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from explorer.model.timeline import DAY, epoch_seconds
from explorer.model.viewport import Viewport, ViewRequest
from explorer.store.connection import open_store
from tests.ui.timeline_rows import START, random_rows, rows_view


class Paints(QObject):
    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def turn(passes: int = 8) -> None:
    for _ in range(passes):
        QApplication.processEvents()


def test_a_range_set_is_painted_once(qtbot):
    """pyqtgraph set the view's transform at the start of the next paint, which dirtied
    the view again: every range set, each frame of a drag, was painted twice."""
    view = rows_view(qtbot, random_rows())
    view.item._rest.setInterval(60_000)  # no rest's own paint in between
    view.show()
    qtbot.waitExposed(view)
    view.set_range(START, START + 30 * DAY)
    turn()
    paints = Paints(view.plot.viewport())
    for k in range(1, 6):
        before = paints.count
        view.set_range(START + k * DAY, START + (30 + k) * DAY)
        turn()
        assert paints.count - before == 1, f"step {k} painted {paints.count - before} times"
    before = paints.count
    view.zoom(0.5)
    turn()
    assert paints.count - before == 1


def overlapping(large_project, x0, x1) -> int:
    d0, d1 = int(x0 // DAY), int((x1 - 1) // DAY)
    with open_store(large_project, readonly=True) as store:
        sql = "SELECT count(*) FROM events WHERE t1 > ? AND t0 < ?"
        return store.db.execute(sql, [d0 * DAY, (d1 + 1) * DAY]).fetchone()[0]


@pytest.mark.parametrize("start,days", [("2012-03-01", 200), ("1995-01-01", 25 * 365)])
def test_a_pan_within_what_the_view_read_is_drawn_at_once(
    qtbot, large_timeline, large_project, start, days
):
    """Events, then density (the counts held around the view keep it above the limit)."""
    x0 = epoch_seconds(start)
    width = days * DAY
    with qtbot.waitSignal(large_timeline.sigApplied, timeout=10000):
        large_timeline.view.set_range(x0, x0 + width)
    first = large_timeline.result
    reader = Viewport.open(str(large_project), check="skip")
    asked = []
    large_timeline.sigRequest.connect(asked.append)
    for k in (1, 2, 4, -3):  # a tenth of the view at a time, either way
        a, b = x0 + k * width / 10, x0 + width + k * width / 10
        large_timeline.view.set_range(a, b)
        assert large_timeline.settled()  # at once: no turn of the event loop
        shown = large_timeline.result
        assert (shown.density is None) == (first.density is None)
        if shown.rows is not None:
            assert shown.events is first.events  # the same rows, nothing drawn anew
            assert shown.events_in_view == overlapping(large_project, a, b)
        else:
            assert shown.density is first.density
        # what the status bar says is the view's own count, as reading the view gives it
        alone = ViewRequest(0, a, b, "category", large_timeline.view.plot.width(), None, (), True)
        assert shown.events_in_view == reader.compute(alone).events_in_view
        assert large_timeline.view.x_range() == pytest.approx((a, b))
    reader.close()
    assert asked == []
    a, b = x0 + 3 * width, x0 + 4 * width
    large_timeline.view.set_range(a, b)  # past what it read
    assert len(asked) == 1 and not large_timeline.settled()
    qtbot.waitUntil(large_timeline.settled, timeout=10000)
    if large_timeline.result.rows is not None:
        assert large_timeline.result.events_in_view == overlapping(large_project, a, b)
