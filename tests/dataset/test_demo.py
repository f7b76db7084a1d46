"""The synthetic project: realistic shape, valid data, searchable."""

import collections
import json

import pytest

from explorer.dataset.demo import generate
from explorer.store import queries, search
from explorer.store.connection import open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "demo.db"
    stages = []
    figures = generate(out, 20_000, seed=3, progress=lambda s, f: stages.append((s, f)))
    return out, figures, stages


def test_counts_progress_and_integrity(demo):
    out, figures, stages = demo
    assert figures["events"] == 20_000 and figures["entities"] == 1000
    assert stages[-1] == ("done", 1.0) and [f for _, f in stages] == sorted(f for _, f in stages)
    with open_store(out, readonly=True) as store:
        db = store.db
        assert queries.counts(db)["events"] == 20_000
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("SELECT count(*) FROM events WHERE earliest > latest").fetchone()[0] == 0


def test_shape_is_realistic(demo):
    out, _, _ = demo
    with open_store(out, readonly=True) as store:
        db = store.db
        precisions = dict(db.execute("SELECT precision, count(*) FROM events GROUP BY 1"))
        assert set(precisions) == {"day", "month", "year"} and precisions["day"] > 10_000
        spans = db.execute('SELECT count(*) FROM events WHERE "end" IS NOT NULL').fetchone()[0]
        assert 500 < spans < 2000
        per_entity = [
            r[0]
            for r in db.execute(
                "SELECT count(*) FROM event_entities GROUP BY entity_id ORDER BY 1 DESC"
            )
        ]
        assert per_entity[0] > 20 * per_entity[len(per_entity) // 2]  # Zipf: a heavy head
        months = collections.Counter(
            r[0] for r in db.execute("SELECT substr(earliest, 1, 7) FROM events")
        )
        busiest = months.most_common(1)[0][1]
        assert busiest > 5 * (20_000 / len(months))  # bursts, not a flat spread
        langs = {r[0] for r in db.execute("SELECT DISTINCT lang FROM entity_aliases")}
        assert langs == {"ko", "en", "zh"}


def test_searchable_and_notes_bundle(demo):
    out, _, _ = demo
    with open_store(out, readonly=True) as store:
        hits = search.search(store.db, "출범", limit=10)
        assert hits.hits and hits.more
        name = store.db.execute("SELECT name FROM entities WHERE id = 'ent-000000'").fetchone()[0]
        assert ("entity", "ent-000000") in {
            (h.kind, h.ref_id) for h in search.search(store.db, name).hits
        }
    bundle = json.loads(out.with_suffix(".notes.json").read_text(encoding="utf-8"))
    assert bundle["format"] == "explorer-annotations" and len(bundle["notes"]) >= 5


def test_tables_built_on_the_second_core_equal_a_plain_rebuild(demo, tmp_path):
    """The R*Tree, the pyramid and the entity statistics are built by a worker into a side
    file and copied in; rebuilt in place, the plain way, they come out the same."""
    import shutil

    from explorer.store import overview

    out, _, _ = demo
    again = tmp_path / "again.db"
    shutil.copy(out, again)
    with open_store(again) as store, store.db.atomic():
        store.db.execute("DELETE FROM event_spans")
        overview.rebuild(store.db)
        overview.rebuild_stats(store.db)
    with open_store(out) as a, open_store(again, readonly=True) as b:
        for table in ("overview", "overview_lanes", "overview_facets", "entity_stats"):
            rows = sorted(a.db.execute(f"SELECT * FROM {table}"))
            assert rows == sorted(b.db.execute(f"SELECT * FROM {table}")), table
            assert rows or table == "overview_facets"  # none as common at this size
        assert a.db.execute("SELECT rtreecheck('event_spans')").fetchone()[0] == "ok"
        for window in ((11000, 11000), (12000, 12400), (0, 30000)):
            sql = "SELECT id FROM event_spans WHERE d1 >= ? AND d0 <= ? ORDER BY id"
            found = a.db.execute(sql, window).fetchall()
            assert found and found == b.db.execute(sql, window).fetchall()
        # the copied R*Tree takes changes like any other
        with a.db.atomic():
            a.db.execute("INSERT INTO event_spans VALUES (99999999, 30000, 30010)")
        assert a.db.execute("SELECT rtreecheck('event_spans')").fetchone()[0] == "ok"
        assert a.db.execute("SELECT id FROM event_spans WHERE d1 >= 30005 AND d0 <= 30005")
    assert not list(out.parent.glob("*.side*")) and not list(out.parent.glob("*.part*"))


def failing_build(db):  # run in the worker process (which imports it from here)
    raise RuntimeError("disk full")


@pytest.mark.parametrize("where", ["worker", "builder"])
def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch, where):
    from explorer.dataset import demo
    from explorer.store.errors import StoreError

    def broken(*args):
        raise RuntimeError("disk full")

    if where == "worker":  # the overview is built by another process
        monkeypatch.setattr(demo, "_overview", failing_build)
    else:
        monkeypatch.setattr(search, "rebuild_index", broken)
    out = tmp_path / "demo.db"
    with pytest.raises((StoreError, RuntimeError), match="disk full") as caught:
        generate(out, 2000, seed=1)
    assert (caught.type is StoreError) == (where == "worker")
    assert list(tmp_path.iterdir()) == []


def test_a_generated_project_is_known_sound_where_it_lands(tmp_path):
    """Written by Explorer itself: opened without a full check (no check state but 'known')."""
    from explorer.store import checked_files

    out = tmp_path / "small.db"
    generate(out, 500, seed=1)
    assert checked_files.known(out)
    with open_store(out, readonly=True, check="later") as store:
        assert store.check_state == "known"
