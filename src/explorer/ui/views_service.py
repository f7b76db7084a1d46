"""Where the linked views' requests are computed: at once for a small project (on the GUI
thread, as the timeline does), on one worker thread with its own read-only connection for a
large one. While the worker is busy only the newest request of each view waits; each view
drops results of a generation it has left."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from explorer.model.views_engine import ViewsEngine, ViewsRequest
from explorer.model.workspace import Workspace


class _Worker(QObject):
    sigResult = Signal(str, object)  # view, its result or an Exception

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path
        self._engine: ViewsEngine | None = None

    @Slot(object)
    def compute(self, request: ViewsRequest) -> None:
        try:
            if self._engine is None:
                self._engine = ViewsEngine.open(self._path)
            self.sigResult.emit(request.view, self._engine.compute(request))
        except Exception as exc:  # reported to the GUI thread, never raised across threads
            self.sigResult.emit(request.view, exc)

    @Slot()
    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


class ViewsService(QObject):
    sigRequest = Signal(object)
    sigClose = Signal()

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handlers: dict[str, Callable[[Any], None]] = {}
        self.errors: list[str] = []
        self._pending: dict[str, ViewsRequest] = {}
        self._busy = False
        self._inline = ViewsEngine(ws.session.store) if ws.inline_views else None
        self._thread: QThread | None = None
        if self._inline is None:
            self._thread = QThread(self)
            self._worker = _Worker(str(ws.path))
            self._worker.moveToThread(self._thread)
            self.sigRequest.connect(self._worker.compute)
            self.sigClose.connect(self._worker.close)
            self._worker.sigResult.connect(self._on_result)
            self._thread.start()

    @property
    def busy(self) -> bool:
        return self._busy or bool(self._pending)

    def ask(self, request: ViewsRequest) -> None:
        if self._inline is not None:
            try:
                result: object = self._inline.compute(request)
            except Exception as exc:  # shown like a worker's error, never fatal
                result = exc
            self._deliver(request.view, result)
        elif self._busy:
            self._pending[request.view] = request
        else:
            self._busy = True
            self.sigRequest.emit(request)

    def _on_result(self, view: str, result: object) -> None:
        self._busy = False
        if self._pending:
            _, nxt = self._pending.popitem()
            self._busy = True
            self.sigRequest.emit(nxt)
        self._deliver(view, result)

    def _deliver(self, view: str, result: object) -> None:
        if isinstance(result, Exception):
            self.errors.append(f"{view}: {result}")
            return
        receiver = self.handlers.get(view)
        if receiver is not None:
            receiver(result)

    def shutdown(self) -> None:
        self.handlers.clear()
        self._pending.clear()
        if self._thread is not None:
            self.sigClose.emit()
            self._thread.quit()
            self._thread.wait(10000)
            self._thread = None
