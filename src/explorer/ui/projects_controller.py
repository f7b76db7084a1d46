"""Projects in the window: New project, Open project…, Open recent (the bundled dataset is
always one click away), Close project; each project reopens on its own view (window,
grouping, filters, selection, hidden layers, and the panes' layout), or, the first time,
fitted to its data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget

from explorer import paths
from explorer.exchange.filenames import safe_filename
from explorer.model import layers, projects
from explorer.model.annotations import project_key
from explorer.model.changes import Changes
from explorer.model.session import Session
from explorer.store.errors import StoreError
from explorer.ui.file_check import FileCheck


class ProjectsController(QObject):
    def __init__(self, window: Any, settings: QSettings | None) -> None:
        """`window` is the main window (its workspace, words, status bar)."""
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.windows: list[QWidget] = []  # projects opened from this window
        #: the project's key (its view is kept under it), read once while it is open
        self.key = project_key(window.ws.session)
        #: a file not known to be sound is checked once the window has painted
        view = window.pane.view
        self.check = FileCheck(
            window, window.ws.session, window.t, view.plot.viewport(), lambda: view.item.paints > 0
        )
        window.ws.listeners.append(self._changed)

    def _changed(self, changes: Changes) -> None:
        """The language chosen is kept at once (kept only when the window closed, it was
        lost when the app was killed, and the next start came up in the language before)."""
        if changes.language and self.settings is not None:
            self.settings.setValue("lang", self.window.ws.lang)
            self.settings.sync()

    # --- opening and closing -------------------------------------------------------------

    def open_path(self, path: Path) -> QWidget | None:
        """Open a project in a window of its own; a project already open in a window is not
        opened twice (the second window's notes were read-only): that window comes forward."""
        w = self.window
        for other in QApplication.topLevelWidgets():
            ws = getattr(other, "ws", None)
            if (
                isinstance(other, type(w))
                and not getattr(other, "_closed", False)
                and ws is not None
                and Path(ws.path).resolve() == Path(path).resolve()
            ):
                found: QWidget = other
                _bring_forward(found)
                return found
        try:
            session = Session.open(path, check="later")  # checked once shown (FileCheck)
        except StoreError as exc:
            w._tell(str(exc))
            return None
        opened: QWidget = type(w)(session, self.settings, w.t.lang)
        self.windows.append(opened)
        opened.show()
        return opened

    def open_project(self, path: Path | None = None) -> QWidget | None:
        w = self.window
        if path is None:
            start = paths.user_data_dir() / "projects"
            chosen, _ = QFileDialog.getOpenFileName(
                w,
                w.t("open_project"),
                str(start if start.is_dir() else Path.home()),
                w.t("project_filter") + ";;*",
            )
            if not chosen:
                return None
            path = Path(chosen)
        return self.open_path(path)

    def new_project(self, path: Path | None = None) -> QWidget | None:
        """An empty project of one's own, opened in a window of its own."""
        w = self.window
        folder = paths.user_data_dir() / "projects"
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                w,
                w.t("new_project"),
                str(folder / safe_filename("project", ".db")),
                w.t("project_filter"),
            )
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() != ".db":
                path = path.with_name(path.name + ".db")
        try:
            made = projects.new_project(path)
        except (StoreError, OSError) as exc:
            w._tell(str(exc))
            return None
        return self.open_path(made)

    def close_project(self) -> None:
        self.window.close()

    def fill_recent(self, menu: QMenu) -> None:
        """The Open recent submenu, the bundled dataset always in it, read afresh each time
        it opens (another window may have opened or made a project since)."""
        w = self.window
        sub = menu.addMenu(w.t("open_recent"))
        sub.setObjectName("openRecent")

        def refill() -> None:
            sub.clear()
            listed = projects.recent()
            bundled = paths.bundled_db().resolve()
            names = [p.name for p in listed]
            for path in listed:
                text = path.name  # the folder only where two share a name; in full on hover
                if names.count(path.name) > 1:
                    text = f"{path.name} — {path.parent.name}"
                if path.resolve() == bundled:
                    text = w.t("bundled_dataset", name=path.name)
                act = sub.addAction(text)
                act.setData(str(path))
                act.setToolTip(str(path))
                act.triggered.connect(lambda _=False, p=path: self.open_path(p))
            if not listed:
                sub.addAction(w.t("no_recent")).setEnabled(False)

        sub.setToolTipsVisible(True)
        sub.aboutToShow.connect(refill)
        refill()

    def fill_layers(self, menu: QMenu) -> None:
        """The Layers submenu: each layer of one's own shown or hidden, or removed."""
        w = self.window
        sub = menu.addMenu(w.t("layers"))
        sub.setObjectName("layersMenu")

        def refill() -> None:
            sub.clear()
            found = layers.layers(w.ws)
            for layer in found:
                act = sub.addAction(f"{layer.name} ({layer.events:,})")
                act.setCheckable(True)
                act.setChecked(not layer.hidden)
                act.toggled.connect(lambda shown, i=layer.id: layers.set_hidden(w.ws, i, not shown))
            if found:
                sub.addSeparator()
            for layer in found:
                act = sub.addAction(w.t("remove_layer", name=layer.name))
                act.triggered.connect(lambda _=False, i=layer.id: self.remove_layer(i))
            if not found:
                sub.addAction(w.t("no_layers")).setEnabled(False)

        sub.aboutToShow.connect(refill)
        refill()

    def remove_layer(self, layer_id: str) -> None:
        try:
            layers.remove(self.window.ws, layer_id)
        except StoreError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)

    # --- each project's own view ---------------------------------------------------------

    def restore(self) -> None:
        """The window's size (for every project), this project's pane layout and view."""
        w, s = self.window, self.settings
        geometry = s.value("geometry") if s else None
        if isinstance(geometry, QByteArray):
            w.restoreGeometry(geometry)
        state = s.value(f"projects/{self.key}/state") if s else None
        if isinstance(state, QByteArray):
            w.restoreState(state)
        w.ws.restore_view(projects.load_view(self.key))
        projects.remember(w.ws.path)

    def save(self) -> None:
        w, s = self.window, self.settings
        projects.save_view(self.key, w.ws.view_state())
        if s is None:
            return
        s.setValue("geometry", w.saveGeometry())
        s.setValue(f"projects/{self.key}/state", w.saveState())
        s.setValue("lang", w.t.lang)
        s.sync()


def _bring_forward(window: QWidget) -> None:
    """Show a window in front, restored if minimised (a screen without windows to stack,
    as offscreen, only shows it)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        window.raise_()
        window.activateWindow()
