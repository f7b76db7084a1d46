"""One piece of slow work (reading or importing a file) on a thread of its own, with
progress and cancel, so that the window keeps painting and answering."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

#: The work gets a `step(done, total) -> bool` to report progress; False means stop.
Work = Callable[[Callable[[int, int], bool]], object]


class _Runner(QObject):
    sigProgress = Signal(int, int)
    sigDone = Signal(object)  # the work's result, or the Exception it raised

    def __init__(self, work: Work, cancelled: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._cancelled = cancelled

    def _step(self, done: int, total: int) -> bool:
        self.sigProgress.emit(done, total)
        return not self._cancelled.is_set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._step)
        except Exception as exc:  # handed to the GUI thread, which shows it
            result = exc
        self.sigDone.emit(result)


class Task(QObject):
    """Runs `work` on a new thread; `sigDone` arrives on the creating (GUI) thread."""

    sigProgress = Signal(int, int)
    sigDone = Signal(object)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancelled = threading.Event()
        self._thread = QThread()
        self._runner = _Runner(work, self.cancelled)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        self._runner.sigProgress.connect(self.sigProgress)
        self._runner.sigDone.connect(self._finish)
        self.running = False

    def start(self) -> None:
        self.running = True
        self._thread.start()

    def cancel(self) -> None:
        self.cancelled.set()

    def wait(self) -> None:
        """Stop as soon as the work allows, and wait for the thread (when closing)."""
        self.cancel()
        self._thread.quit()
        self._thread.wait()
        self.running = False

    def _finish(self, result: object) -> None:
        self.running = False
        self._thread.quit()
        self._thread.wait()
        self.sigDone.emit(result)
