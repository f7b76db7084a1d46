from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from explorer.dataset import curated as dataset
from explorer.dataset.build import build
from explorer.store.connection import open_store

# Qt draws offscreen in every test, also when pytest is run without make.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
BUNDLED_DB = ROOT / "data" / "explorer.db"
CURATED = ROOT / "data" / "curated"
SEEDS = ROOT.parent / "shared" / "seeds"
INTEROP = ROOT.parent / "shared" / "interop"


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fixtures that outlive one test (a project generated once for a module) write to a user
    folder of the session's: they recorded every file they made in the real user's ledger of
    checked files, which keeps the newest 500, and pushed the user's own projects out of it
    (a known million-event project was checked in full again, 24 s, at its next opening)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("EXPLORER_HOME", str(tmp_path_factory.mktemp("session-home")))
    patch.delenv("EXPLORER_DB", raising=False)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever reads or writes a real user's data folder or a database from the env. The
    user folder sits beside tmp_path, not in it, so a test sees in tmp_path only what it made."""
    monkeypatch.setenv("EXPLORER_HOME", str(tmp_path.parent / f"{tmp_path.name}-home"))
    monkeypatch.delenv("EXPLORER_DB", raising=False)


@pytest.fixture(autouse=True)
def _widgets_live_until_closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A widget given to qtbot lives until qtbot has closed it after the test. qtbot keeps
    only a weak reference: a view the test no longer named, held by nothing but its own
    cycles, was freed by the collector wherever it ran, once in the middle of Qt laying out
    that very view (a segmentation fault, with the timing of one allocation more or less)."""
    from pytestqt.qtbot import QtBot

    kept: dict[int, object] = {}
    add = QtBot.addWidget

    def add_and_keep(self: QtBot, widget: Any, *args: object, **kwargs: object) -> None:
        key = id(widget)
        kept[key] = widget
        # one that Qt deletes itself (closed with WA_DeleteOnClose) is let go with it
        widget.destroyed.connect(lambda *_: kept.pop(key, None))
        add(self, widget, *args, **kwargs)

    monkeypatch.setattr(QtBot, "addWidget", add_and_keep)
    yield
    kept.clear()  # qtbot closed them and Qt deleted them before fixtures are torn down


@pytest.fixture(scope="session")
def mini_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("template") / "mini.db"
    build(dataset.load(MINI / "curated"), out)
    return out


@pytest.fixture
def mini_db(mini_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the small fixture database for each test."""
    path = tmp_path / "mini.db"
    shutil.copyfile(mini_template, path)
    yield path


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    path = tmp_path / "explorer.db"
    shutil.copyfile(BUNDLED_DB, path)
    return path


@pytest.fixture
def bundled() -> Iterator[Database]:
    """The bundled database, open read-only."""
    store = open_store(BUNDLED_DB, readonly=True)
    yield store.db
    store.close()
