"""Who said what, as its own kind of mark in a lane of its own under the events: a speech
mark where (when) it was said and, for a goal or a forecast, the period it is about as a
faded span (or, for 'by then', a tick at the bound fading to the left), linked to the mark
by a dashed line. Hovering shows the words; a click selects the event it was said at, else
its speaker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QPainterPath, QPen

from explorer.store import dates
from explorer.store.records import DatedPeriod, Statement
from explorer.ui.view_spans_item import ViewSpansItem

BUBBLE = 12.0  # px: the speech mark's width
TRAIL = 40.0  # px: the fade left of a 'by then' bound


def _when(p: DatedPeriod) -> str:
    mark = {"circa": "≈ ", "before": "≤ ", "after": "≥ "}.get(p.qualifier, "")
    return mark + dates.date_label(p.start) + (f" – {dates.date_label(p.end)}" if p.end else "")


class StatementsItem(ViewSpansItem):
    sigClicked = Signal(object)  # the Statement

    def __init__(self, color: QColor) -> None:
        super().__init__(z=5)  # over the lanes' stripes, beside the events
        self.color = color
        self.lane = 0  # the lane (y) the statements are drawn in
        #: the lane's top and bottom in data units (lanes are as high as they need)
        self.span_of: Callable[[int], tuple[float, float]] = lambda k: (k - 0.5, k + 0.5)
        self.statements: list[Statement] = []
        self.names: dict[str, str] = {}  # speaker id -> name in the interface's language
        self.words = {"said": "said", "about": "about", "unnamed": "(unnamed)"}

    def set_statements(self, statements: list[Statement], lane: int) -> None:
        self.prepareGeometryChange()
        self.statements, self.lane = statements, lane
        self.update()

    def tooltip_lines(self, spot: object) -> list[str]:
        assert isinstance(spot, Statement)
        who = self.names.get(spot.speaker_id or "", spot.speaker_name or self.words["unnamed"])
        words = f"“{spot.words}”" if spot.direct else spot.words
        lines = [who, words[:300], f"{self.words['said']} {_when(spot.said)}"]
        if spot.about is not None:
            lines.append(f"{self.words['about']} {_when(spot.about)}")
        return lines

    def clicked(self, spot: object) -> None:
        self.sigClicked.emit(spot)

    def _x(self, p: DatedPeriod, tr: object) -> tuple[float, float]:
        a = tr.map(QPointF(p.t0, 0)).x()  # type: ignore[attr-defined]
        b = tr.map(QPointF(p.t1, 0)).x()  # type: ignore[attr-defined]
        return min(a, b), max(a, b)

    def paint(self, p: QPainter, *args: object) -> None:
        begun = self.begin_paint(p, bool(self.statements) and self.isVisible())
        if begun is None:
            return
        _view, tr, _fm = begun
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        top, bottom = self.span_of(self.lane)
        y = tr.map(QPointF(0, (top + bottom) / 2)).y()
        lane_px = abs(tr.m22()) * (bottom - top)
        solid = QColor(self.color)
        faded = QColor(self.color)
        faded.setAlpha(70)
        row_of: dict[float, int] = {}
        for st in self.statements:
            s0, s1 = self._x(st.said, tr)
            x = s1 if st.said.qualifier == "before" else (s0 + s1) / 2
            key = round(x / BUBBLE)
            row = row_of.get(key, 0)  # statements said together stack a little
            row_of[key] = row + 1
            cy = y - lane_px * 0.2 + min(row, 3) * 5
            if st.about is not None:
                self._about(p, st.about, tr, x, cy, y + lane_px * 0.2, solid, faded)
            bubble = QRectF(x - BUBBLE / 2, cy - BUBBLE / 2 + 1, BUBBLE, BUBBLE - 2)
            path = QPainterPath()
            path.addRoundedRect(bubble, 3, 3)
            path.moveTo(x - 2, bubble.bottom())
            path.lineTo(x - 4, bubble.bottom() + 4)
            path.lineTo(x + 2, bubble.bottom())
            p.setPen(QPen(solid, 1))
            p.setBrush(solid if st.direct else QColor(self.color.lighter(160)))
            p.drawPath(path)
            self.spots.append((bubble.adjusted(-3, -3, 3, 6), st))
        p.restore()

    def _about(
        self,
        p: QPainter,
        about: DatedPeriod,
        tr: object,
        x: float,
        cy: float,
        ay: float,
        solid: QColor,
        faded: QColor,
    ) -> None:
        """The period a statement is about, and the dashed line linking it to the mark."""
        a0, a1 = self._x(about, tr)
        if about.qualifier == "before":  # 'by 2030': a tick at the bound, fading left
            grad = QLinearGradient(a1 - TRAIL, 0, a1, 0)
            clear = QColor(faded)
            clear.setAlpha(0)
            grad.setColorAt(0.0, clear)
            grad.setColorAt(1.0, faded)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(grad))
            p.drawRect(QRectF(a1 - TRAIL, ay - 3, TRAIL, 6))
            p.setPen(QPen(solid, 2))
            p.drawLine(QPointF(a1, ay - 6), QPointF(a1, ay + 6))
            target = a1
        else:
            p.setPen(QPen(solid, 1, Qt.PenStyle.DotLine))
            p.setBrush(faded)
            p.drawRect(QRectF(a0, ay - 4, max(a1 - a0, 3.0), 8))
            target = (a0 + a1) / 2
        p.setPen(QPen(faded.darker(120), 1, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        link = QPainterPath(QPointF(x, cy + BUBBLE / 2))
        link.quadTo(QPointF((x + target) / 2, ay + 8), QPointF(target, ay))
        p.drawPath(link)
