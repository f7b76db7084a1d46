"""Projects in the window: New project, Open project…, Open recent (the bundled dataset is
always one click away), Close project; each project reopens on its own view (window,
grouping, filters, selection, hidden layers, and the panes' layout), or, the first time,
fitted to its data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QSettings
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from explorer import paths
from explorer.exchange.filenames import safe_filename
from explorer.model import layers, projects
from explorer.model.annotations import project_key
from explorer.model.session import Session
from explorer.store.errors import StoreError


class ProjectsController(QObject):
    def __init__(self, window: Any, settings: QSettings | None) -> None:
        """`window` is the main window (its workspace, words, status bar)."""
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.windows: list[QWidget] = []  # projects opened from this window
        #: the project's key (its view is kept under it), read once while it is open
        self.key = project_key(window.ws.session)

    # --- opening and closing -------------------------------------------------------------

    def open_path(self, path: Path) -> QWidget | None:
        """Open a project in a window of its own (this one if it is the same project)."""
        w = self.window
        try:
            session = Session.open(path)
        except StoreError as exc:
            w._tell(str(exc))
            return None
        if project_key(session) == self.key and session.path.resolve() == w.ws.path.resolve():
            session.close()
            w.raise_()
            return w  # type: ignore[no-any-return]
        other: QWidget = type(w)(session, self.settings, w.t.lang)
        self.windows.append(other)
        other.show()
        return other

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
        """The Open recent submenu, the bundled dataset always in it."""
        w = self.window
        sub = menu.addMenu(w.t("open_recent"))
        sub.setObjectName("openRecent")
        listed = projects.recent()
        bundled = paths.bundled_db()
        for path in listed:
            text = str(path)
            if path.resolve() == bundled.resolve():
                text = w.t("bundled_dataset", name=path.name)
            act = sub.addAction(text)
            act.setData(str(path))
            act.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not listed:
            sub.addAction(w.t("no_recent")).setEnabled(False)

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
