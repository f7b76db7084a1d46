"""Lifelines: one row per entity (the selected one with those it appears with most, the
selected event's entities, or the most active of the window), its events in the window as
marks on the timeline's time axis, coloured by the entity's role in each. The axis is the
workspace's window: moving either moves both. A click on a mark selects its event; a click
beside the marks selects the row's entity. A row with more events than can be told apart is
drawn as a band of how many start in each part of the window."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QLabel

from explorer.model import linked
from explorer.model.changes import Changes
from explorer.model.views_engine import Lifeline, LifelinesResult
from explorer.store.errors import StoreError
from explorer.ui.linked_view import LinkedView
from explorer.ui.time_axis import TimeAxis
from explorer.ui.views_style import role_colour

ROW_HEIGHT = 0.56  # of a row's height, the marks'
MIN_MARK_PX = 3.0
SPAN_PX = 6.0  # a mark longer than this is a span: drawn thin, under the instants
#: the timeline's lane labels are this wide: the two time axes line up, one above the other
LABEL_WIDTH = 150


class MarksItem(pg.GraphicsObject):  # type: ignore[misc]
    """Every row's marks in one item (never one item per event)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Lifeline] = []
        self.selected: str | None = None
        self.dark = False
        self._bounds = QRectF(0, -0.5, 1, 1)

    def set_rows(self, rows: list[Lifeline], x0: float, x1: float) -> None:
        self.prepareGeometryChange()
        self.rows = rows
        self._x = (x0, x1)
        self._bounds = QRectF(x0, -0.5, max(1.0, x1 - x0), max(1, len(rows)))
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, p: QPainter, *args: Any) -> None:
        px = self.pixelWidth() or 1.0
        half = ROW_HEIGHT / 2
        p.setPen(Qt.PenStyle.NoPen)
        for i, row in enumerate(self.rows):
            if row.density is not None:
                counts = row.density
                top = max(1, int(counts.max()))
                x0, x1 = self._x
                step = (x1 - x0) / max(1, counts.size)
                base = QColor(90, 110, 160)
                for k, c in enumerate(counts.tolist()):
                    if c:
                        colour = QColor(base)
                        colour.setAlpha(60 + int(195 * c / top))
                        p.setBrush(colour)
                        p.drawRect(QRectF(x0 + k * step, i - half, step, ROW_HEIGHT))
                continue
            # spans first, thin and translucent, so that the instants on them stay visible
            marks = list(
                zip(row.x0.tolist(), row.x1.tolist(), row.role.tolist(), row.ids, strict=True)
            )
            long = [m for m in marks if m[1] - m[0] > SPAN_PX * px]
            short = [m for m in marks if m[1] - m[0] <= SPAN_PX * px]
            for a, b, r, ident in long + short:
                colour = role_colour(int(r), self.dark)
                if b - a > SPAN_PX * px:
                    colour.setAlpha(110)
                    rect = QRectF(a, i - half / 2, b - a, ROW_HEIGHT / 2)
                else:
                    rect = QRectF(a, i - half, max(b - a, MIN_MARK_PX * px), ROW_HEIGHT)
                p.setBrush(colour)
                p.drawRect(rect)
                if ident == self.selected:
                    pen = QPen(QColor(230, 120, 0), 2.5)
                    pen.setCosmetic(True)
                    p.setPen(pen)
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawRect(rect.adjusted(0, -0.08, 0, 0.08))
                    p.setPen(Qt.PenStyle.NoPen)

    def mark_at(self, x: float, y: float, px: float) -> tuple[int, int | None]:
        """(row, mark index or None) under the view point (x, y), with `px` view units a
        pixel."""
        row = round(y)
        if not 0 <= row < len(self.rows) or abs(y - row) > 0.5:
            return -1, None
        line = self.rows[row]
        if line.density is not None or not line.ids:
            return row, None
        slack = 4 * px
        width = np.maximum(line.x1 - line.x0, MIN_MARK_PX * px)
        inside = (line.x0 - slack <= x) & (x <= line.x0 + width + slack)
        hits = np.flatnonzero(inside)
        if not hits.size:
            return row, None
        centre = line.x0[hits] + width[hits] / 2
        return row, int(hits[np.argmin(np.abs(centre - x))])


class LifelinesView(LinkedView):
    name = "lifelines"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.axis = TimeAxis(orientation="bottom")
        self.plot = pg.PlotWidget(background=None, axisItems={"bottom": self.axis})
        self.plot.setObjectName("lifelinesPlot")
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        vb = self.plot.getViewBox()
        vb.setMouseEnabled(x=True, y=False)
        vb.invertY(True)
        self.plot.getAxis("left").setWidth(LABEL_WIDTH)
        # every row keeps its name, the last one too (pyqtgraph hides a label at the edge)
        self.plot.getAxis("left").setStyle(hideOverlappingLabels=False)
        self.item = MarksItem()
        self.plot.addItem(self.item)
        self.layout_.addWidget(self.plot, 1)
        self.legend = QLabel()  # the roles' colours
        self.legend.setObjectName("rolesLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.layout_.addWidget(self.legend)
        self._syncing = False
        # the workspace's period from the start: a view made once the window is open (when
        # first shown) would otherwise hand its plot's default range to the workspace
        self._follow_window()
        vb.sigXRangeChanged.connect(self._range_changed)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.retranslate()

    def asks_again(self, changes: Changes) -> bool:
        return changes.selection  # the rows follow what is selected

    def extra(self) -> dict[str, Any]:
        return {"focus": linked.focus(self.ws)}

    @property
    def rows(self) -> list[Lifeline]:
        result: LifelinesResult | None = self.result
        return result.rows if result is not None else []

    def draw(self) -> None:
        result: LifelinesResult | None = self.result
        if result is None:
            return
        window = linked.window_of(self.ws)
        if window is None:
            return
        self.item.dark = self.palette().window().color().lightness() < 128
        self.item.set_rows(result.rows, *window)
        names = [self._row_label(r) for r in result.rows]
        left = self.plot.getAxis("left")
        left.setTicks([[(float(i), n) for i, n in enumerate(names)], []])
        text = self.palette().windowText().color()
        for axis in (left, self.axis):
            axis.setTextPen(pg.mkPen(text))
        self.legend.setText(self._legend(result))
        n = max(1, len(result.rows))
        vb = self.plot.getViewBox()
        vb.setLimits(yMin=-0.5, yMax=n - 0.5)
        vb.setYRange(-0.5, n - 0.5, padding=0)
        self._follow_window()

    def _legend(self, result: LifelinesResult) -> str:
        """The roles drawn, each with its colour (a row drawn as a band has none)."""
        used = sorted({int(r) for row in result.rows for r in row.role.tolist()})
        parts = [
            f'<span style="color:{role_colour(r, self.item.dark).name()}">■</span> '
            f"{html.escape(self.t.role(result.roles[r]))}"
            for r in used
        ]
        return "&nbsp;&nbsp; ".join(parts)

    def _row_label(self, row: Lifeline) -> str:
        """The entity's name, cut to fit the labels' width (a label that does not fit is
        not drawn at all), and its events in the window."""
        name = self.entity_name(row.entity, self.result.names)
        count = f" ({row.events:,})"
        metrics = QFontMetrics(self.font())
        room = LABEL_WIDTH - 14 - metrics.horizontalAdvance(count)
        return metrics.elidedText(name, Qt.TextElideMode.ElideRight, room) + count

    def _follow_window(self) -> None:
        window = self.ws.window or linked.window_of(self.ws)
        if window is None:
            return
        self._syncing = True
        try:
            self.plot.getViewBox().setXRange(*window, padding=0)
        finally:
            self._syncing = False

    def _changed(self, changes: Changes) -> None:
        if changes.window and changes.origin is not self:
            self._follow_window()
        super()._changed(changes)

    def _range_changed(self, _vb: object, rng: tuple[float, float]) -> None:
        if not self._syncing:
            self.ws.set_window(float(rng[0]), float(rng[1]), origin=self)
            self.schedule()

    def show_selection(self) -> None:
        self.item.selected = self.ws.selected_event
        self.item.update()

    def summary(self) -> str:
        result: LifelinesResult | None = self.result
        if result is None:
            return ""
        text = self.t("sum_lifelines", period=self.period(), rows=len(result.rows))
        if result.more:
            text += self.t("sum_more", more=f"{result.more:,}")
        return text + self.selected_words()

    def _clicked(self, event: Any) -> None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        point = vb.mapSceneToView(event.scenePos())
        event.accept()
        self.click(point)

    def click(self, point: QPointF) -> None:
        px = self.item.pixelWidth() or 1.0
        row, mark = self.item.mark_at(point.x(), point.y(), px)
        if row < 0:
            return
        line = self.rows[row]
        try:
            if mark is not None and line.ids[mark]:
                self.ws.select_event(line.ids[mark], origin=self)
            else:
                self.ws.select_entity(line.entity, origin=self)
        except StoreError:
            return

    def retranslate(self) -> None:
        self.plot.setAccessibleName(self.t("view_lifelines"))
        super().retranslate()

    def say(self) -> None:
        super().say()
        self.plot.setAccessibleDescription(self.accessibleDescription())
