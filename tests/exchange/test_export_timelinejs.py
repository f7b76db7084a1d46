import json
import os
import sqlite3
from html import escape

import pytest

from explorer.exchange.export_timelinejs import (
    date_object,
    export_timelinejs,
    timelinejs_document,
)
from explorer.exchange.when import event_when
from explorer.store import dates, queries
from explorer.store.connection import create_store, open_store
from explorer.store.errors import NotFound, StoreError

FIELDS = ("year", "month", "day", "hour", "minute", "second")


def expected_date(value: str) -> dict[str, str]:
    """What TimelineJS should get for a partial ISO date, worked out independently: ISO year
    0 is 1 BCE, and TimelineJS shows its year -N as "N BCE" (Language.js formatDate), so
    ISO years up to 0 are one lower there (within its human scale, from -99999)."""
    negative = value.startswith("-")
    value = value.lstrip("+-").removesuffix("Z").replace("T", "-").replace(":", "-")
    numbers = [int(n) for n in value.split("-")]
    if negative:
        numbers[0] = -numbers[0]
    if -99998 <= numbers[0] <= 0:
        numbers[0] -= 1
    return dict(zip(FIELDS, map(str, numbers), strict=False))


def test_every_event_exported_once_in_date_order(bundled):
    doc = timelinejs_document(bundled)
    events = queries.list_events(bundled)
    ids = [e["unique_id"] for e in doc["events"]]
    assert len(ids) == len(set(ids)) == len(events) > 0
    assert ids == [e.id for e in sorted(events, key=lambda e: (e.t0, e.id))]
    assert set(doc) == {"title", "events", "eras", "scale"}
    assert doc["scale"] == "human"
    assert doc["title"]["text"]["headline"] == escape(queries.meta(bundled)["dataset"])
    json.dumps(doc)  # plain JSON values only


@pytest.mark.parametrize("precision", ["day", "month", "year"])
def test_dates_follow_the_database(bundled, precision):
    doc = {e["unique_id"]: e for e in timelinejs_document(bundled)["events"]}
    events = [e for e in queries.list_events(bundled) if e.precision == precision]
    assert events, f"the bundled database has no {precision}-precision event"
    width = {"year": 1, "month": 2, "day": 3}[precision]
    for ev in events:
        slide = doc[ev.id]
        assert slide["start_date"] == expected_date(ev.start)
        assert list(slide["start_date"]) == list(FIELDS[:width])
        if ev.end:
            assert slide["end_date"] == expected_date(ev.end)
        else:
            assert "end_date" not in slide


def test_spans_have_an_end_date(bundled):
    spans = [e for e in queries.list_events(bundled) if e.end]
    assert spans
    doc = {e["unique_id"]: e for e in timelinejs_document(bundled)["events"]}
    for ev in spans:
        assert doc[ev.id]["end_date"] == expected_date(ev.end)


def test_slide_fields(bundled):
    doc = {e["unique_id"]: e for e in timelinejs_document(bundled)["events"]}
    for ev in queries.list_events(bundled):
        slide = doc[ev.id]
        detail = queries.get_event(bundled, ev.id)
        assert slide["text"]["headline"] == escape(ev.title)
        assert slide["group"] == ev.category
        # the date in words comes from the event's date, never the source's raw words
        assert slide["display_date"] == escape(event_when(ev))
        text = slide["text"]["text"]
        for line in (ev.summary or "").split("\n"):
            assert escape(line.strip()) in text
        for item in detail.evidence:
            assert escape(item.quote) in text
            assert escape(item.source.title) in text
            if item.source.url:
                assert f'href="{escape(item.source.url)}"' in text


def test_english_headlines_when_asked(bundled):
    doc = {e["unique_id"]: e for e in timelinejs_document(bundled, lang="en")["events"]}
    for ev in queries.list_events(bundled):
        assert doc[ev.id]["text"]["headline"] == escape(ev.title_en or ev.title)


def test_chosen_events_once_in_date_order(bundled):
    events = sorted(queries.list_events(bundled), key=lambda e: (e.t0, e.id))
    chosen = [events[-1].id, events[0].id, events[-1].id]
    doc = timelinejs_document(bundled, chosen, title="Two events")
    assert [e["unique_id"] for e in doc["events"]] == [events[0].id, events[-1].id]
    assert doc["title"]["text"]["headline"] == "Two events"
    with pytest.raises(NotFound):
        timelinejs_document(bundled, ["ev-no-such-event"])


def test_data_text_is_escaped(bundled_copy):
    conn = sqlite3.connect(bundled_copy)
    ev_id, src_id = conn.execute("SELECT event_id, source_id FROM event_sources").fetchone()
    conn.execute(
        "UPDATE events SET title = ?, summary = ?, date_text = ?, category = ? WHERE id = ?",
        [
            "<script>alert(1)</script>",
            'a "b" <b>bold</b> & c',
            "<i>date</i>",
            "<x>",
            ev_id,
        ],
    )
    conn.execute(
        "UPDATE sources SET title = ?, url = ? WHERE id = ?",
        ["<img src=x onerror=alert(2)>", "javascript:alert(3)", src_id],
    )
    conn.commit()
    conn.close()
    store = open_store(bundled_copy, readonly=True)
    try:
        doc = timelinejs_document(store.db)
    finally:
        store.close()
    slide = next(e for e in doc["events"] if e["unique_id"] == ev_id)
    assert slide["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "a &quot;b&quot; &lt;b&gt;bold&lt;/b&gt; &amp; c" in slide["text"]["text"]
    assert "date" not in slide["display_date"]  # made from the date, not the date words
    assert slide["group"] == "&lt;x&gt;"
    whole = json.dumps(doc, ensure_ascii=False)
    assert "<script" not in whole and "<img" not in whole and "<b>" not in whole
    assert "javascript:" not in whole  # a link only for http(s) URLs
    assert "&lt;img src=x onerror=alert(2)&gt;" in slide["text"]["text"]


def add_event(db, event_id, start, precision, end=None, **extra):
    b = dates.bounds(start, end, precision)
    db.table("events").insert(
        {
            "id": event_id,
            "title": extra.get("title", event_id),
            "category": "launch",
            "start": start,
            "end": end,
            "earliest": b.earliest,
            "latest": b.latest,
            "precision": precision,
            "qualifier": extra.get("qualifier", "exact"),
            "t0": b.t0,
            "t1": b.t1,
        }
    )


@pytest.fixture
def fresh(tmp_path):
    store = create_store(tmp_path / "x.db")
    yield store.db
    store.close()


def test_deep_and_fine_dates(fresh):
    add_event(fresh, "ev-big-bang", "-13800000000", "year")
    add_event(fresh, "ev-uruk", "-3500-03", "month")
    add_event(fresh, "ev-ides", "-0043-03-15", "day")
    add_event(fresh, "ev-future", "+12000", "year", "+12001")
    add_event(fresh, "ev-pluto", "2015-07-14T11:49:57Z", "second")
    add_event(fresh, "ev-minute", "2013-03-30T11:16Z", "minute")
    add_event(fresh, "ev-hour", "2013-03-30T11Z", "hour")
    doc = timelinejs_document(fresh)
    got = {e["unique_id"]: e for e in doc["events"]}
    assert [e["unique_id"] for e in doc["events"]] == [
        "ev-big-bang",
        "ev-uruk",
        "ev-ides",
        "ev-hour",
        "ev-minute",
        "ev-pluto",
        "ev-future",
    ]
    assert got["ev-big-bang"]["start_date"] == {"year": "-13800000000"}
    # ISO -3500 is 3501 BCE, which TimelineJS writes -3501; the Ides (44 BCE) are -44 there
    assert got["ev-uruk"]["start_date"] == {"year": "-3501", "month": "3"}
    assert got["ev-ides"]["start_date"] == {"year": "-44", "month": "3", "day": "15"}
    assert got["ev-future"]["start_date"] == {"year": "12000"}
    assert got["ev-future"]["end_date"] == {"year": "12001"}
    assert got["ev-pluto"]["start_date"] == {
        "year": "2015",
        "month": "7",
        "day": "14",
        "hour": "11",
        "minute": "49",
        "second": "57",
    }
    assert got["ev-minute"]["start_date"] == expected_date("2013-03-30T11:16Z")
    assert list(got["ev-hour"]["start_date"]) == ["year", "month", "day", "hour"]
    assert doc["scale"] == "cosmological"  # JavaScript dates cannot reach the Big Bang
    assert got["ev-pluto"]["display_date"] == "2015-07-14 11:49:57 UTC"


def test_qualifier_shows_when_no_date_text(fresh):
    add_event(fresh, "ev-circa", "1450", "year", qualifier="circa")
    (slide,) = timelinejs_document(fresh)["events"]
    assert slide["display_date"] == "circa 1450"


def test_date_object_matches_the_independent_reading():
    for value, precision in [("0602", "year"), ("2024-02-29", "day"), ("-0001-12", "month")]:
        assert date_object(value, precision) == expected_date(value)
    with pytest.raises(ValueError):
        date_object("2023-02-29", "day")


PERIODS = """CREATE TABLE periods (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT,
    precision TEXT NOT NULL, t0 REAL NOT NULL, t1 REAL NOT NULL, source_id TEXT)"""


def test_periods_become_eras(fresh):
    assert timelinejs_document(fresh)["eras"] == []
    if "periods" not in fresh.table_names():
        fresh.execute(PERIODS)
    for pid, title, start, end, precision in [
        ("p-b", "Made in China <2025>", "2015", "2025", "year"),
        ("p-a", "Stone age", "-3300000", None, "year"),
        ("p-c", "Summer", "2024-06", None, "month"),
    ]:
        b = dates.bounds(start, end, precision)
        fresh.table("periods").insert(
            {
                "id": pid,
                "title": title,
                "start": start,
                "end": end,
                "precision": precision,
                "t0": b.t0,
                "t1": b.t1,
            }
        )
    doc = timelinejs_document(fresh)
    assert doc["eras"] == [
        {
            "start_date": {"year": "-3300000"},
            "end_date": {"year": "-3300000", "month": "12", "day": "31"},
            "text": {"headline": "Stone age"},
        },
        {
            "start_date": {"year": "2015"},
            "end_date": {"year": "2025"},
            "text": {"headline": "Made in China &lt;2025&gt;"},
        },
        {
            "start_date": {"year": "2024", "month": "6"},
            "end_date": {"year": "2024", "month": "6", "day": "30"},
            "text": {"headline": "Summer"},
        },
    ]
    assert doc["scale"] == "cosmological"


def test_export_writes_json_and_refuses_to_overwrite(bundled, tmp_path):
    out = tmp_path / "timeline.json"
    n = export_timelinejs(bundled, out)
    assert n == len(queries.list_events(bundled))
    assert json.loads(out.read_text("utf-8")) == timelinejs_document(bundled)
    assert "\\u" not in out.read_text("utf-8")  # Korean written as is
    first = out.read_bytes()
    with pytest.raises(StoreError, match="already exists"):
        export_timelinejs(bundled, out, title="Other")
    assert out.read_bytes() == first
    assert export_timelinejs(bundled, out, title="Other", force=True) == n
    assert json.loads(out.read_text("utf-8"))["title"]["text"]["headline"] == "Other"
    export_timelinejs(bundled, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == first  # deterministic


def test_failed_write_leaves_the_old_file(bundled, tmp_path, monkeypatch):
    out = tmp_path / "timeline.json"
    out.write_text("old contents")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(StoreError, match="cannot write"):
        export_timelinejs(bundled, out, force=True)
    assert out.read_text() == "old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timeline.json"]
    with pytest.raises(StoreError):
        export_timelinejs(bundled, tmp_path / "new.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timeline.json"]


def test_statements_ride_on_the_slides_of_their_events(bundled):
    doc = {e["unique_id"]: e for e in timelinejs_document(bundled)["events"]}
    text = doc["ev-2017-baidu-huawei-cooperation-begins"]["text"]["text"]
    st = queries.get_statement(bundled, "st-2019-07-03-wang-haifeng-since-2017")
    assert escape(f"“{st.words}”") in text and escape("about 2017년부터") in text
    kotra = doc["ev-2019-07-04-kotra-korea-china-smart-city-forum"]["text"]["text"]
    assert "(the curators' inference)" in kotra
