"""Search results: a list of hits from the store's full-text search; Enter or click jumps."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from explorer.store.records import SearchResult
from explorer.ui.i18n import Translator

KIND_MARK = {"event": "◆", "entity": "●", "claim": "#", "source": "▤", "statement": "❝"}
MORE = "more"  # the data of the "show more" row


class SearchPanel(QWidget):
    sigChosen = Signal(str, str)  # kind, id
    sigMore = Signal(int)  # the next page: how many hits are shown already

    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.itemActivated.connect(self._chosen)
        self.results.itemClicked.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status)
        layout.addWidget(self.results)

    def show_result(self, result: SearchResult, more: bool = False) -> None:
        """Show hits (with `more`, after those shown: the next page)."""
        if not more:
            self.results.clear()
        elif self.results.count() and self.results.item(self.results.count() - 1).data(
            Qt.ItemDataRole.UserRole
        ) == (MORE, ""):
            self.results.takeItem(self.results.count() - 1)
        for h in result.hits:
            kind = self.t(f"hit_{h.kind}")
            when = f"{h.when} · " if h.when else ""
            text = f"{KIND_MARK.get(h.kind, '')} {when}{h.label}  ({kind})"
            if h.snippet and h.snippet != h.label:
                text += f"\n    {h.snippet}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (h.kind, h.ref_id))
            self.results.addItem(item)
        shown = self.results.count()
        if result.more:
            item = QListWidgetItem(self.t("show_more"))
            item.setData(Qt.ItemDataRole.UserRole, (MORE, ""))
            self.results.addItem(item)
        if not shown:
            self.status.setText(self.t("no_results"))
        else:
            more_text = f" — {self.t('more_results')}" if result.more else ""
            self.status.setText(f"{shown}{more_text}")
        if self.results.count() and not more:
            self.results.setCurrentRow(0)

    def show_error(self, message: str) -> None:
        self.results.clear()
        self.status.setText(message)

    def choose_current(self) -> bool:
        item = self.results.currentItem()
        if item is None:
            return False
        self._chosen(item)
        return True

    def _chosen(self, item: QListWidgetItem) -> None:
        kind, ref = item.data(Qt.ItemDataRole.UserRole)
        if kind == MORE:
            self.sigMore.emit(self.results.count() - 1)
            return
        self.sigChosen.emit(kind, ref)
