"""The large-project timeline at scale (figures only): start to first painted timeline, and
zoom/pan steps rendered at 1600x900 from the whole span down to one day, with the time to
get each view from the worker. Also the simple approach (one pyqtgraph item and one TextItem
per event, no level of detail) at the largest size it builds in about a minute.

    python bench/scale_ui.py PROJECT.db [--naive 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Whole processes are timed as an installed app runs them: with its modules' bytecode
# written (a shell that forbids writing it would have every start compile them all).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

CHILD = r"""
import sys
from PySide6.QtCore import QEvent, QObject
from explorer.ui.app import application
from explorer.ui.i18n import Translator
from explorer.ui.timeline_pane import TimelinePane
from explorer.ui.timeline_style import make_style
from explorer.model.timeline import epoch_seconds
from explorer.model.workspace import Workspace
app = application()
w = TimelinePane(Workspace.open(sys.argv[1]), Translator("ko"), make_style(False))
w.resize(1600, 900)
class Painted(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and w.result is not None:
            print("painted", flush=True)
            app.exit(0)
        return False
f = Painted()
w.view.plot.viewport().installEventFilter(f)
w.sigApplied.connect(lambda r: w.view.plot.viewport().update())
w.show()
w.view.set_range(epoch_seconds("1989-01-01"), epoch_seconds("2027-01-01"))
app.exec()
w.shutdown()
"""


#: The whole main window (large-project mode) as `explorer --db PROJECT` opens it
#: (`explorer.ui.app.run`): the command's modules first, then the window's; the project
#: opened with its check left for later (a file known in this user's folder is not checked);
#: the window at 1600x900 with no saved settings, painted once.
MAIN_CHILD = r"""
import sys
import explorer.cli
from explorer.model.session import Session
from explorer.ui.app import application
from PySide6.QtCore import QEvent, QObject
app = application()
class Painted(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            app.exit(0)
        return False
with Session.open(sys.argv[1], check="later") as session:
    from explorer.ui.main_window import MainWindow
    w = MainWindow(session, None, lang="ko")
    w.resize(1600, 900)
    f = Painted()
    w.timeline.plot.viewport().installEventFilter(f)
    w.show()
    app.exec()
    w.close()
"""


def startup(db: str, runs: int = 5, child: str = CHILD) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-c", child, db], stdout=subprocess.PIPE, text=True)
        assert p.stdout is not None
        line = p.stdout.readline()
        out.append((time.perf_counter() - t) * 1000)
        p.wait(timeout=60)
        p.stdout.close()
        if "painted" not in line:
            raise RuntimeError("no first paint")
    return out


def p99(v: list[float]) -> float:
    v = sorted(v)
    return v[max(0, int(len(v) * 0.99) - 1)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--naive", type=int, default=10_000)
    args = ap.parse_args()

    s = startup(args.db)
    print(
        f"start to first painted timeline: median {statistics.median(s):.0f} ms "
        f"(min {min(s):.0f}, max {max(s):.0f}); budget 1000 ms; load {os.getloadavg()}"
    )
    s = startup(args.db, child=MAIN_CHILD)
    print(
        f"start to first painted main window: median {statistics.median(s):.0f} ms "
        f"(min {min(s):.0f}, max {max(s):.0f}); budget 1000 ms; load {os.getloadavg()}"
    )

    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from explorer.model.timeline import DAY, epoch_seconds
    from explorer.model.workspace import Workspace
    from explorer.ui.app import application
    from explorer.ui.i18n import Translator
    from explorer.ui.opening import settle
    from explorer.ui.timeline_pane import TimelinePane
    from explorer.ui.timeline_style import make_style

    app = application()
    ws = Workspace.open(args.db)
    settle(ws)  # as the window does once a project is open
    w = TimelinePane(ws, Translator("ko"), make_style(False))
    w.resize(1600, 900)
    # shown (offscreen): a pane never shown is never laid out, and its plot stays 640x480,
    # drawn scaled up into a picture of 1600x900, with a third of the room for labels
    w.show()
    QApplication.processEvents()
    image = QImage(1600, 900, QImage.Format.Format_ARGB32_Premultiplied)

    def render() -> None:
        w.view.plot.viewport().repaint()  # as the screen is painted

    def wait_applied() -> None:
        """Until the newest view is shown and no other is waiting to be asked for."""
        while not w.settled():
            QApplication.processEvents()
            time.sleep(0.0005)

    center = epoch_seconds("2022-01-08") + DAY / 2
    width = epoch_seconds("2027-01-01") - epoch_seconds("1989-01-01")
    print(
        f"\n{'view width':>12} {'mode':>8} {'in view':>9} {'view ms':>8} "
        f"{'painted':>8} {'frame med':>10} {'frame p99':>10} {'frame max':>10} {'at rest':>8}"
    )
    all_frames: list[float] = []
    between: list[float] = []
    while width >= DAY:
        t = time.perf_counter()
        w.view.set_range(center - width / 2, center + width / 2)
        w.request()
        wait_applied()
        latency = (time.perf_counter() - t) * 1000
        # the new result painted, as the event loop paints it once it is applied, before
        # the next input: the end of the step (bench/peers.py --sweep times whole steps),
        # timed apart from the drag's frames
        t = time.perf_counter()
        render()
        applied = (time.perf_counter() - t) * 1000
        frames = []
        for k in range(12):  # pan a little each frame, as a drag would
            shift = (k - 6) * width / 200
            t = time.perf_counter()  # the range set (lanes laid out for a zoom) and painted
            w.view.view_box.setXRange(
                center - width / 2 + shift, center + width / 2 + shift, padding=0
            )
            render()
            frames.append((time.perf_counter() - t) * 1000)
            # the event loop runs between a drag's frames (results come in, a frame's image
            # is made: ui.frame_record): timed apart, as "between"
            t = time.perf_counter()
            QApplication.processEvents()
            between.append((time.perf_counter() - t) * 1000)
        all_frames += frames
        # a frame drawn from the plans of the view before is planned on its own once the
        # view rests (ui.timeline_item.REST_MS later): that paint, timed
        t = time.perf_counter()
        w.view.item._rested()
        render()
        rested = (time.perf_counter() - t) * 1000
        r = w.result
        mode = "density" if r is not None and r.density is not None else "events"
        days = width / DAY
        label = f"{days / 365:.1f} y" if days > 365 else f"{days:.1f} d"
        print(
            f"{label:>12} {mode:>8} {r.in_view if r else 0:>9,} {latency:8.1f} {applied:8.1f} "
            f"{statistics.median(frames):10.2f} {p99(frames):10.2f} {max(frames):10.2f} "
            f"{rested:8.1f}"
        )
        width /= 2.5
    print(
        f"all frames: median {statistics.median(all_frames):.2f} ms, p99 "
        f"{p99(all_frames):.2f} ms, max {max(all_frames):.2f} ms (budget: every frame 16.7)"
    )
    print(
        f"the event loop between frames: median {statistics.median(between):.2f} ms, p99 "
        f"{p99(between):.2f} ms, max {max(between):.2f} ms; images of frames made "
        f"{w.view.item._frame.imaged}, frames drawn from records {w.view.item._frame.played}"
    )
    w.shutdown()
    import resource

    print(
        f"peak resident memory of the timeline at this size: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (budget 600)"
    )

    # The simple approach: an item per event.
    import numpy as np
    import pyqtgraph as pg

    n = args.naive
    rng = np.random.default_rng(1)
    xs = epoch_seconds("1990-01-01") + rng.random(n) * 35 * 365 * DAY
    ys = rng.integers(0, 10, size=n)
    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
    plot.resize(1600, 900)
    t = time.perf_counter()
    for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
        plot.addItem(pg.ScatterPlotItem([x], [y], size=8))
        text = pg.TextItem(f"event {x:.0f}")
        text.setPos(x, y)
        plot.addItem(text)
    built = time.perf_counter() - t
    frames = []
    for k in range(8):
        plot.setXRange(xs.min() + k * DAY, xs.max() + k * DAY, padding=0)
        t = time.perf_counter()
        painter = QPainter(image)
        plot.render(painter)
        painter.end()
        frames.append((time.perf_counter() - t) * 1000)
    print(
        f"\nsimple approach at {n:,} events: built in {built:.1f} s, whole-span frame "
        f"median {statistics.median(frames):.0f} ms (ours on this project: "
        f"{statistics.median(all_frames):.2f} ms; ratio "
        f"{statistics.median(frames) / statistics.median(all_frames):.0f}x)"
    )
    print(
        f"peak resident memory after the simple approach too: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (budget 600)"
    )
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
