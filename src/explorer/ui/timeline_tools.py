"""What the window adds around the timeline, kept out of the composition root: side docks
that give way to the timeline at every window size."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from explorer.ui.dock_sizes import DockFitter


class TimelineTools(QObject):
    def __init__(self, window: Any) -> None:
        """`window` is the main window (its workspace, words, docks, timeline pane)."""
        super().__init__(window)
        self.window = window
        self.docks = DockFitter(window, window.left_dock, window.right_dock)
        self.docks.fit(force=True)
