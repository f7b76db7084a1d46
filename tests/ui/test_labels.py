"""Labels are never cut when the view has room for them, and never run under a count, in
the window and in exported pictures."""

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QFontMetricsF

from explorer.model.timeline import DAY, Lane, TimelineRows, epoch_seconds
from explorer.store import dates
from explorer.ui.timeline_style import make_style
from explorer.ui.timeline_view import TimelineView
from explorer.ui.transfer import render_view

TITLES = [
    "Xinhua and China News report the Baidu and Huawei pledge at length",
    "a",
    "b",
    "SCMP reports Xi Jinping's visit to the Shanghai center",
]


def _view(qtbot, days, titles, width=900):
    n = len(days)
    x0 = np.array([epoch_seconds(d) for d in days])
    rows = TimelineRows(
        lanes=[Lane("media", "")], event=np.arange(n, dtype=np.int32),
        lane=np.zeros(n, dtype=np.int32), x0=x0, x1=x0 + DAY,
        precision=np.zeros(n, dtype=np.int8), qualifier=np.zeros(n, dtype=np.int8),
        span=np.zeros(n, dtype=bool))  # fmt: skip
    view = TimelineView(lambda r: titles[r], lambda r: "media", lambda rows: "", make_style(False))
    qtbot.addWidget(view)
    view.resize(width, 260)
    view.set_rows(rows, ["Media"])
    view.set_range(epoch_seconds("2019-01-01"), epoch_seconds("2025-07-01"))
    return view


def _labels(view):
    fm = QFontMetricsF(view.item.font)
    return [(h.rect, h.rows[0]) for h in view.item._hits if h.label], fm


def _assert_whole_and_apart(view, titles, expect):
    view.plot.grab()
    drawn, fm = _labels(view)
    assert sorted(r for _, r in drawn) == expect
    vb = view.view_box.sceneBoundingRect()
    for rect, row in drawn:
        assert rect.width() >= fm.horizontalAdvance(titles[row]) - 1, titles[row]
        assert vb.left() - 1 <= rect.left() and rect.right() <= vb.right() + 1
    rects = [r for r, _ in drawn]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)
    assert view.item.paint_errors == 0


def test_the_newest_label_at_the_right_edge_is_placed_whole(qtbot):
    # a long label takes the room left of the newest event, whose label the edge would cut
    days = ["2019-07-05", "2025-05-05"]
    titles = [TITLES[0], TITLES[3]]
    view = _view(qtbot, days, titles)
    _assert_whole_and_apart(view, titles, [0, 1])


def test_exported_pictures_keep_every_label_whole(qtbot, tmp_path):
    days = ["2019-07-05", "2025-05-05"]
    titles = [TITLES[0], TITLES[3]]
    view = _view(qtbot, days, titles, width=700)
    view.show()
    render_view(view, tmp_path / "t.png", QSize(1400, 520), 192)
    drawn, fm = _labels(view)  # what the export's paint drew
    assert len(drawn) == 2
    for rect, row in drawn:
        assert rect.width() >= fm.horizontalAdvance(titles[row]) - 1


def test_a_count_never_covers_the_label_after_it(qtbot):
    # two events on one day make a count; the newest event, at the view's right edge, has
    # just the room for its label between its mark and where the count's events end
    # (though the count's bubble is wider than that)
    t0, t1 = epoch_seconds("2018-01-01"), epoch_seconds("2026-01-01")
    title = "Beijing AI ecosystem conference held in Haidian"
    probe = _view(qtbot, ["2020-01-01"], [title], width=700)
    probe.set_range(t0, t1)
    probe.plot.grab()
    per_px = (t1 - t0) / probe.view_box.width()
    label = QFontMetricsF(probe.item.font).horizontalAdvance(title)
    mark = t1 - 8 * per_px
    bubble = mark - (label + 19) * per_px
    days = [dates.day_of_seconds(x) for x in (bubble, bubble, mark)]
    view = _view(qtbot, days, ["x", "y", title], width=700)
    view.set_range(t0, t1)
    view.plot.grab()
    counts = [h.rect for h in view.item._hits if len(h.rows) > 1]
    drawn, _ = _labels(view)
    assert counts and [r for _, r in drawn] == [2]
    for rect, _row in drawn:
        assert rect.width() >= label - 1
        assert all(not rect.intersects(c) for c in counts)
    # count bubbles sit on whole pixels (Qt fills them 15x slower at fractions of one)
    assert all(float(v).is_integer() for c in counts for v in c.getRect())
