"""Explorer beside the timelines a researcher would pick for the web (figures only): the same
generated events (1k, 10k, 100k, 1M: as far as each goes) drawn by Explorer and by
vis-timeline in headless Chromium, and loaded as slides in TimelineJS3; time to the first
drawn timeline, and the times of the steps of one zoom sweep (whole span down to one day,
twelve moves at each of eleven levels, 1600x900).

    python bench/peers.py [--sizes 1000,10000,100000,1000000] [--timeout 120]

Needs node and npm (the peers are installed from bench/peers/package-lock.json) and
Debian's chromium (`apt-get install chromium`; `make bench-peers` installs both when they
are missing). The pages load only local files: any other request is refused and counted.

What is timed. Explorer: from the process's start to the first painted timeline (a fresh
interpreter: imports, fonts and opening count), and each step from setting the range to the
view painted (the worker's query included). A peer: from the page's start (its scripts and
the events loaded from a local file; the browser's own start is not counted) to the first
frame after the timeline has drawn, and each step from setting the window to the next frame
painted (performance.now() and requestAnimationFrame, in the page). TimelineJS zooms by its
own steps: its sweep goes through each of its levels, moving to the next slide twelve times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Whole processes are timed as an installed app runs them: with its modules' bytecode
# written (a shell that forbids writing it would have every start compile them all).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"
PROJECTS = HERE / ".projects"
sys.path.insert(0, str(HERE))

from scale_ui import p99, startup  # noqa: E402

DAY = 86400.0


def project(n: int) -> Path:
    from explorer.dataset.demo import generate

    PROJECTS.mkdir(exist_ok=True)
    path = PROJECTS / f"demo-{n}.db"
    if not path.exists():
        generate(path, n)
    return path


def events_file(db: Path, n: int) -> None:
    """The project's events for the pages: [id, title, t0, t1, category]."""
    import sqlite3

    out = PEERS / f"events-{n}.js"
    if out.exists() and out.stat().st_mtime > db.stat().st_mtime:
        return
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT id, title, t0, t1, category FROM events ORDER BY rowid").fetchall()
    conn.close()
    out.write_text(
        "window.EVENTS = " + json.dumps(rows, ensure_ascii=False) + ";\n", encoding="utf-8"
    )


def explorer_sweep(db: Path) -> list[float]:
    """Each step of the sweep, from setting the range to the view painted."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.model.timeline import epoch_seconds
    from explorer.model.workspace import Workspace
    from explorer.ui.app import application
    from explorer.ui.i18n import Translator
    from explorer.ui.opening import settle
    from explorer.ui.timeline_pane import TimelinePane
    from explorer.ui.timeline_style import make_style

    application()
    ws = Workspace.open(db)
    settle(ws)  # as the window does once a project is open
    w = TimelinePane(ws, Translator("ko"), make_style(False))
    w.resize(1600, 900)
    # shown (offscreen): a pane never shown is never laid out, and its plot stays 640x480
    w.show()
    QApplication.processEvents()
    # A step ends when the view is settled and painted: the newest view is the one drawn,
    # and the event loop has painted the screen since the range was set and since the last
    # result with rows or counts of its own came in (drawing one always asks for a paint; a
    # view answered from the result before draws what is drawn). The loop waits for events
    # as an application's does, woken by the result or the paint, rather than polling.
    due = [False]
    drawn: list[object] = [None]

    def applied(result: object) -> None:
        new = getattr(result, "density", None) or getattr(result, "rows", None)
        if new is not drawn[0]:
            drawn[0], due[0] = new, True

    class Painted(QObject):
        def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
            if ev.type() == QEvent.Type.Paint:
                due[0] = False  # the paint runs once this returns, before processEvents does
            return False

    painted = Painted()
    w.view.plot.viewport().installEventFilter(painted)
    w.sigApplied.connect(applied)
    wake = QTimer(interval=100)  # a wait never outlasts this, whatever it waits for
    wake.start()
    center = epoch_seconds("2022-01-08") + DAY / 2
    width = epoch_seconds("2027-01-01") - epoch_seconds("1989-01-01")
    # the window's first view, the whole span, drawn before the first input as a user sees
    # it (the first paint is timed on its own: bench/window.py, bench/scale_ui.py)
    w.view.set_range(center - width / 2, center + width / 2)
    while due[0] or not w.settled():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    steps = []
    while width >= DAY:
        for k in range(12):
            shift = (k - 6) * width / 200
            t = time.perf_counter()
            due[0] = True
            w.view.set_range(center - width / 2 + shift, center + width / 2 + shift)
            # the range change asks for the view itself (as a wheel notch does)
            while due[0] or not w.settled():
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            steps.append((time.perf_counter() - t) * 1000)
        width /= 2.5
    wake.stop()
    w.shutdown()
    return steps


def sweep_in_child(db: Path) -> list[float]:
    """Explorer's sweep of one project in a process of its own, as a user's would be (one
    project per process: a window's threads and caches do not carry over to the next)."""
    out = subprocess.run(
        [sys.executable, __file__, "--sweep", str(db)], capture_output=True, text=True, check=True
    ).stdout
    return [float(x) for x in json.loads(out.strip().splitlines()[-1])]


def peer(lib: str, sizes: list[int], timeout: int) -> dict[int, dict[str, object]]:
    env = {**os.environ, "PEER_TIMEOUT_S": str(timeout)}
    proc = subprocess.run(
        ["node", "run.mjs", lib, *map(str, sizes)],
        cwd=PEERS,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout * 3 * len(sizes) + 120,
    )
    found = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            found[int(r["n"])] = r
    if not found:
        raise RuntimeError(f"{lib}: no result: {proc.stderr[-800:]}")
    return found


def cell(first: float | None, steps: list[float] | None) -> tuple[str, str]:
    if first is None:
        return "did not finish", ""
    frames = f"{statistics.median(steps):.1f} / {p99(steps):.1f}" if steps else "-"
    if steps and len(steps) < 132:
        frames = f"({len(steps)} of 132) {frames}"
    return f"{first / 1000:.2f} s", frames


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--sweep", help=argparse.SUPPRESS)  # one project's sweep, in a child
    ap.add_argument(
        "--timeout", type=int, default=300, help="seconds a peer may take to draw, and to sweep"
    )
    args = ap.parse_args()
    if args.sweep:
        print(json.dumps(explorer_sweep(Path(args.sweep))))
        return 0
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()}")
    for n in sizes:
        events_file(project(n), n)
    ours: dict[int, tuple[float, list[float]]] = {}
    for n in sizes:
        first = statistics.median(startup(str(project(n)), runs=3))
        ours[n] = (first, sweep_in_child(project(n)))
    found = {lib: peer(lib, sizes, args.timeout) for lib in ("vis", "tl")}
    names = {"vis": "vis-timeline 8.5.4", "tl": "TimelineJS 3.9.11"}
    print(
        f"\n{'events':>10} | {'who':<20} | {'first drawn':>14} | {'ratio':>7} | "
        f"{'steps median / p99 ms':>22} | {'ratio (median)':>14} | refused requests"
    )
    for n in sizes:
        first, steps = ours[n]
        a, b = cell(first, steps)
        print(f"{n:>10,} | {'Explorer':<20} | {a:>14} | {'':>7} | {b:>22} | {'':>14} |")
        for lib, results in found.items():
            r = results.get(n)
            if r is None:
                print(f"{n:>10,} | {names[lib]:<20} | {'not tried':>14} | (a smaller size failed)")
                continue
            peer_first = r.get("first_ms")
            peer_steps = r.get("frames_ms")
            a, b = cell(
                float(peer_first) if isinstance(peer_first, (int, float)) else None,
                [float(x) for x in peer_steps] if isinstance(peer_steps, list) else None,
            )
            ratio = (
                f"{float(peer_first) / first:.1f}x" if isinstance(peer_first, (int, float)) else ""
            )
            step_ratio = (
                f"{statistics.median(map(float, peer_steps)) / statistics.median(steps):.1f}x"
                if isinstance(peer_steps, list) and peer_steps
                else ""
            )
            note = f" ({r['error']})" if r.get("error") else ""
            print(
                f"{n:>10,} | {names[lib]:<20} | {a:>14} | {ratio:>7} | {b:>22} | "
                f"{step_ratio:>14} | {r.get('refused', 0)}{note}"
            )
    print("ratio: the peer's time over Explorer's (above 1: Explorer is faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
