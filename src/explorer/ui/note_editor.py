"""The note editor: text, tags, plain or Markdown. If saving fails (disk full, the note changed
elsewhere) the dialog stays open with everything typed, and says why."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.store.errors import StoreError
from explorer.store.notes import Note
from explorer.ui.forms import error_label, save_cancel
from explorer.ui.i18n import Translator


def split_tags(text: str) -> list[str]:
    return [t.strip() for t in text.replace("，", ",").split(",") if t.strip()]


class NoteEditor(QDialog):
    """`save(text, tags, fmt)` is called on OK; it raises StoreError to keep the dialog open."""

    def __init__(
        self,
        t: Translator,
        target_label: str,
        save: Callable[[str, list[str], str], Note],
        note: Note | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noteEditor")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # no hidden editors pile up
        self.setWindowTitle(t("edit_note") if note else t("new_note"))
        self._save = save
        self.saved: Note | None = None
        self.about = QLabel(target_label)
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        self.text = QPlainTextEdit(note.text if note else "")
        self.text.setObjectName("noteText")
        self.tags = QLineEdit(", ".join(note.tags) if note else "")
        self.tags.setObjectName("noteTags")
        self.tags.setPlaceholderText(t("tags_placeholder"))
        self.markdown = QCheckBox(t("markdown"))
        self.markdown.setChecked(bool(note and note.format == "markdown"))
        self.error = error_label("noteError")
        buttons = save_cancel(self.try_save, self.reject)
        layout = QVBoxLayout(self)
        for w in (self.about, self.text, self.tags, self.markdown, self.error, buttons):
            layout.addWidget(w)
        self.resize(520, 360)
        self.text.setFocus()

    def try_save(self) -> bool:
        fmt = "markdown" if self.markdown.isChecked() else "plain"
        try:
            self.saved = self._save(self.text.toPlainText(), split_tags(self.tags.text()), fmt)
        except StoreError as exc:
            self.error.setText(str(exc))  # the text stays in the editor; Save again later
            self.error.show()
            return False
        self.accept()
        return True
