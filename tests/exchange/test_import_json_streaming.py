"""TimelineJS and Explorer JSON documents are read one element at a time: their events (and
the tables of Explorer's export) are handed on to the project while the file is still being
read, and what the import makes of them is what it made when the document was read whole.
The Timeline Project's XML too: each <event> as it ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.exchange.export import export_json
from explorer.exchange.imports import Batch, ImportFailed, json_input, read, reader, text_input
from explorer.exchange.imports.apply import ImportReport, apply
from explorer.exchange.imports.batch import CHUNK
from explorer.store.connection import create_store, open_store


def slide(i: int) -> dict[str, object]:
    return {
        "start_date": {"year": str(1900 + i % 100), "month": "3"},
        "text": {"headline": f"event {i}", "text": f"<p>what happened, {i}</p>"},
    }


def import_watching(src: Path, db: Path, fmt: str = "auto") -> tuple[ImportReport, list[int]]:
    """Import `src`, recording how far the file had been read at each hand-over of rows."""
    read_so_far: list[int] = []
    at = [0]

    def progress(done: int, total: int) -> bool:
        at[0] = done
        return True

    with create_store(db) as store:
        fmt, fill = reader(src, fmt, store.db, progress)
        batch = Batch(fmt)

        def watched(b: Batch) -> None:
            original = b.flush

            def flush() -> None:
                read_so_far.append(at[0])
                original()

            b.flush = flush  # type: ignore[method-assign]
            fill(b)

        report = ImportReport(str(src), fmt, None, 0)
        apply(store, batch, report, fill=watched)
    return report, read_so_far


def test_timelinejs_events_are_handed_on_while_the_file_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(text_input, "CHUNK", 4096)
    n = 3 * CHUNK
    src = tmp_path / "t.json"
    src.write_text(
        json.dumps({"title": {"text": {"headline": "T"}}, "events": [slide(i) for i in range(n)]})
    )
    report, read_so_far = import_watching(src, tmp_path / "p.db")
    assert report.written and report.seen == n and report.added["events"] == n
    # read whole, the first rows went on only once the whole file was read
    assert read_so_far[0] < src.stat().st_size // 2, (read_so_far, src.stat().st_size)


def test_explorer_json_rows_are_handed_on_while_the_file_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(text_input, "CHUNK", 4096)
    src = tmp_path / "t.json"
    src.write_text(json.dumps({"events": [slide(i) for i in range(3 * CHUNK)]}))
    import_watching(src, tmp_path / "a.db", "timelinejs")
    with open_store(tmp_path / "a.db") as store:
        export_json(store.db, tmp_path / "x.json")
    report, read_so_far = import_watching(tmp_path / "x.json", tmp_path / "b.db")
    assert report.format == "explorer-json"
    assert report.written and report.added["events"] == 3 * CHUNK
    assert read_so_far[0] < (tmp_path / "x.json").stat().st_size // 2


def _events(db: Path) -> list[tuple[str, str]]:
    with open_store(db, readonly=True) as store:
        return [
            (r[0], r[1])
            for r in store.db.execute(
                "SELECT e.id, s.source_id FROM events e JOIN event_sources s ON s.event_id = e.id "
                "ORDER BY e.id"
            ).fetchall()
        ]


def test_a_title_written_after_the_events_names_their_source_as_before(tmp_path):
    title = {"text": {"headline": "The title", "text": "about it"}}
    events = [slide(i) for i in range(5)]
    first, last = tmp_path / "first.json", tmp_path / "last.json"
    first.write_text(json.dumps({"title": title, "events": events}))
    last.write_text(json.dumps({"events": events, "eras": [], "title": title}))
    a, _ = import_watching(first, tmp_path / "a.db")
    b, _ = import_watching(last, tmp_path / "b.db")
    assert a.title == b.title == "The title"
    assert _events(tmp_path / "a.db") == _events(tmp_path / "b.db") != []
    assert a.fidelity == b.fidelity


def test_without_a_title_the_files_name_is_the_sources_as_before(tmp_path):
    src = tmp_path / "named.json"
    src.write_text(json.dumps({"events": [slide(1)], "scale": "human"}))
    with create_store(tmp_path / "p.db") as store:
        batch = read(src, "timelinejs", store.db)
    assert batch.title == "named" and batch.rows["sources"][0]["title"] == "named"
    assert "'scale' read (Explorer places every year on one axis)" in batch.fidelity.kept


def test_an_event_too_long_to_hold_is_rejected_with_its_number(tmp_path, monkeypatch):
    monkeypatch.setattr(json_input, "MAX_LINE", 1000)
    monkeypatch.setattr(text_input, "CHUNK", 100)
    events = [slide(1), {**slide(2), "text": {"headline": "x" * 5000}}, slide(3)]
    src = tmp_path / "t.json"
    src.write_text(json.dumps({"events": events}))
    with create_store(tmp_path / "p.db") as store:
        batch = read(src, "timelinejs", store.db)
    assert [str(r) for r in batch.rejected] == [f"event 2: {json_input.TOO_LONG}"]
    assert [r["title"] for r in batch.rows["events"]] == ["event 1", "event 3"]
    assert batch.seen == 3


def test_a_row_too_long_to_hold_is_rejected_with_its_number(tmp_path, monkeypatch):
    monkeypatch.setattr(json_input, "MAX_LINE", 1000)
    doc = {"format": "explorer-json", "format_version": 1, "events": [{"title": "x" * 5000}]}
    src = tmp_path / "x.json"
    src.write_text(json.dumps(doc))
    with create_store(tmp_path / "p.db") as store:
        batch = read(src, "explorer-json", store.db)
    assert [str(r) for r in batch.rejected] == [f"events 1: {json_input.TOO_LONG}"]
    assert batch.seen == 1


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        ({"events": [], "format": "other", "format_version": 1}, "is not an Explorer JSON"),
        ({"format": "explorer-json", "events": 5, "format_version": 2}, "format version 2"),
        ({"format": "explorer-json", "format_version": 1, "notes": {}}, "'notes' is not a list"),
    ],
)
def test_explorer_json_faults_found_after_rows_refuse_the_file_as_before(tmp_path, doc, words):
    src = tmp_path / "x.json"
    src.write_text(json.dumps(doc))
    with create_store(tmp_path / "p.db") as store, pytest.raises(ImportFailed, match=words):
        read(src, "explorer-json", store.db)


def test_bad_utf8_after_a_fault_of_the_json_is_named_first_as_before(tmp_path):
    src = tmp_path / "t.json"
    data = b'{"events": [1,, 2], "x": "' + b"a" * 100 + b'\xff"}'
    src.write_bytes(data)
    with (
        create_store(tmp_path / "p.db") as store,
        pytest.raises(ImportFailed, match="not UTF-8 text: byte 126"),
    ):
        read(src, "timelinejs", store.db)


def test_timeline_project_events_are_handed_on_while_the_file_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(text_input, "CHUNK", 4096)
    n = 3 * CHUNK
    event = (
        "<event><start>2001-02-03 04:05:06</start><end>2001-02-03 04:05:06</end>"
        "<text>event {i}</text><category>work</category></event>"
    )
    src = tmp_path / "t.timeline"
    src.write_text(
        "<?xml version='1.0' encoding='utf-8'?><timeline><version>2.0</version>"
        "<timetype>gregoriantime</timetype><categories><category><name>work</name>"
        "<color>10,20,30</color></category></categories><events>"
        + "".join(event.format(i=i) for i in range(n))
        + "</events><eras><era><name>e</name><start>2001-01-01 00:00:00</start>"
        "<end>2002-01-01 00:00:00</end></era></eras><view></view></timeline>"
    )
    report, read_so_far = import_watching(src, tmp_path / "p.db")
    assert report.written and report.seen == n and report.added["events"] == n
    assert report.added["periods"] == 1 and report.added["categories"] == 1
    assert read_so_far[0] < src.stat().st_size // 2, (read_so_far, src.stat().st_size)


def test_a_timeline_of_another_kind_of_time_is_refused_whatever_comes_first(tmp_path):
    src = tmp_path / "t.timeline"
    src.write_text(
        "<timeline><events><event><start>2001-02-03 04:05:06</start><end>2001-02-03 04:05:06"
        "</end><text>a</text></event></events><timetype>numtime</timetype></timeline>"
    )
    with create_store(tmp_path / "p.db") as store, pytest.raises(ImportFailed, match="numtime"):
        read(src, "timeline", store.db)


def test_a_document_after_much_white_space_is_still_read(tmp_path):
    src = tmp_path / "t.json"
    src.write_text(" \n" * 100_000 + json.dumps({"events": [slide(1)]}))
    with create_store(tmp_path / "p.db") as store:
        batch = read(src, "timelinejs", store.db)
    assert [r["title"] for r in batch.rows["events"]] == ["event 1"]
