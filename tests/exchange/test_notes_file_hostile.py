"""A colleague's notes file is checked whole before anything is merged: impossible dates,
text that cannot be stored, time stamps that are not instants, too many tags. Each is
refused with the note it is in; the work file is left as it was."""

import json
import time

import pytest

from explorer.exchange import notes_file
from explorer.exchange.notes_file import BadNotesFile
from explorer.store import notes
from explorer.store.notes import Target


@pytest.fixture
def pair(tmp_path):
    a = notes.open_work(tmp_path / "a.db")
    b = notes.open_work(tmp_path / "b.db")
    notes.add(a.db, Target("range", None, "2021-02-01", "2021-02-03"), "range", author="kim")
    notes.add(a.db, Target("event", "ev-x"), "event", author="kim")
    out = tmp_path / "n.json"
    notes_file.export_notes_file(a.db, out, author="kim")
    yield json.loads(out.read_text("utf-8")), b.db, tmp_path
    a.close()
    b.close()


def _write(tmp_path, data):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), "utf-8")  # json escapes a lone surrogate as \ud800
    return path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda n: n["target"].update(end="2021-02-30"), "no day 30"),
        (lambda n: n["target"].update(start="2021-13-01"), "no month 13"),
        (lambda n: n["target"].update(start=20210201), "must be text"),
        (lambda n: n.update(text="lone \ud800 half"), "not valid Unicode"),
        (lambda n: n.update(author="\udfff"), "not valid Unicode"),
        (lambda n: n.update(tags=["ok", "\ud83d"]), "not valid Unicode"),
        (lambda n: n.update(created="2021-13-45T99:99:99Z"), "time stamp"),
        (lambda n: n.update(updated="2021-02-30T10:00:00Z"), "time stamp"),
        (lambda n: n.update(tags=[f"t{i}" for i in range(notes.MAX_TAGS + 1)]), "more than"),
    ],
)
def test_a_bad_note_is_refused_whole_and_nothing_is_merged(pair, change, words):
    data, work, tmp_path = pair
    change(data["notes"][0])
    with pytest.raises(BadNotesFile, match=words) as info:
        notes_file.import_notes_file(work, _write(tmp_path, data))
    assert "note #1" in str(info.value) and "\n" not in str(info.value)
    assert notes.list_notes(work, include_deleted=True) == []


def test_a_hundred_thousand_tags_are_refused_in_linear_time(pair):
    """A 1.4 MB file with 100,000 tags on one note took 55 s (a quadratic duplicate check)."""
    data, work, tmp_path = pair
    data["notes"][0]["tags"] = [f"tag{i}" for i in range(100_000)]
    path = _write(tmp_path, data)
    started = time.perf_counter()
    with pytest.raises(BadNotesFile, match="more than"):
        notes_file.import_notes_file(work, path)
    assert time.perf_counter() - started < 20  # a hang guard, not a speed target


def test_a_file_that_is_not_a_regular_file_is_refused_without_blocking(tmp_path, pair):
    import os

    _, work, _ = pair
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(BadNotesFile, match="not a regular file"):
        notes_file.import_notes_file(work, fifo)
