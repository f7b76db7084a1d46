"""A researcher's first hour, as one journey through the real window, from an empty user
folder (nothing made beforehand) to a restart: open the bundled data, bring a TimelineJS
file in as a layer and as a project of its own, find an event, write a note and an event of
one's own, export TimelineJS, HTML, PNG and SVG, quit, start again, and find everything as
it was left, each project on its own view. Keys and clicks drive it where a user would
use them; file dialogs (the desktop's own) are answered by the test."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from explorer import paths
from explorer.model.session import Session
from explorer.ui.app import user_settings
from explorer.ui.import_dialog import ImportDialog
from explorer.ui.main_window import MainWindow
from explorer.ui.note_editor import NoteEditor
from explorer.ui.own_dialogs import OwnEventDialog

CORPUS = Path(__file__).parents[1] / "fixtures" / "interop" / "timelinejs"
WOMEN = CORPUS / "timelinejs3-women_in_computing.json"


def start(qtbot) -> tuple[MainWindow, Session]:
    """What `explorer` does: the bundled data, the user's settings, a real window."""
    session = Session.open(paths.default_db())
    window = MainWindow(session, user_settings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.pane.settled, timeout=10000)
    return window, session


def keys(qtbot, widget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as a user presses it: on the active window (where its shortcuts work)."""
    top = widget.window()
    top.activateWindow()
    qtbot.waitUntil(top.isActiveWindow, timeout=2000)
    qtbot.keyClick(widget, key, modifiers)
    QApplication.processEvents()


def top_dialog(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert found, f"no {kind.__name__} is open"
    return found[-1]


def press_ok(qtbot, dialog) -> None:
    """Click the dialog's accepting button (Import, Save)."""
    box = dialog.findChild(QDialogButtonBox)
    accept = next(
        b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
    )
    assert accept.isEnabled(), accept.text()
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)


def import_with_keys(qtbot, window, monkeypatch, as_layer: bool) -> ImportDialog:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(WOMEN), ""))
    keys(qtbot, window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = top_dialog(ImportDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.batch is not None, timeout=10000)
    radio = dialog.as_layer if as_layer else dialog.as_project
    # on its circle and words, where a user clicks (the button is wider than its text)
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()
    press_ok(qtbot, dialog)
    return dialog


def test_the_first_hour_end_to_end(qtbot, monkeypatch, tmp_path):
    home = paths.user_data_dir()
    assert not home.exists()  # an empty user folder: nothing made beforehand
    window, session = start(qtbot)
    curated = window.ws.total_events

    # 1. the file as a layer of one's own, beside the curated data
    layer = import_with_keys(qtbot, window, monkeypatch, as_layer=True)
    qtbot.waitUntil(lambda: layer.layer_report is not None, timeout=10000)
    added = layer.layer_report.layer.events
    assert added == 10 and len(window.ws.catalog.events) == curated + added

    # 2. the same file as a project of its own, in a window of its own
    made = import_with_keys(qtbot, window, monkeypatch, as_layer=False)
    qtbot.waitUntil(lambda: bool(window.transfer.windows), timeout=10000)
    project = window.transfer.windows[-1]
    qtbot.addWidget(project)
    assert made.report is not None and made.report.added["events"] == 10
    assert project.ws.path.parent == home / "projects"  # the folder it needed was made
    qtbot.waitUntil(project.pane.settled, timeout=10000)
    project.timeline.plot.setFocus()
    keys(qtbot, project.timeline.plot, Qt.Key.Key_Plus)  # zoom in on its own view
    its_view = project.timeline.x_range()
    keys(qtbot, project, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)  # close it
    assert not project.isVisible()

    # 3. find an event: Ctrl+F, type, Enter
    keys(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_edit.hasFocus()
    window.search_edit.setText("시진핑")  # QTest types ASCII only; the rest is as typed
    qtbot.waitUntil(lambda: window.search_panel.results.count() > 0)
    keys(qtbot, window.search_edit, Qt.Key.Key_Return)
    assert window.details.currentWidget() in (window.event_pane, window.entity_pane)
    event_id = window.ws.history.current.id

    # 4. a note on it: Ctrl+N, type, Save
    window.select_event(next(e.id for e in window.ws.catalog.events if e.origin == "curated"))
    keys(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = top_dialog(NoteEditor)
    qtbot.waitExposed(editor)
    qtbot.keyClicks(editor.text, "check the date in the Chinese original")
    press_ok(qtbot, editor)
    assert "check the date in the Chinese original" in window.event_pane.browser.toPlainText()

    # 5. an event of one's own: Ctrl+Shift+N, fill in, Save
    keys(
        qtbot,
        window,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    own = top_dialog(OwnEventDialog)
    qtbot.waitExposed(own)
    qtbot.keyClicks(own.title, "Interview with a Haidian official")
    qtbot.keyClicks(own.start, "2024-08-20")
    press_ok(qtbot, own)
    mine = [e for e in window.ws.catalog.events if e.title.startswith("Interview")]
    assert len(mine) == 1 and mine[0].origin == "own"

    # 6. exports: TimelineJS and an HTML report of the events shown, a PNG and an SVG
    window.fit_all()
    qtbot.waitUntil(window.pane.settled, timeout=10000)
    out = tmp_path / "out"
    for name, kind in (("t.timelinejs.json", "timelinejs"), ("r.html", "html")):
        written = window.transfer.export_data(kind, out / name)
        assert written == out / name
        text = written.read_text("utf-8")
        assert "Interview with a Haidian official" in text  # one's own event
        assert "Grace Hopper" in text or "Hopper" in text  # the layer's
    report = (out / "r.html").read_text("utf-8")
    assert "check the date in the Chinese original" in report  # the note
    doc = json.loads((out / "t.timelinejs.json").read_text("utf-8"))
    assert len(doc["events"]) >= curated + added + 1
    png = window.transfer.write_view(out / "view.png", QSize(1600, 900), 96)
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1600, 900)
    svg = window.transfer.write_view(out / "view.svg", QSize(1600, 900), 96)
    assert ET.parse(svg).getroot().tag.endswith("svg")
    leaving_view = window.timeline.x_range()

    # 7. quit, and start again: everything is there, each project on its own view
    keys(qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    session.close()
    again, session = start(qtbot)
    assert len(again.ws.catalog.events) == curated + added + 1  # the layer and one's own
    assert [n.text for n in again.ws.notes()] == ["check the date in the Chinese original"]
    assert again.timeline.x_range() == pytest.approx(leaving_view, rel=1e-6)
    assert event_id  # found in step 3
    reopened = again.projects.open_path(project.ws.path)
    qtbot.addWidget(reopened)
    qtbot.waitUntil(reopened.pane.settled, timeout=10000)
    assert reopened.timeline.x_range() == pytest.approx(its_view, rel=1e-6)
    reopened.close()
    again.close()
    session.close()
