"""An export only ever writes and replaces its own files. `explorer export --format csv
--out DIR --force` used to replace DIR whole: a thesis and a sub-folder in it were gone."""

import os
import subprocess
import sys

import pytest

from explorer.exchange.export import csv_names, export_csv, export_json
from explorer.store.connection import open_store
from explorer.store.errors import StoreError


def _cli(*argv):
    return subprocess.run(
        [sys.executable, "-m", "explorer", *argv], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "out"
    (out / "chapter").mkdir(parents=True)
    (out / "thesis.docx").write_bytes(b"my thesis")
    (out / "chapter" / "notes.txt").write_text("mine", "utf-8")
    return out


def _users_files_are_there(out):
    assert (out / "thesis.docx").read_bytes() == b"my thesis"
    assert (out / "chapter" / "notes.txt").read_text("utf-8") == "mine"


def test_csv_export_into_a_folder_of_the_users_keeps_everything_else(mini_db, folder):
    r = _cli("export", "--db", str(mini_db), "--format", "csv", "--out", str(folder), "--force")
    assert r.returncode == 0, r.stderr
    _users_files_are_there(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*csv_names(), "thesis.docx", "chapter"]
    )
    # again without --force: it would replace its own files, so it asks for --force
    r = _cli("export", "--db", str(mini_db), "--format", "csv", "--out", str(folder))
    assert r.returncode == 1 and "--force" in r.stderr
    _users_files_are_there(folder)
    r = _cli("export", "--db", str(mini_db), "--format", "csv", "--out", str(folder), "--force")
    assert r.returncode == 0
    _users_files_are_there(folder)
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # nothing left over


def test_a_folder_with_none_of_the_exports_files_needs_no_force(mini_db, folder):
    with open_store(mini_db, readonly=True) as store:
        assert export_csv(store.db, folder) > 0
    _users_files_are_there(folder)


def test_an_earlier_exports_notes_never_stay_beside_a_new_one(mini_db, folder):
    (folder / "notes.csv").write_text("stale", "utf-8")
    with open_store(mini_db, readonly=True) as store:
        export_csv(store.db, folder, force=True)  # no work file: empty notes and items
    assert (folder / "notes.csv").read_text("utf-8-sig").splitlines()[1:] == []


def test_a_file_or_folder_of_the_wrong_kind_is_refused_untouched(mini_db, folder):
    with open_store(mini_db, readonly=True) as store:
        with pytest.raises(StoreError, match="is a file"):
            export_csv(store.db, folder / "thesis.docx", force=True)
        with pytest.raises(StoreError, match="is a folder"):
            export_json(store.db, folder, force=True)
    _users_files_are_there(folder)
    assert os.listdir(folder / "chapter") == ["notes.txt"]
