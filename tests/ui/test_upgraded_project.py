"""A project of an older schema, opened in the window as a user opens it: it is upgraded
(backed up first), and the window says so, with where the file as it was is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

from explorer.store.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_the_window_says_its_project_was_upgraded_and_where_the_old_file_is(
    qtbot, make_window, tmp_path
):
    path = tmp_path / "mine.db"
    shutil.copyfile(FIXTURES / "schema-v11.db", path)
    w = make_window(db=path)
    said = w.statusBar().currentMessage()
    assert f"upgraded from schema version 11 to {SCHEMA_VERSION}" in said
    assert Path(said.split("kept at ")[1]).is_file()
    # said before the window was shown: Qt drew the event count over it, both at once
    assert not w.status.isVisible()
    w.statusBar().clearMessage()
    assert w.status.isVisible() and w.status.text()
    assert w.ws.session.events()  # and it reads, read-only as the window opens it
    # the next start has nothing to say
    w2 = make_window(db=path)
    assert "upgraded" not in w2.statusBar().currentMessage()


def test_a_korean_window_says_it_in_korean(qtbot, make_window, tmp_path):
    path = tmp_path / "mine.db"
    shutil.copyfile(FIXTURES / "schema-v11.db", path)
    said = make_window(db=path, lang="ko").statusBar().currentMessage()
    assert f"스키마 버전 11에서 {SCHEMA_VERSION}(으)로 올렸습니다" in said and "before-v" in said


def test_a_recovered_copy_is_said_in_the_window_s_language():
    from types import SimpleNamespace

    from explorer.ui.i18n import Translator
    from explorer.ui.opening import store_message

    store = SimpleNamespace(path=Path("p.db"), recovered=Path("copy.db"), upgraded_from=None)
    session = SimpleNamespace(store=store)
    assert "마지막으로 쓰던 작업이 끝나지 않았습니다" in store_message(session, Translator("ko"))
    assert "did not finish" in store_message(session, Translator("en"))
    store.recovered = None
    assert store_message(session, Translator("en")) is None
