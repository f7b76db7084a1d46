"""Export events as a TimelineJS 3 JSON document.

The format is described at https://timeline.knightlab.com/docs/json-format.html. TimelineJS
puts headlines, texts and display dates into the page as HTML, so every piece of text from
the store is escaped here, and a source is linked only when its URL is http(s).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from explorer.exchange.export import _refuse_existing
from explorer.exchange.imports.timelinejs_slide import (
    EVIDENCE_CLASS,
    split_summary,
    year_to_timelinejs,
)
from explorer.exchange.selection import selected_events
from explorer.exchange.when import event_when
from explorer.store import dates, queries
from explorer.store.errors import StoreError
from explorer.store.files import atomic_write
from explorer.store.records import Event, EventDetail

#: Date fields of a TimelineJS date object, coarsest first, and how many each precision has.
DATE_FIELDS = ("year", "month", "day", "hour", "minute", "second")
FIELD_COUNT = {"year": 1, "month": 2, "day": 3, "hour": 4, "minute": 5, "second": 6}
#: JavaScript's Date reaches 271,821 BCE to 275,760 CE; beyond, TimelineJS needs its
#: "cosmological" scale (which places events by year only).
HUMAN_YEARS = (-271_820, 275_759)


def date_object(value: str, precision: str) -> dict[str, str]:
    """A partial ISO date as a TimelineJS date: '2024-08' -> {'year': '2024', 'month': '8'},
    '-13800000000' -> {'year': '-13800000000'}. Fields are strings, without leading zeros,
    down to `precision` only; times are UTC as written."""
    dates.bounds(value, None, precision)  # raises DateFormatError on a malformed date
    sign = "-" if value.startswith("-") else ""
    body = value.lstrip("+-").rstrip("Z")
    day, _, time = body.partition("T")
    numbers = [*day.split("-"), *(time.split(":") if time else [])]
    parts = [str(int(n)) for n in numbers][: FIELD_COUNT[precision]]
    # '-0044' -> -44 (45 BCE) -> TimelineJS's -45, which it shows as "45 BCE"
    parts[0] = str(year_to_timelinejs(int(sign + parts[0])))
    return dict(zip(DATE_FIELDS, parts, strict=False))


def _link(url: str | None, label: str) -> str:
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(url)}">{escape(label)}</a>'
    return escape(label)


def event_text(detail: EventDetail, body: str | None = None) -> str:
    """The HTML body of an event's slide: its text (`body`, else the summary), then, in a
    block that Explorer's import leaves out when the file is read back (so a round trip does
    not grow the text), the date note, the evidence with sources, the statements said at or
    about the event (speaker, words, when) and the curators' notes, each marked as theirs."""
    ev = detail.event
    text = ev.summary if body is None else body
    parts = [f"<p>{escape(line)}</p>" for line in (text or "").split("\n") if line.strip()]
    evidence = []
    if ev.date_note:
        evidence.append(f"<p><small>{escape(ev.date_note)}</small></p>")
    for item in detail.evidence:
        src = item.source
        cite = [_link(src.url, src.title)]
        cite += [escape(x) for x in (src.publisher, src.published) if x]
        evidence.append(f"<blockquote>{escape(item.quote)}</blockquote>")
        evidence.append(f"<p><small>— {', '.join(cite)}</small></p>")
    for st in detail.statements:
        who = st.speaker_name or st.attribution or "unnamed"
        when = st.said.text or st.said.start
        about = f", about {st.about.text or st.about.start}" if st.about else ""
        words = f"“{st.words}”" if st.direct else st.words
        evidence.append(
            f"<p>{escape(words)}<br><small>— {escape(f'{who} ({when}{about})')}</small></p>"
        )
    for note in detail.notes:
        evidence.append(
            f"<p><small>{escape(note.text)} (the curators' {escape(note.kind)})</small></p>"
        )
    if evidence:
        parts.append(f'<div class="{EVIDENCE_CLASS}">{"".join(evidence)}</div>')
    return "".join(parts)


def _display_date(ev: Event) -> str:
    """The slide's date in words, from the event's date (qualifier, start, end, in UTC)."""
    return event_when(ev)


def _location(db: Database, detail: EventDetail) -> dict[str, Any] | None:
    """The event's first place (a venue before a location), with its coordinates if known."""
    places = [p for p in detail.participants if p.kind == "place"]
    places.sort(key=lambda p: (p.role != "venue", p.role != "location"))
    if not places:
        return None
    place = places[0]
    loc: dict[str, Any] = {"name": escape(place.name)}
    if has_table(db, "locations"):
        row = db.execute(
            "SELECT lat, lon FROM locations WHERE entity_id = ?", [place.entity_id]
        ).fetchone()
        if row is not None:
            loc["lat"], loc["lon"] = row[0], row[1]
    return loc


def _web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _slide(db: Database, detail: EventDetail, lang: str | None) -> dict[str, Any]:
    ev = detail.event
    headline = ev.title_en if lang == "en" and ev.title_en else ev.title
    try:
        start = date_object(ev.start, ev.precision)
        end = date_object(ev.end, ev.precision) if ev.end else None
    except dates.DateFormatError as exc:
        raise StoreError(f"event {ev.id!r} has a date TimelineJS cannot take: {exc}") from exc
    body, media, background = split_summary(ev.summary or "")
    if media is not None and not _web(media.url):  # not an address to embed: keep as text
        body, media = "\n".join(x for x in (body, media.line()) if x), None
    if "url" in background and not _web(background["url"]):
        body = "\n".join(x for x in (body, f"Background image: {background.pop('url')}") if x)
    slide: dict[str, Any] = {
        "unique_id": ev.id,
        "start_date": start,
        "text": {"headline": escape(headline), "text": event_text(detail, body)},
        "group": escape(ev.category),
        "display_date": escape(_display_date(ev)),
    }
    if end:
        slide["end_date"] = end
    if media is not None:
        slide["media"] = {
            "url": media.url,  # TimelineJS embeds by address; Explorer never fetches it
            "caption": escape(media.caption),
            "credit": escape(media.credit),
        }
    if background:
        slide["background"] = background
    location = _location(db, detail)
    if location:
        slide["location"] = location
    return slide


def has_table(db: Database, name: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
    ).fetchone()
    return row is not None


def eras(db: Database) -> list[dict[str, Any]]:
    """The store's periods as TimelineJS eras (none when it has no `periods` table). A
    period without an end runs to the last day of its start ('2024' -> 2024-12-31)."""
    if not has_table(db, "periods"):
        return []
    cur = db.execute("SELECT * FROM periods")
    names = [d[0] for d in cur.description]
    result = []
    for row in (dict(zip(names, r, strict=True)) for r in cur.fetchall()):
        pid, start, end = str(row.get("id") or ""), str(row["start"]), row.get("end")
        try:
            precision = str(row.get("precision") or dates.precision_of(start))
            t0 = dates.bounds(start, None, precision).t0
            end_date = (
                date_object(str(end), precision)
                if end
                else date_object(dates.last_day(start, precision), "day")
            )
            era = {
                "start_date": date_object(start, precision),
                "end_date": end_date,
                "text": {"headline": escape(str(row.get("title") or row.get("name") or ""))},
            }
        except dates.DateFormatError as exc:
            raise StoreError(
                f"period {pid or start!r} has a date TimelineJS cannot take: {exc}"
            ) from exc
        result.append((t0, pid, era))
    return [era for _, _, era in sorted(result, key=lambda r: (r[0], r[1]))]


def _years(doc: dict[str, Any]) -> list[int]:
    objects = [*doc["events"], *doc["eras"]]
    return [int(o[k]["year"]) for o in objects for k in ("start_date", "end_date") if k in o]


def timelinejs_document(
    db: Database,
    event_ids: list[str] | None = None,
    title: str | None = None,
    *,
    lang: str | None = None,
    own: Mapping[str, EventDetail] | None = None,
) -> dict[str, Any]:
    """A TimelineJS 3 document of the events `event_ids` (all when None; the annotator's
    own events come from `own`). With lang='en', headlines are the English titles where
    events have one."""
    details = selected_events(db, event_ids, own)
    dataset = queries.meta(db).get("dataset")
    headline = title or dataset or "Explorer timeline"
    about = f"{len(details)} event{'s' if len(details) != 1 else ''}"
    if dataset and dataset != headline:
        about += f" from {dataset}"
    doc: dict[str, Any] = {
        "title": {"text": {"headline": escape(headline), "text": f"<p>{escape(about)}</p>"}},
        "events": [_slide(db, d, lang) for d in details],
        "eras": eras(db),
    }
    lo, hi = HUMAN_YEARS
    deep = any(not lo <= y <= hi for y in _years(doc))
    doc["scale"] = "cosmological" if deep else "human"
    return doc


def export_timelinejs(
    db: Database,
    out: Path,
    *,
    event_ids: list[str] | None = None,
    title: str | None = None,
    lang: str | None = None,
    force: bool = False,
    own: Mapping[str, EventDetail] | None = None,
) -> int:
    """Write the TimelineJS document to `out` atomically; returns the number of events.
    Refuses to replace an existing file unless `force`."""
    _refuse_existing(out, force)
    doc = timelinejs_document(db, event_ids, title, lang=lang, own=own)
    data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        atomic_write(out, data)
    except OSError as exc:
        raise StoreError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return len(doc["events"])
