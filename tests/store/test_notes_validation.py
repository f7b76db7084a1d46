"""Everything a note or an own item carries is checked on the way in, and a work file that
holds a bad one anyway (written by an older Explorer, or by hand) is read without failing:
the bad row carries its reason."""

import json

import pytest

from explorer.store import notes, user_items
from explorer.store.errors import StoreError
from explorer.store.notes import Target


@pytest.fixture
def work(tmp_path):
    store = notes.open_work(tmp_path / "w.db")
    yield store
    store.close()


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2021-02-01", "2021-02-30", "no day 30"),
        ("2021-02-29", "2021-03-01", "no day 29"),
        ("2021-13-01", "2021-13-02", "no month 13"),
        ("not-a-date", "2021-01-01", "days"),
        ("2021", "2021-12-31", "days"),
        ("2021-01-01", "-0044-03-15", "before its start"),  # text order says otherwise
    ],
)
def test_a_range_note_on_impossible_or_disordered_days_is_refused(start, end, words):
    with pytest.raises(StoreError, match=words):
        Target("range", None, start, end)


def test_a_range_across_the_era_boundary_is_ordered_by_date_not_by_text():
    t = Target("range", None, "-0044-03-15", "0014-08-19")
    assert t.problem is None


@pytest.mark.parametrize(
    ("text", "words"),
    [("\ud800 alone", "not valid Unicode"), ("a\x00b", "NUL")],
)
def test_text_that_cannot_be_stored_is_refused_before_writing(work, text, words):
    with pytest.raises(StoreError, match=words):
        notes.add(work.db, Target("event", "ev-x"), text, author="kim")
    assert notes.list_notes(work.db, include_deleted=True) == []


def test_tags_are_cleaned_in_linear_time_and_capped():
    many = [f"t{i}" for i in range(notes.MAX_TAGS)] * 50  # repeats cost nothing extra
    assert len(notes.clean_tags(many)) == notes.MAX_TAGS
    with pytest.raises(StoreError, match="more than"):
        notes.clean_tags(f"t{i}" for i in range(notes.MAX_TAGS + 1))
    with pytest.raises(StoreError, match="must be text"):
        notes.clean_tags([3])  # type: ignore[list-item]


def test_a_bad_range_note_in_the_work_file_is_read_with_its_reason(work):
    good = notes.add(work.db, Target("range", None, "2021-02-01", "2021-02-03"), "ok", author="k")
    work.db.execute("UPDATE notes SET range_end = '2021-02-30' WHERE id = ?", [good.id])
    other = notes.add(work.db, Target("event", "ev-x"), "fine", author="k")
    listed = {n.id: n for n in notes.list_notes(work.db)}
    bad = listed[good.id].target
    assert bad.problem is not None and "no day 30" in bad.problem
    assert listed[other.id].target.problem is None
    # it can still be deleted (the user's way out)
    assert notes.delete(work.db, good.id).deleted


def test_a_bad_own_item_in_the_work_file_is_read_with_its_reason(work):
    item = user_items.add(
        work.db,
        "event",
        {"title": "mine", "category": "media", "start": "2021-02-01"},
        author="k",
    )
    data = dict(item.data, start="2021-02-30")
    work.db.execute("UPDATE user_items SET data = ? WHERE id = ?", [json.dumps(data), item.id])
    work.db.execute(
        "INSERT INTO user_items VALUES ('u-junk', 'event', '{not json', 'k', 'x', 'x', 'r', 0)"
    )
    listed = {i.id: i for i in user_items.list_items(work.db)}
    assert "no day 30" in str(listed[item.id].problem)
    assert "cannot be read" in str(listed["u-junk"].problem)
    assert user_items.update(work.db, item.id, deleted=True).deleted


BASE = {"title": "x", "category": "media", "start": "2021-01-01"}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"title": "x", "category": "media", "start": "2021-01-01", "precision": 5}, "precision"),
        ({"title": "x\ud800", "category": "media", "start": "2021-01-01"}, "not valid Unicode"),
        (
            {
                "title": "x",
                "category": "media",
                "start": "2021-01-01",
                "sources": [{"source": "s", "quote": 7}],
            },
            "quote must be text",
        ),
        (
            {
                "title": "x",
                "category": "media",
                "start": "2021-01-01",
                "entities": [{"entity": "e", "role": 5}],
            },
            "role must be text",
        ),
    ],
)
def test_own_items_with_fields_that_break_views_are_refused(work, data, words):
    with pytest.raises(StoreError, match=words):
        user_items.add(work.db, "event", data, author="k")
