"""`explorer demo-data`: a realistic synthetic project for testing scale.

Bursty dates over decades (news comes in waves), Zipf-distributed entity participation (a few
entities are in everything), Korean/English/Chinese names and titles, mixed precisions,
spans, qualifiers, sources with quotes, figures, and a bundle of notes. Deterministic for a
seed. Written with the same schema and search index as the curated data.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from explorer.store import checked_files, notes, overview, search
from explorer.store.connection import create_store
from explorer.store.derived import SideBuild
from explorer.store.errors import StoreError
from explorer.store.schema import CATEGORIES, ENTITY_KINDS

Progress = Callable[[str, float], None]

_SYL = "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후"
_HAN = "京海深圳杭州北上广中国人工智能科技研究院集团大学公司平台模型数据产业发展创新中心"
_LAT = [
    "ka",
    "na",
    "da",
    "ra",
    "ma",
    "ba",
    "sa",
    "a",
    "ja",
    "cha",
    "ta",
    "pa",
    "ha",
    "go",
    "no",
    "do",
    "ro",
    "mo",
    "bo",
    "so",
    "o",
    "jo",
    "cho",
    "ko",
    "to",
    "po",
    "ho",
    "gu",
]
_ACTIONS = [
    ("출범", "launched", "启动"),
    ("협력 발표", "announce partnership", "宣布合作"),
    ("투자 유치", "raises funding", "获得投资"),
    ("회의 개최", "holds meeting", "召开会议"),
    ("방문", "visits", "访问"),
    ("정책 발표", "announces policy", "发布政策"),
    ("서비스 개시", "opens service", "开通服务"),
    ("연구 성과 공개", "publishes results", "发布成果"),
]
_EPOCH = dt.date(1970, 1, 1)


def _name(rng: np.random.Generator, k: int) -> tuple[str, str, str]:
    idx = rng.integers(0, len(_LAT), size=k)
    ko = "".join(_SYL[i % len(_SYL)] for i in idx)
    en = "".join(_LAT[i] for i in idx).capitalize()
    zh = "".join(_HAN[(i * 7 + j) % len(_HAN)] for j, i in enumerate(idx))
    return ko, en, zh


class _Bursts:
    """Bursty days since 1970: waves of news around random centres, 1990-2025. The centres
    are drawn once for a project of `n` events; days are then drawn a chunk at a time."""

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        self.lo = (dt.date(1990, 1, 1) - _EPOCH).days
        self.hi = (dt.date(2025, 12, 31) - _EPOCH).days
        self.centres = rng.integers(self.lo, self.hi, size=max(20, n // 2000))
        weights = rng.pareto(1.5, size=self.centres.size) + 1
        self.p = weights / weights.sum()

    def draw(self, rng: np.random.Generator, k: int) -> np.ndarray:
        pick = rng.choice(self.centres.size, size=k, p=self.p)
        spread = rng.exponential(40.0, size=k) * rng.choice([-1, 1], size=k)
        background = rng.random(k) < 0.25
        days = np.where(
            background, rng.integers(self.lo, self.hi, size=k), self.centres[pick] + spread
        )
        return np.clip(days, self.lo, self.hi).astype(np.int64)


def _iso(day: int) -> str:
    return (_EPOCH + dt.timedelta(days=int(day))).isoformat()


#: Events made at a time: memory stays flat whatever the size of the project.
CHUNK = 250_000
#: SQLite's page cache of the builder's connection, in KiB.
CACHE_KIB = 32768


def generate(
    out: Path,
    n_events: int,
    n_entities: int | None = None,
    seed: int = 1,
    progress: Progress | None = None,
    replace: bool = False,
) -> dict[str, float]:
    """Write a synthetic project to `out` (which must not exist unless `replace`); returns
    figures. The project is built in a sibling file and renamed into place when complete,
    so a failure (a full disk, an interrupt) leaves nothing behind, not half a project, and
    a project being replaced stays as it was. Built with no journal and no syncing (it is
    thrown away if anything fails), then written to disk once and renamed."""
    if out.exists() and not replace:
        raise StoreError(f"{out} already exists; refusing to write over it")
    part = out.with_name(out.name + ".part")
    leftovers = (part, *(Path(f"{part}{s}") for s in ("-wal", "-shm", "-journal")))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    try:
        figures = _generate(part, n_events, n_entities, seed, progress or (lambda s, f: None))
        _write_notes(out, np.random.default_rng(seed + 1), n_events)
        _sync(part)
        os.replace(part, out)
        _sync(out.parent)
        checked_files.forget(part)
        checked_files.remember(out)  # written here: opened without a full check
    except BaseException:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        raise
    (progress or (lambda s, f: None))("done", 1.0)
    figures["bytes"] = out.stat().st_size
    return figures


def _check_rowids(conn: sqlite3.Connection) -> None:
    """The links are written by rowid (`_INSERT_LINKS`): entity and source i must be rowid
    i + 1, as they are when written in order into empty tables."""
    for table, digits in (("entities", 5), ("sources", 5)):
        off = conn.execute(
            f"SELECT count(*) FROM {table} WHERE rowid <> CAST(substr(id, {digits}) AS INTEGER) + 1"
        ).fetchone()[0]
        if off:
            raise RuntimeError(f"{off} {table} are not where the links expect them")


def _sync(path: Path) -> None:
    """Flush a file (or a folder's entries) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some systems cannot sync a folder
        pass
    finally:
        os.close(fd)


_INSERT_EVENTS = """
    INSERT INTO events SELECT *,
      round((julianday(e8) - 2440587.5) * 86400),
      round((julianday(e9) + 1 - 2440587.5) * 86400),
      NULL, NULL, 0
    FROM (SELECT
      printf('ev-%07d', g.i), ent.ko || ' ' || act.ko, ent.en || ' ' || act.en,
      act.zh, cat.name,
      CASE g.p WHEN 0 THEN {day} WHEN 1 THEN substr({day}, 1, 7)
               ELSE substr({day}, 1, 4) END,
      CASE WHEN g.s > 0 THEN date((g.d + g.s) * 86400, 'unixepoch') END,
      CASE g.p WHEN 0 THEN {day} WHEN 1 THEN substr({day}, 1, 7) || '-01'
               ELSE substr({day}, 1, 4) || '-01-01' END AS e8,
      CASE g.p WHEN 0 THEN date((g.d + g.s) * 86400, 'unixepoch')
               WHEN 1 THEN date({day}, 'start of month', '+1 month', '-1 day')
               ELSE substr({day}, 1, 4) || '-12-31' END AS e9,
      CASE g.p WHEN 0 THEN 'day' WHEN 1 THEN 'month' ELSE 'year' END,
      CASE g.q WHEN 0 THEN 'exact' WHEN 1 THEN 'circa' WHEN 2 THEN 'before'
               ELSE 'after' END,
      CASE g.p WHEN 0 THEN {day} WHEN 1 THEN substr({day}, 1, 7)
               ELSE substr({day}, 1, 4) END,
      NULL
    FROM g JOIN ent ON ent.e = g.e JOIN act ON act.a = g.a
    JOIN cat ON cat.c = g.c ORDER BY g.i)""".format(day="date(g.d * 86400, 'unixepoch')")
# Links are stored by rowids (store/links.py): event i, entity e and source r were written
# in order into empty tables, so their rowids are i + 1, e + 1 and r + 1 (`_check_rowids`).
_INSERT_QUOTES = """INSERT INTO event_source_links (event, source, quote)
                    SELECT g.i + 1, g.r + 1, ent.ko || ' 관련 보도 ' || g.i
                    FROM g JOIN ent ON ent.e = g.e ORDER BY g.i"""
# an event's first entity is its subject, the others participants; an entity drawn twice is
# linked once, with its first role
_INSERT_LINKS = """INSERT INTO event_entity_links (event, entity, role)
    SELECT g.i + 1, 1 + CASE k.k WHEN 0 THEN g.e WHEN 1 THEN g.e1 ELSE g.e2 END,
           (SELECT id FROM link_roles WHERE name = CASE k.k WHEN 0 THEN 'subject'
                                                   ELSE 'participant' END)
    FROM g JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) k
      ON k.k < g.n AND NOT (k.k = 1 AND g.e1 = g.e) AND NOT (k.k = 2 AND g.e2 IN (g.e, g.e1))
    ORDER BY g.i, k.k"""


def _generate(
    out: Path, n_events: int, n_entities: int | None, seed: int, say: Progress
) -> dict[str, float]:
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    n_entities = n_entities or max(50, min(50_000, n_events // 20))
    n_sources = max(5, min(2000, n_events // 500))
    store = create_store(out)
    db = store.db
    conn = db.conn
    # A new file beside its target, deleted if anything fails: no journal, no log, no sync.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        with db.atomic():
            # Bulk load: secondary indexes are dropped and re-created afterwards with the
            # very same SQL, which is several times faster than updating them row by row.
            indexes = [
                (name, sql)
                for name, sql in conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                    " AND tbl_name IN ('events', 'event_entity_links', 'event_source_links',"
                    " 'claims', 'entity_aliases')"
                )
            ]
            for index, _sql in indexes:
                conn.execute(f"DROP INDEX {index}")
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("dataset", f"Synthetic project, {n_events:,} events"),
                    ("dataset_id", f"demo-{n_events}-{seed}"),
                    ("synthetic", "1"),
                ],
            )
            say("entities", 0.0)
            src_ids = _entities_and_sources(conn, rng, n_entities, n_sources, seed)
            say("events", 0.05)
            conn.execute("INSERT INTO link_roles (name) VALUES ('subject'), ('participant')")
            _check_rowids(conn)
            _events(conn, rng, n_events, n_entities, n_sources, say)
            first, last, count = conn.execute(
                "SELECT (SELECT rowid FROM events WHERE id = 'ev-0000000'), max(rowid), count(*)"
                " FROM events"
            ).fetchone()
            if (first, last, count) != (1, n_events, n_events):
                raise RuntimeError("the events are not where their links expect them")
            conn.execute("INSERT INTO metrics VALUES ('count', '건수', 'Count', 'count')")
            n_claims = _claims(conn, rng, n_events, n_entities, src_ids)
        # The links' keys first: the side builds read each event's links by them
        with db.atomic():
            for index, sql in indexes:
                if index.endswith("_links_key"):
                    conn.execute(sql)
        # Nothing writes the project now until both side builds are done: a worker process
        # builds the R*Tree, the density pyramid, the facet counts and the entity statistics
        # into one side file while this process builds the search index into another.
        side = SideBuild(
            out,
            ("event_spans", "overview", "overview_lanes", "overview_facets", "entity_stats"),
            _overview,
        )
        found = SideBuild(out, ("search_docs", "search_index"), _search, ".search")
        try:
            side.start(db)
            say("search index", 0.4)
            found.run_here(db)
            say("overview", 0.85)
            side.join()
            say("indexes", 0.88)
            with db.atomic():
                for index, sql in indexes:
                    if not index.endswith("_links_key"):
                        conn.execute(sql)
            say("copying", 0.94)
            found.copy_into(db)
            side.copy_into(db)
        finally:
            side.stop()
            side.remove()
            found.remove()
        say("finishing", 0.99)
        conn.execute("PRAGMA journal_mode = DELETE")  # as a finished project is kept
    finally:
        store.close()
    return {
        "events": n_events,
        "entities": n_entities,
        "claims": n_claims,
        "search_rows": found.result if isinstance(found.result, int) else 0,
        "peak_mb": _peak_kib() / 1024,
        "worker_peak_mb": (side.result if isinstance(side.result, int) else 0) / 1024,
        "seconds": time.perf_counter() - started,
    }


def _entities_and_sources(
    conn: sqlite3.Connection, rng: np.random.Generator, n_entities: int, n_sources: int, seed: int
) -> list[str]:
    """Entities with names in three languages, and sources; returns the sources' ids. Also
    fills the temporary tables the events are made from."""
    kinds = rng.choice(len(ENTITY_KINDS), size=n_entities, p=[0.25, 0.35, 0.2, 0.08, 0.1, 0.02])
    ent_rows, alias_rows = [], []
    for i in range(n_entities):
        ko, en, zh = _name(rng, 2 + i % 3)
        ent_id = f"ent-{i:06d}"
        ent_rows.append((ent_id, ENTITY_KINDS[kinds[i]], ko, f"Synthetic {en}"))
        alias_rows += [(ent_id, ko, "ko", 1), (ent_id, en, "en", 1), (ent_id, zh, "zh", 1)]
    conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?)", ent_rows)
    conn.executemany("INSERT INTO entity_aliases VALUES (?, ?, ?, ?)", alias_rows)
    # places have coordinates (East Asia), as curated and imported places do; drawn from their
    # own generator, so the rest of the project is as it was
    where = np.random.default_rng(seed + 7)
    conn.executemany(
        "INSERT INTO locations (entity_id, lat, lon, source) VALUES (?, ?, ?, 'synthetic')",
        [
            (r[0], round(where.uniform(20, 45), 4), round(where.uniform(100, 135), 4))
            for r in ent_rows
            if r[1] == "place"
        ],
    )
    days = _Bursts(rng, n_sources).draw(rng, n_sources)
    src_rows = [
        (f"src-{i:05d}", f"합성 기사 {i}", f"매체 {i % 40}", None, _iso(int(d)), None, "ko")
        for i, d in enumerate(days)
    ]
    conn.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)", src_rows)
    # Tables of names and actions, joined in by number
    conn.execute("CREATE TEMP TABLE act (a INTEGER PRIMARY KEY, ko, en, zh)")
    conn.execute("CREATE TEMP TABLE cat (c INTEGER PRIMARY KEY, name)")
    conn.execute("CREATE TEMP TABLE ent (e INTEGER PRIMARY KEY, ko, en)")
    conn.executemany(
        "INSERT INTO act VALUES (?, ?, ?, ?)", [(k, *a) for k, a in enumerate(_ACTIONS)]
    )
    conn.executemany("INSERT INTO cat VALUES (?, ?)", list(enumerate(CATEGORIES)))
    conn.executemany(
        "INSERT INTO ent VALUES (?, ?, ?)", [(k, r[2], r[3][10:]) for k, r in enumerate(ent_rows)]
    )
    return [r[0] for r in src_rows]


def _events(
    conn: sqlite3.Connection,
    rng: np.random.Generator,
    n_events: int,
    n_entities: int,
    n_sources: int,
    say: Progress,
) -> None:
    """Events, their quotes and links, CHUNK at a time: only integers cross into SQLite, and
    one INSERT ... SELECT per table builds ids, titles and ISO dates in C."""
    bursts = _Bursts(rng, n_events)
    conn.execute(
        "CREATE TEMP TABLE g (i INTEGER PRIMARY KEY, d INTEGER, p INTEGER,"
        " s INTEGER, q INTEGER, c INTEGER, e INTEGER, a INTEGER, r INTEGER,"
        " e1 INTEGER, e2 INTEGER, n INTEGER)"
    )
    for first in range(0, n_events, CHUNK):
        k = min(CHUNK, n_events - first)
        starts = bursts.draw(rng, k)
        prec = rng.choice(3, size=k, p=[0.75, 0.18, 0.07])
        spans = rng.random(k) < 0.05
        span_len = rng.integers(2, 400, size=k)
        quals = rng.choice(4, size=k, p=[0.88, 0.06, 0.03, 0.03])
        cats = rng.choice(len(CATEGORIES), size=k)
        # Zipf: a few entities take part in a great many events
        zipf = np.minimum(rng.zipf(1.35, size=(k, 3)) - 1, n_entities - 1)
        n_links = rng.choice([1, 2, 3], size=k, p=[0.5, 0.35, 0.15])
        sources = rng.integers(0, n_sources, size=k)
        acts = rng.integers(0, len(_ACTIONS), size=k)
        span = np.where(spans & (prec == 0), span_len, 0)
        columns = [
            np.arange(first, first + k),
            starts,
            prec,
            span,
            quals,
            cats,
            zipf[:, 0],
            acts,
            sources,
            zipf[:, 1],
            zipf[:, 2],
            n_links,
        ]
        for at in range(0, k, 50_000):
            rows = [c[at : at + 50_000].tolist() for c in columns]
            conn.executemany(
                "INSERT INTO g VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", zip(*rows, strict=True)
            )
        for sql in (_INSERT_EVENTS, _INSERT_QUOTES, _INSERT_LINKS):
            conn.execute(sql)
        conn.execute("DELETE FROM temp.g")
        say("events", 0.05 + 0.3 * (first + k) / n_events)
    for temp in ("g", "act", "cat", "ent"):
        conn.execute(f"DROP TABLE temp.{temp}")


def _claims(
    conn: sqlite3.Connection,
    rng: np.random.Generator,
    n_events: int,
    n_entities: int,
    src_ids: list[str],
) -> int:
    n_claims = max(10, n_events // 50)
    claim_ent = np.minimum(rng.zipf(1.5, size=n_claims) - 1, n_entities - 1)
    values = rng.integers(1, 100000, size=n_claims)
    for first in range(0, n_claims, 50_000):
        rows = []
        for i in range(first, min(n_claims, first + 50_000)):
            year = int(1990 + i % 36)
            value = float(values[i])
            rows.append(
                (
                    f"cl-{i:07d}",
                    f"ent-{int(claim_ent[i]):06d}",
                    "count",
                    value,
                    f"{int(value):,}건",
                    "count",
                    "exact",
                    value,
                    value,
                    str(year),
                    f"{year}-01-01",
                    f"{year}-12-31",
                    src_ids[i % len(src_ids)],
                    f"수치 {i}",
                    None,
                )
            )
        conn.executemany(
            "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'stated', NULL)", rows
        )
    return n_claims


def _overview(db: Database) -> int:
    overview.rebuild(db)
    overview.rebuild_stats(db)
    return _peak_kib()


def _peak_kib() -> int:
    """This process's peak resident memory so far, in KiB (Linux and macOS; 0 elsewhere)."""
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak // 1024 if sys.platform == "darwin" else peak)


def _search(db: Database) -> int:
    return search.rebuild_index(db)


def _write_notes(out: Path, rng: np.random.Generator, n_events: int) -> None:
    """A bundle of notes on random events, beside the database (import it to try merging)."""
    stamp = notes.now()
    items = []
    for k in range(min(500, max(5, n_events // 1000))):
        ev = int(rng.integers(0, n_events))
        items.append(
            {
                "id": notes.new_id(),
                "target": {"kind": "event", "id": f"ev-{ev:07d}", "start": None, "end": None},
                "text": f"합성 메모 {k}: 확인 필요",
                "format": "plain",
                "author": "demo",
                "created": stamp,
                "updated": stamp,
                "revision": notes.new_id(),
                "deleted": False,
                "tags": ["demo", "확인"],
                "history": [],
            }
        )
    bundle = {
        "format": "explorer-annotations",
        "format_version": 1,
        "exported": stamp,
        "exported_by": "explorer demo-data",
        "author": "demo",
        "notes": items,
        "items": [],
    }
    out.with_suffix(".notes.json").write_text(
        json.dumps(bundle, ensure_ascii=False), encoding="utf-8"
    )
