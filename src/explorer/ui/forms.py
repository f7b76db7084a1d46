"""Pieces every editing dialog shares: the line that says why a save was refused, and the
Save and Cancel buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel


def error_label(name: str) -> QLabel:
    """Hidden until a save fails; always plain text (messages may quote user input)."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #c0392b")
    label.hide()
    return label


def save_cancel(save: Callable[[], object], cancel: Callable[[], object]) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(save)
    buttons.rejected.connect(cancel)
    return buttons
