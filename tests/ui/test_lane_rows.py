"""Marks in one lane never hide each other: spans that overlap in time go to lines of their
own (the lane grows), labels go only where they cover no mark and stay inside the plot, and
counts stay inside the view."""

import numpy as np

from explorer.model.timeline import DAY, Lane, TimelineRows, epoch_seconds
from explorer.ui.timeline_style import make_style
from explorer.ui.timeline_view import TimelineView


def _rows(spec, lanes=1):
    """spec: (lane, start day, end day or None, precision, span) per event."""
    n = len(spec)
    x0 = np.array([epoch_seconds(s[1]) for s in spec])
    x1 = np.array([epoch_seconds(s[2]) if s[2] else epoch_seconds(s[1]) + DAY for s in spec])
    return TimelineRows(
        lanes=[Lane(f"l{i}", "") for i in range(lanes)],
        event=np.arange(n, dtype=np.int32),
        lane=np.array([s[0] for s in spec], dtype=np.int32),
        x0=x0,
        x1=x1,
        precision=np.array([s[3] for s in spec], dtype=np.int8),
        qualifier=np.zeros(n, dtype=np.int8),
        span=np.array([s[4] for s in spec], dtype=bool),
    )


def _view(qtbot, spec, titles, lanes=1, size=(900, 300)):
    view = TimelineView(lambda r: titles[r], lambda r: "policy", lambda rows: "", make_style(False))
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_rows(_rows(spec, lanes), [f"Lane {i}" for i in range(lanes)])
    view.set_range(epoch_seconds("2014-01-01"), epoch_seconds("2027-01-01"))
    view.plot.grab()
    assert view.item.paint_errors == 0
    return view


SPANS = [  # one lane: four spans that overlap in time, and two days inside them
    (0, "2015-01-01", "2025-12-31", 2, True),
    (0, "2016-03-01", "2024-06-30", 0, True),
    (0, "2018-01-01", "2026-01-01", 0, True),
    (0, "2023-01-01", "2025-12-31", 0, True),
    (0, "2020-05-05", None, 0, False),
    (0, "2021-08-08", None, 0, False),
]
TITLES = [
    "Made in China 2025 strategy runs 2015-2025",
    "Beijing's general-AI support policies",
    "Beijing's plan for an AI innovation source",
    "Beijing's 2023-2025 plan",
    "Road tests of unmanned patrol vehicles",
    "Zhongguancun action plan released",
]


def _marks(view):
    return [h for h in view.item._hits if not h.label]


def _labels(view):
    return [h for h in view.item._hits if h.label]


def test_spans_that_overlap_in_time_are_drawn_on_lines_of_their_own(qtbot):
    view = _view(qtbot, SPANS, TITLES, lanes=3)
    marks = _marks(view)
    assert sorted(r for h in marks for r in h.rows) == list(range(len(SPANS)))
    for i, a in enumerate(marks):
        for b in marks[i + 1 :]:
            assert not a.rect.intersects(b.rect), (a.rows, b.rows)
    # four overlapping spans: four lines of bars, so the lane is taller than the others
    bars = {round(h.rect.center().y()) for h in marks if h.rows[0] < 4}
    assert len(bars) == 4
    tr = view.item._device
    edges = view.item.edges()
    heights = np.diff(edges)
    assert heights[0] > heights[1] and heights[0] > heights[2]
    # and every mark of the lane lies inside the lane
    top, bottom = sorted(tr.map(0.0, float(e))[1] for e in edges[:2])
    for h in marks:
        assert top - 0.5 <= h.rect.top() and h.rect.bottom() <= bottom + 0.5


def test_labels_never_cover_a_mark_or_another_label(qtbot):
    for size in ((1024, 700), (700, 300), (1600, 900)):
        view = _view(qtbot, SPANS, TITLES, lanes=3, size=size)
        marks, labels = _marks(view), _labels(view)
        assert labels
        for lab in labels:
            for m in marks:
                if m.rows != lab.rows:
                    assert not lab.rect.intersects(m.rect), (size, lab.text, m.rows)
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not a.rect.intersects(b.rect), (size, a.text, b.text)


def test_labels_and_counts_stay_inside_the_plot(qtbot):
    # events near both edges of the view, and a crowd at the right edge (a count)
    spec = [
        (0, "2014-01-20", None, 0, False),
        (0, "2026-12-20", None, 0, False),
        (1, "2026-12-28", None, 0, False),
        (1, "2026-12-28", None, 0, False),
        (1, "2026-12-29", None, 0, False),
        (0, "2014-02-01", "2026-12-30", 0, True),
    ]
    titles = ["The first event of all, at the left edge", "The last event, at the right"]
    titles += ["x", "y", "z", "A span over the whole view with a long title"]
    view = _view(qtbot, spec, titles, lanes=2, size=(800, 300))
    box = view.view_box
    inside = box.mapRectToScene(box.boundingRect())
    labels = _labels(view)
    assert {lab.rows[0] for lab in labels} >= {0, 1}
    for lab in labels:
        assert inside.left() - 0.5 <= lab.rect.left() and lab.rect.right() <= inside.right() + 0.5
    counts = [h for h in _marks(view) if len(h.rows) > 1]
    assert counts
    for c in counts:
        assert c.rect.right() <= inside.right() + 0.5
