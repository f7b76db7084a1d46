"""The linked views beside the timeline: network, map, lifelines and the events table, each
a dock that follows the workspace, shown or hidden from the View menu and remembered per
project (settings key `views/<project>/<view>`). The window installs them with one call,
`install_views(window)`; they also make the timeline keyboard-navigable and describe it to
assistive technology (ui.timeline_access), and show a selected source where the details
pane would (until the source pane lands)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from explorer.model.annotations import project_key
from explorer.model.changes import Changes
from explorer.ui.events_table import EventsTable
from explorer.ui.lifelines_view import LifelinesView
from explorer.ui.linked_view import LinkedView
from explorer.ui.map_view import MapView
from explorer.ui.network_view import NetworkView
from explorer.ui.timeline_access import TimelineAccess
from explorer.ui.views_service import ViewsService

#: A view shown under the timeline is given SHARE of the height they share when it took
#: more than MAX_SHARE; the timeline keeps MIN_TIMELINE pixels whatever the user drags.
SHARE, MAX_SHARE, MIN_TIMELINE = 0.4, 0.5, 200
KINDS: dict[str, type[LinkedView]] = {
    "network": NetworkView,
    "map": MapView,
    "lifelines": LifelinesView,
    "table": EventsTable,
}


class LinkedViews(QObject):
    """The window's linked views, their docks and their service."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        ws, t = window.ws, window.t
        self.service = ViewsService(ws, self)
        self.views: dict[str, LinkedView] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.access = TimelineAccess(window.pane, t)
        self._settings_key = f"views/{project_key(ws.session)}"
        # the views sit under the timeline, between the side panes (which keep their height)
        window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        window.centralWidget().setMinimumHeight(MIN_TIMELINE)
        first: QDockWidget | None = None
        for name in KINDS:
            dock = QDockWidget()
            dock.setObjectName(f"{name}Dock")
            self.docks[name] = dock
            if self._was_shown(name):  # made now: its dock is restored with it inside (an
                self.view(name)  # empty dock restored, then filled, took more of the height)
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetClosable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            )
            # where the user last put it (the window's saved state was restored before the
            # docks existed), else under the timeline, tabbed with the others; whether it
            # is shown is the project's (restore, below)
            if not window.restoreDockWidget(dock):
                window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
                if first is None:
                    first = dock
                else:
                    window.tabifyDockWidget(first, dock)
            dock.hide()
            action = window.action_table[f"show_{name}"]
            action.setCheckable(True)
            action.toggled.connect(lambda on, n=name: self.show(n, on))
            dock.visibilityChanged.connect(lambda _v, n=name: self._dock_changed(n))
        ws.listeners.append(self._changed)
        window.installEventFilter(self)
        self.retranslate()
        self.restore()

    # --- showing -------------------------------------------------------------------------

    def view(self, name: str) -> LinkedView:
        """The view `name`, made when first asked for: a view never shown costs the
        window's start nothing (the three plots took 50-70 ms of it)."""
        view = self.views.get(name)
        if view is None:
            view = KINDS[name](self.window.ws, self.window.t, self.service)
            self.views[name] = view
            self.docks[name].setWidget(view)
        return view

    def show(self, name: str, on: bool = True) -> None:
        dock = self.docks[name]
        if on == (not dock.isHidden()):
            return
        if on:
            self.view(name)
        dock.setVisible(on)
        if on:
            dock.raise_()
            QTimer.singleShot(0, lambda: self._share(dock))  # once the docks are laid out
        self._dock_changed(name)

    def _share(self, dock: QDockWidget) -> None:
        """A view shown under the timeline takes at most half the height they share (it
        took what its drawing asked for, and the timeline's lanes were left 30 pixels)."""
        w = self.window
        under = w.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
        if dock.isHidden() or dock.isFloating() or not under:
            return
        total = w.centralWidget().height() + dock.height()
        if dock.height() > total * MAX_SHARE:
            w.resizeDocks([dock], [int(total * SHARE)], Qt.Orientation.Vertical)

    def show_only(self, name: str) -> None:
        for other in self.docks:
            if other != name:
                self.show(other, False)
        self.show(name, True)

    def _dock_changed(self, name: str) -> None:
        shown = not self.docks[name].isHidden()
        action = self.window.action_table[f"show_{name}"]
        if action.isChecked() != shown:
            action.blockSignals(True)
            action.setChecked(shown)
            action.blockSignals(False)
        settings = self.window.settings
        if settings is not None and not self._restoring:
            settings.setValue(f"{self._settings_key}/{name}", shown)

    _restoring = False

    def restore(self) -> None:
        """Show the docks this project had shown."""
        self._restoring = True
        try:
            for name in self.docks:
                self.show(name, self._was_shown(name))
        finally:
            self._restoring = False

    def _was_shown(self, name: str) -> bool:
        """Whether this project showed the view `name` when it was last closed."""
        settings = self.window.settings
        return settings is not None and str(
            settings.value(f"{self._settings_key}/{name}", "false")
        ).lower() in ("true", "1")

    def exportable(self) -> list[tuple[str, str]]:
        """The views an exported picture may include under the timeline: those shown."""
        t = self.window.t
        return [
            (n, t(f"show_{n}"))
            for n in ("network", "map")
            if not self.docks[n].isHidden() and self.view(n).result is not None
        ]

    def picture(self, name: str) -> QWidget:
        """What of a view goes into an exported picture: its drawing and its caption."""
        return self.view(name)

    def settled(self) -> bool:
        """Whether every shown view draws what the workspace shows, at rest."""
        return all(
            v.settled() and not getattr(v, "moving", False)
            for n, v in self.views.items()
            if not self.docks[n].isHidden()
        )

    # --- following the workspace -----------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()

    def retranslate(self) -> None:
        t = self.window.t
        for name, dock in self.docks.items():
            dock.setWindowTitle(t(f"show_{name}"))
        self.access.say()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def shutdown(self) -> None:
        ws = self.window.ws
        if self._changed in ws.listeners:
            ws.listeners.remove(self._changed)
        for view in self.views.values():
            view.shutdown()
        self.access.shutdown()
        self.service.shutdown()


def install_views(window: QMainWindow) -> LinkedViews:
    """Create the linked views' docks and connect them to the window's View menu."""
    views = LinkedViews(window)
    window.linked_views = views  # type: ignore[attr-defined]
    return views


def view_widget(window: QWidget, name: str) -> QWidget:
    """The drawing of a linked view, for exports (the plot or the table)."""
    view: QWidget = window.linked_views.view(name)  # type: ignore[attr-defined]
    drawn = getattr(view, "plot", None) or getattr(view, "table", None)
    return drawn if isinstance(drawn, QWidget) else view
