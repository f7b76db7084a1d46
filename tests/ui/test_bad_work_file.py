"""A colleague's notes, merged long ago or written by hand, may hold rows this Explorer
cannot show. The window and `explorer screenshot` start whatever the work file holds: a bad
row is listed as bad, left out of the timeline, and can be deleted; nothing dies."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from explorer.model.annotations import Annotations
from explorer.model.session import Session
from explorer.store.notes import Target


@pytest.fixture
def bad_work(mini_db):
    """The mini project's own work file with a range note on 2021-02-30 and an own event on
    that day, as an older Explorer accepted them from a notes file."""
    with Session.open(mini_db) as session:
        ann = Annotations.open(session)
        try:
            note = ann.add(Target("range", None, "2021-02-01", "2021-02-03"), "impossible")
            item = ann.add_item(
                "event", {"title": "mine", "category": "media", "start": "2021-02-01"}
            )
            good = ann.add(Target("event", "ev-alliance"), "a good note")
            db = ann.store.db
            db.execute("UPDATE notes SET range_end = '2021-02-30' WHERE id = ?", [note.id])
            data = json.dumps(dict(item.data, start="2021-02-30"))
            db.execute("UPDATE user_items SET data = ? WHERE id = ?", [data, item.id])
            path = ann.path
        finally:
            ann.close()
    return path, note.id, item.id, good.id


def test_the_window_starts_and_lists_the_bad_note_as_bad(make_window, bad_work, qtbot):
    path, bad_id, item_id, good_id = bad_work
    window = make_window(work=path)
    assert window.ws.annotations is not None
    listed = window.notes_panel.visible_ids()
    assert set(listed) == {bad_id, good_id}
    assert "cannot be shown" in window.notes_panel.labels[bad_id]
    assert [n.note_id for n in window.range_notes.notes] == []  # not drawn
    assert item_id not in window.event_ids  # the bad own event is left out of the timeline
    assert "cannot be shown" in window.statusBar().currentMessage()
    window.work.go_to_note(bad_id)  # says why instead of going anywhere
    assert "cannot be shown" in window.statusBar().currentMessage()
    window.work.delete_note(bad_id)  # the way out
    assert window.notes_panel.visible_ids() == [good_id]


def test_screenshot_runs_whatever_the_work_file_holds(tmp_path, mini_db, bad_work):
    out = tmp_path / "shot.png"
    r = subprocess.run(
        [sys.executable, "-m", "explorer", "screenshot", str(out), "--db", str(mini_db)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and out.read_bytes()[:4] == b"\x89PNG"
