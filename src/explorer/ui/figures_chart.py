"""An entity's figures over time, as a reader reads them: reported values on one line,
forecasts and targets apart (hollow, dashed, never joined to what was reported), a figure
over a period drawn across it, and the unit written as a reader writes it ('trillion CNY',
'조 위안', '%'), never an SI prefix glued to a code ('TCNY', 'kcount')."""

from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from explorer.store.dates import period_bounds
from explorer.store.records import Claim

#: How each unit is written, (Korean, English); '' for a plain number.
UNITS: dict[str, tuple[str, str]] = {
    "CNY": ("위안", "CNY"),
    "USD": ("달러", "USD"),
    "KRW": ("원", "KRW"),
    "count": ("개", ""),
    "percent": ("%", "%"),
    "km2": ("km²", "km²"),
    "days": ("일", "days"),
    "rank": ("위", "rank"),
    "score": ("점", "score"),
    "multiple": ("배", "×"),
    "PFLOPS": ("PFLOPS", "PFLOPS"),
}
#: Steps of magnitude a reader names, largest first.
STEPS = {
    "ko": ((1e12, "조"), (1e8, "억"), (1e4, "만")),
    "en": ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")),
}
#: The series' colour.
COLOUR = "#3b7dd8"
#: Claims that are not reported values: drawn apart.
AHEAD = frozenset({"forecast", "target", "goal"})


def unit_words(unit: str, lang: str) -> str:
    """The unit as a reader writes it (an unknown unit as it is stored)."""
    pair = UNITS.get(unit)
    return (pair[0] if lang == "ko" else pair[1]) if pair else unit


def magnitude(values: list[float], unit: str, lang: str) -> tuple[float, str]:
    """A divisor for the values and the axis's words for the unit: (1e12, 'trillion CNY')."""
    words = unit_words(unit, lang)
    if unit in ("percent", "rank", "score", "multiple", "days"):
        return 1.0, words
    top = max((abs(v) for v in values), default=0.0)
    for size, name in STEPS["ko" if lang == "ko" else "en"]:
        if top >= size:
            if lang == "ko":
                return size, f"{name} {words}".strip()
            return size, f"{name} {words}".strip() if words else f"{name}s"
    return 1.0, words


def draw_figures(
    plot: pg.PlotWidget,
    claims: list[Claim],
    lang: str,
    names: tuple[str, str] = ("reported", "forecast or target"),
) -> None:
    """Draw one metric's claims: reported values joined, forecasts apart (`names`: each
    series' words; `legend_html` writes the legend beside the chart, never over its data)."""
    plot.clear()
    palette = plot.palette()
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    text = pg.mkPen(palette.color(QPalette.ColorRole.Text))
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(text)
        axis.setTextPen(text)
    if not claims:
        return
    unit = claims[0].unit
    size, words = magnitude([c.value for c in claims], unit, lang)
    left = plot.getAxis("left")
    left.enableAutoSIPrefix(False)
    left.setLabel(words)
    colour = COLOUR
    reported = [c for c in claims if c.basis not in AHEAD]
    ahead = [c for c in claims if c.basis in AHEAD]
    for group, solid in ((reported, True), (ahead, False)):
        xs, ys = [], []
        for c in group:
            b = period_bounds(c.as_of)
            xs.append((b.t0 + b.t1) / 2)
            ys.append(c.value / size)
            if c.period_start:  # a figure over a period: drawn across it
                start = period_bounds(c.period_start).t0
                plot.plot([start, b.t1], [c.value / size] * 2, pen=pg.mkPen(colour, width=3))
        if not xs:
            continue
        style = (
            pg.mkPen(colour, width=2)
            if solid
            else pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine)
        )
        plot.plot(
            xs,
            ys,
            pen=style if len(xs) > 1 else None,
            symbol="o",
            symbolSize=8,
            symbolPen=pg.mkPen(colour, width=1.5),
            symbolBrush=pg.mkBrush(colour) if solid else pg.mkBrush(0, 0, 0, 0),
            name=names[0] if solid else names[1],
        )


def legend_html(claims: list[Claim], names: tuple[str, str]) -> str:
    """The chart's legend as a line of text, for a label beside the chart ('' when every
    figure is reported): a legend inside the plot covered the earliest values."""
    if not any(c.basis in AHEAD for c in claims):
        return ""
    reported, ahead = (html.escape(n) for n in names)
    return (
        f'<span style="color:{COLOUR}">●━</span> {reported}&nbsp;&nbsp; '
        f'<span style="color:{COLOUR}">○┄</span> {ahead}'
    )
