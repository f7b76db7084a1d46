"""The events table: the window's events that pass the filters, sortable by date, title,
category and source (sorted by the views' engine, so a million rows sort off the GUI
thread), read a page at a time as they are scrolled into view. Selecting a row selects the
event everywhere, and the row of the event selected elsewhere is selected here. Ctrl+C
copies the selected rows; "Export rows…" writes them all as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QTableView,
)

from explorer.model import event_rows
from explorer.model.event_rows import COLUMNS, Row
from explorer.model.views_engine import TableResult
from explorer.store.errors import StoreError
from explorer.ui.linked_view import LinkedView

PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class EventsModel(QAbstractTableModel):
    def __init__(self, view: EventsTable) -> None:
        super().__init__(view)
        self.view = view
        self.result: TableResult | None = None
        self._pages: dict[int, list[Row]] = {}

    def reset(self, result: TableResult | None) -> None:
        self.beginResetModel()
        self.result = result
        self._pages = {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.result is None else len(self.result)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def row(self, n: int) -> Row:
        assert self.result is not None
        first = n // PAGE * PAGE
        if first not in self._pages:
            if len(self._pages) > 50:  # keep a few pages, not the whole table
                self._pages.clear()
            self._pages[first] = event_rows.page(self.view.ws, self.result, first, PAGE)
        return self._pages[first][n - first]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.result is None:
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row(index.row())
        column = COLUMNS[index.column()]
        if column == "category":
            return self.view.t.category(row.category)
        return getattr(row, column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.view.t(f"col_{COLUMNS[section]}")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.view.sort_by(COLUMNS[column], order == Qt.SortOrder.DescendingOrder)


class EventsTable(LinkedView):
    name = "table"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sort_key, self.descending = "date", False
        self.model = EventsModel(self)
        self.table = QTableView()
        self.table.setObjectName("eventsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 110)
        header.resizeSection(2, 110)
        header.resizeSection(3, 200)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.clicked.connect(self._clicked)
        self.table.activated.connect(self._clicked)
        self.layout_.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_rows)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(lambda: self.export_rows())
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.export_button)
        self.layout_.addLayout(buttons)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.table)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_rows)
        self._following = False
        self.retranslate()

    def extra(self) -> dict[str, Any]:
        return {"sort": self.sort_key, "descending": self.descending}

    def sort_by(self, key: str, descending: bool) -> None:
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.schedule()

    def draw(self) -> None:
        self.model.reset(self.result)

    def show_selection(self) -> None:
        """Select the row of the event selected elsewhere (and scroll to it)."""
        result: TableResult | None = self.result
        chosen = self.ws.selected_event
        if result is None or chosen is None:
            return
        current = self.table.currentIndex()
        if current.isValid() and self.model.row(current.row()).id == chosen:
            return
        row = event_rows.row_of(self.ws, result, chosen)
        self._following = True
        try:
            if row is None:
                self.table.clearSelection()
                return
            index = self.model.index(row, 0)
            self.table.setCurrentIndex(index)
            self.table.selectRow(row)
            self.table.scrollTo(index)
        finally:
            self._following = False

    def _clicked(self, index: QModelIndex) -> None:
        if self._following or not index.isValid():
            return
        ident = self.model.row(index.row()).id
        if ident and ident != self.ws.selected_event:
            try:
                self.ws.select_event(ident, center=False, origin=self)
            except StoreError:
                return

    def selected_rows(self) -> list[Row]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row(r) for r in rows]

    def header(self) -> list[str]:
        return [self.t(f"col_{c}") for c in COLUMNS]

    def copy_rows(self) -> str:
        text = event_rows.as_text(self.selected_rows(), self.header())
        QGuiApplication.clipboard().setText(text)
        return text

    def export_rows(self, path: Path | None = None) -> Path | None:
        result: TableResult | None = self.result
        if result is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.t("export_rows"), str(Path.home() / "events.csv"), "CSV (*.csv)"
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            event_rows.write_csv(self.ws, result, path, self.header())
        except (OSError, StoreError) as exc:
            self.caption.setText(str(exc))
            return None
        return path

    def _menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        menu = QMenu(self)
        menu.addAction(self.t("copy_rows"), self.copy_rows)
        if index.isValid():
            ident = self.model.row(index.row()).id
            sources = self._sources_of(ident)
            if sources:
                menu.addAction(
                    self.t("select_source"),
                    lambda: self.ws.select_source(sources[0], origin=self),
                )
        self.menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _sources_of(self, event_id: str) -> list[str]:
        if event_id.startswith("u-"):
            return list(next((m.sources for m in self.ws.own if m.event.id == event_id), ()))
        try:
            detail = self.ws.session.event(event_id)
        except StoreError:
            return []
        return [e.source.id for e in detail.evidence]

    def summary(self) -> str:
        result: TableResult | None = self.result
        if result is None:
            return ""
        text = self.t("sum_table", period=self.period(), rows=f"{len(result):,}")
        return text + self.selected_words()

    def retranslate(self) -> None:
        self.table.setAccessibleName(self.t("view_table"))
        self.copy_button.setText(self.t("copy_rows"))
        self.export_button.setText(self.t("export_rows"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        super().retranslate()

    def say(self) -> None:
        super().say()
        self.table.setAccessibleDescription(self.accessibleDescription())
