"""Starting the window (`explorer`) and rendering it offscreen (`explorer screenshot`)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from explorer import paths
from explorer.model.session import Session
from explorer.model.timeline import DAY, epoch_seconds
from explorer.store.errors import StoreError


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, with the bundled fonts registered."""
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationName(paths.APP_NAME)
        app.setOrganizationName(paths.APP_NAME)
        app.setDesktopFileName("explorer")  # matches packaging/linux/explorer.desktop
        icon = paths.resources_dir() / "icons" / "explorer-256.png"
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    assert isinstance(app, QApplication)
    from explorer.ui.fonts import apply_app_font, register_bundled_fonts

    register_bundled_fonts()
    apply_app_font(app)
    return app


def user_settings() -> QSettings:
    folder = paths.user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)


#: The Debian/Ubuntu and Fedora packages of the one X11 library Qt's window needs that a
#: desktop may lack (Qt 6.5 and later; PITFALLS item 11).
#: The system libraries Qt's X11 platform plugin loads (its ELF NEEDED entries, PySide6
#: 6.11), by the name find_library knows, with the Debian and Ubuntu package holding each.
X11_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-render": "libxcb-render0",
    "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0",
    "xcb-sync": "libxcb-sync1",
    "xcb-util": "libxcb-util1",
    "xcb-xfixes": "libxcb-xfixes0",
    "xcb-xkb": "libxcb-xkb1",
    "xcb": "libxcb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xkbcommon": "libxkbcommon0",
    "X11-xcb": "libx11-xcb1",
    "X11": "libx11-6",
}


def missing_display_library() -> str | None:
    """Why the window could not open on this desktop, when Qt would abort instead of
    saying so: on X11, any of the libraries its platform plugin needs missing (libxcb-cursor
    is the one desktops most often lack)."""
    import ctypes.util

    platform = os.environ.get("QT_QPA_PLATFORM", "")
    on_x11 = sys.platform.startswith("linux") and (
        platform.startswith("xcb")
        or (not platform and os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))
    )
    if not on_x11:
        return None
    missing = [pkg for lib, pkg in X11_LIBRARIES.items() if ctypes.util.find_library(lib) is None]
    if missing:
        return (
            f"the window needs system libraries this computer lacks; install "
            f"{' '.join(missing)} (the Debian and Ubuntu package names; on Fedora, "
            "xcb-util-cursor, xcb-util-wm, xcb-util-keysyms, xcb-util-image and "
            "xcb-util-renderutil) and start Explorer again"
        )
    return None


def run(db: Path) -> int:
    why = missing_display_library()
    if why is not None:
        print(f"explorer: error: {why}", file=sys.stderr)
        return 1
    app = application()
    try:
        session = Session.open(db, check="later")  # checked once the window is shown
    except StoreError as exc:
        box = QMessageBox(QMessageBox.Icon.Critical, paths.APP_NAME, str(exc))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return 1
    from explorer.ui.main_window import MainWindow

    window = MainWindow(session, user_settings())
    window.show()
    code = app.exec()
    session.close()
    return int(code)


@dataclass
class Shot:
    out: Path
    lang: str = "ko"
    event: str | None = None
    entity: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    size: tuple[int, int] = (1600, 900)
    grouping: str | None = None
    view: str | None = None  # a linked view shown beside the timeline


def screenshot(db: Path, shot: Shot) -> Path:
    """Render the real main window in the given state to a PNG, offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    from explorer.ui.main_window import MainWindow

    with Session.open(db) as session:
        window = MainWindow(session, settings=None, lang=shot.lang)
        window.resize(*shot.size)
        if shot.grouping:
            window.set_grouping(shot.grouping)
        views = getattr(window, "linked_views", None)
        if shot.view and views is not None:
            views.show_only(shot.view)
        window.show()
        app.processEvents()  # a view shown takes its share of the height (ui.views)
        window.fit_all()
        if shot.entity:
            window.select_entity(shot.entity)
        if shot.event:
            window.select_event(shot.event, center=True)
        if shot.date_from or shot.date_to:
            x0, x1 = window.timeline.x_range()
            if shot.date_from:
                x0 = epoch_seconds(shot.date_from)
            if shot.date_to:
                x1 = epoch_seconds(shot.date_to) + DAY
            window.timeline.set_range(x0, x1)
        _settle(app, window)
        shot.out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(shot.out)):
            raise StoreError(f"could not write {shot.out}")
        window.close()
    return shot.out


def _settle(app: QApplication, window: object) -> None:
    """Let pending paints, the timeline's view and the selection's detail (read on a worker
    for a large project) arrive."""
    import time

    pane = getattr(window, "pane", None)
    ws = getattr(window, "ws", None)
    views = getattr(window, "linked_views", None)
    deadline = time.monotonic() + 120  # a large project's views read its links once
    while time.monotonic() < deadline:
        app.processEvents()
        if (
            (pane is None or pane.settled())
            and (ws is None or ws.pending is None)
            and (views is None or views.settled())
        ):
            break
        time.sleep(0.01)
    for _ in range(3):
        app.processEvents()
