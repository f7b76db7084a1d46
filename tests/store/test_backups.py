import pytest

from explorer.store import backups, notes
from explorer.store.errors import NotAnExplorerStore, StoreError
from explorer.store.notes import Target

EVENT = Target("event", "ev-alliance")


@pytest.fixture
def work(tmp_path):
    store = notes.open_work(tmp_path / "work" / "w.db")
    yield store
    store.close()


def test_rolling_backups_keep_the_newest(work):
    made = []
    for i in range(5):
        notes.add(work.db, EVENT, f"n{i}", author="kim")
        made.append(backups.make_backup(work, keep=3))
    kept = backups.list_backups(work.path)
    assert kept == made[-3:]
    assert all(p.parent.name == "backups" for p in kept)


def test_restore_brings_back_a_backup_and_can_be_undone(work):
    first = notes.add(work.db, EVENT, "before", author="kim")
    b = backups.make_backup(work)
    notes.update(work.db, first.id, text="after")
    notes.add(work.db, EVENT, "another", author="kim")
    safety = backups.restore_backup(work, b)
    assert [n.text for n in notes.list_notes(work.db)] == ["before"]
    backups.restore_backup(work, safety)
    assert sorted(n.text for n in notes.list_notes(work.db)) == ["after", "another"]
    assert work.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_a_foreign_or_damaged_file(work, tmp_path, mini_db):
    notes.add(work.db, EVENT, "mine", author="kim")
    with pytest.raises(NotAnExplorerStore):
        backups.restore_backup(work, mini_db)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(StoreError):
        backups.restore_backup(work, junk)
    assert [n.text for n in notes.list_notes(work.db)] == ["mine"]


def test_a_backup_carrying_a_trigger_is_not_restored(tmp_path):
    """A restored backup with a trigger stored every later note as 'TAMPERED'."""
    import sqlite3

    from explorer.store.errors import NotAnExplorerStore

    work = notes.open_work(tmp_path / "w.db")
    notes.add(work.db, Target("event", "ev-x"), "mine", author="kim")
    bad = backups.make_backup(work)
    conn = sqlite3.connect(bad)
    conn.execute(
        "CREATE TRIGGER t AFTER INSERT ON notes BEGIN "
        "UPDATE notes SET text = 'TAMPERED' WHERE id = new.id; END"
    )
    conn.commit()
    conn.close()
    with pytest.raises(NotAnExplorerStore, match="trigger"):
        backups.restore_backup(work, bad)
    assert [n.text for n in notes.list_notes(work.db)] == ["mine"]
    work.close()


def test_a_backup_that_cannot_be_written_leaves_no_partial_file(tmp_path):
    """On a full disk a failed backup left a 0-byte .partial. The disk is filled here by a
    file-size limit in a child process (writes past it fail as on a full disk)."""
    import subprocess
    import sys

    path = tmp_path / "work" / "w.db"
    work = notes.open_work(path)
    for i in range(40):
        notes.add(work.db, EVENT, f"{i} " + "가나다라" * 2000, author="kim")
    work.close()
    code = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from explorer.store import backups, notes\n"
        "from explorer.store.errors import StoreError\n"
        "store = notes.open_work(Path(sys.argv[1]))\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))\n"
        "try:\n"
        "    backups.make_backup(store)\n"
        "except StoreError as exc:\n"
        "    print('refused:', exc)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )
    assert "refused: the backup could not be written" in r.stdout, r.stderr
    assert list(backups.folder_for(path).iterdir()) == []
