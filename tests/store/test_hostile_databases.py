"""A database marked as Explorer's is opened only if its schema is the one Explorer makes:
no view or virtual table in place of a table, no trigger, every table of its shape; nothing
but a regular file is ever opened; every read is bounded in time; text read for showing is
cut to a sane length. Each case ends in one clear error (or a quick open), never a hang."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from explorer.store import connection, notes, queries
from explorer.store.connection import open_store
from explorer.store.errors import NotAnExplorerStore

ENDLESS = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT {cols} FROM n"


def _rewrite(path: Path, *statements: str) -> None:
    """Change a file behind Explorer's back, keeping its marks (application id, version)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def _endless_view(path: Path, table: str) -> None:
    conn = sqlite3.connect(path)
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    conn.close()
    select = ", ".join(f"'x' AS [{c}]" if c != "t0" else "x AS t0" for c in cols)
    _rewrite(
        path,
        f"ALTER TABLE {table} RENAME TO {table}_old",
        f"CREATE VIEW {table} AS " + ENDLESS.format(cols=select),
    )


def _cli(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,  # a hang fails the test instead of blocking the suite
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.mark.parametrize("table", ["events", "entities"])
def test_a_table_replaced_by_an_endless_view_is_refused(mini_db, table):
    _endless_view(mini_db, table)
    with pytest.raises(NotAnExplorerStore, match=f"'{table}' is a view, not the table"):
        open_store(mini_db, readonly=True)


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "바이두"],
        ["show", "event", "ev-alliance"],
        ["check"],
        ["conflicts"],
        ["export", "--format", "json", "--out", "{tmp}/x.json"],
    ],
)
def test_every_command_refuses_an_endless_view_at_once(mini_db, tmp_path, argv):
    _endless_view(mini_db, "events")
    r = _cli(*[a.format(tmp=tmp_path) for a in argv], "--db", str(mini_db))
    assert r.returncode == 1
    assert "is a view, not the table" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_screenshot_refuses_an_endless_view_at_once(mini_db, tmp_path):
    _endless_view(mini_db, "events")
    r = _cli("screenshot", str(tmp_path / "s.png"), "--db", str(mini_db))
    assert r.returncode == 1 and "is a view" in r.stderr and "Traceback" not in r.stderr


def test_a_trigger_is_refused_in_a_project_and_in_a_work_file(mini_db, tmp_path):
    _rewrite(
        mini_db,
        "CREATE TRIGGER t AFTER INSERT ON events BEGIN DELETE FROM events; END",
    )
    with pytest.raises(NotAnExplorerStore, match="trigger"):
        open_store(mini_db)
    work = tmp_path / "w.db"
    notes.open_work(work).close()
    _rewrite(
        work,
        "CREATE TRIGGER tamper AFTER INSERT ON notes BEGIN "
        "UPDATE notes SET text = 'TAMPERED' WHERE id = new.id; END",
    )
    with pytest.raises(NotAnExplorerStore, match="trigger"):
        notes.open_work(work)


@pytest.mark.parametrize(
    ("statements", "words"),
    [
        (
            [
                "ALTER TABLE sources RENAME TO sources_old",
                "CREATE VIRTUAL TABLE sources USING fts5(id, title, publisher, author, "
                "published, url, language, seed_file, note)",
            ],
            "shape",
        ),
        (["ALTER TABLE events DROP COLUMN date_note"], "shape"),
        (["DROP INDEX events_t0"], "no index 'events_t0'"),
        (["DROP VIEW claim_conflicts", "CREATE VIEW claim_conflicts AS SELECT 1"], "shape"),
    ],
)
def test_a_table_index_or_view_of_another_shape_is_refused(mini_db, statements, words):
    before = mini_db.read_bytes()
    _rewrite(mini_db, *statements)
    changed = mini_db.read_bytes()
    with pytest.raises(NotAnExplorerStore, match=words):
        open_store(mini_db)
    assert mini_db.read_bytes() == changed != before  # refused files are left untouched


def test_a_researchers_own_views_tables_and_indexes_are_allowed(mini_db):
    _rewrite(
        mini_db,
        "CREATE VIEW my_2024 AS SELECT id, title FROM events WHERE start LIKE '2024%'",
        "CREATE TABLE my_notes (x TEXT)",
        "CREATE INDEX my_title ON events(title)",
    )
    with open_store(mini_db, readonly=True) as store:
        assert queries.counts(store.db)["events"] > 0


def test_a_work_file_may_hold_nothing_but_explorers_own(tmp_path):
    work = tmp_path / "w.db"
    notes.open_work(work).close()
    _rewrite(work, "CREATE VIEW extra AS SELECT 1")
    with pytest.raises(NotAnExplorerStore, match="does not make"):
        notes.open_work(work)


def _open_in_thread(path: Path) -> BaseException | None:
    result: list[BaseException | None] = []

    def run() -> None:
        try:
            open_store(path, readonly=True).close()
            result.append(None)
        except BaseException as exc:
            result.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "opening blocked"
    return result[0]


def test_a_fifo_named_db_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "project.db"
    os.mkfifo(fifo)
    exc = _open_in_thread(fifo)
    assert isinstance(exc, NotAnExplorerStore) and "named pipe" in str(exc)
    r = _cli("search", "x", "--db", str(fifo), timeout=30)
    assert r.returncode == 1 and "named pipe" in r.stderr


def test_a_fifo_beside_the_database_is_refused_without_blocking(mini_db):
    os.mkfifo(f"{mini_db}-wal")
    exc = _open_in_thread(mini_db)
    assert isinstance(exc, NotAnExplorerStore) and "named pipe" in str(exc)


def test_a_statement_that_runs_too_long_is_stopped(mini_db, monkeypatch):
    monkeypatch.setattr(connection, "STATEMENT_SECONDS", 0.2)
    endless = ENDLESS.format(cols="x") + " LIMIT -1"
    with open_store(mini_db, readonly=True) as store:
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            store.db.execute(f"SELECT count(*) FROM ({endless})").fetchone()
        # a later statement has its own time, and a whole-file check none at all
        assert store.db.execute("SELECT count(*) FROM events").fetchone()[0] > 0
        with store.unbounded():
            finite = ENDLESS.format(cols="x") + " LIMIT 3000000"
            assert store.db.execute(f"SELECT count(*) FROM ({finite})").fetchone()[0] == 3000000


def test_a_huge_title_is_cut_for_showing_and_the_screenshot_stays_quick(mini_db, tmp_path):
    """A 50 MB title made `explorer screenshot` run for over a minute (every paint measured
    and elided the whole text)."""
    huge = "가" * 5_000_000
    _rewrite(mini_db, f"UPDATE events SET title = '{huge}' WHERE id = 'ev-alliance'")
    with open_store(mini_db, readonly=True) as store:
        ev = next(e for e in queries.list_events(store.db) if e.id == "ev-alliance")
        assert len(ev.title) == queries.MAX_LABEL and ev.title.endswith("…")
        assert queries.get_event(store.db, "ev-alliance").event.title == ev.title
    r = _cli("screenshot", str(tmp_path / "s.png"), "--db", str(mini_db), timeout=60)
    assert r.returncode == 0, r.stderr
