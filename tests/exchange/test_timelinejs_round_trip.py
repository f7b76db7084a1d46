"""TimelineJS both ways: what a slide holds comes back from Explorer's export unchanged, the
text does not grow on each round trip, and BCE years keep what TimelineJS shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.exchange.imports import read, timelinejs
from explorer.store.connection import create_store, open_store

SLIDES = {
    "title": {
        "text": {"headline": "Test timeline", "text": "<p>About it</p>"},
        "media": {"url": "https://example.org/cover.jpg"},
        "background": {"color": "papayawhip", "url": "https://example.org/cover-bg.jpg"},
        "start_date": {"year": "", "month": ""},  # TimelineJS's sheets write empty dates
        "autolink": True,
    },
    "events": [
        {
            "start_date": {"year": "-300"},
            "text": {"headline": "Three hundred BCE", "text": "<p>As TimelineJS shows it</p>"},
            "media": {
                "url": "https://example.org/a.jpg",
                "caption": "A <i>caption</i>",
                "credit": "Someone",
            },
            "background": {"color": "#aa3300"},
            "location": {"name": "Athens", "lat": 37.9838, "lon": 23.7275},
            "group": "Antiquity",
        },
        {
            "start_date": {"year": "1969", "month": "7", "day": "20", "hour": "20"},
            "text": {"headline": "", "text": ""},
            "media": {"url": "https://example.org/moon.jpg", "caption": "The landing"},
            "background": {"url": "https://example.org/bg.jpg"},
        },
        {
            "start_date": {"year": "2001", "millisecond": "250"},
            "media": {"url": '<iframe src="https://player.example.org/v/1"></iframe>'},
            "text": {"headline": "Embedded"},
            "autolink": False,
        },
    ],
}


def events(db: Path) -> list[tuple]:
    with open_store(db, readonly=True) as store:
        return store.db.execute(
            "SELECT title, start, end, precision, category, summary FROM events ORDER BY t0"
        ).fetchall()


def locations(db: Path) -> list[tuple]:
    with open_store(db, readonly=True) as store:
        return store.db.execute(
            "SELECT e.name, l.lat, l.lon FROM locations l JOIN entities e ON e.id = l.entity_id"
        ).fetchall()


def round_trip(tmp_path: Path, src: Path, n: int) -> Path:
    db = tmp_path / f"p{n}.db"
    assert main(["import", str(src), "--db", str(db)]) == 0
    out = tmp_path / f"t{n}.json"
    assert main(["export", "--format", "timelinejs", "--out", str(out), "--db", str(db)]) == 0
    return out


def test_a_slide_is_read_whole_and_reported(tmp_path):
    src = tmp_path / "t.json"
    src.write_text(json.dumps(SLIDES), encoding="utf-8")
    with create_store(tmp_path / "p.db") as store:
        b = read(src, "timelinejs", store.db)
    first, moon, embedded = b.rows["events"]
    assert (first["start"], first["category"]) == ("-0299", "Antiquity")  # 300 BCE
    assert first["summary"] == (
        "As TimelineJS shows it\n"
        "Media: https://example.org/a.jpg — A caption — Someone\n"
        "Background: #aa3300"
    )
    assert moon["title"] == "The landing"  # a media-only slide, titled from its caption
    assert moon["summary"].endswith("Background image: https://example.org/bg.jpg")
    assert embedded["summary"] == "Media: https://player.example.org/v/1"
    assert b.rows["locations"][0]["lat"] == 37.9838
    assert b.rows["sources"][0]["note"].endswith(
        "About it\nMedia: https://example.org/cover.jpg\n"
        "Background: papayawhip\nBackground image: https://example.org/cover-bg.jpg"
    )
    lines = b.fidelity.lines()
    assert "changed: 1 title(s) made from the media's caption (no headline)" in lines
    assert "changed: 1 media given as embed code kept as the address in it" in lines
    assert f"changed: 1 {timelinejs.MILLISECONDS_IN_WORDS}" in lines
    assert embedded["date_text"] == "2001 (millisecond 250)"  # kept in the date's words
    assert "dropped: 1 slide field 'autolink'" in lines
    assert "kept: 1 title slide's background kept in the source's note" in lines
    assert "dropped: 1 title slide field 'autolink'" in lines  # the empty date is nothing
    assert "kept: 1 location kept as a place with coordinates" in lines


def test_round_trips_keep_everything_and_do_not_grow_the_text(tmp_path):
    src = tmp_path / "t.json"
    src.write_text(json.dumps(SLIDES), encoding="utf-8")
    first = round_trip(tmp_path, src, 1)
    second = round_trip(tmp_path, first, 2)
    third = round_trip(tmp_path, second, 3)
    assert events(tmp_path / "p2.db") == events(tmp_path / "p3.db")
    once, twice = events(tmp_path / "p1.db"), events(tmp_path / "p2.db")
    assert [e[:5] for e in once] == [e[:5] for e in twice]
    assert locations(tmp_path / "p3.db") == [("Athens", 37.9838, 23.7275)]
    doc = json.loads(third.read_text(encoding="utf-8"))
    slide = next(e for e in doc["events"] if "Three hundred" in e["text"]["headline"])
    assert slide["start_date"] == {"year": "-300"}  # shown as 300 BCE again
    assert slide["media"]["url"] == "https://example.org/a.jpg"
    assert slide["background"] == {"color": "#aa3300"}
    assert slide["location"] == {"name": "Athens", "lat": 37.9838, "lon": 23.7275}
    assert slide["text"]["text"].count("As TimelineJS shows it") == 1


def test_a_timelinejs_2_file_is_read_and_named(tmp_path):
    doc = {
        "timeline": {
            "headline": "Old style",
            "type": "default",
            "text": "<p>intro</p>",
            "date": [
                {
                    "startDate": "2011,12,10",
                    "endDate": "2011,12,11",
                    "headline": "First",
                    "text": "<p>body</p>",
                    "tag": "Group A",
                    "asset": {"media": "https://example.org/p.jpg", "credit": "c", "caption": "x"},
                },
                {"startDate": "-300", "headline": "BCE"},
            ],
            "era": [{"startDate": "2011,1,1", "endDate": "2011,12,31", "headline": "Year"}],
        }
    }
    src = tmp_path / "old.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    with create_store(tmp_path / "p.db") as store:
        b = read(src, "auto", store.db)
    first, bce = b.rows["events"]
    assert (first["start"], first["end"]) == ("2011-12-10", "2011-12-11")
    assert first["category"] == "Group A"
    assert first["summary"] == "body\nMedia: https://example.org/p.jpg — x — c"
    assert bce["start"] == "-0299"
    assert b.title == "Old style" and b.count("periods") == 1
    assert "changed: 1 TimelineJS 2 file read in TimelineJS 3's terms (the whole file)" in (
        b.fidelity.lines()
    )


def test_a_sheets_title_row_keeps_its_text_and_media(tmp_path):
    src = tmp_path / "t.csv"
    src.write_text(
        "Year,Month,Day,Headline,Text,Media,Media Credit,Media Caption,Type,Background\n"
        ",,,The title,<p>About <b>it</b></p>,https://example.org/c.jpg,me,cover,title,#102030\n"
        "2001,,,An event,,,,,,\n",
        encoding="utf-8",
    )
    with create_store(tmp_path / "p.db") as store:
        b = read(src, "timelinejs-csv", store.db)
    note = b.rows["sources"][0]["note"]
    assert note.endswith(
        "About it\nMedia: https://example.org/c.jpg — cover — me\nBackground: #102030"
    )
    assert b.rows["sources"][0]["title"] == "The title"


@pytest.mark.parametrize(
    ("start", "end", "display", "words", "note"),
    [
        (
            {"year": "2001", "month": "7", "day": "20", "hour": "20", "minute": "17",
             "second": "40", "millisecond": "25"},
            None, None, "2001-07-20 20:17:40.025", None,
        ),
        (
            {"year": "2001", "month": "7", "day": "20", "hour": "20", "minute": "17",
             "second": "40", "millisecond": "250"},
            {"year": "2001", "month": "7", "day": "20", "hour": "20", "minute": "17",
             "second": "41", "millisecond": "0"},
            None, "2001-07-20 20:17:40.250 – 2001-07-20 20:17:41", None,
        ),
        (
            {"year": "2001", "month": "7", "day": "20", "hour": "20", "minute": "17",
             "second": "40", "millisecond": "999"},
            None, "Tranquility Base", "Tranquility Base",
            "Imported from timelinejs; the file writes the time 2001-07-20 20:17:40.999.",
        ),
    ],
)  # fmt: skip
def test_milliseconds_are_kept_in_the_dates_words_or_note(
    tmp_path, start, end, display, words, note
):
    """Explorer's times are to the second: the written time, milliseconds and all, is kept
    where a reader sees it (as Timesketch's sub-second times are), not only counted."""
    slide = {"start_date": start, "text": {"headline": "Landing"}}
    if end:
        slide["end_date"] = end
    if display:
        slide["display_date"] = display
    src = tmp_path / "t.json"
    src.write_text(json.dumps({"events": [slide]}))
    with create_store(tmp_path / "p.db") as store:
        b = read(src, "timelinejs", store.db)
    event = b.rows["events"][0]
    assert event["start"] == "2001-07-20T20:17:40Z"
    assert event["date_text"] == words
    assert event["date_note"] == (note or "Imported from timelinejs.")
    assert b.fidelity.changed[timelinejs.MILLISECONDS_IN_WORDS] == 1
