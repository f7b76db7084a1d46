"""The timeline's date axis: pyqtgraph's DateAxisItem for years 1-9999, whole years beyond.

DateAxisItem works through Python's datetime, which stops at years 1 and 9999; a project
reaching before the common era (or to the Big Bang) gets year ticks at a round step instead,
labelled '3501 BCE' or '13.8 billion BCE'.

Within years 1-9999 the ticks of every level DateAxisItem offers (years, months, days,
hours) are one row, each labelled by the largest unit it starts ('2025', '4월'/'Apr',
'2일'/'2', '06:00') in the interface's language, and a label that would touch another is
left out, coarser units first kept: never 'Apr' printed over '02', never an English month
in the Korean window.
"""

from __future__ import annotations

import calendar
import functools
import math
from typing import Any

import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import MAX_REGULAR_TIMESTAMP, MIN_REGULAR_TIMESTAMP
from PySide6.QtGui import QFont, QFontMetrics

from explorer.store import dates

YEAR = 365.2425 * 86400.0
#: How far the view may go either way: the years the store accepts.
LIMIT = abs(dates.MIN_YEAR) * YEAR


def nice_year_step(years_per_tick: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... years at least `years_per_tick`."""
    if years_per_tick <= 1:
        return 1
    power = 10 ** math.floor(math.log10(years_per_tick))
    for m in (1, 2, 5, 10):
        if m * power >= years_per_tick:
            return int(m * power)
    return int(10 * power)


def year_ticks(x0: float, x1: float, width_px: float, spacing_px: float = 110) -> list[int]:
    """Years to tick between x0 and x1 (seconds since 1970), round as a reader counts them:
    2000 BCE, 1000 BCE, 1, 1000 (ISO years -1999, -999, 1, 1000; there is no year 0 BCE)."""
    span_years = max((x1 - x0) / YEAR, 1e-9)
    step = nice_year_step(span_years * spacing_px / max(width_px, 1.0))
    first = _counted(math.floor(x0 / YEAR + 1970))
    last = _counted(math.ceil(x1 / YEAR + 1970))
    start = math.ceil(first / step) * step
    counted = range(start, last + 1, step)
    return [n if n > 0 else n + 1 for n in counted[:200] if n != 0]


def _counted(year: int) -> int:
    """An ISO year as counted with BCE years negative: 0 -> -1 (1 BCE), -3500 -> -3501."""
    return year if year > 0 else year - 1


def year_seconds(year: int) -> float:
    return float(dates.days_from_civil(year, 1, 1) * 86400)


MONTHS_EN = tuple(calendar.month_abbr[m] for m in range(1, 13))  # fixed English names


@functools.lru_cache(maxsize=4096)  # a pan asks again for the same ticks, twice each
def tick_label(seconds: float, lang: str) -> tuple[int, str]:
    """A tick's rank (0 a year starts, 1 a month, 2 a day, 3 within a day) and its label."""
    days, rest = divmod(round(seconds), 86400)
    year, month, day = dates.civil_from_days(days)
    if rest == 0 and day == 1 and month == 1:
        return 0, str(year)
    if rest == 0 and day == 1:
        return 1, f"{month}월" if lang == "ko" else MONTHS_EN[month - 1]
    if rest == 0:
        return 2, f"{day}일" if lang == "ko" else str(day)
    hours, minutes, secs = rest // 3600, rest // 60 % 60, rest % 60
    return 3, f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def spread(
    values: list[float], x0: float, x1: float, width: float, text_width: Any, lang: str
) -> list[float]:
    """The ticks whose labels can be drawn apart on `width` pixels (coarser units first);
    `text_width(label)` measures a label in pixels."""
    gap = 8.0
    placed: list[tuple[float, float]] = []
    kept: list[float] = []
    scale = width / max(x1 - x0, 1e-9)
    for value in sorted(values, key=lambda v: (tick_label(v, lang)[0], v)):
        half = text_width(tick_label(value, lang)[1]) / 2 + gap / 2
        x = (value - x0) * scale
        if all(x + half <= a or x - half >= b for a, b in placed):
            placed.append((x - half, x + half))
            kept.append(value)
    return sorted(kept)


def _utc_ticks(ticks: Any, spacing: int, skip: int) -> Any:
    """Ticks already on UTC boundaries, kept as they are (see TimeAxis)."""
    return ticks


class TimeAxis(pg.DateAxisItem):  # type: ignore[misc]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._deep = False
        self._widths: dict[str, float] = {}  # of tick labels, in the font of `_widths_font`
        self._widths_font = ""
        self.lang = "en"  # the interface's language, for month names
        if self.utcOffset == 0:
            # DateAxisItem moves each tick by the offset from UTC (here 0) through two
            # QDateTime conversions, ~1,000 a pan, 1-3 ms of each frame; its hour ticks
            # took the machine's own zone, not UTC
            for level in self.zoomLevels.values():
                level.moveTicksToLocalTimeCoords = _utc_ticks

    def _measure(self, text: str) -> float:
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = float(self.fontMetrics.boundingRect(text).width())
        return width

    def linkToView(self, view: pg.ViewBox) -> None:
        super().linkToView(view)
        view.setLimits(xMin=-LIMIT, xMax=LIMIT)  # DateAxisItem stops at years 1..9999

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
        self._deep = not (minVal >= MIN_REGULAR_TIMESTAMP and maxVal <= MAX_REGULAR_TIMESTAMP)
        if not self._deep:
            font = self.style.get("tickFont") or QFont()
            if getattr(self, "fontMetrics", None) is None:  # set at the first paint
                self.fontMetrics = QFontMetrics(font)
            if font.key() != self._widths_font:
                self._widths, self._widths_font = {}, font.key()
            levels = super().tickValues(minVal, maxVal, size)
            values = sorted({v for _, vs in levels for v in vs if minVal <= v <= maxVal})
            kept = spread(values, minVal, maxVal, size, self._measure, self.lang)
            finest = min((s for s, vs in levels if vs), default=YEAR)
            return [(finest, kept)]
        years = year_ticks(minVal, maxVal, size)
        values = [year_seconds(y) for y in years]
        spacing = values[1] - values[0] if len(values) > 1 else YEAR
        return [(spacing, values)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if not self._deep:
            return [tick_label(v, self.lang)[1] for v in values]
        out = []
        for v in values:
            year = dates.civil_from_days(int(v // 86400))[0]
            out.append(dates.year_label(year))
        return out
