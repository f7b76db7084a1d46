"""Damaged files: every item read is either imported or listed as rejected with its reason.

Each of these lost rows silently (exit 0, "0 rejected") before the readers tracked
iCalendar components on a stack and read CSV strictly.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from explorer.exchange.imports import ImportFailed, read
from explorer.store.connection import create_store


def batch_of(tmp_path: Path, name: str, data: str | bytes, fmt: str = "auto"):
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    with create_store(tmp_path / f"{name}.db") as store:
        return read(path, fmt, store.db)


def vevent(n: int, end: str = "END:VEVENT") -> str:
    return (
        f"BEGIN:VEVENT\nUID:u{n}\nDTSTART:2024010{n}T100000Z\nSUMMARY:event {n}\n{end}\n"
        if end
        else f"BEGIN:VEVENT\nUID:u{n}\nDTSTART:2024010{n}T100000Z\nSUMMARY:event {n}\n"
    )


def calendar(*events: str, close: bool = True) -> str:
    return "BEGIN:VCALENDAR\nVERSION:2.0\n" + "".join(events) + ("END:VCALENDAR\n" if close else "")


def accounted(batch) -> tuple[int, int, int]:
    return batch.seen, batch.count("events"), len(batch.rejected)


def test_ics_a_misspelt_end_rejects_its_event_with_the_line(tmp_path):
    b = batch_of(tmp_path, "c.ics", calendar(vevent(1), vevent(2, "END:VEVNT"), vevent(3)))
    assert accounted(b) == (3, 2, 1)
    assert str(b.rejected[0]) == (
        "VEVENT 2 (line 8): it is not closed: line 12 ('END:VEVNT') ends no open component"
    )


def test_ics_an_event_without_end_before_the_next_or_the_calendar_end(tmp_path):
    b = batch_of(tmp_path, "c.ics", calendar(vevent(1, ""), vevent(2), vevent(3, "")))
    assert accounted(b) == (3, 1, 2)
    reasons = [str(r) for r in b.rejected]
    assert reasons[0] == (
        "VEVENT 1 (line 3): it is not closed: BEGIN:VEVENT on line 7 begins another inside it"
    )
    assert reasons[1] == (
        "VEVENT 3 (line 12): it is not closed: END:VCALENDAR on line 16 comes before END:VEVENT"
    )


def test_ics_the_file_ending_inside_an_event_rejects_it(tmp_path):
    b = batch_of(tmp_path, "c.ics", calendar(vevent(1), vevent(2, ""), close=False))
    assert accounted(b) == (2, 1, 1)
    assert str(b.rejected[0]) == "VEVENT 2 (line 8): the file ends inside it (no END:VEVENT)"


def test_ics_an_event_after_the_calendar_end_is_rejected(tmp_path):
    b = batch_of(tmp_path, "c.ics", calendar(vevent(1)) + vevent(2))
    assert accounted(b) == (2, 1, 1)
    assert "it comes after END:VCALENDAR" in str(b.rejected[0])


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_ics_every_line_ending_reads_the_same(tmp_path, newline):
    text = calendar(vevent(1), vevent(2)).replace("\n", newline)
    text = text.replace("SUMMARY:event 2", f"SUMMARY:event{newline}  2")  # a folded line
    b = batch_of(tmp_path, "c.ics", text)
    assert accounted(b) == (2, 2, 0)
    assert sorted(e["title"] for e in b.rows["events"]) == ["event 1", "event 2"]


def test_ics_an_alarm_description_stays_out_of_the_event(tmp_path):
    alarm = "BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:Reminder\nTRIGGER:-PT15M\nEND:VALARM\n"
    ev = vevent(1).replace("SUMMARY:event 1\n", "SUMMARY:event 1\n" + alarm)
    ev = ev.replace("END:VEVENT", "DESCRIPTION:the real text\nEND:VEVENT")
    b = batch_of(tmp_path, "c.ics", calendar(ev))
    assert b.rows["events"][0]["summary"] == "the real text"


def sheet(*rows: str) -> str:
    return "Year,Month,Day,Headline,Text\n" + "".join(r + "\n" for r in rows)


def test_csv_an_unbalanced_quote_does_not_swallow_rows(tmp_path):
    text = sheet("2001,1,1,first,a", '2002,1,1,"second,b', "2003,1,1,third,c", "2004,1,1,fourth,d")
    b = batch_of(tmp_path, "t.csv", text, "timelinejs-csv")
    assert b.count("events") == 1 and b.seen == 2
    assert str(b.rejected[0]) == (
        "lines 3–5: it is not CSV: the file ends inside a quoted cell "
        "(a quote is never closed, or the file is cut)"
    )


def test_csv_a_stray_quote_in_a_cell_is_rejected_with_its_line(tmp_path):
    text = sheet("2001,1,1,first,a", '2002,1,1,"second" half,b', "2003,1,1,third,c")
    b = batch_of(tmp_path, "t.csv", text, "timelinejs-csv")
    assert [e["title"] for e in b.rows["events"]] == ["first", "third"]
    assert str(b.rejected[0]).startswith("line 3: it is not CSV: a quote inside a quoted cell")


def test_csv_a_record_spanning_lines_is_named_by_its_span(tmp_path):
    text = sheet('2001,1,1,"two\nline headline",a,extra')
    b = batch_of(tmp_path, "t.csv", text, "timelinejs-csv")
    assert str(b.rejected[0]) == "lines 2–3: 6 cells for 5 columns (a stray quote or comma?)"


def test_csv_a_file_cut_mid_field_is_not_imported_as_cut_text(tmp_path):
    text = "message,datetime,timestamp_desc\nfirst,2020-01-01T00:00:00Z,x\n" + ('"cut in the mid')
    b = batch_of(tmp_path, "s.csv", text, "timesketch")
    assert accounted(b) == (2, 1, 1)
    assert "the file ends inside a quoted cell" in str(b.rejected[0])


def test_timesketch_extra_cells_are_rejected_not_dropped(tmp_path):
    text = "message,datetime,timestamp_desc\nfirst,2020-01-01T00:00:00Z,x,lost cell\n"
    b = batch_of(tmp_path, "s.csv", text, "timesketch")
    assert accounted(b) == (1, 0, 1)
    assert str(b.rejected[0]) == "line 2: 4 cells for 3 columns (a stray quote or comma?)"


def test_csv_lone_cr_line_ends_are_read(tmp_path):
    text = sheet("2001,1,1,first,a", "2002,1,1,second,b").replace("\n", "\r")
    b = batch_of(tmp_path, "t.csv", text, "timelinejs-csv")
    assert accounted(b) == (2, 2, 0)


def test_explorer_csv_reads_back_a_cell_over_the_csv_modules_limit(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    default = csv.field_size_limit()
    long = "a" * 1_000_000
    (folder / "events.csv").write_text(f'id,title\r\ne1,"{long}"\r\n')
    with create_store(tmp_path / "p.db") as store:
        batch = read(folder, "explorer-csv", store.db)
    assert batch.rejected[0].reason.startswith("no value for")  # read whole, then checked
    assert csv.field_size_limit() == default  # the limit is raised only while reading


def test_an_empty_file_is_refused_with_a_sentence(tmp_path):
    for name in ("e.json", "e.ics", "e.csv", "e.jsonl", "e.timeline"):
        (tmp_path / name).write_bytes(b"\xef\xbb\xbf \n")
        with (
            create_store(tmp_path / f"{name}.db") as store,
            pytest.raises(ImportFailed, match=f"^{name} is empty; there is nothing"),
        ):
            read(tmp_path / name, "auto", store.db)


def test_a_file_with_no_items_is_refused_not_an_empty_source(tmp_path):
    with pytest.raises(ImportFailed, match="holds no events; there is nothing to import"):
        batch_of(tmp_path, "c.ics", calendar())
    with pytest.raises(ImportFailed, match="holds no events"):
        batch_of(tmp_path, "t.json", json.dumps({"events": []}))


# --- what raised a traceback before, now one item's rejection with its reason -------------


def reasons(batch) -> list[str]:
    return [str(r) for r in batch.rejected]


def test_lone_surrogates_reject_their_item_in_every_json_reader(tmp_path):
    ev = '{"start_date": {"year": 2001}, "text": {"headline": "a\\ud800"}}'
    b = batch_of(tmp_path, "t.json", '{"events": [' + ev + "]}")
    assert reasons(b) == [
        "event 1: its text holds a lone surrogate escape (such as \\ud800), which is not a "
        "character and cannot be stored"
    ]
    line = '{"message": "m", "datetime": "2001-01-01T00:00:00Z", "\\udc00": 1}\n'
    b = batch_of(tmp_path, "s.jsonl", line)
    assert reasons(b)[0].startswith("line 1: its text holds a lone surrogate")
    note = {
        "id": "n1",
        "target": {"kind": "event", "id": "e1"},
        "text": "x\ud800",
        "format": "plain",
        "author": "a",
        "created": "2001-01-01T00:00:00Z",
        "updated": "2001-01-01T00:00:00Z",
        "revision": 1,
        "deleted": False,
        "tags": [],
        "history": [],
    }
    doc = {"format": "explorer-json", "format_version": 1, "notes": [note]}
    b = batch_of(tmp_path, "e.json", json.dumps(doc))
    assert reasons(b)[0].startswith("notes 1: its text holds a lone surrogate")
    assert b.notes == []  # never carried on to the work file


@pytest.mark.parametrize("eras", ["5", "true", '"x"', "{}"])
def test_eras_that_are_not_a_list_are_rejected(tmp_path, eras):
    text = '{"events": [{"start_date": {"year": 2001}, "text": {"headline": "h"}}], "eras": '
    b = batch_of(tmp_path, "t.json", text + eras + "}")
    assert b.count("events") == 1
    assert reasons(b)[0].startswith("eras: it is not a list of eras but ")


def test_numbers_sqlite_cannot_hold_reject_their_row(tmp_path):
    row = {
        "id": "e1",
        "title": "t",
        "category": "c",
        "start": "2001",
        "precision": "year",
        "qualifier": "exact",
    }
    doc = {"format": "explorer-json", "format_version": 1}
    b = batch_of(tmp_path, "a.json", json.dumps({**doc, "events": [{**row, "t0": 2**63}]}))
    assert reasons(b) == ["events 1: t0: the number 9223372036854775808… is too large to store"]
    huge = json.dumps({**doc, "events": [{**row, "t0": 0}]}).replace(
        '"t0": 0', '"t0": 1' + "0" * 5000
    )
    b = batch_of(tmp_path, "b.json", huge)
    assert reasons(b) == [
        "events 1: t0: the number 10000000000000000000… has 5001 digits, too many to store"
    ]


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ("2001-01-01 25:00:00", "'2001-01-01 25:00:00' is not a time of day"),
        ("2016-12-31 23:59:60", "'2016-12-31 23:59:60' is a leap second"),
    ],
)
def test_timeline_impossible_times_reject_their_event(tmp_path, when, reason):
    text = (
        "<timeline><version>2.0</version><events><event>"
        f"<start>{when}</start><end>{when}</end><text>t</text></event></events></timeline>"
    )
    b = batch_of(tmp_path, "t.timeline", text)
    assert reasons(b)[0].startswith(f"event 1: {reason}")


def test_a_zone_shift_past_year_1_or_9999_rejects_the_item(tmp_path):
    from explorer.exchange.imports import parse_zone
    from explorer.exchange.imports.batch import Batch
    from explorer.exchange.imports.timelinejs import date_of
    from explorer.store.dates import DateFormatError

    batch = Batch("timelinejs", zone=parse_zone("+09:00"))
    with pytest.raises(DateFormatError, match="outside the years 1–9999 once shifted to UTC"):
        date_of({"year": 1, "month": 1, "day": 1, "hour": 1}, batch)
    line = '{"message": "m", "datetime": "9999-12-31T23:00:00-05:00", "timestamp_desc": "x"}'
    b = batch_of(tmp_path, "s.jsonl", line)
    assert "outside the years 1–9999" in reasons(b)[0]


def test_years_below_1000_keep_four_digits(tmp_path):
    line = '{"message": "m", "datetime": "0050-01-01T10:00:00+00:00", "timestamp_desc": "x"}'
    b = batch_of(tmp_path, "s.jsonl", line)
    assert b.rows["events"][0]["start"] == "0050-01-01T10:00:00Z"
    ics = calendar(vevent(1).replace("DTSTART:20240101T100000Z", "DTSTART:05000101T100000Z"))
    b = batch_of(tmp_path, "c.ics", ics)
    assert b.rows["events"][0]["start"] == "0500-01-01T10:00:00Z"


def test_an_unknown_tzid_rejects_its_event_or_is_reported_never_fatal(tmp_path):
    ics = calendar(
        vevent(1).replace("DTSTART:20240101T100000Z", "DTSTART;TZID=America:20240101T100000"),
        vevent(2).replace("DTSTART:20240102T100000Z", "DTSTART;TZID=Nowhere:20240102T100000"),
        vevent(3),
    )
    b = batch_of(tmp_path, "c.ics", ics)
    assert b.count("events") == 2
    assert reasons(b) == [
        "VEVENT 1 (line 3): a TZID names a group of zones (such as 'America'), not a zone"
    ]
    assert "time zone 'Nowhere' is neither defined in the file nor known here" in b.warnings[0]


def test_a_line_over_the_limit_is_rejected_with_its_number_not_held(tmp_path):
    from explorer.exchange.imports.text_input import MAX_LINE

    ok = '{"message": "b", "datetime": "2001-01-01T00:00:00Z", "timestamp_desc": "x"}\n'
    big = '{"message": "' + "a" * (MAX_LINE + 10) + '"}\n'
    b = batch_of(tmp_path, "s.jsonl", ok + big + ok)
    assert b.count("events") == 2 and reasons(b) == ["line 2: it is longer than 16 MB"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 20])
def test_lines_split_the_same_at_any_chunk_size(tmp_path, monkeypatch, chunk):
    from explorer.exchange.imports import text_input

    monkeypatch.setattr(text_input, "CHUNK", chunk)
    text = "a\r\nb\rc\n\r\nd\r\r\ne\u2028f\r"
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode("utf-8"))
    reader = text_input.TextReader(path)
    universal = ["a\r\n", "b\r", "c\n", "\r\n", "d\r", "\r\n", "e\u2028f\r"]
    assert list(reader.lines(universal=True)) == universal
    assert list(reader.lines()) == ["a\r\n", "b\rc\n", "\r\n", "d\r\r\n", "e\u2028f\r"]


def test_a_title_slide_whose_text_cannot_be_stored_leaves_a_storable_source(tmp_path):
    # found by test_mutated_real_files: the title's headline was storable, its text was
    # not, and the text went into the source's note unchecked
    doc = {
        "title": {"text": {"headline": "Women in computing", "text": "about \ud800 them"}},
        "events": [{"start_date": {"year": 2001}, "text": {"headline": "ok"}}],
    }
    b = batch_of(tmp_path, "t.json", json.dumps(doc))
    (source,) = b.rows["sources"]
    for value in source.values():
        if isinstance(value, str):
            value.encode("utf-8")  # raises on a lone surrogate
    assert "about \ufffd them" in source["note"]
    assert any("cannot be stored" in w for w in b.warnings)
