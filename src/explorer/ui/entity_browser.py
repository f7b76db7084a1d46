"""Entities grouped by kind with event counts, filtered as you type across every name in
every language, a page at a time ("show more"). The rows come from the workspace, for a
project of any size; the annotator's own entities are listed first in their kind."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from explorer.model import entity_list
from explorer.model.entity_list import EntityRow
from explorer.model.workspace import Workspace
from explorer.ui.i18n import Translator

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
MORE_ROLE = Qt.ItemDataRole.UserRole + 3


class EntityBrowser(QWidget):
    sigEntityChosen = Signal(str)
    PAGE = 200

    def __init__(self, ws: Workspace, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.t = t
        #: the count shown beside each listed entity, by id
        self.counts: dict[str, int] = {}
        self.filter = QLineEdit()
        self.filter.setObjectName("entityFilter")
        self.filter.setClearButtonEnabled(True)
        self._timer: QTimer | None = None
        self._listed: tuple[object, ...] = ()  # what the list was made from (see rebuild)
        if ws.resident:
            self.filter.textChanged.connect(self.rebuild)
        else:  # each rebuild asks the store: wait for a pause in typing
            timer = QTimer(self, singleShot=True, interval=200)
            timer.timeout.connect(self.rebuild)
            self.filter.textChanged.connect(lambda _: timer.start())
            self._timer = timer
        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("entityTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.activated.connect(self._activated)
        self.tree.clicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self.setFocusProxy(self.filter)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.t("filter_entities"))
        self.rebuild()

    def stop(self) -> None:
        """No rebuild may come after this (the window is closing its project)."""
        if self._timer is not None:
            self._timer.stop()

    def visible_ids(self) -> list[str]:
        ids: list[str] = []
        for g in range(self.model.rowCount()):
            group = self.model.item(g)
            for r in range(group.rowCount()):
                ident = group.child(r).data(ID_ROLE)
                if ident:  # "show more" rows have none
                    ids.append(ident)
        return ids

    def rebuild(self) -> None:
        """List the entities again, unless what they are listed from is what it was (a
        window opening asked six times, each a query per kind on a large project)."""
        ws = self.ws
        key = (self.filter.text().strip(), self.t.lang, ws.filters, ws.catalog_changes)
        if key == self._listed:
            return
        self._listed = key
        self.model.clear()
        self.counts = {}
        needle = self.filter.text().strip()
        own = entity_list.own(self.ws, needle)
        if own:
            group = QStandardItem(f"{self.t('own_badge')} ({len(own):,})")
            group.setEditable(False)
            group.setSelectable(False)
            for row in own:
                name = row.name
                item = QStandardItem(f"✎ {name} · {self.t.kind(row.kind)}")
                item.setEditable(False)
                item.setData(row.id, ID_ROLE)
                group.appendRow(item)
                self.counts[row.id] = row.count
            self.model.appendRow(group)
        for kind, total in entity_list.kinds(self.ws):
            group = QStandardItem(f"{self.t.kind(kind)} ({total:,})")
            group.setEditable(False)
            group.setSelectable(False)
            group.setData(kind, KIND_ROLE)
            self._append(group, kind, needle, 0)
            if group.rowCount():
                self.model.appendRow(group)
        if needle:
            self.tree.expandAll()
        else:
            for g in range(self.model.rowCount()):
                small = self.model.item(g).rowCount() <= 40
                self.tree.setExpanded(self.model.index(g, 0), small)

    def _text(self, row: EntityRow) -> str:
        name = row.name if row.other_name is None else f"{row.name} · {row.other_name}"
        return f"{name}  [{row.count:,}]"

    def _append(self, group: QStandardItem, kind: str, needle: str, offset: int) -> None:
        rows = entity_list.page(self.ws, kind, needle, self.PAGE + 1, offset)
        for row in rows[: self.PAGE]:
            item = QStandardItem(self._text(row))
            item.setEditable(False)
            item.setData(row.id, ID_ROLE)
            group.appendRow(item)
            self.counts[row.id] = row.count
        if len(rows) > self.PAGE:
            more = QStandardItem(self.t("show_more"))
            more.setEditable(False)
            more.setData(offset + self.PAGE, MORE_ROLE)
            group.appendRow(more)

    def _activated(self, index: object) -> None:
        item = self.model.itemFromIndex(index)  # type: ignore[arg-type]
        ident = item.data(ID_ROLE)
        if ident:
            self.sigEntityChosen.emit(ident)
            return
        offset = item.data(MORE_ROLE)
        if offset is not None:  # "show more": replace the marker with the next page
            group = item.parent()
            group.removeRow(item.row())
            self._append(group, group.data(KIND_ROLE), self.filter.text().strip(), int(offset))
