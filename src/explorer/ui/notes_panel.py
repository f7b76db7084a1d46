"""All notes: search, a tag filter, and the list; choosing a note goes to what it is about."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.store.notes import Note
from explorer.ui.i18n import Translator


class NotesPanel(QWidget):
    sigChosen = Signal(str)  # note id
    sigNew = Signal()

    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.notes: list[Note] = []
        self.labels: dict[str, str] = {}
        self.search = QLineEdit()
        self.search.setObjectName("notesSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._fill)
        self.tag = QComboBox()
        self.tag.setObjectName("notesTag")
        self.tag.currentIndexChanged.connect(self._fill)
        self.new = QPushButton()
        self.new.clicked.connect(self.sigNew)
        self.list = QListWidget()
        self.list.setObjectName("notesList")
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        top = QHBoxLayout()
        top.addWidget(self.tag)
        top.addWidget(self.new)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.t("search_notes"))
        self.new.setText(self.t("new_note"))
        self.set_notes(self.notes, self.labels)

    def set_notes(self, notes: list[Note], labels: dict[str, str]) -> None:
        """`labels`: what each note is about, by note id (event title, entity name, dates)."""
        self.notes, self.labels = notes, labels
        current = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(self.t("all_tags"), None)
        for tag in sorted({t for n in notes for t in n.tags}):
            self.tag.addItem(f"#{tag}", tag)
        index = self.tag.findData(current)
        self.tag.setCurrentIndex(max(0, index))
        self.tag.blockSignals(False)
        self._fill()

    def visible_ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def _fill(self) -> None:
        self.list.clear()
        needle = self.search.text().strip().casefold()
        tag = self.tag.currentData()
        for n in self.notes:
            about = self.labels.get(n.id, "")
            if tag and tag not in n.tags:
                continue
            haystack = f"{n.text}\n{about}\n{' '.join(n.tags)}\n{n.author}".casefold()
            if needle and needle not in haystack:
                continue
            tags = "  " + " ".join(f"#{x}" for x in n.tags) if n.tags else ""
            preview = " ".join(n.text.split())[:120]
            item = QListWidgetItem(
                f"{about}{tags}\n{preview}\n— {n.author}, {n.updated[:16].replace('T', ' ')}"
            )
            item.setData(Qt.ItemDataRole.UserRole, n.id)
            self.list.addItem(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.sigChosen.emit(item.data(Qt.ItemDataRole.UserRole))
