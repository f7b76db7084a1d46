"""A database Explorer did not write is checked in full (integrity_check) before use."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from explorer import paths
from explorer.store import checked_files
from explorer.store.connection import DamagedStore, open_store


def drop_index_entries(path: Path, index: str) -> None:
    """Rows added while the index was hidden: the index misses them. Every page still reads
    fine, so quick_check passes; only integrity_check compares indexes with their tables."""
    conn = sqlite3.connect(path)
    row = conn.execute(
        "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = ?", [index]
    ).fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("DELETE FROM sqlite_master WHERE name = ?", [index])
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE entity_aliases SET alias = alias || ' (x)' WHERE rowid % 2 = 0")
    conn.commit()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", row)
    conn.commit()
    conn.close()


def indexed(path: Path) -> str:
    conn = sqlite3.connect(path)
    name = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entity_aliases'"
        " AND sql IS NOT NULL"
    ).fetchone()[0]
    conn.close()
    return str(name)


def test_a_colleague_file_with_a_broken_index_is_refused(mini_db):
    drop_index_entries(mini_db, indexed(mini_db))
    conn = sqlite3.connect(mini_db)
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]  # not enough
    conn.close()
    with pytest.raises(DamagedStore, match=r"integrity_check reports .*missing from index"):
        open_store(mini_db, readonly=True)
    assert not checked_files.known(mini_db)


def test_the_full_check_runs_once_per_version_of_a_file(mini_db, monkeypatch):
    pragmas: list[str] = []
    real = checked_files.known
    monkeypatch.setattr(checked_files, "known", lambda p: pragmas.append(str(real(p))) or real(p))
    open_store(mini_db, readonly=True).close()
    open_store(mini_db, readonly=True).close()
    assert pragmas == ["False", "True"]  # a full check, then quick ones
    conn = sqlite3.connect(mini_db)  # changed by another program
    conn.execute("UPDATE events SET title = title || '!' WHERE rowid = 1")
    conn.commit()
    conn.close()
    open_store(mini_db, readonly=True).close()
    assert pragmas[-1] == "False"
    with open_store(mini_db) as store:  # Explorer's own writes are remembered on close
        store.db.execute("UPDATE events SET title = title || '?' WHERE rowid = 1")
        store.conn.commit()
    open_store(mini_db, readonly=True).close()
    assert pragmas[-1] == "True"


def test_an_unreadable_or_unwritable_ledger_only_means_checking_again(mini_db, tmp_path):
    ledger = paths.user_data_dir() / checked_files.LEDGER
    ledger.parent.mkdir(parents=True, exist_ok=True)
    ledger.write_text("{not json", encoding="utf-8")
    open_store(mini_db, readonly=True).close()
    assert checked_files.known(mini_db)  # rewritten whole
    ledger.unlink()
    ledger.mkdir()  # cannot be replaced by a file now
    open_store(mini_db, readonly=True).close()
    assert not checked_files.known(mini_db)
    assert [p.name for p in ledger.parent.iterdir()] == [ledger.name]  # no temp file left


def test_the_schema_is_not_trusted(mini_db):
    with open_store(mini_db, readonly=True) as store:
        assert store.db.execute("PRAGMA trusted_schema").fetchone()[0] == 0


def test_a_change_that_keeps_size_and_modification_time_is_seen(mini_db):
    """A one-byte change inside an index, with the modification time put back (as `touch -d`
    or a careful program would): the file is checked in full again (issue 18)."""
    open_store(mini_db, readonly=True).close()
    assert checked_files.known(mini_db)
    st = mini_db.stat()
    with mini_db.open("r+b") as f:
        f.seek(st.st_size - 100)
        byte = f.read(1)
        f.seek(st.st_size - 100)
        f.write(bytes([byte[0] ^ 1]))
    os.utime(mini_db, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = mini_db.stat()
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert not checked_files.known(mini_db)


def test_a_file_put_in_place_of_a_checked_one_is_checked(mini_db, tmp_path):
    """Another file renamed over a checked one, with the same size and modification time."""
    open_store(mini_db, readonly=True).close()
    other = tmp_path / "other.db"
    shutil.copyfile(mini_db, other)
    st = mini_db.stat()
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, mini_db)
    assert not checked_files.known(mini_db)
