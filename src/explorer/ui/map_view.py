"""The map of the time window, offline: the places of the window's events over the bundled
Natural Earth base map (land and borders, Mercator), markers sized by their events in the
window. A place drawn at the point of a place that contains it (no source gives its own) is
a hollow, dashed marker, and its tooltip says whose point it is. A click on a marker selects
the place everywhere; the wheel zooms, dragging pans. Tab, Shift+Tab and the arrow keys move
from place to place."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from explorer.model import geo
from explorer.model import network as nw
from explorer.model.views_engine import MapResult
from explorer.store.errors import StoreError
from explorer.ui.labels_item import LabelsItem
from explorer.ui.placed_view import PlacedView

MARKER_MIN, MARKER_MAX = 7.0, 30.0


def _path(points: np.ndarray) -> QPainterPath:
    if not points.size:
        return QPainterPath()
    path: QPainterPath = pg.arrayToQPath(points[:, 0], points[:, 1], connect="finite")
    path.setFillRule(Qt.FillRule.OddEvenFill)  # lakes are holes in the land
    return path


class MapView(PlacedView):
    name = "map"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plot = pg.PlotWidget(background=None)
        self.plot.setObjectName("mapPlot")
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setAspectLocked(True)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        vb = self.plot.getViewBox()
        # the base map is read when the map is first drawn (0.8 s of the window's start)
        self.land, self.borders = QGraphicsPathItem(), QGraphicsPathItem()
        self._base_read = False
        for item in (self.land, self.borders):
            vb.addItem(item, ignoreBounds=True)
        self.markers = pg.ScatterPlotItem(pxMode=True, hoverable=True, tip=self._tip)
        self.markers.setZValue(10)
        vb.addItem(self.markers)
        self.add_ring(vb)
        self.labels = LabelsItem()
        vb.addItem(self.labels, ignoreBounds=True)
        self.layout_.addWidget(self.plot, 1)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.plot.installEventFilter(self)
        self._fitted = False
        self.positions: dict[str, nw.Position] = {}
        self.order: list[str] = []
        self._style_base()
        self.retranslate()

    def _style_base(self) -> None:
        dark = self.palette().window().color().lightness() < 128
        land = QColor(70, 74, 80) if dark else QColor(232, 228, 218)
        edge = QColor(120, 125, 130) if dark else QColor(170, 165, 150)
        pen = QPen(edge, 0)
        pen.setCosmetic(True)
        self.land.setPen(pen)
        self.land.setBrush(QBrush(land))
        border = QPen(edge, 1, Qt.PenStyle.DashLine)
        border.setCosmetic(True)
        self.borders.setPen(border)
        self.borders.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        self.plot.setBackground(QColor(38, 48, 60) if dark else QColor(214, 228, 240))

    @property
    def markers_list(self) -> list[geo.Marker]:
        result: MapResult | None = self.result
        return result.markers if result is not None else []

    def sizes(self) -> list[float]:
        counts = [m.events for m in self.markers_list]
        if not counts:
            return []
        top = max(counts)
        return [MARKER_MIN + (MARKER_MAX - MARKER_MIN) * math.sqrt(c / top) for c in counts]

    def _read_base(self) -> None:
        if not self._base_read:
            base = geo.base_map()
            self.land.setPath(_path(base.land))
            self.borders.setPath(_path(base.borders))
            self._base_read = True

    def draw(self) -> None:
        self._read_base()
        markers = self.markers_list
        self.positions = {m.id: m.xy for m in markers}
        self.order = [m.id for m in markers]
        spots = [
            {"pos": m.xy, "size": s, "data": m.id, **self._look(m.approximate)}
            for m, s in zip(markers, self.sizes(), strict=True)
        ]
        self.markers.setData(spots)
        if markers and (not self._fitted or not self._any_in_view()):
            self.fit()
        self._draw_labels()

    @staticmethod
    def _look(approximate: bool) -> dict[str, Any]:
        """A place's own point is a filled disc; an approximate one (the point of a place
        containing it) a hollow ring with a dashed edge, visible over the disc it shares
        its point with."""
        if not approximate:
            return {
                "brush": pg.mkBrush(QColor(214, 80, 40, 190)),
                "pen": pg.mkPen(QColor(255, 255, 255, 230), width=1.5),
            }
        return {
            "brush": pg.mkBrush(QColor(255, 255, 255, 110)),
            "pen": pg.mkPen(QColor(170, 50, 20, 240), width=2, style=Qt.PenStyle.DashLine),
        }

    def _any_in_view(self) -> bool:
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        return any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in self.positions.values())

    def fit(self) -> None:
        x0, y0, x1, y1 = geo.extent(self.markers_list)
        self.plot.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self._fitted = True

    def _draw_labels(self) -> None:
        """Names beside their places, placed by the labels item at each paint."""
        markers = self.markers_list
        self.labels.font = QFont(self.font())
        self.labels.color = self.palette().windowText().color()
        self.labels.backing = QColor(self.palette().window().color())
        self.labels.backing.setAlpha(170)
        self.labels.set_labels(
            [m.xy for m in markers],
            [self.entity_name(m.id, self.result.names) for m in markers],
            self.sizes(),
        )

    def show_selection(self) -> None:
        chosen = self.ws.selected_entity
        if chosen not in self.positions:
            self.ring_mark(None, 0.0)
            return
        self.ring_mark(chosen, self.sizes()[self.order.index(chosen)])

    def summary(self) -> str:
        result: MapResult | None = self.result
        if result is None:
            return ""
        events = sum(m.events for m in result.markers)
        text = self.t(
            "sum_map", period=self.period(), places=len(result.markers), events=f"{events:,}"
        )
        approximate = sum(1 for m in result.markers if m.approximate)
        if approximate:
            text += self.t("sum_approximate", n=f"{approximate:,}")
        if result.more:
            text += self.t("sum_more_places", more=f"{result.more:,}")
        if result.unplaced:
            text += self.t("sum_unplaced", n=f"{result.unplaced:,}")
        return text + self.selected_words()

    def _tip(self, x: float, y: float, data: object) -> str:
        """A place's name and events, when the pointer rests on it."""
        if data not in self.order:
            return ""
        return self._describe(self.markers_list[self.order.index(str(data))])

    def _describe(self, m: geo.Marker) -> str:
        """'Zhongguancun: 3 events', and for an approximate point whose point it is."""
        names = self.result.names
        text = self.t("place_tooltip", name=self.entity_name(m.id, names), n=f"{m.events:,}")
        if m.within is not None:
            text += "\n" + self.t("place_approximate", within=self.entity_name(m.within, names))
        elif m.approximate:
            text += "\n" + self.t("place_approximate_unknown")
        return text

    def marker_at(self, scene: QPointF) -> str | None:
        """The marker under the point that is drawn on top (the smaller over the larger)."""
        vb = self.plot.getViewBox()
        pairs = list(zip(self.markers_list, self.sizes(), strict=True))
        for m, s in reversed(pairs):
            p = vb.mapViewToScene(QPointF(*m.xy))
            if math.hypot(p.x() - scene.x(), p.y() - scene.y()) <= s / 2 + 2:
                return m.id
        return None

    def _clicked(self, event: Any) -> None:
        place = self.marker_at(event.scenePos())
        if place is not None:
            event.accept()
            self.choose(place)

    def choose(self, place: str) -> None:
        try:
            self.ws.select_entity(place, origin=self)
        except StoreError:
            return
        self.plot.setToolTip(self._describe(self.markers_list[self.order.index(place)]))

    def retranslate(self) -> None:
        self.plot.setAccessibleName(self.t("view_map"))
        self.plot.setToolTip(self.t("basemap_credit"))
        super().retranslate()

    def say(self) -> None:
        super().say()
        self.plot.setAccessibleDescription(self.accessibleDescription())
