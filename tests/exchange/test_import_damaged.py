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
