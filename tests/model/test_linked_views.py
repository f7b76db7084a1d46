"""The linked views' engine, headless, on the bundled data: what the network, the map, the
lifelines and the events table show of a time window is checked against the simple
computation over the catalog (every event walked in Python), with filters and the
annotator's own events; the layout is warm-started; a source can be selected."""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from explorer.model import linked
from explorer.model import network as nw
from explorer.model import views_engine as ve
from explorer.model.annotations import Annotations
from explorer.model.changes import Changes
from explorer.model.filters import Filters, matching_events
from explorer.model.session import Session
from explorer.model.timeline import epoch_seconds
from explorer.model.views_engine import ViewsEngine, ViewsRequest
from explorer.model.workspace import Workspace

Y2019 = (epoch_seconds("2019-01-01"), epoch_seconds("2020-01-01"))
Y2024 = (epoch_seconds("2024-01-01"), epoch_seconds("2026-01-01"))
ALL = (epoch_seconds("1900-01-01"), epoch_seconds("2100-01-01"))


@pytest.fixture
def ws(bundled_copy, tmp_path):
    session = Session.open(bundled_copy)
    work = Workspace(session, Annotations.open(session, tmp_path / "w.db", "kim"), lang="en")
    told: list[Changes] = []
    work.listeners.append(told.append)
    work.told = told  # type: ignore[attr-defined]
    yield work
    work.close()


@pytest.fixture(params=["memory", "files in blocks of 3"])
def engine(ws, request, tmp_path, monkeypatch):
    """The engine over the index held in memory (a small project's), and over the index in
    the cache folder's files read in blocks of three events (a large project's), so that
    every window, filter and view crosses blocks."""
    engine = ViewsEngine(ws.session.store)
    if request.param != "memory":
        from explorer.model import link_columns, link_index

        monkeypatch.setattr(link_columns, "CHUNK", 3)
        monkeypatch.setattr(link_index, "CACHE_EVENTS", 0)
        store = ws.session.store
        engine._index = link_index.cached(store.db, store.path, tmp_path / "cache")
        assert isinstance(engine._index.columns, link_columns.FileColumns)
        assert engine._index.block == 3 and engine._index.block_first.size > 5
    return engine


def in_window(ws, x0, x1, filters=None):
    """The simple way: every event of the catalog, tested in Python."""
    passing = matching_events(ws.catalog, filters or Filters())
    return {e.id for e in ws.catalog.events if e.id in passing and e.t1 > x0 and e.t0 < x1}


def simple_cooccurrence(ws, events):
    """The simple approach the bench compares with: every pair of every event."""
    pairs: Counter[tuple[str, str]] = Counter()
    for ev in events:
        linked_to = sorted({e for e, _ in ws.catalog.event_entities.get(ev, [])})
        pairs.update(itertools.combinations(linked_to, 2))
    return pairs


FILTERS = [
    Filters(),
    Filters(categories=frozenset({"conference", "visit"})),
    Filters(kinds=frozenset({"person"})),
    Filters(entities=frozenset({"ent-baidu"})),
    Filters(sources=frozenset({"src-peoplekr-2019-07-05"})),
    Filters(date_from="2024-06-01"),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("window", [Y2019, Y2024, ALL])
def test_the_index_finds_the_events_of_a_window_that_pass_the_filters(engine, ws, filters, window):
    mask = engine.index.window(*window, filters)
    rowids = engine.index.values("rowid", mask).tolist()
    ids = set(engine.event_ids(rowids))
    assert ids == in_window(ws, *window, filters)


@pytest.mark.parametrize("window", [Y2019, Y2024, ALL])
def test_the_network_counts_what_every_pair_of_every_event_says(engine, ws, window):
    result = engine.network(ViewsRequest(1, "network", *window, limit=500))
    net = result.network
    events = in_window(ws, *window)
    expected = simple_cooccurrence(ws, events)
    got = {tuple(sorted((e.a, e.b))): e.weight for e in net.edges}
    assert got == dict(expected)
    counts = Counter(e for ev in events for e in {x for x, _ in ws.catalog.event_entities[ev]})
    assert {n.id: n.events for n in net.nodes} == dict(counts)
    assert net.more == 0 and net.events == len(events)
    # role pairs add up to the weight
    for e in net.edges:
        assert sum(c for _, _, c in e.roles) == e.weight


def test_the_strongest_entities_are_shown_and_the_rest_counted(engine, ws):
    result = engine.network(ViewsRequest(1, "network", *ALL, limit=5))
    net = result.network
    counts = Counter(
        e for ev in in_window(ws, *ALL) for e in {x for x, _ in ws.catalog.event_entities[ev]}
    )
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    assert [(n.id, n.events) for n in net.nodes] == ranked[:5]
    assert net.more == len(counts) - 5
    assert {e.a for e in net.edges} | {e.b for e in net.edges} <= {n.id for n in net.nodes}
    assert result.names["ent-baidu"]["en"] == "Baidu"


def distance(a, b):
    return float(np.hypot(a[0] - b[0], a[1] - b[1]))


def test_the_layout_is_warm_started(engine):
    first = engine.network(ViewsRequest(1, "network", *Y2024)).network
    previous = tuple((k, x, y) for k, (x, y) in first.positions.items())
    # the same window again: the nodes barely move
    again = engine.network(ViewsRequest(2, "network", *Y2024, previous=previous)).network
    moved = [distance(again.positions[k], first.positions[k]) for k in first.positions]
    span = np.ptp(np.array(list(first.positions.values())), axis=0).max()
    assert max(moved) < 0.25 * span
    # a wider window: nodes that stay start where they were, newcomers beside a neighbour
    wider = engine.network(ViewsRequest(3, "network", *ALL, previous=previous)).network
    stayed = set(first.positions) & set(wider.positions)
    assert stayed
    shift = np.median([distance(wider.positions[k], first.positions[k]) for k in stayed])
    assert shift < 0.5 * span
    cold = nw.layout(wider, {})
    cold_shift = np.median([distance(cold[k], first.positions[k]) for k in stayed])
    assert shift < cold_shift


def test_labels_never_overlap_each_other_or_the_marks():
    rng = np.random.default_rng(3)
    anchors = [tuple(p) for p in rng.uniform(0, 300, size=(60, 2))]
    sizes = [(float(w), 14.0) for w in rng.uniform(20, 90, size=60)]
    marks = [(x - 5, y - 5, x + 5, y + 5) for x, y in anchors]
    spots = nw.place_labels(
        anchors, sizes, obstacles=marks, radii=[5.0] * 60, bounds=(0.0, 0.0, 320.0, 320.0)
    )
    boxes = [
        (x + dx, y + dy, x + dx + w, y + dy + h)
        for (x, y), (w, h), spot in zip(anchors, sizes, spots, strict=True)
        if spot is not None
        for dx, dy in [spot]
    ]
    assert boxes and spots[0] is not None  # the strongest is named
    assert all(b[0] >= 0 and b[2] <= 320 and b[1] >= 0 and b[3] <= 320 for b in boxes)
    for a, b in itertools.combinations(boxes + marks, 2):
        if a in marks and b in marks:
            continue
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_an_edge_is_picked_by_distance():
    segments = [((0.0, 0.0), (10.0, 0.0)), ((0.0, 5.0), (10.0, 5.0))]
    assert nw.nearest_edge((5.0, 1.0), segments, 2.0) == 0
    assert nw.nearest_edge((5.0, 4.5), segments, 2.0) == 1
    assert nw.nearest_edge((5.0, 2.5), segments, 2.0) is None


def test_the_map_counts_the_events_at_each_place_with_coordinates(engine, ws):
    result = engine.places(ViewsRequest(1, "map", *Y2024))
    events = in_window(ws, *Y2024)
    located = dict(ws.session.store.db.execute("SELECT entity_id, lat FROM locations").fetchall())
    counts = Counter(
        e for ev in events for e in {x for x, _ in ws.catalog.event_entities[ev]} if e in located
    )
    assert {m.id: m.events for m in result.markers} == dict(counts)
    assert [m.events for m in result.markers] == sorted(
        (m.events for m in result.markers), reverse=True
    )
    unlocated = {
        e
        for ev in events
        for e, _ in ws.catalog.event_entities[ev]
        if ws.catalog.entities[e].entity.kind == "place" and e not in located
    }
    assert result.unplaced == len(unlocated)
    beijing = next(m for m in result.markers if m.id == "ent-beijing")
    assert (round(beijing.lat, 2), round(beijing.lon, 2)) == (39.91, 116.40)


def test_the_map_tells_an_approximate_point_from_a_place_s_own(engine, ws, bundled_copy):
    """A place with no point of its own is drawn at that of the place containing it, and its
    marker says so and names that place (whose name the result carries)."""
    result = engine.places(ViewsRequest(1, "map", *ALL))
    by_id = {m.id: m for m in result.markers}
    zgc, haidian = by_id["ent-zhongguancun-science-city"], by_id["ent-haidian"]
    assert zgc.approximate and zgc.within == "ent-haidian"
    assert (zgc.lat, zgc.lon) == (haidian.lat, haidian.lon)
    assert not haidian.approximate and haidian.within is None
    assert result.names["ent-haidian"]["en"] == "Haidian District"
    db = ws.session.store.db
    approximate = dict(
        db.execute("SELECT entity_id, within_id FROM locations WHERE approximate").fetchall()
    )
    assert {m.id: m.within for m in result.markers if m.approximate} == {
        p: w for p, w in approximate.items() if p in by_id
    }
    assert len(approximate) == 8
    # a point marked approximate whose container is not named is still told apart
    with sqlite3.connect(bundled_copy) as conn:
        conn.execute("UPDATE locations SET approximate = 1 WHERE entity_id = 'ent-haidian'")
    session = Session.open(bundled_copy)
    try:
        again = ViewsEngine(session.store).places(ViewsRequest(2, "map", *ALL))
    finally:
        session.close()
    haidian = next(m for m in again.markers if m.id == "ent-haidian")
    assert haidian.approximate and haidian.within is None


def test_lifelines_follow_the_selected_entity_and_whom_it_appears_with(engine, ws):
    result = engine.lifelines(ViewsRequest(1, "lifelines", *ALL, focus=("ent-baidu",)))
    rows = {r.entity: r for r in result.rows}
    assert result.rows[0].entity == "ent-baidu"
    baidu = rows["ent-baidu"]
    assert set(baidu.ids) == ws.catalog.entity_events["ent-baidu"]
    assert baidu.events == len(baidu.ids)
    partners = simple_cooccurrence(ws, ws.catalog.entity_events["ent-baidu"])
    with_baidu = {a if b == "ent-baidu" else b for (a, b) in partners if "ent-baidu" in (a, b)}
    assert set(rows) - {"ent-baidu"} <= with_baidu
    # roles by colour: every mark has the entity's role in that event
    for ident, role in zip(baidu.ids, baidu.role.tolist(), strict=True):
        assert result.roles[role] in {
            r for e, r in ws.catalog.event_entities[ident] if e == "ent-baidu"
        }


def test_a_busy_lifeline_is_a_band_of_counts(engine, monkeypatch):
    monkeypatch.setattr(ve, "LIFELINE_MARKS", 3)
    result = engine.lifelines(ViewsRequest(1, "lifelines", *ALL))
    busy = [r for r in result.rows if r.events > 3]
    assert busy and all(r.density is not None and not r.ids for r in busy)
    assert all(int(r.density.sum()) == r.events for r in busy)
    assert all(r.density is None for r in result.rows if r.events <= 3)


@pytest.mark.parametrize("sort", ["date", "title", "category", "source"])
@pytest.mark.parametrize("descending", [False, True])
def test_the_table_sorts_the_window_s_events(engine, ws, sort, descending):
    req = linked.request(ws, "table", 1, sort=sort, descending=descending)
    result = engine.table(req)
    from explorer.model.event_rows import page

    rows = page(ws, result, 0, len(result))
    assert {r.id for r in rows} == in_window(ws, *linked.window_of(ws))
    events = {e.id: e for e in ws.catalog.events}
    key = {
        "date": lambda r: events[r.id].t0,
        "title": lambda r: events[r.id].title_en or events[r.id].title,
        "category": lambda r: r.category,
        "source": lambda r: r.source or "\uffff",
    }[sort]
    keys = [key(r) for r in rows]
    assert keys == sorted(keys, reverse=descending)


def test_a_large_projects_title_order_is_kept_in_its_cache_folder_not_in_memory(engine, ws):
    """By title the table keeps the project's title order: a large project's in a file
    beside its link columns, read again at the next sort (not held between sorts); a file
    cut short is read again from the project. A small project's stays in memory."""
    req = linked.request(ws, "table", 1, sort="title")
    first = engine.table(req).rowids.copy()
    columns = engine.index.columns
    if not hasattr(columns, "folder"):
        assert list(engine._titles) == [req.lang]
        return
    assert engine._titles == {}
    (kept,) = columns.folder.glob("by-title-*.bin")
    assert kept.stat().st_size == engine.index.events * 4  # int32 rowids
    kept.write_bytes(kept.read_bytes()[:-4])  # cut short
    assert np.array_equal(engine.table(req).rowids, first)
    assert kept.stat().st_size == engine.index.events * 4  # written again, whole
    assert not list(columns.folder.glob("*.part"))
    kept.write_bytes(np.arange(engine.index.events, dtype=np.int32).tobytes())  # read as is
    assert not np.array_equal(engine.table(req).rowids, first)


def test_own_events_are_in_every_view(engine, ws):
    own = ws.add_item(
        "event",
        {
            "title": "Seminar at Haidian",
            "category": "conference",
            "start": "2024-03-05",
            "precision": "day",
            "qualifier": "exact",
            "entities": [
                {"entity": "ent-baidu", "role": "host"},
                {"entity": "ent-haidian", "role": "venue"},
            ],
            "sources": [],
        },
    )
    req = linked.request(ws, "network", 1)
    before = engine.network(ViewsRequest(1, "network", req.x0, req.x1, limit=500)).network
    after = engine.network(req.__class__(**{**req.__dict__, "limit": 500})).network
    pair = lambda net: next(  # noqa: E731
        (e.weight for e in net.edges if {e.a, e.b} == {"ent-baidu", "ent-haidian"}), 0
    )
    assert pair(after) == pair(before) + 1
    places = engine.places(linked.request(ws, "map", 2))
    plain = engine.places(ViewsRequest(2, "map", req.x0, req.x1))
    haidian = lambda r: next(m.events for m in r.markers if m.id == "ent-haidian")  # noqa: E731
    assert haidian(places) == haidian(plain) + 1
    table = engine.table(linked.request(ws, "table", 3))
    from explorer.model.event_rows import page

    assert own.id in {r.id for r in page(ws, table, 0, len(table))}
    lines = engine.lifelines(linked.request(ws, "lifelines", 4, focus=("ent-haidian",)))
    assert own.id in lines.rows[0].ids
    shared = engine.shared(linked.request(ws, "shared", 5, pair=("ent-baidu", "ent-haidian")))
    assert own.id in shared.ids and shared.total == pair(after)


def test_an_edge_s_shared_events_are_those_both_take_part_in(engine, ws):
    result = engine.shared(ViewsRequest(1, "shared", *ALL, pair=("ent-baidu", "ent-huawei")))
    both = ws.catalog.entity_events["ent-baidu"] & ws.catalog.entity_events["ent-huawei"]
    assert result.ids == frozenset(both) and result.total == len(both)
    assert [e.t0 for e in result.events] == sorted(e.t0 for e in result.events)


def test_selecting_a_source_highlights_its_events_and_is_remembered(ws):
    ws.select_source("src-peoplekr-2019-07-05")
    cited = {e for e, s in ws.catalog.event_sources.items() if "src-peoplekr-2019-07-05" in s}
    assert ws.selected_source == "src-peoplekr-2019-07-05" and ws.highlight_events == cited
    assert ws.highlighted(sorted(ws.visible)) == cited
    assert ws.current_target().kind == "source"
    assert ws.told[-1].selection and ws.told[-1].history
    ws.select_entity("ent-baidu")
    assert ws.selected_source is None
    ws.back()
    assert ws.selected_source == "src-peoplekr-2019-07-05" and ws.highlight_events == cited
    ws.select_event("ev-2019-07-03-baidu-huawei-ai-cooperation")
    assert ws.selected_source is None


def test_requests_follow_the_workspace(ws):
    ws.set_window(*Y2019)
    ws.set_filters(Filters(categories=frozenset({"conference"})))
    req = linked.request(ws, "network", 7)
    assert (req.x0, req.x1) == ws.window and req.filters == ws.filters and req.lang == "en"
    assert linked.focus(ws) == ()
    ws.select_entity("ent-baidu")
    assert linked.focus(ws) == ("ent-baidu",)
    ws.select_event("ev-2019-07-03-baidu-huawei-ai-cooperation")
    assert set(linked.focus(ws)) == {p.entity_id for p in ws.event_detail.participants}
    assert linked.period_text(*Y2019) == "2019-01-01 – 2019-12-31"


def test_a_large_project_s_links_are_kept_in_the_cache_until_the_file_changes(
    bundled_copy, tmp_path, monkeypatch
):
    import os

    from explorer.model import link_index
    from explorer.store.connection import open_store

    monkeypatch.setattr(link_index, "CACHE_EVENTS", 0)
    folder = tmp_path / "cache"
    store = open_store(bundled_copy, readonly=True)
    first = link_index.cached(store.db, bundled_copy, folder)
    assert len(list(folder.glob("links-*"))) == 1

    def unread(db, folder=None):
        raise AssertionError("read from the project although the cache holds it")

    monkeypatch.setattr(link_index, "load", unread)
    again = link_index.cached(store.db, bundled_copy, folder)
    for name in ("rowid", "t0", "link_start", "link_entity", "cite_source"):
        assert np.array_equal(again.columns.whole(name), first.columns.whole(name))
    assert np.array_equal(again.place_lat, first.place_lat)
    assert again.entity_ids == first.entity_ids and again.roles == first.roles
    # the file changed: its index is read again
    stat = bundled_copy.stat()
    os.utime(bundled_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    with pytest.raises(AssertionError, match="although"):
        link_index.cached(store.db, bundled_copy, folder)
    # a damaged cache is passed over
    monkeypatch.undo()
    monkeypatch.setattr(link_index, "CACHE_EVENTS", 0)
    (next(folder.glob("links-*")) / "small.npz").write_bytes(b"not a cache")
    read = link_index.cached(store.db, bundled_copy, folder)
    assert np.array_equal(read.columns.whole("rowid"), first.columns.whole("rowid"))
    store.close()


@pytest.mark.parametrize("filters", FILTERS)
def test_the_table_is_filtered_like_the_timeline(engine, ws, filters):
    from explorer.model.event_rows import page

    ws.set_window(*ALL)
    ws.set_filters(filters)
    result = engine.table(linked.request(ws, "table", 1))
    assert {r.id for r in page(ws, result, 0, len(result))} == in_window(ws, *ALL, filters)
    assert {r.id for r in page(ws, result, 0, len(result))} == ws.visible


def test_own_events_fall_in_date_order_after_project_events_of_the_same_start(engine, ws):
    """The table by date merges the annotator's events into the project's (already in date
    order): one on the day of a project event comes after it, two on one day keep the order
    they were added in; descending is the same list reversed."""
    day = next(e for e in ws.catalog.events if e.precision == "day")
    added = []
    for title in ("First of the day", "Second of the day"):
        item = {"title": title, "category": "conference", "start": day.start}
        item.update(precision="day", qualifier="exact", entities=[], sources=[])
        added.append(ws.add_item("event", item).id)
    from explorer.model.event_rows import page

    ws.set_window(*ALL)
    up = engine.table(linked.request(ws, "table", 1, sort="date"))
    down = engine.table(linked.request(ws, "table", 2, sort="date", descending=True))
    ids = [r.id for r in page(ws, up, 0, len(up))]
    assert [r.id for r in page(ws, down, 0, len(down))] == ids[::-1]
    starts = {e.id: e.t0 for e in ws.catalog.events} | {e.id: e.t0 for e in up.own}
    assert [starts[i] for i in ids] == sorted(starts[i] for i in ids)
    same = [i for i in ids if starts[i] == starts[added[0]]]
    assert same[-2:] == added and day.id in same[:-2]


@pytest.mark.parametrize("sort", ["title", "category", "source"])
@pytest.mark.parametrize("descending", [False, True])
def test_own_events_are_sorted_among_the_project_s(engine, ws, sort, descending):
    from explorer.model.event_rows import page

    for title, category in (("Zebra summit", "visit"), ("Alpha forum", "conference")):
        item = {"title": title, "category": category, "start": "2030-01-01"}  # after all
        item.update(precision="day", qualifier="exact", entities=[], sources=[])
        ws.add_item("event", item)
    ws.set_window(*ALL)
    result = engine.table(linked.request(ws, "table", 1, sort=sort, descending=descending))
    rows = page(ws, result, 0, len(result))
    assert {r.id for r in rows} == in_window(ws, *ALL)  # the catalog holds the own events
    assert len(result.own) == 2 and {e.id for e in result.own} <= {r.id for r in rows}
    events = {e.id: e for e in ws.catalog.events} | {e.id: e for e in result.own}
    key = {
        "title": lambda r: (events[r.id].title_en or events[r.id].title, events[r.id].t0),
        "category": lambda r: (r.category, events[r.id].t0),
        "source": lambda r: (r.source or "\uffff", events[r.id].t0),
    }[sort]
    keys = [key(r) for r in rows]
    assert keys == sorted(keys, reverse=descending)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_events_of_one_title_come_by_date(tmp_path, lang):
    """By title, the events of one title come by date, as the other orders' ties do (they
    came by rowid: a generated project's rowids run in no date order); an own event of
    that title falls among them by its date."""
    from explorer.dataset.demo import generate
    from explorer.model.own_view import OwnMark
    from explorer.store.records import Event

    out = tmp_path / "demo.db"
    generate(out, 3000, seed=4)
    engine = ViewsEngine.open(str(out))
    db = engine.store.db
    column = "title" if lang == "ko" else "coalesce(title_en, title)"
    title, n = db.execute(
        f"SELECT {column}, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    assert n > 3
    t0s = [r[0] for r in db.execute(f"SELECT t0 FROM events WHERE {column} = ?", [title])]
    middle = sorted(t0s)[len(t0s) // 2] + 1
    mine = Event("own-1", title, title, "", "visit", "", None, "", "", "day", "exact", "",
                 "", middle, middle + 86400)  # fmt: skip
    req = ViewsRequest(1, "table", *ALL, sort="title", lang=lang, own=(OwnMark(mine, (), ()),))
    result = engine.table(req)
    ids = result.rowids.tolist()
    at = {r: k for k, r in enumerate(ids)}
    rows = db.execute(f"SELECT rowid, t0 FROM events WHERE {column} = ?", [title]).fetchall()
    ordered = sorted(rows, key=lambda r: at[r[0]])
    assert [t for _, t in ordered] == sorted(t0s)  # by date within the title
    place = ids.index(-1)  # the own event: after the project's that start before it
    before = [r for r, t in rows if t < middle]
    assert all(at[r] < place for r in before)
    assert all(at[r] > place for r, t in rows if t >= middle)
    engine.close()


@pytest.mark.parametrize("step", [1, 7, 1 << 20])
@pytest.mark.parametrize("spread", [3, 500, 10**9])
@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.uint16])
def test_rows_ordered_by_counting_are_those_of_a_stable_sort(monkeypatch, step, spread, dtype):
    """The table's order by a key (category, source: keys in the smallest type that holds
    them): counted in steps, or sorted when the keys are spread far wider than the rows,
    always what a stable sort gives."""
    monkeypatch.setattr(ve, "ORDER_STEP", step)
    rng = np.random.default_rng(5)
    rowid = rng.permutation(1000).astype(np.int32)
    top = min(spread, int(np.iinfo(dtype).max) + 1)
    key = rng.integers(0, top, size=1000).astype(dtype)
    expected = rowid[np.argsort(key, kind="stable")]
    assert np.array_equal(ve._ordered(rowid, key), expected)
    assert ve._ordered(rowid[:0], key[:0]).size == 0


def test_sources_of_one_name_sort_as_one_by_date(engine, ws, bundled_copy):
    """Sorting by source sorts by the name shown: the sources of one publisher tie, and
    their events come by date."""
    with sqlite3.connect(bundled_copy) as conn:
        conn.execute("UPDATE sources SET publisher = 'One publisher'")
    ws.set_window(*ALL)
    result = engine.table(linked.request(ws, "table", 1, sort="source"))
    from explorer.model.event_rows import page

    rows = page(ws, result, 0, len(result))
    events = {e.id: e for e in ws.catalog.events}
    cited = [r for r in rows if r.source]
    assert cited and {r.source for r in cited} == {"One publisher"}
    assert [events[r.id].t0 for r in cited] == sorted(events[r.id].t0 for r in cited)


def test_a_cache_cut_short_is_read_again_and_two_writers_do_not_mix(
    bundled_copy, tmp_path, monkeypatch
):
    """A cache whose file was cut short (a full disk, a stopped process) is not used; two
    processes writing the cache of one new project each write their own folder, and the
    one put in place second finds the first's and uses it."""
    from explorer.model import link_columns, link_index
    from explorer.store.connection import open_store

    monkeypatch.setattr(link_index, "CACHE_EVENTS", 0)
    folder = tmp_path / "cache"
    store = open_store(bundled_copy, readonly=True)
    first = link_index.cached(store.db, bundled_copy, folder)
    (cache,) = folder.glob("links-*")
    reads = []
    real_load = link_index.load
    monkeypatch.setattr(
        link_index, "load", lambda db, at=None: reads.append(at) or real_load(db, at)
    )
    for name in ("link_entity", "t0", "cite_start"):
        whole = (cache / f"{name}.bin").read_bytes()
        (cache / f"{name}.bin").write_bytes(whole[:-4])
        again = link_index.cached(store.db, bundled_copy, folder)
        assert reads.pop() is not None and (cache / f"{name}.bin").read_bytes() == whole
        assert np.array_equal(again.columns.whole(name), first.columns.whole(name))
    # another process put its folder in place just before this one's: this one's is dropped
    part = folder / "links-x.part-1-1"
    part.mkdir()
    (part / "t0.bin").write_bytes(b"")
    real = link_columns.shutil.rmtree

    def other_process_was_first(path, ignore_errors=False):
        if Path(path) != cache:
            real(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(link_columns.shutil, "rmtree", other_process_was_first)
    assert link_columns.replace_folder(part, cache) == cache and not part.exists()
    monkeypatch.setattr(link_columns.shutil, "rmtree", real)
    assert link_columns.load_small(cache, (cache / "stamp").read_text()) is not None
    assert [p.name for p in folder.iterdir()] == [cache.name]
    store.close()
