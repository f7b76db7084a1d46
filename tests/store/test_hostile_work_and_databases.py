"""The hostile corpus's notes files and databases (tests/fixtures/hostile/
work_and_databases.py) through the commands a user runs: each ends in an answer or in one
clear line, within a time bound; a refused notes file leaves the work file as it was; no
database is ever changed by being looked at."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.store import notes
from explorer.store.notes import Target
from tests.hang import alarm

from ..conftest import FIXTURES

_spec = importlib.util.spec_from_file_location(
    "hostile_work", FIXTURES / "hostile" / "work_and_databases.py"
)
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
sys.modules["hostile_work"] = hostile
_spec.loader.exec_module(hostile)

NOTE_NAMES = [*(f"notes-{n}.json" for n in hostile.NOTE_MUTATIONS), "notes-nested-deep.json",
              "notes-truncated.json", "notes-not-json.json", "notes-utf16.json",
              "notes-empty.json", "notes-bad-utf8.json"]  # fmt: skip
DB_NAMES = [*(f"db-{n}.db" for n in hostile.DATABASE_MUTATIONS), "db-empty.db",
            "db-not-sqlite.db", "db-a-folder.db", "db-a-fifo.db"]  # fmt: skip

WORK_NAMES = [*(f"work-{n}.db" for n in hostile.WORK_MUTATIONS), "work-empty.db",
              "work-not-sqlite.db", "work-a-fifo.db"]  # fmt: skip


def _clean_end(code: int, out: str, err: str) -> None:
    assert "Traceback" not in err and "Traceback" not in out
    assert code in (0, 1), (code, err)
    errors = [line for line in err.splitlines() if line.startswith("explorer: error:")]
    if code == 1 and errors:
        assert len(errors) == 1 and len(errors[0]) < 600, err


@pytest.fixture(scope="module")
def valid_notes(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("notes")
    work = notes.open_work(folder / "w.db")
    notes.add(work.db, Target("range", None, "2021-02-01", "2021-02-03"), "r", author="kim")
    notes.add(work.db, Target("event", "ev-alliance"), "e", author="kim", tags=["a"])
    from explorer.exchange.notes_file import export_notes_file

    export_notes_file(work.db, folder / "n.json", author="kim")
    work.close()
    return json.loads((folder / "n.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def note_files(tmp_path_factory, valid_notes) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-notes")
    found = {}
    for name, data in hostile.notes_cases(valid_notes):
        (folder / name).write_bytes(data)
        found[name] = folder / name
    return found


def _dump(path: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(path)
    text = "\n".join(conn.iterdump())
    conn.close()
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@pytest.mark.parametrize("name", NOTE_NAMES)
def test_a_hostile_notes_file_ends_cleanly(note_files, mini_db, tmp_path, capsys, name):
    work = tmp_path / "mine.db"
    store = notes.open_work(work)
    notes.add(store.db, Target("event", "ev-alliance"), "mine", author="me")
    store.close()
    before = _dump(work)
    with alarm(60):
        code = main(["notes", "import", str(note_files[name]), "--db", str(mini_db),
                     "--work", str(work)])  # fmt: skip
    out, err = capsys.readouterr()
    _clean_end(code, out, err)
    if code == 1:
        assert _dump(work) == before  # refused whole: nothing merged


@pytest.fixture(scope="module")
def databases(tmp_path_factory, mini_template) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-databases")
    return {p.name: p for p in hostile.database_cases(mini_template, folder)}


def _fingerprint(path: Path) -> str:
    if not path.is_file():
        return path.name
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", DB_NAMES)
def test_a_hostile_database_is_refused_or_read_and_never_changed(databases, capsys, name):
    path = databases[name]
    before = _fingerprint(path)
    out_file = str(path.with_suffix(".out.json"))
    export = ["export", "--format", "json", "--out", out_file, "--db", str(path), "--force"]
    for argv in (
        ["check", "--db", str(path)],
        ["search", "바이두", "--db", str(path)],
        ["show", "event", "ev-alliance", "--db", str(path)],
        export,
    ):
        with alarm(60):
            code = main(argv)
        out, err = capsys.readouterr()
        _clean_end(code, out, err)
    assert _fingerprint(path) == before


@pytest.fixture(scope="module")
def work_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-work")
    base = notes.open_work(folder / "base.db")
    notes.add(base.db, Target("range", None, "2021-02-01", "2021-02-03"), "r", author="kim")
    notes.add(base.db, Target("event", "ev-alliance"), "e", author="kim", tags=["a"])
    from explorer.store import user_items

    user_items.add(base.db, "event", {"title": "mine", "category": "media",
                   "start": "2021-02-01"}, author="kim")  # fmt: skip
    base.close()
    return {p.name: p for p in hostile.work_cases(folder / "base.db", folder)}


@pytest.mark.parametrize("name", WORK_NAMES)
def test_a_hostile_work_file_is_refused_or_read_and_never_changed_by_reading(
    work_files, mini_db, tmp_path, capsys, name
):
    path = work_files[name]
    # A crashed writer's journal is rolled back in place, as SQLite means it to be: what must
    # not change there is what was committed, not the bytes.
    crashed = name == "work-crashed-writer.db"
    seen = _dump if crashed else _fingerprint
    before = _dump(path.parent / "base.db") if crashed else _fingerprint(path)
    work = ["--work", str(path), "--db", str(mini_db)]
    for argv in (
        ["notes", "list", *work],
        ["notes", "conflicts", *work],
        ["notes", "export", "--out", str(tmp_path / "n.json"), *work],
        ["export", "--format", "json", "--out", str(tmp_path / "p.json"), "--db", str(mini_db)],
    ):
        with alarm(60):
            code = main(argv)
        out, err = capsys.readouterr()
        _clean_end(code, out, err)
    assert seen(path) == before
    with alarm(60):
        code = main(["notes", "add", "--event", "ev-alliance", "--text", "new", *work])
    out, err = capsys.readouterr()
    _clean_end(code, out, err)
    if code == 1:
        assert seen(path) == before  # refused: nothing written
    else:
        with alarm(60):
            assert main(["notes", "list", "--json", *work]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert "new" in [n["text"] for n in listed]  # the note went in as written
        assert "TAMPERED" not in str(listed)
