"""Projects in the window: each reopens on its own view, a new one on its data; Open recent
always offers the bundled dataset; New project makes and opens one; the title names it."""

from __future__ import annotations

import json

from explorer.model import window as tw
from explorer.model.importing import run_import
from explorer.model.session import Session
from explorer.ui.main_window import MainWindow


def _open(qtbot, path, settings):
    session = Session.open(path)
    window = MainWindow(session, settings, lang="en")
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.pane.settled, timeout=10000)
    return window, session


def _close(window, session):
    window.close()
    session.close()


def _ancient(tmp_path):
    """A project of one's own, 602 to 700 AD, made by importing a TimelineJS file."""
    events = [
        {"start_date": {"year": str(y)}, "text": {"headline": f"year {y}"}}
        for y in range(602, 701, 14)
    ]
    src = tmp_path / "ancient.json"
    src.write_text(json.dumps({"events": events}), encoding="utf-8")
    run_import(src, tmp_path / "ancient.db")
    return tmp_path / "ancient.db", len(events)


def test_each_project_opens_on_its_own_view(qtbot, bundled_copy, tmp_path, settings):
    """An imported project of 602-700 AD opened on 2014-2026 with nothing shown while the
    status bar said "20 of 20 events shown": one range was kept for every project."""
    window, session = _open(qtbot, bundled_copy, settings)
    window.set_grouping("place")
    window.ws.set_window(tw.DAY * 17900, tw.DAY * 18300)  # 2019
    _close(window, session)

    ancient, n = _ancient(tmp_path)
    other, osession = _open(qtbot, ancient, settings)
    x0, x1 = other.timeline.x_range()
    extent = other.ws.extent()
    assert x0 <= extent[0] and x1 >= extent[1]  # fitted to its own data
    assert other.ws.grouping == "category"
    assert len(set(other.event_ids)) == n  # and every one of its events is drawn
    assert other.status.text() == f"{n} of {n} events shown"
    assert other.windowTitle().startswith("ancient")
    _close(other, osession)

    window, session = _open(qtbot, bundled_copy, settings)
    assert window.ws.grouping == "place"
    x0, x1 = window.timeline.x_range()
    assert abs(x0 - tw.DAY * 17900) < tw.DAY and abs(x1 - tw.DAY * 18300) < tw.DAY
    _close(window, session)


def test_open_recent_always_offers_the_bundled_dataset(qtbot, window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    recent = next(a.menu() for a in menu.actions() if a.menu() and a.text() == "Open recent")
    texts = [a.text() for a in recent.actions()]
    assert any(t.startswith("Bundled data: explorer.db") for t in texts)


def test_new_project_makes_and_opens_one_in_its_own_window(qtbot, window, tmp_path):
    opened = window.projects.new_project(tmp_path / "projects" / "fieldwork.db")
    assert opened is not None and opened is not window
    qtbot.addWidget(opened)
    assert (tmp_path / "projects" / "fieldwork.db").is_file()
    assert opened.windowTitle().startswith("fieldwork")
    assert opened.ws.total_events == 0
    opened.close()
    opened.ws.session.close()


def _recent_texts(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    recent = next(a.menu() for a in menu.actions() if a.menu() and a.text() == "Open recent")
    recent.aboutToShow.emit()  # as when the user opens it
    return [a.text() for a in recent.actions()], recent


def test_open_recent_is_read_afresh_and_names_projects_shortly(qtbot, window, tmp_path):
    """A window already open listed only what was recent when it opened, and user projects
    by their full path."""
    before, _ = _recent_texts(window)
    opened = window.projects.new_project(tmp_path / "projects" / "fieldwork.db")
    qtbot.addWidget(opened)
    texts, recent = _recent_texts(window)  # the first window's menu, after the new project
    assert "fieldwork.db" in texts and "fieldwork.db" not in before
    act = next(a for a in recent.actions() if a.text() == "fieldwork.db")
    assert act.toolTip() == str(tmp_path / "projects" / "fieldwork.db")
    opened.close()
    opened.ws.session.close()


def test_a_project_already_open_comes_forward_instead_of_opening_twice(qtbot, window, tmp_path):
    """Open recent > the bundled data, from another project's window, opened a second,
    read-only window on it ("open in another Explorer window", the same process)."""
    from PySide6.QtWidgets import QApplication

    def windows_on(path):
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and not w._closed and w.ws.path == path
        ]

    other = window.projects.new_project(tmp_path / "other.db")
    qtbot.addWidget(other)
    assert other.projects.open_path(window.ws.path) is window
    assert other.projects.open_path(other.ws.path) is other
    assert len(windows_on(window.ws.path)) == 1 and len(windows_on(other.ws.path)) == 1
    assert window.ws.notes_read_only is None
    other.close()
    other.ws.session.close()


def test_the_language_chosen_is_kept_at_once(qtbot, bundled_copy, settings):
    """Kept only when the window closed, the language was lost when the app was killed."""
    session = Session.open(bundled_copy)
    window = MainWindow(session, settings, lang="en")
    qtbot.addWidget(window)
    window.set_language("ko")
    assert settings.value("lang") == "ko"  # before any close
    window.set_language("en")
    assert settings.value("lang") == "en"
    window.close()
    session.close()
