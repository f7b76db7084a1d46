"""Filtered density at scale: exact counts, whatever the filters and grouping."""

import datetime as dt
from pathlib import Path

import pytest

from explorer.dataset.demo import generate
from explorer.model.filters import Filters
from explorer.model.viewport import Viewport, ViewRequest, filtered_density, sql_filters
from explorer.store import overview
from explorer.store.connection import open_store

EPOCH = dt.date(1970, 1, 1)


def day(iso):
    return (dt.date.fromisoformat(iso) - EPOCH).days


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    out = tmp_path_factory.mktemp("vp") / "demo.db"
    generate(out, 6000, seed=21)
    return out


@pytest.fixture(scope="module")
def db(project):
    store = open_store(project, readonly=True)
    yield store.db
    store.close()


def passing(db, f):
    """(rowid, id, earliest, latest) of every event passing `f`, the slow obvious way
    (written out here, not taken from the code under test)."""
    links, kinds, sources = {}, {}, {}
    for ev, ent, kind in db.execute(
        "SELECT ee.event_id, ee.entity_id, e.kind FROM event_entities ee "
        "JOIN entities e ON e.id = ee.entity_id"
    ):
        links.setdefault(ev, set()).add(ent)
        kinds.setdefault(ev, set()).add(kind)
    for ev, src in db.execute("SELECT event_id, source_id FROM event_sources"):
        sources.setdefault(ev, set()).add(src)
    out = []
    for rowid, ev_id, cat, earliest, latest in db.execute(
        "SELECT rowid, id, category, earliest, latest FROM events"
    ):
        if f.categories and cat not in f.categories:
            continue
        if (f.date_from and latest < f.date_from) or (f.date_to and earliest > f.date_to):
            continue
        if f.entities and not links.get(ev_id, set()) & f.entities:
            continue
        if f.kinds and not kinds.get(ev_id, set()) & f.kinds:
            continue
        if f.sources and not sources.get(ev_id, set()) & f.sources:
            continue
        out.append((rowid, ev_id, earliest, latest))
    return out


def brute(db, grouping, filters, d0, d1):
    """Per-lane counts of matching events starting in [d0, d1]."""
    lane_of = {}
    for ev, lane in db.execute(overview.LANE_SQL[grouping]):
        lane_of.setdefault(ev, []).append(lane)
    ranked = {lane for lane, _ in overview.lanes(db, grouping)}
    counts = {}
    for rowid, _, earliest, _ in passing(db, filters):
        if not d0 <= day(earliest) <= d1:
            continue
        for lane in lane_of.get(rowid, [overview.NO_LANE]):
            shown = lane if lane in ranked else overview.OTHER
            counts[shown] = counts.get(shown, 0) + 1
    return counts


FILTERS = [
    Filters(categories=frozenset({"visit", "policy"})),
    Filters(entities=frozenset({"ent-000000"})),
    Filters(kinds=frozenset({"person"})),
    Filters(sources=frozenset({"src-00003", "src-00007"})),
    Filters(date_from="2005-01-01", date_to="2012-06-30"),
    Filters(categories=frozenset({"media"}), kinds=frozenset({"organization", "place"})),
]


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
@pytest.mark.parametrize("grouping", overview.GROUPINGS)
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(x for x, _ in f.chips()))
def test_filtered_density_is_exact(db, grouping, filters, narrow):
    where, params = sql_filters(filters, narrow)
    for d0, d1, bins in (
        (day("1990-01-01"), day("2025-12-31"), 500),
        (day("2003-01-01"), day("2004-12-31"), 60),
    ):
        d = filtered_density(db, grouping, d0, d1, bins, where, params)
        lo = d.first_bin * d.bin_days
        hi = (d.first_bin + len(d.counts[0])) * d.bin_days - 1
        got = {lane: sum(c) for lane, c in zip(d.lanes, d.counts, strict=True) if sum(c)}
        assert got == brute(db, grouping, filters, lo, hi)
        events = brute(db, "category", filters, lo, hi)  # one lane per event
        assert (d.events if grouping != "category" else d.total()) == sum(events.values())


def test_no_filters_means_the_precomputed_overview(db, project):
    assert sql_filters(None) == ("", []) and sql_filters(Filters()) == ("", [])
    vp = Viewport.open(str(project))
    whole = vp.compute(ViewRequest(1, 0.0, day("2030-01-01") * 86400.0, "category", 900))
    only = vp.compute(
        ViewRequest(
            2,
            0.0,
            day("2030-01-01") * 86400.0,
            "category",
            900,
            Filters(categories=frozenset({"visit"})),
        )
    )
    vp.close()
    assert whole.density.total() == 6000
    visits = db.execute("SELECT count(*) FROM events WHERE category = 'visit'").fetchone()[0]
    assert only.in_view == visits or (only.rows is not None and len(only.events) == visits)


def passing_overlap(db, filters, d0, d1):
    """Ids of the events passing `filters` whose days overlap [d0, d1]."""
    return {
        ev_id
        for _, ev_id, earliest, latest in passing(db, filters)
        if day(latest) >= d0 and day(earliest) <= d1
    }


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(x for x, _ in f.chips()))
def test_filtered_events_in_view_are_exactly_those_passing(project, db, filters, narrow):
    vp = Viewport.open(str(project))
    try:
        for d0, d1 in (
            (day("2003-01-01"), day("2003-03-31")),
            (day("2010-06-01"), day("2010-06-30")),
        ):
            where, params = sql_filters(filters, narrow)
            rowids = vp._filtered_overlapping(d0, d1, where, params, narrow)
            events, _ = vp._events(rowids, "category", set())
            assert {e.id for e in events} == passing_overlap(db, filters, d0, d1)
    finally:
        vp.close()


def test_a_narrow_view_and_a_wide_view_agree_on_what_passes(project, db, monkeypatch):
    """The window picks the narrow form for a quarter and the wide one for the whole span;
    either way, the detail it shows is the filtered events and nothing else."""
    from explorer.model import viewport

    forms = []
    real = viewport.sql_filters
    monkeypatch.setattr(viewport, "NARROW_VIEW", 1000)  # this project has 6000 events
    monkeypatch.setattr(viewport, "sql_filters", lambda f, n: forms.append(n) or real(f, n))
    vp = Viewport.open(str(project))
    f = Filters(kinds=frozenset({"person"}), categories=frozenset({"visit"}))
    try:
        quarter = vp.compute(
            ViewRequest(
                1, day("2003-01-01") * 86400.0, day("2003-04-01") * 86400.0, "source", 900, f
            )
        )
        assert quarter.rows is not None and set(forms) == {True}
        forms.clear()
        assert {e.id for e in quarter.events} == passing_overlap(
            db, f, day("2003-01-01"), day("2003-03-31")
        )
        whole = vp.compute(ViewRequest(2, 0.0, day("2030-01-01") * 86400.0, "source", 900, f))
        everything = passing_overlap(db, f, 0, day("2029-12-31"))
        assert whole.rows is not None and 0 < len(everything) <= viewport.DETAIL_LIMIT
        assert {e.id for e in whole.events} == everything
        assert set(forms) == {False}
    finally:
        vp.close()


@pytest.fixture(scope="module")
def faceted(project, tmp_path_factory):
    """The project with facet counts precomputed for every value held by 300 events or more
    (50,000 in a real project: this one is small)."""
    import shutil

    out = tmp_path_factory.mktemp("facets") / "demo.db"
    shutil.copyfile(project, out)
    with pytest.MonkeyPatch.context() as mp, open_store(out) as store:
        mp.setattr(overview, "FACET_MIN_EVENTS", 300)
        with store.db.atomic():
            overview.rebuild_facets(store.db)
    store = open_store(out, readonly=True)
    yield store.db
    store.close()


def test_precomputed_facet_counts_equal_counting_them(faceted):
    held = faceted.execute(
        "SELECT DISTINCT facet, value FROM overview_facets ORDER BY 1, 2"
    ).fetchall()
    assert {f for f, _ in held} == set(overview.FACET_MEMBERS)
    cases = [(f, frozenset({v})) for f, v in held]
    cats = sorted(v for f, v in held if f == "categories")
    cases.append(("categories", frozenset(cats[:3])))  # one category per event: they add up
    for facet, values in cases:
        filters = Filters(**{facet: values})
        where, params = sql_filters(filters)
        for grouping in overview.GROUPINGS:
            for d0, d1, bins in (
                (day("1990-01-01"), day("2025-12-31"), 200),
                (day("1989-03-01"), day("2030-12-31"), 40),
                (day("2003-01-01"), day("2012-12-31"), 50),
            ):
                got = overview.facet_density(faceted, facet, values, grouping, d0, d1, bins)
                want = filtered_density(faceted, grouping, d0, d1, bins, where, params)
                assert got is not None and got.total() > 0
                assert (got.lanes, got.bin_days, got.first_bin) == (
                    want.lanes,
                    want.bin_days,
                    want.first_bin,
                )
                assert got.counts == want.counts, (facet, values, grouping, d0, bins)
                assert got.events == want.events


def test_facet_counts_are_used_only_where_they_are_exact(faceted):
    whole = (day("1990-01-01"), day("2025-12-31"))
    common = faceted.execute(
        "SELECT value FROM overview_facets WHERE facet = 'entities' LIMIT 1"
    ).fetchone()[0]
    assert overview.facet_density(faceted, "entities", frozenset({common}), "source", *whole, 200)
    # a view fine enough for day bins, a rare entity, two entities (an event may hold both)
    assert (
        overview.facet_density(faceted, "entities", frozenset({common}), "source", *whole, 20000)
        is None
    )
    assert (
        overview.facet_density(
            faceted, "entities", frozenset({"ent-000900"}), "source", *whole, 200
        )
        is None
    )
    two = frozenset({common, "ent-000001"})
    assert overview.facet_density(faceted, "entities", two, "source", *whole, 200) is None
    from explorer.model.viewport import one_facet

    assert one_facet(Filters(entities=frozenset({common}))) == ("entities", frozenset({common}))
    assert one_facet(Filters(entities=frozenset({common}), date_from="2001-01-01")) is None
    assert one_facet(Filters(entities=frozenset({common}), kinds=frozenset({"person"}))) is None


def test_a_wide_view_filtered_on_a_common_value_reads_the_facet_counts(faceted, monkeypatch):
    """The worker's view takes the precomputed counts (no counting over the events) and shows
    what counting them would."""
    from explorer.model import viewport
    from explorer.store.connection import Store

    store = Store(
        Path(faceted.conn.execute("PRAGMA database_list").fetchone()[2]), faceted, True, 10
    )
    vp = Viewport(store)
    common = faceted.execute(
        "SELECT value FROM overview_facets WHERE facet = 'kinds' LIMIT 1"
    ).fetchone()[0]
    f = Filters(kinds=frozenset({common}))
    whole = ViewRequest(
        1, day("1990-01-01") * 86400.0, day("2026-01-01") * 86400.0, "source", 1600, f
    )
    want = filtered_density(
        faceted, "source", day("1990-01-01"), day("2025-12-31"), 1600 // 3, *sql_filters(f)
    )
    monkeypatch.setattr(
        viewport, "filtered_density", lambda *a: (_ for _ in ()).throw(AssertionError("counted"))
    )
    got = vp.density(whole)
    assert got.counts == want.counts and got.events == want.events
    assert vp.compute(whole).in_view == want.total()  # the worker's whole view, uncounted
    month = ViewRequest(
        2, day("2015-03-01") * 86400.0, day("2015-04-01") * 86400.0, "source", 1600, f
    )
    with pytest.raises(AssertionError, match="counted"):  # too fine for them: counted
        vp.density(month)


def test_density_reads_only_the_bins_in_view_through_the_key(db):
    """Each lane's bins in view are found through the key (grouping, level, lane, bin); a
    query naming no lane read every bin of the level, whatever the view."""
    seen = []
    db.conn.set_trace_callback(seen.append)
    try:
        dens = overview.density(db, "category", day("2010-01-01"), day("2010-03-01"), 500)
    finally:
        db.conn.set_trace_callback(None)
    sql = next(s for s in seen if "FROM overview WHERE" in s)
    plan = " ".join(str(r[-1]) for r in db.execute(f"EXPLAIN QUERY PLAN {sql}"))
    assert "lane=?" in plan and "bin>?" in plan, plan
    assert dens.total() == sum(
        1
        for *_, earliest, _ in passing(db, Filters())
        if "2010-01-01" <= earliest[:10] <= "2010-03-01"
    )
