import shutil
from pathlib import Path

import pytest
import yaml

from explorer.dataset import curated as dataset
from explorer.dataset.build import build
from explorer.exchange.export import dump
from explorer.store.connection import open_store
from explorer.store.errors import DatasetError

from ..conftest import MINI


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    folder = tmp_path / "curated"
    shutil.copytree(MINI / "curated", folder)
    return folder


def _edit(folder: Path, name: str, change) -> None:
    path = folder / f"{name}.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(rows)
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")


def test_build_derives_bounds_and_ranges(tmp_path, curated):
    out = tmp_path / "x.db"
    counts = build(dataset.load(curated), out)
    assert counts["events"] == 4 and counts["aliases"] == 14
    with open_store(out, readonly=True) as store:
        row = store.db.execute(
            "SELECT earliest, latest FROM events WHERE id = 'ev-cooperation'"
        ).fetchone()
        assert row == ("2017-01-01", "2017-12-31")
        low, high = store.db.execute(
            "SELECT value_low, value_high FROM claims WHERE id = 'cl-beijing-companies-b'"
        ).fetchone()
        assert (low, high) == (2400, None)


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("events", lambda r: r[0].update(start="2019-7-2"), "not written at day precision"),
        ("events", lambda r: r[0].update(category="party"), "category 'party'"),
        (
            "events",
            lambda r: r[0]["entities"].append({"entity": "ent-x", "role": "host"}),
            "unknown entity 'ent-x'",
        ),
        ("events", lambda r: r[1].update(id=r[0]["id"]), "duplicate id"),
        ("events", lambda r: r[0]["sources"][0].update(quote="가" * 301), "301 characters"),
        ("events", lambda r: r[0].update(sources=[]), "has no source"),
        ("claims", lambda r: r[0].update(value="2,200"), "must be a number"),
        ("claims", lambda r: r[0].update(metric="nothing"), "unknown metric"),
        ("entities", lambda r: r[0].update(kind="company"), "kind 'company'"),
        (
            "entities",
            lambda r: r[0]["aliases"].append({"alias": "Baidu Inc", "lang": "en", "primary": True}),
            "2 primary aliases in en",
        ),
        # every place has a point: its own, or that of a place containing it (approximate)
        (
            "entities",
            lambda r: r[2].update(location={"source": "none", "note": "no point found"}),
            "entity ent-haidian: location needs numbers lat and lon",
        ),
        ("entities", lambda r: r[2].pop("location"), "entity ent-haidian: a place needs a"),
        (
            "entities",
            lambda r: r[2]["location"].pop("within"),
            "entity ent-haidian: an approximate location needs 'within'",
        ),
        (
            "entities",
            lambda r: r[2]["location"].update(within="ent-baidu"),  # not a place
            "an approximate location needs 'within': another place with its own point",
        ),
        (
            "entities",
            lambda r: r[2]["location"].update(within="ent-haidian"),  # itself
            "an approximate location needs 'within': another place with its own point",
        ),
        (
            "entities",
            lambda r: r[2]["location"].update(lat=40.0),
            "its lat, lon and source must be those of ent-beijing",
        ),
        (
            "entities",
            lambda r: r[2]["location"].update(source="geonames:1809104"),
            "its lat, lon and source must be those of ent-beijing",
        ),
        (
            "entities",
            lambda r: r[2]["location"].pop("note"),
            "an approximate location needs a note",
        ),
        (
            "entities",
            lambda r: r[2]["location"].update(approximate="yes"),
            "approximate must be true or false",
        ),
        (
            "entities",
            lambda r: r[2]["location"].update(approximate=False),
            "names a place it is 'within' but is not approximate",
        ),
        (
            "entities",
            lambda r: r[1]["location"].update(approximate=True, within="ent-haidian"),
            "entity ent-beijing: an approximate location needs 'within': another place",
        ),
    ],
)
def test_invalid_dataset_is_refused_with_every_problem(curated, name, change, message):
    _edit(curated, name, change)
    with pytest.raises(DatasetError) as err:
        dataset.load(curated)
    assert message in str(err.value)


def test_an_approximate_point_is_built_as_such_and_an_exact_one_as_exact(tmp_path, curated):
    out = tmp_path / "x.db"
    counts = build(dataset.load(curated), out)
    assert counts["locations"] == 2
    with open_store(out, readonly=True) as store:
        rows = store.db.execute(
            "SELECT entity_id, lat, lon, source, approximate, within_id FROM locations"
            " ORDER BY entity_id"
        ).fetchall()
    assert rows == [
        ("ent-beijing", 39.9075, 116.39723, "geonames:1816670", 0, None),
        ("ent-haidian", 39.9075, 116.39723, "geonames:1816670", 1, "ent-beijing"),
    ]


def test_unreadable_yaml_is_reported(curated):
    (curated / "events.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="cannot be read"):
        dataset.load(curated)


def test_failed_build_keeps_the_previous_database(tmp_path, curated, monkeypatch):
    out = tmp_path / "x.db"
    build(dataset.load(curated), out)
    before = out.read_bytes()
    ds = dataset.load(curated)
    ds.events.append(dict(ds.events[0]))  # duplicate primary key: fails half-way through
    with pytest.raises(Exception, match="UNIQUE"):
        build(ds, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curated", "x.db"]


def test_build_is_deterministic(tmp_path, curated):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    build(dataset.load(curated), a)
    build(dataset.load(curated), b)
    with open_store(a, readonly=True) as sa, open_store(b, readonly=True) as sb:
        assert dump(sa.db) == dump(sb.db)


def test_a_built_database_is_known_sound_where_it_lands(tmp_path, curated):
    from explorer.store import checked_files

    out = tmp_path / "built.db"
    build(dataset.load(curated), out)
    assert checked_files.known(out)
    with open_store(out, readonly=True, check="later") as store:
        assert store.check_state == "known"
