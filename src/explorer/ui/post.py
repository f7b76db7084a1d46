"""Calls handed to the window's thread from a worker: the `post` the workspace's background
reads are given (explorer.model.reads). A signal emitted on the worker is delivered, queued,
on the thread the poster lives in."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal


class Poster(QObject):
    _sigCall = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sigCall.connect(self._call, Qt.ConnectionType.QueuedConnection)

    def post(self, call: Callable[[], None]) -> None:
        """Run `call` on this object's thread, soon (safe from any thread)."""
        self._sigCall.emit(call)

    def _call(self, call: Callable[[], None]) -> None:
        call()
