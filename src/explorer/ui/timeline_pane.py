"""The timeline, for every project from 25 events to millions: one engine.

Each view of the time window is computed by model.viewport (exact density from the overview
pyramid when many events are in view, the events themselves through the R*Tree when few
are), for a small project at once and for a large one on a worker thread, where requests are
coalesced while one runs and results for views the user has already left are dropped. The
pane mirrors the workspace: it draws the workspace's window, grouping, filters, selection,
highlight and notes, and writes the user's panning, zooming and clicks back to it.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from explorer.model import labels
from explorer.model import window as tw
from explorer.model.changes import Changes
from explorer.model.viewport import REACH, Viewport, ViewRequest, ViewResult, served
from explorer.model.workspace import Workspace
from explorer.store import overview
from explorer.store.records import Event, Statement
from explorer.ui.i18n import Translator
from explorer.ui.statements_item import StatementsItem
from explorer.ui.timeline_style import Style
from explorer.ui.timeline_view import TimelineView, tooltip_html


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
                self._viewport = Viewport.open(self._path, check="skip")  # the window's
            self.sigResult.emit(self._viewport.compute(request))
        except Exception as exc:  # reported to the GUI thread, never raised across threads
            self.sigResult.emit(exc)

    @Slot()
    def close(self) -> None:
        if self._viewport is not None:
            self._viewport.close()
            self._viewport = None


class TimelinePane(QWidget):
    sigRequest = Signal(object)
    sigApplied = Signal(object)  # the ViewResult now shown
    sigCloseWorker = Signal()
    sigPick = Signal(object)  # events a click could not separate by zooming: list of Event

    def __init__(
        self, ws: Workspace, t: Translator, style: Style, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.t = t
        self.result: ViewResult | None = None
        self.errors: list[str] = []
        self.view = TimelineView(self._label, self._category, self._tooltip, style)
        self.view.item.many_label = lambda n: t("n_events", n=f"{n:,}")
        self.view.sigRowsClicked.connect(self._rows_clicked)
        self.view.extent_of = ws.extent
        self.view.set_widest(ws.extent())
        #: who said what, in a lane of its own under the events (View > Show statements)
        self.show_statements = True
        self.statements_item = StatementsItem(QColor("#5c6bc0"))
        self.statements_item.sigClicked.connect(self._statement_clicked)
        self.view.plot.addItem(self.statements_item, ignoreBounds=True)
        self.statements_item.span_of = self.view.item.lane_span
        self.view.item.sigLanes.connect(self.statements_item.update)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._generation = 0
        self._busy = False
        self._pending: ViewRequest | None = None
        self._inline = Viewport(ws.session.store) if ws.inline_views else None
        self._thread: QThread | None = None
        if self._inline is None:
            self._thread = QThread(self)
            self._worker = _Worker(str(ws.read_path))
            self._worker.moveToThread(self._thread)
            self.sigRequest.connect(self._worker.compute)
            self.sigCloseWorker.connect(self._worker.close)
            self._worker.sigResult.connect(self._on_result)
            self._thread.start()
        # range changes of one pass of the event loop ask once; no wait beyond (a 15 ms wait
        # was most of a zoom step at 1,000 events): a running request's successor is only
        # the newest (`request`)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.request)
        self._syncing = False
        self._drawn: tuple[ViewResult, str] | None = None  # the rows drawn, their language
        #: the newest request's generation and what it asked for but where; what the result
        #: shown was asked for (see `request`)
        self._asked: tuple[int, object] = (0, None)
        self._result_what: object = None
        self.view.sigRangeChanged.connect(self._range_changed)
        self.view.date_axis.lang = ws.lang
        ws.listeners.append(self._changed)

    # --- following the workspace -------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        if changes.window and changes.origin is not self and self.ws.window is not None:
            self._syncing = True
            try:
                self.view.set_range(*self.ws.window)
            finally:
                self._syncing = False
        if changes.catalog:
            self.view.set_widest(self.ws.extent())
        if changes.language:
            self.view.date_axis.lang = self.ws.lang
            self.view.date_axis.picture = None  # drawn again in the new language
            self.view.date_axis.update()
        if changes.filters or changes.grouping or changes.catalog or changes.language:
            self.view.reset_lane_width()
            self._result_what = None  # read again: the result shown is of other data
            self.request()
        elif changes.selection or changes.notes:
            self.apply_marks()

    def _range_changed(self, x0: float, x1: float) -> None:
        if not self._syncing:
            self.ws.set_window(x0, x1, origin=self)
        if self._inline is None:  # asked at once: the worker reads while the frame that
            self.request()  # the result held draws is painted
        else:
            self._timer.start()

    # --- requests and results ------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._generation

    def settled(self) -> bool:
        """Whether what is drawn is the view the user is looking at."""
        return (
            self.result is not None
            and self.result.generation == self._generation
            and not self._timer.isActive()
        )

    def request(self) -> None:
        """Ask for the current view, with what lies either side of it (REACH); drawn at
        once from the result shown when that holds it (`served`). While one request is
        running only the newest waits."""
        self._timer.stop()
        self._generation += 1
        x0, x1 = self.view.x_range()
        width = max(100, self.view.plot.width())
        ws = self.ws
        filters = ws.filters if ws.filters.active else None
        past = (x1 - x0) * REACH
        req = ViewRequest(
            self._generation, x0, x1, ws.grouping, width, filters, ws.own, self.show_statements,
            (x0 - past, x1 + past),
        )  # fmt: skip
        # what the view is of, but where: a result of the same is the view before, moved
        what = (ws.grouping, filters, ws.own, self.show_statements, self.t.lang)
        self._asked = (req.generation, what)
        held = self.result if what == self._result_what else None
        found = served(held, req) if held is not None else None
        if found is not None:  # nothing to read; a request still running is dropped
            self._pending = None  # when it comes (its generation is past)
            self.result = found
            self.sigApplied.emit(found)
            return
        if self._inline is not None:
            self._on_result(self._compute_inline(req))
        elif self._busy:
            self._pending = req
        else:
            self._send(req)

    def _compute_inline(self, req: ViewRequest) -> object:
        assert self._inline is not None
        try:
            return self._inline.compute(req)
        except Exception as exc:  # shown like a worker's error, never fatal
            return exc

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
        what = self._asked[1] if self._asked[0] == result.generation else None
        # rows asked for as the rows drawn were (filters, grouping...): those rows, moved
        moved = what is not None and self._drawn is not None and what == self._result_what
        self._result_what = what
        names = [
            self._lane_label(k, name) for k, name in zip(result.lanes, result.labels, strict=True)
        ]
        self._show_statements(result, names)
        if result.density is not None:
            self._drawn = None
            self.view.item.set_density(result.density)
            self.view.set_lanes(names)
        elif result.rows is not None:
            rows, events = result.rows, result.events or []
            # a label is the event's in this language, as the catalog is now (an edited
            # title is another label)
            at = (self.t.lang, self.ws.catalog_changes)
            keys: list[Hashable] = [
                (events[e].id, result.lanes[k], at)
                for e, k in zip(rows.event.tolist(), rows.lane.tolist(), strict=True)
            ]
            self.view.set_rows(rows, names, self._same_rows(result), keys, moved)
            self._drawn = (result, self.t.lang)
        self.apply_marks()
        self.sigApplied.emit(result)

    def _same_rows(self, result: ViewResult) -> bool:
        """Whether `result` draws the same events, as they were, in the same lanes and
        language as the rows drawn before it (their labels and plans still hold). Events
        the worker held are the same objects, so comparing them costs little."""
        if self._drawn is None:
            return False
        before, lang = self._drawn
        assert result.rows is not None and before.rows is not None
        return (
            lang == self.t.lang
            and before.labels == result.labels
            and before.events == result.events
            and before.rows.same_as(result.rows)
        )

    def _show_statements(self, result: ViewResult, names: list[str]) -> None:
        """Statements in a lane after the events' (named, when there are any)."""
        item = self.statements_item
        shown = self.show_statements and bool(result.statements)
        item.setVisible(shown)
        if not shown:
            item.set_statements([], len(names))
            return
        t, cat = self.t, self.ws.catalog
        item.words = {"said": t("said"), "about": t("about_when"), "unnamed": t("speaker_unnamed")}
        item.names = {
            s.speaker_id: cat.entities[s.speaker_id].display_name(t.lang)
            for s in result.statements
            if s.speaker_id and s.speaker_id in cat.entities
        }
        item.set_statements(result.statements, len(names))
        names.append(t("statements_lane"))

    def set_statements_shown(self, shown: bool) -> None:
        if shown != self.show_statements:
            self.show_statements = shown
            self.request()

    def _statement_clicked(self, st: Statement) -> None:
        if st.said_event_id:
            self.ws.select_event(st.said_event_id, center=True)
        elif st.speaker_id:
            self.ws.select_entity(st.speaker_id)

    def shutdown(self) -> None:
        self._timer.stop()
        if self._changed in self.ws.listeners:
            self.ws.listeners.remove(self._changed)
        if self._thread is not None:
            self.sigCloseWorker.emit()
            self._thread.quit()
            self._thread.wait(5000)

    # --- what the rows show --------------------------------------------------------------

    def shown_ids(self) -> list[str]:
        """The event id of each drawn row (empty in density view)."""
        result = self.result
        if result is None or result.rows is None or result.events is None:
            return []
        events = result.events
        return [events[e].id for e in result.rows.event.tolist()]

    def apply_marks(self) -> None:
        """Dim what is not highlighted, mark events with notes, ring the selected one."""
        ids = self.shown_ids()
        item = self.view.item
        if self.result is not None and self.result.density is not None:
            detail = self.ws.event_detail  # density: the selection marked by its time
            span = (detail.event.t0, detail.event.t1) if detail is not None else None
            item.set_selected(set(), span)
            return
        if not ids:
            return
        keep = self.ws.highlighted(sorted(set(ids)))
        item.set_dimmed(None if keep is None else np.array([i not in keep for i in ids]))
        noted = self.ws.noted_events()
        item.set_noted(np.array([i in noted for i in ids], dtype=bool))
        sel = self.ws.selected_event
        item.set_selected({r for r, i in enumerate(ids) if i == sel} if sel else set())

    def _rows_clicked(self, rows: tuple[int, ...]) -> None:
        result = self.result
        if result is None or result.rows is None or result.events is None:
            return
        ids = self.shown_ids()
        if len(rows) == 1:
            self.ws.select_event(ids[rows[0]])
            return
        x0 = float(min(result.rows.x0[list(rows)]))
        x1 = float(max(result.rows.x1[list(rows)]))
        v0, v1 = self.view.x_range()
        if x1 - x0 <= tw.MIN_SPAN or (v1 - v0) <= tw.MIN_SPAN * 1.01:
            # zooming cannot separate them (same instant, or already as close as it goes)
            events = [result.events[int(result.rows.event[r])] for r in rows]
            self.sigPick.emit(sorted({e.id: e for e in events}.values(), key=lambda e: e.t0))
            return
        self.ws.set_window(*tw.around(x0, x1))

    # --- labels ----------------------------------------------------------------------------

    def _lane_label(self, key: str, name: str) -> str:
        if key == overview.NO_LANE:
            return self.t("lane_none")
        if key == overview.OTHER:
            return self.t("lane_other")
        grouping = self.ws.grouping
        if grouping == "category":
            return self.t.category(key)
        if grouping == "entity_kind":
            return self.t.kind(key)
        if grouping == "place":
            info = self.ws.catalog.entities.get(key)
            if info is not None:
                return info.display_name(self.t.lang)
        return name

    def event_of(self, row: int) -> Event:
        result = self.result
        assert result is not None and result.rows is not None and result.events is not None
        return result.events[int(result.rows.event[row])]

    def _label(self, row: int) -> str:
        return labels.label(self.event_of(row), self.t.lang)

    def _category(self, row: int) -> str:
        return str(self.event_of(row).category)

    def _tooltip(self, rows: tuple[int, ...]) -> str:
        events = [self.event_of(r) for r in rows]
        if len(events) == 1:
            return tooltip_html(labels.tooltip(events[0], self.t.lang, self.t.category))
        heading = self.t("events_in_group", n=len(events))
        more = self.t("and_more")
        return tooltip_html(labels.group_tooltip(events, self.t.lang, heading, more))
