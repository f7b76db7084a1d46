"""Full-text search over events, entities, aliases, quotes, claims and sources.

Plain mode (the default) searches every word the user typed as literal text: nothing they
type can be an FTS5 operator or a syntax error. Advanced mode understands AND, OR, NOT,
parentheses, "phrases" and prefix* and reports mistakes in words.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator

from sqlite_utils import Database

from explorer.store import dates
from explorer.store.errors import SearchSyntaxError
from explorer.store.records import SearchHit, SearchResult
from explorer.store.tokens import index_text, is_cjk, normalize, query_units

KINDS = ("event", "entity", "claim", "source", "statement")
#: bm25 weights of the indexed columns: names and titles, other own text, linked names.
WEIGHTS = {"names": 20.0, "body": 5.0, "related": 1.0}
_RANK = "bm25(search_index, {names}, {names}, {body}, {body}, {related}, {related})".format(
    **WEIGHTS
)
#: Fields that go into the `names` column.
NAME_FIELDS = frozenset({"name", "alias", "title", "title_en", "figure"})


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


#: Above this many matches a query is "common": it is answered unranked (names first),
#: because ranking costs about a microsecond per matching row.
RANK_CAP = 2000


def _hits_sql(wanted: tuple[str, ...], ranked: bool) -> str:
    marks = ", ".join("?" for _ in wanted)
    return (
        "SELECT d.kind, d.ref_id FROM search_index JOIN search_docs d "
        "ON d.rowid = search_index.rowid "
        f"WHERE search_index MATCH ? AND d.kind IN ({marks}) "
        + (f"ORDER BY {_RANK} " if ranked else "")
        + "LIMIT ?"
    )


def search(
    db: Database,
    query: str,
    *,
    advanced: bool = False,
    kinds: Iterable[str] = KINDS,
    limit: int = 50,
    offset: int = 0,
) -> SearchResult:
    """Best hits, one per object, for `query`. An empty query is the caller's to refuse.

    Rare terms are ranked (bm25, names and titles first); a term matching more than
    RANK_CAP objects is answered at once without ranking, objects whose names match first.
    """
    expression = advanced_expression(query) if advanced else plain_expression(query)
    if not expression:
        return SearchResult(query, "", [], False)
    page, limit = limit, offset + limit  # a later page: the first ones, then skip them
    wanted = tuple(k for k in KINDS if k in set(kinds))
    found: list[tuple[str, str]] = []
    try:
        probe = db.execute(_hits_sql(wanted, False), [expression, *wanted, RANK_CAP + 1])
        probe_rows = [(r[0], r[1]) for r in probe.fetchall()]
        if len(probe_rows) <= RANK_CAP:
            ranked = db.execute(_hits_sql(wanted, True), [expression, *wanted, limit + 1])
            found = [(r[0], r[1]) for r in ranked.fetchall()]
        else:
            names_only = advanced_names(expression)
            first = db.execute(_hits_sql(wanted, False), [names_only, *wanted, limit + 1])
            found = [(r[0], r[1]) for r in first.fetchall()]
            seen = set(found)
            found += [k for k in probe_rows if k not in seen][: limit + 1 - len(found)]
    except sqlite3.OperationalError as exc:
        if advanced:
            raise SearchSyntaxError(_readable(exc)) from exc
        raise  # plain expressions are always valid; anything else is a real fault
    unique = list(dict.fromkeys(found))
    more = len(unique) > limit or len(probe_rows) > RANK_CAP
    items = unique[:limit]
    exact = _exact_entities(db, query) if "entity" in wanted else set()
    items.sort(key=lambda item: item not in exact)  # stable: exact names first
    for key in exact:
        if key not in items:
            items.insert(0, key)
    items = items[:limit][offset:]
    more = more or len(unique) > offset + page
    labels = _labels(db, items)
    dated = _dates(db, items)
    needles = [u for t in query.split() for u in query_units(t)]
    hits = []
    for kind, ref in items:
        field, text = _best_field(fields_of(db, kind, ref), needles)
        label = labels.get((kind, ref), ref)
        hits.append(
            SearchHit(kind, ref, field, label, snippet(text, needles), dated.get((kind, ref)))
        )
    return SearchResult(query, expression, hits, more)


def _dates(db: Database, items: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """When each event happened and each statement was said, as a reader writes it, so
    that results with the same title can be told apart."""
    out: dict[tuple[str, str], str] = {}
    for kind, sql in (
        ("event", 'SELECT id, start, "end" FROM events WHERE id IN ({})'),
        ("statement", "SELECT id, said_start, said_end FROM statements WHERE id IN ({})"),
    ):
        ids = [ref for k, ref in items if k == kind]
        if not ids:
            continue
        marks = ",".join("?" for _ in ids)
        for ident, start, end in db.execute(sql.format(marks), ids):
            when = dates.date_label(start) if start else ""
            out[(kind, str(ident))] = when + (f" – {dates.date_label(end)}" if end else "")
    return out


def advanced_names(expression: str) -> str:
    """The same expression restricted to names and titles."""
    return expression.replace("{names body related}", "{names}").replace(
        "{names_tails body_tails related_tails}", "{names_tails}"
    )


def fields_of(db: Database, kind: str, ref: str) -> list[list[str]]:
    """The searchable texts of one object, as [field, text] pairs (for snippets)."""
    return [[f, t] for f, t in _own_fields(db, kind, ref) if t]


def _own_fields(db: Database, kind: str, ref: str) -> list[tuple[str, str]]:
    if kind == "event":
        row = (
            db.execute(
                "SELECT title, title_en, summary, date_text FROM events WHERE id = ?", [ref]
            ).fetchone()
            or ()
        )
        out = list(zip(("title", "title_en", "summary", "date_text"), row, strict=False))
        out += [
            ("quote", q)
            for (q,) in db.execute("SELECT quote FROM event_sources WHERE event_id = ?", [ref])
        ]
        return out
    if kind == "entity":
        row = db.execute(
            "SELECT name, description FROM entities WHERE id = ?", [ref]
        ).fetchone() or ("", "")
        out = [("name", row[0])]
        out += [
            ("alias", a)
            for (a,) in db.execute(
                "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY rowid", [ref]
            )
            if a != row[0]
        ]
        return [*out, ("description", row[1])]
    if kind == "claim":
        row = db.execute(
            """SELECT m.label, m.label_en, c.value_text, c.value, c.unit, c.quote, c.note
               FROM claims c JOIN metrics m ON m.id = c.metric WHERE c.id = ?""",
            [ref],
        ).fetchone()
        if row is None:
            return []
        return [
            ("figure", f"{row[0]} / {row[1]}: {row[2]}"),
            ("value", f"{spelled_number(row[3])} {row[4]}"),
            ("quote", row[5]),
            ("note", row[6]),
        ]
    if kind == "statement":
        row = db.execute(
            """SELECT st.words, st.attribution, st.said_text, st.about_text, st.note, sp.name
               FROM statements st LEFT JOIN entities sp ON sp.id = st.speaker_id
               WHERE st.id = ?""",
            [ref],
        ).fetchone()
        fields = ("words", "attribution", "said", "about", "note", "speaker")
        return list(zip(fields, row or (), strict=False))
    row = (
        db.execute("SELECT title, publisher, author FROM sources WHERE id = ?", [ref]).fetchone()
        or ()
    )
    return list(zip(("title", "publisher", "author"), row, strict=False))


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
        "statement": "SELECT id, words FROM statements WHERE id IN ({})",
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


def spelled_number(value: float) -> str:
    """A figure as English readers search for it: '38,210', '300,000,000,000 300 billion'."""
    grouped = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{grouped} {value / size:g} {word}"
    return grouped


def _join(parts: list[tuple[str, str]]) -> tuple[str, str]:
    """Token and tail strings of several texts, joined."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return "", ""
    return (" ".join([p[0] for p in parts if p[0]]), " ".join([p[1] for p in parts if p[1]]))


def _entity_tokens(db: Database) -> dict[str, tuple[str, str]]:
    """Each entity's names (name and every alias), tokenized once."""
    names: dict[str, list[str]] = {}
    for ent_id, name in db.execute(
        "SELECT id, name FROM entities UNION SELECT entity_id, alias FROM entity_aliases"
    ):
        names.setdefault(ent_id, []).append(name)
    return {e: index_text("\n".join(ns)) for e, ns in names.items()}


Row = tuple[int, str, str, str, str, str, str, str, str]


def _event_rows(db: Database, names: dict[str, tuple[str, str]], start: int) -> Iterator[Row]:
    """Index rows for every event, in one ordered pass: SQLite joins each event's texts,
    quotes and linked entities, so memory stays flat at a million events."""
    rowid = start
    for ev_id, name_text, body_text, linked in db.execute(
        """SELECT ev.id, ev.title || ' ' || coalesce(ev.title_en, ''),
                  coalesce(ev.summary, '') || ' ' || coalesce(ev.date_text, '') || ' ' ||
                  coalesce((SELECT group_concat(quote, ' ') FROM event_source_links
                            WHERE event = ev.rowid), ''),
                  (SELECT group_concat(en.id, char(31)) FROM event_entity_links x
                   JOIN entities en ON en.rowid = x.entity WHERE x.event = ev.rowid)
           FROM events ev ORDER BY ev.id"""
    ):
        n_tok, n_tail = index_text(name_text)
        b_tok, b_tail = index_text(body_text)
        related = [names[e] for e in linked.split("\x1f") if e in names] if linked else []
        r_tok, r_tail = _join(related)
        yield rowid, "event", ev_id, n_tok, n_tail, b_tok, b_tail, r_tok, r_tail
        rowid += 1


def _other_rows(db: Database, names: dict[str, tuple[str, str]], start: int) -> Iterator[Row]:
    rowid = start
    for ent_id, description in db.execute("SELECT id, description FROM entities ORDER BY id"):
        n_tok, n_tail = names.get(ent_id, ("", ""))
        b_tok, b_tail = index_text(description or "")
        yield rowid, "entity", ent_id, n_tok, n_tail, b_tok, b_tail, "", ""
        rowid += 1
    for row in db.execute(
        """SELECT c.id, c.entity_id, c.value_text, m.label, m.label_en, c.quote, c.note,
                  c.value, c.unit FROM claims c JOIN metrics m ON m.id = c.metric"""
    ):
        claim_id, ent_id, value_text, label, label_en, quote, note, value, unit = row
        n_tok, n_tail = index_text(f"{label} / {label_en}: {value_text}")
        b_tok, b_tail = index_text(f"{spelled_number(value)} {unit}\n{quote}\n{note or ''}")
        r_tok, r_tail = names.get(ent_id, ("", ""))
        yield rowid, "claim", claim_id, n_tok, n_tail, b_tok, b_tail, r_tok, r_tail
        rowid += 1
    for src_id, title, publisher, author in db.execute(
        "SELECT id, title, publisher, author FROM sources"
    ):
        n_tok, n_tail = index_text(title)
        b_tok, b_tail = index_text(f"{publisher or ''}\n{author or ''}")
        yield rowid, "source", src_id, n_tok, n_tail, b_tok, b_tail, "", ""
        rowid += 1
    yield from _statement_rows(db, names, rowid)


def _statement_rows(db: Database, names: dict[str, tuple[str, str]], start: int) -> Iterator[Row]:
    """A statement is found by its words (names column: they are what it is), its
    attribution, date words and note, and by its speaker's and subjects' names."""
    rowid = start
    # an upgrade still before migration 0009 has none (any schema: a side build reads the
    # project's tables from an attached file)
    if not db.execute("SELECT 1 FROM pragma_table_list WHERE name = 'statements'").fetchone():
        return
    for st_id, words, attribution, said, about, note, speaker, subjects in db.execute(
        """SELECT st.id, st.words, coalesce(st.attribution, ''), coalesce(st.said_text, ''),
                  coalesce(st.about_text, ''), coalesce(st.note, ''), st.speaker_id,
                  (SELECT group_concat(entity_id, char(31)) FROM statement_entities
                   WHERE statement_id = st.id)
           FROM statements st ORDER BY st.id"""
    ):
        n_tok, n_tail = index_text(words)
        b_tok, b_tail = index_text(f"{attribution}\n{said}\n{about}\n{note}")
        linked = [speaker] if speaker else []
        linked += subjects.split("\x1f") if subjects else []
        r_tok, r_tail = _join([names[e] for e in linked if e in names])
        yield rowid, "statement", st_id, n_tok, n_tail, b_tok, b_tail, r_tok, r_tail
        rowid += 1


def rebuild_index(db: Database, batch: int = 20000) -> int:
    """Re-create the whole search index from the tables; returns the number of rows."""
    db.execute("DELETE FROM search_docs")
    db.execute("INSERT INTO search_index(search_index) VALUES ('delete-all')")
    # No merging while loading; one merge into a single segment at the end (faster to
    # build, and to query)
    db.execute("INSERT INTO search_index(search_index, rank) VALUES ('automerge', 0)")
    names = _entity_tokens(db)
    count = 0
    chunk: list[Row] = []

    def flush() -> None:
        db.conn.executemany(
            "INSERT INTO search_docs (rowid, kind, ref_id) VALUES (?, ?, ?)", [r[:3] for r in chunk]
        )
        db.conn.executemany(
            "INSERT INTO search_index (rowid, names, names_tails, body, body_tails, related,"
            " related_tails) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(r[0], *r[3:]) for r in chunk],
        )
        chunk.clear()

    for rows in (_event_rows(db, names, 1), None):
        source = rows if rows is not None else _other_rows(db, names, count + 1)
        for r in source:
            chunk.append(r)
            count += 1
            if len(chunk) >= batch:
                flush()
    flush()
    db.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
    db.execute("INSERT INTO search_index(search_index, rank) VALUES ('automerge', 4)")
    return count


__all__ = ["SearchHit", "SearchResult", "rebuild_index", "search"]
