"""Guards against the PySide6 6.12.0 bug of PITFALLS item 1: every void QPainter call dropped
a reference to None and Python aborted after a few thousand. Painting many frames must leave
None's reference count where it was."""

import sys

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF
from PySide6.QtGui import QImage, QPainter


def test_void_painter_calls_do_not_leak_none(qapp):
    image = QImage(200, 200, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for i in range(5000):
        painter.drawLine(QLineF(0, i % 200, 200, 200 - i % 200))
    after = sys.getrefcount(None)
    painter.end()
    assert abs(after - before) < 50, f"None refcount moved by {after - before}"


def test_pyqtgraph_paints_many_frames(qtbot):
    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
    qtbot.addWidget(plot)
    plot.resize(800, 400)
    x = np.linspace(1.5e9, 1.75e9, 2000)
    plot.plot(x, np.sin(np.arange(2000) / 50))
    before = sys.getrefcount(None)
    for i in range(300):
        plot.setXRange(1.5e9 + i * 1e5, 1.75e9 - i * 1e5, padding=0)
        plot.grab()
    # Caches may hold new references to None; the bug shows as thousands of lost ones.
    assert sys.getrefcount(None) - before > -100
