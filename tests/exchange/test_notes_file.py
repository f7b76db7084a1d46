"""Exchanging annotations between colleagues: nothing is duplicated, nothing is lost."""

import json

import pytest

from explorer.exchange import notes_file
from explorer.exchange.notes_file import BadNotesFile
from explorer.store import merge, notes
from explorer.store.notes import Target

EVENT = Target("event", "ev-alliance")


@pytest.fixture
def people(tmp_path):
    """Two annotators, each with their own work file."""
    a = notes.open_work(tmp_path / "a.db")
    b = notes.open_work(tmp_path / "b.db")
    yield a.db, b.db, tmp_path
    a.close()
    b.close()


def share(src, dst, tmp_path, name="x.json"):
    out = tmp_path / name
    notes_file.export_notes_file(src, out, author="me", force=True)
    return notes_file.import_notes_file(dst, out)


def texts(db):
    return sorted(n.text for n in notes.list_notes(db))


def test_export_import_and_reimport_changes_nothing(people):
    a, b, tmp = people
    notes.add(a, EVENT, "첫 메모", author="kim", tags=["확인"])
    notes.add(a, Target("range", None, "2019-07-01", "2019-07-31"), "July", author="kim")
    r = share(a, b, tmp)
    assert (r.added, r.updated, r.conflicts) == (2, 0, 0)
    assert texts(b) == texts(a)
    assert notes.list_notes(b, tag="확인")[0].tags == ("확인",)
    again = share(a, b, tmp)
    assert (again.added, again.updated, again.unchanged, again.conflicts) == (0, 0, 2, 0)
    assert len(notes.list_notes(b)) == 2


def test_an_edit_by_a_colleague_fast_forwards(people):
    a, b, tmp = people
    n = notes.add(a, EVENT, "v1", author="kim")
    share(a, b, tmp)
    notes.update(b, n.id, text="v2 by lee")
    r = share(b, a, tmp)
    assert (r.updated, r.conflicts) == (1, 0)
    assert notes.get(a, n.id).text == "v2 by lee"
    # and sending it back again changes nothing on either side
    assert share(a, b, tmp).unchanged == 1


def test_an_older_copy_never_overwrites_a_newer_one(people):
    a, b, tmp = people
    n = notes.add(a, EVENT, "v1", author="kim")
    share(a, b, tmp, "old.json")
    notes.update(a, n.id, text="v2")
    r = notes_file.import_notes_file(a, tmp / "old.json")  # v1 comes back from somewhere
    assert r.unchanged == 1 and notes.get(a, n.id).text == "v2"


def test_deletions_travel(people):
    a, b, tmp = people
    n = notes.add(a, EVENT, "to delete", author="kim")
    share(a, b, tmp)
    notes.delete(a, n.id)
    assert share(a, b, tmp).updated == 1
    assert notes.list_notes(b) == []


def test_divergent_edits_keep_both_until_resolved(people):
    a, b, tmp = people
    n = notes.add(a, EVENT, "v1", author="kim")
    share(a, b, tmp)
    notes.update(a, n.id, text="kim's version")
    notes.update(b, n.id, text="lee's version", tags=["lee"])
    r = share(b, a, tmp)
    assert r.conflicts == 1 and notes.get(a, n.id).text == "kim's version"
    found = merge.conflicts(a)
    assert [(c.mine.text, c.theirs.text) for c in found] == [("kim's version", "lee's version")]
    assert share(b, a, tmp).conflicts == 0  # re-import does not add the conflict twice
    assert len(merge.conflicts(a)) == 1


@pytest.mark.parametrize(
    ("keep", "expected"),
    [
        ("mine", ["kim's version"]),
        ("theirs", ["lee's version"]),
        ("both", ["kim's version", "lee's version"]),
    ],
)
def test_resolving_a_conflict(people, keep, expected):
    a, b, tmp = people
    n = notes.add(a, EVENT, "v1", author="kim")
    share(a, b, tmp)
    notes.update(a, n.id, text="kim's version")
    notes.update(b, n.id, text="lee's version")
    share(b, a, tmp)
    c = merge.conflicts(a)[0]
    merge.resolve(a, n.id, c.theirs.revision, keep)
    assert texts(a) == expected and merge.conflicts(a) == []
    # The resolution knows both versions: sent back to lee, it fast-forwards there.
    r = share(a, b, tmp)
    assert r.conflicts == 0
    assert notes.get(b, n.id).text == notes.get(a, n.id).text
    assert share(b, a, tmp).conflicts == 0


def test_notes_on_unknown_events_are_kept(people):
    a, b, tmp = people
    notes.add(a, Target("event", "ev-only-in-kims-dataset"), "orphan", author="kim")
    assert share(a, b, tmp).added == 1
    assert notes.list_notes(b)[0].target.id == "ev-only-in-kims-dataset"


def _bundle(tmp, data, name="bad.json"):
    path = tmp / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _raw(tmp, data: bytes):
    path = tmp / "raw.json"
    path.write_bytes(data)
    return path


def _good(a, tmp):
    notes.add(a, EVENT, "good", author="kim")
    out = tmp / "good.json"
    notes_file.export_notes_file(a, out, author="kim")
    return json.loads(out.read_text())


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp, g: _raw(tmp, b'{"format": "explorer-ann'), "not valid JSON"),
        (lambda tmp, g: _raw(tmp, b'{"x": "\xff\xfe"}'), "not UTF-8"),
        (lambda tmp, g: _raw(tmp, b"[" * 100000 + b"]" * 100000), "not valid JSON"),
        (
            lambda tmp, g: _raw(
                tmp,
                b'{"format": "explorer-annotations", "format_version": 1, "notes": ['
                + b"[" * 100000
                + b"]" * 100000
                + b"]}",
            ),
            "nested too deeply",
        ),
        (lambda tmp, g: _raw(tmp, json.dumps(g).encode() + b" {}"), "more text after"),
        (lambda tmp, g: _raw(tmp, json.dumps(g).encode()[:-40]), "not valid JSON"),
        (lambda tmp, g: _bundle(tmp, {"notes": g["notes"], **g}), "must come before"),
        (lambda tmp, g: _bundle(tmp, {**g, "notes": {"a": 1}}), "no list of notes"),
        (lambda tmp, g: _bundle(tmp, {**g, "format_version": True}), "format_version"),
        (lambda tmp, g: _bundle(tmp, {k: v for k, v in g.items() if k != "notes"}), "no list"),
        (
            lambda tmp, g: _raw(
                tmp,
                json.dumps(g).encode().replace(b'"text": "good"', b'"text": "\\ud800 x"'),
            ),
            "not valid Unicode",
        ),
        (lambda tmp, g: _bundle(tmp, {**g, "format_version": 9}), "newer Explorer"),
        (lambda tmp, g: _bundle(tmp, {"format": "something-else"}), "not an Explorer annotations"),
        (
            lambda tmp, g: _bundle(tmp, {**g, "notes": [{**g["notes"][0], "id": "1; DROP"}]}),
            "not a UUID",
        ),
        (lambda tmp, g: _bundle(tmp, {**g, "notes": [{**g["notes"][0], "text": "a\x00b"}]}), "NUL"),
        (
            lambda tmp, g: _bundle(
                tmp, {**g, "notes": [{**g["notes"][0], "target": {"kind": "person", "id": "x"}}]}
            ),
            "cannot be attached",
        ),
        (lambda tmp, g: tmp / "missing.json", "no file"),
    ],
)
def test_bad_bundles_are_refused_and_change_nothing(people, make, words):
    a, b, tmp = people
    good = _good(a, tmp)
    notes.add(b, EVENT, "mine", author="lee")
    with pytest.raises(BadNotesFile, match=words):
        notes_file.import_notes_file(b, make(tmp, good))
    assert texts(b) == ["mine"]


def test_one_bad_note_refuses_the_whole_file(people):
    a, b, tmp = people
    good = _good(a, tmp)
    notes.add(a, EVENT, "second", author="kim")
    full = json.loads((tmp / "good.json").read_text())
    data = {**good, "notes": [*full["notes"], {**good["notes"][0], "revision": "x"}]}
    with pytest.raises(BadNotesFile, match="nothing imported"):
        notes_file.import_notes_file(b, _bundle(tmp, data))
    assert texts(b) == []


def test_a_fault_after_good_notes_undoes_the_notes_already_merged(people, monkeypatch):
    """The file is merged as it is read: a bad note after good ones, or a bad header at the
    end, must leave nothing of the good ones behind."""
    a, b, tmp = people
    for i in range(30):
        notes.add(a, EVENT, f"n{i}", author="kim")
    out = tmp / "thirty.json"
    notes_file.export_notes_file(a, out, author="kim")
    data = json.loads(out.read_text())
    merged = []
    real = merge._merge_record

    def counting(*args):
        merged.append(1)
        real(*args)

    monkeypatch.setattr(merge, "_merge_record", counting)
    late = {**data, "notes": [*data["notes"][:20], {"id": "bad"}, *data["notes"][20:]]}
    with pytest.raises(BadNotesFile, match=r"1 bad note\(s\).*note #21"):
        notes_file.import_notes_file(b, _bundle(tmp, late))
    assert len(merged) == 20 and texts(b) == []  # merged as read, then undone whole
    merged.clear()
    last = {**data, "format_version": 99}
    del last["format_version"]
    path = _raw(tmp, json.dumps(last).encode()[:-1] + b', "format_version": 99}')
    with pytest.raises(BadNotesFile, match="newer Explorer"):
        notes_file.import_notes_file(b, path)
    assert len(merged) == 30 and texts(b) == []


def test_a_large_file_is_merged_as_it_is_read(people, monkeypatch):
    """Memory stays flat: the first note is merged when a small part of the file is read."""
    from explorer.exchange import json_stream

    a, b, tmp = people
    for i in range(400):
        notes.add(a, EVENT, f"note {i} " + "메모 " * 200, author="kim")
    out = tmp / "big.json"
    notes_file.export_notes_file(a, out, author="kim")
    monkeypatch.setattr(json_stream, "CHUNK", 4096)
    read_at_first = []
    real = merge._merge_record
    opened = []
    real_open = type(out).open

    def spy_open(self, *args, **kwargs):
        f = real_open(self, *args, **kwargs)
        opened.append(f)
        return f

    def first(*args):
        if not read_at_first:
            read_at_first.append(opened[-1].tell())
        real(*args)

    monkeypatch.setattr(type(out), "open", spy_open)
    monkeypatch.setattr(merge, "_merge_record", first)
    report = notes_file.import_notes_file(b, out)
    assert report.added == 400
    assert read_at_first[0] <= 3 * 4096 < out.stat().st_size // 50


def test_hostile_text_is_kept_verbatim_as_data(people):
    a, b, tmp = people
    hostile = '<img src="file:///etc/passwd"><script>x</script> ‮rtl e\u0301 ' + "가" * 1000
    notes.add(a, EVENT, hostile, author="kim")
    share(a, b, tmp)
    assert texts(b) == [hostile]


def test_an_import_that_fails_half_way_applies_nothing(people, monkeypatch):
    a, b, tmp = people
    for i in range(5):
        notes.add(a, EVENT, f"n{i}", author="kim")
    out = tmp / "five.json"
    notes_file.export_notes_file(a, out, author="kim")
    real = merge._merge_record
    calls = []

    def flaky(db, ops, theirs, history, report):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("simulated failure")
        real(db, ops, theirs, history, report)

    monkeypatch.setattr(merge, "_merge_record", flaky)
    with pytest.raises(OSError):
        notes_file.import_notes_file(b, out)
    assert texts(b) == []
