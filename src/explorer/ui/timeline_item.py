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
    QPen,
    QTransform,
)

from explorer.model.lane_layout import allot
from explorer.model.lane_plan import (
    BarSpot,
    LanePlan,
    LaneRows,
    Metrics,
    lanes_in_view,
)
from explorer.model.lane_plan import Rows as PlanRows
from explorer.model.layout import Group, Placement
from explorer.model.plan_cache import PlanCache
from explorer.model.timeline import DAY, TimelineRows, iso_day
from explorer.store.overview import Density
from explorer.ui.density_paint import paint_density, paint_selection
from explorer.ui.event_marks import (
    MARK,
    TAIL,
    TRAIL,
    Shape,
    draw_badge,
    draw_ring,
    draw_shape,
    shape_rect,
    span_core,
)
from explorer.ui.timeline_hits import Hit, Hits
from explorer.ui.timeline_style import Style

log = logging.getLogger(__name__)


def tooltip_text(text: str) -> str:
    """A tooltip shown as plain text (escaped), never guessed to be HTML."""
    return "<qt>" + html.escape(text) + "</qt>"


PAD = 4.0
WIDE = 3 * MARK  # px: items at least this wide are drawn as bars, apart from point events
Keys = list[Hashable] | None  # what each row is (its event, lane and language)
REST_MS = 120  # a pan resting this long gets its own plans (see PlanCache.plan's `hold`)


class EventsItem(pg.GraphicsObject):  # type: ignore[misc]
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
        self._rest = QTimer(singleShot=True, interval=REST_MS)
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
        self._hits = Hits()
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

    def set_rows(self, rows: TimelineRows, same: bool = False, keys: Keys = None) -> None:
        """`same`: the rows drawn now, as they were (what was planned holds). `keys`: what
        each row is (event, lane, language): rows still there are drawn at once from the
        plans before, in the lanes' heights before, until the view rests (PlanCache.plan)."""
        self.prepareGeometryChange()
        before = self.rows.lanes if self.rows is not None else None
        self.rows = rows
        if not same:
            self._data += 1
            if self.plans.new_rows(keys, before == rows.lanes and self.density is None):
                self._laid_out, self._stale = self._layout_key(), True
                self._rest.start()
        self.density = None
        self.dimmed = None
        self.selected_rows = set()
        self._hover = None
        self.relayout()
        self.update()

    def set_dimmed(self, dimmed: np.ndarray | None) -> None:
        self.dimmed = dimmed
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
        self.update()

    def set_selected(self, rows: set[int], span: tuple[float, float] | None = None) -> None:
        self.selected_rows, self.selected_span = rows, span
        self.update()

    def lane_count(self) -> int:
        return len(self.rows.lanes) if self.rows is not None else 0

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
        self._hits = Hits()
        if rows is None or not len(rows) or view is None:
            return
        if self._layout_key() != self._laid_out:  # resized since (a grab, an export)
            self.relayout()
        sx, ox, sy, oy = self._to_device(p)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        fm = QFontMetricsF(self.font)
        view_left = view.left() * sx + ox
        view_right = view.right() * sx + ox
        edges = self.edges() * sy + oy
        for lane in range(0, self.lane_count(), 2):  # lane stripes
            top, bottom = sorted((float(edges[lane]), float(edges[lane + 1])))
            p.fillRect(
                QRectF(view_left, top, view_right - view_left, bottom - top), self.style.lane_stripe
            )
        ops: list[tuple[int, int, Callable[[], object]]] = []
        m = self.metrics(fm)
        measure = self.plans.measurer(self.font.key(), fm.horizontalAdvance)
        bar = self.bar_height(abs(sy))
        for lane, lane_rows in self.lanes_in_view(view, sx, ox):
            top, bottom = sorted((float(edges[lane]), float(edges[lane + 1])))
            plan = self.plans.plan(
                lane, lane_rows, self.many_label, measure, sx, ox, (view_left, view_right), m,
                bottom - top, hold=True,
            )  # fmt: skip
            self._draw_plan(p, fm, plan, plan.rows(top, bottom - top, m), bar, ops)
        for _rank, _seq, draw in sorted(ops, key=lambda op: (op[0], op[1])):
            draw()
        p.restore()
        if self.plans.moved:
            self._rest.start()

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

    # --- drawing a lane's plan -------------------------------------------------------------

    def _rank(self, members: tuple[int, ...] | list[int], label: bool) -> int:
        """Drawing order: dimmed marks and labels under the rest, the selection on top."""
        if any(r in self.selected_rows for r in members):
            rank = 4
        elif all(self.dimmed is not None and self.dimmed[r] for r in members):
            rank = 0
        else:
            rank = 2
        return rank + label

    def _draw_plan(
        self,
        p: QPainter,
        fm: QFontMetricsF,
        plan: LanePlan,
        at: PlanRows,
        bar: float,
        ops: list[tuple[int, int, Callable[[], object]]],
    ) -> None:
        labels: list[tuple[tuple[int, ...], Callable[[], object]]] = []
        for g, text, place in zip(plan.groups, plan.texts, plan.places, strict=True):
            if g.count > 1:
                self._queue(ops, g.members, self._group(p, fm, g, at.marks, bar))
                continue
            row = g.members[0]
            self._queue(ops, (row,), self._event(p, row, at.marks, bar))
            if place is not None and text is not None:
                y = at.label_y(place.row)
                mark = (g.left, g.right)
                labels.append(((row,), partial(self._draw_label, p, fm, row, y, text, place, mark)))
        bar_h = max(3.0, min(bar * 0.8, at.step - 6 if at.step > 12 else at.step - 2))
        for spot in plan.bars:
            y = at.bar_y(spot.stacked.line or 0)
            if spot.overflow:
                self._queue(ops, spot.members, self._overflow(p, spot, y, bar_h))
                continue
            row = next((r for r in spot.members if r in self.selected_rows), spot.members[0])
            self._queue(ops, spot.members, self._event(p, row, y, bar_h, spot.members))
            place = spot.stacked.label
            if place is not None and spot.text is not None:
                y = at.bar_y(place.row)
                mark = (spot.left, spot.right)
                label = partial(
                    self._draw_label, p, fm, row, y, spot.text, place, mark, spot.members
                )
                labels.append((spot.members, label))
        for members, draw in labels:  # after every mark of the lane is known (for backings)
            ops.append((self._rank(members, True), len(ops), draw))

    def _queue(
        self,
        ops: list[tuple[int, int, Callable[[], object]]],
        members: tuple[int, ...] | list[int],
        draw: Callable[[], object],
    ) -> None:
        ops.append((self._rank(members, False), len(ops), draw))

    def _overflow(self, p: QPainter, spot: BarSpot, y: float, bar: float) -> Callable[[], object]:
        """Bars that found no line of their own, as one grey mark (their count on hover)."""
        rect = QRectF(spot.left, y - bar / 2, max(spot.right - spot.left, MARK), bar)
        self._hits.append(Hit(rect, spot.members))
        dim = all(self.dimmed is not None and self.dimmed[r] for r in spot.members)

        def draw() -> None:
            fill = QColor(self.style.text)
            fill.setAlphaF(0.15 if dim else 0.45)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(fill)
            p.drawRoundedRect(rect, 2, 2)

        return draw

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
        paint_density(p, d, view, device, QFontMetricsF(self.font), self.style)
        if self.selected_span is not None:
            lanes = (device[3] - device[2] / 2, device[3] + (len(d.counts) - 0.5) * device[2])
            paint_selection(p, self.selected_span, device, lanes, self.style.selected)
        p.restore()

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

    def _alpha(self, row: int) -> float:
        if self.dimmed is not None and self.dimmed[row]:
            return 0.22
        return 1.0

    def _event(
        self,
        p: QPainter,
        row: int,
        cy: float,
        bar: float,
        members: tuple[int, ...] | None = None,
    ) -> Callable[[], object]:
        """Record where an event's mark goes (for hits) and return what draws it."""
        rows = self.rows
        assert rows is not None and self._device is not None
        sx, ox = self._device.m11(), self._device.m31()
        precision, span = int(rows.precision[row]), bool(rows.span[row])
        vouched = rows.vouched[row] if rows.vouched is not None else np.nan
        shape = Shape(
            rows.x0[row] * sx + ox,
            rows.x1[row] * sx + ox,
            precision,
            int(rows.qualifier[row]),
            span,
            core=span_core(rows.x0[row], rows.x1[row], precision, sx, ox)
            if span and precision > 0
            else None,
            vouched=None if np.isnan(vouched) else float(vouched * sx + ox),
            undated=rows.undated is not None and bool(rows.undated[row]),
        )
        hit = shape_rect(shape, cy, bar)
        self._hits.append(Hit(hit, members or (row,)))
        color = self.style.color(self._category_of(row))
        alpha = self._alpha(row)

        def draw() -> None:
            draw_shape(p, shape, color, alpha, cy, bar)
            if row in self.selected_rows:
                draw_ring(p, hit, self.style.selected)
            if self.noted is not None and self.noted[row]:
                draw_badge(p, hit, self.style.selected, self.style.background)

        return draw

    def _draw_label(
        self,
        p: QPainter,
        fm: QFontMetricsF,
        row: int,
        cy: float,
        full: str,
        place: Placement,
        mark: tuple[float, float],
        members: tuple[int, ...] | None = None,
    ) -> None:
        """Draw a label where the plan put it (elided to the room it was given only when it
        had no room anywhere); one left of its mark ends next to the mark."""
        text = fm.elidedText(full, Qt.TextElideMode.ElideRight, place.width + 0.5)
        if not text or text == "…":
            return
        color = QColor(self.style.text)
        color.setAlphaF(self._alpha(row))
        p.setPen(color)
        width = fm.horizontalAdvance(text)
        x = place.x
        if place.x + place.width <= mark[0] + 0.5:  # left of its mark
            x = place.x + place.width - width
        rect = QRectF(x, cy - fm.height() / 2, width + 1, fm.height())
        members = members or (row,)
        # over another mark's trail, or a line of its own: a backing, so no line runs through
        crossed = self._hits.crossing(rect, members)
        if crossed:
            backing = QColor(self.style.background)
            backing.setAlpha(215)
            p.fillRect(QRectF(x - 2, rect.top(), width + 4, rect.height()), backing)
        p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        self._hits.append(
            Hit(QRectF(rect.left(), rect.top(), width, rect.height()), members, True, text)
        )

    def _group(
        self, p: QPainter, fm: QFontMetricsF, g: Group, cy: float, bar: float
    ) -> Callable[[], object]:
        """A count of crowded events: a bubble over their extent (ending at the view's edge)."""
        text = str(g.count)
        rect = QRectF(g.left, cy - bar / 2 - 2, g.right - g.left, bar + 4)
        self._hits.append(Hit(rect, tuple(g.members)))
        dim = all(self.dimmed is not None and self.dimmed[r] for r in g.members)
        selected = any(r in self.selected_rows for r in g.members)

        def draw() -> None:
            fill = QColor(self.style.text)
            fill.setAlphaF(0.18 if dim else 0.72)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(fill)
            p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
            p.setPen(self.style.background)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            if selected:
                p.setPen(QPen(self.style.selected, 2.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                radius = rect.height() / 2
                p.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), radius, radius)

        return draw

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
