"""The density pyramid's counts are the true counts, at every level, for every grouping;
the R*Tree finds exactly the events that overlap a window."""

import datetime as dt
import random

import pytest

from explorer.dataset.demo import generate
from explorer.store import overview
from explorer.store.connection import open_store

EPOCH = dt.date(1970, 1, 1)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    out = tmp_path_factory.mktemp("ov") / "demo.db"
    generate(out, 5000, seed=11)
    store = open_store(out, readonly=True)
    yield store.db
    store.close()


def day(iso):
    return (dt.date.fromisoformat(iso) - EPOCH).days


def true_counts(db, grouping, d0, d1):
    """Events by lane whose earliest day is in [d0, d1], computed the slow obvious way."""
    lane_of = {}
    for ev, lane in db.execute(overview.LANE_SQL[grouping]):
        lane_of.setdefault(ev, []).append(lane)
    ranked = [lane for lane, _ in overview.lanes(db, grouping)]
    counts = {}
    for rowid, earliest in db.execute("SELECT rowid, earliest FROM events"):
        if d0 <= day(earliest) <= d1:
            for lane in lane_of.get(rowid, [overview.NO_LANE]):
                shown = lane if lane in ranked else overview.OTHER
                counts[shown] = counts.get(shown, 0) + 1
    return counts


@pytest.mark.parametrize("grouping", overview.GROUPINGS)
@pytest.mark.parametrize("max_bins", [5, 60, 2000, 20000])
def test_density_counts_are_exact(db, grouping, max_bins):
    rng = random.Random(max_bins)
    for _ in range(3):
        a = rng.randint(day("1990-01-01"), day("2025-06-01"))
        b = a + rng.choice([30, 400, 5000, 20000])
        d = overview.density(db, grouping, a, b, max_bins)
        # the bins cover whole bins around the window: compare over exactly those days
        lo = d.first_bin * d.bin_days
        hi = (d.first_bin + len(d.counts[0]) if d.counts else d.first_bin) * d.bin_days - 1
        want = true_counts(db, grouping, lo, hi)
        got = {lane: sum(c) for lane, c in zip(d.lanes, d.counts, strict=True) if sum(c)}
        assert got == want, (grouping, max_bins, a, b)
        assert len(d.counts[0]) <= max_bins + 2 or d.bin_days == 4 ** (overview.LEVELS - 1)


def test_lanes_are_capped_with_the_rest_in_other(tmp_path):
    out = tmp_path / "many-sources.db"
    generate(out, 20_000, seed=2)  # 40 sources: more lanes than the cap
    store = open_store(out, readonly=True)
    db = store.db
    lanes = overview.lanes(db, "source")
    assert len(lanes) <= overview.LANE_CAP + 2
    assert overview.OTHER in [lane for lane, _ in lanes]
    total = db.execute("SELECT count(DISTINCT event_id || source_id) FROM event_sources")
    assert sum(n for _, n in lanes) == total.fetchone()[0]
    d = overview.density(db, "source", 0, 30000, 100)
    assert d.total() == total_events(db) and d.lanes[-1] == overview.OTHER
    store.close()


def total_events(db):
    return db.execute("SELECT count(*) FROM event_sources").fetchone()[0]


def test_rtree_finds_exactly_the_overlapping_events(db):
    rng = random.Random(5)
    for _ in range(20):
        a = rng.randint(day("1990-01-01"), day("2025-06-01"))
        b = a + rng.choice([0, 3, 40, 900])
        got = set(overview.overlapping(db, a, b, 10**9))
        want = {
            r
            for r, e, last in db.execute("SELECT rowid, earliest, latest FROM events")
            if day(e) <= b and day(last) >= a
        }
        assert got == want


def test_entity_stats_are_true_counts(db):
    got = dict(db.execute("SELECT entity_id, events FROM entity_stats"))
    want = dict(
        db.execute("SELECT entity_id, count(DISTINCT event_id) FROM event_entities GROUP BY 1")
    )
    assert {k: v for k, v in got.items() if v} == want


def test_large_and_small_entities_list_the_same_first_events(db, monkeypatch):
    from explorer.store import queries

    top = db.execute("SELECT entity_id FROM entity_stats ORDER BY events DESC LIMIT 1").fetchone()[
        0
    ]
    walked = queries.get_entity(db, top, event_limit=50)
    assert walked.event_total > 50 and len(walked.events) == 50
    monkeypatch.setattr(queries, "HEAVY_ENTITY", 10**9)  # force the gather-and-sort path
    sorted_ = queries.get_entity(db, top, event_limit=50)
    assert [e.event.earliest for e in walked.events] == [e.event.earliest for e in sorted_.events]
    assert (
        walked.events[0].event.earliest
        == db.execute(
            "SELECT min(ev.earliest) FROM events ev JOIN event_entities ee ON ee.event_id = ev.id"
            " WHERE ee.entity_id = ?",
            [top],
        ).fetchone()[0]
    )
    assert walked.companions and walked.companions_from == min(walked.event_total, 2000)


def test_the_event_total_and_extent_from_the_pyramid_are_exact(db):
    assert overview.event_total(db) == db.execute("SELECT count(*) FROM events").fetchone()[0]
    first, last = db.execute("SELECT min(earliest), max(earliest) FROM events").fetchone()
    assert overview.extent(db) == (day(first), day(last))


def test_an_empty_project_has_no_events_and_no_extent(tmp_path):
    from explorer.store.connection import create_store

    with create_store(tmp_path / "empty.db") as store:
        assert overview.event_total(store.db) == 0
        assert overview.extent(store.db) is None
