"""Scale benchmark: synthetic projects of 10k, 100k and 1M events; for each, the store-level
steps the window depends on, timed against the simple approach in the same run.

    python bench/scale.py [--sizes 10000,100000,1000000] [--keep DIR]

Figures only; nothing is asserted. The machine is described at the top.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from explorer.model.session import Session
from explorer.store import overview, queries
from explorer.store.demo import generate

DAY = 86400


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
    print(f"\n== {n:,} events: {path.stat().st_size / 2**20:.0f} MB")
    print(f"  {'step':<44} {'median ms':>9} {'p99 ms':>9} {'simple ms':>11} {'ratio':>9}")
    t = time.perf_counter()
    session = Session.open(path)
    db = session.store.db
    lanes = overview.lanes(db, "category")
    opened = (time.perf_counter() - t) * 1000
    row("open the store and read the lanes", (opened, opened))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def load_all() -> None:
        conn.execute("SELECT earliest, latest, category FROM events").fetchall()

    row(
        "overview: density, whole span, 800 bins",
        timed(lambda: overview.density(db, "category", 7000, 20500, 800)),
        timed(
            lambda: conn.execute(
                "SELECT category, CAST(julianday(earliest) - 2440587.5 AS INTEGER) / 16, count(*)"
                " FROM events GROUP BY 1, 2"
            ).fetchall(),
            3,
        ),
    )
    row(
        "overview: density, one year, 800 bins",
        timed(lambda: overview.density(db, "category", 19000, 19365, 800)),
    )
    row("  simple: load every event into memory (once)", timed(load_all, 1))
    row(
        "events overlapping one day (R*Tree)",
        timed(lambda: overview.overlapping(db, 19000, 19000, 5000)),
        timed(
            lambda: conn.execute(
                "SELECT rowid FROM events WHERE latest >= '2022-01-08' AND earliest <= '2022-01-08'"
                " LIMIT 5000"
            ).fetchall(),
            5,
        ),
    )
    row(
        "events overlapping one month (R*Tree)",
        timed(lambda: overview.overlapping(db, 19000, 19030, 5000)),
    )
    for term in ("출범", "발표", "가나", "Kada", "#123"):
        row(
            f"search '{term}', first 100 hits",
            timed(lambda term=term: session.search(term, limit=100), 7),
            timed(
                lambda term=term: conn.execute(
                    "SELECT id FROM events WHERE title LIKE ? OR title_en LIKE ? OR summary LIKE ?"
                    " LIMIT 100",
                    [f"%{term}%"] * 3,
                ).fetchall(),
                3,
            ),
        )
    top = db.execute(
        "SELECT entity_id FROM event_entities GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    count = db.execute("SELECT count(*) FROM event_entities WHERE entity_id = ?", [top]).fetchone()[
        0
    ]
    row(
        f"entity pane of the most frequent ({count:,} events)",
        timed(lambda: queries.get_entity(db, top), 3),
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak resident memory so far: {rss:.0f} MB")
    session.close()
    conn.close()


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
