"""The marks of open-ended spans and undated facts (pixel probes)."""

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from explorer.model.timeline import Lane, TimelineRows, epoch_seconds
from explorer.ui.timeline_style import make_style
from explorer.ui.timeline_view import TimelineView

STYLE = make_style(False)


def _view(qtbot, x0, x1, *, precision=0, qualifier=0, span=False, vouched=None, undated=False):
    rows = TimelineRows(
        lanes=[Lane("policy", "")], event=np.zeros(1, dtype=np.int32),
        lane=np.zeros(1, dtype=np.int32), x0=np.array([x0]), x1=np.array([x1]),
        precision=np.array([precision], dtype=np.int8),
        qualifier=np.array([qualifier], dtype=np.int8), span=np.array([span]),
        vouched=np.array([np.nan if vouched is None else vouched]),
        undated=np.array([undated]))  # fmt: skip
    view = TimelineView(lambda r: "", lambda r: "policy", lambda rows: "", STYLE)
    qtbot.addWidget(view)
    view.resize(900, 200)
    view.set_rows(rows, ["Policy"])
    return view


def _ink(view, image, t: float, empty: float) -> float:
    """How far the column at time t differs from the column at `empty` (where nothing is
    drawn), at most over the lane's height, 0..1."""

    def x_of(when):
        return int(view.plot.mapFromScene(view.view_box.mapViewToScene(QPointF(when, 0))).x())

    top = int(view.plot.mapFromScene(view.view_box.mapViewToScene(QPointF(t, -0.45))).y())
    bottom = int(view.plot.mapFromScene(view.view_box.mapViewToScene(QPointF(t, 0.45))).y())
    x, ref = x_of(t), x_of(empty)
    most = 0
    for y in range(top, bottom):
        a, b = QColor(image.pixel(x, y)), QColor(image.pixel(ref, y))
        most = max(most, abs(a.red() - b.red()), abs(a.green() - b.green()))
        most = max(most, abs(a.blue() - b.blue()))
    return most / 255


def test_an_open_ended_span_is_solid_to_its_last_vouched_date_then_fades(qtbot):
    t0, t1 = epoch_seconds("2017-01-01"), epoch_seconds("2020-01-01")
    vouched = epoch_seconds("2019-01-01")
    view = _view(qtbot, t0, t1, span=True, vouched=vouched)
    view.set_range(epoch_seconds("2016-06-01"), epoch_seconds("2021-01-01"))
    image = view.plot.grab().toImage()
    year = epoch_seconds("2018-01-01") - t0
    empty = epoch_seconds("2016-08-01")
    solid = _ink(view, image, t0 + 0.5 * year, empty)
    assert solid > 0.5
    assert abs(_ink(view, image, vouched - 0.1 * year, empty) - solid) < 0.1  # solid up to it
    late = _ink(view, image, vouched + 0.9 * (t1 - vouched), empty)
    assert late < 0.5 * solid  # fading out after the last vouched date


def test_an_undated_fact_is_a_bound_with_a_trail_not_a_band_over_the_year(qtbot):
    t0, t1 = epoch_seconds("2024-01-01"), epoch_seconds("2025-01-01")
    view = _view(qtbot, t0, t1, precision=2, qualifier=2, undated=True)
    view.set_range(epoch_seconds("2023-10-01"), epoch_seconds("2025-03-01"))
    image = view.plot.grab().toImage()
    # nothing asserts a date in the middle of 2024 (a year band would be drawn there)
    empty = epoch_seconds("2023-10-15")
    assert _ink(view, image, (t0 + t1) / 2, empty) < 0.02
    # the bound is marked at its end, and the trail fades to the left of it
    px = (epoch_seconds("2025-03-01") - epoch_seconds("2023-10-01")) / view.view_box.width()
    near = _ink(view, image, t1 - 8 * px, empty)
    far = _ink(view, image, t1 - 60 * px, empty)
    assert near > 0.3 and far < near


def test_a_goal_is_drawn_where_it_was_said_and_its_target_as_a_linked_tick(qtbot, bundled):
    """China's goal of July 2019 to lead 'by 2030': a speech mark at July 2019, a tick at the
    end of 2030 with a faded trail to its left, and a dashed line between them."""
    from PySide6.QtGui import QColor as Color

    from explorer.store.queries import get_statement
    from explorer.ui.statements_item import TRAIL, StatementsItem

    goal = get_statement(bundled, "st-2019-china-lead-ai-by-2030")
    view = _view(qtbot, epoch_seconds("2010-01-01"), epoch_seconds("2010-02-01"))
    view.set_rows(view.item.rows, ["Policy", "Said"])
    item = StatementsItem(Color("#5c6bc0"))
    view.plot.addItem(item, ignoreBounds=True)
    view.set_range(epoch_seconds("2018-06-01"), epoch_seconds("2032-01-01"))
    item.set_statements([], 1)
    bare = view.plot.grab().toImage()
    item.set_statements([goal], 1)
    drawn = view.plot.grab().toImage()

    def at(when, lane):
        p = view.plot.mapFromScene(view.view_box.mapViewToScene(QPointF(when, lane)))
        return int(p.x()), int(p.y())

    def ink(x, y, box=0):
        """The largest change the statement made around (x, y), 0..1."""
        most = 0
        for dx in range(-box, box + 1):
            for dy in range(-box, box + 1):
                a, b = QColor(drawn.pixel(x + dx, y + dy)), QColor(bare.pixel(x + dx, y + dy))
                most = max(most, abs(a.red() - b.red()), abs(a.green() - b.green()))
                most = max(most, abs(a.blue() - b.blue()))
        return most / 255

    lane_px = at(0, 2)[1] - at(0, 1)[1]
    said_x, said_y = at(goal.said.t1, 1)[0], at(0, 1)[1] - int(0.2 * abs(lane_px))
    assert ink(said_x, said_y, 3) > 0.3  # the speech mark, at the day it was reported
    tick_x, about_y = at(goal.about.t1, 1)[0], at(0, 1)[1] + int(0.2 * abs(lane_px))
    assert ink(tick_x, about_y, 1) > 0.3  # the tick at the end of 2030
    near, far = ink(tick_x - 8, about_y), ink(tick_x - int(TRAIL) + 4, about_y)
    assert near > far > 0  # the trail fades to the left of the bound
    assert ink(tick_x - int(TRAIL) - 20, about_y) == 0  # not a band over 2030
    middle = ink((said_x + tick_x) // 2, (said_y + 3 * about_y) // 4 + 6, 5)
    assert middle > 0  # linked: the dashed line passes between them
    assert [s for _, s in item.spots] == [goal]
