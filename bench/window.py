"""Window benchmarks (figures printed, never asserted):

1. process start -> first painted main window on the bundled data (a fresh interpreter each
   run, so imports and font registration count);
2. zoom and pan steps of the timeline rendered to a 1600x900 offscreen image, at every zoom
   level from the whole span to one day; and the same steps with the simple approach (one
   pyqtgraph item per event and a TextItem per label) for the ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Whole processes are timed as an installed app runs them: with its modules' bytecode
# written (a shell that forbids writing it would have every start compile them all).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def startup(runs: int = 7) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(  # paints the main window once, prints "painted", exits
            [sys.executable, "-m", "explorer", "self-test", "--startup"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        t1 = time.perf_counter()
        proc.wait(timeout=60)
        if "painted" not in line:
            raise RuntimeError("the window did not paint")
        times.append((t1 - t0) * 1000)
    return times


def _steps(view, x0: float, x1: float) -> list[tuple[float, float]]:
    """Zoom from the whole span down to one day around the busiest day, then pan."""
    from explorer.model.timeline import DAY, epoch_seconds

    center = epoch_seconds("2019-07-03") + DAY / 2
    ranges = []
    width = x1 - x0
    while width > DAY:
        ranges.append((center - width / 2, center + width / 2))
        width /= 1.25
    for k in range(30):
        d = (k - 15) * DAY / 10
        ranges.append((center - DAY / 2 + d, center + DAY / 2 + d))
    return ranges


def frame_times(render, view, ranges) -> list[float]:
    times = []
    for a, b in ranges:
        t = time.perf_counter()
        view.setXRange(a, b, padding=0)
        render()
        times.append((time.perf_counter() - t) * 1000)
    return times


def p99(values: list[float]) -> float:
    v = sorted(values)
    return v[max(0, int(len(v) * 0.99) - 1)]


def main() -> int:
    import pyqtgraph as pg
    from PySide6.QtGui import QImage, QPainter

    from explorer import paths
    from explorer.model.session import Session
    from explorer.ui.app import application
    from explorer.ui.main_window import MainWindow

    print("startup (process start -> first painted window, bundled data, 7 runs):")
    s = startup()
    print(
        f"  median {statistics.median(s):.0f} ms, min {min(s):.0f} ms, max {max(s):.0f} ms"
        "  (target < 1500 ms)"
    )

    app = application()
    session = Session.open(paths.bundled_db())
    w = MainWindow(session, None, lang="ko")
    plot = w.timeline.plot
    plot.resize(1600, 900)
    image = QImage(1600, 900, QImage.Format.Format_ARGB32_Premultiplied)

    def render(widget=plot) -> None:
        painter = QPainter(image)
        widget.render(painter)
        painter.end()

    w.timeline.fit_all()
    x0, x1 = w.timeline.x_range()
    ranges = _steps(w.timeline.view_box, x0, x1)
    render()
    ours = frame_times(render, w.timeline.view_box, ranges)

    # The simple approach: one scatter point item and one TextItem per event.
    naive = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
    naive.resize(1600, 900)
    rows = w.rows
    for r in range(len(rows)):
        x = float((rows.x0[r] + rows.x1[r]) / 2)
        y = float(rows.lane[r])
        naive.addItem(pg.ScatterPlotItem([x], [y], size=10))
        text = pg.TextItem(w.pane._label(r), anchor=(0, 0.5))
        text.setPos(x, y)
        naive.addItem(text)
    naive.setXRange(x0, x1)
    render(naive)
    simple = frame_times(lambda: render(naive), naive.getViewBox(), ranges)

    n = len(ranges)
    print(f"\nzoom/pan steps rendered to 1600x900 ({n} steps, whole span -> one day -> pans):")
    print(f"  events item: median {statistics.median(ours):.2f} ms, p99 {p99(ours):.2f} ms")
    print(
        f"  one item per event: median {statistics.median(simple):.2f} ms, p99 {p99(simple):.2f} ms"
    )
    print(
        "  ratio (simple / ours, medians): "
        f"{statistics.median(simple) / statistics.median(ours):.2f}x"
        f"  ({len(rows)} rows; one item per event falls apart at scale)"
    )
    session.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
