"""Filters by category, entity kind, source and date range, and the bar of active filters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.model.catalog import Catalog
from explorer.model.filters import Filters
from explorer.store.schema import CATEGORIES, ENTITY_KINDS
from explorer.ui.i18n import Translator


class FiltersPanel(QWidget):
    sigChanged = Signal(object)  # Filters

    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.filters = Filters()
        self.catalog: Catalog | None = None
        self.categories: list[str] | None = None
        self.labels = {k: QLabel() for k in ("categories", "kinds", "sources")}
        self.lists = {k: QListWidget() for k in ("categories", "kinds", "sources")}
        for key, w in self.lists.items():
            w.setObjectName(f"filter_{key}")
            w.itemChanged.connect(self._list_changed)
        self.use_dates = QCheckBox()
        self.use_dates.setObjectName("filter_use_dates")
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._dates_changed)
        self.use_dates.toggled.connect(self._dates_changed)
        self.clear = QPushButton()
        self.clear.clicked.connect(lambda: self.set_filters(Filters()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for key in ("categories", "kinds", "sources"):
            layout.addWidget(self.labels[key])
            layout.addWidget(self.lists[key])
        layout.addWidget(self.use_dates)
        # one under the other: the pane narrows on a laptop screen
        layout.addWidget(self.date_from)
        layout.addWidget(self.date_to)
        layout.addWidget(self.clear)
        self._syncing = False
        self._filled: tuple[object, ...] | None = None  # what the lists were filled from
        self.retranslate()

    def set_catalog(self, catalog: Catalog, categories: list[str] | None = None) -> None:
        """The values to offer: `catalog`'s sources, and `categories` (else the catalog's)."""
        self.catalog = catalog
        self.categories = categories
        if catalog.events:
            # QDateEdit shows years 100-9999; a project reaching beyond keeps the editors' range
            first = min(catalog.events, key=lambda e: e.t0).earliest
            last = max(catalog.events, key=lambda e: e.t1).latest
            self._syncing = True
            for edit, day in ((self.date_from, first), (self.date_to, last)):
                date = QDate.fromString(day, "yyyy-MM-dd")
                if date.isValid() and edit.minimumDate() <= date <= edit.maximumDate():
                    edit.setDate(date)
            self._syncing = False
        self.retranslate()

    def retranslate(self) -> None:
        t = self.t
        self.labels["categories"].setText(f"<b>{t('categories')}</b>")
        self.labels["kinds"].setText(f"<b>{t('kinds')}</b>")
        self.labels["sources"].setText(f"<b>{t('sources')}</b>")
        self.use_dates.setText(t("use_dates"))
        self.clear.setText(t("clear_filters"))
        self._fill()

    def _fill(self) -> None:
        """Offer the values again, unless what they come from is what it was (a window
        opening asked nine times; a large project has thousands of sources)."""
        cat = self.catalog  # by identity: comparing catalogs compares every event
        made_from = (len(cat.sources) if cat else 0, self.t.lang, self.categories)
        filled = self._filled
        if filled is not None and filled[0] is cat and filled[1:] == (made_from, self.filters):
            return
        self._filled = (cat, made_from, self.filters)
        self._syncing = True
        options: dict[str, list[tuple[str, str]]] = {"categories": [], "kinds": [], "sources": []}
        if self.catalog is not None:
            # a large project's events are not in memory: offer every category
            cats = self.categories or self.catalog.categories() or list(CATEGORIES)
            options["categories"] = [(c, self.t.category(c)) for c in cats]
            options["kinds"] = [(k, self.t.kind(k)) for k in ENTITY_KINDS]
            options["sources"] = [
                (s.id, f"{s.publisher or ''} — {s.title}") for s in self.catalog.sources.values()
            ]
        for key, w in self.lists.items():
            w.clear()
            chosen: frozenset[str] = getattr(self.filters, key)
            for value, label in options[key]:
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if value in chosen else Qt.CheckState.Unchecked
                )
                w.addItem(item)
        self.use_dates.setChecked(bool(self.filters.date_from or self.filters.date_to))
        if self.filters.date_from:
            self.date_from.setDate(QDate.fromString(self.filters.date_from, "yyyy-MM-dd"))
        if self.filters.date_to:
            self.date_to.setDate(QDate.fromString(self.filters.date_to, "yyyy-MM-dd"))
        self._syncing = False

    def set_filters(self, filters: Filters) -> None:
        """Show `filters` (from anywhere) and announce them."""
        self.filters = filters
        self._fill()
        self.sigChanged.emit(filters)

    def _list_changed(self, _item: QListWidgetItem) -> None:
        if self._syncing:
            return
        values: dict[str, Any] = {}
        for key, w in self.lists.items():
            values[key] = frozenset(
                w.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked
            )
        self.filters = replace(self.filters, **values)
        self.sigChanged.emit(self.filters)

    def _dates_changed(self, *_: object) -> None:
        if self._syncing:
            return
        on = self.use_dates.isChecked()
        self.filters = replace(
            self.filters,
            date_from=self.date_from.date().toString("yyyy-MM-dd") if on else None,
            date_to=self.date_to.date().toString("yyyy-MM-dd") if on else None,
        )
        self.sigChanged.emit(self.filters)


class ActiveFiltersBar(QWidget):
    """One removable chip per active filter, and 'clear all'."""

    sigRemove = Signal(str, object)  # facet, value (None: whole facet)
    sigClearAll = Signal()

    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.setObjectName("activeFilters")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self.chips: list[QToolButton] = []

    def show_filters(self, filters: Filters, label_of: dict[str, dict[str, str]]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.chips = []
        self.setVisible(filters.active)
        if not filters.active:
            return
        self._layout.addWidget(QLabel(f"{self.t('filters')}:"))
        for facet, value in filters.chips():
            if value is None:
                text = f"{self.t(facet)} {getattr(filters, facet)}"
            else:
                text = label_of.get(facet, {}).get(value, value)
            chip = QToolButton()
            chip.setText(f"{text}  ✕")
            chip.setObjectName(f"chip_{facet}")
            chip.setAutoRaise(False)
            chip.clicked.connect(lambda _=False, f=facet, v=value: self.sigRemove.emit(f, v))
            self._layout.addWidget(chip)
            self.chips.append(chip)
        clear = QToolButton()
        clear.setText(self.t("clear_filters"))
        clear.clicked.connect(self.sigClearAll)
        self._layout.addWidget(clear)
        self._layout.addStretch(1)
