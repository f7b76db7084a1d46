"""The annotator's own events, entities and sources: checked, versioned, exchanged."""

import pytest

from explorer.exchange import notes_file
from explorer.store import merge, notes, user_items
from explorer.store.errors import StoreError

EVENT = {
    "title": "베이징 AI 펀드 발표", "title_en": "Beijing AI fund announced",
    "category": "investment",
    "start": "2024-03", "precision": "month", "qualifier": "circa", "date_text": "3월 무렵",
    "entities": [{"entity": "ent-beijing", "role": "announcer"}],
    "sources": [{"source": "src-a", "quote": "인용"}],
}  # fmt: skip


@pytest.fixture
def people(tmp_path):
    a = notes.open_work(tmp_path / "a.db")
    b = notes.open_work(tmp_path / "b.db")
    yield a.db, b.db, tmp_path
    a.close()
    b.close()


def test_items_are_checked_and_versioned(people):
    a, _, _ = people
    ev = user_items.add(a, "event", EVENT, author="kim")
    assert ev.id.startswith("u-") and ev.data["precision"] == "month"
    changed = user_items.update(a, ev.id, data={**EVENT, "title": "고친 제목"})
    assert changed.revision != ev.revision and user_items.get(a, ev.id).title() == "고친 제목"
    assert user_items.history(a, ev.id) == [ev.revision, changed.revision]
    ent = user_items.add(
        a,
        "entity",
        {
            "kind": "organization",
            "name": "새 기관",
            "aliases": [{"alias": "New Org", "lang": "en"}],
        },
        author="kim",
    )
    src = user_items.add(
        a, "source", {"title": "내 메모 출처", "published": "2024-05"}, author="kim"
    )
    assert [i.kind for i in user_items.list_items(a)] == ["event", "entity", "source"]
    user_items.update(a, ent.id, deleted=True)
    assert [i.id for i in user_items.list_items(a)] == [ev.id, src.id]


@pytest.mark.parametrize(
    ("kind", "data", "words"),
    [
        ("event", {**EVENT, "category": "party"}, "category"),
        ("event", {**EVENT, "start": "2024-13"}, "no month"),
        ("event", {**EVENT, "precision": "day"}, "day precision"),
        ("event", {**EVENT, "title": ""}, "'title' is required"),
        ("event", {**EVENT, "sources": [{"source": "s", "quote": "x" * 1001}]}, "1,000"),
        ("entity", {"kind": "company", "name": "x"}, "kind is one of"),
        (
            "entity",
            {"kind": "person", "name": "x", "aliases": [{"alias": "y", "lang": "fr"}]},
            "lang",
        ),
        ("source", {"title": "x", "published": "May 2024"}, "not a date"),
        ("person", {}, "unknown kind"),
    ],
)
def test_bad_items_are_refused(people, kind, data, words):
    a, _, _ = people
    with pytest.raises(StoreError, match=words):
        user_items.add(a, kind, data, author="kim")
    assert user_items.list_items(a) == []


def test_items_travel_merge_and_conflict_like_notes(people):
    a, b, tmp = people
    ev = user_items.add(a, "event", EVENT, author="kim")
    out = tmp / "x.json"
    notes_file.export_notes_file(a, out, author="kim")
    r = notes_file.import_notes_file(b, out)
    assert r.added == 1 and user_items.get(b, ev.id).data == ev.data
    assert notes_file.import_notes_file(b, out).unchanged == 1
    user_items.update(a, ev.id, data={**EVENT, "title": "kim's"})
    user_items.update(b, ev.id, data={**EVENT, "title": "lee's"})
    notes_file.export_notes_file(b, out, author="lee", force=True)
    assert notes_file.import_notes_file(a, out).conflicts == 1
    views = merge.all_conflicts(a)
    assert [(v.kind, v.id) for v in views] == [("item", ev.id)]
    assert "kim's" in views[0].mine_text and "lee's" in views[0].theirs_text
    kept = merge.resolve_any(a, "item", ev.id, views[0].their_revision, "both")
    assert len(kept) == 2 and merge.all_conflicts(a) == []
    assert sorted(i.title() for i in user_items.list_items(a)) == ["kim's", "lee's"]


def test_a_bad_item_refuses_the_whole_bundle(people):
    a, b, tmp = people
    notes.add(a, notes.Target("event", "ev-alliance"), "note", author="kim")
    user_items.add(a, "event", EVENT, author="kim")
    out = tmp / "x.json"
    notes_file.export_notes_file(a, out, author="kim")
    text = out.read_text().replace('"investment"', '"party"')
    out.write_text(text)
    with pytest.raises(notes_file.BadNotesFile, match="item #1"):
        notes_file.import_notes_file(b, out)
    assert notes.list_notes(b) == [] and user_items.list_items(b) == []
