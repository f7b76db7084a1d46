"""Full-text search over events, entities, aliases, quotes, claims and sources.

Plain mode (the default) searches every word the user typed as literal text: nothing they
type can be an FTS5 operator or a syntax error. Advanced mode understands AND, OR, NOT,
parentheses, "phrases" and prefix* and reports mistakes in words.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from explorer.store.errors import SearchSyntaxError
from explorer.store.tokens import index_text, is_cjk, normalize, query_units

KINDS = ("event", "entity", "claim", "source")
#: bm25 weights of the indexed columns: names and titles, other own text, linked names.
WEIGHTS = {"names": 20.0, "body": 5.0, "related": 1.0}
_RANK = (
    "bm25(search_index, 0, 0, 0, {names}, {names}, {body}, {body}, {related}, {related})"
).format(**WEIGHTS)
#: Fields that go into the `names` column.
NAME_FIELDS = frozenset({"name", "alias", "title", "title_en", "figure"})


@dataclass(frozen=True)
class SearchHit:
    kind: str  # event, entity, claim or source
    ref_id: str
    field: str  # which field matched best: title, alias, quote, ...
    label: str  # the event title, entity name, claim figure or source title
    snippet: str  # the matching text, cut around the first match


@dataclass(frozen=True)
class SearchResult:
    query: str
    expression: str  # the FTS5 expression run ('' when the query had nothing to search)
    hits: list[SearchHit]
    more: bool  # True when more hits exist beyond the limit


def _phrase(units: list[str], prefix: bool = False) -> str:
    # Units are \w runs, so they never contain a double quote.
    return f'{{names body related}} : "{" ".join(units)}"' + ("*" if prefix else "")


def _term(units: list[str], prefix: bool) -> str:
    if len(units) == 1 and len(units[0]) == 1 and is_cjk(units[0]):
        # One CJK character: any bigram starting with it, or the end of a run.
        u = units[0]
        return (
            f'({{names body related}} : "{u}"* OR {{names_tails body_tails related_tails}} : "{u}")'
        )
    return _phrase(units, prefix and not is_cjk(units[-1][-1]))


def plain_expression(query: str) -> str:
    """An FTS5 expression that searches every word of `query` literally (all must occur);
    the last word also matches as a prefix, for type-ahead."""
    terms = [units for units in (query_units(t) for t in query.split()) if units]
    parts = [_term(units, prefix=(i == len(terms) - 1)) for i, units in enumerate(terms)]
    return " AND ".join(parts)


_LEX = re.compile(
    r'"(?P<phrase>[^"]*)(?P<close>"?)(?P<star>\*?)|(?P<paren>[()])|(?P<word>[^\s()"]+)'
)
_OPERATORS = {"AND", "OR", "NOT"}


def advanced_expression(query: str) -> str:
    """Translate an advanced query into FTS5 over our tokens, keeping its operators."""
    out: list[str] = []
    for m in _LEX.finditer(query):
        if m.group("paren"):
            out.append(m.group("paren"))
        elif m.group("word") is not None:
            word = m.group("word")
            if word in _OPERATORS:
                out.append(word)
                continue
            star = word.endswith("*")
            units = query_units(word.rstrip("*"))
            if units:
                out.append(_term(units, prefix=star))
        else:
            if not m.group("close"):
                raise SearchSyntaxError(
                    "cannot understand this search: a phrase is missing its closing double"
                    ' quote (")'
                )
            units = query_units(m.group("phrase"))
            if units:
                out.append(_phrase(units, prefix=bool(m.group("star"))))
    return " ".join(out)


_FTS_HINTS = (
    ("syntax error", "the operators or parentheses do not make a complete query"),
    ("unterminated", "a phrase or parenthesis is not closed"),
    ("no such column", "a word followed by ':' is read as a column name"),
)


def _readable(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    advice = "(turn advanced mode off to search the words as typed)"
    for needle, hint in _FTS_HINTS:
        if needle in text:
            return f"cannot understand this search: {hint} {advice}"
    return f"cannot understand this search {advice}"


def search(
    db: Database,
    query: str,
    *,
    advanced: bool = False,
    kinds: Iterable[str] = KINDS,
    limit: int = 50,
) -> SearchResult:
    """Best-ranked hits, one per object, for `query`. An empty query is the caller's to refuse."""
    expression = advanced_expression(query) if advanced else plain_expression(query)
    if not expression:
        return SearchResult(query, "", [], False)
    wanted = tuple(k for k in KINDS if k in set(kinds))
    marks = ", ".join("?" for _ in wanted)
    best: dict[tuple[str, str], str] = {}
    sql = (
        "SELECT kind, ref_id, fields FROM search_index "
        f"WHERE search_index MATCH ? AND kind IN ({marks}) "
        f"ORDER BY {_RANK} "
        "LIMIT ?"
    )
    try:
        for kind, ref_id, fields in db.execute(sql, [expression, *wanted, limit + 1]):
            best[(kind, ref_id)] = fields
    except sqlite3.OperationalError as exc:
        if advanced:
            raise SearchSyntaxError(_readable(exc)) from exc
        raise  # plain expressions are always valid; anything else is a real fault
    more = len(best) > limit
    items = list(best.items())[:limit]
    exact = _exact_entities(db, query) if "entity" in wanted else set()
    items.sort(key=lambda item: item[0] not in exact)  # stable: exact names first
    labels = _labels(db, [k for k, _ in items])
    needles = [u for t in query.split() for u in query_units(t)]
    hits = []
    for (kind, ref), fields in items:
        field, text = _best_field(json.loads(fields), needles)
        hits.append(
            SearchHit(kind, ref, field, labels.get((kind, ref), ref), snippet(text, needles))
        )
    return SearchResult(query, expression, hits, more)


def _exact_entities(db: Database, query: str) -> set[tuple[str, str]]:
    """Entities one of whose names is exactly the query (ignoring case)."""
    rows = db.execute(
        "SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE "
        "UNION SELECT id FROM entities WHERE name = ? COLLATE NOCASE",
        [query.strip(), query.strip()],
    )
    return {("entity", r[0]) for r in rows}


def _best_field(fields: list[list[str]], needles: list[str]) -> tuple[str, str]:
    """The first field whose text contains a query word ('related' when only linked names
    matched)."""
    for field, text in fields:
        folded = normalize(text)
        if any(n in folded for n in needles):
            return field, text
    return ("related", fields[0][1]) if fields else ("related", "")


def _labels(db: Database, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    sql = {
        "event": "SELECT id, title FROM events WHERE id IN ({})",
        "entity": "SELECT id, name FROM entities WHERE id IN ({})",
        "claim": "SELECT id, value_text FROM claims WHERE id IN ({})",
        "source": "SELECT id, title FROM sources WHERE id IN ({})",
    }
    labels: dict[tuple[str, str], str] = {}
    for kind, template in sql.items():
        ids = [ref for k, ref in keys if k == kind]
        if ids:
            q = template.format(", ".join("?" for _ in ids))
            labels.update({(kind, r[0]): r[1] for r in db.execute(q, ids)})
    return labels


def snippet(text: str, needles: list[str], width: int = 60) -> str:
    """`text` cut to about 2*width characters around the first needle it contains."""
    if len(text) <= 2 * width:
        return text
    folded = normalize(text)
    positions = [p for p in (folded.find(n) for n in needles if n) if p >= 0]
    # NFKC can change lengths; positions are close enough for a window.
    at = min(positions) if positions else 0
    lo = max(0, at - width)
    hi = min(len(text), lo + 2 * width)
    return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")


# --- building the index -------------------------------------------------------------------


Document = tuple[str, str, list[tuple[str, str]], list[str]]


def _documents(db: Database) -> Iterator[Document]:
    """(kind, ref_id, [(field, text)], [names of linked entities]) for everything searchable."""
    names: dict[str, list[str]] = {}
    for ent_id, name in db.execute(
        "SELECT id, name FROM entities UNION SELECT entity_id, alias FROM entity_aliases"
    ):
        names.setdefault(ent_id, []).append(name)
    quotes: dict[str, list[str]] = {}
    for event_id, quote in db.execute("SELECT event_id, quote FROM event_sources ORDER BY rowid"):
        quotes.setdefault(event_id, []).append(quote)
    links: dict[str, list[str]] = {}
    for event_id, ent_id in db.execute("SELECT event_id, entity_id FROM event_entities"):
        links.setdefault(event_id, []).extend(names.get(ent_id, []))
    fields = ("title", "title_en", "summary", "date_text")
    for row in db.execute("SELECT id, title, title_en, summary, date_text FROM events"):
        own = [(f, t) for f, t in zip(fields, row[1:], strict=True) if t]
        own += [("quote", q) for q in quotes.get(row[0], [])]
        yield "event", row[0], own, links.get(row[0], [])
    aliases: dict[str, list[str]] = {}
    for ent_id, alias in db.execute("SELECT entity_id, alias FROM entity_aliases ORDER BY rowid"):
        aliases.setdefault(ent_id, []).append(alias)
    for ent_id, name, description in db.execute("SELECT id, name, description FROM entities"):
        own = [("name", name)] + [("alias", a) for a in aliases.get(ent_id, []) if a != name]
        if description:
            own.append(("description", description))
        yield "entity", ent_id, own, []
    for row in db.execute(
        """SELECT c.id, c.entity_id, c.value_text, m.label, m.label_en, c.quote, c.note,
                  c.value, c.unit
           FROM claims c JOIN metrics m ON m.id = c.metric"""
    ):
        claim_id, ent_id, value_text, label, label_en, quote, note, value, unit = row
        own = [
            ("figure", f"{label} / {label_en}: {value_text}"),
            ("value", f"{spelled_number(value)} {unit}"),
            ("quote", quote),
        ]
        if note:
            own.append(("note", note))
        yield "claim", claim_id, own, names.get(ent_id, [])
    for src_id, title, publisher, author in db.execute(
        "SELECT id, title, publisher, author FROM sources"
    ):
        own = [
            (f, t) for f, t in (("title", title), ("publisher", publisher), ("author", author)) if t
        ]
        yield "source", src_id, own, []


def spelled_number(value: float) -> str:
    """A figure as English readers search for it: '38,210', '300,000,000,000 300 billion'."""
    grouped = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{grouped} {value / size:g} {word}"
    return grouped


def rebuild_index(db: Database) -> int:
    """Re-create every row of the search index from the tables; returns the row count."""
    db.execute("DELETE FROM search_index")
    rows = []
    for kind, ref_id, own, related in _documents(db):
        names = index_text("\n".join(t for f, t in own if f in NAME_FIELDS))
        body = index_text("\n".join(t for f, t in own if f not in NAME_FIELDS))
        rel = index_text("\n".join(related))
        fields = json.dumps(own, ensure_ascii=False)
        rows.append((kind, ref_id, fields, *names, *body, *rel))
    db.conn.executemany(
        "INSERT INTO search_index (kind, ref_id, fields, names, names_tails, body, body_tails,"
        " related, related_tails) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)
