"""Eras and other named periods, drawn behind the events: a tinted band across every lane per
period, its title in a strip at the top of the plot. Overlapping periods take separate rows
of that strip, so their titles never overlap. Clicking a title shows the whole period."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen

from explorer.store.dates import date_label
from explorer.store.records import Period
from explorer.ui.view_spans_item import ViewSpansItem

HUES = ("#6c8ebf", "#b38b59", "#7fa37f", "#a37fb3", "#bf6c6c", "#5fa3a3")
MAX_ROWS = 4  # rows of titles; deeper overlaps share the last row's band without a title


@dataclass(frozen=True)
class Band:
    period_id: str
    x0: float  # seconds since 1970
    x1: float
    title: str
    when: str  # its dates as the user reads them, for the tooltip


def stack(bands: list[Band]) -> list[int]:
    """A row for each band (in the given order, sorted by x0): the first row whose last band
    has ended, so overlapping bands are on different rows."""
    ends: list[float] = []
    rows: list[int] = []
    for b in bands:
        for i, end in enumerate(ends):
            if end <= b.x0:
                ends[i] = b.x1
                rows.append(i)
                break
        else:
            ends.append(b.x1)
            rows.append(len(ends) - 1)
    return rows


def when_text(start: str, end: str | None) -> str:
    return date_label(start) if not end else f"{date_label(start)} – {date_label(end)}"


def bands_of(periods: list[Period]) -> list[Band]:
    return [Band(p.id, p.t0, p.t1, p.title, when_text(p.start, p.end)) for p in periods]


class PeriodsItem(ViewSpansItem):
    sigClicked = Signal(float, float)  # the period's span, to show it whole

    def __init__(self) -> None:
        super().__init__(z=-20)  # behind the range notes and the events
        self.dark = False
        self.bands: list[Band] = []
        self._rows: list[int] = []

    def set_bands(self, bands: list[Band]) -> None:
        self.prepareGeometryChange()
        self.bands = sorted(bands, key=lambda b: (b.x0, b.x1))
        self._rows = stack(self.bands)
        self.update()

    def colour(self, band: Band) -> QColor:
        digest = hashlib.sha1(band.period_id.encode("utf-8")).digest()
        colour = QColor(HUES[digest[0] % len(HUES)])
        return colour.lighter(140) if self.dark else colour

    def tooltip_lines(self, spot: object) -> list[str]:
        assert isinstance(spot, Band)
        return [spot.title, spot.when]

    def clicked(self, spot: object) -> None:
        assert isinstance(spot, Band)
        self.sigClicked.emit(spot.x0, spot.x1)

    def paint(self, p: QPainter, *args: object) -> None:
        """A tinted band per period; titles (the spots) in rows at the top."""
        begun = self.begin_paint(p, bool(self.bands))
        if begun is None:
            return
        view, tr, fm = begun
        corners = (tr.map(view.topLeft()), tr.map(view.bottomRight()))
        top, bottom = sorted(c.y() for c in corners)
        shown_left, shown_right = sorted(c.x() for c in corners)
        line = fm.height() + 4
        for band, row in zip(self.bands, self._rows, strict=True):
            if band.x1 < view.left() or band.x0 > view.right():
                continue
            a = tr.map(QPointF(band.x0, 0)).x()
            b = tr.map(QPointF(band.x1, 0)).x()
            rect = QRectF(min(a, b), top, max(abs(b - a), 2.0), bottom - top)
            colour = self.colour(band)
            fill = QColor(colour)
            fill.setAlpha(22)
            p.fillRect(rect, fill)
            edge = QColor(colour)
            edge.setAlpha(120)
            p.setPen(QPen(edge, 1))
            p.drawLine(QPointF(rect.left(), top), QPointF(rect.left(), bottom))
            if row >= MAX_ROWS:
                continue
            # the title stays in view while any part of the band is
            left = max(rect.left(), shown_left) + 4
            room = min(rect.right(), shown_right) - left - 4
            if room < fm.horizontalAdvance("…") + 4:
                continue
            text = fm.elidedText(band.title, Qt.TextElideMode.ElideRight, room)
            title = QRectF(left - 3, top + row * line + 2, fm.horizontalAdvance(text) + 6, line - 2)
            tint = QColor(colour)
            tint.setAlpha(60)
            p.fillRect(title, tint)
            p.setPen(QColor("#f2f2f2") if self.dark else QColor("#1d1d1f"))
            p.drawText(title.adjusted(3, 0, -3, 0), Qt.AlignmentFlag.AlignVCenter, text)
            self.spots.append((title, band))
        p.restore()
