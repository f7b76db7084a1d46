"""A graphics item that covers the whole view and draws spans of time across every lane (eras,
range notes). It remembers where it drew what can be pointed at, in device pixels, and turns
hovering and clicking there into a tooltip and `clicked`."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QTransform

from explorer.ui.timeline_view import tooltip_html


class ViewSpansItem(pg.GraphicsObject):  # type: ignore[misc]
    def __init__(self, z: float) -> None:
        super().__init__()
        self.font = QFont()
        self.spots: list[tuple[QRectF, object]] = []  # (device rectangle, what it shows)
        self._device: QTransform | None = None
        self.setZValue(z)  # behind the events
        self.setAcceptHoverEvents(True)

    # what subclasses say about one of their spots

    def tooltip_lines(self, spot: object) -> list[str]:
        raise NotImplementedError

    def clicked(self, spot: object) -> None:
        raise NotImplementedError

    # shared

    def boundingRect(self) -> QRectF:
        view = self.viewRect()
        return QRectF(view) if view is not None else QRectF()

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()
        super().viewRangeChanged()

    def begin_paint(
        self, p: QPainter, anything: bool
    ) -> tuple[QRectF, QTransform, QFontMetricsF] | None:
        """Forget the last paint's spots; unless there is nothing to draw, switch `p` to device
        pixels (saved: the caller restores it) and give the view, the view-to-device
        transform and the font's metrics."""
        view = self.viewRect()
        self.spots = []
        if view is None or not anything:
            return None
        tr = p.transform()
        self._device = tr
        p.save()
        p.resetTransform()
        p.setFont(self.font)
        return view, tr, QFontMetricsF(self.font)

    def spot_at(self, pos: QPointF) -> object | None:
        """What was drawn under `pos` (item coordinates), the topmost first."""
        if self._device is None:
            return None
        px = self._device.map(pos)
        for rect, spot in reversed(self.spots):
            if rect.contains(px):
                return spot
        return None

    def hoverEvent(self, ev: object) -> None:
        if ev.isExit():  # type: ignore[attr-defined]
            self.setToolTip("")
            return
        spot = self.spot_at(ev.pos())  # type: ignore[attr-defined]
        self.setToolTip(tooltip_html(self.tooltip_lines(spot)) if spot is not None else "")

    def mouseClickEvent(self, ev: object) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        spot = self.spot_at(ev.pos())  # type: ignore[attr-defined]
        if spot is not None:
            ev.accept()  # type: ignore[attr-defined]
            self.clicked(spot)
