"""A file a crashed writer left behind is never read past its journal or log: a read-only
open recovers it into a copy (the uncommitted write undone, the committed log applied) and
says so; the original is left exactly as it is."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.store import connection
from explorer.store.connection import open_store

CRASH = """
import os, signal, sqlite3, sys
path, mode = sys.argv[1], sys.argv[2]
c = sqlite3.connect(path, isolation_level=None)
c.execute(f"PRAGMA journal_mode={mode}")
c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("PRAGMA cache_size=1")  # dirty pages reach the file before the commit
if mode == "wal":
    c.execute("UPDATE events SET title = 'COMMITTED ' || title")  # in the log only
c.execute("BEGIN")
c.execute("UPDATE events SET title = 'UNCOMMITTED ' || title")
c.execute("UPDATE entities SET description = hex(randomblob(3000))")
os.kill(os.getpid(), signal.SIGKILL)
"""


def _crash(path: Path, mode: str) -> None:
    r = subprocess.run([sys.executable, "-c", CRASH, str(path), mode], timeout=60)
    assert r.returncode == -signal.SIGKILL


def _digest(path: Path) -> list[str]:
    return [
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.glob(path.name + "*"))
    ]


def _read_only_folder(monkeypatch) -> None:
    """As root, modes do not stop writes; what a read-only folder does is simulated: no
    connection to the original may write (mode=ro), and -shm cannot be made."""
    monkeypatch.setattr(connection, "_writable", lambda p: False)


def test_a_hot_journal_is_rolled_back_in_a_copy_and_the_file_left_alone(mini_db, monkeypatch):
    _crash(mini_db, "delete")
    assert Path(f"{mini_db}-journal").stat().st_size > 0
    before = _digest(mini_db)
    _read_only_folder(monkeypatch)
    with open_store(mini_db) as store:
        titles = [r[0] for r in store.db.execute("SELECT title FROM events")]
        assert titles and not any(t.startswith("UNCOMMITTED") for t in titles)
        assert store.warning is not None and "did not finish" in store.warning
        copy = store.recovered
        assert copy is not None and copy.exists()
    assert not copy.exists()  # the copy goes with the store
    assert _digest(mini_db) == before  # the original, journal and all, as it was


def test_a_write_ahead_log_in_a_read_only_folder_is_applied_in_a_copy(mini_db, monkeypatch):
    _crash(mini_db, "wal")
    assert Path(f"{mini_db}-wal").stat().st_size > 0
    before = _digest(mini_db)
    real = sqlite3.connect

    def no_shm(database, *a, **kw):  # a reader of the original cannot make its -shm
        text = str(database)
        if str(mini_db) in text and "mode=ro" in text and "immutable" not in text:
            raise sqlite3.OperationalError("unable to open database file")
        return real(database, *a, **kw)

    monkeypatch.setattr(connection.sqlite3, "connect", no_shm)
    _read_only_folder(monkeypatch)
    with open_store(mini_db) as store:
        titles = [r[0] for r in store.db.execute("SELECT title FROM events")]
        assert titles and all(t.startswith("COMMITTED") for t in titles)  # the log's commit
        assert store.warning is not None
    assert _digest(mini_db) == before


def test_a_writable_file_with_a_hot_journal_is_rolled_back_in_place(mini_db):
    _crash(mini_db, "delete")
    with open_store(mini_db) as store:
        titles = [r[0] for r in store.db.execute("SELECT title FROM events")]
        assert not any(t.startswith("UNCOMMITTED") for t in titles)
        assert store.warning is None
    assert not Path(f"{mini_db}-journal").exists() or not any(
        Path(f"{mini_db}-journal").read_bytes()[:28]
    )


def test_check_says_so_instead_of_ok_or_damaged(mini_db, monkeypatch, capsys):
    from explorer.cli import main

    _crash(mini_db, "delete")
    _read_only_folder(monkeypatch)
    assert main(["check", "--db", str(mini_db)]) == 0
    captured = capsys.readouterr()
    assert "did not finish" in captured.err and "integrity: ok" in captured.out


def test_a_file_too_large_to_copy_is_refused_with_what_to_do(mini_db, monkeypatch):
    from explorer.store import recovery
    from explorer.store.errors import StoreError

    _crash(mini_db, "delete")
    _read_only_folder(monkeypatch)
    monkeypatch.setattr(recovery, "MAX_COPY", 1000)
    with pytest.raises(StoreError, match="open it once where it can be written"):
        open_store(mini_db)
