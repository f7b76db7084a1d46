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


def run(db: Path) -> int:
    app = application()
    try:
        session = Session.open(db)
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
        app.processEvents()
        if shot.view and views is not None:  # the view gets half the timeline's height
            dock = views.docks[shot.view]
            window.resizeDocks([dock], [shot.size[1] // 2], Qt.Orientation.Vertical)
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
    """Let pending paints and the timeline's view (computed on a worker for a large
    project) arrive."""
    import time

    pane = getattr(window, "pane", None)
    views = getattr(window, "linked_views", None)
    deadline = time.monotonic() + 120  # a large project's views read its links once
    while time.monotonic() < deadline:
        app.processEvents()
        if (pane is None or pane.settled()) and (views is None or views.settled()):
            break
        time.sleep(0.01)
    for _ in range(3):
        app.processEvents()
