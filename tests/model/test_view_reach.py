"""A view is read with what lies either side of it, and a pan or a zoom in within that is
answered from it with nothing read: the answer must be what reading the view gives."""

from dataclasses import replace

import pytest

from explorer.dataset.demo import generate
from explorer.model.filters import Filters
from explorer.model.own_view import OwnMark
from explorer.model.timeline import DAY, epoch_seconds
from explorer.model.viewport import (
    DETAIL_LIMIT,
    REACH,
    Viewport,
    ViewRequest,
    days_of,
    filtered_density,
    served,
    sql_filters,
)
from explorer.store import overview
from explorer.store.records import Event


@pytest.fixture(scope="module")
def viewport(tmp_path_factory):
    out = tmp_path_factory.mktemp("reach") / "demo.db"
    generate(out, 6000, seed=21)
    vp = Viewport.open(str(out))
    yield vp
    vp.close()


def ask(x0, x1, grouping="category", filters=None, generation=1, statements=True):
    past = (x1 - x0) * REACH
    return ViewRequest(
        generation, x0, x1, grouping, 1600, filters, (), statements, (x0 - past, x1 + past)
    )


def in_view(result, x0, x1):
    """What a result shows of the days of [x0, x1): the ids of its events there, or its
    counts per lane there."""
    d0, d1 = days_of(x0, x1)
    if result.density is not None:
        d = result.density
        a, b = d0 // d.bin_days - d.first_bin, d1 // d.bin_days - d.first_bin + 1
        return "density", d.bin_days, [c[a:b] for c in d.counts]
    return "events", sorted(
        e.id for e in result.events if e.t1 > d0 * DAY and e.t0 < (d1 + 1) * DAY
    )


def said_in(result, x0, x1):
    """The statements a result draws that were said in [x0, x1) or are about it."""

    def overlaps(p):
        return p is not None and p.t1 > x0 and p.t0 < x1

    return sorted(s.id for s in result.statements if overlaps(s.said) or overlaps(s.about))


VIEWS = [  # (start, width in days): the whole span, years, months, days
    ("1990-01-01", 36 * 365),
    ("2005-01-01", 6 * 365),
    ("2012-03-01", 200),
    ("2012-03-01", 12),
]
MOVES = [(0.1, 1.0), (-0.3, 1.0), (0.45, 1.0), (0.2, 1 / 2.5), (0.0, 1 / 2.5), (0.6, 1.0)]


@pytest.mark.parametrize(
    "grouping,filters",
    [
        ("category", None),
        ("source", None),
        ("entity_kind", Filters(categories=frozenset({"conference", "policy"}))),
    ],
)
def test_a_view_answered_from_the_one_before_is_what_reading_it_gives(viewport, grouping, filters):
    answered = read = 0
    for start, days in VIEWS:
        x0 = epoch_seconds(start)
        x1 = x0 + days * DAY
        held = viewport.compute(ask(x0, x1, grouping, filters))
        d0, d1 = days_of(x0, x1)
        assert held.covers[0] < d0 and d1 < held.covers[1]  # it read either side
        for shift, zoom in MOVES:
            width = (x1 - x0) * zoom
            mid = (x0 + x1) / 2 + shift * (x1 - x0)
            req = ask(mid - width / 2, mid + width / 2, grouping, filters, generation=2)
            got = served(held, req)
            if got is None:
                read += 1
                continue
            answered += 1
            want = viewport.compute(replace(req, reach=None))  # the view alone, read
            assert got.generation == 2
            assert (got.density is None) == (want.density is None)
            assert got.events_in_view == want.events_in_view
            assert in_view(got, req.x0, req.x1) == in_view(want, req.x0, req.x1)
            assert said_in(got, req.x0, req.x1) == said_in(want, req.x0, req.x1)
            if got.density is not None:
                assert got.in_view == want.in_view
    assert answered >= 8 and read >= 4  # both happen: pans within, moves past the reach


def test_a_move_past_the_reach_or_to_another_level_is_read(viewport):
    x0 = epoch_seconds("1990-01-01")
    x1 = x0 + 36 * 365 * DAY
    held = viewport.compute(ask(x0, x1))
    assert held.density is not None
    w = x1 - x0
    assert served(held, ask(x0 + 0.2 * w, x1 + 0.2 * w)) is not None  # a pan within
    assert served(held, ask(x0 + 0.8 * w, x1 + 0.8 * w)) is None  # past what was read
    assert served(held, ask(x0 + 0.3 * w, x1 - 0.3 * w)) is None  # a zoom: finer bins
    assert served(held, ask(x0, x1 + 0.2 * w)) is not None  # a little wider: the same bins
    assert served(held, ask(x0 - w, x1 + w)) is None  # zoomed out: past what was read


def test_too_many_events_around_the_view_read_the_view_alone(viewport, monkeypatch):
    from explorer.model import viewport as module

    x0 = epoch_seconds("2012-03-01")
    x1 = x0 + 200 * DAY
    full = viewport.compute(ask(x0, x1))
    assert full.rows is not None and full.covers != days_of(x0, x1)
    around = len(full.events)
    monkeypatch.setattr(module, "REACH_LIMIT", around - 1)  # fewer than lie around it
    alone = viewport.compute(ask(x0, x1))
    assert alone.covers == days_of(x0, x1) and len(alone.events) < around
    assert alone.events_in_view == full.events_in_view
    assert served(alone, ask(x0 + DAY, x1 + DAY)) is None  # it holds nothing past the view
    assert served(alone, ask(x0 + 10 * DAY, x1 - 10 * DAY)) is not None  # but all within
    for limit in ("VIEW_LIMIT", "CROWDED_LIMIT"):  # not even those
        monkeypatch.setattr(module, limit, alone.events_in_view - 1)
    cut = viewport.compute(ask(x0, x1))
    assert len(cut.events) < alone.events_in_view
    assert served(cut, ask(x0 + 10 * DAY, x1 - 10 * DAY)) is None  # a zoom in is read


@pytest.mark.parametrize(
    "filters", [None, Filters(categories=frozenset({"founding", "investment", "media", "opening"}))]
)
def test_a_view_crowded_by_long_spans_draws_all_that_start_in_it_and_counts_all(
    viewport, monkeypatch, filters
):
    """More events overlap the view than can be drawn: every event that starts in it is
    drawn, then as many of those that started before as there is room for, and the count
    is of all that overlap it (it drew an arbitrary few and counted only those)."""
    from explorer.model import viewport as module

    db = viewport.store.db
    x0 = epoch_seconds("2012-03-01")
    x1 = x0 + 200 * DAY
    d0, d1 = days_of(x0, x1)
    a, b = d0 * DAY, (d1 + 1) * DAY
    where, params = sql_filters(filters)
    starting = {
        r[0]
        for r in db.execute(
            f"SELECT ev.id FROM events ev WHERE ev.t0 >= ? AND ev.t0 < ? {where}", [a, b, *params]
        )
    }
    overlapping = db.execute(
        f"SELECT count(*) FROM events ev WHERE ev.t1 > ? AND ev.t0 < ? {where}", [a, b, *params]
    ).fetchone()[0]
    room = len(starting) + 3
    assert room < overlapping  # long spans reach into the view
    for limit in ("REACH_LIMIT", "VIEW_LIMIT", "CROWDED_LIMIT"):
        monkeypatch.setattr(module, limit, room)
    crowded = viewport.compute(ask(x0, x1, filters=filters))
    assert crowded.rows is not None  # events, not density
    drawn = {e.id for e in crowded.events}
    assert starting <= drawn and len(drawn) == room
    assert crowded.events_in_view == overlapping
    assert crowded.undrawn == overlapping - room
    for limit, n in (("REACH_LIMIT", 9000), ("VIEW_LIMIT", 6000), ("CROWDED_LIMIT", 3000)):
        monkeypatch.setattr(module, limit, n)
    whole = viewport.compute(ask(x0, x1, filters=filters))  # room for all: the same count
    assert whole.undrawn == 0 and whole.events_in_view == overlapping


def test_a_crowded_view_moved_within_its_days_is_answered_as_reading_it_would(
    viewport, monkeypatch
):
    """A crowded view holds no day whole, but its answer is one per days and level: a pan
    that keeps the view's first and last day is served, the same as read; a pan onto
    another day, or the same days at another level, is read. The annotator's own events
    in those days are drawn in it (they were dropped from a crowded view)."""
    from explorer.model import viewport as module

    x0 = epoch_seconds("2012-03-01") + DAY / 4
    x1 = x0 + 200 * DAY
    room = 40
    for limit in ("REACH_LIMIT", "VIEW_LIMIT", "CROWDED_LIMIT"):
        monkeypatch.setattr(module, limit, room)
    mine = Event("own-1", "mine", None, "", "policy", "2012-03-02", None, "2012-03-02",
                 "2012-03-02", "day", "exact", "2012-03-02", "",
                 epoch_seconds("2012-03-02"), epoch_seconds("2012-03-03"))  # fmt: skip
    own = (OwnMark(mine, (), ()),)

    def asked(a, b, generation=1, width=1600):
        return replace(ask(a, b, generation=generation), own=own, width_px=width)

    crowded = viewport.compute(asked(x0, x1))
    assert crowded.crowded == days_of(x0, x1) and crowded.undrawn > 0
    assert "own-1" in {e.id for e in crowded.events}
    moved = asked(x0 + DAY / 2, x1 + DAY / 2, generation=2)  # the same days
    assert days_of(moved.x0, moved.x1) == days_of(x0, x1)
    found = served(crowded, moved)
    assert found is not None and found.generation == 2
    read = viewport.compute(moved)
    assert in_view(found, moved.x0, moved.x1) == in_view(read, moved.x0, moved.x1)
    assert (found.events_in_view, found.undrawn) == (read.events_in_view, read.undrawn)
    assert served(crowded, asked(x0 + DAY, x1 + DAY)) is None  # a day more, one less
    assert served(crowded, asked(x0 + DAY / 2, x1 + DAY / 2, width=100)) is None  # coarser


def test_counts_read_over_the_reach_are_the_views_counts_around_it(viewport):
    """The bins of a view read with its reach are the view's own bins (the same level),
    and more of them; the events of each bin are counted once in any grouping."""
    db = viewport.store.db
    d0, d1 = days_of(epoch_seconds("2005-01-01"), epoch_seconds("2011-01-01"))
    reach = (d0 - 700, d1 + 700)
    for grouping in overview.GROUPINGS:
        view = overview.density(db, grouping, d0, d1, 533)
        wide = overview.density(db, grouping, d0, d1, 533, reach)
        assert wide.bin_days == view.bin_days
        first = wide.first_bin * wide.bin_days  # its bins cover the reach whole
        assert first <= reach[0] and reach[1] < first + len(wide.counts[0]) * wide.bin_days
        assert wide.within(d0, d1)[0] == view.total()
        f = Filters(categories=frozenset({"conference"}))
        where, params = sql_filters(f)
        a = filtered_density(db, grouping, d0, d1, 533, where, params)
        b = filtered_density(db, grouping, d0, d1, 533, where, params, reach)
        assert b.bin_days == a.bin_days and b.within(d0, d1) == a.within(d0, d1)
        conferences = db.execute(
            "SELECT count(*) FROM events WHERE category = 'conference' AND t0 >= ? AND t0 < ?",
            [(b.first_bin * b.bin_days) * DAY,
             (b.first_bin + len(b.counts[0])) * b.bin_days * DAY],
        ).fetchone()[0]  # fmt: skip
        assert b.events == conferences  # each event once, in however many lanes


def test_the_detail_limit_decides_the_same_for_a_view_answered_as_for_one_read(viewport):
    """A pan from events to a busier stretch must not stay events past the limit."""
    x0 = epoch_seconds("2012-03-01")
    held = viewport.compute(ask(x0, x0 + 200 * DAY))
    assert held.rows is not None and held.counts is not None
    for k in range(1, 10):
        req = ask(x0 + k * 20 * DAY, x0 + (200 + k * 20) * DAY)
        got = served(held, req)
        if got is not None:
            assert got.in_view <= DETAIL_LIMIT and got.density is None
