"""The links stored by integer keys (schema 12, store/links.py): the upgrade keeps every link
in its order, the views read as the tables did, writes name what is missing, and what the
foreign keys no longer see is still found."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from explorer.store import links, queries
from explorer.store.connection import create_store, open_store

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_the_upgrade_keeps_every_link_in_its_order_and_the_derived_tables(tmp_path):
    path = tmp_path / "v11.db"
    shutil.copyfile(FIXTURES / "schema-v11.db", path)
    with sqlite3.connect(path) as old:
        people = old.execute("SELECT * FROM event_entities ORDER BY rowid").fetchall()
        quotes = old.execute("SELECT * FROM event_sources ORDER BY rowid").fetchall()
        basis = old.execute("SELECT * FROM summary_basis ORDER BY rowid").fetchall()
        pyramid = old.execute("SELECT * FROM overview ORDER BY 1, 2, 3, 4").fetchall()
        facets = old.execute("SELECT * FROM overview_facets ORDER BY 1, 2, 3, 4, 5").fetchall()
        stats = old.execute("SELECT * FROM entity_stats ORDER BY 1").fetchall()
    assert people and quotes and basis and pyramid
    with open_store(path, backup_dir=tmp_path / "backups") as store:
        db = store.db
        assert store.upgraded_from == 11
        assert sorted(db.execute("SELECT * FROM event_entities").fetchall()) == sorted(people)
        assert sorted(db.execute("SELECT * FROM event_sources").fetchall()) == sorted(quotes)
        assert db.execute("SELECT * FROM summary_basis ORDER BY rowid").fetchall() == basis
        # an event's participants and quotes in the order the data gave them
        for event_id in {p[0] for p in people}:
            detail = queries.get_event(db, event_id)
            assert [(p.entity_id, p.role) for p in detail.participants] == [
                (p[1], p[2]) for p in people if p[0] == event_id
            ]
            assert [(e.source.id, e.quote) for e in detail.evidence] == [
                (q[1], q[2]) for q in quotes if q[0] == event_id
            ]
        # the derived tables, made from the same links, are as they were
        assert db.execute("SELECT * FROM overview ORDER BY 1, 2, 3, 4").fetchall() == pyramid
        assert db.execute("SELECT * FROM overview_facets ORDER BY 1, 2, 3, 4, 5").fetchall() == (
            facets
        )
        assert db.execute("SELECT * FROM entity_stats ORDER BY 1").fetchall() == stats
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert links.problems(db) == []
        kinds = dict(db.execute("SELECT name, type FROM sqlite_master WHERE name LIKE 'event_%s'"))
        assert kinds["event_entities"] == kinds["event_sources"] == "view"
        # the text ids are no longer stored with the links, and the file gave back their pages
        sizes = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
        assert "sqlite_autoindex_event_entities_1" not in sizes
        # a few pages freed in this small file: not worth a VACUUM
        assert db.execute("PRAGMA freelist_count").fetchone()[0] > 0


def test_an_upgrade_that_frees_a_share_of_the_file_gives_it_back(tmp_path, monkeypatch):
    from explorer.store import connection

    kept = tmp_path / "kept.db"
    shutil.copyfile(FIXTURES / "schema-v11.db", kept)
    with open_store(kept, backup_dir=tmp_path / "backups"):
        pass
    monkeypatch.setattr(connection, "COMPACT_SHARE", 0.01)  # the fixture frees about 5%
    path = tmp_path / "v11.db"
    shutil.copyfile(FIXTURES / "schema-v11.db", path)
    with open_store(path, backup_dir=tmp_path / "backups") as store:
        assert store.db.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert store.db.execute("SELECT count(*) FROM event_entities").fetchone()[0] > 0
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert path.stat().st_size < kept.stat().st_size


def small(path: Path):
    store = create_store(path)
    db = store.db
    db.execute("INSERT INTO sources (id, title, language) VALUES ('s1', 'S', 'ko')")
    for i in (1, 2):
        db.execute(
            "INSERT INTO entities (id, kind, name) VALUES (?, 'person', ?)", [f"n{i}", f"N{i}"]
        )
    db.execute(
        """INSERT INTO events (id, title, category, start, earliest, latest, precision, t0, t1)
           VALUES ('e1', 'E', 'visit', '2020-01-01', '2020-01-01', '2020-01-01', 'day', 0, 1)"""
    )
    return store


def test_links_are_written_in_order_once_and_a_missing_target_is_named(tmp_path):
    with small(tmp_path / "p.db") as store:
        db = store.db
        added = links.put_entities(db, [("e1", "n2", "host"), ("e1", "n1", "guest")])
        assert added == 2
        assert links.put_entities(db, [("e1", "n2", "host")]) == 0  # held already
        assert [(p.entity_id, p.role) for p in queries.get_event(db, "e1").participants] == [
            ("n2", "host"),
            ("n1", "guest"),
        ]
        with pytest.raises(links.MissingTarget, match="entity 'n9'"):
            links.put_entities(db, [("e1", "n1", "speaker"), ("e1", "n9", "host")])
        with pytest.raises(links.MissingTarget, match="event 'e9'"):
            links.put_sources(db, [("e9", "s1", "q")])
        # nothing of a refused call was stored, not even its good links or its new role
        assert db.execute("SELECT count(*) FROM event_entity_links").fetchone()[0] == 2
        assert "speaker" not in {r[0] for r in db.execute("SELECT name FROM link_roles")}
        assert links.put_sources(db, [("e1", "s1", "q")]) == 1
        assert db.execute("SELECT * FROM event_sources").fetchall() == [("e1", "s1", "q")]


def test_what_the_foreign_keys_cannot_see_is_reported(tmp_path):
    with small(tmp_path / "p.db") as store:
        db = store.db
        links.put_entities(db, [("e1", "n1", "host")])
        links.put_sources(db, [("e1", "s1", "q")])
        db.execute(
            """INSERT INTO summary_basis (event_id, n, sentence, k, source_id, quote)
               VALUES ('e1', 1, 'E.', 1, 's1', 'not a quote of e1')"""
        )
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("DELETE FROM entities WHERE id = 'n1'")  # by hand, in the shell
        found = links.problems(db)
        assert found[0].startswith("1 link(s) to an event, entity or source that is gone")
        assert found[1].startswith("1 summary sentence basis row(s) cite a quote")
        assert db.execute("SELECT count(*) FROM event_entities").fetchone()[0] == 0
