import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.store.tokens import index_text, split


def test_hangul_runs_become_bigrams_with_tail():
    t = split("바이두의 AI기술")
    assert t.tokens == ["바이", "이두", "두의", "ai", "기술"]
    assert t.tails == ["의", "술"]


def test_latin_words_are_casefolded_and_split_on_punctuation():
    assert split("Multi-Agent park. DON'T 38,210").tokens == [
        "multi",
        "agent",
        "park",
        "don",
        "t",
        "38",
        "210",
    ]


def test_han_and_fullwidth_forms_are_normalised():
    assert split("ＡＩ 上海").tokens == ["ai", "上海"]
    assert split("海").tokens == ["海"] and split("海").tails == []


def test_index_text_never_contains_quotes_or_operators():
    tokens, tails = index_text('"AND" (NEAR) *x* 바이두')
    assert '"' not in tokens and "(" not in tokens and "*" not in tokens
    assert tails == "두"


@given(st.text())
def test_tokens_are_word_characters_only(text):
    t = split(text)
    assert all(tok and '"' not in tok and " " not in tok for tok in t.tokens + t.tails)


def _whole(text):
    t = split(text)
    return " ".join(t.tokens), " ".join(t.tails)


TRICKY = [
    "바이두(Baidu)의 AI기반\u3000플랫폼",  # ideographic space
    "상하이 인공지능 산업 연맹\n2019년 7월",
    "①②③ ＡＩ １２３ ｶﾀｶﾅ",  # NFKC turns these into words and numbers
    "a\u00a8b \u00a0 c\u2002d",  # a diaeresis that NFKC spells with a space; odd spaces
    "snake_case and_underscores __x__",
    "中国人工智能 '大模型' \"ChatGPT\" -- OR NEAR(x y)",
    "",
    "   ",
]


def test_word_by_word_tokens_equal_whole_text_tokens_on_tricky_text():
    for text in TRICKY:
        assert index_text(text) == _whole(text), text[:40]


def test_word_by_word_tokens_equal_whole_text_tokens_on_the_seed_articles():
    from ..conftest import SEEDS

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        pytest.skip(f"the seed articles are not beside the project ({SEEDS})")
    for text in [*texts, *(line for t in texts for line in t.splitlines())]:
        assert index_text(text) == _whole(text), text[:40]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_word_by_word_tokens_equal_whole_text_tokens(text):
    assert index_text(text) == _whole(text)
