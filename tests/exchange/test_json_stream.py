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


elements = st.one_of(
    values,
    # long ones, with what could mislead a scanner: quotes, escapes and brackets in strings
    st.lists(st.sampled_from(['"', "\\", "[", "]", "{", "}", ",", "x", "가"]), min_size=60).map(
        "".join
    ),
    st.lists(st.sampled_from(['a"]', "[{", "\\u0041", "}]"]), min_size=30).map(
        lambda parts: {"deep": [[{"s": "".join(parts)}]], "n": [1.5e3, None, True]}
    ),
    st.just(10**70),
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    items=st.lists(elements, max_size=6),
    chunk=st.integers(min_value=1, max_value=9),
    indent=st.sampled_from([None, 1]),
)
def test_elements_too_long_to_hold_are_passed_over_and_the_rest_read(
    tmp_path, monkeypatch, items, chunk, indent
):
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    doc = {"a": 1, "events": items, "z": "end"}
    text = json.dumps(doc, ensure_ascii=False, indent=indent)
    got = list(
        members(
            iter([text[i : i + 7] for i in range(0, len(text), 7)]), {"events"}, 40, skip_long=True
        )
    )
    assert got[0] == ("a", None, 1) and got[-1] == ("z", None, "end")
    read = [v for k, _, v in got if k == "events"]
    assert len(read) == max(len(items), 1)
    for value, item in zip(read, items, strict=False):
        length = len(json.dumps(item, ensure_ascii=False, indent=indent))
        if length > 200:  # clearly too long: passed over
            assert value == json_stream.TooLong(40)
        elif value != json_stream.TooLong(40):
            assert value == item


def test_text_chunks_given_by_the_caller_are_read_as_a_file_is(tmp_path):
    text = '\ufeff{"a": [1, {"b": "가"}], "events": [{"x": 1}, 2]}'
    chunks = (text[i : i + 3] for i in range(0, len(text), 3))
    assert list(members(chunks, {"events"})) == [
        ("a", None, [1, {"b": "가"}]),
        ("events", 0, {"x": 1}),
        ("events", 1, 2),
    ]


def test_a_fault_early_in_a_long_file_is_named_at_once(tmp_path, monkeypatch):
    """A fault in the first element used to read on until the value limit and then call the
    element too long: only a fault at the window's very end may be the window's cut."""
    monkeypatch.setattr(json_stream, "CHUNK", 1000)
    path = tmp_path / "doc.json"
    path.write_text('{"notes": [[1,, 2], ' + ", ".join(['"x"'] * 50_000) + "]}")
    with pytest.raises(JSONStreamError, match="Expecting value at character 15"):
        list(members(path, arrays={"notes"}, max_value=10_000))


def test_the_caller_decides_what_numbers_and_constants_become(tmp_path):
    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not allowed")

    path = tmp_path / "doc.json"
    path.write_text('{"events": [12, 1' + "0" * 50 + "]}")
    assert [v for _, _, v in members(path, {"events"}, parse_int=len)] == [2, 51]
    path.write_text('{"events": [1, NaN]}')
    with pytest.raises(JSONStreamError, match="NaN is not allowed"):
        list(members(path, {"events"}, parse_constant=refuse))


def test_a_file_cut_inside_a_value_passed_over_is_refused(tmp_path):
    path = tmp_path / "doc.json"
    path.write_text('{"events": ["' + "x" * 100)
    with pytest.raises(JSONStreamError, match="ends inside the value at character 13"):
        list(members(path, {"events"}, max_value=10, skip_long=True))
