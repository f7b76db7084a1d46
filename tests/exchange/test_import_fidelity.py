"""Plain-text formats keep their text as written, every field has a home or is reported,
and the fidelity report reaches the CLI as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.exchange.imports import ImportFailed, parse_zone, read
from explorer.store.connection import create_store


def batch_of(tmp_path: Path, name: str, text: str, fmt: str = "auto", zone: str = "UTC"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with create_store(tmp_path / f"{name}.db") as store:
        return read(path, fmt, store.db, zone=parse_zone(zone))


def timeline(*events: str) -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?><timeline><version>2.3.0</version>"
        "<timetype>gregoriantime</timetype><categories><category><name>Act</name>"
        "<color>255,0,0</color><font_color>0,0,0</font_color></category></categories>"
        f"<events>{''.join(events)}</events></timeline>"
    )


def tev(text: str, *more: str, when: str = "2020-01-01 10:00:00") -> str:
    rest = "".join(more)
    return f"<event><start>{when}</start><end>{when}</end><text>{text}</text>{rest}</event>"


def test_timeline_text_is_kept_as_written_not_as_html(tmp_path):
    b = batch_of(
        tmp_path,
        "t.timeline",
        timeline(
            tev("Die &lt;zweite&gt; Szene", "<description>a &amp;&amp; b &lt;x/&gt;</description>")
        ),
    )
    e = b.rows["events"][0]
    assert (e["title"], e["summary"]) == ("Die <zweite> Szene", "a && b <x/>")


def test_timeline_containers_milestones_labels_colours_and_links(tmp_path):
    b = batch_of(
        tmp_path,
        "t.timeline",
        timeline(
            tev("[1]Act one"),
            tev("(1)Scene", "<labels>draft</labels>", "<default_color>10,20,30</default_color>"),
            tev(" [not a container]", "<hyperlink>https://example.org</hyperlink>"),
            tev("", "<milestone>True</milestone>", "<alert>2020-01-01 09:00:00;wake</alert>"),
        ),
    )
    titles = [e["title"] for e in b.rows["events"]]
    assert titles == ["Act one", "Scene", "[not a container]", "untitled milestone on 2020-01-01"]
    scene = b.rows["events"][1]["summary"]
    assert scene == "Part of: Act one\nLabels: draft\nColour: #0a141e"
    assert b.rows["events"][2]["summary"] == "Link: https://example.org"
    assert b.rows["events"][3]["summary"] == "Milestone"
    lines = b.fidelity.lines()
    assert "dropped: 1 alert(s)" in lines
    assert "dropped: 1 category font_color" in lines
    assert "kept: 1 container(s) kept as events (their events say 'Part of:')" in lines


def test_timeline_old_text_format_is_named(tmp_path):
    text = "# Written by Timeline 0.9.0 on 2008-01-01\nEVENT:2008-01-01 10:00:00;a\n"
    with pytest.raises(ImportFailed, match="The Timeline Project's old text format"):
        batch_of(tmp_path, "old.timeline", text, "timeline")


def sketch(*rows: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def test_timesketch_times_zones_epochs_and_timestamps(tmp_path):
    rows = [
        {"message": "local", "datetime": "2020-01-01T10:00:00", "timestamp_desc": "x"},
        {"message": "epoch s", "datetime": 1577872800, "timestamp_desc": "x"},
        {"message": "epoch ms", "datetime": "1577872800000", "timestamp_desc": "x"},
        {"message": "stamp only", "timestamp": 1577872800123456, "timestamp_desc": "x"},
        {"message": "empty datetime", "datetime": "", "timestamp": 1577872800000000},
        {"message": "fraction", "datetime": "2020-01-01T10:00:00.75+00:00"},
    ]
    b = batch_of(tmp_path, "s.jsonl", sketch(*rows), zone="+09:00")
    got = {e["title"]: e["start"] for e in b.rows["events"]}
    assert got == {
        "local": "2020-01-01T01:00:00Z",
        "epoch s": "2020-01-01T10:00:00Z",
        "epoch ms": "2020-01-01T10:00:00Z",
        "stamp only": "2020-01-01T10:00:00Z",
        "empty datetime": "2020-01-01T10:00:00Z",
        "fraction": "2020-01-01T10:00:00Z",
    }
    assert any("read as UTC+09:00" in w for w in b.warnings)
    f = b.fidelity
    assert f.changed["datetime given as an epoch number, read as seconds since 1970 (UTC)"] == 1
    assert f.changed["time(s) read from timestamp (microseconds since 1970), no datetime"] == 2
    assert f.changed["time(s) with fractions of a second kept to the second (rounded down)"] == 2


def test_timesketch_text_keeps_markup_and_fields(tmp_path):
    xml = '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data>x</Data></Event>'
    row = {"message": "4624 logon", "datetime": "2020-01-01T00:00:00Z", "xml_string": xml, "n": [1]}
    b = batch_of(tmp_path, "s.jsonl", sketch(row))
    assert b.rows["events"][0]["summary"] == f"4624 logon\nxml_string: {xml}\nn: [1]"
    assert b.fidelity.kept["other field(s) kept as 'name: value' lines"] == 2


def test_a_csv_with_only_timestamps_is_a_timesketch_file(tmp_path):
    b = batch_of(tmp_path, "s.csv", "message,timestamp\nhello,1577872800000000\n")
    assert b.format == "timesketch" and b.rows["events"][0]["start"] == "2020-01-01T10:00:00Z"


def test_the_report_carries_the_fidelity_as_text_and_json(tmp_path, capsys):
    src = tmp_path / "c.ics"
    src.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20240101T100000Z\nSUMMARY:s\n"
        "RRULE:FREQ=DAILY;COUNT=3\nBEGIN:VALARM\nTRIGGER:-PT5M\nACTION:DISPLAY\nEND:VALARM\n"
        "END:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    assert main(["import", str(src), "--db", str(tmp_path / "p.db"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dropped: 1 alarm(s) (VALARM) ignored" in out
    assert "changed: 3 occurrence(s) expanded from 1 recurring event(s)" in out
    assert main(["import", str(src), "--db", str(tmp_path / "p.db"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["fidelity"]["dropped"]["alarm(s) (VALARM) ignored"] == 1
    assert report["added"]["events"] == 3
