"""Large imports are written as they are read, inside one transaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.exchange.imports import Batch, read, reader
from explorer.exchange.imports.apply import ImportRefused, ImportReport, apply
from explorer.exchange.imports.batch import CHUNK
from explorer.store.connection import create_store, open_store


def sketch_csv(path: Path, n: int, bad_at: int | None = None) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("message,datetime,timestamp_desc\n")
        for i in range(n):
            when = (
                "not a date" if i == bad_at else f"2015-07-24T19:{i // 60 % 60:02d}:{i % 60:02d}Z"
            )
            f.write(f"event number {i},{when},Write time\n")
    return path


def count(db: Path, table: str = "events") -> int:
    with open_store(db, readonly=True) as store:
        return int(store.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])


def streamed(src: Path, db: Path, **options) -> tuple[ImportReport, list[int]]:
    """Import as the CLI does, recording how many rows the batch held at each hand-over."""
    held: list[int] = []
    store = open_store(db) if db.exists() else create_store(db)
    try:
        fmt, fill = reader(src, "auto", store.db)
        batch = Batch(fmt)

        def watched(b: Batch) -> None:
            original = b.flush

            def flush() -> None:
                held.append(sum(len(r) for r in b.rows.values()))
                original()

            b.flush = flush  # type: ignore[method-assign]
            fill(b)

        report = ImportReport(str(src), fmt, None, 0)
        apply(store, batch, report, fill=watched, **options)
        return report, held
    finally:
        store.close()


def test_rows_are_handed_on_in_chunks_and_all_land(tmp_path):
    n = 3 * CHUNK + 123
    report, held = streamed(sketch_csv(tmp_path / "s.csv", n), tmp_path / "p.db")
    assert report.written and report.added["events"] == n and report.seen == n
    assert count(tmp_path / "p.db") == n
    assert len(held) >= 6  # events and their links: many hand-overs, not one at the end
    assert max(held) <= CHUNK  # the batch never held more than a chunk
    again, _ = streamed(sketch_csv(tmp_path / "s.csv", n), tmp_path / "p.db")
    assert again.added["events"] == 0 and again.updated["events"] == n
    assert count(tmp_path / "p.db") == n


def test_a_bad_row_after_written_chunks_rolls_back_everything(tmp_path):
    db = tmp_path / "p.db"
    streamed(sketch_csv(tmp_path / "first.csv", 10), db)
    src = sketch_csv(tmp_path / "s.csv", 3 * CHUNK, bad_at=3 * CHUNK - 1)
    with pytest.raises(ImportRefused) as caught:
        streamed(src, db)
    assert [r.where for r in caught.value.report.rejected] == [f"line {3 * CHUNK + 1}"]
    assert count(db) == 10  # chunks already written were rolled back with the rest
    report, _ = streamed(src, db, skip_bad=True)
    assert report.added["events"] == 3 * CHUNK - 1 and count(db) == 10 + 3 * CHUNK - 1


def test_a_dry_run_counts_what_would_land_and_writes_nothing(tmp_path):
    db = tmp_path / "p.db"
    streamed(sketch_csv(tmp_path / "a.csv", 100), db)
    report, _ = streamed(sketch_csv(tmp_path / "b.csv", 150), db, dry_run=True)
    # b.csv has a different source (its file name), so all 150 are new
    assert report.dry_run and not report.written
    assert report.added["events"] == 150
    assert "150 would be added" in report.text() and "nothing was written" in report.text()
    assert count(db) == 100 and count(db, "sources") == 1


def test_a_title_row_after_many_events_still_names_the_source(tmp_path):
    src = tmp_path / "sheet.csv"
    lines = ["Year,Month,Day,Headline,Text,Type"]
    lines += [f"{1900 + i % 100},,,event {i},," for i in range(CHUNK + 10)]
    lines.append(",,,The sheet's own title,,title")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "p.db"
    report, held = streamed(src, db)
    assert report.added["events"] == CHUNK + 10 and len(held) >= 2
    with open_store(db, readonly=True) as store:
        titles = store.db.execute("SELECT title FROM sources").fetchall()
    assert titles == [("The sheet's own title",)]
    assert report.added["sources"] == 1


def test_a_preview_holds_only_its_first_rows_but_counts_all(tmp_path):
    src = sketch_csv(tmp_path / "s.csv", 1000)
    with create_store(tmp_path / "scratch.db") as store:
        batch = read(src, "auto", store.db, keep=50)
    assert len(batch.rows["events"]) == 50 and batch.count("events") == 1000
    assert [r["title"] for r in batch.rows["events"][:2]] == ["event number 0", "event number 1"]
    assert batch.seen == 1000


def test_own_json_export_streams_back_in(tmp_path):
    """The own format reads row by row into the same chunks (its rows are checked first)."""
    src = tmp_path / "own.json"
    events = [
        {"id": f"e{i}", "title": f"t{i}", "category": "other", "start": "2020-01-02",
         "precision": "day", "qualifier": "exact"}
        for i in range(CHUNK + 1)
    ]  # fmt: skip
    src.write_text(json.dumps({"format": "explorer-json", "format_version": 1, "events": events}))
    report, held = streamed(src, tmp_path / "p.db")
    assert report.added["events"] == CHUNK + 1 and len(held) == 2
