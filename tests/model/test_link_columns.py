"""The link index's columns read from a project in chunks (a counting sort of links that
come in any order) and the windows read from them a block at a time, against the simple
computation in Python, with events whose rowid order is not their start order, an entity
linked twice to one event in two roles, and a link to an entity that is not there."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from sqlite_utils import Database

from explorer.model import link_columns, link_index
from explorer.model.filters import Filters
from explorer.store import links

ROLES = ("host", "guest", "speaker")


def project(path: Path, n: int = 200, seed: int = 3) -> sqlite3.Connection:
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.executescript(
        """CREATE TABLE events (id TEXT PRIMARY KEY, category TEXT, t0 REAL, t1 REAL);
           CREATE TABLE entities (id TEXT PRIMARY KEY, kind TEXT);
           CREATE TABLE sources (id TEXT PRIMARY KEY);"""
    )
    links.create(Database(conn))  # the links by rowid, and the views that name them
    for i in range(n):  # inserted in an order unrelated to their starts; some share a start
        t0 = float(rng.randrange(0, 50) * 100)
        length = 10_000.0 if i % 37 == 0 else float(rng.randrange(1, 300))
        conn.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?)",
            (f"e{i}", rng.choice(["a", "b", "c"]), t0, t0 + length),
        )
    for k in range(12):
        conn.execute("INSERT INTO entities VALUES (?, ?)", (f"n{k}", ["person", "place"][k % 2]))
    for s in range(4):
        conn.execute("INSERT INTO sources VALUES (?)", (f"s{s}",))
    conn.executemany("INSERT INTO link_roles (name) VALUES (?)", [(r,) for r in ROLES])
    # event i, entity k and source s are rowids i + 1, k + 1 and s + 1
    for i in range(n):
        for k in rng.sample(range(13), rng.randrange(0, 4)):  # n12 is not an entity
            for role in rng.sample(ROLES, rng.choice([1, 1, 2])):  # some in two roles
                conn.execute(
                    "INSERT INTO event_entity_links VALUES (?, ?, ?)",
                    (i + 1, k + 1, ROLES.index(role) + 1),
                )
        for s in rng.sample(range(4), rng.randrange(0, 3)):
            conn.execute("INSERT INTO event_source_links VALUES (?, ?, '')", (i + 1, s + 1))
    conn.commit()
    return conn


def simple(conn: sqlite3.Connection, x0: float, x1: float, filters: Filters) -> dict[str, set[str]]:
    """Each window event that passes the filters, with its linked entities."""
    out: dict[str, set[str]] = {}
    for ev, cat, t0, t1 in conn.execute("SELECT id, category, t0, t1 FROM events"):
        if not (t0 < x1 and t1 > x0) or (filters.categories and cat not in filters.categories):
            continue
        linked = {
            r[0]: r[1]
            for r in conn.execute(
                """SELECT ee.entity_id, en.kind FROM event_entities ee
                   JOIN entities en ON en.id = ee.entity_id WHERE ee.event_id = ?""",
                (ev,),
            )
        }
        if filters.entities and not filters.entities & linked.keys():
            continue
        if filters.kinds and not filters.kinds & set(linked.values()):
            continue
        cited = {
            r[0]
            for r in conn.execute("SELECT source_id FROM event_sources WHERE event_id = ?", (ev,))
        }
        if filters.sources and not filters.sources & cited:
            continue
        out[ev] = set(linked)
    return out


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 16])
@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(categories=frozenset({"a"})),
        Filters(kinds=frozenset({"place"})),
        Filters(entities=frozenset({"n3", "n4"})),
        Filters(sources=frozenset({"s1"})),
    ],
)
@pytest.mark.parametrize("part", [5, 1 << 22])
def test_windows_read_a_block_at_a_time_count_what_python_counts(
    tmp_path, monkeypatch, chunk, filters, part
):
    """`part`: links put in place at a time from their file (a large project's)."""
    monkeypatch.setattr(link_columns, "CHUNK", chunk)
    monkeypatch.setattr(link_columns, "PART", part)
    conn = project(tmp_path / "p.db")
    db = Database(conn)
    for folder in (None, tmp_path / f"cols-{chunk}"):
        if folder is not None:
            folder.mkdir()
        index = link_index.load(db, folder)
        assert index.events == 200
        if folder is not None:  # the rows waiting to be put in place are gone
            assert not list(folder.glob("*spill*"))
        t0 = index.columns.whole("t0")
        assert (np.diff(t0) >= 0).all()
        for x0, x1 in [(0.0, 10_000.0), (2_000.0, 2_100.0), (4_950.0, 20_000.0), (-50.0, 0.0)]:
            window = index.window(x0, x1, filters)
            expected = simple(conn, x0, x1, filters)
            ids = dict(conn.execute("SELECT rowid, id FROM events").fetchall())
            got = [ids[r] for r in index.values("rowid", window).tolist()]
            assert sorted(got) == sorted(expected) and len(got) == len(set(got))
            counts = index.entity_counts(window)
            want = {
                e: sum(1 for linked in expected.values() if e in linked) for e in index.entity_ids
            }
            assert dict(zip(index.entity_ids, counts.tolist(), strict=True)) == want
            # one link per (event, entity), its first role in the table's key order
            every = np.arange(len(index.entity_ids))
            found = list(index.links_by_block(window, every))
            ev, ent, role = (
                (np.concatenate(c) for c in zip(*found, strict=True))
                if found
                else (np.zeros(0, np.int64),) * 3
            )
            assert len(set(zip(ev.tolist(), ent.tolist(), strict=True))) == ev.size
            assert ev.size == sum(len(v) for v in expected.values())
            firsts = dict(
                ((r[0], r[1]), r[2])
                for r in conn.execute(
                    "SELECT event_id, entity_id, min(role) FROM event_entities GROUP BY 1, 2"
                )
            )
            rowids = index.gather("rowid", ev).tolist()
            for r, e, k in zip(rowids, ent.tolist(), role.tolist(), strict=True):
                assert index.roles[k] == firsts[(ids[r], index.entity_ids[e])]
            linked = index.events_of(window, [0, 5])
            for e in (0, 5):
                name = index.entity_ids[e]
                assert sorted(
                    ids[r] for r in index.gather("rowid", linked[e][0]).tolist()
                ) == sorted(k for k, v in expected.items() if name in v)
                # a lifeline: its marks up to the limit, past it how many start in each bin
                edges = np.linspace(x0, x1, 5)
                for limit in (0, 3, 1000):
                    rows = index.lifelines(window, [0, 5], limit, edges)
                    for e in (0, 5):
                        events, _ = linked[e]
                        starts = np.maximum(index.gather("t0", events), x0)
                        if events.size <= limit:
                            assert np.array_equal(rows[e][0], events)
                        else:
                            assert np.array_equal(rows[e], np.histogram(starts, bins=edges)[0])
    conn.close()
