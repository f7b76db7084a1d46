"""The hostile corpus (tests/fixtures/hostile/generate.py) through `explorer import`: each
input ends in an import or in one clear line, within a generous time bound, and a refused
import leaves the target project exactly as it was."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.store.connection import open_store
from tests.hang import alarm

from ..conftest import FIXTURES

_spec = importlib.util.spec_from_file_location("hostile", FIXTURES / "hostile" / "generate.py")
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
sys.modules["hostile"] = hostile  # dataclasses look their module up there
_spec.loader.exec_module(hostile)

NAMES = [f"{c.fmt}-{c.name}" for c in hostile.cases(big=True)] + [
    f"explorer-csv-{name}" for name, _ in hostile.explorer_csv()
]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, str]]:
    out = tmp_path_factory.mktemp("hostile")
    written = hostile.write(out, big=True)
    return dict(zip(NAMES, written, strict=True))


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with something in it already, so that 'unchanged' means something."""
    folder = tmp_path_factory.mktemp("template")
    src = folder / "seed.json"
    src.write_text('{"events": [{"start_date": {"year": 1999}, "text": {"headline": "seed"}}]}')
    db = folder / "p.db"
    assert main(["import", str(src), "--db", str(db)]) == 0
    return db


def fingerprint(db: Path) -> str:
    with open_store(db, readonly=True) as store:
        dump = "\n".join(store.db.conn.iterdump())
    return hashlib.sha256(dump.encode("utf-8", "surrogatepass")).hexdigest()


@pytest.mark.parametrize("name", NAMES)
def test_hostile_input_ends_cleanly(corpus, template, tmp_path, capsys, name):
    path, fmt, zone = corpus[name]
    db = tmp_path / "p.db"
    shutil.copy(template, db)
    before = fingerprint(db)
    with alarm(30):
        code = main(["import", str(path), "--db", str(db), "--format", fmt, f"--zone={zone}"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    assert code in (0, 1), (code, err)
    if code == 1:
        last = err.strip().splitlines()[-1]
        assert last.startswith("explorer: error: ") and len(last) < 400, err
        assert fingerprint(db) == before  # refused: the project is as it was
    else:
        assert "nothing was written" not in out or "dry run" in out
