"""The main window, driven as a user would: clicks on the timeline, links, keys, search,
filters, history, language. Runs offscreen; any Qt warning fails the test."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt, QUrl

from explorer.model.timeline import DAY, epoch_seconds
from explorer.ui.main_window import MainWindow


def row_of(window: MainWindow, event_id: str) -> int:
    return next(
        i for i, e in enumerate(window.rows.event.tolist()) if window.event_ids[e] == event_id
    )


def click_event(qtbot, window: MainWindow, event_id: str) -> None:
    window.timeline.plot.viewport().update()
    qtbot.wait(20)
    pos = window.timeline.row_position(row_of(window, event_id))
    assert pos is not None, f"{event_id} is not drawn on its own"
    qtbot.mouseClick(
        window.timeline.plot.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(int(pos.x()), int(pos.y())),
    )


def test_clicking_an_event_opens_its_pane(qtbot, window):
    click_event(qtbot, window, "ev-alliance")
    assert window.details.currentWidget() is window.event_pane
    text = window.event_pane.browser.toPlainText()
    for expected in (
        "Shanghai AI Alliance founded",
        "상하이인공지능연맹 창립",
        "2019-07-02",
        "day precision",
        "“지난 2일”",
        "Evidence",
        "지난 2일 상하이에서는",
        "Resolved against the article date",
    ):
        assert expected in text
    assert window.timeline.item.selected_rows == {row_of(window, "ev-alliance")}


def test_hover_shows_title_and_date_words(qtbot, window):
    window.timeline.plot.viewport().update()
    qtbot.wait(20)
    pos = window.timeline.row_position(row_of(window, "ev-conference"))
    qtbot.mouseMove(window.timeline.plot.viewport(), QPoint(int(pos.x()), int(pos.y())))
    qtbot.waitUntil(lambda: "AI ecosystem conference" in window.timeline.item.toolTip())
    tip = window.timeline.item.toolTip()
    assert "2024-08-19" in tip and "2024년 8월 19일" in tip


def test_entity_link_highlights_its_events_and_clear_restores(qtbot, window):
    window.select_event("ev-conference")
    window.event_pane.browser.anchorClicked.emit(QUrl("entity:ent-baidu"))
    assert window.details.currentWidget() is window.entity_pane
    dimmed = window.timeline.item.dimmed
    assert dimmed is not None
    baidu = {"ev-conference", "ev-cooperation", "ev-ernie"}
    for row, ev in enumerate(window.rows.event.tolist()):
        assert dimmed[row] == (window.event_ids[ev] not in baidu)
    window.act_clear.trigger()
    assert window.timeline.item.dimmed is None
    assert window.details.currentWidget() is window.placeholder


def test_browser_lists_by_kind_filters_across_languages_and_selects(qtbot, window):
    assert "ent-baidu" in window.browser.visible_ids()
    window.browser.filter.setText("百度")
    assert window.browser.visible_ids() == ["ent-baidu"]
    window.browser.filter.setText("haidian")
    assert window.browser.visible_ids() == ["ent-haidian"]
    group = window.browser.model.item(0)
    index = group.child(0).index()
    window.browser.tree.clicked.emit(index)
    assert window.entity_pane.detail.entity.id == "ent-haidian"


def test_search_then_enter_jumps(qtbot, window):
    window.search_edit.setText("하이뎬")  # QTest can only type ASCII keys
    qtbot.waitUntil(lambda: window.search_panel.results.count() > 0)
    assert window.left_tabs.currentWidget() is window.search_panel
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    assert window.details.currentWidget() is window.entity_pane
    assert window.entity_pane.detail.entity.id == "ent-haidian"


@pytest.mark.parametrize("query", ['"', "AND", "(", "NEAR(", "'; DROP TABLE events; --"])
def test_odd_search_input_never_breaks(qtbot, window, query):
    window.search_edit.setText(query)
    window.run_search()
    assert "sqlite" not in window.search_panel.status.text().lower()


def test_filters_change_timeline_browser_counts_and_are_clearable(qtbot, window):
    lst = window.filters_panel.lists["categories"]
    item = next(
        lst.item(i)
        for i in range(lst.count())
        if lst.item(i).data(Qt.ItemDataRole.UserRole) == "founding"
    )
    item.setCheckState(Qt.CheckState.Checked)
    shown = {window.event_ids[e] for e in window.rows.event.tolist()}
    assert shown == {"ev-alliance"}
    assert window.browser.counts["ent-baidu"] == 0
    assert "1 of 4 events shown" in window.status.text()
    assert window.filters_bar.isVisible() and len(window.filters_bar.chips) == 1
    window.filters_bar.chips[0].click()
    assert len(window.rows) == 4 and not window.filters_bar.isVisibleTo(window)


def test_entity_and_date_filters(qtbot, window):
    window.select_entity("ent-baidu")
    window.entity_pane.filter_button.click()
    assert {window.event_ids[e] for e in window.rows.event.tolist()} == {
        "ev-conference",
        "ev-cooperation",
        "ev-ernie",
    }
    panel = window.filters_panel
    panel.use_dates.setChecked(True)
    panel.date_from.setDate(panel.date_from.date().fromString("2024-01-01", "yyyy-MM-dd"))
    assert {window.event_ids[e] for e in window.rows.event.tolist()} == {
        "ev-conference",
        "ev-ernie",
    }
    window.filters_bar.sigClearAll.emit()
    assert len(window.rows) == 4


def test_grouping_by_place_entity_kind_and_source(qtbot, window):
    for grouping, lanes in (("place", 3), ("entity_kind", 3), ("source", 2)):
        window.set_grouping(grouping)
        assert window.ws.grouping == grouping
        assert len(window.rows.lanes) == lanes
        ticks = window.timeline.lane_axis._tickLevels[0]
        assert len([n for _, n in ticks if n != "Said"]) == lanes  # and the statements' lane


def test_zoom_changes_axis_ticks_and_keys_navigate(qtbot, window):
    decade = window.timeline.tick_strings()
    assert any(s.isdigit() and len(s) == 4 for s in decade)  # year ticks
    day = epoch_seconds("2024-08-19")
    window.timeline.set_range(day, day + DAY)
    hours = window.timeline.tick_strings()
    assert hours != decade and any(":" in s for s in hours)
    window.timeline.plot.setFocus()
    qtbot.keyClick(window.timeline.plot, Qt.Key.Key_Home)
    x0, x1 = window.timeline.x_range()
    assert x1 - x0 > 5 * 365 * DAY
    qtbot.keyClick(window.timeline.plot, Qt.Key.Key_Plus)
    y0, y1 = window.timeline.x_range()
    assert (y1 - y0) < (x1 - x0) * 0.7
    qtbot.keyClick(window.timeline.plot, Qt.Key.Key_Right)
    z0, _ = window.timeline.x_range()
    assert z0 > y0
    qtbot.keyClick(window.timeline.plot, Qt.Key.Key_Minus)
    w0, w1 = window.timeline.x_range()
    assert (w1 - w0) > (y1 - y0)


def test_wheel_zooms_and_shift_drag_zooms_to_range(qtbot, window):
    vp = window.timeline.plot.viewport()
    x0, x1 = window.timeline.x_range()
    center = vp.rect().center()
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    wheel = QWheelEvent(
        QPointF(center),
        QPointF(vp.mapToGlobal(center)),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(vp, wheel)
    w0, w1 = window.timeline.x_range()
    assert (w1 - w0) < (x1 - x0)
    window.timeline.fit_all()
    qtbot.waitUntil(window.pane.settled)  # laid out before the drag is aimed (slow machine)
    left, right = QPoint(center.x() - 150, center.y()), QPoint(center.x() + 50, center.y())
    vb = window.timeline.view_box
    # the time under the pointer where the drag starts, in the view the user dragged over
    expect0 = vb.mapSceneToView(window.timeline.plot.mapToScene(left)).x()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, left)
    for step in range(1, 11):
        pos = QPoint(left.x() + step * 20, left.y())
        qtbot.mouseMove(vp, pos)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, right)
    s0, s1 = window.timeline.x_range()
    assert (s1 - s0) < (x1 - x0) / 2
    assert abs(s0 - expect0) < (s1 - s0) * 0.2


def test_clicking_a_crowded_count_zooms_in(qtbot, make_window, bundled_copy):
    window = make_window(db=bundled_copy)
    window.set_grouping("source")
    # Baidu Create, the Baidu-Huawei pact and its report (3 and 4 July 2019, one source)
    # crowd together when a decade is in view.
    window.timeline.fit_all()
    window.timeline.plot.viewport().update()
    qtbot.wait(20)
    groups = [h for h in window.timeline.item._hits if len(h.rows) > 1]
    assert groups, "expected a count for crowded events"
    rect = groups[0].rect
    before = window.timeline.x_range()
    from PySide6.QtCore import QPointF

    scene = window.timeline.item.mapToScene(
        window.timeline.item._device.inverted()[0].map(QPointF(rect.center()))
    )
    pos = window.timeline.plot.mapFromScene(scene)
    qtbot.mouseClick(window.timeline.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    after = window.timeline.x_range()
    assert after[1] - after[0] < (before[1] - before[0]) / 4


def test_back_and_forward(qtbot, window):
    window.select_event("ev-alliance")
    window.select_entity("ent-baidu")
    window.select_event("ev-ernie")
    assert window.act_back.isEnabled() and not window.act_forward.isEnabled()
    window.act_back.trigger()
    assert window.entity_pane.detail.entity.id == "ent-baidu"
    assert window.details.currentWidget() is window.entity_pane
    window.act_back.trigger()
    assert window.event_pane.detail.event.id == "ev-alliance"
    assert not window.act_back.isEnabled()
    window.act_forward.trigger()
    assert window.details.currentWidget() is window.entity_pane
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.event_pane.detail.event.id == "ev-ernie"


def test_language_switch_changes_interface_and_data_and_is_remembered(qtbot, make_window, settings):
    window = make_window(lang="ko")
    window.select_event("ev-alliance")
    assert window.act_fit.text() == "전체 보기"
    assert window.event_pane.browser.toPlainText().startswith("상하이인공지능연맹 창립")
    window.lang_combo.setCurrentIndex(1)
    assert window.t.lang == "en" and window.act_fit.text() == "Fit all"
    assert window.event_pane.browser.toPlainText().startswith("Shanghai AI Alliance founded")
    labels = [window.pane._label(r) for r in range(len(window.rows))]
    assert "Shanghai AI Alliance founded" in labels
    window.set_grouping("place")
    window.timeline.set_range(epoch_seconds("2019-01-01"), epoch_seconds("2020-01-01"))
    window.close()
    again = make_window(lang=None, fit=False)
    assert again.t.lang == "en" and again.ws.grouping == "place"
    x0, _ = again.timeline.x_range()
    assert abs(x0 - epoch_seconds("2019-01-01")) < DAY


def test_web_links_open_only_on_click_and_file_links_never(qtbot, window, _no_browser):
    window.select_event("ev-conference")
    html = window.event_pane.browser.toHtml()
    assert "https://example.org/b" in html
    assert _no_browser == []  # showing the pane opened nothing
    window.event_pane.browser.anchorClicked.emit(QUrl("https://example.org/b"))
    window.event_pane.browser.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert _no_browser == ["https://example.org/b"]


def test_hostile_text_is_shown_as_text(qtbot):
    from explorer.ui.rich_text import SafeBrowser, esc

    b = SafeBrowser()
    qtbot.addWidget(b)
    hostile = '<img src="file:///etc/passwd"><script>alert(1)</script><a href="file:///x">x</a>'
    b.set_body(f"<p>{esc(hostile)}</p>")
    assert hostile in b.toPlainText()
    assert "<img" not in b.toHtml().replace("&lt;img", "")


def test_shortcuts_dialog_lists_the_keys_the_actions_have(qtbot, window):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QTableWidget

    from explorer.ui.actions import SPECS

    def shown() -> dict[str, str]:
        dialog = window.show_shortcuts()
        qtbot.addWidget(dialog)
        table = dialog.findChild(QTableWidget)
        rows = {table.item(r, 1).text(): table.item(r, 0).text() for r in range(table.rowCount())}
        dialog.close()
        return rows

    rows = shown()
    native = QKeySequence.SequenceFormat.NativeText
    for spec in SPECS:  # every action with a key, with all its keys (Ctrl+I, Ctrl+Z, …)
        act = window.action_table[spec.name]
        if act.shortcuts():
            keys = [k.toString(native) for k in act.shortcuts()]
            assert all(k in rows[act.text()] for k in keys), spec.name
    assert "Home" in rows[window.t("sc_fit")] and "+" in rows[window.t("sc_zoom")]
    # a key changed on its action is what the help says: one source, no list to drift
    window.action_table["import_file"].setShortcut(QKeySequence("Ctrl+Shift+F9"))
    assert shown()[window.t("import_file")] == QKeySequence("Ctrl+Shift+F9").toString(native)


def test_paints_many_frames_while_zooming(qtbot, window):
    item = window.timeline.item
    start = item.paints
    x0, x1 = window.timeline.x_range()
    for f in np.linspace(0, 1, 120):
        c = x0 + (x1 - x0) * 0.6
        w = (x1 - x0) * (1 - 0.999 * f)
        window.timeline.set_range(c - w / 2, c + w / 2)
        window.timeline.plot.grab()
    assert item.paints - start >= 120


@pytest.mark.parametrize("grouping", ["category", "place", "entity_kind", "source"])
def test_labels_never_overlap_at_any_zoom(qtbot, app_font, make_window, bundled_copy, grouping):
    window = make_window(db=bundled_copy)
    window.set_grouping(grouping)
    window.timeline.fit_all()
    x0, x1 = window.timeline.x_range()
    center = epoch_seconds("2019-07-03")
    checked = 0
    for width in np.geomspace(x1 - x0, 2 * DAY, 14):
        for c in (center, epoch_seconds("2024-06-15"), (x0 + x1) / 2):
            window.timeline.set_range(c - width / 2, c + width / 2)
            window.timeline.plot.grab()
            labels = window.timeline.item.drawn_labels()
            for i, a in enumerate(labels):
                for b in labels[i + 1 :]:
                    overlap = a.intersected(b)
                    assert overlap.width() < 1 or overlap.height() < 1, (grouping, width, a, b)
            checked += len(labels)
    assert checked > 50  # labels were really drawn and compared


def test_follows_light_and_dark_appearance(qtbot, window):
    window.apply_color_scheme(True)
    dark = window.timeline.plot.grab().toImage()
    assert window.timeline.item.style.background.lightness() < 60
    corner = dark.pixelColor(dark.width() - 5, 5)
    assert corner.lightness() < 80
    window.apply_color_scheme(False)
    light = window.timeline.plot.grab().toImage()
    assert light.pixelColor(light.width() - 5, 5).lightness() > 200


def test_touchpad_pinch_zooms(qtbot, window):
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QNativeGestureEvent, QPointingDevice
    from PySide6.QtWidgets import QApplication

    vp = window.timeline.plot.viewport()
    x0, x1 = window.timeline.x_range()
    pos = QPointF(vp.rect().center())
    pinch = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture,
        QPointingDevice.primaryPointingDevice(),
        2,
        pos,
        pos,
        QPointF(vp.mapToGlobal(pos.toPoint())),
        0.5,
        QPointF(0, 0),
        1,
    )
    assert pinch.type() == QEvent.Type.NativeGesture
    QApplication.sendEvent(vp, pinch)
    y0, y1 = window.timeline.x_range()
    assert (y1 - y0) == pytest.approx((x1 - x0) / 1.5, rel=0.01)


def test_dragging_pans(qtbot, window):
    vp = window.timeline.plot.viewport()
    x0, x1 = window.timeline.x_range()
    start = vp.rect().center()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        qtbot.mouseMove(vp, QPoint(start.x() - step * 15, start.y()))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(start.x() - 150, start.y()))
    y0, y1 = window.timeline.x_range()
    assert y0 > x0 and (y1 - y0) == pytest.approx(x1 - x0, rel=1e-6)


def test_entity_pane_lists_events_that_centre_the_timeline_and_charts_figures(
    qtbot, make_window, bundled_copy
):
    window = make_window(db=bundled_copy)
    window.select_entity("ent-china")
    pane = window.entity_pane
    assert pane.events.count() == 3 and pane.claims.rowCount() >= 5
    pane.tabs.setCurrentWidget(pane.figures)  # the figures have a tab of their own
    assert pane.chart.isVisibleTo(window)
    assert "ai_market_size" in [
        pane.chart_metric.itemData(i)[0] for i in range(pane.chart_metric.count())
    ]
    day = epoch_seconds("2015-06-01")
    window.timeline.set_range(epoch_seconds("2024-01-01"), epoch_seconds("2024-03-01"))
    pane.events.itemClicked.emit(pane.events.item(0))  # Made in China 2025, 2015-2025
    x0, x1 = window.timeline.x_range()
    assert x0 <= day <= x1
    assert window.event_pane.detail.event.id == "ev-2015-made-in-china-2025"


def test_qt_standard_dialogs_follow_the_interface_language(qtbot, window):
    from PySide6.QtCore import QCoreApplication

    window.set_language("ko")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "취소"
    window.set_language("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_a_label_inside_its_bar_is_not_struck_through(make_window, bundled_copy, qtbot):
    from PySide6.QtGui import QColor

    window = make_window(db=bundled_copy)
    window.timeline.set_range(epoch_seconds("2014-06-01"), epoch_seconds("2020-01-01"))
    qtbot.wait(10)
    image = window.timeline.plot.grab().toImage()  # paints, and records the hits
    row = window.event_ids.index("ev-2015-made-in-china-2025")
    rows = window.timeline.item.rows
    [label] = [
        h for h in window.timeline.item._hits
        if h.label and any(int(rows.event[r]) == row for r in h.rows)
    ]  # fmt: skip
    core = window.timeline.item.style.color("policy")
    ratio = image.devicePixelRatio()
    crimson = 0
    rect = label.rect
    for x in range(int(rect.left()), int(rect.right())):
        for y in range(int(rect.top()), int(rect.bottom())):
            c = QColor(image.pixel(int(x * ratio), int(y * ratio)))
            if (
                abs(c.red() - core.red())
                + abs(c.green() - core.green())
                + abs(c.blue() - core.blue())
                < 60
            ):
                crimson += 1
    assert crimson < 0.02 * rect.width() * rect.height()  # the bar's line stops at the text


def test_a_source_found_by_search_opens_its_pane_on_click(qtbot, make_window, bundled_copy):
    """A click on a source result did nothing and a double click silently filtered."""
    window = make_window(db=bundled_copy)
    window.search_edit.setText("korea.beijing.gov.cn")
    window.run_search()
    results = window.search_panel.results
    row = next(i for i in range(results.count()) if results.item(i).data(0x0100)[0] == "source")
    window.search_panel._chosen(results.item(row))
    assert window.details.currentWidget() is window.source_pane
    text = window.source_pane.browser.toPlainText()
    assert "korea.beijing.gov.cn" in text and "written in 2024, not 2025" in text
    assert not window.ws.filters.active  # a click never filters by itself


def test_switching_language_renames_the_lanes_at_once(qtbot, window):
    """The lanes kept the old language's names until a restart: the timeline was told of
    the change before the window had switched its words."""

    def lanes():
        qtbot.waitUntil(window.pane.settled)
        return [n for _, n in window.timeline.lane_axis._tickLevels[0]]

    english = lanes()
    assert "Said" in english
    window.set_language("ko")
    korean = lanes()
    assert "발언" in korean and "Said" not in korean
    assert not set(english) & set(korean) - {""}
    window.set_language("en")
    assert lanes() == english
