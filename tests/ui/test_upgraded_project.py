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
    assert w.ws.session.events()  # and it reads, read-only as the window opens it
    # the next start has nothing to say
    w2 = make_window(db=path)
    assert "upgraded" not in w2.statusBar().currentMessage()
