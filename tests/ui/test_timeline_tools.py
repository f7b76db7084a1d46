"""Around the timeline: Go to date (Ctrl+G), the overview strip, statements shown or
hidden, the legend of the marks, in the window and in exported pictures."""

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QImage

from explorer.model.timeline import epoch_seconds as at

from .timeline_rows import rows_view


def test_go_to_date_moves_the_view_to_what_was_typed(make_window, bundled_copy, qtbot):
    window = make_window(db=bundled_copy)
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    dialog = window.tools.dialog
    assert dialog is not None and dialog.objectName() == "goToDate"
    dialog.edit.setText("2019-07-03")
    dialog.go()
    x0, x1 = window.timeline.x_range()
    assert x0 <= at("2019-07-03") and at("2019-07-04") <= x1 and x1 - x0 <= 3 * 86400
    assert window.ws.window == (x0, x1)
    again = window.tools.go_to_date()
    again.edit.setText("July")
    again.go()  # not a date: it says so and stays open, the view unchanged
    assert again.isVisible() and "July" in again.problem.text()
    assert window.timeline.x_range() == (x0, x1)
    again.reject()


def test_the_overview_strip_shows_the_view_and_moves_it(make_window, bundled_copy, qtbot):
    window = make_window(db=bundled_copy)
    strip = window.tools.strip
    assert strip.isVisible() and strip.counts.sum() == len(window.ws.visible)
    window.timeline.set_range(at("2019-01-01"), at("2020-01-01"))
    rect = strip.view_rect()
    assert rect is not None
    assert abs(rect.center().x() - strip.x_of(at("2019-07-02"))) < 2
    target = strip.point_of(at("2024-07-01")).toPoint()
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=target)
    x0, x1 = window.timeline.x_range()
    assert abs((x0 + x1) / 2 - at("2024-07-01")) < 5 * 86400
    assert x1 - x0 == pytest.approx(at("2020-01-01") - at("2019-01-01"))


def test_statements_have_a_lane_and_can_be_hidden(make_window, bundled_copy, qtbot):
    window = make_window(db=bundled_copy)
    window.timeline.plot.grab()
    item = window.pane.statements_item
    names = [n for _, n in window.timeline.lane_axis._tickLevels[0]]
    assert (
        names[-1] == "Said"
        and item.isVisible()
        and len(item.spots) == len(window.pane.result.statements)
    )
    action = window.action_table["show_statements"]
    action.trigger()  # View > Show statements off
    assert not action.isChecked() and not item.isVisible()
    assert "Said" not in [n for _, n in window.timeline.lane_axis._tickLevels[0]]
    action.trigger()
    assert item.isVisible()


def test_a_click_on_a_statement_selects_where_it_was_said(make_window, bundled_copy, qtbot):
    window = make_window(db=bundled_copy)
    st = next(s for s in window.pane.result.statements if s.said_event_id)
    window.pane.statements_item.clicked(st)
    assert window.ws.selected_event == st.said_event_id


def test_the_legend_opens_from_the_timeline(make_window, qtbot):
    window = make_window()
    button = window.tools.legend_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    dialog = window.tools.dialog
    assert dialog is not None and dialog.objectName() == "legendDialog" and dialog.isVisible()
    dialog.close()


def test_exports_carry_the_legend_title_and_period_around_the_view(
    make_window, bundled_copy, tmp_path, qtbot
):
    window = make_window(db=bundled_copy)
    window.resize(1440, 900)  # a wide view: the legend goes beside it
    qtbot.waitUntil(window.pane.settled)
    view = window.timeline
    size = QSize(view.width() * 2, view.height() * 2)
    out = tmp_path / "v.png"
    assert window.transfer.write_view(out, size, 192, legend=True) == out
    image = QImage(str(out))
    assert (image.width(), image.height()) == (size.width(), size.height())
    legend = image.copy(0, image.height() - 2 * 60, image.width(), 2 * 50)  # under the view
    ink = sum(
        1
        for x in range(0, legend.width(), 3)
        for y in range(0, legend.height(), 3)
        if QImage(legend).pixelColor(x, y).lightness() < 120
    )
    assert ink > 50  # the legend's words and marks
    assert view.size() == QSize(size.width() // 2, size.height() // 2)  # the window as it was


def test_the_axis_names_the_period_in_view_as_the_view_moves(qtbot):
    """The caption under the dates follows every range set (it is set only when it changes:
    made again as HTML on each frame of a drag, it cost the frame)."""
    view = rows_view(qtbot)
    view.set_range(at("2019-07-01"), at("2019-07-06"))
    assert view.date_axis.labelText == "2019-07-01 – 2019-07-05"
    view.set_range(at("2019-07-01") + 3600, at("2019-07-06") + 3600)  # an hour into the 6th
    assert view.date_axis.labelText == "2019-07-01 – 2019-07-06"
    view.set_range(at("2024-08-19"), at("2024-08-20"))
    assert view.date_axis.labelText == "2024-08-19"
    view.set_range(at("2015-01-01"), at("2027-01-01"))
    assert view.date_axis.labelText == "2015 – 2026"
    set_label = view.date_axis.setLabel
    made: list[str] = []
    view.date_axis.setLabel = lambda text: made.append(text) or set_label(text)
    titles: list[str] = []  # no axis makes its title again (an SI prefix asked for did)
    for name in ("top", "bottom", "left", "right"):
        axis = view.plot.getAxis(name)
        axis._updateLabel = lambda axis=axis, f=axis._updateLabel: titles.append(axis) or f()
    for k in range(1, 5):  # a drag within the same years
        view.set_range(at("2015-01-01") + k * 3600, at("2026-12-31") + k * 3600)
    assert made == [] and view.date_axis.labelText == "2015 – 2026"
    assert titles == []
    view.set_range(at("2016-01-01"), at("2027-01-01"))
    assert made == ["2016 – 2026"]
