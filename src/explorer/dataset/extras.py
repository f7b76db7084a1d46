"""The curated dataset beyond events and figures: who said what (statements.yaml), the
curators' own notes (curator_notes.yaml), where each entity is mentioned and where each place
is, exactly or at the point of a place that contains it (entities.yaml), open-ended and
undated events, how a figure is known, and which quote or note stands behind each sentence of
an event's summary (events.yaml).

`validate` lists every problem; the `*_rows` functions turn checked YAML into table rows.
"""

from __future__ import annotations

import re
from typing import Any

from explorer.store import dates
from explorer.store.schema import CLAIM_BASES, CURATOR_NOTE_KINDS, NOTE_TARGETS, STATEMENT_KINDS

MAX_WORDS = 400  # statements.words and attribution, as the schema checks
MAX_QUOTE = 300  # quotes in the curated data (the schema allows 400)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _quote(value: Any, where: str, limit: int = MAX_QUOTE) -> list[str]:
    if not _is_text(value):
        return [f"{where}: quote is missing"]
    if len(value) > limit:
        return [f"{where}: quote has {len(value)} characters (at most {limit})"]
    return []


# --- summaries ----------------------------------------------------------------------------


def summary_sentences(ev: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """(sentence, basis) for each sentence of an event's summary. A summary written as one
    string is one sentence with no basis (the check lists it for review)."""
    summary = ev.get("summary")
    if isinstance(summary, str):
        return [(summary, [])]
    out = []
    for item in summary or []:
        if isinstance(item, dict):
            basis = item.get("basis")
            out.append(
                (str(item.get("text") or ""), list(basis) if isinstance(basis, list) else [])
            )
    return out


def summary_text(ev: dict[str, Any]) -> str:
    return " ".join(text for text, _ in summary_sentences(ev))


def summary_problems(ev: dict[str, Any], where: str) -> list[str]:
    summary = ev.get("summary")
    if isinstance(summary, str):
        return [] if summary.strip() else [f"{where}: 'summary' must be non-empty text"]
    if not isinstance(summary, list) or not summary:
        return [f"{where}: 'summary' must be text or a list of sentences with their basis"]
    p = []
    for i, item in enumerate(summary, 1):
        if not isinstance(item, dict) or not _is_text(item.get("text")):
            p.append(f"{where}: summary sentence {i} needs 'text'")
        elif not isinstance(item.get("basis"), list) or not item["basis"]:
            p.append(f"{where}: summary sentence {i} needs a 'basis' (quote numbers or notes)")
    return p


def _basis_problems(ev: dict[str, Any], where: str, notes: set[str]) -> list[str]:
    p = []
    quotes = len(ev.get("sources") or [])
    for i, (_, basis) in enumerate(summary_sentences(ev), 1):
        for b in basis:
            if isinstance(b, int) and not isinstance(b, bool):
                if not 1 <= b <= quotes:
                    p.append(f"{where}: summary sentence {i} cites quote {b} of {quotes}")
            elif b == "date_note":
                if not ev.get("date_note"):
                    p.append(f"{where}: summary sentence {i} cites a date note it lacks")
            elif b not in notes:
                p.append(f"{where}: summary sentence {i} cites {b!r}, no quote or curator note")
    return p


def summary_rows(ev: dict[str, Any]) -> list[dict[str, Any]]:
    """summary_basis rows of one event: (n, sentence, k) and its quote or note."""
    rows = []
    refs = ev.get("sources") or []
    for n, (sentence, basis) in enumerate(summary_sentences(ev), 1):
        for k, b in enumerate(basis, 1):
            row: dict[str, Any] = {"event_id": ev["id"], "n": n, "sentence": sentence, "k": k}
            if isinstance(b, int):
                ref = refs[b - 1]
                row.update(source_id=ref["source"], quote=ref["quote"], note=None)
            else:
                row.update(source_id=None, quote=None, note=str(b))
            rows.append(row)
    return rows


# --- dated periods ------------------------------------------------------------------------


def _period(value: Any, where: str) -> tuple[dates.Bounds | None, list[str]]:
    if not isinstance(value, dict):
        return None, [f"{where} must be a mapping with start, precision, qualifier"]
    try:
        start, end = value.get("start"), value.get("end")
        if not isinstance(start, str) or not isinstance(end or "", str):
            raise dates.DateFormatError("start and end must be quoted strings")
        bounds = dates.bounds(start, end, str(value.get("precision")))
    except dates.DateFormatError as exc:
        return None, [f"{where}: {exc}"]
    p = []
    if value.get("qualifier", "exact") not in dates.QUALIFIERS:
        p.append(f"{where}: qualifier {value.get('qualifier')!r} is not one of {dates.QUALIFIERS}")
    if not _is_text(value.get("text")) and not _is_text(value.get("note")):
        p.append(f"{where}: needs the source's words ('text') or a 'note' saying how it was read")
    return bounds, p


def period_row(prefix: str, value: dict[str, Any] | None) -> dict[str, Any]:
    """The `said_*` or `about_*` columns of a statement."""
    keys = ("start", "end", "precision", "qualifier", "text", "note", "t0", "t1")
    if not value:
        return {f"{prefix}_{k}": None for k in keys}
    b = dates.bounds(value["start"], value.get("end"), value["precision"])
    return {
        f"{prefix}_start": value["start"],
        f"{prefix}_end": value.get("end"),
        f"{prefix}_precision": value["precision"],
        f"{prefix}_qualifier": value.get("qualifier", "exact"),
        f"{prefix}_text": value.get("text"),
        f"{prefix}_note": value.get("note"),
        f"{prefix}_t0": b.t0,
        f"{prefix}_t1": b.t1,
    }


def last_vouched_t1(ev: dict[str, Any]) -> float | None:
    value = ev.get("last_vouched")
    return dates.period_bounds(value).t1 if isinstance(value, str) else None


# --- the checks ---------------------------------------------------------------------------


def _event_problems(ev: dict[str, Any], notes: set[str]) -> list[str]:
    where = f"event {ev.get('id')}"
    p = _basis_problems(ev, where, notes)
    if ev.get("undated") not in (None, True, False):
        p.append(f"{where}: undated must be true or false")
    if ev.get("undated") and (ev.get("qualifier") != "before" or not ev.get("date_note")):
        p.append(f"{where}: an undated event needs qualifier 'before' (its bound) and a note")
    vouched = ev.get("last_vouched")
    if vouched is not None:
        try:
            t1 = dates.period_bounds(str(vouched)).t1
            b = dates.bounds(str(ev.get("start")), ev.get("end"), str(ev.get("precision")))
            if not b.t0 < t1 <= b.t1:
                p.append(f"{where}: last_vouched {vouched} is outside the event's own span")
        except dates.DateFormatError as exc:
            p.append(f"{where}: last_vouched {exc}")
        if not ev.get("end") or not ev.get("date_note"):
            p.append(
                f"{where}: an open-ended span needs an end (the last year it covers) and a note"
            )
    return p


def _claim_problems(c: dict[str, Any]) -> list[str]:
    where = f"claim {c.get('id')}"
    p = []
    basis = c.get("basis", "stated")
    if basis not in CLAIM_BASES:
        p.append(f"{where}: basis {basis!r} is not one of {CLAIM_BASES}")
    if basis == "derived" and not c.get("note"):
        p.append(f"{where}: a figure the curators derived needs a note saying how")
    start = c.get("period_start")
    if start is not None:
        try:
            first = dates.period_bounds(str(start))
            last = dates.period_bounds(str(c.get("as_of")))
            if first.t0 >= last.t1:
                p.append(f"{where}: period_start {start} is after as_of")
        except dates.DateFormatError as exc:
            p.append(f"{where}: period_start {exc}")
    return p


def _entity_problems(
    e: dict[str, Any], sources: set[str], points: dict[str, dict[str, Any]]
) -> list[str]:
    where = f"entity {e.get('id')}"
    p = []
    for m in e.get("mentioned_in") or []:
        if not isinstance(m, dict) or m.get("source") not in sources:
            p.append(f"{where}: mentioned_in {m!r} needs a known 'source'")
            continue
        p.extend(_quote(m.get("quote"), f"{where} mentioned in {m['source']}"))
    return p + _location_problems(e, where, points)


def exact_points(entities: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each place's own point (not an approximate one), by entity id."""
    return {
        str(e.get("id")): e["location"]
        for e in entities
        if e.get("kind") == "place"
        and isinstance(e.get("location"), dict)
        and e["location"].get("approximate") is not True
    }


def _location_problems(
    e: dict[str, Any], where: str, points: dict[str, dict[str, Any]]
) -> list[str]:
    """Every place has a point: its own (with the source of its coordinates), or, marked
    `approximate: true`, the point of a place that contains it (`within`), copied from that
    place with its source, and a note saying what it stands for and who says so."""
    loc = e.get("location")
    if loc is None and e.get("kind") != "place":
        return []
    if not isinstance(loc, dict):
        return [f"{where}: a place needs a 'location' (its coordinates and their source)"]
    p = []
    lat, lon = loc.get("lat"), loc.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        p.append(
            f"{where}: location needs numbers lat and lon (when no source gives the place's"
            " own point, the point of a place that contains it, marked approximate)"
        )
    elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
        p.append(f"{where}: location {lat}, {lon} is not on the globe")
    if not _is_text(loc.get("source")):
        p.append(f"{where}: location needs the 'source' of its coordinates")
    approximate, within = loc.get("approximate", False), loc.get("within")
    if not isinstance(approximate, bool):
        p.append(f"{where}: location approximate must be true or false")
    elif not approximate:
        if within is not None:
            p.append(f"{where}: location names a place it is 'within' but is not approximate")
        return p
    if not _is_text(loc.get("note")):
        p.append(f"{where}: an approximate location needs a note saying what its point stands for")
    outer = points.get(str(within))
    if within == e.get("id") or outer is None:
        p.append(
            f"{where}: an approximate location needs 'within': another place with its own point"
        )
    elif [loc.get(k) for k in ("lat", "lon", "source")] != [
        outer.get(k) for k in ("lat", "lon", "source")
    ]:
        p.append(f"{where}: its lat, lon and source must be those of {within}, whose point it is")
    return p


def _statement_problems(
    st: dict[str, Any], sources: set[str], entities: set[str], events: set[str]
) -> list[str]:
    where = f"statement {st.get('id')}"
    p = []
    if st.get("source") not in sources:
        p.append(f"{where}: unknown source {st.get('source')!r}")
    speaker = st.get("speaker")
    if speaker is not None and speaker not in entities:
        p.append(f"{where}: unknown speaker {speaker!r}")
    if speaker is None and not _is_text(st.get("attribution")):
        p.append(f"{where}: a statement without a speaker entity needs the source's attribution")
    p.extend(_quote(st.get("words"), f"{where} words", MAX_WORDS))
    if st.get("attribution") is not None:
        p.extend(_quote(st.get("attribution"), f"{where} attribution", MAX_WORDS))
    if st.get("kind") not in STATEMENT_KINDS:
        p.append(f"{where}: kind {st.get('kind')!r} is not one of {STATEMENT_KINDS}")
    if st.get("direct", False) not in (True, False):
        p.append(f"{where}: direct must be true or false")
    p.extend(_period(st.get("said"), f"{where} said")[1])
    if st.get("about") is not None:
        p.extend(_period(st["about"], f"{where} about")[1])
    if st.get("said_event") is not None and st["said_event"] not in events:
        p.append(f"{where}: unknown said_event {st['said_event']!r}")
    p.extend(f"{where}: unknown event {e!r}" for e in st.get("events") or [] if e not in events)
    p.extend(
        f"{where}: unknown entity {e!r}" for e in st.get("entities") or [] if e not in entities
    )
    return p


def _ids(rows: list[dict[str, Any]], prefix: str, what: str) -> tuple[set[str], list[str]]:
    seen: set[str] = set()
    p = []
    for i, row in enumerate(rows):
        rid = row.get("id")
        if not isinstance(rid, str) or not _ID.match(rid) or not rid.startswith(prefix):
            p.append(f"{what} #{i + 1}: id {rid!r} must be lowercase text starting {prefix!r}")
        elif rid in seen:
            p.append(f"{what} {rid}: duplicate id")
        else:
            seen.add(rid)
    return seen, p


def note_targets(note: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, id) of what a curators' note is about: `about: [{claim: cl-…}, …]`."""
    out = []
    for item in note.get("about") or []:
        if isinstance(item, dict) and len(item) == 1:
            ((kind, ident),) = item.items()
            out.append((str(kind), str(ident)))
    return out


def validate(ds: Any, sources: set[str], entities: set[str]) -> list[str]:
    """Problems in everything this module covers; `ds` is a curated.Dataset."""
    events = {str(ev.get("id")) for ev in ds.events}
    claims = {str(c.get("id")) for c in ds.claims}
    statements, p = _ids(ds.statements, "st-", "statement")
    notes, more = _ids(ds.curator_notes, "cn-", "curator note")
    p += more
    known = {
        "event": events,
        "entity": entities,
        "claim": claims,
        "statement": statements,
        "source": sources,
    }
    for ev in ds.events:
        p += _event_problems(ev, notes)
    for c in ds.claims:
        p += _claim_problems(c)
    points = exact_points(ds.entities)
    for e in ds.entities:
        p += _entity_problems(e, sources, points)
    for st in ds.statements:
        p += _statement_problems(st, sources, entities, events)
    for note in ds.curator_notes:
        where = f"curator note {note.get('id')}"
        if note.get("kind") not in CURATOR_NOTE_KINDS:
            p.append(f"{where}: kind {note.get('kind')!r} is not one of {CURATOR_NOTE_KINDS}")
        if not _is_text(note.get("text")):
            p.append(f"{where}: 'text' is missing")
        targets = note_targets(note)
        if not targets or len(targets) != len(note.get("about") or []):
            p.append(f"{where}: 'about' must list what it is on, as [{{claim: cl-…}}, …]")
        for kind, ident in targets:
            if kind not in NOTE_TARGETS or ident not in known[kind]:
                p.append(f"{where}: it is about an unknown {kind} {ident!r}")
    return p
