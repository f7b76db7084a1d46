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
