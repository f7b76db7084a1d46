"""Entities grouped by kind with event counts, filtered as you type across every name in
every language."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from explorer.model.catalog import Catalog, EntityInfo
from explorer.store.schema import ENTITY_KINDS
from explorer.ui.i18n import Translator

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
MORE_ROLE = Qt.ItemDataRole.UserRole + 3


class _EntityList(QWidget):
    """A name filter above a tree of entities grouped by kind; the subclasses fill it."""

    sigEntityChosen = Signal(str)

    def __init__(self, t: Translator, debounce_ms: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.t = t
        self.filter = QLineEdit()
        self.filter.setObjectName("entityFilter")
        self.filter.setClearButtonEnabled(True)
        self._timer: QTimer | None = None
        if debounce_ms:  # each rebuild asks the store: wait for a pause in typing
            timer = QTimer(self, singleShot=True, interval=debounce_ms)
            timer.timeout.connect(self.rebuild)
            self.filter.textChanged.connect(lambda _: timer.start())
            self._timer = timer
        else:
            self.filter.textChanged.connect(self.rebuild)
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

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.t("filter_entities"))
        self.rebuild()

    def visible_ids(self) -> list[str]:
        ids: list[str] = []
        for g in range(self.model.rowCount()):
            group = self.model.item(g)
            for r in range(group.rowCount()):
                ident = group.child(r).data(ID_ROLE)
                if ident:  # "show more" rows have none
                    ids.append(ident)
        return ids

    def stop(self) -> None:
        """No rebuild may come after this (the window is closing its session)."""
        if self._timer is not None:
            self._timer.stop()

    def rebuild(self) -> None:
        raise NotImplementedError

    def _activated(self, index: object) -> None:
        ent = self.model.itemFromIndex(index).data(ID_ROLE)  # type: ignore[arg-type]
        if ent:
            self.sigEntityChosen.emit(ent)


class EntityBrowser(_EntityList):
    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        self.catalog: Catalog | None = None
        self.counts: dict[str, int] = {}
        super().__init__(t, 0, parent)
        self.retranslate()

    def set_catalog(self, catalog: Catalog, counts: dict[str, int]) -> None:
        self.catalog, self.counts = catalog, counts
        self.rebuild()

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.rebuild()

    def rebuild(self) -> None:
        self.model.clear()
        if self.catalog is None:
            return
        needle = self.filter.text().strip().casefold()
        lang = self.t.lang
        for kind in ENTITY_KINDS:
            infos = [
                i
                for i in self.catalog.entities.values()
                if i.entity.kind == kind and (not needle or i.matches(needle))
            ]
            if not infos:
                continue
            infos.sort(key=lambda i: (-self.counts.get(i.entity.id, 0), i.display_name(lang)))
            group = QStandardItem(f"{self.t.kind(kind)} ({len(infos)})")
            group.setEditable(False)
            group.setSelectable(False)
            for info in infos:
                name = info.display_name(lang)
                other = info.display_name("en" if lang == "ko" else "ko")
                label = name if other == name else f"{name} · {other}"
                item = QStandardItem(f"{label}  [{self.counts.get(info.entity.id, 0)}]")
                item.setEditable(False)
                item.setData(info.entity.id, ID_ROLE)
                group.appendRow(item)
            self.model.appendRow(group)
        self.tree.expandAll() if needle else self._expand_small()

    def _expand_small(self) -> None:
        for g in range(self.model.rowCount()):
            self.tree.setExpanded(self.model.index(g, 0), self.model.item(g).rowCount() <= 40)


class PagedEntityBrowser(_EntityList):
    """The entity list for large projects: kinds with their counts, each kind's entities
    with the most events first, 200 at a time ("show more"), filtered as you type across
    every name in every language. Rows come from the Session a page at a time."""

    PAGE = 200

    def __init__(
        self,
        t: Translator,
        kinds: Callable[[], list[tuple[str, int]]],
        page: Callable[[str, str, int, int], list[tuple[str, str, int]]],
        parent: QWidget | None = None,
    ) -> None:
        self._kinds, self._page = kinds, page
        self._own: list[EntityInfo] = []
        super().__init__(t, 200, parent)
        self.retranslate()

    def set_catalog(self, catalog: Catalog, counts: dict[str, int]) -> None:
        """Large projects are not held in memory: the list comes from the Session; the
        annotator's own entities (from `catalog`) are listed first."""
        own = [i for i in catalog.entities.values() if i.entity.origin == "own"]
        self._own = sorted(own, key=lambda i: i.display_name(self.t.lang))
        self.rebuild()

    def set_counts(self, counts: dict[str, int]) -> None:
        """Counts come from the store's entity_stats."""

    def rebuild(self) -> None:
        self.model.clear()
        needle = self.filter.text().strip()
        own = [i for i in self._own if not needle or i.matches(needle.casefold())]
        if own:
            group = QStandardItem(f"{self.t('own_badge')} ({len(own):,})")
            group.setEditable(False)
            group.setSelectable(False)
            for info in own:
                item = QStandardItem(
                    f"✎ {info.display_name(self.t.lang)} · {self.t.kind(info.entity.kind)}"
                )
                item.setEditable(False)
                item.setData(info.entity.id, ID_ROLE)
                group.appendRow(item)
            self.model.appendRow(group)
        for kind, total in self._kinds():
            group = QStandardItem(f"{self.t.kind(kind)} ({total:,})")
            group.setEditable(False)
            group.setSelectable(False)
            group.setData(kind, KIND_ROLE)
            self._append(group, kind, needle, 0)
            if group.rowCount():
                self.model.appendRow(group)
        if needle:
            self.tree.expandAll()

    def _append(self, group: QStandardItem, kind: str, needle: str, offset: int) -> None:
        rows = self._page(kind, needle, self.PAGE + 1, offset)
        for ident, name, count in rows[: self.PAGE]:
            item = QStandardItem(f"{name}  [{count:,}]")
            item.setEditable(False)
            item.setData(ident, ID_ROLE)
            group.appendRow(item)
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
