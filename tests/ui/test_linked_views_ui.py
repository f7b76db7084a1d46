"""The linked views in the real window, driven as a user would: a click in each view selects
everywhere (checked in the workspace and in every other view), the views follow the
timeline's window, Tab and the arrow keys move on the timeline and in the network, each view
describes itself to assistive technology (read through QAccessible), the docks are
remembered per project, rows are copied and exported. Offscreen; any Qt warning fails."""

from __future__ import annotations

import csv
import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAccessible, QGuiApplication

from explorer.model.session import Session
from explorer.model.timeline import epoch_seconds
from explorer.ui.main_window import MainWindow


@pytest.fixture
def window(make_window, bundled_copy):
    w = make_window(db=bundled_copy)
    w.ws.set_window(epoch_seconds("2024-01-01"), epoch_seconds("2026-01-01"))
    return w


def show(qtbot, window, name):
    window.linked_views.show(name)
    view = window.linked_views.views[name]
    qtbot.waitUntil(view.settled, timeout=10000)
    qtbot.waitUntil(lambda: not getattr(view, "moving", False), timeout=5000)
    qtbot.wait(20)
    return view


def click_view(qtbot, plot, xy):
    """Click a plot at a point in its view's coordinates."""
    scene = plot.getViewBox().mapViewToScene(QPointF(*xy))
    pos = plot.mapFromScene(scene)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def described(widget) -> tuple[str, str]:
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None
    return iface.text(QAccessible.Text.Name), iface.text(QAccessible.Text.Description)


def test_a_node_clicked_in_the_network_is_selected_everywhere(qtbot, window):
    net = show(qtbot, window, "network")
    table = show(qtbot, window, "table")
    lifelines = show(qtbot, window, "lifelines")
    show(qtbot, window, "network")
    node = "ent-haidian"
    assert node in net.positions
    click_view(qtbot, net.plot, net.positions[node])
    ws = window.ws
    assert ws.selected_entity == node and ws.highlight_entity == node
    assert window.details.currentWidget() is window.entity_pane  # the pane
    assert window.act_back.isEnabled() or ws.history.current.id == node  # the history
    assert net.ring.data.size == 1  # the network rings it
    # the timeline dims what the entity is not in
    ids = window.pane.shown_ids()
    dimmed = window.timeline.item.dimmed
    assert dimmed is not None
    for i, ident in enumerate(ids):
        assert bool(dimmed[i]) == (ident not in ws.catalog.entity_events[node])
    # the lifelines show it first, with whom it appears
    qtbot.waitUntil(lifelines.settled, timeout=10000)
    assert lifelines.rows[0].entity == node
    assert "Haidian" in described(lifelines)[1] or "Haidian" in lifelines.summary()
    assert table.settled()


def test_an_edge_lists_and_highlights_the_shared_events(qtbot, window):
    net = show(qtbot, window, "network")
    edge = next(e for e in net.net.edges if e.weight >= 2)
    a, b = (net.positions[e] for e in (edge.a, edge.b))
    # a point on the edge, away from both nodes
    for t in (0.5, 0.4, 0.6, 0.3, 0.7):
        mid = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        scene = net.plot.getViewBox().mapViewToScene(QPointF(*mid))
        if net.node_at(scene) is None and net.edge_at(scene) == edge:
            break
    else:
        pytest.skip("no free point on that edge")
    click_view(qtbot, net.plot, mid)
    qtbot.waitUntil(lambda: net.shared_result is not None, timeout=10000)
    both = window.ws.catalog.entity_events[edge.a] & window.ws.catalog.entity_events[edge.b]
    assert window.ws.highlight_events == frozenset(both)
    assert net.shared.isVisible() and net.shared.count() == len(both) + 1  # with its heading
    keep = window.ws.highlighted(window.pane.shown_ids())
    assert keep == both & set(window.pane.shown_ids())
    # a listed event is selected everywhere with a click
    item = net.shared.item(1)
    net._shared_chosen(item)
    assert window.ws.selected_event == item.data(Qt.ItemDataRole.UserRole)


def test_a_marker_clicked_on_the_map_selects_the_place(qtbot, window):
    net = show(qtbot, window, "network")
    geo_view = show(qtbot, window, "map")
    click_view(qtbot, geo_view.plot, geo_view.positions["ent-hong-kong"])
    assert window.ws.selected_entity == "ent-hong-kong"
    assert geo_view.ring.data.size == 1
    assert "Hong Kong" in described(geo_view)[1]
    # where markers overlap, the one drawn on top is picked
    beijing = geo_view.positions["ent-beijing"]
    scene = geo_view.plot.getViewBox().mapViewToScene(QPointF(*beijing))
    on_top = geo_view.marker_at(scene)
    smaller = [m.id for m in geo_view.markers_list if m.events < 10]
    assert on_top in smaller
    assert "ent-hong-kong" in net.positions  # and the network rings it too
    net.show_selection()
    assert net.ring.data.size == 1


def test_an_approximate_place_is_drawn_hollow_and_says_whose_point_it_is(qtbot, window):
    geo_view = show(qtbot, window, "map")
    spots = {p.data(): p for p in geo_view.markers.points()}
    own, near = spots["ent-haidian"], spots["ent-zhongguancun-science-city"]
    assert near.pos() == own.pos()  # the point of the district that contains it
    assert own.brush().color().alpha() > 150 and own.pen().style() == Qt.PenStyle.SolidLine
    assert near.brush().color().alpha() < 150 and near.pen().style() == Qt.PenStyle.DashLine
    tip = geo_view._tip(0, 0, "ent-zhongguancun-science-city")
    assert tip.splitlines()[1] == "approximate: the point of Haidian District"
    assert "approximate" not in geo_view._tip(0, 0, "ent-haidian")
    assert "at the point of a place containing them (approximate)" in described(geo_view)[1]
    geo_view.choose("ent-zhongguancun-science-city")
    assert "approximate: the point of Haidian District" in geo_view.plot.toolTip()
    # its pale ring shows over the filled disc it shares its point with
    image = geo_view.plot.grab().toImage()
    vb = geo_view.plot.getViewBox()
    centre = geo_view.plot.mapFromScene(vb.mapViewToScene(QPointF(*own.pos())))
    hk = geo_view.plot.mapFromScene(vb.mapViewToScene(QPointF(*spots["ent-hong-kong"].pos())))
    assert image.pixelColor(centre.x(), centre.y()).green() > 150  # pale, over the disc
    assert image.pixelColor(hk.x(), hk.y()).green() < 150  # a place's own point: filled


def test_a_mark_clicked_in_the_lifelines_selects_its_event(qtbot, window):
    table = show(qtbot, window, "table")
    lines = show(qtbot, window, "lifelines")
    (x0, x1), _ = lines.plot.getViewBox().viewRange()
    row, mark = next(
        (i, k)
        for i, r in enumerate(lines.rows)
        for k, start in enumerate(r.x0.tolist())
        if x0 < start < x1 and r.x1[k] - start <= 86400
    )
    line = lines.rows[row]
    click_view(qtbot, lines.plot, (line.x0[mark] + 3600, row))
    chosen = window.ws.selected_event
    assert chosen is not None and chosen in line.ids
    assert lines.item.selected == chosen
    # the table has followed (its row selected)
    window.linked_views.show("table")
    qtbot.waitUntil(table.settled, timeout=10000)
    table.show_selection()
    current = table.table.currentIndex()
    assert current.isValid() and table.model.row(current.row()).id == chosen


def test_a_row_clicked_in_the_table_selects_the_event_everywhere(qtbot, window):
    table = show(qtbot, window, "table")
    index = table.model.index(2, 1)
    rect = table.table.visualRect(index)
    qtbot.mouseClick(table.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    chosen = table.model.row(2).id
    assert window.ws.selected_event == chosen
    assert window.details.currentWidget() is window.event_pane
    rows = [i for i, e in enumerate(window.pane.shown_ids()) if e == chosen]
    assert window.timeline.item.selected_rows == set(rows)
    # and back: an event selected elsewhere selects its row
    other = table.model.row(0).id
    window.select_event(other)
    assert table.model.row(table.table.currentIndex().row()).id == other


def test_the_table_sorts_copies_and_exports(qtbot, window, tmp_path):
    table = show(qtbot, window, "table")
    table.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: table.settled() and table.result.sort == "title", timeout=10000)
    events = {e.id: e for e in window.ws.catalog.events}
    rows = [table.model.row(i) for i in range(table.model.rowCount())]
    titles = [events[r.id].title_en or events[r.id].title for r in rows]
    assert titles == sorted(titles)
    table.table.selectRow(0)
    text = table.copy_rows()
    assert QGuiApplication.clipboard().text() == text
    assert text.splitlines()[0].split("\t") == ["Date", "Title", "Category", "Source"]
    assert rows[0].title in text and len(text.splitlines()) == 2
    out = table.export_rows(tmp_path / "rows.csv")
    with open(out, encoding="utf-8") as f:
        read = list(csv.reader(f))
    assert len(read) == table.model.rowCount() + 1
    assert [r[4] for r in read[1:]] == [r.id for r in rows]


def test_the_views_follow_the_timeline_s_window(qtbot, window):
    table = show(qtbot, window, "table")
    lines = show(qtbot, window, "lifelines")
    before = len(lines.result.rows), len(table.result)
    window.timeline.set_range(epoch_seconds("2019-01-01"), epoch_seconds("2020-01-01"))
    qtbot.waitUntil(lambda: lines.settled() and "2019-01-01" in lines.summary(), timeout=10000)
    (x0, _), _ = lines.plot.getViewBox().viewRange()
    assert abs(x0 - epoch_seconds("2019-01-01")) < 86400 * 3
    window.linked_views.show("table")
    qtbot.waitUntil(lambda: table.settled() and "2019-01-01" in table.summary(), timeout=10000)
    assert len(table.result) == 7 != before[1]
    # panning the lifelines moves the timeline
    lines.plot.getViewBox().setXRange(
        epoch_seconds("2024-01-01"), epoch_seconds("2025-01-01"), padding=0
    )
    tx0, _ = window.timeline.x_range()
    assert abs(tx0 - epoch_seconds("2024-01-01")) < 86400 * 3


def test_tab_and_arrows_move_from_event_to_event_on_the_timeline(qtbot, window):
    plot = window.timeline.plot
    plot.setFocus()
    qtbot.keyClick(plot, Qt.Key.Key_Tab)
    first = window.ws.selected_event
    shown = window.pane.shown_ids()
    starts = [window.rows.x0[i] for i, e in enumerate(shown) if e == first]
    x0, x1 = window.timeline.x_range()
    rows = window.rows
    visible = [
        a for a, b in zip(rows.x0.tolist(), rows.x1.tolist(), strict=True) if b > x0 and a < x1
    ]
    assert first is not None and min(starts) == min(visible)
    qtbot.keyClick(plot, Qt.Key.Key_Tab)
    second = window.ws.selected_event
    assert second != first
    qtbot.keyClick(plot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert window.ws.selected_event == first
    assert plot.hasFocus()  # Tab stayed on the timeline
    qtbot.keyClick(plot, Qt.Key.Key_Down)
    down = window.ws.selected_event
    lane = {e: int(window.rows.lane[i]) for i, e in enumerate(shown)}
    assert lane[down] > lane[first]
    rows = window.timeline.item.selected_rows
    assert rows and all(shown[r] == down for r in rows)  # the visible focus
    name, text = described(plot)
    assert name == "Timeline" and text.startswith("2024-01-01 – 2025-12-31: ")
    assert "events in" in text and "selected: " in text


def test_tab_and_arrows_move_from_node_to_node(qtbot, window):
    net = show(qtbot, window, "network")
    net.plot.setFocus()
    qtbot.keyClick(net.plot, Qt.Key.Key_Tab)
    assert window.ws.selected_entity == net.order[0]
    qtbot.keyClick(net.plot, Qt.Key.Key_Tab)
    assert window.ws.selected_entity == net.order[1]
    qtbot.keyClick(net.plot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert window.ws.selected_entity == net.order[0]
    x, _ = net.positions[net.order[0]]
    qtbot.keyClick(net.plot, Qt.Key.Key_Right)
    moved = window.ws.selected_entity
    assert moved != net.order[0] and net.positions[moved][0] > x
    assert net.ring.data.size == 1  # the visible focus
    assert net.plot.hasFocus()


def test_each_view_describes_what_it_shows(qtbot, window):
    expected = {
        "network": "entities,",
        "map": "places",
        "lifelines": "lifelines of",
        "table": "events",
    }
    for name, words in expected.items():
        view = show(qtbot, window, name)
        iface_name, text = described(view)
        assert iface_name and text.startswith("2024-01-01 – 2025-12-31: ") and words in text
        assert view.caption.text() == text
    window.set_language("ko")
    view = window.linked_views.views["table"]
    qtbot.waitUntil(view.settled, timeout=10000)
    assert "사건" in described(view)[1] and described(view)[0] == "사건 표"
    net = window.linked_views.views["network"]
    window.linked_views.show("network")
    qtbot.waitUntil(lambda: net.settled() and not net.moving, timeout=10000)
    assert "바이두" in net.labels.texts and "Baidu" not in net.labels.texts  # names in Korean
    assert described(net)[0] == "관계망: 같은 사건에 함께 등장한 개체"


def test_the_docks_are_remembered_per_project(qtbot, make_window, bundled_copy, mini_db):
    first = make_window(db=bundled_copy)
    first.action_table["show_map"].trigger()
    assert not first.linked_views.docks["map"].isHidden()
    assert first.action_table["show_map"].isChecked()
    right = Qt.DockWidgetArea.RightDockWidgetArea
    first.addDockWidget(right, first.linked_views.docks["map"])  # the user moved it
    first.close()
    again = make_window(db=bundled_copy)
    assert not again.linked_views.docks["map"].isHidden()
    assert again.dockWidgetArea(again.linked_views.docks["map"]) == right
    assert again.linked_views.docks["network"].isHidden()
    other = make_window(db=mini_db)
    assert other.linked_views.docks["map"].isHidden()
    again.action_table["show_map"].trigger()  # unchecking hides it, and that is kept
    assert again.linked_views.docks["map"].isHidden()


def test_a_view_shown_under_the_timeline_comes_back_at_its_height(qtbot, bundled_copy, settings):
    """A view the project showed is made before its dock is restored: a dock restored
    empty and filled after took more of the height than it had when the window closed
    (at 1024x700, 313 pixels of 548 instead of 270 of 555)."""
    heights = []
    for _ in range(2):
        with Session.open(bundled_copy) as session:
            w = MainWindow(session, settings, lang="en")
            qtbot.addWidget(w)
            if not heights:
                w.resize(1024, 700)  # the second takes its size from the settings
            w.show()
            qtbot.waitExposed(w)
            if not heights:
                show(qtbot, w, "network")
            else:
                assert list(w.linked_views.views) == ["network"]
                qtbot.waitUntil(w.linked_views.views["network"].settled, timeout=10000)
            qtbot.wait(100)  # the docks laid out, the view's share taken
            heights.append((w.linked_views.docks["network"].height(), w.timeline.height()))
            w.close()
    (dock, timeline), (dock_again, timeline_again) = heights
    assert abs(dock_again - dock) <= 4 and abs(timeline_again - timeline) <= 4


def test_a_source_selected_from_the_table_highlights_its_events(qtbot, window):
    table = show(qtbot, window, "table")
    ident = table.model.row(0).id
    source = table._sources_of(ident)[0]
    window.ws.select_source(source)
    cited = {e for e, s in window.ws.catalog.event_sources.items() if source in s}
    assert window.ws.highlight_events == frozenset(cited)
    assert window.details.currentWidget() is window.source_pane  # what it is, and what cites it
    window.ws.back()
    window.ws.forward()
    assert window.ws.selected_source == source


def test_a_click_on_empty_space_selects_nothing(qtbot, window):
    net = show(qtbot, window, "network")
    vb = net.plot.getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    corner = (x0 + (x1 - x0) * 0.01, y0 + (y1 - y0) * 0.01)
    scene = vb.mapViewToScene(QPointF(*corner))
    if net.node_at(scene) is None and net.edge_at(scene) is None:
        click_view(qtbot, net.plot, corner)
        assert window.ws.selected_entity is None and window.ws.highlight_events is None


def test_closing_the_window_stops_the_views(qtbot, make_window, bundled_copy):
    w = make_window(db=bundled_copy)
    show(qtbot, w, "network")
    w.close()
    assert not w.ws.listeners or all(
        getattr(fn, "__self__", None) not in w.linked_views.views.values() for fn in w.ws.listeners
    )


@pytest.mark.parametrize("name", ["network", "map"])
def test_an_exported_picture_can_include_the_network_or_the_map(qtbot, window, tmp_path, name):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from explorer.ui.export_view_dialog import ExportViewDialog

    view = show(qtbot, window, name)
    assert name in [n for n, _ in window.linked_views.exportable()]
    size = QSize(1200, 900)
    alone = window.transfer.write_view(tmp_path / "alone.png", size, 96)
    both = window.transfer.write_view(tmp_path / "both.png", size, 96, include=name)
    a, b = QImage(str(alone)), QImage(str(both))
    assert a.size() == b.size() == size
    # the lower half is the view: it differs from the timeline drawn alone
    lower = [(x, y) for x in range(0, 1200, 40) for y in range(500, 900, 40)]
    assert sum(a.pixel(x, y) != b.pixel(x, y) for x, y in lower) > len(lower) // 4
    svg = window.transfer.write_view(tmp_path / "both.svg", size, 96, include=name)
    text = svg.read_text(encoding="utf-8")
    shown = view.labels.shown
    assert shown, "some names were drawn"
    first = view.labels.texts[shown[0]]
    assert first in text  # the view's names are in the picture
    assert view.isVisible()  # and the view is back in its dock, as it was
    dialog = ExportViewDialog(window.t, tmp_path / "x.png", size, window, [(name, "N")])
    dialog.include.setCurrentIndex(1)
    assert dialog.included() == name
    dialog.include.setCurrentIndex(0)
    assert dialog.included() is None


@pytest.fixture(scope="module")
def larger(tmp_path_factory):
    """A project over the inline limit: its views are computed on the worker."""
    from explorer.dataset.demo import generate

    out = tmp_path_factory.mktemp("larger") / "demo.db"
    generate(out, 8000, seed=3)
    return out


def test_a_large_project_s_views_come_from_the_worker_and_stale_ones_are_dropped(
    qtbot, make_window, larger
):
    w = make_window(db=larger)
    assert not w.ws.inline_views and w.linked_views.service._thread is not None
    net = show(qtbot, w, "network")
    received = []
    handler = w.linked_views.service.handlers["network"]
    w.linked_views.service.handlers["network"] = lambda r: (received.append(r), handler(r))
    starts = [epoch_seconds(f"{y}-01-01") for y in range(2000, 2012)]
    for x0 in starts:  # the window moves faster than the views settle
        w.ws.set_window(x0, x0 + 365 * 86400)
        net.request()  # as if each position had settled: many requests in flight
    qtbot.waitUntil(net.settled, timeout=20000)
    assert net.result.generation == net.generation
    assert net.summary().startswith("2011-01-01 – 2011-12-31: ")
    # the worker ran only the newest waiting request: fewer results than requests
    assert len(received) < len(starts)
    (count,) = w.ws.session.store.db.execute(
        "SELECT count(*) FROM events WHERE t1 > ? AND t0 < ?",
        [starts[-1], starts[-1] + 365 * 86400],
    ).fetchone()
    assert net.net.events == count


def test_the_network_glides_to_its_new_layout(qtbot, window):
    net = show(qtbot, window, "network")
    old = dict(net.positions)
    frames = []
    original = net._frame

    def spy():
        original()
        frames.append(dict(net._drawn))

    net._animate.timeout.disconnect()
    net._animate.timeout.connect(spy)
    window.ws.set_window(epoch_seconds("2023-06-01"), epoch_seconds("2026-01-01"))
    qtbot.waitUntil(lambda: net.settled() and not net.moving, timeout=10000)
    new = net.positions
    stay = [k for k in new if k in old and old[k] != new[k]]
    assert stay and len(frames) >= 3
    # each staying node moves a little at each step, from where it was to its new place
    for k in stay:
        path = [old[k], *(f[k] for f in frames)]
        steps = [float(np.hypot(b[0] - a[0], b[1] - a[1])) for a, b in itertools.pairwise(path)]
        total = float(np.hypot(new[k][0] - old[k][0], new[k][1] - old[k][1]))
        assert max(steps) < 0.75 * total + 1e-9
    assert frames[-1] == {k: new[k] for k in new}


def test_every_lifeline_is_named_within_the_labels_width(qtbot, window):
    from PySide6.QtGui import QFontMetrics

    from explorer.ui.lifelines_view import LABEL_WIDTH

    window.ws.set_window(epoch_seconds("2019-01-01"), epoch_seconds("2020-01-01"))
    lines = show(qtbot, window, "lifelines")
    names = [lines._row_label(r) for r in lines.rows]
    metrics = QFontMetrics(lines.font())
    assert len(names) == len(lines.rows) == 10
    assert all(metrics.horizontalAdvance(n) <= LABEL_WIDTH - 10 for n in names)
    assert any("…" in n for n in names)  # a long name is cut, not dropped


def test_a_view_shown_under_the_timeline_leaves_it_most_of_the_height(qtbot, window):
    """Shown in a real window at 1366x768, the network took what its drawing asked for and
    left the timeline's ten lanes 30 pixels."""
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    show(qtbot, window, "network")
    dock = window.linked_views.docks["network"]
    central = window.centralWidget()
    qtbot.waitUntil(lambda: central.height() >= dock.height(), timeout=3000)
    assert central.height() >= 200 and dock.height() >= 150
    window.resize(1024, 600)  # squeezed: the timeline keeps its least height
    qtbot.wait(50)
    assert central.height() >= 200


def test_the_views_cost_the_windows_start_nothing_until_shown(qtbot, window):
    """Importing networkx and reading the base map took 1.8 s of every start, shown or not."""
    import subprocess
    import sys

    # nor do the readers of other tools' files, Markdown and YAML (40-80 ms of it)
    heavy = ("networkx", "icalendar", "lxml", "markdown_it", "yaml")
    code = (
        "import sys, explorer.cli, explorer.ui.main_window;"
        f" print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    # no view is made before it is first shown (their plots took 50-70 ms of every start)
    assert window.linked_views.views == {}
    map_view = show(qtbot, window, "map")
    assert list(window.linked_views.views) == ["map"]
    assert map_view._base_read and not map_view.land.path().isEmpty()
    # a view made once the window is open takes the workspace's period, not its plot's own
    period = window.ws.window
    show(qtbot, window, "lifelines")
    assert window.ws.window == pytest.approx(period)
