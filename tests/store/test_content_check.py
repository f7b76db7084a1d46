"""A sound file can still hold rows no view can draw. `explorer check` names them (it said
"ok"), the views leave them out, and the window and `explorer screenshot` start and say so
(`screenshot` crashed on such files)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import BUNDLED_DB

EVENT = "ev-2024-08-19-haidian-ai-accelerator-launched"


def _without_checks(path: Path) -> None:
    """The events table as a hostile file may have it: without its CHECK constraints."""
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    sql = re.sub(r"CHECK \(precision IN \([^)]*\)\)", "", sql)
    sql = re.sub(r"CHECK \(qualifier IN \([^)]*\)\)", "", sql)
    sql = re.sub(r",\s*CHECK \(t0 < t1\)", "", sql)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'events'", [sql])
    conn.commit()
    conn.close()


@pytest.fixture(
    params=[
        ("precision", "'fortnight'", "precision 'fortnight'"),
        ("start", "'not-a-date'", "'not-a-date' is not written"),
        ("t0", "-1e308", "t0 is -1e+308"),
        ("t1", "1e308", "t1 is 1e+308"),
    ],
    ids=["fortnight", "not-a-date", "t0", "t1"],
)
def damaged(request, tmp_path):
    column, value, words = request.param
    path = tmp_path / "damaged.db"
    shutil.copyfile(BUNDLED_DB, path)
    _without_checks(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(f"UPDATE events SET [{column}] = {value} WHERE id = ?", [EVENT])
    conn.commit()
    conn.close()
    return path, words


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_check_names_what_no_view_can_draw(damaged):
    path, words = damaged
    r = _run("check", "--db", str(path))
    assert r.returncode == 1, r.stdout
    assert words in r.stdout and EVENT in r.stdout and "Traceback" not in r.stderr


def test_screenshot_starts_and_leaves_the_row_out(damaged, tmp_path):
    path, _ = damaged
    r = _run("screenshot", str(tmp_path / "s.png"), "--db", str(path))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"


def test_the_window_says_how_many_rows_it_left_out(damaged, qtbot):
    from explorer.model.session import Session
    from explorer.ui.main_window import MainWindow

    path, _ = damaged
    session = Session.open(path)
    window = MainWindow(session, None, lang="en")
    qtbot.addWidget(window)
    assert window.ws.invalid_events == 1
    assert "1 event(s) in this file cannot be shown" in window.statusBar().currentMessage()
    assert EVENT not in {e.id for e in window.ws.catalog.events}
    window.close()
    session.close()
