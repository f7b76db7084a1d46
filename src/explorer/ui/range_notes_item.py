"""One graphics item that draws every note on a date range: a faded band across all lanes,
with a small label at the top. Clicking a band opens its note."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen

from explorer.ui.view_spans_item import ViewSpansItem


@dataclass(frozen=True)
class RangeNote:
    note_id: str
    x0: float  # epoch seconds
    x1: float
    label: str  # first words of the note (plain text)


class RangeNotesItem(ViewSpansItem):
    sigClicked = Signal(str)  # note id

    def __init__(self, color: QColor) -> None:
        super().__init__(z=-10)  # behind the events
        self.color = color
        self.notes: list[RangeNote] = []

    def set_notes(self, notes: list[RangeNote]) -> None:
        self.prepareGeometryChange()
        self.notes = notes
        self.update()

    def tooltip_lines(self, spot: object) -> list[str]:
        assert isinstance(spot, RangeNote)
        return [spot.label]

    def clicked(self, spot: object) -> None:
        assert isinstance(spot, RangeNote)
        self.sigClicked.emit(spot.note_id)

    def paint(self, p: QPainter, *args: object) -> None:
        """A faded band per note (the spot), its label at the foot."""
        begun = self.begin_paint(p, bool(self.notes))
        if begun is None:
            return
        view, tr, fm = begun
        top = tr.map(QPointF(view.left(), view.top())).y()
        bottom = tr.map(QPointF(view.left(), view.bottom())).y()
        top, bottom = min(top, bottom), max(top, bottom)
        fill = QColor(self.color)
        fill.setAlpha(28)
        edge = QColor(self.color)
        edge.setAlpha(160)
        for note in self.notes:
            if note.x1 < view.left() or note.x0 > view.right():
                continue
            a = tr.map(QPointF(note.x0, 0)).x()
            b = tr.map(QPointF(note.x1, 0)).x()
            band = QRectF(min(a, b), top, max(abs(b - a), 3.0), bottom - top)
            p.fillRect(band, fill)
            p.setPen(QPen(edge, 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(band.left(), top), QPointF(band.left(), bottom))
            p.drawLine(QPointF(band.right(), top), QPointF(band.right(), bottom))
            text = fm.elidedText(
                "✎ " + note.label, Qt.TextElideMode.ElideRight, max(band.width(), 120)
            )
            p.setPen(edge)
            p.drawText(
                # at the foot of the band, clear of the lanes' own labels
                QRectF(
                    band.left() + 3,
                    bottom - fm.height() - 3,
                    fm.horizontalAdvance(text) + 2,
                    fm.height(),
                ),
                Qt.AlignmentFlag.AlignLeft,
                text,
            )
            self.spots.append((band, note))
        p.restore()
