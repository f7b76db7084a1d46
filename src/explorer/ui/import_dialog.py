"""File > Import: read another tool's timeline, preview it, then write it into a project.

Reading and writing run on a worker thread (ui.background), with progress and Cancel;
nothing is written until the user has seen the preview (events, dates, rejected rows) and
pressed Import. The import itself is one transaction in explorer.exchange.imports.apply.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.exchange.imports.batch import Batch
from explorer.exchange.imports.report import ImportReport
from explorer.model import layers
from explorer.model.importing import FORMATS, SeriesBound, preview, run_import
from explorer.model.layers import LayerReport
from explorer.store.errors import StoreError
from explorer.ui.background import Task, Work
from explorer.ui.i18n import Translator

PREVIEW_ROWS = 200
ZONES = ("UTC", "Asia/Seoul", "Asia/Shanghai", "Asia/Tokyo", "Europe/London", "America/New_York")


class ImportDialog(QDialog):
    def __init__(
        self,
        t: Translator,
        source: Path,
        target: Path,
        parent: QWidget | None = None,
        add_layer: Callable[[Batch, bool], LayerReport] | None = None,
    ) -> None:
        """`add_layer` (given when a project is open and its notes can be written) adds
        what was read as a layer of the project's own events; then the dialog offers that
        beside making a new project, and starts on it."""
        super().__init__(parent)
        self.t = t
        self.source = source
        self.batch: Batch | None = None
        self.report: ImportReport | None = None
        self.layer_report: LayerReport | None = None
        self._add_layer = add_layer
        self.setWindowTitle(t("import_title", name=source.name))
        self.resize(900, 600)
        self.format = QComboBox()
        for fmt in FORMATS:
            self.format.addItem(fmt, fmt)
        self.format.currentIndexChanged.connect(lambda _: self.load())
        self.zone = QComboBox()  # where the file's times without a zone were written
        self.zone.setEditable(True)
        self.zone.addItems(ZONES)
        self.zone.setToolTip(t("zone_hint"))
        self.zone.activated.connect(lambda _: self.load())
        line = self.zone.lineEdit()
        assert line is not None
        line.editingFinished.connect(self._zone_edited)
        # how far recurring iCalendar events are expanded (the CLI's --series-limit and
        # --series-years); the preview is read again when either is changed
        self.series_limit = _spin(1, 1_000_000, SeriesBound.occurrences, t("series_limit"))
        self.series_years = _spin(1, 1000, SeriesBound.years, t("series_years"))
        series_row = QHBoxLayout()
        for spin in (self.series_limit, self.series_years):
            spin.setToolTip(t("series_hint"))
            spin.editingFinished.connect(self._series_edited)
            series_row.addWidget(spin)
        self._read_series = SeriesBound()
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
        self.as_layer = QRadioButton(t("as_layer"))
        self.as_layer.setObjectName("asLayer")
        self.as_project = QRadioButton(t("as_project"))
        self.as_project.setObjectName("asProject")
        self.as_layer.toggled.connect(self._mode_changed)
        form = QFormLayout()
        form.addRow(t("format"), self.format)
        form.addRow(t("zone"), self.zone)
        form.addRow(t("series"), series_row)
        if add_layer is not None:
            form.addRow(self.as_layer)
            form.addRow(self.as_project)
        form.addRow(t("import_into"), row)
        self.as_layer.setChecked(add_layer is not None)
        self.as_project.setChecked(add_layer is None)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("import"))
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self._task: Task | None = None
        self._ok_before = False  # whether Import could be pressed before the work began
        self._read_zone = ""
        working = QHBoxLayout()
        working.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.skip_bad)
        layout.addLayout(working)
        layout.addWidget(self.buttons)

    # --- reading -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None and self._task.running

    def _run(self, label: str, work: Work, done: Callable[[object], None]) -> None:
        """Run `work` off the GUI thread, showing its progress; `done` gets its result."""
        self.progress.setFormat(label + " %p%")
        self.progress.setValue(0)
        self.progress.show()
        # the one Cancel (the buttons') stays: while working it stops the work
        self._ok_before = self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.format.setEnabled(False)
        task = Task(work, self)
        task.sigProgress.connect(self._progressed)
        task.sigDone.connect(lambda result: self._finished(result, done))
        self._task = task
        task.start()

    def _progressed(self, done: int, total: int) -> None:
        if total:  # (0, 0) only asks whether to go on
            self.progress.setValue(int(1000 * done / total))

    def _finished(self, result: object, done: Callable[[object], None]) -> None:
        self.progress.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self._ok_before)
        self.format.setEnabled(True)
        done(result)

    def _zone_edited(self) -> None:
        if self.zone.currentText() != self._read_zone:
            self.load()

    def _series(self) -> SeriesBound:
        return SeriesBound(self.series_limit.value(), self.series_years.value())

    def _series_edited(self) -> None:
        if self._series() != self._read_series:
            self.load()

    def load(self) -> None:
        """Read the file as the chosen format (on a worker thread) and show what it holds."""
        fmt, source, zone_text, series = (
            str(self.format.currentData()),
            self.source,
            self.zone.currentText(),
            self._series(),
        )
        self._read_zone, self._read_series = zone_text, series

        def work(step: Callable[[int, int], bool]) -> object:
            return preview(source, fmt, zone_text, step, keep=PREVIEW_ROWS, series=series)

        self._run(self.t("reading", name=source.name), work, self._on_read)

    def _on_read(self, result: object) -> None:
        if isinstance(result, Batch):
            self.batch = result
            self._show_batch(result)
            return
        self.batch = None
        self.summary.setText(_message(result))
        self.preview.setRowCount(0)
        self.problems.setPlainText("")
        self._update_buttons()

    def _show_batch(self, batch: Batch) -> None:
        t = self.t
        events = batch.rows["events"]
        counts = {
            "format": batch.format,
            "seen": batch.seen,
            "ok": batch.count("events"),
            "bad": len(batch.rejected),
            "periods": batch.count("periods"),
        }
        summary = t("import_summary", **counts)
        if batch.notes or batch.items:
            summary += " " + t("import_carries", notes=len(batch.notes), items=len(batch.items))
        self.summary.setText(summary)
        shown = events[:PREVIEW_ROWS]  # the batch holds at most these
        self.preview.setRowCount(len(shown))
        for i, ev in enumerate(shown):
            when = ev["start"] + (f" – {ev['end']}" if ev["end"] else "")
            for j, text in enumerate((f"{when} ({ev['precision']})", ev["title"], ev["category"])):
                self.preview.setItem(i, j, QTableWidgetItem(str(text)))
        lines = [str(r) for r in batch.rejected] + [f"note: {w}" for w in batch.warnings]
        lines += [f"{t('fidelity_' + k)}: {n} {what}" for k, n, what in batch.fidelity.entries()]
        self.problems.setPlainText("\n".join(lines))
        self._update_buttons()

    def _update_buttons(self) -> None:
        ok = self.batch is not None and bool(
            self.batch.count("events") or self.batch.count("sources")
        )
        if self.batch is not None and self.batch.rejected and not self.skip_bad.isChecked():
            ok = False
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _mode_changed(self, layer: bool) -> None:
        self.target.setEnabled(not layer)

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
        """Read the file again into the target project (on a worker thread), writing rows as
        they are read in one transaction, so a file of any size fits in memory; the dialog
        closes with `report` set once it has landed."""
        previewed = self.batch
        if previewed is None or self.busy:
            return
        target = Path(self.target.text()).expanduser()
        skip_bad = self.skip_bad.isChecked()
        source, fmt, zone = self.source, previewed.format, previewed.zone.name
        series = self._read_series  # the bound the preview was read with
        if self._add_layer is not None and self.as_layer.isChecked():

            def read_whole(step: Callable[[int, int], bool]) -> object:
                return layers.read(source, fmt=fmt, zone=zone, series=series, progress=step)

            self._run(self.t("reading", name=source.name), read_whole, self._on_layer_read)
            return

        def work(step: Callable[[int, int], bool]) -> object:
            return run_import(
                source,
                target,
                fmt=fmt,
                zone=zone,
                skip_bad=skip_bad,
                progress=step,
                keep_going=lambda: step(0, 0),
                series=series,
            )

        self.target_path = target
        self._run(self.t("importing", name=self.source.name), work, self._on_imported)

    def _on_layer_read(self, result: object) -> None:
        """The file read whole (on the worker): its events join the project here, on the
        window's thread, which holds the notes."""
        assert self._add_layer is not None
        if not isinstance(result, Batch):
            self.summary.setText(_message(result))
            return
        try:
            self.layer_report = self._add_layer(result, self.skip_bad.isChecked())
        except StoreError as exc:
            self.summary.setText(str(exc))
            return
        self.accept()

    def _on_imported(self, result: object) -> None:
        if isinstance(result, ImportReport):
            self.report = result
            self.accept()
        else:
            self.summary.setText(_message(result))

    def reject(self) -> None:
        if self.busy:  # Cancel stops the work first; nothing is written
            assert self._task is not None
            self._task.cancel()
            return
        super().reject()

    def done(self, code: int) -> None:
        if self._task is not None and self._task.running:
            self._task.wait()
        super().done(code)


def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setGroupSeparatorShown(True)
    return spin


def _message(result: object) -> str:
    if isinstance(result, (StoreError, OSError)):
        return str(result)
    return f"unexpected error: {result!r}"
