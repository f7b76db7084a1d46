"""What an article offers the annotator: its dated sentences, with the known entities in
them, as suggestions for new events.

Dates come from model.date_finder, resolved against the article's date; entities are found
by any of their names in any language (longest name first, whole words for Latin script).
Each suggestion carries what a new event needs: date, precision, qualifier, the date words,
the sentence as its quote and the entities named in that sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from explorer.model.date_finder import DateMention, find_dates

QUOTE_LIMIT = 400
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)\]]*\s+|\n+")


@dataclass(frozen=True)
class EntityMention:
    begin: int
    end: int
    words: str
    entity_id: str


@dataclass(frozen=True)
class Suggestion:
    date: DateMention
    sentence: tuple[int, int]  # offsets of the sentence holding the date
    quote: str
    entities: tuple[str, ...]  # entity ids named in that sentence, in order of appearance


def find_entities(text: str, names: Iterable[tuple[str, str]]) -> list[EntityMention]:
    """Mentions of the entities, given as (name, entity id) pairs; longest names win and
    mentions do not overlap. Names of one character are ignored (too many false hits)."""
    by_name: dict[str, str] = {}
    for name, entity_id in names:
        name = name.strip()
        if len(name) >= 2:
            by_name.setdefault(name.casefold(), entity_id)
    if not by_name:
        return []
    parts = []
    for name in sorted(by_name, key=len, reverse=True):
        piece = re.escape(name)
        if name[0].isascii() and name[0].isalnum():
            piece = r"(?<![\w])" + piece
        if name[-1].isascii() and name[-1].isalnum():
            piece += r"(?![A-Za-z0-9])"
        parts.append(piece)
    pattern = re.compile("|".join(parts), re.IGNORECASE)
    return [
        EntityMention(m.start(), m.end(), m.group(), by_name[m.group().casefold()])
        for m in pattern.finditer(text)
    ]


def sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return [(b, e) for b, e in out if text[b:e].strip()]


def suggestions(
    text: str, published: dt.date | None, names: Iterable[tuple[str, str]]
) -> tuple[list[Suggestion], list[EntityMention]]:
    """One suggestion per date expression, and every entity mention (for highlighting)."""
    mentions = find_entities(text, names)
    spans = sentences(text)
    out = []
    for date in find_dates(text, published):
        b, e = next(((b, e) for b, e in spans if b <= date.begin < e), (date.begin, date.end))
        quote = " ".join(text[b:e].split())
        if len(quote) > QUOTE_LIMIT:
            quote = quote[: QUOTE_LIMIT - 1] + "…"
        ids = tuple(dict.fromkeys(m.entity_id for m in mentions if b <= m.begin < e))
        out.append(Suggestion(date, (b, e), quote, ids))
    return out, mentions
