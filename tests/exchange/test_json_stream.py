"""The member-by-member JSON reader gives exactly what json.loads gives, whatever the chunk
boundaries cut (a number, an escape, a multi-byte character), and says where it stops."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.exchange import json_stream
from explorer.exchange.json_stream import JSONStreamError, members

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)
documents = st.dictionaries(
    st.sampled_from(["format", "notes", "items", "other", "n"]), values, max_size=5
)


def _rebuilt(path, arrays):
    out: dict[str, object] = {}
    for key, index, value in members(path, arrays=arrays):
        if index is None:
            out[key] = value
        else:
            out.setdefault(key, []).append(value)  # type: ignore[union-attr]
    return out


# No time limits: a shared machine can take seconds for the first draw (Hypothesis builds its
# table of characters then), which is no fault of the reader.
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    doc=documents, chunk=st.integers(min_value=1, max_value=9), indent=st.sampled_from([None, 1])
)
def test_members_match_json_loads_at_any_chunk_size(tmp_path, monkeypatch, doc, chunk, indent):
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    path = tmp_path / "doc.json"
    path.write_bytes(json.dumps(doc, ensure_ascii=False, indent=indent).encode("utf-8"))
    assert _rebuilt(path, {"notes", "items"}) == json.loads(path.read_bytes())


def test_elements_come_one_by_one_with_their_index(tmp_path):
    path = tmp_path / "doc.json"
    path.write_text('{"a": 1, "notes": [{"x": 1}, {"x": 2}], "items": [], "z": [1, 2]}')
    assert list(members(path, arrays={"notes", "items"})) == [
        ("a", None, 1),
        ("notes", 0, {"x": 1}),
        ("notes", 1, {"x": 2}),
        ("items", None, []),
        ("z", None, [1, 2]),
    ]


def test_a_lone_surrogate_stays_for_the_caller_to_refuse(tmp_path):
    path = tmp_path / "doc.json"
    path.write_bytes(b'{"notes": ["\\ud800"]}')
    assert list(members(path, arrays={"notes"})) == [("notes", 0, "\ud800")]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "expected a JSON object"),
        (b"[1, 2]", r"expected a JSON object at character 1, found '\['"),
        (b'{"a": 1', "expected ',' or '}'"),
        (b'{"a": 1} x', "more text after the object"),
        (b'{"a": [1, 2', "Expecting"),
        (b'{"a": 1, 2: 3}', "expected a member name"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b'{"a": ' + b"[" * 100000 + b"]" * 100000 + b"}", "nested too deeply"),
        (b'{"a": ' + b"9" * 5000 + b"}", "digits"),
        (b'{"notes": [1 2]}', "expected ',' or ']'"),
    ],
)
def test_what_is_not_json_is_refused_saying_where(tmp_path, data, words):
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    with pytest.raises(JSONStreamError, match=words):
        list(members(path, arrays={"notes"}))


def test_a_value_longer_than_the_limit_is_refused_without_reading_on(tmp_path, monkeypatch):
    monkeypatch.setattr(json_stream, "CHUNK", 1000)
    path = tmp_path / "long.json"
    path.write_text('{"notes": ["' + "x" * 100_000 + '"]}')
    with pytest.raises(JSONStreamError, match="longer than"):
        list(members(path, arrays={"notes"}, max_value=10_000))


def test_a_long_value_is_decoded_a_bounded_number_of_times(tmp_path, monkeypatch):
    """A note of 1.3 million tags (16 MB) took 4.6 s to refuse: each chunk read decoded the
    value again from its start, quadratic up to the value limit."""
    monkeypatch.setattr(json_stream, "CHUNK", 1000)
    decoded: list[int] = []

    class Counting(json.JSONDecoder):
        def raw_decode(self, s, idx=0):
            decoded.append(len(s) - idx)
            return super().raw_decode(s, idx)

    monkeypatch.setattr(json_stream.json, "JSONDecoder", Counting)
    note = {"tags": ["t"] * 100_000}
    path = tmp_path / "doc.json"
    path.write_text(json.dumps({"format": "x", "notes": [note, note]}))
    assert [v for _, _, v in members(path, arrays={"notes"})] == ["x", note, note]
    assert sum(decoded) < 6 * path.stat().st_size, sum(decoded)
