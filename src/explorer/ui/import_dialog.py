"""File > Import: read another tool's timeline, preview it, then write it into a project.

Reading shows progress and can be cancelled; nothing is written until the user has seen the
preview (events, dates, rejected rows) and pressed Import. The import itself is one
transaction in explorer.store.imports.apply.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from explorer.store.connection import create_store, open_store, remove_store_files
from explorer.store.errors import StoreError
from explorer.store.imports import FORMATS, Batch, read
from explorer.store.imports.apply import ImportReport, apply
from explorer.store.schema import migrations
from explorer.ui.i18n import Translator

PREVIEW_ROWS = 200


def _scratch_db() -> Database:
    """An empty project in memory: the own formats read their columns from it."""
    db = Database(sqlite3.connect(":memory:"), execute_plugins=False)
    migrations.apply(db)
    return db


class ImportDialog(QDialog):
    def __init__(
        self, t: Translator, source: Path, target: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.t = t
        self.source = source
        self.batch: Batch | None = None
        self.report: ImportReport | None = None
        self.setWindowTitle(t("import_title", name=source.name))
        self.resize(900, 600)
        self.format = QComboBox()
        for fmt in FORMATS:
            self.format.addItem(fmt, fmt)
        self.format.currentIndexChanged.connect(lambda _: self.load())
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.preview = QTableWidget(0, 3)
        self.preview.setHorizontalHeaderLabels([t("col_date"), t("col_title"), t("col_group")])
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(120)
        self.target = QLineEdit(str(target))
        browse = QPushButton(t("browse"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.target)
        row.addWidget(browse)
        self.skip_bad = QCheckBox(t("skip_bad"))
        self.skip_bad.toggled.connect(lambda _: self._update_buttons())
        form = QFormLayout()
        form.addRow(t("format"), self.format)
        form.addRow(t("import_into"), row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("import"))
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.skip_bad)
        layout.addWidget(self.buttons)

    # --- reading -------------------------------------------------------------------------

    def _progress(self, label: str) -> tuple[QProgressDialog, Callable[[int, int], bool]]:
        dialog = QProgressDialog(label, self.t("cancel"), 0, 1000, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def step(done: int, total: int) -> bool:
            dialog.setValue(int(1000 * done / total) if total else 0)
            QApplication.processEvents()
            return not dialog.wasCanceled()

        return dialog, step

    def load(self) -> bool:
        """Read the file as the chosen format and show what it holds."""
        fmt = str(self.format.currentData())
        dialog, step = self._progress(self.t("reading", name=self.source.name))
        try:
            self.batch = read(self.source, fmt, _scratch_db(), step)
        except (StoreError, OSError) as exc:
            self.batch = None
            self.summary.setText(str(exc))
            self.preview.setRowCount(0)
            self.problems.setPlainText("")
            self._update_buttons()
            return False
        finally:
            dialog.close()
        self._show_batch(self.batch)
        return True

    def _show_batch(self, batch: Batch) -> None:
        t = self.t
        events = batch.rows["events"]
        counts = {
            "format": batch.format,
            "seen": batch.seen,
            "ok": len(events),
            "bad": len(batch.rejected),
            "periods": len(batch.rows["periods"]),
        }
        self.summary.setText(t("import_summary", **counts))
        shown = events[:PREVIEW_ROWS]
        self.preview.setRowCount(len(shown))
        for i, ev in enumerate(shown):
            when = ev["start"] + (f" – {ev['end']}" if ev["end"] else "")
            for j, text in enumerate((f"{when} ({ev['precision']})", ev["title"], ev["category"])):
                self.preview.setItem(i, j, QTableWidgetItem(str(text)))
        lines = [str(r) for r in batch.rejected] + [f"note: {w}" for w in batch.warnings]
        self.problems.setPlainText("\n".join(lines))
        self._update_buttons()

    def _update_buttons(self) -> None:
        ok = self.batch is not None and bool(
            self.batch.rows["events"] or self.batch.rows["sources"]
        )
        if self.batch is not None and self.batch.rejected and not self.skip_bad.isChecked():
            ok = False
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.t("import_into"),
            self.target.text(),
            "Explorer (*.db)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.target.setText(chosen)

    # --- writing -------------------------------------------------------------------------

    def run_import(self) -> None:
        if self.batch is None:
            return
        target = Path(self.target.text()).expanduser()
        created = not target.exists()
        dialog, step = self._progress(self.t("importing", name=self.source.name))
        report = ImportReport(
            str(self.source), self.batch.format, self.batch.title, self.batch.seen
        )
        try:
            store = create_store(target) if created else open_store(target)
        except (StoreError, OSError) as exc:
            dialog.close()
            self.summary.setText(str(exc))
            return
        try:
            apply(
                store,
                self.batch,
                report,
                skip_bad=self.skip_bad.isChecked(),
                keep_going=lambda: step(0, 0),
            )
        except (StoreError, OSError) as exc:
            store.close()
            if created:
                remove_store_files(target)
            self.summary.setText(str(exc))
            return
        finally:
            dialog.close()
        store.close()
        self.report = report
        self.target_path = target
        self.accept()
