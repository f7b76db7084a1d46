"""What the window adds around the timeline, kept out of the composition root: side docks
that give way to the timeline at every window size, the overview strip under it, Go to
date (Ctrl+G), showing or hiding statements, and the legend of the marks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.model import window as tw
from explorer.ui.dock_sizes import DockFitter
from explorer.ui.legend import legend_dialog
from explorer.ui.overview_strip import OverviewStrip


class GoToDate(QDialog):
    """A date or a range typed as a reader writes it; the view moves there on OK."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("goToDate")
        self.ws, t = window.ws, window.t
        self.setWindowTitle(t("go_to_date"))
        self.edit = QLineEdit()
        self.edit.setObjectName("goToDateText")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: palette(link-visited)")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t("go_to_date_prompt")))
        layout.addWidget(self.edit)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._bad = t("go_to_date_bad")

    def go(self) -> None:
        text = self.edit.text()
        try:
            x0, x1 = tw.period_of(text)
        except ValueError:
            self.problem.setText(self._bad.format(text=text.strip()))
            return
        self.ws.set_window(*tw.around(x0, x1))
        self.accept()


class TimelineTools(QObject):
    def __init__(self, window: Any) -> None:
        """`window` is the main window (its workspace, words, docks, timeline pane)."""
        super().__init__(window)
        self.window = window
        self.docks = DockFitter(window, window.left_dock, window.right_dock)
        self.docks.fit(force=True)
        self.strip = OverviewStrip(window.ws)
        self.strip.plot_area = self._plot_area
        window.centralWidget().layout().addWidget(self.strip)
        window.pane.view.sigRangeChanged.connect(lambda *_: self.strip.update())
        table = window.action_table
        table.connect("go_to_date", self.go_to_date)
        table.connect("show_legend", self.show_legend)
        shown = table["show_statements"]
        shown.setChecked(window.pane.show_statements)
        shown.toggled.connect(window.pane.set_statements_shown)
        # the legend is one click away on the timeline itself (on the pane: never exported)
        self.legend_button = QToolButton(window.pane)
        self.legend_button.setObjectName("legendButton")
        self.legend_button.setText("?")
        self.legend_button.setAutoRaise(True)
        self.legend_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.legend_button.clicked.connect(self.show_legend)
        self.legend_button.raise_()
        window.pane.installEventFilter(self)  # kept in the corner under the lane names
        self._place_button()
        self.dialog: QDialog | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.window.pane and event.type() == QEvent.Type.Resize:
            self._place_button()
        return False

    def _place_button(self) -> None:
        """The legend's button in the pane's bottom left corner, left of the date axis, where
        no lane name or event is drawn."""
        pane, button = self.window.pane, self.legend_button
        button.adjustSize()
        button.move(4, max(0, pane.height() - button.height() - 4))

    def _plot_area(self) -> tuple[float, float]:
        """The timeline's plotting area in the strip's pixels (both span the central area)."""
        view = self.window.pane.view
        rect = view.view_box.sceneBoundingRect()
        left = view.plot.mapFromScene(QPointF(rect.left(), 0))
        right = view.plot.mapFromScene(QPointF(rect.right(), 0))
        origin = view.plot.mapTo(self.window.centralWidget(), left)
        return float(origin.x()), float(origin.x() + right.x() - left.x())

    def go_to_date(self) -> GoToDate:
        dialog = GoToDate(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def show_legend(self) -> QWidget:
        w = self.window
        self.legend_button.setToolTip(w.t("show_legend"))
        dialog = legend_dialog(w, w.t, w.timeline.item.style)
        self.dialog = dialog
        return dialog

    def shutdown(self) -> None:
        self.strip.shutdown()
