"""Checks that a store's evidence really is in the articles it cites."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database


def quote_problems(db: Database, seeds: Path) -> tuple[int, list[str]]:
    """(number of quotes checked, problems) — every event and claim quote must appear
    verbatim in its source's article text under `seeds`."""
    texts: dict[str, str | None] = {}
    for sid, seed in db.execute("SELECT id, seed_file FROM sources"):
        path = seeds / seed if seed else None
        texts[sid] = path.read_text(encoding="utf-8") if path and path.is_file() else None
    problems: list[str] = []
    checked = 0
    rows = db.execute(
        """SELECT 'event ' || event_id, source_id, quote FROM event_sources
           UNION ALL SELECT 'claim ' || id, source_id, quote FROM claims"""
    ).fetchall()
    for where, sid, quote in rows:
        text = texts.get(sid)
        if text is None:
            problems.append(f"{where}: the article of source {sid} is not in {seeds}")
            continue
        checked += 1
        if quote not in text:
            problems.append(f"{where}: quote not found verbatim in {sid}: {quote[:60]!r}")
    return checked, problems
