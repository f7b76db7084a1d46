"""Notes in the work file: every change is a transaction with a new revision; failures to
write roll back whole and keep everything saved before."""

import sqlite3

import pytest

from explorer.store import notes
from explorer.store.connection import open_store
from explorer.store.errors import NotAnExplorerStore, NotFound, StoreError
from explorer.store.notes import ConcurrentEdit, SaveFailed, Target
from explorer.store.work_schema import WORK

EVENT = Target("event", "ev-alliance")


@pytest.fixture
def work(tmp_path):
    store = notes.open_work(tmp_path / "work" / "w.db")
    yield store
    store.close()


def test_add_get_list_with_tags(work):
    n = notes.add(work.db, EVENT, "첫 메모", author="kim", tags=["확인", " 확인 ", "todo"])
    assert n.tags == ("확인", "todo")
    assert notes.get(work.db, n.id) == n
    r = notes.add(work.db, Target("range", None, "2019-07-01", "2019-07-31"), "July", author="kim")
    assert [x.id for x in notes.list_notes(work.db)] == [n.id, r.id]
    assert [x.id for x in notes.list_notes(work.db, target=EVENT)] == [n.id]
    assert [x.id for x in notes.list_notes(work.db, tag="todo")] == [n.id]


def test_saved_notes_are_in_the_file_when_it_is_reopened(tmp_path):
    path = tmp_path / "w.db"
    store = notes.open_work(path)
    n = notes.add(store.db, EVENT, "durable", author="kim")
    # a second connection (another process would see the same) reads the committed note
    other = sqlite3.connect(path)
    assert other.execute("SELECT text FROM notes WHERE id = ?", [n.id]).fetchone() == ("durable",)
    other.close()
    store.close()
    with open_store(path, spec=WORK) as again:
        assert notes.get(again.db, n.id).text == "durable"
        assert again.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    "target",
    [
        ("person", "x", None, None),
        ("event", None, None, None),
        ("range", None, "2020", None),
        ("range", None, "2020-02-01", "2020-01-01"),
    ],
)
def test_bad_targets_are_refused(target):
    with pytest.raises(StoreError):
        Target(*target)


def test_edit_makes_a_new_revision_and_keeps_history(work):
    n = notes.add(work.db, EVENT, "v1", author="kim")
    e = notes.update(work.db, n.id, text="v2", tags=["x"])
    assert e.revision != n.revision and e.text == "v2" and e.tags == ("x",)
    assert e.created == n.created and e.updated >= n.updated
    assert notes.history(work.db, n.id) == [n.revision, e.revision]


def test_concurrent_edit_is_refused_not_overwritten(work):
    n = notes.add(work.db, EVENT, "v1", author="kim")
    notes.update(work.db, n.id, text="from window A", expected_revision=n.revision)
    with pytest.raises(ConcurrentEdit):
        notes.update(work.db, n.id, text="from window B", expected_revision=n.revision)
    assert notes.get(work.db, n.id).text == "from window A"


def test_delete_is_a_tombstone(work):
    n = notes.add(work.db, EVENT, "gone", author="kim")
    d = notes.delete(work.db, n.id)
    assert d.deleted and notes.list_notes(work.db) == []
    assert [x.id for x in notes.list_notes(work.db, include_deleted=True)] == [n.id]
    with pytest.raises(NotFound):
        notes.get(work.db, "nope")


def test_limits(work):
    with pytest.raises(StoreError, match="at most"):
        notes.add(work.db, EVENT, "x" * (notes.MAX_TEXT + 1), author="kim")
    with pytest.raises(StoreError, match="tag"):
        notes.add(work.db, EVENT, "x", author="kim", tags=["t" * 101])
    big = notes.add(work.db, EVENT, "가" * notes.MAX_TEXT, author="kim")
    assert len(notes.get(work.db, big.id).text) == notes.MAX_TEXT


def test_disk_full_rolls_back_keeps_earlier_notes_and_saves_once_there_is_room(work):
    kept = [notes.add(work.db, EVENT, f"note {i}", author="kim") for i in range(5)]
    pages = work.db.execute("PRAGMA page_count").fetchone()[0]
    work.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite reports SQLITE_FULL
    text = "긴 메모 " * 20000
    with pytest.raises(SaveFailed, match="disk is full"):
        notes.add(work.db, EVENT, text, author="kim")
    assert [n.id for n in notes.list_notes(work.db)] == [n.id for n in kept]
    assert work.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    work.db.execute("PRAGMA max_page_count = 1073741823")  # room again
    saved = notes.add(work.db, EVENT, text, author="kim")
    assert notes.get(work.db, saved.id).text == text


def test_io_error_rolls_back(work, monkeypatch):
    first = notes.add(work.db, EVENT, "before", author="kim")
    real = notes.write

    def failing(db, note, history=()):
        real(db, note, history)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(notes, "write", failing)
    with pytest.raises(SaveFailed, match="could not be written"):
        notes.update(work.db, first.id, text="after")
    monkeypatch.setattr(notes, "write", real)
    assert notes.get(work.db, first.id).text == "before"
    assert notes.history(work.db, first.id) == [first.revision]


def test_a_curated_database_is_not_a_work_file(mini_db):
    with pytest.raises(NotAnExplorerStore, match="not an Explorer work file"):
        notes.open_work(mini_db)


def test_a_work_file_from_the_first_release_upgrades_and_keeps_its_notes(tmp_path):
    """Work files made before own items existed (schema 1) are upgraded in place."""
    from sqlite_utils import Database

    from explorer.store import user_items
    from explorer.store.work_schema import WORK_APPLICATION_ID

    path = tmp_path / "old-work.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    db = Database(conn, execute_plugins=False)
    WORK.migrations.apply(db, stop_before=WORK.names()[1:])
    conn.execute(f"PRAGMA application_id = {WORK_APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    stamp, note_id, revision = notes.now(), notes.new_id(), notes.new_id()
    with conn:  # as release 1 wrote a note: no versions table yet
        conn.execute(
            "INSERT INTO notes (id, target_kind, target_id, text, format, author, created, "
            "updated, revision) VALUES (?, 'event', 'ev-alliance', ?, 'plain', 'kim', ?, ?, ?)",
            [note_id, "written with release 1", stamp, stamp, revision],
        )
        conn.execute("INSERT INTO note_history VALUES (?, ?)", [note_id, revision])
    conn.close()
    store = notes.open_work(path)
    assert store.upgraded_from == 1 and store.schema_version == WORK.version
    assert notes.get(store.db, note_id).text == "written with release 1"
    assert [v.text for v in notes.versions(store.db, note_id)] == ["written with release 1"]
    item = user_items.add(store.db, "entity", {"kind": "person", "name": "x"}, author="kim")
    assert user_items.get(store.db, item.id).data["name"] == "x"
    assert store.backup_path is not None and store.backup_path.exists()
    store.close()
