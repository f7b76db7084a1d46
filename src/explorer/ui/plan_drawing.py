"""How the timeline draws a lane's plan: each event's mark, counts of crowded events, bars
that found no line, and labels where the plan put them, in drawing order (dimmed under the
rest, the selection on top), filing what went where for hovers and clicks. Mixed into
ui.timeline_item.EventsItem, whose state it reads."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QTransform

from explorer.model.lane_plan import BarSpot, LanePlan
from explorer.model.lane_plan import Rows as PlanRows
from explorer.model.layout import Group, Placement
from explorer.model.timeline import TimelineRows
from explorer.ui.event_marks import (
    MARK,
    Shape,
    draw_badge,
    draw_ring,
    draw_shape,
    shape_rect,
    span_core,
)
from explorer.ui.timeline_hits import Hit, Hits
from explorer.ui.timeline_style import Style

Ops = list[tuple[int, int, Callable[[], object]]]  # (rank, order, draw): drawn sorted


class PlanDrawing:
    rows: TimelineRows | None
    style: Style
    dimmed: np.ndarray | None
    noted: np.ndarray | None
    selected_rows: set[int]
    _category_of: Callable[[int], str]
    _device: QTransform | None
    _hits: Hits
    _colors: dict[str, QColor]  # the colours of `_colors_of` asked for (see `_color`)
    _colors_of: Style | None

    def _rank(self, members: tuple[int, ...] | list[int], label: bool) -> int:
        """Drawing order: dimmed marks and labels under the rest, the selection on top."""
        if self.selected_rows and not self.selected_rows.isdisjoint(members):
            rank = 4
        elif self._all_dimmed(members):
            rank = 0
        else:
            rank = 2
        return rank + label

    def _all_dimmed(self, members: tuple[int, ...] | list[int]) -> bool:
        dimmed = self.dimmed
        if dimmed is None:
            return False
        if len(members) == 1:
            return bool(dimmed[members[0]])
        return bool(dimmed[list(members)].all())

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
        dim = self._all_dimmed(spot.members)

        def draw() -> None:
            fill = QColor(self.style.text)
            fill.setAlphaF(0.15 if dim else 0.45)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(fill)
            p.drawRoundedRect(rect, 2, 2)

        return draw

    def _color(self, category: str) -> QColor:
        """The style's colour of a category (asked once per style: a frame asks per mark)."""
        style = self.style
        kept = self._colors.get(category) if self._colors_of is style else None
        if kept is None:
            if self._colors_of is not style:
                self._colors, self._colors_of = {}, style
            kept = self._colors[category] = style.color(category)
        return kept

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
        color = self._color(self._category_of(row))
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
        # on whole pixels: Qt fills a pill (its radius half its height) at fractions of a
        # pixel about 15 times slower (139 bubbles took 9 ms of a frame, 0.7 ms on whole ones)
        top, left = round(cy - bar / 2 - 2), round(g.left)
        rect = QRectF(left, top, max(1, round(g.right) - left), round(bar + 4))
        self._hits.append(Hit(rect, tuple(g.members)))
        dim = self._all_dimmed(g.members)
        selected = not self.selected_rows.isdisjoint(g.members)

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
