"""The date axis beyond the years Python's datetime knows."""

import pyqtgraph as pg

from explorer.store import dates
from explorer.ui.time_axis import TimeAxis, nice_year_step, year_seconds, year_ticks


def test_round_steps():
    assert [nice_year_step(v) for v in (0.3, 1, 3, 7, 12, 480, 3e8)] == [
        1,
        1,
        5,
        10,
        20,
        500,
        500_000_000,
    ]


def test_ticks_are_round_as_readers_count_years():
    # 3000 BCE to 500 CE on 800 px: ticks every 500 years, with no year 0
    ticks = year_ticks(year_seconds(-2999), year_seconds(500), 800)
    labels = [dates.year_label(y) for y in ticks]
    assert labels == ["3000 BCE", "2500 BCE", "2000 BCE", "1500 BCE", "1000 BCE", "500 BCE", "500"]


def test_axis_labels_deep_time_and_keeps_dates_for_ordinary_years(qtbot):
    axis = TimeAxis(orientation="bottom", utcOffset=0)
    plot = pg.PlotWidget(axisItems={"bottom": axis})
    qtbot.addWidget(plot)
    plot.resize(900, 300)
    plot.grab()  # lays the axis out (it measures its labels when first drawn)
    big_bang, now = year_seconds(-13_800_000_000), year_seconds(2025)
    ((spacing, values),) = axis.tickValues(big_bang, now, 900)
    labels = axis.tickStrings(values, 1.0, spacing)
    assert labels == [f"{n} billion BCE" for n in (12, 10, 8, 6, 4, 2)]
    ordinary = axis.tickValues(year_seconds(2019), year_seconds(2025), 900)
    strings = axis.tickStrings(ordinary[0][1], 1.0, ordinary[0][0])
    assert "2020" in strings


def test_labels_never_touch_and_speak_the_interface_language(qtbot):
    import itertools
    import re

    import numpy as np
    from PySide6.QtGui import QFontMetrics

    axis = TimeAxis(orientation="bottom", utcOffset=0)
    plot = pg.PlotWidget(axisItems={"bottom": axis})
    qtbot.addWidget(plot)
    fm = QFontMetrics(axis.style.get("tickFont") or plot.font())
    start = year_seconds(2025) + 90 * 86400  # April 2025
    for lang in ("ko", "en"):
        axis.lang = lang
        for span in np.geomspace(8 * 365 * 86400, 3 * 3600, 30):
            for width in (420, 800, 1300):
                x0, x1 = start - span / 2, start + span / 2
                (spacing, values), *more = axis.tickValues(x0, x1, width)
                assert not more  # one row of labels: no level printed over another
                labels = axis.tickStrings(values, 1.0, spacing)
                assert labels
                spans = []
                for v, text in zip(values, labels, strict=True):
                    x = (v - x0) / (x1 - x0) * width
                    half = fm.boundingRect(text).width() / 2
                    spans.append((x - half, x + half))
                assert all(a[1] < b[0] for a, b in itertools.pairwise(spans)), labels
                if lang == "ko":
                    assert not any(re.search("[A-Za-z]", t) for t in labels), labels
    axis.lang = "ko"
    day = 86400
    assert axis.tickStrings([start, start + 30 * day, start + day], 1.0, day) == [
        "4월",
        "5월",
        "2일",
    ]


def test_utc_ticks_are_pyqtgraphs_without_its_conversions(qtbot):
    """Kept on UTC, the axis skips DateAxisItem's per-tick zone conversions: its ticks are
    the ones DateAxisItem makes for days and coarser, and hour ticks fall on UTC hours."""
    from PySide6.QtGui import QFont, QFontMetrics

    from explorer.model.timeline import DAY, epoch_seconds

    ours = TimeAxis(orientation="bottom", utcOffset=0)
    plain = pg.DateAxisItem(orientation="bottom", utcOffset=0)
    for axis in (ours, plain):
        axis.fontMetrics = QFontMetrics(QFont())
    centre = epoch_seconds("2022-01-08")
    for width in (3 * DAY, 10 * DAY, 40 * DAY, 200 * DAY, 800 * DAY, 3000 * DAY, 12000 * DAY):
        for k in range(8):
            x0 = centre - width / 2 + k * width / 37
            for axis in (ours, plain):
                axis.setZoomLevelForDensity(width / 1600)
            mine = pg.DateAxisItem.tickValues(ours, x0, x0 + width, 1600)
            theirs = plain.tickValues(x0, x0 + width, 1600)
            assert [(s, list(v)) for s, v in mine] == [(s, list(v)) for s, v in theirs]
    for width in (6 * 3600, DAY / 2):
        ours.setZoomLevelForDensity(width / 1600)
        ticks = pg.DateAxisItem.tickValues(ours, centre, centre + width, 1600)
        assert all(t % 60 == 0 for _, values in ticks for t in values)
        assert any(t % 3600 == 0 for _, values in ticks for t in values)
