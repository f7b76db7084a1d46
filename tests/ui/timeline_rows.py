"""Rows for the timeline's drawing tests (a few lanes of days and spans over two months),
and a view that draws them."""

import numpy as np

from explorer.model.timeline import DAY, Lane, TimelineRows, epoch_seconds
from explorer.ui.timeline_style import make_style
from explorer.ui.timeline_view import TimelineView

START = epoch_seconds("2022-03-01")


def random_rows(n: int = 120, lanes: int = 4, seed: int = 3) -> TimelineRows:
    rng = np.random.default_rng(seed)
    x0 = START + np.sort(rng.random(n)) * 60 * DAY
    wide = rng.random(n) < 0.4
    x1 = np.where(wide, x0 + rng.integers(3, 30, n) * DAY, x0 + DAY)
    return TimelineRows(
        lanes=[Lane(f"l{k}", "") for k in range(lanes)], event=np.arange(n, dtype=np.int32),
        lane=rng.integers(0, lanes, n).astype(np.int32), x0=x0, x1=x1.astype(np.float64),
        precision=np.zeros(n, dtype=np.int8), qualifier=np.zeros(n, dtype=np.int8),
        span=wide)  # fmt: skip


def rows_view(qtbot, rows: TimelineRows | None = None) -> TimelineView:
    """A 1200x600 view labelling row r 'event number r', drawing `rows` when given."""
    view = TimelineView(
        lambda r: f"event number {r}", lambda r: "media", lambda rows: "", make_style(False)
    )
    qtbot.addWidget(view)
    view.resize(1200, 600)
    if rows is not None:
        view.set_rows(rows, [lane.key for lane in rows.lanes])
    return view
