"""What the network and the map share: marks at places on a plane, one for each entity, the
selected one ringed; Tab and Shift+Tab step through them in their order, the arrows go to
the nearest mark in that direction, and the entity reached is selected everywhere."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent

from explorer.ui.linked_view import LinkedView

Position = tuple[float, float]


class PlacedView(LinkedView):
    """A linked view whose subclass sets `plot` (with its key events sent here by
    `self.plot.installEventFilter(self)`), `positions` and `order` (the marks, in the order
    Tab follows) and `choose` (select an entity)."""

    plot: pg.PlotWidget
    positions: dict[str, Position]
    order: list[str]
    #: the colour of the selection's ring
    ring_colour = QColor(30, 90, 220)

    def add_ring(self, vb: pg.ViewBox) -> None:
        """The ring around the selected mark (the visible focus), over the marks."""
        self.ring = pg.ScatterPlotItem(pxMode=True)
        self.ring.setZValue(11)
        vb.addItem(self.ring)

    def ring_mark(self, chosen: str | None, size: float) -> None:
        """Ring `chosen`'s mark (`size`: the mark's), or nothing."""
        if chosen is None or chosen not in self.positions:
            self.ring.setData([])
            return
        spot = {
            "pos": self.positions[chosen],
            "size": size + 10,
            "brush": pg.mkBrush(0, 0, 0, 0),
            "pen": pg.mkPen(self.ring_colour, width=3),
        }
        self.ring.setData([spot])

    def choose(self, entity: str) -> None:
        raise NotImplementedError

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.plot and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self.key(event.key(), event.modifiers()):
                return True
        return super().eventFilter(watched, event)

    def key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        """Move from mark to mark: Tab / Shift+Tab in order, arrows by direction."""
        if not self.order:
            return False
        current = self.ws.selected_entity if self.ws.selected_entity in self.positions else None
        k = Qt.Key
        if key in (k.Key_Tab, k.Key_Backtab):
            back = key == k.Key_Backtab or bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            if current is None:
                self.choose(self.order[-1 if back else 0])
            else:
                i = self.order.index(current) + (-1 if back else 1)
                self.choose(self.order[i % len(self.order)])
            return True
        directions: dict[int, Position] = {
            k.Key_Left: (-1.0, 0.0),
            k.Key_Right: (1.0, 0.0),
            k.Key_Up: (0.0, 1.0),
            k.Key_Down: (0.0, -1.0),
        }
        if key in directions:
            if current is None:
                self.choose(self.order[0])
                return True
            near = nearest_in_direction(self.positions, current, directions[key])
            if near is not None:
                self.choose(near)
            return True
        return False


def nearest_in_direction(
    positions: dict[str, Position], start: str, direction: Position
) -> str | None:
    """The mark nearest to `start` within 60° of `direction`."""
    x0, y0 = positions[start]
    best: tuple[float, str] | None = None
    for ident, (x, y) in positions.items():
        dx, dy = x - x0, y - y0
        dist = math.hypot(dx, dy)
        if ident == start or dist == 0:
            continue
        cos = (dx * direction[0] + dy * direction[1]) / dist
        if cos >= 0.5 and (best is None or dist < best[0]):
            best = (dist, ident)
    return best[1] if best else None
