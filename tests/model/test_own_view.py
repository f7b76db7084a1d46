"""The annotator's own events in a large project's views: the same filters and lanes as the
project's events, counted exactly in density mode and drawn in detail mode."""

import datetime as dt

import pytest

from explorer.dataset.demo import generate
from explorer.model.filters import Filters
from explorer.model.own_view import OwnMark, lanes_of, own_marks, passes, resolve
from explorer.model.viewport import DETAIL_LIMIT, Viewport, ViewRequest, sql_filters
from explorer.store import overview
from explorer.store.connection import open_store
from explorer.store.records import Event
from explorer.store.user_items import Item

EPOCH = dt.date(1970, 1, 1)
DAY = 86400.0


def day(iso):
    return (dt.date.fromisoformat(iso) - EPOCH).days


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    out = tmp_path_factory.mktemp("own") / "demo.db"
    generate(out, 4000, seed=5)
    return out


@pytest.fixture(scope="module")
def db(project):
    store = open_store(project, readonly=True)
    yield store.db
    store.close()


def project_marks(db, limit=600):
    """Project events dressed as own events (kinds to be looked up), to hold the Python rules
    against the SQL ones on the same data."""
    rows = db.execute(
        """SELECT rowid, id, title, title_en, summary, category, start, "end", earliest, latest,
                  precision, qualifier, date_text, date_note, t0, t1 FROM events ORDER BY rowid
           LIMIT ?""",
        [limit],
    ).fetchall()
    marks = {}
    for r in rows:
        links = tuple(
            (e, role, None)
            for e, role in db.execute(
                "SELECT entity_id, role FROM event_entities WHERE event_id = ? ORDER BY rowid",
                [r[1]],
            )
        )
        sources = tuple(
            s
            for (s,) in db.execute("SELECT source_id FROM event_sources WHERE event_id = ?", [r[1]])
        )
        marks[r[0]] = OwnMark(Event(*r[1:]), links, sources)
    return marks


def kinds_from(db):
    def lookup(ids):
        marks = ",".join("?" for _ in ids)
        return dict(db.execute(f"SELECT id, kind FROM entities WHERE id IN ({marks})", ids))

    return lookup


FILTERS = [
    Filters(categories=frozenset({"visit", "policy"})),
    Filters(entities=frozenset({"ent-000000", "ent-000003"})),
    Filters(kinds=frozenset({"person"})),
    Filters(kinds=frozenset({"place"}), sources=frozenset({"src-00001", "src-00004"})),
    Filters(date_from="2005-01-01", date_to="2012-06-30"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(x for x, _ in f.chips()))
def test_own_events_pass_the_filters_the_project_events_pass(db, filters):
    marks = project_marks(db)
    resolved = dict(zip(marks, resolve(tuple(marks.values()), kinds_from(db)), strict=True))
    where, params = sql_filters(filters)
    marks_sql = ",".join(str(r) for r in marks)
    in_sql = {
        r
        for (r,) in db.execute(
            f"SELECT ev.rowid FROM events ev WHERE ev.rowid IN ({marks_sql}) {where}", params
        )
    }
    in_python = {r for r, m in resolved.items() if passes(m, filters)}
    assert in_python == in_sql and 0 < len(in_sql) < len(marks)


@pytest.mark.parametrize("grouping", overview.GROUPINGS)
def test_own_events_go_to_the_lanes_the_project_events_go_to(db, grouping):
    marks = project_marks(db)
    resolved = dict(zip(marks, resolve(tuple(marks.values()), kinds_from(db)), strict=True))
    in_sql = {}
    for ev, lane in db.execute(overview.LANE_SQL[grouping]):
        if ev in marks:
            in_sql.setdefault(ev, set()).add(lane)
    for rowid, mark in resolved.items():
        assert set(lanes_of(mark, grouping)) == in_sql.get(rowid, {overview.NO_LANE}), rowid


def item(id_, kind, data, deleted=False):
    return Item(id_, kind, data, "me", "2026-01-01", "2026-01-01", "r1", deleted)


def own_event(id_, start, category="visit", entities=(), sources=()):
    return item(
        id_,
        "event",
        {
            "title": f"내 사건 {id_}",
            "category": category,
            "start": start,
            "precision": "day",
            "qualifier": "exact",
            "entities": [{"entity": e, "role": r} for e, r in entities],
            "sources": [{"source": s} for s in sources],
        },
    )


def test_marks_carry_own_kinds_skip_deleted_and_drop_links_to_nothing(db):
    place = item("u-place", "entity", {"kind": "place", "name": "내 장소"})
    gone = item("u-gone", "entity", {"kind": "person", "name": "지운 사람"}, deleted=True)
    ev = own_event("u-e1", "2010-05-05", entities=[("u-place", "venue"), ("ent-000001", "host")])
    ev2 = own_event("u-e2", "2010-05-06", entities=[("u-gone", "speaker"), ("ent-x", "host")])
    dead = item("u-e3", "event", {**ev.data}, deleted=True)
    marks = own_marks([place, gone, ev, ev2, dead])
    assert [m.event.id for m in marks] == ["u-e1", "u-e2"]
    assert marks[0].links[0] == ("u-place", "venue", "place") and marks[0].links[1][2] is None
    resolved = resolve(marks, kinds_from(db))
    kind = db.execute("SELECT kind FROM entities WHERE id = 'ent-000001'").fetchone()[0]
    assert resolved[0].links == (("u-place", "venue", "place"), ("ent-000001", "host", kind))
    assert resolved[1].links == ()  # a deleted own entity and an unknown id
    assert lanes_of(resolved[0], "place") == ["u-place"]
    two = item("u-place2", "entity", {"kind": "place", "name": "다른 장소"})
    ev4 = own_event("u-e4", "2010-05-07", entities=[("u-place2", "location"), ("u-place", "venue")])
    (mark4,) = own_marks([place, two, ev4])
    assert lanes_of(mark4, "place") == ["u-place"]  # a venue before a mere location
    assert lanes_of(resolved[1], "entity_kind") == [overview.NO_LANE]


def test_density_counts_own_events_exactly(project, db):
    vp = Viewport.open(str(project))
    x0, x1 = day("1990-01-01") * DAY, day("2026-01-01") * DAY
    marks = own_marks(
        [
            own_event("u-a", "2001-03-04", "visit"),
            own_event("u-b", "2001-03-05", "policy"),
            own_event("u-c", "2019-11-30", "visit", sources=["src-00002"]),
            own_event("u-out", "1950-01-01", "visit"),  # before the view
        ]
    )
    try:
        for grouping in overview.GROUPINGS:
            plain = vp.compute(ViewRequest(1, x0, x1, grouping, 1600))
            mine = vp.compute(ViewRequest(2, x0, x1, grouping, 1600, own=marks))
            assert plain.density is not None and mine.density is not None
            assert mine.in_view == plain.in_view + 3  # once each, whatever the grouping
            only_visits = Filters(categories=frozenset({"visit"}))
            a = vp.compute(ViewRequest(3, x0, x1, grouping, 1600, only_visits))
            b = vp.compute(ViewRequest(4, x0, x1, grouping, 1600, only_visits, own=marks))
            assert b.in_view == a.in_view + 2
        by_cat = vp.compute(ViewRequest(5, x0, x1, "category", 1600, own=marks)).density
        plain = vp.compute(ViewRequest(6, x0, x1, "category", 1600)).density
        diff = {
            lane: sum(m) - sum(p)
            for lane, m, p in zip(by_cat.lanes, by_cat.counts, plain.counts, strict=False)
            if sum(m) != sum(p)
        }
        assert diff == {"visit": 2, "policy": 1}
    finally:
        vp.close()


def test_detail_shows_own_events_in_their_lanes(project, db):
    vp = Viewport.open(str(project))
    marks = own_marks(
        [
            own_event("u-a", "2001-03-04", "visit", sources=["src-00002"]),
            own_event("u-b", "2001-03-05", "policy"),
            own_event("u-late", "2001-09-01", "visit"),
        ]
    )
    x0, x1 = day("2001-03-01") * DAY, day("2001-03-11") * DAY
    try:
        res = vp.compute(ViewRequest(1, x0, x1, "source", 1600, own=marks))
        assert res.rows is not None and res.in_view <= DETAIL_LIMIT
        ids = [e.id for e in res.events]
        assert "u-a" in ids and "u-b" in ids and "u-late" not in ids
        lane_of = {}
        for ev, lane in zip(res.rows.event.tolist(), res.rows.lane.tolist(), strict=True):
            lane_of.setdefault(res.events[ev].id, set()).add(res.lanes[lane])
        assert lane_of["u-a"] <= {"src-00002", overview.OTHER}
        assert lane_of["u-b"] == {overview.NO_LANE}
        assert res.events[ids.index("u-a")].origin == "own"
        hidden = vp.compute(
            ViewRequest(2, x0, x1, "source", 1600, Filters(categories=frozenset({"policy"})), marks)
        )
        assert [e.id for e in hidden.events if e.origin == "own"] == ["u-b"]
    finally:
        vp.close()
