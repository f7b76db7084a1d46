"""Search tokens for Korean, Chinese, Japanese and alphabetic text.

SQLite's unicode61 tokenizer keeps a whole run of Hangul or Han characters as one token, so
'바이두의' could never be found by '바이두', and trigram needs three characters. We split
text ourselves: alphabetic and numeric runs stay words (case-folded); CJK runs become
overlapping bigrams ('바이두의' -> 바이 이두 두의), and the last character of each run is kept
apart in a `tails` column so one-character queries still find it. A query goes through the
same function, so a two-character query is one bigram and a longer one a phrase of bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_CJK_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B..
)


def is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


@dataclass(frozen=True)
class Tokens:
    tokens: list[str]
    tails: list[str]


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


_CJK_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES)
#: A CJK run (word characters only), or a run of other word characters without "_".
_RUN = re.compile(f"((?:(?=\\w)[{_CJK_CLASS}])+)|([^\\W_{_CJK_CLASS}]+)")


def split(text: str) -> Tokens:
    """Index tokens for `text`: words and CJK bigrams in order, plus run-final CJK chars."""
    tokens: list[str] = []
    tails: list[str] = []
    for cjk, other in _RUN.findall(normalize(text)):
        if other:
            tokens.append(other)
        elif len(cjk) == 1:
            tokens.append(cjk)
        else:
            tokens.extend([cjk[i : i + 2] for i in range(len(cjk) - 1)])
            tails.append(cjk[-1])
    return Tokens(tokens, tails)


def query_units(term: str) -> list[str]:
    """Tokens of one query term, without tails: what the phrase for `term` must contain."""
    return split(term).tokens


def index_text(text: str) -> tuple[str, str]:
    """The token and tail strings stored in the FTS columns for `text`. Whitespace never
    joins two tokens, so the text is split word by word and each word's tokens are cached:
    names, date words and common words are tokenized once in a whole index build."""
    toks: list[str] = []
    tails: list[str] = []
    for word in text.split():
        tok, tail = _word(word)
        if tok:
            toks.append(tok)
        if tail:
            tails.append(tail)
    return " ".join(toks), " ".join(tails)


@lru_cache(maxsize=262144)
def _word(word: str) -> tuple[str, str]:
    t = split(word)
    return " ".join(t.tokens), " ".join(t.tails)
