"""The timeline for large projects: views are computed off the GUI thread from the overview
pyramid and the R*Tree (model.viewport), coalesced while one is running, and results for
views the user has already left are dropped. The window never waits on the disk."""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QVBoxLayout, QWidget

from explorer.model.filters import Filters
from explorer.model.own_view import OwnMark
from explorer.model.viewport import Viewport, ViewRequest, ViewResult
from explorer.store import overview
from explorer.store.records import Event
from explorer.ui.i18n import Translator
from explorer.ui.timeline_item import Style
from explorer.ui.timeline_view import TimelineView


class _Worker(QObject):
    sigResult = Signal(object)  # ViewResult, or an Exception

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path
        self._viewport: Viewport | None = None

    @Slot(object)
    def compute(self, request: ViewRequest) -> None:
        try:
            if self._viewport is None:
                self._viewport = Viewport.open(self._path)
            self.sigResult.emit(self._viewport.compute(request))
        except Exception as exc:  # reported to the GUI thread, never raised across threads
            self.sigResult.emit(exc)

    @Slot()
    def close(self) -> None:
        if self._viewport is not None:
            self._viewport.close()
            self._viewport = None


class ScaleTimeline(QWidget):
    sigRequest = Signal(object)
    sigApplied = Signal(object)  # the ViewResult now shown
    sigCloseWorker = Signal()

    def __init__(
        self, path: str, t: Translator, style: Style, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.t = t
        self.grouping = "category"
        self.filters: Filters | None = None
        self.own: tuple[OwnMark, ...] = ()  # the annotator's own events, drawn with the rest
        self.result: ViewResult | None = None
        self.errors: list[str] = []
        self.view = TimelineView(self._label, self._category, self._tooltip, style)
        self.view.item.many_label = lambda n: t("n_events", n=f"{n:,}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._generation = 0
        self._busy = False
        self._pending: ViewRequest | None = None
        self._thread = QThread(self)
        self._worker = _Worker(path)
        self._worker.moveToThread(self._thread)
        self.sigRequest.connect(self._worker.compute)
        self.sigCloseWorker.connect(self._worker.close)
        self._worker.sigResult.connect(self._on_result)
        self._thread.start()
        self._timer = QTimer(self, singleShot=True, interval=15)
        self._timer.timeout.connect(self.request)
        self.view.sigRangeChanged.connect(lambda *_: self._timer.start())

    # --- requests and results ------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._generation

    def request(self) -> None:
        """Ask for the current view; while one is running only the newest request waits."""
        self._generation += 1
        x0, x1 = self.view.x_range()
        width = max(100, self.view.plot.width())
        req = ViewRequest(self._generation, x0, x1, self.grouping, width, self.filters, self.own)
        if self._busy:
            self._pending = req
        else:
            self._send(req)

    def _send(self, req: ViewRequest) -> None:
        self._busy = True
        self.sigRequest.emit(req)

    def _on_result(self, result: object) -> None:
        self._busy = False
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._send(pending)
        if isinstance(result, Exception):
            self.errors.append(str(result))
            return
        assert isinstance(result, ViewResult)
        if result.generation != self._generation:
            return  # the user has moved on: a newer view is on its way
        self.result = result
        labels = [
            self._lane_label(k, name) for k, name in zip(result.lanes, result.labels, strict=True)
        ]
        if result.density is not None:
            self.view.item.set_density(result.density)
            self.view.lane_axis.setTicks([[(float(i), n[:22]) for i, n in enumerate(labels)], []])
            n = max(1, len(labels))
            self.view.view_box.setLimits(yMin=-0.5, yMax=n - 0.5)
            self.view.view_box.setYRange(-0.5, n - 0.5, padding=0)
        elif result.rows is not None:
            self.view.set_rows(result.rows, labels)
        self.sigApplied.emit(result)

    def set_grouping(self, grouping: str) -> None:
        self.grouping = grouping
        self.request()

    def shutdown(self) -> None:
        self.sigCloseWorker.emit()
        self._thread.quit()
        self._thread.wait(5000)

    # --- labels ----------------------------------------------------------------------------

    def _lane_label(self, key: str, name: str) -> str:
        if key == overview.NO_LANE:
            return self.t("lane_none")
        if key == overview.OTHER:
            return self.t("lane_other")
        if self.grouping == "category":
            return self.t.category(key)
        if self.grouping == "entity_kind":
            return self.t.kind(key)
        return name

    def _event_of(self, row: int) -> Event:
        result = self.result
        assert result is not None and result.rows is not None and result.events is not None
        return result.events[int(result.rows.event[row])]

    def _label(self, row: int) -> str:
        ev = self._event_of(row)
        mine = "✎ " if ev.origin == "own" else ""
        return mine + str(ev.title_en if self.t.lang == "en" and ev.title_en else ev.title)

    def _category(self, row: int) -> str:
        return str(self._event_of(row).category)

    def _tooltip(self, rows: tuple[int, ...]) -> str:
        lines = [f"{self._event_of(r).start}  {self._label(r)}" for r in rows[:12]]
        return "<qt>" + "<br>".join(html.escape(line) for line in lines) + "</qt>"
