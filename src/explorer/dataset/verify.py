"""Checks that a store's evidence really is in the articles it cites, that every entity comes
from a source, and which summary sentences have no quote or note behind them."""

from __future__ import annotations

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
