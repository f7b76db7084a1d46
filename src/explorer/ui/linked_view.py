"""What every linked view does: follow the workspace (its window, filters, own events,
language and selection), ask the views' service for what to draw when they change (only
while it is shown, after the window has settled for a moment), drop results it has left
behind, and say in words what it shows (its accessible description and its caption)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.model import linked
from explorer.model.changes import Changes
from explorer.model.workspace import Workspace
from explorer.ui.i18n import Translator
from explorer.ui.views_service import ViewsService

#: How long the window must stay still before a view asks for it (ms).
SETTLE_MS = 60


class LinkedView(QWidget):
    name = ""  # network, map, lifelines, table

    def __init__(
        self, ws: Workspace, t: Translator, service: ViewsService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{self.name}View")
        self.ws, self.t, self.service = ws, t, service
        self.generation = 0
        self.result: Any = None
        self._dirty = True
        self.caption = QLabel()
        self.caption.setObjectName(f"{self.name}Caption")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(4, 2, 4, 2)
        self.layout_.setSpacing(2)
        self.layout_.addWidget(self.caption)
        self._timer = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._timer.timeout.connect(self.request)
        service.handlers[self.name] = self._receive
        ws.listeners.append(self._changed)

    # --- following the workspace -----------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()
        if changes.window or changes.filters or changes.catalog or self.asks_again(changes):
            self.schedule()
        if changes.selection or changes.language:
            self.show_selection()
            self.say()

    def asks_again(self, changes: Changes) -> bool:
        """Whether this change needs a new result (beyond window, filters, own items)."""
        return False

    def schedule(self) -> None:
        self._dirty = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._timer.start()

    def extra(self) -> dict[str, Any]:
        """What the view adds to its request."""
        return {}

    def request(self) -> None:
        self.generation += 1
        self._dirty = False
        req = linked.request(self.ws, self.name, self.generation, **self.extra())
        if req is None:
            return
        if self.result is None:  # the first time (a large project's links are read)
            self.caption.setText(self.t("computing"))
        self.service.ask(req)

    def _receive(self, result: Any) -> None:
        if result.generation != self.generation:
            return  # the window has moved on: a newer result is on its way
        self.result = result
        self.draw()
        self.show_selection()
        self.say()

    def settled(self) -> bool:
        """Whether what is drawn is what the workspace shows now."""
        return (
            self.result is not None
            and self.result.generation == self.generation
            and not self._timer.isActive()
            and not self._dirty
        )

    # --- what each view does ---------------------------------------------------------------

    def draw(self) -> None:
        raise NotImplementedError

    def show_selection(self) -> None:
        """Mark what the workspace has selected (no new result needed)."""

    def summary(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.setAccessibleName(self.t(f"view_{self.name}"))
        if self.result is not None:
            self.draw()
            self.say()

    # --- words -----------------------------------------------------------------------------

    def period(self) -> str:
        window = linked.window_of(self.ws)
        return linked.period_text(*window) if window else ""

    def selected_words(self) -> str:
        ws = self.ws
        what = None
        if ws.event_detail is not None:
            ev = ws.event_detail.event
            what = (ev.title_en or ev.title) if self.t.lang == "en" else ev.title
        elif ws.selected_entity:
            what = self.entity_name(ws.selected_entity)
        elif ws.selected_source:
            src = ws.catalog.sources.get(ws.selected_source)
            what = (src.publisher or src.title) if src else ws.selected_source
        return self.t("sum_selected", what=what) if what else ""

    def entity_name(self, entity: str, names: dict[str, dict[str, str]] | None = None) -> str:
        info = self.ws.catalog.entities.get(entity)
        if info is not None:
            return info.display_name(self.t.lang)
        found = (names or {}).get(entity, {})
        detail = self.ws.entity_detail  # a large project's catalog holds few entities
        if not found and detail is not None and detail.entity.id == entity:
            return detail.entity.name
        return found.get(self.t.lang) or found.get("") or next(iter(found.values()), entity)

    def say(self) -> None:
        """Put the summary in the caption and the accessible description, and tell
        assistive technology it changed."""
        if self.result is None:
            return
        text = self.summary()
        self.caption.setText(text)
        if text != self.accessibleDescription():
            self.setAccessibleDescription(text)
            QAccessible.updateAccessibility(
                QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
            )

    def shutdown(self) -> None:
        self._timer.stop()
        if self._changed in self.ws.listeners:
            self.ws.listeners.remove(self._changed)
