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
    ],
)
def test_invalid_dataset_is_refused_with_every_problem(curated, name, change, message):
    _edit(curated, name, change)
    with pytest.raises(DatasetError) as err:
        dataset.load(curated)
    assert message in str(err.value)


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
