"""Every revision's text stays findable: a colleague's revision that descends from the
user's replaces it only as the current one, the report says whose text was rewritten or
deleted, the import is undone as one step, and conflicts a later merge settled go away."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explorer.exchange import notes_file
from explorer.model.annotations import Annotations
from explorer.store import merge, notes
from explorer.store.connection import open_store
from explorer.store.notes import Target
from explorer.store.work_schema import WORK

EVENT = Target("event", "ev-alliance")
FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def two(tmp_path):
    """kim's work file (through Annotations, for undo) and lee's."""
    kim = Annotations(notes.open_work(tmp_path / "kim.db"), None, "kim")
    lee = notes.open_work(tmp_path / "lee.db")
    yield kim, lee.db, tmp_path
    kim.close()
    lee.close()


def _send(db, tmp_path, author, name="x.json"):
    out = tmp_path / name
    notes_file.export_notes_file(db, out, author=author, force=True)
    return out


def test_a_fast_forward_keeps_the_users_text_and_says_whose_it_was(two):
    kim, lee, tmp = two
    mine = kim.add(EVENT, "kim's careful reading")
    gone = kim.add(Target("entity", "ent-baidu"), "kim on Baidu")
    notes_file.import_notes_file(lee, _send(kim.store.db, tmp, "kim"))
    notes.update(lee, mine.id, text="lee's rewrite", expected_revision=None)
    edited = notes.get(lee, mine.id)
    lee_note = notes.Note(**{**edited.__dict__, "author": "lee"})
    with notes.saving(lee):
        notes.write(lee, lee_note, notes.history(lee, mine.id))
    notes.delete(lee, gone.id)
    lee_gone = notes.get(lee, gone.id)
    with notes.saving(lee):
        notes.write(lee, notes.Note(**{**lee_gone.__dict__, "author": "lee"}))

    report = kim.import_(_send(lee, tmp, "lee", "back.json"))
    assert report.updated == 2 and report.conflicts == 0
    assert "rewritten by lee" in report.summary() and "deleted by lee" in report.summary()
    assert kim.get(mine.id).text == "lee's rewrite"
    texts = [v.text for v in notes.versions(kim.store.db, mine.id)]
    assert texts[0] == "kim's careful reading" and texts[-1] == "lee's rewrite"

    kim.undo()  # the whole import, as one step
    assert kim.get(mine.id).text == "kim's careful reading"
    assert not kim.get(gone.id).deleted
    kim.redo()
    assert kim.get(mine.id).text == "lee's rewrite" and kim.get(gone.id).deleted


def test_an_import_that_adds_notes_is_undone_as_one_step(two):
    kim, lee, tmp = two
    for i in range(3):
        notes.add(lee, EVENT, f"lee {i}", author="lee")
    kim.add(EVENT, "before the import")
    kim.import_(_send(lee, tmp, "lee"))
    assert len(kim.list_notes()) == 4
    kim.undo()
    assert [n.text for n in kim.list_notes()] == ["before the import"]


def test_a_conflict_settled_by_a_later_merge_is_no_longer_listed(two):
    kim, lee, tmp = two
    n = kim.add(EVENT, "v1")
    notes_file.import_notes_file(lee, _send(kim.store.db, tmp, "kim"))
    kim.edit(n.id, text="kim's version")
    notes.update(lee, n.id, text="lee's version")
    kim.import_(_send(lee, tmp, "lee", "l1.json"))  # diverged: a conflict waits at kim's
    assert len(kim.conflicts()) == 1
    # lee takes kim's version too and settles it on their side (keeps both)
    notes_file.import_notes_file(lee, _send(kim.store.db, tmp, "kim", "k2.json"))
    [c] = merge.conflicts(lee)
    merge.resolve(lee, n.id, c.theirs.revision, "both")
    report = kim.import_(_send(lee, tmp, "lee", "l2.json"))
    assert report.conflicts == 0
    assert kim.conflicts() == []  # the stale conflict went with the merge that settled it


def test_a_version_2_work_file_is_upgraded_with_every_current_text_kept(tmp_path):
    path = tmp_path / "w.db"
    shutil.copyfile(FIXTURES / "work-v2.db", path)
    with open_store(path, spec=WORK, backup_dir=tmp_path / "b") as store:
        assert store.upgraded_from == 2 and store.schema_version == WORK.version
        db = store.db
        n = notes.versions(db, "3c8f5c8e-1111-4c1e-9a4f-000000000001")
        assert [(v.text, v.tags) for v in n] == [("확인할 날짜", ("검토", "date"))]
        assert notes.versions(db, "3c8f5c8e-1111-4c1e-9a4f-000000000003")[0].deleted
        items = db.execute("SELECT count(*) FROM user_item_versions").fetchone()[0]
        assert items == 1
