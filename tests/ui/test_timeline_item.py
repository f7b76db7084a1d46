"""The events item on its own: crowded bars with the same dates collapse into one."""

import numpy as np

from explorer.model.timeline import DAY, Lane, TimelineRows, epoch_seconds
from explorer.ui.timeline_style import make_style
from explorer.ui.timeline_view import TimelineView


def test_many_bars_with_the_same_dates_are_one_bar_with_a_count(qtbot):
    n = 500
    year0, year1 = epoch_seconds("2022-01-01"), epoch_seconds("2023-01-01")
    rows = TimelineRows(
        lanes=[Lane("a", "")], event=np.arange(n, dtype=np.int32),
        lane=np.zeros(n, dtype=np.int32), x0=np.full(n, year0), x1=np.full(n, year1),
        precision=np.full(n, 2, dtype=np.int8), qualifier=np.zeros(n, dtype=np.int8),
        span=np.zeros(n, dtype=bool))  # fmt: skip
    view = TimelineView(
        lambda r: f"event {r}", lambda r: "media", lambda rows: "", make_style(False)
    )
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.item.many_label = lambda k: f"{k} 건"
    view.set_rows(rows, ["a"])
    view.set_range(epoch_seconds("2022-06-01"), epoch_seconds("2022-06-05"))
    view.plot.grab()
    hits = view.item._hits
    shapes = [h for h in hits if not h.label]
    assert len(shapes) == 1 and len(shapes[0].rows) == n
    assert view.item.paint_errors == 0
    assert [h.rows for h in hits if h.label] == [shapes[0].rows]
    # and zooming out to where the year is narrow still draws each distinct extent once
    view.set_range(year0 - 400 * DAY, year1 + 400 * DAY)
    view.plot.grab()
    assert len([h for h in view.item._hits if not h.label]) == 1


def test_a_selected_event_inside_a_collapsed_bar_marks_the_bar(qtbot):
    n = 40
    day0 = epoch_seconds("2022-03-01")
    rows = TimelineRows(
        lanes=[Lane("a", "")], event=np.arange(n, dtype=np.int32),
        lane=np.zeros(n, dtype=np.int32), x0=np.full(n, day0), x1=np.full(n, day0 + DAY),
        precision=np.zeros(n, dtype=np.int8), qualifier=np.zeros(n, dtype=np.int8),
        span=np.zeros(n, dtype=bool))  # fmt: skip
    style = make_style(False)
    view = TimelineView(lambda r: f"event {r}", lambda r: "media", lambda rows: "", style)
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.set_rows(rows, ["a"])
    view.set_range(day0 - DAY, day0 + 2 * DAY)

    def selected_pixels():
        image = view.plot.grab().toImage()
        want = style.selected.rgb()
        return sum(
            1
            for y in range(0, image.height(), 2)
            for x in range(0, image.width(), 2)
            if image.pixel(x, y) == want
        )

    assert selected_pixels() == 0
    view.item.set_selected({27})  # not the first of the group
    assert selected_pixels() > 20
    assert view.item.paint_errors == 0
