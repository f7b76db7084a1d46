"""Where bundled files are read and the user's files written: from source, from a frozen
one-folder build (PyInstaller's sys._MEIPASS), and with the overrides tests and users have."""

from __future__ import annotations

import sys
from pathlib import Path

from explorer import paths


def test_from_source_the_bundle_is_the_checkout():
    root = paths.bundle_root()
    assert (root / "pyproject.toml").is_file()
    assert paths.bundled_db() == root / "data" / "explorer.db" and paths.bundled_db().is_file()
    assert (paths.resources_dir() / "fonts").is_dir()


def test_frozen_the_bundle_is_the_apps_own_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert paths.bundle_root() == tmp_path / "_internal"
    assert paths.bundled_db() == tmp_path / "_internal" / "data" / "explorer.db"
    assert paths.resources_dir() == tmp_path / "_internal" / "resources"


def test_the_users_files_never_go_beside_the_app(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "app" / "_internal"), raising=False)
    monkeypatch.delenv("EXPLORER_HOME", raising=False)
    home = paths.user_data_dir()
    assert Path(tmp_path / "app") not in home.parents and home.name == paths.APP_NAME
    monkeypatch.setenv("EXPLORER_HOME", str(tmp_path / "home"))
    assert paths.work_file("china-ai/../x").parent == tmp_path / "home" / "work"
    assert paths.work_file("china-ai/../x").name == "china-ai_.._x.db"


def test_a_desktop_without_libxcb_cursor_is_told_which_package_to_install(monkeypatch, capsys):
    """Without libxcb-cursor0 Qt aborted ("could not load the Qt platform plugin xcb")."""
    import ctypes.util

    from explorer.ui import app

    monkeypatch.setattr(app.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    assert app.run(paths.bundled_db()) == 1
    err = capsys.readouterr().err
    assert "libxcb-cursor0" in err and err.count("\n") == 1
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: f"lib{name}.so.0")
    assert app.missing_display_library() is None
    # libxcb-cursor there, two others not: Qt said "libxcb-cursor0 is needed" and aborted
    lacking = {"xcb-icccm", "xcb-keysyms"}
    monkeypatch.setattr(
        ctypes.util, "find_library", lambda name: None if name in lacking else f"lib{name}.so"
    )
    why = app.missing_display_library()
    assert "libxcb-icccm4 libxcb-keysyms1" in why and "libxcb-cursor0" not in why
