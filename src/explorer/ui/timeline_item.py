"""One graphics item that draws every event of the timeline (no Qt item per event).

Drawing happens in device pixels: the item maps its data (x in epoch seconds, y in lanes)
through the painter's transform once per paint, culls to the view, merges crowded events of a
lane into a count, and places labels only where they fit. What is drawn is remembered for
hit-testing hovers and clicks.

How dates look is said and drawn in ui.event_marks.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Hashable, Iterator
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QTransform,
)

from explorer.model.lane_layout import allot
from explorer.model.lane_plan import (
    LaneRows,
    Metrics,
    lanes_in_view,
    lanes_near,
)
from explorer.model.plan_cache import PlanCache
from explorer.model.timeline import DAY, TimelineRows, iso_day
from explorer.store.overview import Density
from explorer.ui.density_paint import paint_density, paint_selection, paint_stripes
from explorer.ui.event_marks import (
    MARK,
    TAIL,
    TRAIL,
)
from explorer.ui.frame_record import FrameRecord, writing
from explorer.ui.plan_drawing import PlanDrawing
from explorer.ui.timeline_hits import Hits
from explorer.ui.timeline_style import Style

log = logging.getLogger(__name__)


def tooltip_text(text: str) -> str:
    """A tooltip shown as plain text (escaped), never guessed to be HTML."""
    return "<qt>" + html.escape(text) + "</qt>"


PAD = 4.0
WIDE = 3 * MARK  # px: items at least this wide are drawn as bars, apart from point events
Keys = list[Hashable] | None  # what each row is (its event, lane and language)
REST_MS = 120  # a pan resting this long gets its own plans (see PlanCache.plan's `hold`)


class EventsItem(PlanDrawing, pg.GraphicsObject):  # type: ignore[misc]
    """Draws all timeline rows. Emits ids through the callbacks given by the view."""

    sigClicked = Signal(object)  # tuple of row indices (one: an event; more: a group)
    sigLanes = Signal()  # the lanes' heights changed (their names and the statements follow)

    def __init__(
        self,
        label_of: Callable[[int], str],
        category_of: Callable[[int], str],
        tooltip_of: Callable[[tuple[int, ...]], str],
        style: Style,
    ) -> None:
        super().__init__()
        self.plans = PlanCache(label_of)  # the lanes' plans of this view, their labels
        #: a frame drawn from the plans of the view before it (a pan) is planned once it rests
        self._rest = QTimer(self, singleShot=True, interval=REST_MS)
        self._rest.timeout.connect(self._rested)
        self._stale = False  # the lanes' heights are those of rows drawn before
        self._category_of = category_of
        self._tooltip_of = tooltip_of
        self.style = style
        self.rows: TimelineRows | None = None
        self.font = QFont()
        self.dimmed: np.ndarray | None = None  # bool per row
        self.noted: np.ndarray | None = None  # bool per row: the event has notes
        self.density: Density | None = None  # drawn instead of rows when set
        self.selected_rows: set[int] = set()
        #: the selected event's time (x0, x1), marked in density view, where no row is its own
        self.selected_span: tuple[float, float] | None = None
        self._drawn = Hits()  # what the frame recorded drew where (see `_hits`)
        self._shift = 0.0  # ... and how far it was played moved
        self._shifted: Hits | None = None
        self._frame = FrameRecord()
        self._density_drawn: object = None  # the key of the density drawn last
        self._colors: dict[str, QColor] = {}
        self._colors_of: Style | None = None
        #: what rows look like, by what they are (not their indices, which a new result
        #: changes): the selection and its time, the rows dimmed, the rows with notes
        self._look: tuple[object, frozenset[Hashable] | None, frozenset[Hashable] | None] = (
            (frozenset(), None),
            None,
            None,
        )
        self._keys: Keys = None  # what each row is (see set_rows)
        self._device: QTransform | None = None
        self._hover: tuple[int, ...] | None = None
        self.paints = 0
        self.paint_errors = 0
        #: The label of a bar standing for several events with the same dates on screen.
        self.many_label: Callable[[int], str] = lambda n: f"{n:,} events"
        #: every lane's top and bottom in data units (see `edges`); None: even lanes
        self.lane_edges: np.ndarray | None = None
        #: the lanes the view names (the events' and, after them, the statements')
        self.total_lanes = 0
        self._laid_out: tuple[object, ...] = ()  # the key of the last layout
        self._data = 0  # counts the rows and densities set (ids of freed rows come back)

    # --- data ----------------------------------------------------------------------------

    def set_rows(
        self, rows: TimelineRows, same: bool = False, keys: Keys = None, moved: bool = False
    ) -> None:
        """`same`: the rows drawn now, as they were (what was planned holds). `keys`: what
        each row is (event, lane, language): rows still there are drawn at once from the
        plans before, in the lanes' heights before, until the view rests (PlanCache.plan).
        `moved`: these are the rows of the view before, only moved (the same filters and
        grouping): the frame drawn from those plans still stands (LanePlan.remapped)."""
        self.prepareGeometryChange()
        before = self.rows.lanes if self.rows is not None else None
        self.rows = rows
        if not same:
            self._data, self._keys = self._data + 1, keys
            hold = before == rows.lanes and self.density is None
            kept = self.plans.new_rows(keys, hold, moved)
            if kept is not None:
                self._laid_out, self._stale = self._layout_key(), True
                self._rest.start()
                # the frame drawn from the plans kept is these rows' too (see `_frame_key`)
                self._drawn, self._shifted = self._drawn.remapped(kept), None
        self.density = None
        self.dimmed = None
        self.selected_rows = set()
        self._look = (frozenset(), self.selected_span), None, self._look[2]
        self._hover = None
        self.relayout()
        self.update()

    def set_dimmed(self, dimmed: np.ndarray | None) -> None:
        self.dimmed = dimmed
        self._look = self._look[0], self._which(dimmed), self._look[2]
        self.update()

    def set_density(self, density: Density | None) -> None:
        """Draw per-lane density (exact counts per bin) instead of single events."""
        self.prepareGeometryChange()
        self.density, self._data = density, self._data + 1
        self.plans.new_rows(None, False)
        if density is not None:
            self.rows = None
        self.relayout()
        self.update()

    def set_noted(self, noted: np.ndarray | None) -> None:
        self.noted = noted
        self._look = self._look[0], self._look[1], self._which(noted)
        self.update()

    def set_selected(self, rows: set[int], span: tuple[float, float] | None = None) -> None:
        self.selected_rows, self.selected_span = rows, span
        chosen = frozenset(self._row_key(r) for r in rows)
        self._look = (chosen, span), self._look[1], self._look[2]
        self.update()

    def _row_key(self, row: int) -> Hashable:
        """What a row is (its event, lane, language), as the pane said; else its index in
        the rows set last."""
        keys = self._keys
        return keys[row] if keys is not None and row < len(keys) else (self._data, row)

    def _which(self, flags: np.ndarray | None) -> frozenset[Hashable] | None:
        """The rows `flags` marks, by what they are (see `_look`)."""
        if flags is None:
            return None
        return frozenset(self._row_key(int(r)) for r in np.flatnonzero(flags))

    def lane_count(self) -> int:
        return len(self.rows.lanes) if self.rows is not None else 0

    @property
    def _hits(self) -> Hits:
        """What the last frame drew where, in device pixels."""
        if self._shifted is None:
            self._shifted = self._drawn.moved(self._shift) if self._shift else self._drawn
        return self._shifted

    @_hits.setter
    def _hits(self, hits: Hits) -> None:
        self._drawn, self._shift, self._shifted = hits, 0.0, hits

    # --- geometry ------------------------------------------------------------------------

    def dataBounds(
        self, ax: int, frac: float = 1.0, orthoRange: object = None
    ) -> tuple[float, float] | None:
        if self.rows is None or not len(self.rows):
            return None
        if ax == 0:
            extent = self.rows.extent()
            return extent
        return (-0.5, self.lane_count() - 0.5)

    def boundingRect(self) -> QRectF:
        # Labels and markers are drawn in pixels around the data: cover the whole view.
        view = self.viewRect()
        if view is not None:
            return QRectF(view)
        extent = self.rows.extent() if self.rows is not None else None
        if extent is None:
            return QRectF()
        return QRectF(extent[0], -0.5, extent[1] - extent[0], max(1, self.lane_count()))

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()
        super().viewRangeChanged()
        self.relayout()

    def _zoom_held(self) -> bool:
        """Whether the view was only zoomed, by at most 3x, with plans held to draw it."""
        before, now = self._laid_out, self._layout_key()
        if not self.plans.holding or len(before) != len(now) or before == now:
            return False
        if any(a != b for i, (a, b) in enumerate(zip(before, now, strict=True)) if i != 1):
            return False  # the plot's size, the font or the rows changed too
        was, box = before[1], now[1]
        return isinstance(was, float) and isinstance(box, float) and 1 / 3 <= was / box <= 3

    # --- painting ------------------------------------------------------------------------

    def paint(self, p: QPainter, *args: object) -> None:
        # An exception escaping a Qt virtual aborts the process: log it, count it (tests
        # assert there were none) and draw nothing rather than lose the user's session.
        self.paints += 1
        p.save()
        try:
            self._paint(p)
        except Exception:
            self.paint_errors += 1
            log.exception("drawing the timeline failed")
        finally:
            p.restore()

    def _paint(self, p: QPainter) -> None:
        if self.density is not None:
            self._paint_density(p, self.density)
            return
        rows = self.rows
        view = self.viewRect()
        if rows is None or not len(rows) or view is None:
            self._hits = Hits()
            return
        if self._layout_key() != self._laid_out:  # resized since (a grab, an export)
            self.relayout()
        sx, ox, sy, oy = self._to_device(p)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        fm = QFontMetricsF(self.font)
        bounds = (view.left() * sx + ox, view.right() * sx + ox)
        edges = self.edges() * sy + oy
        m = self.metrics(fm)
        key = self._frame_key(view, (sx, ox, sy, oy), bounds, edges, m)
        shift = None if key is None else self._frame.play(p, key, ox)
        if shift is not None:
            self._shift, self._shifted = shift, None
        else:
            self._frame.record(p, ox, partial(self._draw_lanes, fm, view, bounds, edges, m))
        p.restore()
        if self.plans.moved:
            self._rest.start()

    def _frame_key(
        self,
        view: QRectF,
        device: tuple[float, float, float, float],
        bounds: tuple[float, float],
        edges: np.ndarray,
        m: Metrics,
    ) -> tuple[object, ...] | None:
        """What a frame is drawn from but where (see ui.frame_record); None when a lane in
        view has no plan yet."""
        assert self.rows is not None
        sx, ox, sy, oy = device
        sizes = Metrics(line=0.0, mark=MARK, tail=TAIL)
        origins = []
        for lane in lanes_near(self.rows, view.left(), view.right(), sx, sizes, TRAIL):
            height = abs(float(edges[lane + 1]) - float(edges[lane]))
            found = self.plans.origin(lane, sx, ox, bounds, m, height, hold=True)
            if found is None:
                return None
            origins.append((lane, found[0].serial, found[1], found[2]))
        # the rows by what they are: a new result drawn from the same plans is the same frame
        rows = self._data if self._keys is None else None
        look = (rows, self._look, self.font.key(), self.style, self.many_label)
        return (look, sx, sy, oy, round(bounds[1] - bounds[0], 3), edges.tobytes(), tuple(origins))

    def _draw_lanes(
        self,
        fm: QFontMetricsF,
        view: QRectF,
        bounds: tuple[float, float],
        edges: np.ndarray,
        m: Metrics,
        p: QPainter,
        reach: tuple[float, float],
    ) -> tuple[object, ...] | None:
        """Draw the lanes' stripes over `reach` (the view box clips them) and every lane in
        view with `p` from its plan (made now if it has none); return the frame's key (see
        `_frame_key`)."""
        assert self._device is not None
        sx, ox, sy, oy = (self._device.m11(), self._device.m31(), self._device.m22(),
                          self._device.m32())  # fmt: skip
        for lane in range(0, self.lane_count(), 2):
            top, bottom = sorted((float(edges[lane]), float(edges[lane + 1])))
            p.fillRect(QRectF(reach[0], top, reach[1] - reach[0], bottom - top),
                       self.style.lane_stripe)  # fmt: skip
        self._hits = Hits()
        ops: list[tuple[int, int, Callable[[], object]]] = []
        measure = self.plans.measurer(self.font.key(), fm.horizontalAdvance)
        bar = self.bar_height(abs(sy))
        for lane, lane_rows in self.lanes_in_view(view, sx, ox):
            top, bottom = sorted((float(edges[lane]), float(edges[lane + 1])))
            plan = self.plans.plan(
                lane, lane_rows, self.many_label, measure, sx, ox, bounds, m, bottom - top,
                hold=True,
            )  # fmt: skip
            self._draw_plan(p, fm, plan, plan.rows(top, bottom - top, m), bar, ops)
        for _rank, _seq, draw in sorted(ops, key=lambda op: (op[0], op[1])):
            draw()
        return self._frame_key(view, (sx, ox, sy, oy), bounds, edges, m)

    def _rested(self) -> None:
        self.plans.release()
        if self._stale:  # the lanes' heights for the rows now drawn
            self._stale, self._laid_out = False, ()
            self.relayout()
        self.update()

    # --- lanes ---------------------------------------------------------------------------

    def metrics(self, fm: QFontMetricsF) -> Metrics:
        return Metrics(line=fm.height() + 1, mark=MARK, tail=TAIL, pad=PAD)

    @staticmethod
    def bar_height(lane_px: float) -> float:
        """The height of marks: a share of an even lane's height, within bounds."""
        return max(6.0, min(16.0, lane_px * 0.42))

    def edges(self) -> np.ndarray:
        """Every lane's top and bottom (lane i spans edges[i]..edges[i+1], in data units)."""
        n = max(1, self.total_lanes, self.lane_count())
        if self.lane_edges is not None and len(self.lane_edges) == n + 1:
            return self.lane_edges
        return np.arange(n + 1, dtype=np.float64) - 0.5

    def lane_span(self, lane: int) -> tuple[float, float]:
        edges = self.edges()
        return float(edges[lane]), float(edges[lane + 1])

    def lanes_in_view(self, view: QRectF, sx: float, ox: float) -> Iterator[tuple[int, LaneRows]]:
        """Each lane's rows that overlap the view, in pixels, sorted by left edge."""
        assert self.rows is not None
        sizes = Metrics(line=0.0, mark=MARK, tail=TAIL)
        return lanes_in_view(self.rows, view.left(), view.right(), sx, ox, sizes, TRAIL, WIDE)

    def _layout_key(self) -> tuple[object, ...]:
        """What the lanes' heights depend on (a paint at another key lays them out again)."""
        vb, view = self.getViewBox(), self.viewRect()
        size = (float(vb.width()), float(vb.height())) if vb is not None else None
        # the view's width, not where: a pan keeps the lanes' heights until its rows come
        box = round(view.width(), 3) if view is not None else None
        rows = self._data, self.total_lanes, self.density is None
        return size, box, self.font.key(), rows

    def relayout(self) -> None:
        """Share the plot's height among the lanes by what each needs at this view (a lane
        with bars that overlap in time needs a line for each), and tell the lane names. Done
        again only when what it depends on changed (a step called it up to four times)."""
        key = self._layout_key()
        if key == self._laid_out:
            return
        if self._zoom_held():  # drawn at once from the plans held, in the lanes' heights
            self._laid_out, self._stale = key, True  # they were made for, until the view
            self._rest.start()  # rests
            return
        self._laid_out = key
        n = max(1, self.total_lanes, self.lane_count())
        edges = np.arange(n + 1, dtype=np.float64) - 0.5
        vb = self.getViewBox()
        view = self.viewRect()
        if vb is not None and view is not None and self.rows is not None and len(self.rows):
            width, height = float(vb.width()), float(vb.height())
            if width > 2 and height > 2 and view.width() > 0 and self.density is None:
                sx = width / view.width()
                fm = QFontMetricsF(self.font)
                m = self.metrics(fm)
                needs = [2 * m.margin + m.line] * n
                for lane in range(self.lane_count(), n):
                    needs[lane] = self.other_need(m)
                measure = self.plans.measurer(self.font.key(), fm.horizontalAdvance)
                ox = -view.left() * sx
                for lane, lane_rows in self.lanes_in_view(view, sx, ox):
                    needs[lane] = self.plans.plan(
                        lane, lane_rows, self.many_label, measure, sx, ox, (0.0, width), m,
                        most_height=height, need_only=True,
                    ).need  # fmt: skip
                heights = np.asarray(allot(needs, height))
                edges = -0.5 + np.concatenate([[0.0], np.cumsum(heights)]) * (n / height)
        old = self.lane_edges
        if old is None or len(old) != len(edges) or float(np.abs(old - edges).max()) > 1e-4:
            self.lane_edges = edges
            self.update()
            self.sigLanes.emit()

    @staticmethod
    def other_need(m: Metrics) -> float:
        """What a lane of other marks (the statements') needs."""
        return 2 * m.margin + 2 * m.line

    def _to_device(self, p: QPainter) -> tuple[float, float, float, float]:
        """Switch `p` to device pixels (saving its state: the caller restores it) and return
        the view-to-device scale and offset (sx, ox, sy, oy); remembered for hit tests."""
        tr = p.transform()
        self._device = tr
        p.save()
        p.resetTransform()
        p.setFont(self.font)
        return tr.m11(), tr.m31(), tr.m22(), tr.m32()

    def _paint_density(self, p: QPainter, d: Density) -> None:
        view = self.viewRect()
        if view is None or not d.counts:
            return
        device = self._to_device(p)  # saves the painter; restored here
        sx, ox, sy, oy = device
        key = (d, sx, sy, oy, self.font.key(), self.style, self.selected_span)
        if self._frame.play(p, key, ox) is None:
            bounds = (view.left() * sx + ox, view.right() * sx + ox)
            self._draw_density(d, device, key, p, bounds)
            if key == self._density_drawn and not writing():  # drawn before at another
                # place: a drag, whose frames after draw an image of it made when the loop
                # is idle (recorded here, its first frame cost 20-30 ms at 1600x900)
                self._frame.later(p, ox, key, partial(self._draw_density, d, device, key))
            else:  # a new density (each step of a zoom or a pan brings one)
                self._density_drawn = key
                self._frame.clear()
        p.restore()

    def _draw_density(
        self,
        d: Density,
        device: tuple[float, float, float, float],
        key: object,
        p: QPainter,
        reach: tuple[float, float],
    ) -> object:
        paint_stripes(p, len(d.counts), reach, device, self.style)  # the view box clips them
        paint_density(p, d, device, reach, QFontMetricsF(self.font), self.style)
        if self.selected_span is not None:
            lanes = (device[3] - device[2] / 2, device[3] + (len(d.counts) - 0.5) * device[2])
            paint_selection(p, self.selected_span, device, lanes, self.style.selected)
        return key

    def density_at(self, item_pos: QPointF) -> tuple[int, int, int] | None:
        """(lane, first day, count) of the density bin under a point, if any."""
        d = self.density
        if d is None or not d.counts:
            return None
        lane = round(item_pos.y())
        b = int(item_pos.x() // (d.bin_days * DAY)) - d.first_bin
        if 0 <= lane < len(d.counts) and 0 <= b < len(d.counts[lane]):
            return lane, (d.first_bin + b) * d.bin_days, d.counts[lane][b]
        return None

    # --- interaction ---------------------------------------------------------------------

    def drawn_labels(self) -> list[QRectF]:
        """Where labels were drawn in the last paint, in device pixels."""
        return [h.rect for h in self._hits if h.label]

    def hit_at(self, item_pos: QPointF) -> tuple[int, ...] | None:
        """Rows under a point given in item (data) coordinates."""
        if self._device is None:
            return None
        px = self._device.map(item_pos)
        under = [h for h in self._hits if h.rect.adjusted(-3, -3, 3, 3).contains(px)]
        if not under:
            return None
        # the most specific shape wins: a marker drawn over a wide bar is what was meant
        return min(under, key=lambda h: h.rect.width() * h.rect.height()).rows

    def device_center_of(self, row: int) -> QPointF | None:
        """Where a row was last drawn, in item coordinates (for tests and keyboard)."""
        if self._device is None:
            return None
        inverse, _ok = self._device.inverted()
        for hit in self._hits:
            if hit.rows == (row,):
                return inverse.map(hit.rect.center())
        return None

    def hoverEvent(self, ev: object) -> None:
        if ev.isExit():  # type: ignore[attr-defined]
            self._set_hover(None)
            return
        if self.density is not None:
            found = self.density_at(ev.pos())  # type: ignore[attr-defined]
            self.setToolTip(self._density_tip(found) if found else "")
            return
        self._set_hover(self.hit_at(ev.pos()))  # type: ignore[attr-defined]
        if self._hover is not None:
            ev.acceptClicks(Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]

    def _density_tip(self, found: tuple[int, int, int]) -> str:
        assert self.density is not None
        _lane, day, count = found
        start = iso_day(day * DAY)
        end = iso_day((day + self.density.bin_days - 1) * DAY)
        return tooltip_text(f"{count:,} events starting {start} – {end}")

    def _set_hover(self, rows: tuple[int, ...] | None) -> None:
        if rows == self._hover:
            return
        self._hover = rows
        self.setToolTip(self._tooltip_of(rows) if rows else "")
        self.setCursor(Qt.CursorShape.PointingHandCursor if rows else Qt.CursorShape.ArrowCursor)

    def mouseClickEvent(self, ev: object) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        rows = self.hit_at(ev.pos())  # type: ignore[attr-defined]
        if rows:
            ev.accept()  # type: ignore[attr-defined]
            self.sigClicked.emit(rows)
