"""Opening a store safely: every kind of bad file gets a clear StoreError and is not changed."""

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from explorer.store import connection
from explorer.store.connection import create_store, open_store
from explorer.store.errors import (
    DamagedStore,
    MigrationFailed,
    NewerSchema,
    NotAnExplorerStore,
    StoreError,
    StoreNotFound,
)
from explorer.store.schema import APPLICATION_ID, SCHEMA_VERSION, migrations

FIXTURES = Path(__file__).parents[1] / "fixtures"
NAMES = [m.name for m in migrations._migrations]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("version", [3, 4, 5, 6, 7, 8, 9, 10, 11])
def test_every_released_schema_opens_upgrades_and_searches(tmp_path, version):
    """A small database of each released schema is kept in tests/fixtures/."""
    from explorer.store import search

    path = tmp_path / f"v{version}.db"
    shutil.copyfile(FIXTURES / f"schema-v{version}.db", path)
    with open_store(path, backup_dir=tmp_path / "backups") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.upgraded_from == (version if version < SCHEMA_VERSION else None)
        assert store.db.execute("SELECT count(*) FROM events").fetchone()[0] == 4
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        hits = search.search(store.db, "바이두").hits
        assert ("entity", "ent-baidu") in {(h.kind, h.ref_id) for h in hits}
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("version", [3, 6])
def test_upgrade_to_instants_keeps_every_link_and_places_every_event(tmp_path, version):
    """0007 rebuilds the events table: its links must not cascade away, rowids (which the
    span index uses) are kept, and t0/t1 say what earliest/latest said."""
    from explorer.store import dates

    path = tmp_path / f"v{version}.db"
    shutil.copyfile(FIXTURES / f"schema-v{version}.db", path)
    with sqlite3.connect(path) as old:
        links = old.execute("SELECT * FROM event_entities ORDER BY 1, 2, 3").fetchall()
        quotes = old.execute("SELECT * FROM event_sources ORDER BY 1, 2, 3").fetchall()
        rowids = old.execute("SELECT rowid, id FROM events ORDER BY id").fetchall()
    assert links and quotes
    with open_store(path, backup_dir=tmp_path / "backups") as store:
        db = store.db
        assert db.execute("SELECT * FROM event_entities ORDER BY 1, 2, 3").fetchall() == links
        assert db.execute("SELECT * FROM event_sources ORDER BY 1, 2, 3").fetchall() == quotes
        assert db.execute("SELECT rowid, id FROM events ORDER BY id").fetchall() == rowids
        for start, end, precision, t0, t1 in db.execute(
            'SELECT start, "end", precision, t0, t1 FROM events'
        ):
            b = dates.bounds(start, end, precision)
            assert (t0, t1) == (b.t0, b.t1)
        spans = db.execute("SELECT count(*) FROM event_spans").fetchone()[0]
        assert spans == len(rowids)


def test_new_store_is_marked_and_uses_wal(tmp_path):
    with create_store(tmp_path / "new.db") as store:
        db = store.db
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert [m.name for m in migrations.applied(db)] == NAMES


def test_create_refuses_an_existing_file(tmp_path):
    path = tmp_path / "x.db"
    path.write_bytes(b"precious")
    with pytest.raises(StoreError, match="already exists"):
        create_store(path)
    assert path.read_bytes() == b"precious"


def _foreign_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def _empty_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda p: None, StoreNotFound, "no database"),
        (lambda p: p.mkdir(), NotAnExplorerStore, "is a directory"),
        (lambda p: p.write_bytes(b""), NotAnExplorerStore, "empty file"),
        (lambda p: p.write_text("id,name\n1,x\n"), NotAnExplorerStore, "not an SQLite database"),
        (_foreign_db, NotAnExplorerStore, "another program"),
        (_empty_sqlite, NotAnExplorerStore, "empty SQLite database"),
    ],
)
def test_bad_files_are_refused_and_left_alone(tmp_path, make, error, words):
    path = tmp_path / "store.db"
    make(path)
    before = sha(path) if path.is_file() else None
    with pytest.raises(error, match=words):
        open_store(path)
    if before is not None:
        assert sha(path) == before


def test_truncated_database_is_reported_as_damaged(mini_db):
    data = mini_db.read_bytes()
    mini_db.write_bytes(data[: len(data) // 3])
    with pytest.raises(DamagedStore):
        open_store(mini_db)


def test_corrupted_pages_are_reported_as_damaged(mini_db):
    data = bytearray(mini_db.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), page):  # keep the header page, wreck the rest
        data[offset + 8 : offset + 200] = os.urandom(192)
    mini_db.write_bytes(bytes(data))
    with pytest.raises(DamagedStore):
        open_store(mini_db)


def test_newer_schema_is_refused_with_both_versions_and_not_modified(mini_db):
    conn = sqlite3.connect(mini_db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = sha(mini_db)
    with pytest.raises(NewerSchema) as err:
        open_store(mini_db)
    assert str(SCHEMA_VERSION + 5) in str(err.value) and str(SCHEMA_VERSION) in str(err.value)
    assert sha(mini_db) == before


def _older_store(path: Path, version: int) -> None:
    """A database as an older release (with `version` migrations) would have left it."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    db = Database(conn, execute_plugins=False)
    migrations.apply(db, stop_before=NAMES[version:])
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_older_schema_is_backed_up_then_upgraded(tmp_path):
    path = tmp_path / "old.db"
    _older_store(path, 1)
    with open_store(path, backup_dir=tmp_path / "backups") as store:
        assert store.upgraded_from == 1 and store.schema_version == SCHEMA_VERSION
        assert [m.name for m in migrations.applied(store.db)] == NAMES
        backup = store.backup_path
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as b:
        assert b.execute("PRAGMA user_version").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("start", "fail_after"),
    [(v, name) for v in range(1, SCHEMA_VERSION) for name in NAMES[v:]],
)
def test_failed_upgrade_leaves_the_file_exactly_as_it_was(tmp_path, monkeypatch, start, fail_after):
    path = tmp_path / "old.db"
    _older_store(path, start)
    before = sha(path)

    def explode(step: str) -> None:
        if step == fail_after:
            raise RuntimeError(f"injected failure after {step}")

    monkeypatch.setattr(connection, "after_migration_step", explode)
    with pytest.raises(MigrationFailed, match="rolled back"):
        open_store(path, backup_dir=tmp_path / "backups")
    assert sha(path) == before
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == start
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


@pytest.mark.parametrize("fail_after", NAMES)
def test_failed_creation_leaves_no_file(tmp_path, monkeypatch, fail_after):
    def explode(step: str) -> None:
        if step == fail_after:
            raise RuntimeError("injected")

    monkeypatch.setattr(connection, "after_migration_step", explode)
    with pytest.raises(MigrationFailed):
        create_store(tmp_path / "new.db")
    assert list(tmp_path.iterdir()) == []


def test_read_only_media_opens_read_only(mini_db, monkeypatch):
    # As root, file modes do not stop writes, so the read-only decision is simulated.
    monkeypatch.setattr(connection, "_writable", lambda p: False)
    before = sha(mini_db)
    with open_store(mini_db) as store:
        assert store.readonly
        assert store.db.execute("SELECT count(*) FROM events").fetchone()[0] == 4
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("DELETE FROM events")
    assert sha(mini_db) == before


def test_read_only_wal_database_falls_back_to_immutable(tmp_path, monkeypatch):
    path = tmp_path / "wal.db"
    create_store(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    calls = []
    real_connect = sqlite3.connect

    def connect(database, *a, **kw):
        calls.append(database)
        if "immutable=1" not in str(database):
            # What a WAL file on read-only media does: it cannot create its -shm file.
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *a, **kw)

    monkeypatch.setattr(connection.sqlite3, "connect", connect)
    conn2, readonly, copy = connection._connect(path, readonly=True)
    assert readonly and copy is None and "immutable=1" in calls[-1]
    assert conn2.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn2.close()


def test_a_process_killed_while_creating_a_store_leaves_no_half_made_file(tmp_path):
    """Killed after the schema is written but before the file is in place: the path stays
    free, so the next start creates the work file afresh instead of refusing it forever."""
    import signal
    import subprocess
    import sys

    path = tmp_path / "work.db"
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from explorer.store import connection, notes\n"
        "real = connection.migrate\n"
        "def dying(*a, **k):\n"
        "    real(*a, **k)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "connection.migrate = dying\n"
        "notes.open_work(Path(sys.argv[1]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert not path.exists()
    from explorer.store import notes

    with notes.open_work(path) as store:
        assert store.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_upgrade_to_statements_keeps_places_and_marks_estimates(tmp_path):
    """0009 adds columns and tables only: the version-8 location survives, old events are
    dated (not undated, not open-ended) and an 'estimate' figure becomes a forecast."""
    path = tmp_path / "v8.db"
    shutil.copyfile(FIXTURES / "schema-v8.db", path)
    with sqlite3.connect(path) as old:
        places = old.execute("SELECT * FROM locations").fetchall()
        events = old.execute("SELECT rowid, id FROM events ORDER BY id").fetchall()
        old.execute("UPDATE claims SET qualifier = 'estimate' WHERE rowid = 1")
    assert places
    with open_store(path, backup_dir=tmp_path / "backups") as store:
        db = store.db
        kept = "SELECT entity_id, lat, lon, source, note FROM locations"
        assert db.execute(kept).fetchall() == places
        assert db.execute("SELECT rowid, id FROM events ORDER BY id").fetchall() == events
        assert db.execute(
            "SELECT count(*) FROM events WHERE undated = 0 AND last_vouched IS NULL"
        ).fetchone()[0] == len(events)
        assert db.execute("SELECT basis FROM claims WHERE rowid = 1").fetchone()[0] == "forecast"
        assert (
            db.execute(
                "SELECT count(*) FROM claims WHERE rowid <> 1 AND basis = 'stated'"
            ).fetchone()[0]
            == db.execute("SELECT count(*) - 1 FROM claims").fetchone()[0]
        )
        for table in ("statements", "entity_mentions", "curator_notes", "summary_basis"):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_upgrade_to_facet_counts_fills_them_and_drops_the_unused_index(tmp_path, monkeypatch):
    """0010: the facet counts are filled for values common enough (here: any, the fixture
    holds four events) and the index on events(t1) is gone."""
    from explorer.store import overview

    monkeypatch.setattr(overview, "FACET_MIN_EVENTS", 1)
    path = tmp_path / "v9.db"
    shutil.copyfile(FIXTURES / "schema-v9.db", path)
    with sqlite3.connect(path) as old:
        categories = {r[0] for r in old.execute("SELECT category FROM events")}
        assert old.execute("SELECT 1 FROM sqlite_master WHERE name = 'events_t1'").fetchone()
    with open_store(path, backup_dir=tmp_path / "backups") as store:
        db = store.db
        assert store.upgraded_from == 9
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'events_t1'").fetchone()
        held = {
            r[0] for r in db.execute("SELECT value FROM overview_facets WHERE facet = 'categories'")
        }
        assert held == categories
        per_grouping = db.execute(
            "SELECT grouping, sum(count) FROM overview_facets WHERE facet = 'categories'"
            " AND level = 7 GROUP BY 1"
        ).fetchall()
        assert dict(per_grouping)["category"] == 4


def test_upgrade_to_approximate_locations_keeps_every_point_exact(tmp_path):
    """0011: the points a version-10 project holds stay where they were, marked exact (they
    were read as the places' own points), and a point can then be marked approximate: the
    point of a place that contains it."""
    path = tmp_path / "v10.db"
    shutil.copyfile(FIXTURES / "schema-v10.db", path)
    with sqlite3.connect(path) as old:
        points = old.execute("SELECT entity_id, lat, lon, source, note FROM locations").fetchall()
    assert points
    with open_store(path, backup_dir=tmp_path / "backups") as store:
        db = store.db
        assert store.upgraded_from == 10
        assert db.execute(
            "SELECT entity_id, lat, lon, source, note FROM locations ORDER BY entity_id"
        ).fetchall() == sorted(points)
        assert db.execute("SELECT DISTINCT approximate, within_id FROM locations").fetchall() == [
            (0, None)
        ]
        place = points[0][0]
        db.execute("INSERT INTO entities (id, kind, name) VALUES ('ent-x', 'place', 'x')")
        db.execute(
            "INSERT INTO locations VALUES ('ent-x', 1, 2, 'geonames:1', 'its point', 1, ?)",
            [place],
        )
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("UPDATE locations SET approximate = 2 WHERE entity_id = 'ent-x'")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("UPDATE locations SET within_id = 'ent-nowhere' WHERE entity_id = 'ent-x'")
