"""Importing other tools' real files (../shared/interop) and Explorer's own exports."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from explorer.exchange.imports import Batch, ImportFailed, detect, read, reader
from explorer.exchange.imports.apply import ImportRefused, ImportReport, apply
from explorer.store import dates, search
from explorer.store.connection import create_store, open_store

from ..conftest import BUNDLED_DB, FIXTURES, INTEROP

IMPORTS = FIXTURES / "imports"

needs_interop = pytest.mark.skipif(not INTEROP.is_dir(), reason="../shared/interop is missing")


def do_import(path: Path, db_path: Path, fmt: str = "auto", skip_bad: bool = False):
    """As the CLI and the GUI import: read inside the transaction, written as it is read."""
    store = open_store(db_path) if db_path.exists() else create_store(db_path)
    try:
        fmt, fill = reader(path, fmt, store.db)
        report = ImportReport(str(path), fmt, None, 0)
        apply(store, Batch(fmt), report, skip_bad=skip_bad, fill=fill)
        return report
    finally:
        store.close()


def rows(db_path: Path, sql: str, params=()):
    with open_store(db_path, readonly=True) as store:
        return store.db.execute(sql, params).fetchall()


def event(db_path: Path, title_like: str) -> dict:
    with open_store(db_path, readonly=True) as store:
        cur = store.db.execute("SELECT * FROM events WHERE title LIKE ?", [title_like])
        names = [d[0] for d in cur.description]
        found = cur.fetchall()
    assert len(found) == 1, f"{title_like!r}: {len(found)} events"
    return dict(zip(names, found[0], strict=True))


# --- what each file holds, counted without the importer ---------------------------------


def held(path: Path) -> int:
    if path.suffix == ".json":
        return len(json.loads(path.read_text("utf-8"))["events"])
    if path.suffix == ".jsonl":
        return sum(1 for line in path.read_text("utf-8").splitlines() if line.strip())
    if path.suffix == ".timeline":
        return len(re.findall(r"<event>", path.read_text("utf-8")))
    with path.open(encoding="utf-8", newline="") as f:
        return sum(
            1 for r in csv.DictReader(f) if r.get("Type", "").lower() not in ("title", "era")
        )


INTEROP_FILES = [
    ("timelinejs-cosmo.json", "timelinejs"),
    ("timelinejs-eras.json", "timelinejs"),
    ("timelinejs-women_in_computing.json", "timelinejs"),
    ("timelinejs-women_in_computing.csv", "timelinejs-csv"),
    ("thetimelineproj-versions.timeline", "timeline"),
    ("timesketch-sigma_events.csv", "timesketch"),
    ("timesketch-sigma_events.jsonl", "timesketch"),
]


@needs_interop
@pytest.mark.parametrize(("name", "fmt"), INTEROP_FILES)
def test_every_real_file_imports_whole_and_once(tmp_path, name, fmt):
    path = INTEROP / name
    assert detect(path) == fmt
    db = tmp_path / "p.db"
    report = do_import(path, db)
    assert report.format == fmt and not report.rejected
    expected = held(path)
    assert report.seen == expected
    assert rows(db, "SELECT count(*) FROM events")[0][0] == expected
    # every event cites the file, with a short quote
    assert rows(db, "SELECT count(DISTINCT event_id) FROM event_sources")[0][0] == expected
    # imported again: updated, not duplicated
    again = do_import(path, db)
    assert again.added.get("events", 0) == 0 and again.updated["events"] == expected
    assert rows(db, "SELECT count(*) FROM events")[0][0] == expected
    assert rows(db, "PRAGMA foreign_key_check") == []
    # the events are found by search and placed in the overview
    title = rows(db, "SELECT title FROM events LIMIT 1")[0][0]
    word = max(re.findall(r"\w+", title), key=len)
    with open_store(db, readonly=True) as store:
        assert search.search(store.db, word).hits
        assert store.db.execute("SELECT count(*) FROM event_spans").fetchone()[0] == expected


@needs_interop
def test_cosmological_years_and_spans_keep_their_dates(tmp_path):
    db = tmp_path / "p.db"
    do_import(INTEROP / "timelinejs-cosmo.json", db)
    big_bang = event(db, "The Big Bang")
    assert (big_bang["start"], big_bang["end"], big_bang["precision"]) == (
        "-13800000000",
        None,
        "year",
    )
    paleozoic = event(db, "Paleozoic era")
    assert (paleozoic["start"], paleozoic["end"]) == ("-538800000", "-251902000")
    wheel = event(db, "oldest known depiction of a wheeled vehicle")
    # TimelineJS shows its year -3500 as "3500 BCE", which is Explorer's (ISO) year -3499
    assert wheel["start"] == "-3499" and wheel["t0"] == dates.period_bounds("-3499").t0
    assert dates.year_label(-3499) == "3500 BCE"
    # ordered by time, not by text
    order = [r[0] for r in rows(db, "SELECT start FROM events ORDER BY t0")]
    assert order[0] == "-13800000000" and order[-1] == "-3499"


@needs_interop
def test_partial_dates_eras_and_groups(tmp_path):
    db = tmp_path / "p.db"
    do_import(INTEROP / "timelinejs-women_in_computing.csv", db)
    eniac = event(db, "...And the women who made it work")
    # 1943-07 to 1946 (a month and a year): month precision, to the end of 1946
    assert (eniac["start"], eniac["end"], eniac["precision"]) == ("1943-07", "1946-12", "month")
    assert (eniac["earliest"], eniac["latest"]) == ("1943-07-01", "1946-12-31")
    recursion = event(db, "Rózsa Péter writes recursion")
    assert (recursion["start"], recursion["precision"]) == ("1951", "year")
    ada = event(db, "Ada Lovelace")
    assert (ada["start"], ada["end"], ada["precision"]) == ("1815-12-10", "1852-11-27", "day")

    db2 = tmp_path / "eras.db"
    do_import(INTEROP / "timelinejs-eras.json", db2)
    hijra = event(db2, "Muhammad Migrates from Mecca to Medina")
    assert (hijra["start"], hijra["end"], hijra["precision"]) == ("0622-08-09", "0622-08-23", "day")
    eras = rows(db2, 'SELECT title, start, "end", precision FROM periods ORDER BY t0')
    assert eras == [
        ("Era Test 600-650", "0600", "0650", "year"),
        ("Era Test 650-700", "0650", "0700", "year"),
        ("Era Test 700-720", "0700", "0720", "year"),
    ]


@needs_interop
def test_timeline_project_categories_colours_and_times(tmp_path):
    db = tmp_path / "p.db"
    do_import(INTEROP / "thetimelineproj-versions.timeline", db)
    assert rows(db, "SELECT name, color FROM categories ORDER BY name") == [
        ("Correction Release", "#ff80ff"),
        ("Future Release", "#80ffff"),
        ("Planned Release", "#80ff80"),
    ]
    first = event(db, "Timeline 0.20.0")
    assert (first["start"], first["precision"], first["category"]) == (
        "2013-03-30T11:16Z",
        "minute",
        "Planned Release",
    )
    midnight = event(db, "Timeline 0.21.1")
    assert (midnight["start"], midnight["precision"]) == ("2013-07-07", "day")
    cats = {r[0] for r in rows(db, "SELECT DISTINCT category FROM events")}
    assert cats == {"Planned Release", "Correction Release", "Future Release"}


@needs_interop
def test_timesketch_instants_are_utc_seconds(tmp_path):
    db = tmp_path / "p.db"
    do_import(INTEROP / "timesketch-sigma_events.jsonl", db)
    ev = event(db, "A message")
    assert (ev["start"], ev["precision"], ev["category"]) == (
        "2015-07-24T19:01:01Z",
        "second",
        "Write time",
    )
    assert ev["t1"] - ev["t0"] == 1
    assert "extra_field_1: foo" in ev["summary"]


@needs_interop
def test_html_becomes_plain_text_and_media_are_not_fetched(tmp_path):
    db = tmp_path / "p.db"
    do_import(INTEROP / "timelinejs-women_in_computing.json", db)
    ada = event(db, "Ada Lovelace")
    assert "<" not in ada["summary"] and "&quot;" not in ada["summary"]
    assert "Take Ada Lovelace (https://en.wikipedia.org/wiki/Ada_Lovelace):" in ada["summary"]
    assert "Media: https://upload.wikimedia.org/" in ada["summary"]
    quotes = rows(db, "SELECT quote FROM event_sources")
    assert all("<" not in q for (q,) in quotes)


def test_icalendar_days_zones_and_places(tmp_path):
    db = tmp_path / "p.db"
    report = do_import(IMPORTS / "sample.ics", db)
    assert report.format == "ics" and report.seen == 4
    conf = event(db, "Beijing AI ecosystem conference")
    assert (conf["start"], conf["end"], conf["precision"]) == ("2024-08-19", None, "day")
    assert conf["category"] == "conference"
    assert "folded by the calendar program" in conf["summary"]
    assert conf["summary"].endswith("\nCategories: conference, ai")  # every category kept
    place = rows(
        db,
        "SELECT e.name, e.kind, ee.role FROM event_entities ee "
        "JOIN entities e ON e.id = ee.entity_id",
    )
    assert place == [("Haidian, Beijing", "place", "venue")]
    visit = event(db, "Visit to the Shanghai Foundation Model Innovation Center")
    # 10:00 in Seoul is 01:00 UTC
    assert (visit["start"], visit["end"]) == ("2025-04-29T01:00:00Z", "2025-04-29T02:30:00Z")
    # iCalendar text is plain text (RFC 5545): what looks like markup is kept as written
    alliance = event(db, "<b>Shanghai AI Alliance</b> founded")
    assert alliance["start"] == "2019-07-02T01:00:00Z"
    three = event(db, "Three days")
    assert (three["start"], three["end"]) == ("2019-07-02", "2019-07-04")


# --- all or nothing -----------------------------------------------------------------------


def write_json(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def tl_event(year, headline, **more):
    return {"start_date": {"year": year}, "text": {"headline": headline}, **more}


def test_a_bad_row_refuses_the_whole_file_with_a_report(tmp_path):
    src = write_json(
        tmp_path / "t.json",
        {
            "events": [
                tl_event("2001", "good"),
                tl_event("2002x", "bad year"),
                {"text": {"headline": "no date"}},
                tl_event("2003", "good too"),
            ]
        },
    )
    db = tmp_path / "p.db"
    with pytest.raises(ImportRefused) as caught:
        do_import(src, db)
    report = caught.value.report
    assert [r.where for r in report.rejected] == ["event 2", "event 3"]
    assert "not a number" in report.rejected[0].reason
    assert "no start date" in report.rejected[1].reason
    assert rows(db, "SELECT count(*) FROM events")[0][0] == 0
    skipped = do_import(src, db, skip_bad=True)
    assert skipped.added["events"] == 2 and len(skipped.rejected) == 2
    assert "2 skipped" in skipped.text() and "event 2:" in skipped.text()


def test_a_failure_while_writing_leaves_the_project_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "p.db"
    do_import(write_json(tmp_path / "a.json", {"events": [tl_event("2001", "first")]}), db)
    before = rows(db, "SELECT id, title FROM events")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search, "rebuild_index", broken)
    src = write_json(tmp_path / "b.json", {"events": [tl_event("2002", "second")]})
    with pytest.raises(OSError):
        do_import(src, db)
    assert rows(db, "SELECT id, title FROM events") == before


def test_the_bundled_dataset_is_never_imported_into(tmp_path):
    db = tmp_path / "explorer.db"
    shutil.copyfile(BUNDLED_DB, db)
    src = write_json(tmp_path / "a.json", {"events": [tl_event("2001", "first")]})
    with pytest.raises(ImportFailed, match="bundled dataset"):
        do_import(src, db)


# --- hostile input ------------------------------------------------------------------------


def test_malformed_utf8_is_refused_with_where(tmp_path):
    src = tmp_path / "bad.csv"
    data = b"message,datetime,timestamp_desc\nok,2015-07-24T19:01:01+00:00,x\n\xff\xfe\n"
    src.write_bytes(data)
    offset = data.index(b"\xff")
    with pytest.raises(ImportFailed, match=rf"not UTF-8 text: byte {offset} \(line 3\)"):
        do_import(src, tmp_path / "p.db")
    assert not (tmp_path / "p.db").exists() or rows(tmp_path / "p.db", "SELECT 1 FROM events") == []


def test_deeply_nested_json_is_refused(tmp_path):
    src = tmp_path / "deep.json"
    src.write_text('{"events": ' + "[" * 200_000 + "]" * 200_000 + "}")
    with pytest.raises(ImportFailed, match="nested too deeply"):
        do_import(src, tmp_path / "p.db")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<timeline><events><event><start>2020-01-01 00:00:00</start><end>2020-01-01 00:00:00</end>
<text>&lol3;</text></event></events></timeline>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<timeline><events><event><start>2020-01-01 00:00:00</start><end>2020-01-01 00:00:00</end>
<text>&xxe;</text></event></events></timeline>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "external"])
def test_xml_entities_are_refused(tmp_path, xml):
    src = tmp_path / "evil.timeline"
    src.write_text(xml, encoding="utf-8")
    with pytest.raises(ImportFailed, match="XML entities"):
        do_import(src, tmp_path / "p.db")


@pytest.mark.parametrize(
    ("year", "reason"),
    [("99999999999999", "outside the years"), ("-1e400", "not a number"), ("", "no start")],
)
def test_absurd_dates_are_rejected(tmp_path, year, reason):
    src = write_json(tmp_path / "t.json", {"events": [tl_event(year, "x")]})
    with pytest.raises(ImportRefused) as caught:
        do_import(src, tmp_path / "p.db")
    assert reason in caught.value.report.rejected[0].reason


def test_a_large_file_is_streamed_with_progress_and_can_be_cancelled(tmp_path):
    src = tmp_path / "big.csv"
    line = b"a message of some length,2015-07-24T19:01:01+00:00,Write time\n"
    with src.open("wb") as f:
        f.write(b"message,datetime,timestamp_desc\n")
        block = line * (1 << 14)
        while f.tell() < 200 << 20:
            f.write(block)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return len(seen) < 5  # cancel after 5 MB, when many chunks are already written

    from explorer.exchange.imports import ImportCancelled

    db = tmp_path / "p.db"
    with create_store(db) as store:
        fmt, fill = reader(src, "auto", store.db, progress)
        batch = Batch(fmt)
        with pytest.raises(ImportCancelled, match="nothing was written"):
            apply(store, batch, ImportReport(str(src), fmt, None, 0), fill=fill)
        assert batch.count("events") > 50_000  # read (and written) before the cancel
        assert store.db.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert [d for d, _ in seen] == [1 << 20, 2 << 20, 3 << 20, 4 << 20, 5 << 20]
    assert all(total == src.stat().st_size for _, total in seen)
    assert rows(db, "SELECT count(*) FROM sources")[0][0] == 0


def test_formula_cells_are_imported_as_text_and_neutralised_on_export(tmp_path):
    from explorer.exchange.export import export_csv

    src = tmp_path / "f.csv"
    src.write_text(
        "message,datetime,timestamp_desc\n"
        '"=HYPERLINK(""http://x"")",2015-07-24T19:01:01+00:00,+SUM(A1)\n',
        encoding="utf-8",
    )
    db = tmp_path / "p.db"
    do_import(src, db)
    assert rows(db, "SELECT title, category FROM events") == [
        ('=HYPERLINK("http://x")', "+SUM(A1)")
    ]
    with open_store(db, readonly=True) as store:
        export_csv(store.db, tmp_path / "out")
    with (tmp_path / "out" / "events.csv").open(encoding="utf-8-sig", newline="") as f:
        row = next(csv.DictReader(f))
    assert row["title"] == '\'=HYPERLINK("http://x")' and row["category"] == "'+SUM(A1)"


def test_unknown_files_are_refused_by_name(tmp_path):
    src = tmp_path / "notes.bin"
    src.write_bytes(b"\x00\x01binary")
    with pytest.raises(ImportFailed, match="cannot tell what kind of file"):
        do_import(src, tmp_path / "p.db")
    with pytest.raises(ImportFailed, match="not a TimelineJS file"):
        do_import(write_json(tmp_path / "x.json", {"a": 1}), tmp_path / "p.db")


# --- Explorer's own format: export, import, export gives the same --------------------------


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_own_format_round_trips_exactly(tmp_path, fmt):
    from explorer.exchange.export import dump, export_csv, export_json

    with open_store(BUNDLED_DB, readonly=True) as store:
        original = dump(store.db)
        out = tmp_path / ("x.json" if fmt == "json" else "x")
        (export_json if fmt == "json" else export_csv)(store.db, out)
    db = tmp_path / "copy.db"
    report = do_import(out, db)
    assert report.format == f"explorer-{fmt}" and not report.rejected
    with open_store(db, readonly=True) as store:
        assert dump(store.db) == original
    again = do_import(out, db)
    assert again.added.get("events", 0) == 0
    with open_store(db, readonly=True) as store:
        assert dump(store.db) == original


def test_own_format_rows_are_checked(tmp_path):
    from explorer.exchange.export import export_json

    with open_store(BUNDLED_DB, readonly=True) as store:
        export_json(store.db, tmp_path / "x.json")
    doc = json.loads((tmp_path / "x.json").read_text("utf-8"))
    doc["events"][0]["earliest"] = "1999-01-01"  # disagrees with its start
    doc["events"][1]["secret"] = "x"
    doc["event_entities"].append({"event_id": "nope", "entity_id": "ent-baidu", "role": "x"})
    write_json(tmp_path / "x.json", doc)
    with pytest.raises(ImportRefused) as caught:
        do_import(tmp_path / "x.json", tmp_path / "p.db")
    reasons = [str(r) for r in caught.value.report.rejected]
    assert reasons[0].startswith("events 1: earliest is '1999-01-01'")
    assert reasons[1] == "events 2: unknown column(s) secret"
    del doc["events"][:2]
    write_json(tmp_path / "x.json", doc)
    with pytest.raises(ImportFailed, match="refer to what neither the file nor the project"):
        do_import(tmp_path / "x.json", tmp_path / "p.db")
    assert rows(tmp_path / "p.db", "SELECT count(*) FROM events")[0][0] == 0
    # skipping bad rows leaves the dangling link out, and the links of the removed events
    report = do_import(tmp_path / "x.json", tmp_path / "p.db", skip_bad=True)
    assert report.written and "event_entities row: refers to a missing events" in report.text()
    assert rows(tmp_path / "p.db", "PRAGMA foreign_key_check") == []


def test_an_unreadable_csv_record_is_rejected_with_its_lines(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "events.csv").write_text('id,title\r\ne1,"two\r\nlines"\r\ne2,"cut\r\noff')
    with create_store(tmp_path / "p.db") as store:
        batch = read(folder, "explorer-csv", store.db)
    assert [str(r) for r in batch.rejected] == [
        "events.csv lines 2–3: no value for category, precision, start",
        "events.csv lines 4–5: it is not CSV: the file ends inside a quoted cell "
        "(a quote is never closed, or the file is cut)",
    ]
