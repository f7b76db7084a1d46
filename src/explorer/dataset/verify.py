"""Checks that a store's evidence really is in the articles it cites, that every entity comes
from a source, that the curators' texts name articles as a reader knows them, and which summary
sentences have no quote or note behind them."""

from __future__ import annotations

import re
from pathlib import Path

from sqlite_utils import Database

#: Every passage that must appear verbatim in its source's article: (where, source, text).
VERBATIM = """
    SELECT 'event ' || event_id, source_id, quote FROM event_sources
    UNION ALL SELECT 'claim ' || id, source_id, quote FROM claims
    UNION ALL SELECT 'statement ' || id, source_id, words FROM statements
    UNION ALL SELECT 'statement ' || id || ' attribution', source_id, attribution
        FROM statements WHERE attribution IS NOT NULL
    UNION ALL SELECT 'mention of ' || entity_id, source_id, quote FROM entity_mentions"""


def quote_problems(db: Database, seeds: Path) -> tuple[int, list[str]]:
    """(number of passages checked, problems) — every event and claim quote, every statement's
    words and attribution and every mention must appear verbatim in its source's article
    text under `seeds`."""
    texts: dict[str, str | None] = {}
    for sid, seed in db.execute("SELECT id, seed_file FROM sources"):
        path = seeds / seed if seed else None
        texts[sid] = path.read_text(encoding="utf-8") if path and path.is_file() else None
    problems: list[str] = []
    checked = 0
    for where, sid, quote in db.execute(VERBATIM).fetchall():
        text = texts.get(sid)
        if text is None:
            problems.append(f"{where}: the article of source {sid} is not in {seeds}")
            continue
        checked += 1
        if quote not in text:
            problems.append(f"{where}: quote not found verbatim in {sid}: {quote[:60]!r}")
    return checked, problems


#: The curators' own texts that a reader sees in the panes, the HTML report and the exports:
#: (table, key column, text column). The articles' own words (quotes, statements' words and
#: attributions, `date_text`, `value_text`) are not listed: they are the articles', verbatim.
READER_TEXTS: tuple[tuple[str, str, str], ...] = (
    ("sources", "id", "title"),
    ("sources", "id", "note"),
    ("entities", "id", "description"),
    ("events", "id", "title"),
    ("events", "id", "title_en"),
    ("events", "id", "summary"),
    ("events", "id", "date_note"),
    ("metrics", "id", "label"),
    ("metrics", "id", "label_en"),
    ("claims", "id", "note"),
    ("statements", "id", "said_note"),
    ("statements", "id", "about_note"),
    ("statements", "id", "note"),
    ("curator_notes", "id", "text"),
    ("summary_basis", "event_id", "sentence"),
    ("summary_basis", "event_id", "note"),
    ("locations", "entity_id", "note"),
    ("categories", "name", "description"),
    ("periods", "id", "title"),
)

#: An article named by the number of its file in the article collection ('000_….txt'), which
#: a reader cannot know: "article 001", "articles 000 and 002", "Article 004's", "(004)",
#: "(000, 002)", "in 004", "기사 001", "001번 기사", or the file's name itself.
NUMBERED_ARTICLE = re.compile(
    r"\barticles?\s+0\d\d\b"
    r"|\b(?:in|see|per)\s+0\d\d\b"
    r"|\b0\d\d's\b"
    r"|\(0\d\d(?:\s*(?:,|and|&|–)\s*0\d\d)*\)"
    r"|기사\s*0\d\d"
    r"|\b0\d\d\s*번?\s*기사"
    r"|\b0\d\d_[0-9a-f]{16}\b",
    re.IGNORECASE,
)


def articles_named_by_number(db: Database) -> list[str]:
    """One line for each curators' text a reader sees (`READER_TEXTS`) that names an article
    by its file number ("article 001", "(004)") instead of by its publisher and date."""
    out: list[str] = []
    for table, key, column in READER_TEXTS:
        if not db[table].exists() or column not in db.table(table).columns_dict:
            continue  # an older schema without this text
        rows = db.execute(
            f"SELECT [{key}], [{column}] FROM [{table}] WHERE [{column}] IS NOT NULL ORDER BY rowid"
        )
        for row_key, text in rows:
            found = NUMBERED_ARTICLE.search(str(text))
            if found:
                out.append(
                    f"{table} {row_key} {column}: names an article by its file number "
                    f"({found.group(0)!r}); name it by its publisher and date"
                )
    return out


def unsourced_entities(db: Database) -> list[str]:
    """Entities no source stands behind: in no event with evidence, no figure, no statement
    (as speaker or subject) and no mention."""
    rows = db.execute(
        """SELECT e.id FROM entities e WHERE NOT EXISTS (
               SELECT 1 FROM event_entities ee JOIN event_sources es ON es.event_id = ee.event_id
               WHERE ee.entity_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.entity_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM statements s WHERE s.speaker_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM statement_entities s WHERE s.entity_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM entity_mentions m WHERE m.entity_id = e.id)
           ORDER BY e.id"""
    )
    return [str(r[0]) for r in rows]


def summaries_to_review(db: Database) -> list[tuple[str, str]]:
    """(event id, text) for each part of a summary that no quote or note stands behind, for
    the events whose evidence comes from the articles (sources with a seed file). A summary
    is covered by its sentences that have a basis (`summary_basis`), in order; what is left
    between them is listed."""
    out: list[tuple[str, str]] = []
    events = db.execute(
        """SELECT id, summary FROM events ev WHERE summary IS NOT NULL AND EXISTS (
               SELECT 1 FROM event_sources es JOIN sources s ON s.id = es.source_id
               WHERE es.event_id = ev.id AND s.seed_file IS NOT NULL)
           ORDER BY t0, id"""
    ).fetchall()
    for event_id, summary in events:
        backed = [
            str(r[0])
            for r in db.execute(
                "SELECT DISTINCT n, sentence FROM summary_basis WHERE event_id = ? ORDER BY n",
                [event_id],
            ).fetchall()
            for r in [r[1:]]
        ]
        rest = str(summary)
        left: list[str] = []
        for sentence in backed:
            at = rest.find(sentence)
            if at < 0:
                continue
            left.append(rest[:at])
            rest = rest[at + len(sentence) :]
        left.append(rest)
        out += [(str(event_id), part.strip()) for part in left if part.strip()]
    return out


def places_without_coordinates(db: Database) -> list[str]:
    rows = db.execute(
        """SELECT id FROM entities WHERE kind = 'place'
           AND id NOT IN (SELECT entity_id FROM locations) ORDER BY id"""
    )
    return [str(r[0]) for r in rows]


def approximate_places(db: Database) -> list[tuple[str, str | None]]:
    """(place, the place whose point it is) of each place drawn at the point of a place
    that contains it, not at its own."""
    columns = {r[1] for r in db.execute("PRAGMA table_info(locations)")}
    if "approximate" not in columns:
        return []
    rows = db.execute(
        "SELECT entity_id, within_id FROM locations WHERE approximate = 1 ORDER BY entity_id"
    )
    return [(str(r[0]), None if r[1] is None else str(r[1])) for r in rows]
