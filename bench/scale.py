"""Scale benchmark: synthetic projects of 10k, 100k and 1M events; for each, the store-level
steps the window depends on, timed against the simple approach in the same run.

    python bench/scale.py [--sizes 10000,100000,1000000] [--keep DIR]

Figures only; nothing is asserted. The machine is described at the top.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from explorer.dataset.demo import generate
from explorer.model.filters import Filters
from explorer.model.session import Session
from explorer.model.viewport import Viewport, ViewRequest
from explorer.store import overview, queries

DAY = 86400
#: Above this size the simple approach runs once per row, and does not load every event.
BIG = 2_000_000
OURS_PEAK = [0.0]


def _hwm() -> float:
    """This process's peak resident memory in MB (VmHWM), Linux only (0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


PROCESS_PEAK = [0.0]


def _reset_hwm() -> None:
    """Start VmHWM again from the current resident memory (Linux 4.0 and later), keeping the
    process's own peak so far."""
    PROCESS_PEAK[0] = max(PROCESS_PEAK[0], _hwm())
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def ours(fn):
    """Run one of Explorer's steps, keeping the peak memory of Explorer's steps apart from
    what the simple approach's queries took."""

    def run():
        _reset_hwm()
        fn()
        OURS_PEAK[0] = max(OURS_PEAK[0], _hwm())

    return run


def timed(fn, rounds: int = 15) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.99) - 1)]


def row(name: str, ours: tuple[float, float], simple: tuple[float, float] | None = None) -> None:
    line = f"  {name:<44} {ours[0]:9.2f} {ours[1]:9.2f}"
    if simple:
        line += f" {simple[0]:11.2f} {simple[0] / max(ours[0], 1e-6):8.1f}x"
    print(line)


def bench(path: Path, n: int) -> None:
    big = n > BIG
    few = 1 if big else 3
    print(f"\n== {n:,} events: {path.stat().st_size / 2**20:.0f} MB, load {os.getloadavg()}")
    print(f"  {'step':<44} {'median ms':>9} {'p99 ms':>9} {'simple ms':>11} {'ratio':>9}")
    _reset_hwm()
    t = time.perf_counter()
    session = Session.open(path)
    db = session.store.db
    overview.lanes(db, "category")
    opened = (time.perf_counter() - t) * 1000
    OURS_PEAK[0] = max(OURS_PEAK[0], _hwm())
    row(f"open the store and read the lanes ({session.store.check_state})", (opened, opened))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def load_all() -> None:
        conn.execute("SELECT earliest, latest, category FROM events").fetchall()

    row(
        "overview: density, whole span, 800 bins",
        timed(ours(lambda: overview.density(db, "category", 7000, 20500, 800))),
        timed(
            lambda: conn.execute(
                "SELECT category, CAST(julianday(earliest) - 2440587.5 AS INTEGER) / 16, count(*)"
                " FROM events GROUP BY 1, 2"
            ).fetchall(),
            few,
        ),
    )
    row(
        "overview: density, one year, 800 bins",
        timed(ours(lambda: overview.density(db, "category", 19000, 19365, 800))),
    )
    if big:
        print(f"  {'  simple: load every event into memory':<44} skipped (many GB at this size)")
    else:
        row("  simple: load every event into memory (once)", timed(load_all, 1))
    row(
        "events overlapping one day (R*Tree)",
        timed(ours(lambda: overview.overlapping(db, 19000, 19000, 5000))),
        timed(
            lambda: conn.execute(
                "SELECT rowid FROM events WHERE latest >= '2022-01-08' AND earliest <= '2022-01-08'"
                " LIMIT 5000"
            ).fetchall(),
            few,
        ),
    )
    row(
        "events overlapping one month (R*Tree)",
        timed(ours(lambda: overview.overlapping(db, 19000, 19030, 5000))),
    )
    for term in ("출범", "발표", "가나", "Kada", "#123"):
        row(
            f"search '{term}', first 100 hits",
            timed(ours(lambda term=term: session.search(term, limit=100)), 7),
            timed(
                lambda term=term: conn.execute(
                    "SELECT id FROM events WHERE title LIKE ? OR title_en LIKE ? OR summary LIKE ?"
                    " LIMIT 100",
                    [f"%{term}%"] * 3,
                ).fetchall(),
                few,
            ),
        )
    top, count = db.execute(
        "SELECT entity_id, events FROM entity_stats ORDER BY events DESC LIMIT 1"
    ).fetchone()
    row(
        f"entity pane of the most frequent ({count:,} events)",
        timed(ours(lambda: queries.get_entity(db, top)), 3),
    )
    filters_bench(path, conn, top, few)
    rss = max(PROCESS_PEAK[0], _hwm(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"  peak resident memory of Explorer's steps: {OURS_PEAK[0]:.0f} MB (budget 400)")
    print(f"  peak resident memory of the process, simple approach included: {rss:.0f} MB")
    session.close()
    conn.close()


def filters_bench(path: Path, conn: sqlite3.Connection, top: str, few: int = 1) -> None:
    """Filtered counts per lane and bin against the obvious query (test every event in
    view with EXISTS, then group); and the whole view the worker computes (counts, or the
    events themselves when few pass, with their lanes)."""
    vp = Viewport.open(str(path))
    whole = (7300 * DAY, 20454 * DAY)  # 1990 to 2026
    month = (16495 * DAY, 16526 * DAY)  # March 2015
    cases = [
        ("category", Filters(categories=frozenset({"visit"})), "ev.category = 'visit'"),
        (
            "kind",
            Filters(kinds=frozenset({"person"})),
            "EXISTS (SELECT 1 FROM event_entities x JOIN entities k ON k.id = x.entity_id"
            " WHERE x.event_id = ev.id AND k.kind = 'person')",
        ),
        (
            "entity",
            Filters(entities=frozenset({top})),
            "EXISTS (SELECT 1 FROM event_entities x WHERE x.event_id = ev.id"
            f" AND x.entity_id = '{top}')",
        ),
    ]
    for name, f, test in cases:
        for label, (x0, x1) in (("whole span", whole), ("one month", month)):
            req = ViewRequest(1, x0, x1, "source", 1600, f)
            d0, d1 = (time.strftime("%Y-%m-%d", time.gmtime(x)) for x in (x0, x1 - DAY))
            simple = (
                "SELECT s.source_id, CAST(julianday(ev.earliest) - 2440587.5 AS INTEGER) / 16,"
                " count(*) FROM events ev LEFT JOIN event_sources s ON s.event_id = ev.id"
                f" WHERE ev.earliest BETWEEN '{d0}' AND '{d1}' AND {test} GROUP BY 1, 2"
            )
            row(
                f"filter by {name}, {label}: counts by source",
                timed(ours(lambda req=req: vp.density(req)), 3),
                timed(lambda sql=simple: conn.execute(sql).fetchall(), 1),
            )
            row(
                "  the whole view as the worker computes it",
                timed(ours(lambda req=req: vp.compute(req)), 3),
            )
    vp.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated projects here")
    args = ap.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for n in (int(x) for x in args.sizes.split(",")):
        path = folder / f"demo-{n}.db"
        if not path.exists():
            t = time.perf_counter()
            generate(path, n)
            print(f"\nbuilt {n:,} events in {time.perf_counter() - t:.1f} s")
        bench(path, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
