"""Drawing a view of many events as density: exact counts per lane and bin (from the
overview pyramid), shaded, with the count written where it fits."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QPolygonF

from explorer.model.timeline import DAY
from explorer.store.overview import Density
from explorer.ui.timeline_style import Style


def paint_stripes(
    p: QPainter,
    lanes: int,
    reach: tuple[float, float],
    device: tuple[float, float, float, float],
    style: Style,
) -> None:
    """Every other lane's stripe, over `reach` (device pixels, left to right)."""
    _sx, _ox, sy, oy = device
    for lane in range(0, lanes, 2):
        p.fillRect(
            QRectF(reach[0], (lane - 0.5) * sy + oy, reach[1] - reach[0], sy), style.lane_stripe
        )


def paint_density(
    p: QPainter,
    d: Density,
    device: tuple[float, float, float, float],
    reach: tuple[float, float],
    fm: QFontMetricsF,
    style: Style,
) -> None:
    """Heat strips: one rectangle per non-empty bin, shaded by its count, with the exact
    count written where the bin is wide enough. Rectangles are batched by shade. `device`
    is the item's mapping to device pixels (sx, ox, sy, oy); bins out of `reach` (device
    pixels, left to right) are left out."""
    sx, ox, sy, oy = device
    lane_px = abs(sy)
    height = max(4.0, lane_px * 0.55)
    counts, shade = _shades(d)
    if shade is None:
        return
    bin_s = d.bin_days * DAY
    lefts = (d.first_bin + np.arange(counts.shape[1])) * bin_s * sx + ox
    width = bin_s * abs(sx)
    inside = (lefts + width >= reach[0]) & (lefts <= reach[1])
    base = style.color("conference")
    for lane in range(counts.shape[0]):
        top = lane * sy + oy - height / 2
        for level in range(1, 9):
            cols = np.nonzero((shade[lane] == level) & inside)[0]
            if not cols.size:
                continue
            color = QColor(base)
            color.setAlphaF(0.12 + 0.88 * level / 8)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            gap = 0.5 if width >= 6 else 0.0  # narrow bins touch: no stripes of seams
            p.drawRects(
                [QRectF(float(lefts[c]), top, max(width - gap, 1.0), height) for c in cols.tolist()]
            )
        if width >= 26:
            p.setPen(style.text)
            for c in np.nonzero((counts[lane] > 0) & inside)[0].tolist():
                text = f"{int(counts[lane, c]):,}"
                if fm.horizontalAdvance(text) + 4 <= width:
                    p.drawText(
                        QRectF(float(lefts[c]), top, width, height),
                        Qt.AlignmentFlag.AlignCenter,
                        text,
                    )


_SHADED: list[tuple[Density, np.ndarray, np.ndarray | None]] = []  # the last one shaded


def _shades(d: Density) -> tuple[np.ndarray, np.ndarray | None]:
    """The counts as an array and each bin's shade (0..8; None: nothing to draw), kept for
    the density drawn last: a pan draws the same one again (the percentile below cost a
    frame 2 ms)."""
    if _SHADED and _SHADED[0][0] is d:
        return _SHADED[0][1], _SHADED[0][2]
    counts = np.asarray(d.counts, dtype=np.float64)
    peak = float(counts.max()) if counts.size else 0.0
    shade = None
    if peak > 0:
        # Shade by sqrt(count) against the 99th percentile of busy bins, so bursts stand
        # out from ordinary days instead of everything saturating against one extreme bin.
        busy = counts[counts > 0]
        ref = max(1.0, percentile_99(busy)) if busy.size else peak
        levels = np.where(counts > 0, np.ceil(np.clip(np.sqrt(counts / ref), 0, 1) * 8), 0)
        shade = np.maximum(levels, (counts > 0).astype(float)).astype(int)
    _SHADED[:] = [(d, counts, shade)]
    return counts, shade


def percentile_99(values: np.ndarray) -> float:
    """numpy's 99th percentile (its linear method) of a non-empty array, without it:
    np.percentile imports numpy.ma the first time, 37 ms of the first density drawn."""
    idx = 0.99 * (values.size - 1)
    lo = int(idx)
    hi = min(lo + 1, values.size - 1)
    part = np.partition(values, [lo, hi])
    return float(part[lo] + (part[hi] - part[lo]) * (idx - lo))


def paint_selection(
    p: QPainter,
    span: tuple[float, float],
    device: tuple[float, float, float, float],
    lanes: tuple[float, float],
    color: QColor,
) -> None:
    """The selected event in a density view: its time outlined across the lanes (`lanes`:
    their top and bottom in pixels), at least a few pixels wide, with a mark at the top."""
    sx, ox, _sy, _oy = device
    a, b = span[0] * sx + ox, span[1] * sx + ox
    mid, half = (a + b) / 2, max(abs(b - a), 6.0) / 2
    top, bottom = min(lanes), max(lanes)
    fill = QColor(color)
    fill.setAlpha(50)
    p.setPen(QPen(color, 2.0))
    p.setBrush(fill)
    p.drawRect(QRectF(mid - half, top, 2 * half, bottom - top))
    p.setBrush(color)
    p.drawPolygon(QPolygonF([QPointF(mid - 6, top), QPointF(mid + 6, top), QPointF(mid, top + 8)]))
