"""The linked views at 10k, 100k and 1M events: each view's update (network, map,
lifelines, events table) for windows of a year, five years and the whole project, timed
against the simple approach in the same run, and the network in the real window from the
moment the timeline's window settles to the new network drawn.

    python bench/views.py [--sizes 10000,100000,1000000] [--projects bench/.projects]
    python bench/views.py --sizes 10000000 --memory    # only the index's memory rows

Each size starts with the index's memory: each way of holding it in a process of its own
(the index read whole into memory, the simple way; read by block from the cache folder,
written at the first start, read at a later one), with the four views over the whole span
and the process's peak resident memory.

Projects missing from the folder are made with `explorer demo-data` (1M takes about a
minute). The simple approach asks SQLite for the window's links, counts every pair of
every event in Python and lays the strongest out as the view does (the network), groups
the window's events by place in SQL (the map), asks SQL for the most active entities and
then each one's events (lifelines), and orders the window's events in SQL (the table).
Figures only; nothing is asserted. Another developer's benchmark on the same machine shows
as load: `uptime` is printed before and after.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from explorer.model import network as nw
from explorer.model.link_index import LinkIndex
from explorer.model.timeline import epoch_seconds
from explorer.model.views_engine import ViewsEngine, ViewsRequest

WINDOWS = {
    "a year (2019)": ("2019-01-01", "2020-01-01"),
    "five years (2015-2019)": ("2015-01-01", "2020-01-01"),
    "everything (1990-2025)": ("1990-01-01", "2026-01-01"),
}
ROUNDS = 5


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def timed(fn, rounds: int = ROUNDS) -> float:
    samples = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def simple_network(conn: sqlite3.Connection, x0: float, x1: float, limit: int) -> list[str]:
    by_event: dict[str, set[str]] = {}
    for ev, ent in conn.execute(
        """SELECT ee.event_id, ee.entity_id FROM events ev
           JOIN event_entities ee ON ee.event_id = ev.id WHERE ev.t1 > ? AND ev.t0 < ?""",
        [x0, x1],
    ):
        by_event.setdefault(ev, set()).add(ent)
    nodes: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for linked in by_event.values():
        nodes.update(linked)
        pairs.update(itertools.combinations(sorted(linked), 2))
    top = nodes.most_common(limit)
    keep = {e for e, _ in top}
    edges = [nw.Edge(a, b, w, ()) for (a, b), w in pairs.items() if a in keep and b in keep]
    net = nw.Network([nw.Node(e, "person", n) for e, n in top], edges, 0, len(by_event))
    nw.layout(net, {})  # laid out as the view does (from scratch: nothing is kept)
    return [e for e, _ in top]


def simple_map(conn: sqlite3.Connection, x0: float, x1: float) -> list[tuple[str, int]]:
    return conn.execute(
        """SELECT l.entity_id, count(DISTINCT ev.id) FROM events ev
           JOIN event_entities ee ON ee.event_id = ev.id
           JOIN locations l ON l.entity_id = ee.entity_id
           WHERE ev.t1 > ? AND ev.t0 < ? GROUP BY 1 ORDER BY 2 DESC""",
        [x0, x1],
    ).fetchall()


def simple_lifelines(conn: sqlite3.Connection, x0: float, x1: float) -> int:
    top = conn.execute(
        """SELECT ee.entity_id, count(*) FROM events ev JOIN event_entities ee
           ON ee.event_id = ev.id WHERE ev.t1 > ? AND ev.t0 < ?
           GROUP BY 1 ORDER BY 2 DESC LIMIT 10""",
        [x0, x1],
    ).fetchall()
    marks = 0
    for ent, _ in top:
        marks += len(
            conn.execute(
                """SELECT ev.t0, ev.t1, ee.role FROM event_entities ee
                   JOIN events ev ON ev.id = ee.event_id
                   WHERE ee.entity_id = ? AND ev.t1 > ? AND ev.t0 < ?""",
                [ent, x0, x1],
            ).fetchall()
        )
    return marks


def simple_table(conn: sqlite3.Connection, x0: float, x1: float, sort: str) -> int:
    column = {"date": "t0", "title": "title"}[sort]
    return len(
        conn.execute(
            f"SELECT rowid FROM events WHERE t1 > ? AND t0 < ? ORDER BY {column}, t0", [x0, x1]
        ).fetchall()
    )


def links(index: LinkIndex) -> int:
    return int(index.columns.read("link_start", index.events, index.events + 1)[0])


def engine_rows(path: Path, n: int) -> None:
    print(f"\n== {n:,} events: {path.stat().st_size / 2**20:.0f} MB   ({uptime()})")
    engine = ViewsEngine.open(str(path))
    t = time.perf_counter()
    index = engine.index
    read = (time.perf_counter() - t) * 1000
    engine.close()
    engine = ViewsEngine.open(str(path))
    t = time.perf_counter()
    _ = engine.index
    again = (time.perf_counter() - t) * 1000
    print(
        f"  links read once on the worker: {read:,.0f} ms from the project, {again:,.0f} ms "
        f"at the next start ({links(index):,} links, {len(index.entity_ids):,} "
        "entities)"
    )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    print(f"  {'view and window':<46} {'ours ms':>9} {'simple ms':>10} {'ratio':>8}")
    for label, (a, b) in WINDOWS.items():
        x0, x1 = epoch_seconds(a), epoch_seconds(b)
        prev: tuple[tuple[str, float, float], ...] = ()

        def network(x0: float = x0, x1: float = x1) -> None:
            nonlocal prev
            net = engine.network(ViewsRequest(0, "network", x0, x1, previous=prev)).network
            prev = tuple((k, px, py) for k, (px, py) in net.positions.items())

        cases = [
            ("network", network, lambda x0=x0, x1=x1: simple_network(conn, x0, x1, 40)),
            (
                "map",
                lambda x0=x0, x1=x1: engine.places(ViewsRequest(0, "map", x0, x1)),
                lambda x0=x0, x1=x1: simple_map(conn, x0, x1),
            ),
            (
                "lifelines",
                lambda x0=x0, x1=x1: engine.lifelines(ViewsRequest(0, "lifelines", x0, x1)),
                lambda x0=x0, x1=x1: simple_lifelines(conn, x0, x1),
            ),
            (
                "table by date",
                lambda x0=x0, x1=x1: engine.table(ViewsRequest(0, "table", x0, x1)),
                lambda x0=x0, x1=x1: simple_table(conn, x0, x1, "date"),
            ),
            (
                "table by title",
                lambda x0=x0, x1=x1: engine.table(ViewsRequest(0, "table", x0, x1, sort="title")),
                lambda x0=x0, x1=x1: simple_table(conn, x0, x1, "title"),
            ),
        ]
        rounds = 1 if n >= 1_000_000 else ROUNDS  # the simple approach takes seconds there
        for name, ours, simple in cases:
            ours()  # warm: the title order is read once, the layout has a start
            mine = timed(ours)
            plain = timed(simple, rounds)
            print(f"  {name + ', ' + label:<46} {mine:9.1f} {plain:10.1f} {plain / mine:7.1f}x")
    engine.close()
    conn.close()


def window_rows(path: Path, n: int) -> None:
    """The network in the real window: from the timeline's window settling (its last move)
    to the new network drawn, while the timeline pans a year's window step by step."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from explorer.model.session import Session
    from explorer.ui.app import application
    from explorer.ui.main_window import MainWindow

    app = application()
    with Session.open(path) as session:
        window = MainWindow(session, settings=None, lang="en")
        window.resize(1600, 900)
        views = window.linked_views
        views.show_only("network")
        window.show()
        net = views.views["network"]

        def wait(until: float = 120.0) -> None:
            deadline = time.monotonic() + until
            while time.monotonic() < deadline and not net.settled():
                app.processEvents()
                time.sleep(0.001)

        def rest() -> None:
            """Let the nodes glide to their places before the next move (not counted)."""
            while net.moving:
                app.processEvents()
                time.sleep(0.001)

        ws = window.ws
        ws.set_window(epoch_seconds("2018-01-01"), epoch_seconds("2019-01-01"))
        t = time.perf_counter()
        wait()
        first = (time.perf_counter() - t) * 1000
        rest()
        print(f"  network in the window, first drawn: {first:,.0f} ms (the links read once)")
        year = 365 * 86400
        series = {
            "a year's window panned 45 days at a time": [
                (epoch_seconds("2018-01-01") + k * 45 * 86400, year) for k in range(1, 9)
            ],
            "the whole span, then five years panned a year at a time": [
                (epoch_seconds("1990-01-01"), 36 * year),
                *((epoch_seconds("2010-01-01") + k * year, 5 * year) for k in range(4)),
            ],
        }
        for label, moves in series.items():
            samples = []
            for x0, span in moves:
                ws.set_window(x0, x0 + span)
                t = time.perf_counter()
                wait()
                samples.append((time.perf_counter() - t) * 1000)
                rest()
            shown = net.net
            print(
                f"  network, settle to drawn, {label}: median "
                f"{statistics.median(samples):.0f} ms, max {max(samples):.0f} ms over "
                f"{len(samples)} moves ({len(shown.nodes) if shown else 0} nodes shown, "
                f"{shown.more if shown else 0:,} more at the last)"
            )
        print(f"  (settle to drawn includes the {net._timer.interval()} ms settle wait)")
        window.close()


MODES = {
    "held": "the index read whole into memory (the simple way)",
    "first": "read by block from the cache folder, first start (the cache written)",
    "later": "read by block from the cache folder, a later start",
}


def child(mode: str, path: str) -> None:
    """One process: the index, then each view over the whole span; its times and peak
    resident memory as JSON."""
    import json

    from explorer.model import link_index

    engine = ViewsEngine.open(path)
    t = time.perf_counter()
    if mode == "held":
        engine._index = link_index.load(engine.store.db)
    index = engine.index
    figures: dict[str, float] = {"index": (time.perf_counter() - t) * 1000, "links": links(index)}
    peaks = [peak()]
    x0, x1 = (epoch_seconds(d) for d in WINDOWS["everything (1990-2025)"])
    for view in ("network", "map", "lifelines", "table"):
        Path("/proc/self/clear_refs").write_text("5")  # the peak from here on
        t = time.perf_counter()
        engine.compute(ViewsRequest(0, view, x0, x1))
        figures[view] = (time.perf_counter() - t) * 1000
        peaks.append(peak())
    figures["peak"] = max(peaks)
    figures["peaks"] = peaks  # type: ignore[assignment]
    print(json.dumps(figures))


def peak() -> float:
    """This process's peak resident memory (MB) since it started or the last reset."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory_rows(path: Path) -> None:
    """Each way of holding the index in a process of its own, in a fresh user folder."""
    import json

    home = tempfile.mkdtemp(prefix="explorer-bench-")
    env = {**os.environ, "EXPLORER_HOME": home}
    print(f"\n  whole span, a process each ({path.name}; ms, MB peak resident):")
    heads = ("index", "network", "map", "lifelines", "table", "peak")
    print(f"  {'':<70} " + " ".join(f"{h:>9}" for h in heads))
    try:
        for mode, label in MODES.items():
            run = [sys.executable, __file__, "--child", mode, str(path)]
            out = subprocess.run(run, env=env, capture_output=True, text=True)
            if out.returncode:
                print(f"  {label:<70} failed: {out.stderr.strip()[-600:]}")
                continue
            f = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"  {label:<70} " + " ".join(f"{f[h]:9,.0f}" for h in heads))
            each = ", ".join(f"{v:,.0f}" for v in f["peaks"])
            print(f"  {'':<70} peak MB: index {each} (network, map, lifelines, table)")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--projects", default="bench/.projects")
    parser.add_argument("--memory", action="store_true", help="only the index's memory rows")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PROJECT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    folder = Path(args.projects)
    folder.mkdir(parents=True, exist_ok=True)
    # a user folder of its own: the links' cache starts empty, and no real one is touched
    home = tempfile.mkdtemp(prefix="explorer-bench-")
    os.environ["EXPLORER_HOME"] = home
    print(f"# linked views: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            path = folder / f"demo-{n}.db"
            if not path.exists():
                make = [sys.executable, "-m", "explorer", "demo-data", "--events", str(n)]
                subprocess.run([*make, "--out", str(path)], check=True)
            memory_rows(path)
            if not args.memory:
                engine_rows(path, n)
                window_rows(path, n)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"\n({uptime()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
