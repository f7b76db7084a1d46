"""The timeline for keyboards and assistive technology: Tab and Shift+Tab move to the next
and previous event in view (by date), Up and Down to the nearest event in the lane above or
below; the event reached is selected, so every view follows it and the timeline rings it
(the visible focus). Left and Right keep panning. The timeline's accessible description says
what it shows: "2019-07-01 – 2019-07-05: 5 events in 3 lanes; selected: …"."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QKeyEvent

from explorer.model import labels, linked
from explorer.model.changes import Changes
from explorer.model.viewport import days_of
from explorer.store.errors import StoreError
from explorer.ui.i18n import Translator
from explorer.ui.timeline_pane import TimelinePane


class TimelineAccess(QObject):
    def __init__(self, pane: TimelinePane, t: Translator) -> None:
        super().__init__(pane)
        self.pane, self.t = pane, t
        self.plot = pane.view.plot
        self.plot.installEventFilter(self)
        pane.sigApplied.connect(lambda _r: self.say())
        pane.ws.listeners.append(self._changed)

    def _changed(self, changes: Changes) -> None:
        if changes.selection or changes.language:
            self.say()

    def summary(self) -> str:
        pane, ws = self.pane, self.pane.ws
        result = pane.result
        if result is None:
            return ""
        x0, x1 = pane.view.x_range()
        if result.rows is not None:  # the result holds events either side of the view
            rows = result.rows
            lanes = len(set(rows.lane[(rows.x1 > x0) & (rows.x0 < x1)].tolist()))
        elif result.density is not None:
            at = result.density.bins(*days_of(x0, x1))
            lanes = sum(1 for c in result.density.counts if any(c[at]))
        else:
            lanes = 0
        text = self.t(
            "sum_timeline",
            period=linked.period_text(x0, x1),
            events=f"{result.events_in_view:,}",
            lanes=lanes,
        )
        if ws.event_detail is not None:
            text += self.t("sum_selected", what=labels.label(ws.event_detail.event, self.t.lang))
        elif ws.entity_detail is not None:
            info = ws.catalog.entities.get(ws.entity_detail.entity.id)
            name = info.display_name(self.t.lang) if info else ws.entity_detail.entity.name
            text += self.t("sum_selected", what=name)
        return text

    def say(self) -> None:
        self.plot.setAccessibleName(self.t("timeline"))
        text = self.summary()
        if text and text != self.plot.accessibleDescription():
            self.plot.setAccessibleDescription(text)
            self.pane.setAccessibleDescription(text)
            QAccessible.updateAccessibility(
                QAccessibleEvent(self.plot, QAccessible.Event.DescriptionChanged)
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.plot and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self.key(event.key(), event.modifiers())
        return False

    def key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        k = Qt.Key
        if key not in (k.Key_Tab, k.Key_Backtab, k.Key_Up, k.Key_Down):
            return False
        result = self.pane.result
        if result is None or result.rows is None or not result.rows.event.size:
            return False  # density: nothing to step through (Tab leaves the timeline)
        rows = result.rows
        x0, x1 = self.pane.view.x_range()
        visible = np.flatnonzero((rows.x1 > x0) & (rows.x0 < x1))
        if not visible.size:
            return False
        ids = self.pane.shown_ids()
        current = self.pane.ws.selected_event
        here = [r for r in visible.tolist() if ids[r] == current]
        back = key == k.Key_Backtab or bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        if key in (k.Key_Tab, k.Key_Backtab):
            if not here:
                target = int(visible[-1 if back else 0])
            else:
                order = visible.tolist()  # rows are sorted by start
                i = order.index(here[0]) + (-1 if back else 1)
                target = order[i % len(order)]
        else:
            if not here:
                target = int(visible[0])
            else:
                r = here[0]
                step = -1 if key == k.Key_Up else 1
                lanes = rows.lane[visible]
                wanted = int(rows.lane[r]) + step
                candidates = visible[lanes == wanted]
                while not candidates.size and 0 <= wanted <= int(rows.lane.max()):
                    wanted += step
                    candidates = visible[lanes == wanted]
                if not candidates.size:
                    return True
                mid = (rows.x0[r] + rows.x1[r]) / 2
                centres = (rows.x0[candidates] + rows.x1[candidates]) / 2
                target = int(candidates[np.argmin(np.abs(centres - mid))])
        try:
            self.pane.ws.select_event(ids[target])
        except StoreError:
            return True
        return True

    def shutdown(self) -> None:
        if self._changed in self.pane.ws.listeners:
            self.pane.ws.listeners.remove(self._changed)
