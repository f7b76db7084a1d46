"""Opening reads nothing but the header and the schema; a file not known to be sound is checked
afterwards, in the background (store.integrity), and is read-only until it has passed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from explorer.store import checked_files, search
from explorer.store.connection import open_store
from explorer.store.errors import DamagedStore
from explorer.store.integrity import IntegrityCheck
from tests.store.test_checked_files import drop_index_entries, indexed

PROC_IO = Path("/proc/self/io")
PADDING_MB = 48


def bytes_read() -> int:
    """Bytes this process has read through system calls so far (page cache hits count too,
    so the figure does not depend on what the disk cache holds)."""
    for line in PROC_IO.read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


@pytest.fixture
def big_db(mini_db: Path) -> Path:
    """The mini project with 48 MB of a researcher's own table added (allowed in a project):
    a file that takes reading to check."""
    conn = sqlite3.connect(mini_db)
    conn.execute("CREATE TABLE my_padding (x BLOB)")
    conn.executemany(
        "INSERT INTO my_padding VALUES (?)", [(os.urandom(64 * 1024),) for _ in range(16 * 48)]
    )
    conn.commit()
    conn.close()
    assert mini_db.stat().st_size > PADDING_MB * 2**20
    return mini_db


def opened_and_searched(path: Path, check: str) -> int:
    """Bytes read to open `path` and answer a search."""
    before = bytes_read()
    with open_store(path, readonly=True, check=check) as store:
        assert search.search(store.db, "바이두").hits
    return bytes_read() - before


@pytest.mark.skipif(not PROC_IO.exists(), reason="needs Linux's per-process I/O accounting")
def test_opening_and_a_first_search_read_a_bounded_part_of_the_file(big_db, mini_template):
    opened_and_searched(mini_template, "now")  # modules and caches are loaded by now
    size = big_db.stat().st_size
    later = opened_and_searched(big_db, "later")  # a file never seen: checked afterwards
    assert later < 2 * 2**20, later
    full = opened_and_searched(big_db, "now")  # the full check before the first answer
    assert full > size, (full, size)  # the measure does see a read of the whole file
    known = opened_and_searched(big_db, "now")  # recorded as checked: not read again
    assert checked_files.known(big_db)
    assert known < 2 * 2**20, known


def test_the_integrity_check_does_not_run_when_opening_later(mini_db, monkeypatch):
    """Platform-independent: a file that only the full check refuses opens and answers with
    check="later" (so that check has not run), and is refused with check="now"."""
    drop_index_entries(mini_db, indexed(mini_db))  # what only integrity_check finds
    with open_store(mini_db, readonly=True, check="later") as store:
        assert store.awaiting_check and store.check_state == "pending"
        assert search.search(store.db, "바이두").hits  # answers at once
    with pytest.raises(DamagedStore, match="missing from index"):
        open_store(mini_db, readonly=True, check="now")


def test_a_background_check_finds_what_the_full_check_finds(mini_db):
    drop_index_entries(mini_db, indexed(mini_db))
    with open_store(mini_db, check="later") as store:
        outcome = IntegrityCheck(store.path).run()
        assert not outcome.ok and not outcome.cancelled
        assert any("missing from index" in p for p in outcome.problems)
        error = outcome.error()
        assert isinstance(error, DamagedStore) and str(error).startswith(f"{mini_db} is damaged")
        assert not store.check_passed(outcome)
        assert store.awaiting_check  # stays read-only
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("DELETE FROM events")
    assert not checked_files.known(mini_db)


def test_a_file_is_read_only_until_its_check_has_passed(mini_db):
    fractions: list[float] = []
    with open_store(mini_db, check="later") as store:
        assert not store.readonly and not store.writable
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("UPDATE events SET title = 'x' WHERE rowid = 1")
        outcome = IntegrityCheck(store.path, lambda f, _what: fractions.append(f)).run()
        assert outcome.ok and not outcome.changed and outcome.seconds > 0
        assert checked_files.known(mini_db)
        assert store.check_passed(outcome) and store.writable
        store.db.execute("UPDATE events SET title = title || '!' WHERE rowid = 1")
        store.conn.commit()
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert checked_files.known(mini_db)  # Explorer's own write, remembered on close
    with open_store(mini_db, check="later") as again:
        assert again.check_state == "known" and again.writable


def test_skip_reads_without_a_check_and_never_writes(mini_db):
    with open_store(mini_db, check="skip") as store:
        assert store.check_state == "skipped" and store.awaiting_check
        assert store.db.execute("SELECT count(*) FROM events").fetchone()[0] == 4
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("DELETE FROM events")
    assert not checked_files.known(mini_db)


def test_a_file_that_needs_an_upgrade_is_checked_before_it(tmp_path):
    fixture = Path(__file__).parents[1] / "fixtures" / "schema-v8.db"
    path = tmp_path / "v8.db"
    shutil.copyfile(fixture, path)
    with open_store(path, check="later", backup_dir=tmp_path / "b") as store:
        assert store.upgraded_from == 8 and store.check_state == "checked" and store.writable


def test_cancelled_at_once_or_midway(big_db):
    check = IntegrityCheck(big_db)
    check.cancel()
    assert check.run().cancelled
    seen: list[str] = []

    def stop_at_second_table(_f: float, what: str) -> None:
        seen.append(what)
        if len(seen) == 2:
            threading.Thread(target=check2.cancel).start()

    check2 = IntegrityCheck(big_db, stop_at_second_table)
    outcome = check2.run()
    assert outcome.cancelled and not outcome.ok and not outcome.problems
    assert "done" not in seen
    assert not checked_files.known(big_db)


def test_a_file_changed_while_it_was_checked_is_not_recorded(mini_db):
    def write_meanwhile(_f: float, what: str) -> None:
        if what == "events":
            conn = sqlite3.connect(mini_db)
            conn.execute("UPDATE events SET title = title || '!' WHERE rowid = 1")
            conn.commit()
            conn.close()

    with open_store(mini_db, readonly=True, check="later") as store:
        outcome = IntegrityCheck(mini_db, write_meanwhile).run()
        assert outcome.changed
        assert not store.check_passed(outcome) and store.awaiting_check
    assert not checked_files.known(mini_db)


def test_a_file_that_is_gone_or_garbage_is_reported_not_raised(tmp_path):
    outcome = IntegrityCheck(tmp_path / "nothing.db").run()
    assert not outcome.ok and outcome.unreadable
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    outcome = IntegrityCheck(junk).run()
    assert not outcome.ok and (outcome.unreadable or outcome.problems)
    assert outcome.message()


def test_a_store_explorer_made_is_known_at_every_open(tmp_path):
    """The empty log SQLite makes beside a WAL file at its first read does not make the file
    look changed (it did: every writable open of Explorer's own project was checked in full)."""
    from explorer.store.connection import create_store

    path = tmp_path / "new.db"
    with create_store(path) as store:
        assert store.check_state == "known" and store.writable
        store.db.execute("INSERT INTO meta VALUES ('k', 'v')")
        store.conn.commit()
    for readonly in (False, True, False):
        with open_store(path, readonly=readonly, check="later") as again:
            assert again.check_state == "known"


def test_a_known_file_is_upgraded_without_a_check_before(tmp_path):
    """The upgrade itself is checked before it commits (connection._verify): a file known to
    be sound is not also read whole before it."""
    fixture = Path(__file__).parents[1] / "fixtures" / "schema-v9.db"
    path = tmp_path / "v9.db"
    shutil.copyfile(fixture, path)
    checked_files.remember(path)
    with open_store(path, check="later", backup_dir=tmp_path / "b") as store:
        assert store.upgraded_from == 9 and store.check_state == "known" and store.writable
    assert checked_files.known(path)


def test_a_file_awaiting_its_check_is_read_through_temporary_tables(mini_db):
    """A view's events are read by rowid through a temporary table; a read-only connection
    to a file not yet checked refused it (query_only), and the window drew nothing."""
    from explorer.model.viewport import Viewport, ViewRequest
    from explorer.store import queries

    for check in ("later", "skip"):
        with open_store(mini_db, readonly=True, check=check) as store:
            assert store.awaiting_check
            rowids = [r[0] for r in store.db.execute("SELECT rowid FROM events")]
            assert len(queries.events_by_rowid(store.db, rowids, 99)) == len(rowids) > 0
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                store.db.execute("DELETE FROM events")
        viewport = Viewport.open(str(mini_db), check=check)
        try:
            result = viewport.compute(ViewRequest(1, -1e10, 4e9, "category", 800))
            assert result.rows is not None and len(result.events) > 0
        finally:
            viewport.close()
