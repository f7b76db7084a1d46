"""One graphics item that draws every note on a date range: a faded band across all lanes,
with a small label at the top. Clicking a band opens its note."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from explorer.ui.timeline_view import tooltip_html


@dataclass(frozen=True)
class RangeNote:
    note_id: str
    x0: float  # epoch seconds
    x1: float
    label: str  # first words of the note (plain text)


class RangeNotesItem(pg.GraphicsObject):  # type: ignore[misc]
    sigClicked = Signal(str)  # note id

    def __init__(self, color: QColor) -> None:
        super().__init__()
        self.color = color
        self.font = QFont()
        self.notes: list[RangeNote] = []
        self._bands: list[tuple[QRectF, RangeNote]] = []
        self.setZValue(-10)  # behind the events
        self.setAcceptHoverEvents(True)

    def set_notes(self, notes: list[RangeNote]) -> None:
        self.prepareGeometryChange()
        self.notes = notes
        self.update()

    def boundingRect(self) -> QRectF:
        view = self.viewRect()
        return QRectF(view) if view is not None else QRectF()

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()
        super().viewRangeChanged()

    def paint(self, p: QPainter, *args: object) -> None:
        view = self.viewRect()
        self._bands = []
        if view is None or not self.notes:
            return
        tr = p.transform()
        p.save()
        p.resetTransform()
        fm = QFontMetricsF(self.font)
        p.setFont(self.font)
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
            self._bands.append((band, note))
        p.restore()
        self._device = tr

    def note_at(self, pos: QPointF) -> RangeNote | None:
        device = getattr(self, "_device", None)
        if device is None:
            return None
        px = device.map(pos)
        for band, note in reversed(self._bands):
            if band.contains(px):
                return note
        return None

    def hoverEvent(self, ev: object) -> None:
        if ev.isExit():  # type: ignore[attr-defined]
            self.setToolTip("")
            return
        note = self.note_at(ev.pos())  # type: ignore[attr-defined]
        self.setToolTip(tooltip_html([note.label]) if note else "")

    def mouseClickEvent(self, ev: object) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        note = self.note_at(ev.pos())  # type: ignore[attr-defined]
        if note is not None:
            ev.accept()  # type: ignore[attr-defined]
            self.sigClicked.emit(note.note_id)
