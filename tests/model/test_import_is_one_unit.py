"""An import lands whole or not at all, across the project and its work file: notes that
cannot be stored refuse the whole import before anything is written; the notes travel in
the project's own transaction and are delivered into the work file after, at the latest
when the project is next opened; a new project appears only complete."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from explorer import paths
from explorer.exchange.export import export_json
from explorer.exchange.imports.apply import ImportRefused
from explorer.model import imported_notes
from explorer.model.annotations import store_key
from explorer.model.importing import run_import
from explorer.store import merge, notes
from explorer.store.connection import open_store
from explorer.store.errors import StoreError
from explorer.store.notes import Target


@pytest.fixture
def export_with_notes(mini_db, tmp_path):
    work = notes.open_work(tmp_path / "src-work.db")
    for i in range(3):
        notes.add(work.db, Target("event", "ev-alliance"), f"note {i}", author="kim")
    out = tmp_path / "export.json"
    with open_store(mini_db, readonly=True) as store:
        export_json(store.db, out, work=work.db)
    work.close()
    return out


@pytest.fixture
def project(export_with_notes, tmp_path):
    """A project of one's own with the export's rows (and, in its work file, its notes)."""
    path = tmp_path / "mine.db"
    run_import(export_with_notes, path)
    return path


def _events(path: Path) -> int:
    with open_store(path, readonly=True) as store:
        return int(store.db.execute("SELECT count(*) FROM events").fetchone()[0])


def _work_notes(path: Path) -> int:
    with open_store(path, readonly=True) as store:
        work = paths.work_file(store_key(store))
    if not work.exists():
        return 0
    with notes.open_work(work) as w:
        return len(notes.list_notes(w.db, include_deleted=True))


def _bigger_export(export: Path, tmp_path: Path, note_text: str) -> Path:
    data = json.loads(export.read_text("utf-8"))
    for i in range(20):
        ev = dict(data["events"][0], id=f"ev-more-{i}", title=f"more {i}")
        data["events"].append(ev)
    data["notes"][0]["text"] = note_text
    data["notes"][0]["id"] = "00000000-0000-4000-8000-000000000001"
    out = tmp_path / "bigger.json"
    out.write_text(json.dumps(data), "utf-8")  # a lone surrogate is written as \ud800
    return out


def test_a_note_that_cannot_be_stored_refuses_the_whole_import(
    project, export_with_notes, tmp_path
):
    """As reported: rows committed (14 -> 34 events), then the notes step died."""
    before_events, before_notes = _events(project), _work_notes(project)
    bad = _bigger_export(export_with_notes, tmp_path, "half \ud800 a pair")
    with pytest.raises(ImportRefused) as caught:
        run_import(bad, project)
    assert any(
        r.where.startswith("notes") and ("surrogate" in r.reason or "Unicode" in r.reason)
        for r in caught.value.report.rejected
    )
    assert (_events(project), _work_notes(project)) == (before_events, before_notes)
    r = subprocess.run(
        [sys.executable, "-m", "explorer", "import", str(bad), "--db", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert (_events(project), _work_notes(project)) == (before_events, before_notes)


def test_notes_wait_in_the_project_until_they_are_delivered(
    project, export_with_notes, tmp_path, monkeypatch
):
    good = _bigger_export(export_with_notes, tmp_path, "a new note")
    real = merge.merge

    def failing(*a, **k):
        raise StoreError("the disk is full")

    with monkeypatch.context() as m:
        m.setattr(merge, "merge", failing)
        with pytest.raises(StoreError, match="wait in it"):
            run_import(good, project)
    assert _events(project) > 4  # the rows landed, with the notes as a parcel beside them
    with open_store(project, readonly=True) as store:
        assert imported_notes.waiting(store) is not None
    assert _work_notes(project) == 3
    assert merge.merge is real
    with open_store(project, readonly=True) as store:  # the next open delivers them
        imported_notes.deliver(store)
    assert _work_notes(project) == 4
    with open_store(project) as store:
        imported_notes.deliver(store)  # again: nothing changes; a writable open clears it
        assert imported_notes.waiting(store) is None
    assert _work_notes(project) == 4


def test_the_window_delivers_waiting_notes_when_it_opens_the_project(
    project, export_with_notes, tmp_path, monkeypatch, qtbot
):
    from explorer.model.session import Session
    from explorer.ui.main_window import MainWindow

    good = _bigger_export(export_with_notes, tmp_path, "a new note")
    with monkeypatch.context() as m:
        m.setattr(merge, "merge", lambda *a, **k: (_ for _ in ()).throw(StoreError("x")))
        with pytest.raises(StoreError):
            run_import(good, project)
    assert _work_notes(project) == 3
    session = Session.open(project)
    window = MainWindow(session, None, lang="en")
    qtbot.addWidget(window)
    assert len(window.ws.annotations.list_notes()) == 4
    window.close()
    session.close()


def test_a_refused_import_into_a_new_path_leaves_nothing(export_with_notes, tmp_path):
    bad = _bigger_export(export_with_notes, tmp_path, "\udc00")
    target = tmp_path / "projects" / "new.db"
    with pytest.raises(ImportRefused):
        run_import(bad, target)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # the folder it needed, and nothing in it


def test_a_dry_run_into_a_new_path_leaves_nothing(export_with_notes, tmp_path):
    target = tmp_path / "new.db"
    report = run_import(export_with_notes, target, dry_run=True)
    assert report.dry_run and not report.written and not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert any("would be merged" in w for w in report.warnings)


def test_a_path_that_cannot_be_made_is_a_sentence(export_with_notes, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot be made") as caught:
        run_import(export_with_notes, blocker / "sub" / "new.db")
    assert "Errno" not in str(caught.value)


@pytest.mark.slow
def test_imports_killed_at_random_moments_are_never_half_done(tmp_path, monkeypatch):
    """A short run of bench/crash_imports.py (make bench runs it 200 times)."""
    bench = Path(__file__).resolve().parents[2] / "bench" / "crash_imports.py"
    spec = importlib.util.spec_from_file_location("crash_imports", bench)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_imports"] = module
    spec.loader.exec_module(module)
    monkeypatch.setenv("EXPLORER_HOME", str(tmp_path / "home"))
    r = module.run(kills=10, seed=3, folder=tmp_path)
    assert r.kills == 10 and r.between == 0 and r.notes_split == 0
    assert r.integrity_failures == 0 and r.leftovers == []
