"""A thin strip under the timeline showing the project's whole span, where its events are,
and where the view is; a click or a drag there moves the view (through the workspace)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from explorer.model import window as tw
from explorer.model.changes import Changes
from explorer.model.workspace import Workspace

HEIGHT = 26
BINS = 400


class OverviewStrip(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("overviewStrip")
        self.setFixedHeight(HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        #: where the timeline's plotting area is, (left, right) in this strip's pixels
        self.plot_area: Callable[[], tuple[float, float]] | None = None
        self.span: tw.Window | None = None
        self.counts = np.zeros(0)
        ws.listeners.append(self._changed)
        changed, listeners = self._changed, ws.listeners

        def forget(*_: object) -> None:  # gone with its window; the workspace may live on
            if changed in listeners:
                listeners.remove(changed)

        self.destroyed.connect(forget)
        self._rebuild()

    def shutdown(self) -> None:
        if self._changed in self.ws.listeners:
            self.ws.listeners.remove(self._changed)

    def _changed(self, changes: Changes) -> None:
        if changes.catalog or changes.filters:
            self._rebuild()
        if changes.window or changes.catalog or changes.filters:
            self.update()

    def _rebuild(self) -> None:
        """The whole span and how many events start in each part of it (those that pass
        the filters, where the project is held in memory)."""
        self.span = tw.fitted(self.ws.extent())
        self.counts = np.zeros(0)
        if self.span is None or not self.ws.resident:
            return
        visible = self.ws.visible
        starts = np.array([e.t0 for e in self.ws.catalog.events if e.id in visible])
        if starts.size:
            self.counts, _ = np.histogram(starts, bins=BINS, range=self.span)

    def _area(self) -> QRectF:
        left, right = self.plot_area() if self.plot_area is not None else (0.0, self.width())
        return QRectF(left, 3, max(1.0, right - left), HEIGHT - 6)

    def x_of(self, t: float) -> float:
        assert self.span is not None
        area = self._area()
        return area.left() + (t - self.span[0]) / (self.span[1] - self.span[0]) * area.width()

    def t_of(self, x: float) -> float:
        assert self.span is not None
        area = self._area()
        return self.span[0] + (x - area.left()) / area.width() * (self.span[1] - self.span[0])

    def view_rect(self) -> QRectF | None:
        """Where the view is drawn on the strip (at least a few pixels wide)."""
        if self.span is None or self.ws.window is None:
            return None
        area = self._area()
        a, b = (self.x_of(t) for t in self.ws.window)
        if b - a < 4:
            a, b = (a + b) / 2 - 2, (a + b) / 2 + 2
        return QRectF(a, area.top() - 2, b - a, area.height() + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        pal = self.palette()
        area = self._area()
        p.fillRect(area, pal.alternateBase())
        if self.span is not None and self.counts.size:
            peak = float(self.counts.max()) or 1.0
            ink = QColor(pal.text().color())
            ink.setAlpha(150)
            step = area.width() / self.counts.size
            for i in np.nonzero(self.counts)[0].tolist():
                h = max(2.0, (area.height() - 2) * (self.counts[i] / peak) ** 0.5)
                p.fillRect(QRectF(area.left() + i * step, area.bottom() - h, max(step, 1), h), ink)
        rect = self.view_rect()
        if rect is not None:
            high = QColor(pal.highlight().color())
            fill = QColor(high)
            fill.setAlpha(60)
            p.setPen(QPen(high, 1.5))
            p.setBrush(fill)
            p.drawRect(rect.intersected(QRectF(area.left(), 0, area.width(), HEIGHT)))
        p.end()

    def _move_to(self, x: float) -> None:
        if self.span is None or self.ws.window is None:
            return
        x0, x1 = self.ws.window
        mid = self.t_of(x)
        self.ws.set_window(mid - (x1 - x0) / 2, mid + (x1 - x0) / 2, origin=self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._move_to(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._move_to(event.position().x())

    def point_of(self, t: float) -> QPointF:
        """Where a time is on the strip (for tests and keyboard)."""
        return QPointF(self.x_of(t), HEIGHT / 2)
