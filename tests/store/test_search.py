import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from explorer.store import search
from explorer.store.connection import open_store
from explorer.store.errors import SearchSyntaxError
from explorer.store.schema import migrations
from explorer.store.tokens import index_text

ODD_INPUTS = [
    "park.",
    "ubuntu 20.04",
    "multi-agent",
    "don't",
    '"unbalanced',
    "NEAR(",
    "AND",
    "OR NOT",
    '"',
    "*",
    ")",
    "(",
    "'; DROP TABLE events; --",
    "SELECT * FROM events",
    "title:바이두",
    "^start",
    "a + b",
    "\\",
    "\x00",
    "😀",
]


def _ids(result):
    return {(h.kind, h.ref_id) for h in result.hits}


@pytest.fixture
def db(mini_db):
    store = open_store(mini_db, readonly=True)
    yield store.db
    store.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("바이두", ("entity", "ent-baidu")),
        ("百度", ("entity", "ent-baidu")),
        ("Baidu", ("entity", "ent-baidu")),
        ("baidu", ("entity", "ent-baidu")),
        ("上海", ("event", "ev-cooperation")),  # two characters, inside a longer run
        ("하이뎬", ("entity", "ent-haidian")),
        ("하이", ("entity", "ent-haidian")),  # two Hangul characters
        ("海淀", ("entity", "ent-haidian")),
        ("海", ("entity", "ent-haidian")),  # one character, start of a run
        ("区", ("entity", "ent-haidian")),  # one character, end of a run
        ("문심", ("entity", "ent-ernie")),
        ("Shanghai AI", ("entity", "ent-shanghai-ai-alliance")),
        ("2,400", ("claim", "cl-beijing-companies-b")),
        ("AI-related companies", ("claim", "cl-beijing-companies-a")),
        ("multi-agent", ("event", "ev-cooperation")),
        ("park.", ("event", "ev-cooperation")),
        ("don't", ("event", "ev-cooperation")),
        ("Test article", ("source", "src-b")),
    ],
)
def test_finds_korean_chinese_and_english(db, query, expected):
    assert expected in _ids(search.search(db, query))


def test_every_word_must_occur_in_the_object_or_its_linked_entities(db):
    # The conference's own text names neither; its linked entities are 바이두 and 하이뎬구.
    assert _ids(search.search(db, "바이두 하이뎬")) == {("event", "ev-conference")}
    assert _ids(search.search(db, "ERNIE", kinds=["event"])) == {("event", "ev-ernie")}
    assert search.search(db, "바이두 nonexistentword").hits == []


def test_last_word_matches_as_prefix_for_type_ahead(db):
    assert ("entity", "ent-baidu") in _ids(search.search(db, "Bai"))


def test_limit_reports_more(db):
    result = search.search(db, "ai", limit=1)
    assert len(result.hits) == 1 and result.more


def test_hits_carry_labels_and_snippets(db):
    hit = next(h for h in search.search(db, "문심").hits if h.kind == "event")
    assert hit.label == "문심 의료 적용"
    assert "문심" in hit.snippet


@pytest.mark.parametrize("query", ODD_INPUTS)
def test_odd_input_is_searched_literally_in_plain_mode(db, query):
    result = search.search(db, query)  # must not raise
    assert isinstance(result.hits, list)


def test_operators_are_words_in_plain_mode(db):
    # 'and' occurs in one description; in plain mode AND is that word, not an operator.
    assert _ids(search.search(db, "AND")) == {("entity", "ent-baidu")}


def test_advanced_mode_understands_operators(db):
    either = _ids(search.search(db, "바이두 OR 하이뎬", advanced=True))
    assert {("entity", "ent-baidu"), ("entity", "ent-haidian")} <= either
    without = _ids(search.search(db, "바이두 NOT 하이뎬", advanced=True))
    assert ("event", "ev-conference") not in without and ("entity", "ent-baidu") in without
    phrase = _ids(search.search(db, '"Shanghai AI Alliance"', advanced=True))
    assert ("entity", "ent-shanghai-ai-alliance") in phrase
    assert ("entity", "ent-baidu") in _ids(search.search(db, "Bai*", advanced=True))


@pytest.mark.parametrize("query", ["AND", "(바이두", "바이두 OR", '"unclosed', "NOT", "()"])
def test_advanced_mode_errors_are_readable(db, query):
    with pytest.raises(SearchSyntaxError) as err:
        search.search(db, query, advanced=True)
    message = str(err.value)
    assert message.startswith("cannot understand this search")
    assert "fts5" not in message.lower() and "sqlite" not in message.lower()


@pytest.fixture(scope="module")
def random_db():
    db = Database(sqlite3.connect(":memory:"), execute_plugins=False)
    migrations.apply(db)
    return db


text_alphabet = st.characters(
    codec="utf-8", categories=("L", "N", "P", "S", "Z", "M"), exclude_characters="\x00"
)


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(query=st.text(alphabet=text_alphabet, max_size=40), advanced=st.booleans())
def test_random_unicode_never_raises_a_raw_sqlite_error(random_db, query, advanced):
    try:
        search.search(random_db, query, advanced=advanced)
    except SearchSyntaxError:
        assert advanced, "plain mode must never report a syntax error"


cjk_run = st.text(
    alphabet=st.sampled_from("바이두하뎬상인공지능연맹上海百度海淀区北京文心中关村"),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(runs=st.lists(cjk_run, min_size=1, max_size=4), data=st.data())
def test_any_substring_of_indexed_cjk_text_is_found(random_db, runs, data):
    text = " ".join(runs) + " tail"
    tokens, tails = index_text(text)
    random_db.execute("DELETE FROM search_docs")
    random_db.execute("INSERT INTO search_index(search_index) VALUES ('delete-all')")
    random_db.execute("DELETE FROM events")
    random_db.execute(
        "INSERT INTO events (id, title, category, start, earliest, latest, precision, t0, t1)"
        " VALUES ('x', ?, 'media', '2020', '2020-01-01', '2020-12-31', 'year', 0, 1)",
        [text],
    )
    random_db.execute("INSERT INTO search_docs (rowid, kind, ref_id) VALUES (1, 'event', 'x')")
    random_db.execute(
        "INSERT INTO search_index (rowid, names, names_tails, body, body_tails, related,"
        " related_tails) VALUES (1, ?, ?, '', '', '', '')",
        [tokens, tails],
    )

    run = data.draw(st.sampled_from(runs))
    i = data.draw(st.integers(0, len(run) - 1))
    j = data.draw(st.integers(i + 1, len(run)))
    hits = search.search(random_db, run[i:j]).hits
    assert [h.ref_id for h in hits] == ["x"], (text, run[i:j])


def test_statements_are_found_by_their_words_and_speaker(db):
    hits = search.search(db, "started in 2017").hits
    assert ("statement", "st-cooperation-since-2017") in [(h.kind, h.ref_id) for h in hits]
    hit = next(h for h in hits if h.kind == "statement")
    assert hit.label == "百度和上海的合作 started in 2017" and hit.field == "words"
    only = search.search(db, "2017", kinds=["statement"]).hits
    assert [h.ref_id for h in only] == ["st-cooperation-since-2017"]
