"""The annotator's work across undo/redo and across a new release of the curated dataset."""

import shutil

import pytest
import yaml

from explorer import paths
from explorer.dataset import curated as dataset
from explorer.dataset.build import build
from explorer.model.annotations import Annotations, project_key
from explorer.model.own import with_own
from explorer.model.session import Session
from explorer.store.errors import NotFound
from explorer.store.notes import Target

from ..conftest import MINI

EVENT = Target("event", "ev-alliance")


@pytest.fixture
def work(mini_db):
    session = Session.open(mini_db)
    ann = Annotations.open(session, author="kim")
    yield ann
    ann.close()
    session.close()


def test_work_file_lives_in_the_user_folder_named_by_the_dataset(work, tmp_path):
    assert work.path == paths.work_file("mini-fixture")
    assert work.path.is_relative_to(paths.user_data_dir())  # EXPLORER_HOME from conftest
    assert project_key(work.session) == "mini-fixture"


def test_notes_on_unknown_ids_are_refused_when_added(work):
    with pytest.raises(NotFound, match="no event"):
        work.add(Target("event", "ev-typo"), "x")
    work.add(Target("source", "src-a"), "about the source")
    work.add(Target("claim", "cl-beijing-companies-a"), "which is right?")


def test_undo_and_redo_every_change(work):
    seen = []
    work.listeners.append(seen.append)
    n = work.add(EVENT, "v1", tags=["a"])
    work.edit(n.id, text="v2", tags=["b"])
    work.delete(n.id)
    assert work.list_notes() == []
    assert work.undo().text == "v2" and not work.get(n.id).deleted
    assert work.undo().text == "v1" and work.get(n.id).tags == ("a",)
    assert work.undo().deleted  # undoing the add removes the note
    assert not work.can_undo and work.undo() is None
    assert work.redo().text == "v1" and not work.get(n.id).deleted
    assert work.redo().text == "v2"
    assert work.redo().deleted and not work.can_redo
    work.undo()
    work.add(EVENT, "new")  # a new change clears the redo list
    assert not work.can_redo
    assert seen and all(s.ids == {n.id} and s.notes and not s.catalog for s in seen[:9])


def _release_2(tmp_path):
    """The next release of the dataset: a title corrected, an event removed, one added."""
    src = tmp_path / "curated-2"
    shutil.copytree(MINI / "curated", src)
    events = yaml.safe_load((src / "events.yaml").read_text(encoding="utf-8"))
    events[0]["title_en"] = "Shanghai AI Alliance formally founded"
    events = [e for e in events if e["id"] != "ev-ernie"]
    extra = dict(events[1], id="ev-new-in-release-2", title="새 사건")
    events.append(extra)
    (src / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "app-2" / "explorer.db"
    build(dataset.load(src), out)
    return out


def test_installing_a_new_release_keeps_every_note_attached(mini_db, tmp_path):
    s1 = Session.open(mini_db)
    a1 = Annotations.open(s1, author="kim")
    on_alliance = a1.add(EVENT, "founded on the 2nd", tags=["date"])
    on_ernie = a1.add(Target("event", "ev-ernie"), "medical use")
    on_baidu = a1.add(Target("entity", "ent-baidu"), "search company")
    ranged = a1.add(Target("range", None, "2019-07-01", "2019-07-31"), "busy month")
    own = a1.add_item(
        "event",
        {
            "title": "내 사건",
            "category": "visit",
            "start": "2019-07",
            "precision": "month",
            "entities": [{"entity": "ent-baidu", "role": "host"}],
        },
    )
    a1.close()
    s1.close()

    s2 = Session.open(_release_2(tmp_path))  # the new app's bundled database
    a2 = Annotations.open(s2, author="kim")
    assert a2.path == paths.work_file("mini-fixture")  # same work file, found by dataset id
    kept = {n.id: n for n in a2.list_notes()}
    assert set(kept) == {on_alliance.id, on_ernie.id, on_baidu.id, ranged.id}
    assert kept[on_alliance.id].text == "founded on the 2nd" and kept[on_alliance.id].tags == (
        "date",
    )
    assert s2.event("ev-alliance").event.title_en == "Shanghai AI Alliance formally founded"
    assert [n.id for n in a2.list_notes(target=EVENT)] == [on_alliance.id]
    assert [n.id for n in a2.orphans()] == [on_ernie.id]  # its event left the dataset: kept
    assert [i.id for i in a2.items()] == [own.id]  # the user's own event, still linked
    catalog = with_own(s2.catalog(), a2.items())
    assert own.id in catalog.entity_events["ent-baidu"]
    a2.close()
    s2.close()


def test_backup_and_restore_through_the_service(work):
    n = work.add(EVENT, "keep me")
    b = work.backup(keep=3)
    work.delete(n.id)
    work.restore(b)
    assert [x.text for x in work.list_notes()] == ["keep me"]
    assert not work.can_undo  # history of the replaced state no longer applies
    assert len(work.list_backups()) == 2


def test_own_items_undo_and_redo(work):
    data = {"kind": "person", "name": "새 인물"}
    item = work.add_item("entity", data)
    work.edit_item(item.id, {**data, "name": "고친 이름"})
    work.delete_item(item.id)
    assert work.items() == []
    assert work.undo().data["name"] == "고친 이름"
    assert work.undo().data["name"] == "새 인물"
    assert work.undo().deleted
    assert work.redo().data["name"] == "새 인물"
