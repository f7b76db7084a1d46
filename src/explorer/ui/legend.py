"""The legend of the timeline's marks, drawn with the very functions that draw the marks:
a day, a span, a month or a year, circa, before and after, an open-ended span, an undated
fact, a count of crowded events, a note's badge, the selection, and a statement with the
period it is about. Shown from the timeline (View > Legend of the marks) and drawn, when
asked, into exported pictures with the view's title and period."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from explorer.ui.event_marks import MARK, TAIL, Shape, draw_badge, draw_ring, draw_shape
from explorer.ui.i18n import Translator
from explorer.ui.timeline_style import Style

ROW = 22.0
SAMPLE = 64.0  # px: the width given to each sample mark

#: (key of its words, the sample's shape or a special kind)
ENTRIES: tuple[tuple[str, Shape | str], ...] = (
    ("lg_day", Shape(26, 30, 0, 0, False)),
    ("lg_span", Shape(6, 58, 0, 0, True)),
    ("lg_month", Shape(14, 50, 1, 0, False)),
    ("lg_uncertain_span", Shape(4, 60, 2, 0, True, core=(18, 46))),
    ("lg_circa", Shape(10, 56, 2, 1, False)),
    ("lg_before", Shape(40, 44, 0, 2, False)),
    ("lg_after", Shape(18, 22, 0, 3, False)),
    ("lg_open", Shape(4, 30, 0, 0, True, vouched=30)),
    ("lg_undated", Shape(50, 60, 2, 2, False, undated=True)),
    ("lg_count", "count"),
    ("lg_note", "note"),
    ("lg_selected", "selected"),
    ("lg_statement", "statement"),
)


def _cells(t: Translator, font: QFont) -> list[float]:
    """The width of each entry: its sample and its words."""
    fm = QFontMetricsF(font)
    return [SAMPLE + 16 + fm.horizontalAdvance(t(key)) + 4 for key, _ in ENTRIES]


def legend_columns(t: Translator, font: QFont, width: float | None) -> list[float]:
    """The widths of the columns the entries take (filled top to bottom): as many as fit
    in `width` pixels (None: one column); one column elided to `width` when none fits."""
    cells = _cells(t, font)
    n = len(cells)
    for cols in range(n if width is not None else 1, 0, -1):
        rows = -(-n // cols)
        widths = [max(cells[c * rows : (c + 1) * rows]) for c in range(-(-n // rows))]
        if width is None or sum(widths) + 8 <= width:
            return widths
    return [max(1.0, float(width) - 8)] if width is not None else [max(cells)]


def legend_size(t: Translator, font: QFont, width: float | None = None) -> QSize:
    """The legend's size: one column, or as many as fit in `width` (the entries wrap onto
    more lines, never past it)."""
    widths = legend_columns(t, font, width)
    rows = -(-len(ENTRIES) // len(widths))
    return QSize(int(sum(widths) + 8), int(ROW * rows + 12))


def paint_legend(
    p: QPainter,
    origin: QPointF,
    t: Translator,
    style: Style,
    font: QFont,
    width: float | None = None,
) -> QRectF:
    """Draw the legend with its top left at `origin` (device pixels), in columns that fit
    `width` (None: one column); returns its frame."""
    size = legend_size(t, font, width)
    widths = legend_columns(t, font, width)
    frame = QRectF(origin.x(), origin.y(), size.width(), size.height())
    fm = QFontMetricsF(font)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    back = QColor(style.background)
    back.setAlpha(235)
    p.setPen(QPen(QColor(style.text.red(), style.text.green(), style.text.blue(), 90), 1))
    p.setBrush(back)
    p.drawRoundedRect(frame, 4, 4)
    p.setFont(font)
    colour = style.color("policy")
    bar = 10.0
    rows = -(-len(ENTRIES) // len(widths))
    for i, (key, sample) in enumerate(ENTRIES):
        col, row = divmod(i, rows)
        cell = widths[col]
        cy = frame.top() + 6 + ROW * (row + 0.5)
        x = frame.left() + 8 + sum(widths[:col])
        if isinstance(sample, Shape):
            moved = Shape(
                sample.x0 + x,
                sample.x1 + x,
                sample.precision,
                sample.qualifier,
                sample.span,
                core=(sample.core[0] + x, sample.core[1] + x) if sample.core else None,
                vouched=sample.vouched + x if sample.vouched is not None else None,
                undated=sample.undated,
            )
            draw_shape(p, moved, colour, 1.0, cy, bar)
        else:
            _special(p, sample, x, cy, bar, colour, style)
        p.setPen(style.text)
        text = QRectF(x + SAMPLE + 8, cy - ROW / 2, cell - SAMPLE - 12, ROW)
        words = fm.elidedText(t(key), Qt.TextElideMode.ElideRight, text.width())
        p.drawText(text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, words)
    p.restore()
    return frame


def _special(
    p: QPainter, kind: str, x: float, cy: float, bar: float, colour: QColor, style: Style
) -> None:
    if kind == "count":
        fill = QColor(style.text)
        fill.setAlphaF(0.72)
        rect = QRectF(x + 20, cy - bar / 2 - 2, 22, bar + 4)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        p.setPen(style.background)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "3")
        return
    if kind == "statement":
        _statement_sample(p, x, cy)
        return
    dot = draw_shape(p, Shape(x + 26, x + 30, 0, 0, False), colour, 1.0, cy, bar)
    if kind == "note":
        draw_badge(p, dot, style.selected, style.background)
    elif kind == "selected":
        draw_ring(p, dot, style.selected)


def _statement_sample(p: QPainter, x: float, cy: float) -> None:
    """A speech mark, linked by a dashed line to the bound of the period it is about."""
    colour = QColor("#5c6bc0")
    p.setPen(QPen(colour, 1))
    p.setBrush(colour)
    path = QPainterPath()
    path.addRoundedRect(QRectF(x + 8, cy - 6, 12, 10), 3, 3)
    p.drawPath(path)
    p.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
    p.drawLine(QPointF(x + 20, cy), QPointF(x + 52, cy + 4))
    p.setPen(QPen(colour, 2))
    p.drawLine(QPointF(x + 54, cy - 2), QPointF(x + 54, cy + 10))


class LegendWidget(QWidget):
    def __init__(self, t: Translator, style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t, self.marks = t, style
        self.setMinimumSize(legend_size(t, self.font()))

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        paint_legend(p, QPointF(0, 0), self.t, self.marks, self.font())
        p.end()


class Frame:
    """What an exported picture carries around the timeline: the view's title and period
    above it, the legend of the marks under it, in as many columns as the width holds."""

    def __init__(self, title: str, period: str, t: Translator, style: Style, font: QFont):
        self.title, self.period, self.t, self.style = title, period, t, style
        # in pixels: a picture's own resolution must not enlarge a font given in points
        self.font = QFont(font)
        self.font.setPixelSize(max(1, QFontInfo(font).pixelSize()))

    def margins(self, whole: QSize) -> tuple[int, int]:
        """(top, bottom) pixels taken from a picture of `whole` (at screen resolution)."""
        line = QFontMetricsF(self.font).height()
        legend = legend_size(self.t, self.font, whole.width() - 16)
        return int(line * 1.6 + 8), legend.height() + 8

    def paint(self, p: QPainter, whole: QSize, top: int) -> None:
        _top, bottom = self.margins(whole)
        p.save()
        p.fillRect(QRectF(0, 0, whole.width(), top), self.style.background)
        below = whole.height() - bottom
        p.fillRect(QRectF(0, below, whole.width(), bottom), self.style.background)
        bold = QFont(self.font)
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(self.style.text)
        room = QRectF(8, 4, whole.width() - 16, top - 8)
        heading = f"{self.title} — {self.period}" if self.title else self.period
        heading = QFontMetricsF(bold).elidedText(
            heading, Qt.TextElideMode.ElideMiddle, room.width()
        )
        p.drawText(room, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, heading)
        p.restore()
        origin = QPointF(8, below + 2)
        paint_legend(p, origin, self.t, self.style, self.font, whole.width() - 16)


def legend_dialog(parent: QWidget, t: Translator, style: Style) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("legendDialog")
    dialog.setWindowTitle(t("show_legend"))
    layout = QVBoxLayout(dialog)
    layout.addWidget(LegendWidget(t, style, dialog))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


__all__ = ["MARK", "TAIL", "Frame", "legend_dialog", "legend_size", "paint_legend"]
