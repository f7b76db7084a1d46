"""The names beside a view's marks (network nodes, map places) in one item: placed at each
paint in screen pixels, strongest first, so that none overlaps another name or a mark
(model.network.place_labels); a name with no room is left to the tooltip. Zooming, panning
and resizing place them again for free (one item that draws many, never one per name)."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from explorer.model.network import place_labels

#: Names are tried for this many marks at most, the strongest first.
LABELLED = 120


class LabelsItem(pg.GraphicsObject):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.points: list[tuple[float, float]] = []
        self.texts: list[str] = []
        self.sizes: list[float] = []  # each mark's diameter in pixels
        self.font = QFont()
        self.color = QColor(0, 0, 0)
        self.backing = QColor(255, 255, 255, 170)
        self.shown: list[int] = []  # which names the last paint drew
        self.setZValue(12)

    def set_labels(
        self, points: list[tuple[float, float]], texts: list[str], sizes: list[float]
    ) -> None:
        self.points, self.texts, self.sizes = points, texts, sizes
        self.prepareGeometryChange()
        self.update()

    def boundingRect(self) -> QRectF:
        vb = self.getViewBox()
        return vb.viewRect() if vb is not None else QRectF()

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()

    def paint(self, p: QPainter, *args: Any) -> None:
        if not self.points:
            self.shown = []
            return
        to_device = p.transform()  # view to device pixels, as the painter has it
        metrics = QFontMetricsF(self.font)
        anchors, boxes, marks = [], [], []
        for k, ((x, y), size) in enumerate(zip(self.points, self.sizes, strict=True)):
            at = to_device.map(QPointF(x, y))
            r = size / 2 + 1
            marks.append((at.x() - r, at.y() - r, at.x() + r, at.y() + r))
            if k < LABELLED:  # the strongest are named; the rest on hover
                anchors.append((at.x(), at.y()))
                boxes.append((metrics.horizontalAdvance(self.texts[k]) + 4, metrics.height()))
        radii = [s / 2 for s in self.sizes[: len(anchors)]]
        view = to_device.mapRect(self.boundingRect())  # names stay inside the plot
        bounds = (view.left(), view.top(), view.right(), view.bottom())
        spots = place_labels(anchors, boxes, obstacles=marks, radii=radii, bounds=bounds)
        p.save()
        p.resetTransform()
        p.setFont(self.font)
        p.setPen(self.color)
        self.shown = []
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for i, ((x, y), spot, (w, h)) in enumerate(zip(anchors, spots, boxes, strict=True)):
            if spot is None:
                continue
            rect = QRectF(x + spot[0] + 2, y + spot[1], w - 4, h)
            p.fillRect(rect.adjusted(-2, 0, 2, 0), self.backing)  # legible over the edges
            p.drawText(rect, left, self.texts[i])
            self.shown.append(i)
        p.restore()
