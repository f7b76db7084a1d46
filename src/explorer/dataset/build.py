"""`explorer build-db`: the curated YAML becomes a new database, written beside the target
and renamed over it only once complete, so a failed build never leaves a half-written file."""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from explorer.dataset import extras
from explorer.dataset.curated import Dataset, value_range
from explorer.store import checked_files, dates, links, overview, search
from explorer.store.connection import create_store
from explorer.store.schema import SCHEMA_VERSION


def build(ds: Dataset, out: Path) -> dict[str, int]:
    """Write `ds` into a fresh database at `out` (replacing it atomically); returns counts."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.building")
    _remove(tmp)
    store = create_store(tmp)
    try:
        db = store.db
        with db.atomic():
            _insert(ds, db)
            rows = search.rebuild_index(db)
            overview.rebuild(db)
            overview.rebuild_stats(db)
        # A self-contained file: fold the WAL back in and leave rollback journaling, so the
        # committed database is one file and opens on read-only media.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("VACUUM")
    except BaseException:
        store.close()
        _remove(tmp)
        raise
    store.close()
    counts = {
        "sources": len(ds.sources),
        "entities": len(ds.entities),
        "aliases": sum(len(e.get("aliases") or []) for e in ds.entities),
        "events": len(ds.events),
        "claims": len(ds.claims),
        "statements": len(ds.statements),
        "mentions": sum(len(e.get("mentioned_in") or []) for e in ds.entities),
        "locations": sum(1 for e in ds.entities if e.get("location")),
        "curator_notes": len(ds.curator_notes),
        "search_rows": rows,
    }
    os.replace(tmp, out)
    checked_files.remember(out)  # written here: opened without a full check
    return counts


def _insert(ds: Dataset, db: Database) -> None:
    db.table("meta").insert_all(
        [
            {"key": "dataset", "value": ds.name},
            {"key": "dataset_id", "value": ds.id},
            {"key": "source_digest", "value": ds.digest},
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
        ]
    )
    db.table("sources").insert_all(
        {
            k: s.get(k)
            for k in (
                "id",
                "title",
                "publisher",
                "author",
                "published",
                "url",
                "language",
                "seed_file",
                "note",
            )
        }
        for s in ds.sources
    )
    db.table("metrics").insert_all(
        {k: m[k] for k in ("id", "label", "label_en", "unit")} for m in ds.metrics
    )
    db.table("entities").insert_all(
        {k: e.get(k) for k in ("id", "kind", "name", "description")} for e in ds.entities
    )
    db.table("entity_aliases").insert_all(
        {
            "entity_id": e["id"],
            "alias": a["alias"],
            "lang": a["lang"],
            "is_primary": int(bool(a.get("primary"))),
        }
        for e in ds.entities
        for a in e.get("aliases") or []
    )
    for ev in ds.events:
        b = dates.bounds(ev["start"], ev.get("end"), ev["precision"])
        db.table("events").insert(
            {
                "id": ev["id"],
                "title": ev["title"],
                "title_en": ev.get("title_en"),
                "summary": extras.summary_text(ev),
                "category": ev["category"],
                "start": ev["start"],
                "end": ev.get("end"),
                "earliest": b.earliest,
                "latest": b.latest,
                "precision": ev["precision"],
                "qualifier": ev.get("qualifier", "exact"),
                "date_text": ev.get("date_text"),
                "date_note": ev.get("date_note"),
                "t0": b.t0,
                "t1": b.t1,
                "last_vouched": ev.get("last_vouched"),
                "last_vouched_t1": extras.last_vouched_t1(ev),
                "undated": int(bool(ev.get("undated"))),
            }
        )
        links.put_entities(db, ((ev["id"], k["entity"], k["role"]) for k in ev["entities"]))
        links.put_sources(db, ((ev["id"], ref["source"], ref["quote"]) for ref in ev["sources"]))
        db.table("summary_basis").insert_all(extras.summary_rows(ev))
    for c in ds.claims:
        qualifier = c.get("qualifier", "exact")
        low, high = value_range(float(c["value"]), qualifier)
        period = dates.period_bounds(str(c["as_of"]))
        db.table("claims").insert(
            {
                "id": c["id"],
                "entity_id": c["entity"],
                "metric": c["metric"],
                "value": float(c["value"]),
                "value_text": c["value_text"],
                "unit": c["unit"],
                "qualifier": qualifier,
                "value_low": low,
                "value_high": high,
                "as_of": str(c["as_of"]),
                "as_of_earliest": period.earliest,
                "as_of_latest": period.latest,
                "source_id": c["source"],
                "quote": c["quote"],
                "note": c.get("note"),
                "basis": c.get("basis", "stated"),
                "period_start": c.get("period_start"),
            }
        )
        if c.get("period_start"):  # the figure covers the whole period
            db.execute(
                "UPDATE claims SET as_of_earliest = ? WHERE id = ?",
                [dates.period_bounds(str(c["period_start"])).earliest, c["id"]],
            )
    _insert_extras(ds, db)


def _insert_extras(ds: Dataset, db: Database) -> None:
    """Mentions, places, statements and the curators' notes."""
    db.table("entity_mentions").insert_all(
        {"entity_id": e["id"], "source_id": m["source"], "quote": m["quote"]}
        for e in ds.entities
        for m in e.get("mentioned_in") or []
    )
    db.table("locations").insert_all(
        {
            "entity_id": e["id"],
            "lat": float(e["location"]["lat"]),
            "lon": float(e["location"]["lon"]),
            "source": e["location"]["source"],
            "note": e["location"].get("note"),
            "approximate": int(e["location"].get("approximate", False)),
            "within_id": e["location"].get("within"),
        }
        for e in ds.entities
        if e.get("location")
    )
    for st in ds.statements:
        db.table("statements").insert(
            {
                "id": st["id"],
                "source_id": st["source"],
                "speaker_id": st.get("speaker"),
                "attribution": st.get("attribution"),
                "words": st["words"],
                "kind": st["kind"],
                "direct": int(bool(st.get("direct"))),
                "said_event_id": st.get("said_event"),
                **extras.period_row("said", st["said"]),
                **extras.period_row("about", st.get("about")),
                "note": st.get("note"),
            }
        )
        db.table("statement_events").insert_all(
            {"statement_id": st["id"], "event_id": e} for e in st.get("events") or []
        )
        db.table("statement_entities").insert_all(
            {"statement_id": st["id"], "entity_id": e} for e in st.get("entities") or []
        )
    for note in ds.curator_notes:
        db.table("curator_notes").insert(
            {"id": note["id"], "kind": note["kind"], "text": note["text"]}
        )
        db.table("curator_note_targets").insert_all(
            {"note_id": note["id"], "target_kind": k, "target_id": i}
            for k, i in extras.note_targets(note)
        )


def _remove(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
