from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QDesktopServices

from explorer.dataset.demo import generate
from explorer.model.session import Session
from explorer.model.workspace import Workspace
from explorer.ui.i18n import Translator
from explorer.ui.main_window import MainWindow
from explorer.ui.timeline_pane import TimelinePane
from explorer.ui.timeline_style import make_style


@pytest.fixture(autouse=True)
def _no_browser(monkeypatch):
    """Tests never launch a web browser; they record what would have been opened."""
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    return opened


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, mini_db, settings):
    sessions = []

    def make(db=mini_db, lang="en", use_settings=True, fit=True, work=None):
        session = Session.open(db)
        sessions.append(session)
        window = MainWindow(session, settings if use_settings else None, lang=lang, work=work)
        qtbot.addWidget(window)
        window.resize(1400, 850)
        window.show()
        qtbot.waitExposed(window)
        if fit:
            window.timeline.fit_all()
        qtbot.wait(10)
        return window

    windows = []
    original = make

    def tracked(*args, **kwargs):
        w = original(*args, **kwargs)
        windows.append(w)
        return w

    yield tracked
    for w in windows:
        assert w.timeline.item.paint_errors == 0, "the timeline raised while painting"
    for s in sessions:
        s.close()


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture(params=["default font", "app font"])
def app_font(request, qapp):
    """The platform's font, and the one the app sets at start-up (with the CJK fallback,
    whose lines are taller)."""
    from explorer.ui.fonts import apply_app_font

    before = qapp.font()
    if request.param == "app font":
        apply_app_font(qapp)
    yield request.param
    qapp.setFont(before)


@pytest.fixture
def cjk_font(qapp):
    """The font the app sets at start-up, so Korean and Chinese render as they do for users."""
    from explorer.ui.fonts import apply_app_font

    before = qapp.font()
    apply_app_font(qapp)
    yield
    qapp.setFont(before)


@pytest.fixture(scope="module")
def large_project(tmp_path_factory):
    """A project of 20,000 events (one per test module that asks for it)."""
    out = tmp_path_factory.mktemp("scale") / "demo.db"
    generate(out, 20_000, seed=4)
    return out


@pytest.fixture
def large_timeline(qtbot, large_project):
    """A timeline pane, 1600x900 and shown, on `large_project`: its views are read on the
    worker."""
    ws = Workspace(Session.open(large_project), lang="en")
    assert not ws.inline_views  # 20,000 events: views are computed on the worker
    widget = TimelinePane(ws, Translator("en"), make_style(False))
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()
    ws.close()
    assert widget.view.item.paint_errors == 0 and widget.errors == []
