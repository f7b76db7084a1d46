"""A project from elsewhere opens at once and is checked in full once the window has painted,
read-only meanwhile; a damaged one gets the message opening it used to give, then closes."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QApplication, QMessageBox

from explorer.store import checked_files
from explorer.store.integrity import IntegrityCheck
from explorer.ui import file_check
from tests.store.test_checked_files import drop_index_entries, indexed


def project_windows(path):
    return [
        w
        for w in QApplication.topLevelWidgets()
        if getattr(w, "ws", None) is not None and w.ws.path.resolve() == path.resolve()
    ]


def test_a_file_from_elsewhere_is_checked_after_the_window_has_painted(
    make_window, mini_template, tmp_path, qtbot, monkeypatch
):
    colleague = tmp_path / "colleague.db"
    shutil.copyfile(mini_template, colleague)  # a copy: not known to be sound
    assert not checked_files.known(colleague)
    painted_before = []
    real_run = IntegrityCheck.run

    def run(self):
        painted_before.append(max(w.pane.view.item.paints for w in project_windows(colleague)))
        return real_run(self)

    monkeypatch.setattr(IntegrityCheck, "run", run)
    monkeypatch.setattr(file_check, "QUIET_SECONDS", 0.0)  # a small file: said all the same
    window = make_window()
    opened = window.projects.open_path(colleague)
    qtbot.addWidget(opened)
    store = opened.ws.session.store
    assert store.awaiting_check and not store.writable  # opened without the check
    # and read meanwhile: the events of the view came through a temporary table, which the
    # connection refused while it refused writes ("attempt to write a readonly database")
    assert opened.pane.errors == [] and opened.pane.result.rows is not None
    check = opened.projects.check
    qtbot.waitUntil(lambda: check.outcome is not None, timeout=20000)
    assert painted_before and painted_before[0] >= 1  # the timeline had painted first
    assert check.outcome.ok and store.check_state == "checked" and not store.awaiting_check
    assert "checked in" in opened.statusBar().currentMessage()
    assert checked_files.known(colleague)
    opened.close()
    again = window.projects.open_path(colleague)  # known now: nothing to check
    qtbot.addWidget(again)
    assert not again.ws.session.store.awaiting_check and again.projects.check.task is None
    again.close()
    assert len(painted_before) == 1


def test_a_damaged_file_from_elsewhere_is_named_and_closed_once_checked(
    make_window, mini_template, tmp_path, qtbot
):
    colleague = tmp_path / "colleague.db"
    shutil.copyfile(mini_template, colleague)
    drop_index_entries(colleague, indexed(colleague))  # every page reads; an index lies
    window = make_window()
    opened = window.projects.open_path(colleague)  # opens: the damage is not read yet
    qtbot.addWidget(opened)
    assert opened.isVisible() and opened.ws.session.store.awaiting_check
    qtbot.waitUntil(
        lambda: opened.findChild(QMessageBox, "damaged_file") is not None, timeout=20000
    )
    box = opened.findChild(QMessageBox, "damaged_file")
    assert box.text().startswith(f"{colleague} is damaged") and "missing from index" in box.text()
    assert not opened.ws.session.store.check_passed(opened.projects.check.outcome)
    box.accept()
    qtbot.waitUntil(lambda: not opened.isVisible(), timeout=5000)
    assert window.isVisible()  # the window it was opened from stays
    assert not checked_files.known(colleague)


def test_a_quick_check_says_nothing(make_window, mini_template, tmp_path, qtbot):
    """The bundled data or a small project from a fresh user folder: checked in a blink,
    with nothing in the status bar (as the command line says nothing under half a second)."""
    colleague = tmp_path / "colleague.db"
    shutil.copyfile(mini_template, colleague)
    window = make_window()
    opened = window.projects.open_path(colleague)
    qtbot.addWidget(opened)
    check = opened.projects.check
    qtbot.waitUntil(lambda: check.outcome is not None, timeout=20000)
    assert check.outcome.ok and check.outcome.seconds < file_check.QUIET_SECONDS
    assert not opened.ws.session.store.awaiting_check
    assert "colleague.db" not in opened.statusBar().currentMessage()
    opened.close()


def test_closing_the_window_stops_its_check_at_once(
    make_window, mini_template, tmp_path, qtbot, monkeypatch
):
    """A check of a large file reads for minutes; closing the window interrupts it (the
    file is checked when next opened) rather than waiting for it."""
    import threading
    import time

    colleague = tmp_path / "colleague.db"
    shutil.copyfile(mini_template, colleague)
    began, real_run = threading.Event(), IntegrityCheck.run

    def slow_run(self):
        began.set()
        while not self._cancel.is_set():  # a table that takes long to read
            time.sleep(0.01)
        return real_run(self)

    monkeypatch.setattr(IntegrityCheck, "run", slow_run)
    window = make_window()
    opened = window.projects.open_path(colleague)
    qtbot.addWidget(opened)
    qtbot.waitUntil(began.is_set, timeout=10000)
    started = time.monotonic()
    opened.close()
    assert time.monotonic() - started < 2
    assert not opened.projects.check.task.running
    assert not checked_files.known(colleague)
