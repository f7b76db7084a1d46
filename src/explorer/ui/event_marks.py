"""How one event looks on the timeline, drawn in device pixels: the shapes the README and
the legend describe, in one place for the timeline item and the legend.

- a day: a solid dot (or a solid bar once the day is wider than a few pixels);
- a stated span: a solid bar; at month or year precision its uncertain ends are faded;
- an open-ended span ("since 2023"): solid up to the last date its source vouches for,
  fading out after it;
- an uncertain date (month or year precision): a faded band over the whole period with a
  dashed outline, or a hollow ring when the band is too narrow to see, never a solid dot;
- circa fades at both ends; 'before' trails off to the left, 'after' to the right;
- an undated fact (the source gives none, only a bound): a bound marker at the bound with
  a long trail fading to the left, never a dot or a band at the bound's date.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QPen

MARK = 10.0  # px: diameter of a day marker and minimum drawn width of anything
TAIL = 28.0  # px: length of the fade for before/after
TRAIL = 2.5 * TAIL  # px: the trail of an undated fact, left of its bound


class Shape(NamedTuple):
    """What decides an event's look (pixels, and the event's dating). A tuple: one is made
    for every mark of every frame drawn, and a frozen dataclass cost several times more."""

    x0: float
    x1: float
    precision: int  # 0 a day or finer, 1 a month, 2 a year
    qualifier: int  # 0 exact, 1 circa, 2 before, 3 after
    span: bool  # a stated start-end range
    core: tuple[float, float] | None = None  # the certain middle of a span, if not x0..x1
    vouched: float | None = None  # an open-ended span: its last vouched-for pixel
    undated: bool = False


def span_core(x0: float, x1: float, precision: int, sx: float, ox: float) -> tuple[float, float]:
    """Pixels of the certain middle of a span whose ends are a month (precision 1) or a
    year: a period in from each end."""
    period = (31 if precision == 1 else 366) * 86_400
    core0 = min(x0 + period, (x0 + x1) / 2)
    return core0 * sx + ox, max(x1 - period, core0) * sx + ox


@functools.lru_cache(maxsize=512)
def _shades(rgba: int, alpha: float) -> tuple[QColor, QColor]:
    """A colour at `alpha`, solid and faded (made once: a frame asks for them per mark)."""
    solid = QColor.fromRgba(rgba)
    solid.setAlphaF(alpha)
    faded = QColor.fromRgba(rgba)
    faded.setAlphaF(0.28 * alpha)
    return solid, faded


def _fade(color: QColor, start: float, end: float, towards_start: bool) -> QBrush:
    """A brush that goes from `color` to clear, clear at `start` when `towards_start`."""
    grad = QLinearGradient(start, 0, end, 0)
    clear = QColor(color)
    clear.setAlphaF(0)
    grad.setColorAt(0.0, clear if towards_start else color)
    grad.setColorAt(1.0, color if towards_start else clear)
    return QBrush(grad)


def shape_rect(s: Shape, cy: float, bar: float) -> QRectF:
    """The rectangle an event's mark centred on `cy` covers (tails and fades included)."""
    x0, x1 = s.x0, s.x1
    if s.undated:
        return QRectF(x1 - TRAIL, cy - bar / 2, TRAIL + 2, bar)
    if s.vouched is not None:
        fade_to = max(x1, max(s.vouched, x0 + 2) + TAIL)
        return QRectF(x0, cy - bar / 2, fade_to - x0, bar)
    hit = QRectF(min(x0, (x0 + x1) / 2 - MARK / 2), cy - bar / 2, max(x1 - x0, MARK), bar)
    if s.qualifier in (2, 3):
        start = x0 - TAIL if s.qualifier == 2 else x1
        hit = hit.united(QRectF(start, cy - bar / 2, TAIL, bar))
    return hit


def draw_shape(p: QPainter, s: Shape, color: QColor, alpha: float, cy: float, bar: float) -> QRectF:
    """Draw an event's mark centred on `cy`; returns the rectangle it covers (for hits)."""
    x0, x1 = s.x0, s.x1
    width = x1 - x0
    solid, faded = _shades(color.rgba(), alpha)
    p.setPen(Qt.PenStyle.NoPen)
    hit = QRectF(min(x0, (x0 + x1) / 2 - MARK / 2), cy - bar / 2, max(width, MARK), bar)
    if s.undated:
        # the bound: a bracket at x1, the trail fading to the left (how long before is unknown)
        p.setBrush(_fade(solid, x1 - TRAIL, x1, towards_start=True))
        p.drawRect(QRectF(x1 - TRAIL, cy - bar / 6, TRAIL, bar / 3))
        p.setPen(QPen(solid, 2))
        p.drawLine(QPointF(x1, cy - bar / 2), QPointF(x1, cy + bar / 2))
        p.drawLine(QPointF(x1 - 4, cy - bar / 2), QPointF(x1, cy - bar / 2))
        p.drawLine(QPointF(x1 - 4, cy + bar / 2), QPointF(x1, cy + bar / 2))
        return QRectF(x1 - TRAIL, cy - bar / 2, TRAIL + 2, bar)
    if s.vouched is not None:
        # open-ended: solid as far as the source vouches, then fading out
        end = max(s.vouched, x0 + 2)
        p.setBrush(solid)
        p.drawRoundedRect(QRectF(x0, cy - bar / 4, end - x0, bar / 2), 2, 2)
        fade_to = max(x1, end + TAIL)
        p.setBrush(_fade(solid, end, fade_to, towards_start=False))
        p.drawRect(QRectF(end, cy - bar / 4, fade_to - end, bar / 2))
        return QRectF(x0, cy - bar / 2, fade_to - x0, bar)
    if s.precision == 0 and not s.span:  # a day
        p.setBrush(solid)
        if width < MARK:
            p.drawEllipse(QPointF((x0 + x1) / 2, cy), MARK / 2, MARK / 2)
        else:
            p.drawRoundedRect(QRectF(x0, cy - bar / 2, width, bar), 2, 2)
    elif s.span:
        core0, core1 = s.core if s.core is not None else (x0, x1)
        if s.precision > 0:  # uncertain ends: fade the first and last period
            p.setBrush(faded)
            p.drawRect(QRectF(x0, cy - bar / 2, max(width, 1), bar))
        p.setBrush(solid)
        p.drawRoundedRect(QRectF(core0, cy - bar / 4, max(core1 - core0, 2), bar / 2), 2, 2)
    elif width < MARK:  # month or year precision, too narrow to see: a hollow ring
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(solid, 2))
        p.drawEllipse(QPointF((x0 + x1) / 2, cy), MARK / 2 - 1, MARK / 2 - 1)
    else:  # the whole period, faded, never a dot
        rect = QRectF(x0, cy - bar / 2, width, bar)
        if s.qualifier == 1:  # circa: fade out at both ends
            grad = QLinearGradient(x0, 0, x1, 0)
            grad.setColorAt(0.0, QColor(0, 0, 0, 0))
            grad.setColorAt(0.3, faded)
            grad.setColorAt(0.7, faded)
            grad.setColorAt(1.0, QColor(0, 0, 0, 0))
            p.setBrush(QBrush(grad))
        else:
            p.setBrush(faded)
        p.drawRect(rect)
        p.setPen(QPen(solid, 1, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)
    if s.qualifier in (2, 3):  # before / after: a tail that fades away from the date
        p.setPen(Qt.PenStyle.NoPen)
        before = s.qualifier == 2
        start, end = (x0 - TAIL, x0) if before else (x1, x1 + TAIL)
        p.setBrush(_fade(solid, start, end, towards_start=before))
        p.drawRect(QRectF(start, cy - bar / 6, TAIL, bar / 3))
        hit = hit.united(QRectF(start, cy - bar / 2, TAIL, bar))
    return hit


def draw_ring(p: QPainter, rect: QRectF, color: QColor) -> None:
    """The selection's ring around what was drawn for an event."""
    p.setPen(QPen(color, 2.5))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 4, 4)


def draw_badge(p: QPainter, rect: QRectF, color: QColor, background: QColor) -> None:
    """A small square badge at the top right: someone wrote a note on this event."""
    p.setPen(QPen(background, 1))
    p.setBrush(color)
    p.drawRect(QRectF(rect.right() - 2, rect.top() - 7, 7, 7))
