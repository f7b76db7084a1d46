"""The work file from the window: one writer at a time (told clearly), stale locks after a
crash do not block, exchange with colleagues, conflicts, backups, preferences."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from explorer import paths
from explorer.store.notes import Target
from explorer.ui.main_window import MainWindow

EVENT = Target("event", "ev-alliance")


def test_a_second_window_on_the_same_notes_is_read_only_and_says_so(qtbot, make_window):
    first = make_window()
    second = make_window()
    assert not first.notes_read_only and second.notes_read_only
    assert "another Explorer window" in second.statusBar().currentMessage()
    assert second.work.new_note(EVENT) is None
    assert "read-only" in second.statusBar().currentMessage()
    first.ws.annotations.add(EVENT, "written by the first window")
    second.ws.reload()
    assert [n.text for n in second.ws.annotations.list_notes()] == ["written by the first window"]


def test_a_stale_lock_left_by_a_crash_never_blocks(qtbot, make_window, mini_db, tmp_path):
    work = paths.work_file("mini-fixture")
    work.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom PySide6.QtCore import QLockFile\n"
            f"l = QLockFile({str(work) + '.lock'!r}); assert l.tryLock(1000)\n"
            "print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    holder.send_signal(signal.SIGKILL)  # the app 'crashes' holding the lock
    holder.wait()
    holder.stdout.close()
    assert (work.parent / (work.name + ".lock")).exists()
    started = time.perf_counter()
    window = make_window()
    assert not window.notes_read_only
    assert time.perf_counter() - started < 5
    window.close()
    assert not (work.parent / (work.name + ".lock")).exists()


def test_export_and_import_between_colleagues_with_a_conflict(qtbot, make_window, tmp_path):
    kim = make_window()
    note = kim.ws.annotations.add(EVENT, "v1")
    shared = tmp_path / "kim.json"
    assert kim.work.export_notes(shared) == shared
    lee = make_window(work=tmp_path / "lee" / "work.db")
    report = lee.work.import_notes(shared)
    assert report.added == 1 and lee.notes_panel.visible_ids() == [note.id]
    assert lee.work.import_notes(shared).unchanged == 1  # again: nothing duplicated
    kim.ws.annotations.edit(note.id, text="kim's")
    lee.ws.annotations.edit(note.id, text="lee's")
    lee.work.export_notes(tmp_path / "lee.json")
    report = kim.work.import_notes(tmp_path / "lee.json")
    assert report.conflicts == 1
    dialog = kim.findChild(type(kim.work.show_conflicts()), "conflictsDialog")
    assert dialog.mine.toPlainText() == "kim's" and dialog.theirs.toPlainText() == "lee's"
    dialog.buttons["both"].click()
    assert dialog.current is None
    assert sorted(n.text for n in kim.ws.annotations.list_notes()) == ["kim's", "lee's"]


def test_a_bad_file_is_refused_with_a_message(qtbot, window, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert window.work.import_notes(bad) is None
    assert "not valid JSON" in window.statusBar().currentMessage()


def test_backup_and_restore_from_the_window(qtbot, window):
    note = window.ws.annotations.add(EVENT, "keep")
    backup = window.work.backup_now()
    assert backup is not None and backup.exists()
    window.ws.annotations.delete(note.id)
    dialog = window.work.show_backups()
    assert dialog.list.count() == 1
    dialog.restore_selected()
    assert [n.text for n in window.ws.annotations.list_notes()] == ["keep"]
    assert "Restored" in window.statusBar().currentMessage()


def test_preferences_set_the_author_and_are_remembered(qtbot, make_window, settings):
    window = make_window()
    dialog = window.work.show_preferences()
    dialog.author.setText("  김 연구  ")
    dialog.keep.setValue(3)
    dialog.accept()
    assert window.ws.annotations.add(EVENT, "x").author == "김 연구"
    assert settings.value("author") == "김 연구" and int(settings.value("backups_keep")) == 3
    window.close()
    again: MainWindow = make_window()
    assert again.ws.annotations.author == "김 연구"
