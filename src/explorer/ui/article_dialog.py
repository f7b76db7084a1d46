"""File > Import article: paste or open an article, see its dates and known names marked,
and turn a dated sentence into an event of one's own (pre-filled, to edit and save)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.model.article_reader import EntityMention, Suggestion, suggestions
from explorer.store import dates
from explorer.ui.i18n import Translator

DATE_COLOUR = QColor(255, 226, 140)
NAME_COLOUR = QColor(178, 214, 255)


class ArticleDialog(QDialog):
    """`names`: (name, entity id) pairs of the known entities; `labels`: entity id -> label.
    `accept_suggestion(suggestion, article)` is called when the annotator takes one."""

    def __init__(
        self,
        t: Translator,
        names: list[tuple[str, str]],
        labels: dict[str, str],
        accept_suggestion: Callable[[Suggestion, dict[str, str]], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.t, self.names, self.labels = t, names, labels
        self.accept_suggestion = accept_suggestion
        self.found: list[Suggestion] = []
        self.mentions: list[EntityMention] = []
        self.setWindowTitle(t("import_article"))
        self.resize(1000, 700)
        self.title = QLineEdit()
        self.publisher = QLineEdit()
        self.published = QLineEdit()
        self.published.setPlaceholderText("2024-08-20")
        self.url = QLineEdit()
        form = QFormLayout()
        for key, edit in (
            ("article_title", self.title),
            ("publisher", self.publisher),
            ("published", self.published),
            ("url", self.url),
        ):
            form.addRow(t(key), edit)
        self.text = QTextEdit()
        self.text.setAcceptRichText(False)  # pasted HTML arrives as plain text
        self.text.setPlaceholderText(t("article_placeholder"))
        open_btn = QPushButton(t("open_text_file"))
        open_btn.clicked.connect(lambda: self.open_file())
        find_btn = QPushButton(t("find_dates"))
        find_btn.clicked.connect(self.analyse)
        self.status = QLabel()
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _: self.take())
        take_btn = QPushButton(t("make_event"))
        take_btn.clicked.connect(self.take)
        row = QHBoxLayout()
        row.addWidget(open_btn)
        row.addWidget(find_btn)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.text, 3)
        layout.addWidget(self.list, 2)
        layout.addWidget(take_btn)

    def open_file(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.t("open_text_file"), "", "Text (*.txt *.md);;*"
            )
            if not chosen:
                return
            path = Path(chosen)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self.status.setText(self.t("cannot_read", name=path.name, why=str(exc)))
            return
        self.text.setPlainText(text)
        if not self.title.text():
            self.title.setText(path.stem)

    def article(self) -> dict[str, str]:
        return {
            "title": self.title.text().strip(),
            "publisher": self.publisher.text().strip(),
            "published": self.published.text().strip(),
            "url": self.url.text().strip(),
        }

    def published_date(self) -> dt.date | None:
        """The article's date when written as a day: relative dates are resolved against it."""
        value = self.published.text().strip()
        try:
            return dt.date.fromisoformat(value) if dates.precision_of(value) == "day" else None
        except (dates.DateFormatError, ValueError):
            return None

    def analyse(self) -> None:
        text = self.text.toPlainText()
        published = self.published_date()
        if self.published.text().strip() and published is None:
            self.status.setText(self.t("bad_article_date"))
        self.found, self.mentions = suggestions(text, published, self.names)
        self.list.clear()
        for s in self.found:
            who = ", ".join(self.labels.get(e, e) for e in s.entities)
            span = s.date.value + (f" – {s.date.end_value}" if s.date.end_value else "")
            label = f"{span} ({self.t('precision_' + s.date.precision)}) · «{s.date.words}»"
            item = QListWidgetItem(label + (f" · {who}" if who else ""))
            item.setToolTip(s.quote)
            self.list.addItem(item)
        self.status.setText(self.t("found_dates", dates=len(self.found), names=len(self.mentions)))
        self._highlight()
        if self.found:
            self.list.setCurrentRow(0)

    def _highlight(self) -> None:
        marks = []
        for begin, end, colour in (
            *((s.date.begin, s.date.end, DATE_COLOUR) for s in self.found),
            *((m.begin, m.end, NAME_COLOUR) for m in self.mentions),
        ):
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(begin)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setBackground(colour)
            sel.cursor, sel.format = cursor, fmt
            marks.append(sel)
        self.text.setExtraSelections(marks)

    def take(self) -> object:
        row = self.list.currentRow()
        if not 0 <= row < len(self.found):
            return None
        return self.accept_suggestion(self.found[row], self.article())
