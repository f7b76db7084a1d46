"""Dialogs for the annotator's own events, entities and sources. A save that the store
refuses (a bad date, a full disk) keeps the dialog open with everything typed and says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.store.dates import PRECISIONS, QUALIFIERS
from explorer.store.errors import StoreError
from explorer.store.schema import CATEGORIES, ENTITY_KINDS
from explorer.ui.forms import error_label, save_cancel
from explorer.ui.i18n import Translator

Save = Callable[[dict[str, Any]], object]


class _ItemDialog(QDialog):
    def __init__(self, title: str, save: Save, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._save = save
        self.saved: object = None
        self.form = QFormLayout()
        self.error = error_label("itemError")
        buttons = save_cancel(self.try_save, self.reject)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(self.form)
        self._buttons = buttons

    def finish_layout(self) -> None:
        self._layout.addWidget(self.error)
        self._layout.addWidget(self._buttons)
        fit_screen(self, self.form)

    def data(self) -> dict[str, Any]:
        raise NotImplementedError

    def try_save(self) -> bool:
        try:
            self.saved = self._save(self.data())
        except StoreError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.accept()
        return True


def _combo(values: tuple[str, ...] | list[tuple[str, str]], current: str | None) -> QComboBox:
    box = QComboBox()
    for v in values:
        value, label = (v, v) if isinstance(v, str) else v
        box.addItem(label, value)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    return box


class OwnEventDialog(_ItemDialog):
    """`entities` and `sources`: (id, label) choices, curated and the annotator's own."""

    def __init__(
        self,
        t: Translator,
        save: Save,
        entities: list[tuple[str, str]],
        sources: list[tuple[str, str]],
        data: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(t("edit_own_event") if data else t("new_own_event"), save, parent)
        self.setObjectName("ownEventDialog")
        d = data or {}
        self.title = QLineEdit(d.get("title") or "")
        self.title_en = QLineEdit(d.get("title_en") or "")
        self.category = _combo([(c, t.category(c)) for c in CATEGORIES], d.get("category"))
        self.start = QLineEdit(d.get("start") or "")
        self.start.setPlaceholderText("2024-08-19, 2024-08, 2024")
        self.end = QLineEdit(d.get("end") or "")
        self.precision = _combo(
            [(p, t(f"precision_{p}")) for p in PRECISIONS], d.get("precision", "day")
        )
        self.qualifier = _combo(
            [(q, t(f"qualifier_{q}") or q) for q in QUALIFIERS], d.get("qualifier", "exact")
        )
        self.date_text = QLineEdit(d.get("date_text") or "")
        self.summary = QPlainTextEdit(d.get("summary") or "")
        self.summary.setMaximumHeight(90)
        labels = dict(entities)
        self.links = QListWidget()
        self.links.setMaximumHeight(90)
        for link in d.get("entities", []):
            self._add_link(link["entity"], labels.get(link["entity"], link["entity"]), link["role"])
        self.entity = QComboBox()
        self.entity.setEditable(True)
        for ident, label in entities:
            self.entity.addItem(label, ident)
        completer = QCompleter([label for _, label in entities], self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.entity.setCompleter(completer)
        self.role = QLineEdit("subject")
        add = QPushButton(t("add_link"))
        add.clicked.connect(self._add_current)
        remove = QPushButton(t("remove_link"))
        remove.clicked.connect(lambda: self.links.takeItem(self.links.currentRow()))
        row = QHBoxLayout()
        for w in (self.entity, self.role, add, remove):
            row.addWidget(w)
        first_source = (d.get("sources") or [{}])[0]
        self.source = _combo([("", "—"), *sources], first_source.get("source", ""))
        self.quote = QLineEdit(first_source.get("quote", ""))
        for label, widget in (
            (t("title_ko"), self.title), (t("title_en"), self.title_en),
            (t("category"), self.category), (t("date_start"), self.start),
            (t("date_end"), self.end), (t("precision"), self.precision),
            (t("qualifier"), self.qualifier), (t("date_words"), self.date_text),
            (t("summary"), self.summary), (t("who"), self.links),
        ):  # fmt: skip
            self.form.addRow(label, widget)
        self.form.addRow("", _wrap(row))
        self.form.addRow(t("source"), self.source)
        self.form.addRow(t("evidence"), self.quote)
        self.resize(620, 560)
        self.finish_layout()

    def _add_link(self, ident: str, label: str, role: str) -> None:
        item = QListWidgetItem(f"{label} — {role}")
        item.setData(Qt.ItemDataRole.UserRole, (ident, role))
        self.links.addItem(item)

    def _add_current(self) -> None:
        index = self.entity.findText(self.entity.currentText())
        if index < 0:
            return
        role = " ".join(self.role.text().split()) or "subject"
        self._add_link(str(self.entity.itemData(index)), self.entity.itemText(index), role)

    def data(self) -> dict[str, Any]:
        links = [
            self.links.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.links.count())
        ]
        source = self.source.currentData()
        return {
            "title": self.title.text(), "title_en": self.title_en.text() or None,
            "category": self.category.currentData(), "start": self.start.text().strip(),
            "end": self.end.text().strip() or None, "precision": self.precision.currentData(),
            "qualifier": self.qualifier.currentData(), "date_text": self.date_text.text(),
            "summary": self.summary.toPlainText(),
            "entities": [{"entity": e, "role": r} for e, r in links],
            "sources": [{"source": source, "quote": self.quote.text()}] if source else [],
        }  # fmt: skip


class OwnEntityDialog(_ItemDialog):
    def __init__(
        self,
        t: Translator,
        save: Save,
        data: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(t("edit_own_entity") if data else t("new_own_entity"), save, parent)
        self.setObjectName("ownEntityDialog")
        d = data or {}
        self.kind = _combo([(k, t.kind(k)) for k in ENTITY_KINDS], d.get("kind"))
        self.name = QLineEdit(d.get("name") or "")
        aliases = d.get("aliases", [])
        self.name_en = QLineEdit(", ".join(a["alias"] for a in aliases if a["lang"] == "en"))
        self.name_zh = QLineEdit(", ".join(a["alias"] for a in aliases if a["lang"] == "zh"))
        self.description = QPlainTextEdit(d.get("description") or "")
        for label, widget in (
            (t("kind"), self.kind),
            (t("name_ko"), self.name),
            (t("name_en"), self.name_en),
            (t("name_zh"), self.name_zh),
            (t("description"), self.description),
        ):
            self.form.addRow(label, widget)
        self.finish_layout()

    def data(self) -> dict[str, Any]:
        aliases = [
            {"alias": a.strip(), "lang": lang}
            for lang, box in (("en", self.name_en), ("zh", self.name_zh))
            for a in box.text().split(",")
            if a.strip()
        ]
        return {
            "kind": self.kind.currentData(),
            "name": self.name.text(),
            "description": self.description.toPlainText(),
            "aliases": aliases,
        }


class OwnSourceDialog(_ItemDialog):
    def __init__(
        self,
        t: Translator,
        save: Save,
        data: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(t("edit_own_source") if data else t("new_own_source"), save, parent)
        self.setObjectName("ownSourceDialog")
        d = data or {}
        self.fields = {
            k: QLineEdit(d.get(k) or "")
            for k in ("title", "publisher", "author", "published", "url")
        }
        self.fields["published"].setPlaceholderText("2024-08-19, 2024-08, 2024")
        for key, widget in self.fields.items():
            self.form.addRow(t(f"source_{key}"), widget)
        self.finish_layout()

    def data(self) -> dict[str, Any]:
        return {k: (w.text().strip() or None) for k, w in self.fields.items()}


def _wrap(layout: QHBoxLayout) -> QWidget:
    w = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w


def fit_screen(dialog: QDialog, form: QFormLayout) -> None:
    """Keep a dialog within the screen's available width (a 1024 px laptop): lists of long
    names do not widen their boxes (a box shows what fits and its list the whole names),
    long rows put their field under their label, and the dialog is never wider than the
    screen."""
    for combo in dialog.findChildren(QComboBox):
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    parent = dialog.parentWidget()
    screen = parent.screen() if parent is not None else dialog.screen()
    room = screen.availableGeometry() if screen is not None else None
    if room is not None:
        dialog.setMaximumWidth(room.width())
        dialog.setMaximumHeight(room.height())
        dialog.resize(min(dialog.width(), room.width()), min(dialog.height(), room.height()))
