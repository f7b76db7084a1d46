"""The timeline widget: a pyqtgraph plot with a date axis, lanes, and the events item."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QNativeGestureEvent, QPen
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QGraphicsSceneMouseEvent,
    QVBoxLayout,
    QWidget,
)

from explorer.model.timeline import TimelineRows, period_caption
from explorer.model.window import MAX_SPAN, MIN_SPAN, ZOOM_STEP, fitted, widest
from explorer.ui.time_axis import TimeAxis
from explorer.ui.timeline_item import EventsItem, Keys
from explorer.ui.timeline_style import Style

#: The lane axis's width in pixels: the longest lane name and a margin, within these.
LANE_AXIS_MIN, LANE_AXIS_MAX = 40, 200


class TimelineViewBox(pg.ViewBox):  # type: ignore[misc]
    """x-only navigation: wheel zooms, drag pans, Shift+drag zooms to the dragged range."""

    sigRangeSelected = Signal(float, float)

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=True, y=False)
        self._band: QGraphicsRectItem | None = None
        self._selecting = False  # the drag under way selects a range (begun with Shift)
        self._press_shift = False  # Shift was held when the button went down

    def mousePressEvent(self, ev: QGraphicsSceneMouseEvent) -> None:
        self._press_shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        super().mousePressEvent(ev)

    def mouseDragEvent(self, ev: Any, axis: object = None) -> None:
        # what a drag does is decided where it starts: one begun with Shift selects a range
        # to its end, though Shift be let go on the way (it panned the view under the band)
        if ev.isStart():
            shift = self._press_shift or bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self._selecting = shift and ev.button() == Qt.MouseButton.LeftButton
        if not self._selecting:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        start = self.mapToView(ev.buttonDownPos())
        now = self.mapToView(ev.pos())
        x0, x1 = sorted((start.x(), now.x()))
        if ev.isFinish():
            if self._band is not None:
                self.removeItem(self._band)
                self._band = None
            if x1 > x0:
                self.sigRangeSelected.emit(x0, x1)
            return
        (y0, y1) = self.viewRange()[1]
        if self._band is None:
            self._band = QGraphicsRectItem()
            self._band.setPen(QPen(QColor(60, 120, 220, 200), 0))
            self._band.setBrush(QColor(60, 120, 220, 50))
            self._band.setZValue(1e6)
            self.addItem(self._band, ignoreBounds=True)
        self._band.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))


class _PinchFilter(QObject):
    """Touchpad pinch (a native zoom gesture) zooms the timeline like the wheel."""

    def __init__(self, zoom: Callable[[float], None]) -> None:
        super().__init__()
        self._zoom = zoom

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.NativeGesture:
            assert isinstance(event, QNativeGestureEvent)
            if event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self._zoom(1.0 / (1.0 + event.value()))
                return True
        return False


class TimelineView(QWidget):
    """Shows TimelineRows; says which rows the user clicked and where the view is."""

    sigRowsClicked = Signal(object)  # tuple of row indices
    sigRangeChanged = Signal(float, float)

    def __init__(
        self,
        label_of: Callable[[int], str],
        category_of: Callable[[int], str],
        tooltip_of: Callable[[tuple[int, ...]], str],
        style: Style,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view_box = TimelineViewBox()
        self.date_axis = TimeAxis(orientation="bottom", utcOffset=0)
        self.lane_axis = pg.AxisItem(orientation="left")
        self.lane_axis.setWidth(LANE_AXIS_MIN)
        self._lane_width = 0
        self.plot = pg.PlotWidget(
            viewBox=self.view_box, axisItems={"bottom": self.date_axis, "left": self.lane_axis}
        )
        # no axis takes an SI prefix (the date axis never did): with it on, an axis made
        # its title again as HTML and measured it at each range set, the hidden top one
        # at every frame of a drag
        for name in ("left", "top", "right"):
            self.plot.getAxis(name).enableAutoSIPrefix(False)
        self.plot.setObjectName("timeline")
        self.plot.setAccessibleName("Timeline")
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.hideButtons()
        self.plot.getPlotItem().setMenuEnabled(False)
        self.view_box.invertY(True)
        self.view_box.setLimits(minXRange=MIN_SPAN, maxXRange=MAX_SPAN)
        self.item = EventsItem(label_of, category_of, tooltip_of, style)
        #: the project's whole extent, for fit_all (set by the pane that owns the view)
        self.extent_of: Callable[[], tuple[float, float] | None] | None = None
        self.plot.addItem(self.item)
        self.item.sigClicked.connect(self.sigRowsClicked)
        self._names: list[str] = []  # the lane names as shown (elided to the axis)
        self.item.sigLanes.connect(self._place_names)
        self.view_box.sigResized.connect(self.item.relayout)
        self.view_box.sigRangeSelected.connect(self.set_range)
        self.view_box.sigXRangeChanged.connect(self._on_range)
        self._pinch = _PinchFilter(self.zoom)
        self.plot.viewport().installEventFilter(self._pinch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.set_style(style)

    # --- content -------------------------------------------------------------------------

    def set_style(self, style: Style) -> None:
        self.item.style = style
        self.plot.setBackground(style.background)
        pen = pg.mkPen(style.text)
        for axis in (self.date_axis, self.lane_axis):
            axis.setPen(pen)
            axis.setTextPen(pen)
        self.item.update()

    def set_font(self, font: QFont) -> None:
        self.item.font = font
        for axis in (self.date_axis, self.lane_axis):
            axis.setStyle(tickFont=font)
        self.item.relayout()
        self.item.update()

    def set_rows(
        self,
        rows: TimelineRows,
        names: list[str],
        same: bool = False,
        keys: Keys = None,
        moved: bool = False,
    ) -> None:
        self.item.set_rows(rows, same, keys, moved)
        self.set_lanes(names)

    def set_lanes(self, lane_names: list[str]) -> None:
        """Name the lanes; the lane axis is as wide as its longest name (no blank strip
        left of the names, no room taken from the timeline that no name needs). It only
        widens while the user zooms and pans (lanes come and go with the view; the plot
        must not jump sideways) until `reset_lane_width`."""
        font = self.lane_axis.style.get("tickFont") or self.font()
        fm = QFontMetricsF(font)
        most = LANE_AXIS_MAX - 16  # a name is cut only where it would take more than this
        names = [fm.elidedText(name, Qt.TextElideMode.ElideRight, most) for name in lane_names]
        self._names = names
        widest = max((fm.horizontalAdvance(n) for n in names), default=0.0)
        need = int(min(LANE_AXIS_MAX, max(LANE_AXIS_MIN, widest + 16)))
        if need > self._lane_width:
            self._lane_width = need
            self.lane_axis.setWidth(need)
        n = max(1, len(lane_names))
        self.view_box.setLimits(yMin=-0.5, yMax=n - 0.5)
        self.view_box.setYRange(-0.5, n - 0.5, padding=0)
        self.item.total_lanes = len(lane_names)
        self.item.relayout()
        self._place_names()

    def _place_names(self) -> None:
        """Each lane's name at the middle of its lane (lanes are as high as they need)."""
        edges = self.item.edges()
        ticks = [
            (float(edges[i] + edges[i + 1]) / 2 if i + 1 < len(edges) else float(i), name)
            for i, name in enumerate(self._names)
        ]
        self.lane_axis.setTicks([ticks, []])

    def reset_lane_width(self) -> None:
        """The lanes are others now (grouping, language, data): fit their names afresh."""
        self._lane_width = 0

    # --- navigation ----------------------------------------------------------------------

    def x_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.view_box.viewRange()
        return float(x0), float(x1)

    def set_widest(self, extent: tuple[float, float] | None) -> None:
        """The widest view takes in the whole project, be it a century or the age of the
        universe."""
        self.view_box.setLimits(maxXRange=widest(extent))

    def set_range(self, x0: float, x1: float) -> None:
        if x1 - x0 < MIN_SPAN:
            mid = (x0 + x1) / 2
            x0, x1 = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
        self.view_box.setXRange(x0, x1, padding=0)

    def fit_all(self) -> None:
        """Show the whole project (its extent comes from `extent_of`, else what is drawn)."""
        if self.extent_of is not None:
            extent = self.extent_of()
        else:
            rows = self.item.rows
            extent = rows.extent() if rows is not None else None
        whole = fitted(extent)
        if whole is not None:
            self.set_range(*whole)

    def zoom(self, factor: float, center: float | None = None) -> None:
        """factor < 1 zooms in; keeps `center` (default: the middle) in place."""
        x0, x1 = self.x_range()
        c = (x0 + x1) / 2 if center is None else center
        self.set_range(c - (c - x0) * factor, c + (x1 - c) * factor)

    def zoom_in(self) -> None:
        self.zoom(1 / ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom(ZOOM_STEP)

    def pan(self, fraction: float) -> None:
        x0, x1 = self.x_range()
        d = (x1 - x0) * fraction
        self.set_range(x0 + d, x1 + d)

    def center_on(self, x0: float, x1: float) -> None:
        """Bring [x0, x1] into view: nothing moves when it is already well inside; otherwise
        centre on it, zooming out only if it does not fit."""
        v0, v1 = self.x_range()
        margin = (v1 - v0) * 0.05
        if x0 >= v0 + margin and x1 <= v1 - margin:
            return
        width = max(v1 - v0, (x1 - x0) * 1.5)
        mid = (x0 + x1) / 2
        self.set_range(mid - width / 2, mid + width / 2)

    def _on_range(self, *_: object) -> None:
        # the view's transform follows the range now, not at the start of the next paint
        # (pyqtgraph's default): set there, it dirtied the whole view once more, and every
        # range set, each frame of a drag, was painted twice
        self.view_box.updateMatrix()
        x0, x1 = self.x_range()
        caption = period_caption(x0, x1)
        if caption != self.date_axis.labelText:  # made again as HTML and measured when set
            self.date_axis.setLabel(caption)
        self.sigRangeChanged.emit(x0, x1)

    # --- test helpers --------------------------------------------------------------------

    def row_position(self, row: int) -> QPointF | None:
        """Widget coordinates of a drawn row, or None when it is not drawn on its own."""
        center = self.item.device_center_of(row)
        if center is None:
            return None
        scene = self.item.mapToScene(center)
        return QPointF(self.plot.mapFromScene(scene))

    def tick_strings(self) -> list[str]:
        """The date axis labels as currently shown."""
        x0, x1 = self.x_range()
        width = self.date_axis.width() or self.plot.width()
        values = self.date_axis.tickValues(x0, x1, max(width, self.plot.width()))
        out: list[str] = []
        for spacing, ticks in values:
            out.extend(self.date_axis.tickStrings(ticks, 1.0, spacing))
        return out


def tooltip_html(lines: list[str]) -> str:
    """A tooltip that is always plain text: escaped and wrapped, so Qt never guesses rich
    text from data."""
    body = "<br>".join(html.escape(line) for line in lines)
    return f"<qt>{body}</qt>"


def dimmed_mask(
    rows: TimelineRows, event_ids: list[str], keep: set[str] | None
) -> np.ndarray | None:
    if keep is None:
        return None
    return np.array([event_ids[int(e)] not in keep for e in rows.event], dtype=bool)
