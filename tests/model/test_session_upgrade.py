"""A project of an older schema opens where a user opens it: the window and the command
line open projects read-only, and an older one was refused ("needs an upgrade … but it is
read-only") after every schema change, though the README promised an upgrade."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from explorer.model.session import Session
from explorer.store.errors import ReadOnlyStore
from explorer.store.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_an_older_project_is_upgraded_then_opened_read_only(tmp_path):
    path = tmp_path / "mine.db"
    shutil.copyfile(FIXTURES / "schema-v10.db", path)
    with Session.open(path) as session:  # read-only, as the window opens it
        assert session.store.readonly
        assert session.store.schema_version == SCHEMA_VERSION
        assert session.events()  # and it reads
    backups = [p for p in tmp_path.rglob("*") if p.is_file() and "before-v" in p.name]
    assert backups, "the old file is backed up before the upgrade"
    with Session.open(path) as session:  # upgraded already: nothing more to say
        assert session.store.warning is None


def test_an_upgrade_is_said_with_where_the_old_file_is_kept(tmp_path, capsys):
    from explorer import cli

    path = tmp_path / "mine.db"
    shutil.copyfile(FIXTURES / "schema-v11.db", path)
    with Session.open(path) as session:  # what the window shows in its status bar
        said = session.store.warning
        assert said is not None and f"upgraded from schema version 11 to {SCHEMA_VERSION}" in said
        kept = Path(said.split("kept at ")[1])
        assert kept.is_file() and "before-v" in kept.name
    shutil.copyfile(FIXTURES / "schema-v11.db", path)
    assert cli.main(["search", "Baidu", "--db", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("explorer: note: ") and "upgraded from schema version 11" in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_older_project_in_a_read_only_folder_is_refused_untouched(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "mine.db"
    shutil.copyfile(FIXTURES / "schema-v10.db", path)
    before = path.read_bytes()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    path.chmod(stat.S_IRUSR)
    try:
        with pytest.raises(ReadOnlyStore):
            Session.open(path)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert path.read_bytes() == before


def test_an_upgrade_that_cannot_write_is_refused_with_its_reason(tmp_path, monkeypatch):
    """What a read-only medium does (as root, the folder test above cannot be run)."""
    import explorer.model.session as session_module
    from explorer.store import connection

    path = tmp_path / "mine.db"
    shutil.copyfile(FIXTURES / "schema-v10.db", path)
    before = path.read_bytes()

    def open_store(p, *, readonly=False, **kw):
        if not readonly:
            raise ReadOnlyStore(f"{p} is on a read-only medium")
        return connection.open_store(p, readonly=readonly, **kw)

    monkeypatch.setattr(session_module, "open_store", open_store)
    with pytest.raises(ReadOnlyStore, match="read-only medium"):
        Session.open(path)
    assert path.read_bytes() == before
