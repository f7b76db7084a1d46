"""The side panes give way to the timeline: at every window size from a laptop's 1024×700
up, the timeline keeps most of the width, and the entity list and the details narrow
first (the user may widen them again; they are only narrowed back when the timeline would
get less than its share)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow

#: The timeline's least share of the window's width.
TIMELINE_SHARE = 0.55
LEFT = (0.19, 300)  # share of the window, widest in pixels
RIGHT = (0.22, 420)


def dock_widths(window_width: int, left_min: int, right_min: int) -> tuple[int, int]:
    """Widths for the left and right panes in a window this wide."""
    left = max(left_min, min(LEFT[1], round(window_width * LEFT[0])))
    right = max(right_min, min(RIGHT[1], round(window_width * RIGHT[0])))
    return left, right


class DockFitter(QObject):
    """Watches the window's size and narrows the side docks when the timeline would get
    less than TIMELINE_SHARE of it."""

    def __init__(self, window: QMainWindow, left: QDockWidget, right: QDockWidget) -> None:
        super().__init__(window)
        self.window, self.left, self.right = window, left, right
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.fit)
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.window and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._timer.start()
        return False

    def fit(self, force: bool = False) -> None:
        w = self.window
        central = w.centralWidget()
        if central is None or w.width() <= 0:
            return
        docks = [d for d in (self.left, self.right) if d.isVisible() and not d.isFloating()]
        if not docks:
            return
        left, right = dock_widths(
            w.width(),
            self.left.minimumSizeHint().width(),
            self.right.minimumSizeHint().width(),
        )
        cramped = central.width() < TIMELINE_SHARE * w.width()
        # the window grew: the panes grow back to their share
        grown = self.left.width() < left and self.right.width() < right
        if not (force or cramped or grown):
            return
        sizes = {self.left: left, self.right: right}
        w.resizeDocks(docks, [sizes[d] for d in docks], Qt.Orientation.Horizontal)
