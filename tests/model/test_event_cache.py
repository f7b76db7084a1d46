"""The events a view read are kept for the next view, and never shown as they were once
the project has been written."""

import pytest

from explorer.dataset.demo import generate
from explorer.model.timeline import DAY
from explorer.model.viewport import Viewport, ViewRequest
from explorer.store import overview
from explorer.store.connection import open_store


@pytest.fixture
def project(tmp_path):
    out = tmp_path / "demo.db"
    generate(out, 3000, seed=4)
    return out


def _detail(vp, x0, x1, grouping="category"):
    r = vp.compute(ViewRequest(1, x0, x1, grouping, 1600))
    assert r.rows is not None, "a view in detail"
    return r


def _window(db):
    t0 = db.execute("SELECT t0 FROM events ORDER BY t0 LIMIT 1 OFFSET 1500").fetchone()[0]
    return t0 - 20 * DAY, t0 + 20 * DAY


def _shown(r):
    return [(r.events[int(e)].id, r.events[int(e)].title, r.lanes[int(k)])
            for e, k in zip(r.rows.event, r.rows.lane, strict=True)]  # fmt: skip


@pytest.mark.parametrize("grouping", overview.GROUPINGS)
def test_a_held_view_is_the_view_read_anew(project, grouping):
    vp, fresh = Viewport.open(str(project)), Viewport.open(str(project))
    x0, x1 = _window(vp.store.db)
    _detail(vp, x0 - 3 * DAY, x1 - 3 * DAY, grouping)  # the view before: a pan away
    read = vp.held.read
    moved = _detail(vp, x0, x1, grouping)
    assert vp.held.read - read < moved.events_in_view  # most were held, not read again
    assert _shown(moved) == _shown(_detail(fresh, x0, x1, grouping))
    vp.close()
    fresh.close()


def test_an_event_written_by_another_connection_is_shown_as_written(project):
    vp = Viewport.open(str(project))
    x0, x1 = _window(vp.store.db)
    before = _detail(vp, x0, x1)
    some = before.events[0].id
    other = open_store(project)  # the window's own connection, writing
    with other.db.conn:
        other.db.execute("UPDATE events SET title = 'Rewritten' WHERE id = ?", [some])
    other.close()
    after = _detail(vp, x0, x1)
    assert [e.title for e in after.events if e.id == some] == ["Rewritten"]
    vp.close()


def test_an_event_written_through_the_same_connection_is_shown_as_written(project):
    store = open_store(project)
    vp = Viewport(store)  # as a small project's window computes its views inline
    x0, x1 = _window(store.db)
    some = _detail(vp, x0, x1).events[0].id
    with store.db.conn:
        store.db.execute("UPDATE events SET title = 'Rewritten' WHERE id = ?", [some])
    assert [e.title for e in _detail(vp, x0, x1).events if e.id == some] == ["Rewritten"]
    store.close()


def test_what_is_held_stays_within_its_bound(project):
    vp = Viewport.open(str(project))
    vp.held.most = 200
    x0, x1 = _window(vp.store.db)
    for k in range(6):
        _detail(vp, x0 + k * 30 * DAY, x1 + k * 30 * DAY)
        assert len(vp.held._events) <= 200  # never more than its bound after a view
    vp.close()
