"""Eras drawn behind the events, and the colours other tools give their categories."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from explorer.exchange.imports import Batch, reader
from explorer.exchange.imports.apply import ImportReport, apply
from explorer.store.connection import create_store
from explorer.ui.periods_item import Band, stack, when_text
from explorer.ui.timeline_style import make_style

YEAR = 365.2425 * 86400
SHOTS = Path(os.environ["EXPLORER_SHOTS"]) if os.environ.get("EXPLORER_SHOTS") else None


def project(tmp_path, doc: dict, name: str = "t.json"):
    src = tmp_path / name
    src.write_text(json.dumps(doc), encoding="utf-8")
    db = tmp_path / "p.db"
    with create_store(db) as store:
        fmt, fill = reader(src, "auto", store.db)
        apply(store, Batch(fmt), ImportReport(str(src), fmt, None, 0), fill=fill)
    return db


def era(start: str, end: str, title: str) -> dict:
    return {"start_date": {"year": start}, "end_date": {"year": end}, "text": {"headline": title}}


def ev(year: str, title: str, group: str = "") -> dict:
    return {"start_date": {"year": year}, "text": {"headline": title}, "group": group}


def test_overlapping_periods_take_separate_rows():
    bands = [Band(str(i), x0, x1, str(i), "") for i, (x0, x1) in
             enumerate([(0, 10), (5, 15), (10, 20), (12, 14), (30, 40)])]  # fmt: skip
    assert stack(bands) == [0, 1, 0, 2, 0]  # 10 ends where the third begins: same row


def test_dates_are_written_for_readers():
    assert when_text("-3500", "-3001") == "3501 BCE – 3002 BCE"
    assert when_text("0602", None) == "0602"


def test_eras_are_drawn_with_titles_and_a_click_shows_one_whole(
    cjk_font, make_window, tmp_path, qtbot
):
    db = project(
        tmp_path,
        {
            "eras": [
                era("1900", "1949", "전쟁의 시대"),
                era("1930", "1960", "Overlap"),
                era("1950", "1999", "战后"),
            ],
            "events": [ev(str(y), f"event {y}") for y in range(1900, 2000, 7)],
        },
    )
    w = make_window(db=db, lang="ko")
    assert [b.title for b in w.periods.bands] == ["전쟁의 시대", "Overlap", "战后"]
    w.timeline.fit_all()
    qtbot.wait(20)
    shot = w.grab()
    if SHOTS is not None:  # for looking at it: EXPLORER_SHOTS=folder
        shot.save(str(SHOTS / "eras_ko.png"))
    titles = list(w.periods.spots)
    assert [b.title for _, b in titles] == ["전쟁의 시대", "Overlap", "战后"]
    rects = [r for r, _ in titles]
    assert not rects[0].intersects(rects[1]) and not rects[1].intersects(rects[2])
    assert rects[0].top() == rects[2].top() < rects[1].top()  # the overlap is a row lower
    # the band is tinted: a pixel inside an era differs from the background outside all
    viewport = w.timeline.plot.viewport()
    shot = viewport.grab().toImage()
    inside = rects[0].center().toPoint() + QPoint(0, 200)
    background = QColor(shot.pixel(viewport.width() - 3, inside.y()))
    assert QColor(shot.pixel(inside)) != background
    # a click on a title brings that era into view, whole
    w.timeline.set_range(1980 * YEAR - 1970 * YEAR, 1990 * YEAR - 1970 * YEAR)  # zoomed in
    qtbot.wait(20)
    w.grab()
    [(rect, band)] = [(r, b) for r, b in w.periods.spots if b.title == "战后"]
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    x0, x1 = w.timeline.x_range()
    assert x0 <= band.x0 and band.x1 <= x1
    assert w.ws.selected_event is None  # the click went to the era, not to an event


def test_category_colours_from_another_tool_are_used_and_kept_readable(make_window, tmp_path):
    db = project(tmp_path, {"events": [ev("2001", "a", "Planned"), ev("2002", "b", "Other")]})
    conn = sqlite3.connect(db)
    conn.execute("INSERT OR REPLACE INTO categories VALUES ('Planned', '#80ff80', NULL)")
    conn.commit()
    conn.close()
    w = make_window(db=db)
    style = w.timeline.item.style
    planned = style.color("Planned")
    assert planned.hue() == QColor("#80ff80").hue() and planned.lightnessF() <= 0.6
    other = style.color("Other")  # no colour of its own: one from the palette, by its name
    assert other != style.text and other == make_style(False).color("Other")
    dark = make_style(True, {"Planned": "#102010"}).color("Planned")
    assert dark.lightnessF() >= 0.4  # light enough on a dark background
