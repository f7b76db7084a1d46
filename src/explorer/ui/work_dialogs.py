"""Dialogs for the annotator's work file: conflicts between colleagues, backups, preferences."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.store.merge import ConflictView
from explorer.ui.i18n import Translator


def _plain(text: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setReadOnly(True)
    return box


class ConflictsDialog(QDialog):
    """One conflict at a time: my version beside theirs; keep mine, theirs, or both."""

    def __init__(
        self,
        t: Translator,
        load: Callable[[], list[ConflictView]],
        resolve: Callable[[str, str, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle(t("conflicts"))
        self.t, self._load, self._resolve = t, load, resolve
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.mine = _plain("")
        self.theirs = _plain("")
        self.mine_label, self.theirs_label = QLabel(), QLabel()
        for label in (self.mine_label, self.theirs_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        sides = QHBoxLayout()
        for label, box in ((self.mine_label, self.mine), (self.theirs_label, self.theirs)):
            col = QVBoxLayout()
            col.addWidget(label)
            col.addWidget(box)
            sides.addLayout(col)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for keep in ("mine", "theirs", "both"):
            b = QPushButton(t(f"keep_{keep}"))
            b.setObjectName(f"keep_{keep}")
            b.clicked.connect(lambda _=False, k=keep: self.keep(k))
            self.buttons[keep] = b
            row.addWidget(b)
        close = QPushButton(t("close"))
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(sides)
        layout.addLayout(row)
        self.resize(760, 420)
        self.current: ConflictView | None = None
        self.refresh()

    def refresh(self) -> None:
        pending = self._load()
        self.current = pending[0] if pending else None
        self.status.setText(self.t("conflicts_pending", n=len(pending)))
        for b in self.buttons.values():
            b.setEnabled(self.current is not None)
        c = self.current
        self.mine.setPlainText(c.mine_text if c else "")
        self.theirs.setPlainText(c.theirs_text if c else "")
        self.mine_label.setText(
            self.t("version_of", who=c.mine_author, when=c.mine_updated[:16]) if c else ""
        )
        self.theirs_label.setText(
            self.t("version_of", who=c.theirs_author, when=c.theirs_updated[:16]) if c else ""
        )

    def keep(self, which: str) -> None:
        if self.current is not None:
            self._resolve(self.current.id, self.current.their_revision, which)
            self.refresh()


class BackupsDialog(QDialog):
    """The work file's backups, newest first; restoring one first backs up the present."""

    def __init__(
        self,
        t: Translator,
        backups: list[Path],
        restore: Callable[[Path], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle(t("backups"))
        self._restore = restore
        self.list = QListWidget()
        for path in reversed(backups):
            item = QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        explain = QLabel(t("restore_explained"))
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(
            t("restore"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.restore_button.setEnabled(self.list.count() > 0)

    def restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._restore(Path(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()


class PreferencesDialog(QDialog):
    def __init__(self, t: Translator, author: str, keep: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(t("preferences"))
        self.author = QLineEdit(author)
        self.keep = QSpinBox()
        self.keep.setRange(1, 500)
        self.keep.setValue(keep)
        form = QFormLayout()
        form.addRow(t("author_name"), self.author)
        form.addRow(t("backups_keep"), self.keep)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
