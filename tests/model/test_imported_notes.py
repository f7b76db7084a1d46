"""Notes and own items travel in Explorer's own JSON and CSV exports, and merge back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from explorer import paths
from explorer.cli import main
from explorer.exchange.export import dump, export_csv, export_json
from explorer.exchange.imports.apply import ImportReport
from explorer.model.annotations import store_key
from explorer.model.importing import run_import
from explorer.store import notes, user_items
from explorer.store.connection import open_store
from explorer.store.notes import Target

from ..conftest import BUNDLED_DB

EVENT = {
    "title": "베이징 AI 펀드 발표", "category": "investment", "start": "2024-03",
    "precision": "month", "qualifier": "circa", "date_text": "3월 무렵",
    "entities": [{"entity": "ent-beijing", "role": "announcer"}],
}  # fmt: skip


def annotate(work) -> None:
    """Notes of every shape: tags, edits (history), a tombstone, a range, formula-like text."""
    db = work.db
    first = notes.add(db, Target("event", "ev-2019-08-29-shanghai-ai-alliance"), "첫 메모",
                      author="kim", tags=["검토", "alliance"])  # fmt: skip
    notes.update(db, first.id, text="첫 메모, 고침", tags=["검토"])
    gone = notes.add(db, Target("entity", "ent-shanghai"), "지울 메모", author="kim")
    notes.update(db, gone.id, deleted=True)
    notes.add(db, Target("range", None, "2023-01-01", "2023-12-31"), "=SUM(A1:A3)", author="lee")
    notes.add(db, Target("event", "ev-unknown"), "'quoted, \"and\"\nmultiline", author="lee",
              fmt="markdown")  # fmt: skip
    source = user_items.add(db, "source", {"title": "기사", "url": "https://example.org/a"},
                            author="kim")  # fmt: skip
    event = user_items.add(
        db, "event", {**EVENT, "sources": [{"source": source.id, "quote": "-인용"}]}, author="kim"
    )
    user_items.update(db, event.id, data={**event.data, "title": "고친 제목"})


def import_own(src: Path, project: Path) -> ImportReport:
    """As `explorer import` and File > Import do: the one import use case."""
    return run_import(src, project)


def work_of(project: Path):
    with open_store(project, readonly=True) as store:
        return notes.open_work(paths.work_file(store_key(store)))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_notes_and_items_round_trip_exactly(tmp_path, fmt):
    work = notes.open_work(tmp_path / "work.db")
    annotate(work)
    export = export_json if fmt == "json" else export_csv
    out = tmp_path / ("x.json" if fmt == "json" else "x")
    with open_store(BUNDLED_DB, readonly=True) as store:
        original = dump(store.db)
        export(store.db, out, work=work.db)
    work.close()

    copy = tmp_path / "copy.db"
    report = import_own(out, copy)
    assert not report.rejected
    assert report.annotations == {"added": 6, "updated": 0, "unchanged": 0, "conflicts": 0}
    assert "notes and own items: 6 added" in report.text()
    again = tmp_path / ("y.json" if fmt == "json" else "y")
    with open_store(copy, readonly=True) as store:
        assert dump(store.db) == original
        copied = work_of(copy)
        export(store.db, again, work=copied.db)
        assert len(notes.list_notes(copied.db, include_deleted=True)) == 4
        copied.close()
    if fmt == "json":
        assert json.loads(again.read_text("utf-8")) == json.loads(out.read_text("utf-8"))
    else:
        names = sorted(p.name for p in out.iterdir())
        assert "notes.csv" in names and "items.csv" in names
        assert names == sorted(p.name for p in again.iterdir())
        for name in names:
            assert (again / name).read_bytes() == (out / name).read_bytes(), name
        assert "'=SUM(A1:A3)" in (out / "notes.csv").read_text("utf-8-sig")

    twice = import_own(out, copy)  # nothing is duplicated
    assert twice.annotations == {"added": 0, "updated": 0, "unchanged": 6, "conflicts": 0}


def test_history_and_tombstones_survive(tmp_path):
    work = notes.open_work(tmp_path / "work.db")
    annotate(work)
    edited = next(n for n in notes.list_notes(work.db) if n.text == "첫 메모, 고침")
    history = notes.history(work.db, edited.id)
    with open_store(BUNDLED_DB, readonly=True) as store:
        export_csv(store.db, tmp_path / "x", work=work.db)
    work.close()
    import_own(tmp_path / "x", tmp_path / "copy.db")
    copied = work_of(tmp_path / "copy.db")
    got = notes.get(copied.db, edited.id)
    assert got.tags == ("검토",) and got.revision == edited.revision
    assert notes.history(copied.db, edited.id) == history and len(history) == 2
    dead = [n for n in notes.list_notes(copied.db, include_deleted=True) if n.deleted]
    assert [n.text for n in dead] == ["지울 메모"]
    own = user_items.list_items(copied.db)
    assert sorted(i.kind for i in own) == ["event", "source"]
    assert next(i for i in own if i.kind == "event").data["title"] == "고친 제목"
    copied.close()


def test_bad_notes_are_rejected_with_where_and_nothing_lands(tmp_path):
    work = notes.open_work(tmp_path / "work.db")
    annotate(work)
    with open_store(BUNDLED_DB, readonly=True) as store:
        export_csv(store.db, tmp_path / "x", work=work.db)
    work.close()
    path = tmp_path / "x" / "notes.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    bad_row = next(i for i, r in enumerate(table) if "지울 메모" in r)
    table[bad_row][table[0].index("format")] = "html"  # a format notes do not have
    line = 1 + sum(1 + "".join(r).count("\n") for r in table[:bad_row])  # where it begins
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)
    from explorer.exchange.imports.apply import ImportRefused

    with pytest.raises(ImportRefused) as caught:
        import_own(tmp_path / "x", tmp_path / "copy.db")
    [bad] = caught.value.report.rejected
    assert bad.where == f"notes.csv line {line}" and "format" in bad.reason
    assert not (tmp_path / "copy.db").exists()  # a refused import leaves no empty project
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_export_carries_the_work_file_and_import_reports_it(tmp_path, capsys):
    project = tmp_path / "mine.db"  # a project of one's own, with notes in its work file
    with open_store(BUNDLED_DB, readonly=True) as store:
        export_json(store.db, tmp_path / "base.json")
    assert main(["import", str(tmp_path / "base.json"), "--db", str(project)]) == 0
    work = work_of(project)
    annotate(work)
    work.close()
    capsys.readouterr()
    out = tmp_path / "with-notes.json"
    assert main(["export", "--format", "json", "--db", str(project), "--out", str(out)]) == 0
    doc = json.loads(out.read_text("utf-8"))
    assert len(doc["notes"]) == 4 and len(doc["items"]) == 2
    capsys.readouterr()
    assert main(["import", str(out), "--db", str(tmp_path / "other.db")]) == 0
    printed = capsys.readouterr().out
    assert "notes and own items: 6 added, 0 updated, 0 unchanged" in printed


def test_a_csv_export_with_cells_over_the_csv_modules_limit_round_trips(tmp_path):
    """The csv module refuses a field over 131,072 characters unless told otherwise: a note
    may hold a million, and an imported event's text is not bounded that low either."""
    limit = csv.field_size_limit()
    src = tmp_path / "long.json"
    text = "긴 설명 " + "y" * 300_000
    src.write_text(json.dumps({"events": [
        {"unique_id": "a", "start_date": {"year": 2001}, "text": {"headline": "h", "text": text}}
    ]}))  # fmt: skip
    project = tmp_path / "p.db"
    import_own(src, project)
    work = notes.open_work(tmp_path / "work.db")
    long_note = "메모 " + "x" * (notes.MAX_TEXT - 3)
    notes.add(work.db, Target("event", "a"), long_note, author="kim", tags=["long"])
    out = tmp_path / "x"
    with open_store(project, readonly=True) as store:
        original = dump(store.db)
        export_csv(store.db, out, work=work.db)
    work.close()
    for name in ("events.csv", "notes.csv"):
        with (out / name).open(encoding="utf-8-sig") as f:
            assert max(len(line) for line in f) > limit, name

    report = import_own(out, tmp_path / "copy.db")
    assert not report.rejected and report.annotations["added"] == 1
    with open_store(tmp_path / "copy.db", readonly=True) as store:
        assert dump(store.db) == original
        copied = work_of(tmp_path / "copy.db")
        [note] = notes.list_notes(copied.db)
        copied.close()
    assert note.text == long_note and text in str(original)
    assert csv.field_size_limit() == limit  # raised only while the export was read
