"""Projects: the recent ones (the bundled dataset always among them) and each project's own
view, kept in the per-user folder and read forgivingly."""

from __future__ import annotations

import json

import pytest

from explorer import paths
from explorer.model import projects
from explorer.model.filters import Filters
from explorer.model.session import Session
from explorer.model.workspace import Workspace
from explorer.store.errors import StoreError


def test_recent_projects_put_the_latest_first_and_keep_the_bundled_one(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    for p in (a, b):
        projects.new_project(p)
    projects.remember(a)  # b was made (and so remembered) last; a is opened again
    assert projects.recent()[:2] == [a.resolve(), b.resolve()]
    projects.remember(b)
    listed = projects.recent()
    assert listed[:2] == [b.resolve(), a.resolve()]
    assert paths.bundled_db().resolve() in [p.resolve() for p in listed]
    a.unlink()  # a project deleted since is not offered
    assert a.resolve() not in projects.recent()


def test_a_damaged_list_of_recent_projects_is_ignored():
    path = paths.user_data_dir() / projects.RECENT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"not": "a list"', "utf-8")
    assert [p.name for p in projects.recent()] == [paths.bundled_db().name]


def test_a_new_project_refuses_a_path_that_exists(tmp_path):
    made = projects.new_project(tmp_path / "deep" / "folder" / "mine.db")
    assert made.is_file()
    with pytest.raises(StoreError, match="already exists"):
        projects.new_project(made)


def test_each_project_reopens_on_its_own_view(mini_db, bundled_copy):
    with Session.open(bundled_copy) as session:
        ws = Workspace(session, lang="en")
        ws.restore_view(None)  # never seen: fitted to its data
        assert ws.window == pytest.approx(projects_fitted(ws))
        ws.set_grouping("place")
        ws.set_filters(Filters(categories=frozenset({"policy"})))
        ws.set_window(1.5e9, 1.6e9)
        projects.save_view("bundled", ws.view_state())
    with Session.open(mini_db) as session:
        other = Workspace(session, lang="en")
        other.restore_view(projects.load_view("mini"))  # its own (none): fitted to it
        assert other.grouping == "category" and not other.filters.active
        assert other.window == pytest.approx(projects_fitted(other))
    with Session.open(bundled_copy) as session:
        again = Workspace(session, lang="en")
        again.restore_view(projects.load_view("bundled"))
        assert again.grouping == "place" and again.filters.categories == {"policy"}
        assert again.window == pytest.approx((1.5e9, 1.6e9))


def projects_fitted(ws):
    from explorer.model import window as tw

    return tw.fitted(ws.extent())


@pytest.mark.parametrize(
    "state",
    [
        {"window": "2019", "grouping": 3, "filters": [1, 2], "selected": "x"},
        {"window": [5, 1], "grouping": "nope", "filters": {"categories": "policy"}},
        {"filters": {"date_from": "2021-02-30"}, "selected": {"kind": "event", "id": "ev-gone"}},
        {"hidden_layers": "everything"},
    ],
)
def test_a_broken_or_stale_view_opens_fitted_and_never_fails(mini_db, state):
    with Session.open(mini_db) as session:
        ws = Workspace(session)
        ws.restore_view(json.loads(json.dumps(state)))
        assert ws.window == pytest.approx(projects_fitted(ws))
        assert ws.grouping == "category" and ws.selected_event is None
