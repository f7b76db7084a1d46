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
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QTransform,
)

from explorer.model.layout import Group, Placement, group_crowded, place_labels
from explorer.model.timeline import DAY, TimelineRows, iso_day
from explorer.store.overview import Density
from explorer.ui.density_paint import paint_density, paint_selection
from explorer.ui.event_marks import MARK, TAIL, Shape, draw_badge, draw_ring, draw_shape
from explorer.ui.timeline_style import Style

log = logging.getLogger(__name__)


def tooltip_text(text: str) -> str:
    """A tooltip shown as plain text (escaped), never guessed to be HTML."""
    return "<qt>" + html.escape(text) + "</qt>"


PAD = 4.0
WIDE = 3 * MARK  # px: items at least this wide are drawn as bars, apart from point events


def sub_row_step(bar: float, fm: QFontMetricsF) -> float:
    """Distance between stacked bars: a bar and a gap, and never less than a line of text,
    so that labels of neighbouring sub-rows never touch."""
    return max(bar + 3, fm.height() + 0.5)


@dataclass(frozen=True)
class Hit:
    rect: QRectF  # device pixels
    rows: tuple[int, ...]  # row indices into TimelineRows
    label: bool = False  # a text label (these must never overlap each other)
    text: str = ""  # what a label says (as drawn: elided when it had no room)


class EventsItem(pg.GraphicsObject):  # type: ignore[misc]
    """Draws all timeline rows. Emits ids through the callbacks given by the view."""

    sigClicked = Signal(object)  # tuple of row indices (one: an event; more: a group)

    def __init__(
        self,
        label_of: Callable[[int], str],
        category_of: Callable[[int], str],
        tooltip_of: Callable[[tuple[int, ...]], str],
        style: Style,
    ) -> None:
        super().__init__()
        self._label_of = label_of  # row -> label text
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
        self._hits: list[Hit] = []
        self._device: QTransform | None = None
        self._hover: tuple[int, ...] | None = None
        self.paints = 0
        self.paint_errors = 0
        #: The label of a bar standing for several events with the same dates on screen.
        self.many_label: Callable[[int], str] = lambda n: f"{n:,} events"

    # --- data ----------------------------------------------------------------------------

    def set_rows(self, rows: TimelineRows) -> None:
        self.prepareGeometryChange()
        self.rows = rows
        self.density = None
        self.dimmed = None
        self.selected_rows = set()
        self._hover = None
        self.update()

    def set_dimmed(self, dimmed: np.ndarray | None) -> None:
        self.dimmed = dimmed
        self.update()

    def set_density(self, density: Density | None) -> None:
        """Draw per-lane density (exact counts per bin) instead of single events."""
        self.prepareGeometryChange()
        self.density = density
        if density is not None:
            self.rows = None
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
        self._hits = []
        if rows is None or not len(rows) or view is None:
            return
        sx, ox, sy, oy = self._to_device(p)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        fm = QFontMetricsF(self.font)
        lane_px = abs(sy)
        bar = max(6.0, min(16.0, lane_px * 0.42))
        view_left = view.left() * sx + ox
        view_right = view.right() * sx + ox

        # lane stripes
        for lane in range(0, self.lane_count(), 2):
            top = (lane - 0.5) * sy + oy
            p.fillRect(QRectF(view_left, top, view_right - view_left, sy), self.style.lane_stripe)

        # cull: rows that overlap the view in x
        margin = (MARK + TAIL) / max(abs(sx), 1e-12)
        visible = np.nonzero(
            (rows.x1 >= view.left() - margin) & (rows.x0 <= view.right() + margin)
        )[0]
        left = rows.x0[visible] * sx + ox
        right = rows.x1[visible] * sx + ox
        bound = rows.undated[visible] if rows.undated is not None else np.zeros(visible.size, bool)
        left[bound] = right[bound] - MARK  # only a bound: its mark at the end (and a trail)
        for lane in np.unique(rows.lane[visible]).tolist():
            in_lane = rows.lane[visible] == lane
            idx, lo, hi = visible[in_lane], left[in_lane], right[in_lane]
            order = np.argsort(lo, kind="stable")  # a bound's trail moved its left edge
            idx, lo, hi, lane_bound = idx[order], lo[order], hi[order], bound[in_lane][order]
            cy = lane * sy + oy
            # Wide items (spans, uncertain months and years at this zoom) are drawn as bars in
            # the lower half of the lane and never swallow the point-like events around them.
            wide = ((hi - lo) >= WIDE) & ~lane_bound
            has_compact = bool((~wide).any())
            # Bars fill the lower part of the lane under point events, or the whole lane,
            # thin enough that at least two sub-rows fit.
            stack = lane_px * (0.45 if has_compact else 0.8)
            bar_h = max(4.0, min(bar * 0.8, stack / 2 - 3))
            step = sub_row_step(bar_h, fm)
            bar_y = cy + lane_px * 0.02 + bar_h / 2 if has_compact else cy - stack / 2 + step / 2
            max_sub = max(1, int(stack // step))
            compact_y = cy - (lane_px * 0.24 if wide.any() else 0.0)
            if has_compact and wide.any():  # the bars' labels stay clear of the points' labels
                bar_y = max(bar_y, compact_y + fm.height() + 0.5)
            groups = self._bubbled(group_crowded(idx[~wide], lo[~wide], hi[~wide], MARK), fm)
            free = self._free_rows(fm, compact_y, cy - lane_px / 2, cy + lane_px / 2, wide)
            texts = [self._label_of(g.members[0]) if g.count == 1 else None for g in groups]
            places = place_labels(
                groups,
                [fm.horizontalAdvance(t) if t is not None else None for t in texts],
                view_left,
                view_right,
                lead=[TAIL if self._after(g.members[0]) else 0.0 for g in groups],
                free_rows=len(free),
                pad=PAD,
            )
            later: list[Callable[[], object]] = []  # labels go over every mark of the lane
            for g, text, place in zip(groups, texts, places, strict=True):
                if g.count == 1:
                    self._draw_event(p, g.members[0], g, compact_y, bar)
                    if place is not None and text is not None:
                        y = compact_y if place.row == 0 else free[place.row - 1]
                        later.append(partial(self._draw_label, p, fm, g, y, text, place))
                else:
                    self._draw_group(p, fm, g, compact_y, bar)
            for draw in later:
                draw()
            self._draw_bars(
                p,
                fm,
                idx[wide],
                lo[wide],
                hi[wide],
                bar_y,
                bar_h,
                max_sub,
                view_left,
                view_right,
            )
        p.restore()

    def _draw_bars(
        self,
        p: QPainter,
        fm: QFontMetricsF,
        idx: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
        cy: float,
        bar: float,
        max_sub: int,
        view_left: float,
        view_right: float,
    ) -> None:
        """Wide items stacked into as few sub-rows as needed (at most `max_sub`); a label
        goes inside its bar when it fits, else to its right when there is room. An item that
        finds no free sub-row is drawn in the last one without a label: labels never
        overlap."""
        if not idx.size:
            return
        # Bars that cover the same pixels (say, a thousand events dated only "2022" seen a
        # week at a time) are drawn once, with their count: never a pile of identical bars.
        left = np.round(np.maximum(lo, view_left - 8))
        right = np.round(np.minimum(hi, view_right + 8))
        extents, first, inverse = np.unique(
            np.stack([left, right], axis=1), axis=0, return_index=True, return_inverse=True
        )
        inverse = inverse.reshape(-1)
        members_of = np.split(
            np.argsort(inverse, kind="stable"), np.cumsum(np.bincount(inverse))[:-1]
        )
        order = np.argsort(extents[:, 0], kind="stable")
        starts = extents[order, 0]
        ends: list[float] = []  # right edge (incl. label) of the last bar in each sub-row
        labels: list[Callable[[], object]] = []  # drawn after every bar: text stays on top
        step = sub_row_step(bar, fm)
        for gi in order.tolist():
            members = tuple(int(idx[m]) for m in members_of[gi])
            k = int(first[gi])
            row, x0, x1 = int(idx[k]), float(lo[k]), float(hi[k])
            # a selected event drawn for the group keeps the group marked as selected
            row = next((r for r in members if r in self.selected_rows), row)
            sub = next((i for i, e in enumerate(ends) if x0 > e + PAD), None)
            if sub is None and len(ends) < max_sub:
                sub = len(ends)
                ends.append(0.0)
            g = Group([row], x0, x1)
            if sub is None:  # no room: the bar shares the last sub-row, unlabelled
                self._draw_event(p, row, g, cy + (max_sub - 1) * step, bar)
                self._hits[-1] = Hit(self._hits[-1].rect, members)
                ends[-1] = max(ends[-1], x1)
                continue
            before = max(ends[sub], view_left)  # what this sub-row holds left of the bar
            y = cy + sub * step
            self._draw_event(p, row, g, y, bar)
            self._hits[-1] = Hit(self._hits[-1].rect, members)
            text = self._label_of(row) if len(members) == 1 else self.many_label(len(members))
            inside = min(x1, view_right) - max(x0, view_left) - 2 * PAD
            width = fm.horizontalAdvance(text)
            if width <= inside:
                color = QColor(self.style.text)
                color.setAlphaF(self._alpha(row))
                rect = QRectF(max(x0, view_left) + PAD, y - fm.height() / 2, inside, fm.height())
                labels.append(partial(self._draw_text, p, color, rect, text, width))
                used = QRectF(rect.left(), rect.top(), width, rect.height())
                self._hits.append(Hit(used, members, label=True, text=text))
                ends[sub] = x1
            elif len(members) == 1:
                k_next = int(np.searchsorted(starts, x1, side="right"))  # next bar's start
                # The next bars may take sub-rows that are free by then; the label can reach
                # the first bar that would need this sub-row.
                if k_next < starts.size:
                    free = (
                        max_sub
                        - len(ends)
                        + sum(
                            1 for j, e in enumerate(ends) if j != sub and e + PAD < starts[k_next]
                        )
                    )
                    k_next += free
                room = (
                    (float(starts[k_next]) if k_next < starts.size else view_right) - x1 - 2 * PAD
                )
                gap = TAIL if self._after(row) else 0.0
                room -= gap
                if width > room and x0 - 2 * PAD - width >= before:  # left of the bar
                    place = Placement(x0 - PAD - width, 0, width)
                    labels.append(partial(self._draw_label, p, fm, g, y, text, place))
                    ends[sub] = x1
                elif room >= 36:
                    place = Placement(x1 + PAD + gap, 0, room)
                    labels.append(partial(self._draw_label, p, fm, g, y, text, place))
                    ends[sub] = x1 + min(width, room) + 2 * PAD + gap
                else:
                    ends[sub] = x1
            else:
                ends[sub] = x1
        for draw in labels:
            draw()

    def _draw_text(self, p: QPainter, color: QColor, rect: QRectF, text: str, width: float) -> None:
        """A label inside its bar, on a backing of the background colour so that the bar's
        line never runs through the letters."""
        backing = QColor(self.style.background)
        backing.setAlpha(215)
        p.fillRect(QRectF(rect.left() - 2, rect.top(), width + 4, rect.height()), backing)
        p.setPen(color)
        p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

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

    def _draw_event(self, p: QPainter, row: int, g: Group, cy: float, bar: float) -> None:
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
            core=self._span_core(row, sx, ox) if span and precision > 0 else None,
            vouched=None if np.isnan(vouched) else float(vouched * sx + ox),
            undated=rows.undated is not None and bool(rows.undated[row]),
        )
        color = self.style.color(self._category_of(row))
        hit = draw_shape(p, shape, color, self._alpha(row), cy, bar)
        if row in self.selected_rows:
            draw_ring(p, hit, self.style.selected)
        if self.noted is not None and self.noted[row]:
            draw_badge(p, hit, self.style.selected, self.style.background)
        self._hits.append(Hit(hit, (row,)))

    def _span_core(self, row: int, sx: float, ox: float) -> tuple[float, float]:
        """Pixels of the certain middle of a span whose ends are a month or a year."""
        rows = self.rows
        assert rows is not None
        precision = int(rows.precision[row])
        period = 31 * DAY if precision == 1 else 366 * DAY
        x0, x1 = rows.x0[row], rows.x1[row]
        core0 = min(x0 + period, (x0 + x1) / 2)
        core1 = max(x1 - period, core0)
        return core0 * sx + ox, core1 * sx + ox

    @staticmethod
    def _free_rows(
        fm: QFontMetricsF, y: float, top: float, bottom: float, wide: np.ndarray
    ) -> list[float]:
        """Rows of a lane free for labels that find no room beside their marks (at `y`):
        the one above, and below when no bars are drawn there."""
        line = fm.height()
        rows = []
        if y - 1.5 * line >= top - 1:  # a whole line above the marks' labels, in the lane
            rows.append(y - line)
        if not wide.any() and y + 1.5 * line <= bottom:
            rows.append(y + line)
        return rows

    def _after(self, row: int) -> bool:
        return self.rows is not None and int(self.rows.qualifier[row]) == 3

    def _bubbled(self, groups: list[Group], fm: QFontMetricsF) -> list[Group]:
        """Groups with the width their count bubble takes (so no label runs under it),
        merged with the groups that bubble would cover."""
        out: list[Group] = []
        for g in groups:
            if out and out[-1].count > 1 and g.left <= out[-1].right + 2:
                last = out.pop()
                g = Group(last.members + g.members, last.left, max(last.right, g.right))
            if g.count > 1:
                g = Group(g.members, g.left, max(g.right, g.left + self._bubble_width(g, fm)))
            out.append(g)
        return out

    @staticmethod
    def _bubble_width(g: Group, fm: QFontMetricsF) -> float:
        return fm.horizontalAdvance(str(g.count)) + 12

    def _draw_label(
        self, p: QPainter, fm: QFontMetricsF, g: Group, cy: float, full: str, place: Placement
    ) -> None:
        """Draw the label of a single event where `place_labels` put it (elided to the room
        it was given only when it had no room anywhere)."""
        row = g.members[0]
        text = fm.elidedText(full, Qt.TextElideMode.ElideRight, place.width + 0.5)
        if not text or text == "…":
            return
        color = QColor(self.style.text)
        color.setAlphaF(self._alpha(row))
        p.setPen(color)
        width = fm.horizontalAdvance(text)
        x = place.x
        if place.row == 0 and place.x + place.width <= g.left:  # left of its mark
            x = g.left - PAD - width
        rect = QRectF(x, cy - fm.height() / 2, width + 1, fm.height())
        # on a free row, or over another mark's trail: a backing, so no line runs through
        crossed = any(h.rect.intersects(rect) for h in self._hits if h.rows != (row,))
        if place.row != 0 or crossed:
            backing = QColor(self.style.background)
            backing.setAlpha(215)
            p.fillRect(QRectF(x - 2, rect.top(), width + 4, rect.height()), backing)
        p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        self._hits.append(
            Hit(QRectF(rect.left(), rect.top(), width, rect.height()), (row,), True, text)
        )

    def _draw_group(self, p: QPainter, fm: QFontMetricsF, g: Group, cy: float, bar: float) -> None:
        text = str(g.count)
        w = max(g.right - g.left, fm.horizontalAdvance(text) + 12)
        rect = QRectF(g.left, cy - bar / 2 - 2, w, bar + 4)
        dim = all(self.dimmed is not None and self.dimmed[r] for r in g.members)
        fill = QColor(self.style.text)
        fill.setAlphaF(0.18 if dim else 0.72)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        p.setPen(self.style.background)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        if any(r in self.selected_rows for r in g.members):
            p.setPen(QPen(self.style.selected, 2.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), rect.height() / 2, rect.height() / 2)
        self._hits.append(Hit(rect, tuple(g.members)))

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
