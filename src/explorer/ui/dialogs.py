"""Small dialogs of the window: the keys, and what this Explorer is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer import __version__
from explorer.ui.i18n import Translator


def shortcuts(parent: QWidget, t: Translator, rows: list[tuple[str, str]]) -> QDialog:
    """The keys' help: `rows` of (keys, what they do), made from the actions' own keys."""
    dialog = QDialog(parent)
    dialog.setObjectName("shortcutsDialog")
    dialog.setWindowTitle(t("shortcuts"))
    table = QTableWidget(len(rows), 2, dialog)
    table.horizontalHeader().setVisible(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    for r, (keys, what) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(keys))
        table.setItem(r, 1, QTableWidgetItem(what))
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    dialog.resize(460, 420)
    dialog.show()
    return dialog


def about(parent: QWidget, t: Translator, project: Path) -> None:
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowTitle(t("about"))
    box.setText(f"Explorer {__version__}\n{project}")
    box.exec()
