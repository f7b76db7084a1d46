"""A file added to an open project as a layer of one's own: its events beside the curated
ones (which stay as they were), marked with the layer; hidden, shown and removed as one
step; added and removed as one undoable step; exported like any own item."""

from __future__ import annotations

import hashlib
import json

import pytest

from explorer.exchange.imports.apply import ImportRefused
from explorer.model import layers
from explorer.model.annotations import Annotations
from explorer.model.session import Session
from explorer.model.workspace import Workspace


def _timeline(tmp_path, bad=False):
    events = [
        {
            "start_date": {"year": "2019", "month": "7", "day": str(d)},
            "text": {"headline": f"field visit {d}"},
            "group": "fieldwork",
            "location": {"name": "Pudong", "lat": 31.22, "lon": 121.54},
        }
        for d in range(1, 6)
    ]
    if bad:
        events.append({"start_date": {"year": "20x9"}, "text": {"headline": "bad"}})
    path = tmp_path / ("visits-bad.json" if bad else "visits.json")
    path.write_text(json.dumps({"events": events}), encoding="utf-8")
    return path


@pytest.fixture
def ws(mini_db, tmp_path):
    session = Session.open(mini_db)
    work = Workspace(session, Annotations.open(session, tmp_path / "w.db", "kim"), lang="en")
    yield work
    work.close()


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_becomes_a_layer_of_own_events_beside_the_curated_ones(ws, mini_db, tmp_path):
    before = _sha(mini_db)
    curated = {e.id for e in ws.catalog.events}
    added = layers.add_file(ws, _timeline(tmp_path))
    assert added.layer.events == 5 and added.places == 1
    mine = [e for e in ws.catalog.events if e.id not in curated]
    assert len(mine) == 5 and all(e.origin == "own" and e.category == "fieldwork" for e in mine)
    assert {e.id for e in ws.catalog.events} >= curated  # the curated events stay
    place = next(i for i in ws.annotations.items("entity"))
    assert (place.data["lat"], place.data["lon"]) == (31.22, 121.54)
    assert [lay.name for lay in layers.layers(ws)] == ["visits"]
    assert _sha(mini_db) == before  # the project itself is never written


def test_a_layer_is_hidden_shown_and_removed_as_one_step(ws, tmp_path):
    added = layers.add_file(ws, _timeline(tmp_path))
    n = len(ws.catalog.events)
    layers.set_hidden(ws, added.layer.id, True)
    assert len(ws.catalog.events) == n - 5 and ws.own == ()
    assert ws.view_state()["hidden_layers"] == [added.layer.id]
    layers.set_hidden(ws, added.layer.id, False)
    assert len(ws.catalog.events) == n
    assert layers.remove(ws, added.layer.id) == 7  # the source, the place, five events
    assert len(ws.catalog.events) == n - 5 and layers.layers(ws) == []
    ws.undo()  # the removal, as one step
    assert len(ws.catalog.events) == n
    ws.undo()  # the adding, as one step
    assert len(ws.catalog.events) == n - 5
    ws.redo()
    assert len(ws.catalog.events) == n


def test_a_file_with_bad_items_is_refused_unless_asked_to_skip(ws, tmp_path):
    n = len(ws.catalog.events)
    with pytest.raises(ImportRefused):
        layers.add_file(ws, _timeline(tmp_path, bad=True))
    assert len(ws.catalog.events) == n
    added = layers.add_file(ws, _timeline(tmp_path, bad=True), skip_bad=True)
    assert added.layer.events == 5 and len(added.report.rejected) == 1


def test_a_layer_travels_in_exports_like_other_own_items(ws, tmp_path):
    from explorer.model.exports import export_data

    layers.add_file(ws, _timeline(tmp_path))
    export_data(ws, "json", tmp_path / "all.json")
    doc = json.loads((tmp_path / "all.json").read_text("utf-8"))
    assert sum(1 for i in doc["items"] if i["data"].get("layer_name") == "visits") == 7
    out = export_data(ws, "timelinejs", tmp_path / "t.json")
    assert out == len(ws.catalog.events)


def test_a_layers_places_are_on_the_map_where_the_file_put_them(ws, tmp_path):
    """A TimelineJS file's location became an own place with coordinates, yet the map
    counted it among the places without coordinates and drew nothing."""
    from explorer.model import linked
    from explorer.model.views_engine import ViewsEngine

    engine = ViewsEngine(ws.session.store)
    before = engine.places(linked.request(ws, "map", 1))
    layers.add_file(ws, _timeline(tmp_path))
    result = engine.places(linked.request(ws, "map", 2))
    place = next(i for i in ws.annotations.items("entity"))
    mine = [m for m in result.markers if m.id == place.id]
    assert len(mine) == 1
    assert (mine[0].lat, mine[0].lon, mine[0].events) == (31.22, 121.54, 5)
    assert result.unplaced == before.unplaced  # not counted among those without coordinates
