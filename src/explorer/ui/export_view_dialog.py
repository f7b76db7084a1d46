"""File > Export view: the timeline as a PNG or SVG figure, at a chosen size and resolution.

The size is the picture's in pixels; the resolution says how many of them make an inch, so a
figure for print at 300 dpi has the same layout as on screen, only sharper. The dialog shows
the printed size, asks before replacing a file, and starts with what was chosen last time
(format, size, resolution, legend; kept in the settings).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from explorer.ui.i18n import Translator

SCREEN_DPI = 96  # the resolution at which the figure has the window's layout
MIN_SIDE, MAX_SIDE = 200, 12000
MIN_DPI, MAX_DPI = 72, 600
KEY = "export_view"  # the settings' group for the last choice


class ExportViewDialog(QDialog):
    def __init__(
        self,
        t: Translator,
        path: Path,
        view_size: QSize,
        parent: QWidget | None = None,
        extras: list[tuple[str, str]] | None = None,
        settings: QSettings | None = None,
    ) -> None:
        """`extras`: linked views that may be drawn under the timeline, (name, words)."""
        super().__init__(parent)
        self.t = t
        self.settings = settings
        self.setWindowTitle(t("export_view_title"))
        self.kind = QComboBox()
        self.kind.addItem("PNG", ".png")
        self.kind.addItem("SVG", ".svg")
        self.width_px = _spin(MIN_SIDE, MAX_SIDE, " px")
        self.height_px = _spin(MIN_SIDE, MAX_SIDE, " px")
        self.dpi = _spin(MIN_DPI, MAX_DPI, " dpi")
        self.dpi.setValue(192)
        scale = self.dpi.value() / SCREEN_DPI  # the window's layout, twice as sharp
        self.width_px.setValue(_clamp(round(view_size.width() * scale)))
        self.height_px.setValue(_clamp(round(view_size.height() * scale)))
        self.legend = QCheckBox(t("legend_in_export"))
        self.legend.setObjectName("legendInExport")
        self.printed = QLabel()
        self.printed.setTextFormat(Qt.TextFormat.PlainText)
        self.path = QLineEdit(str(path))
        self._confirmed: str | None = None  # a path the save dialog already asked about
        browse = QPushButton(t("browse"))
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(t("format"), self.kind)
        self.include = QComboBox()
        self.include.setObjectName("includeView")
        self.include.addItem(t("timeline_only"), "")
        for name, words in extras or []:
            self.include.addItem(t("timeline_with", view=words), name)
        if extras:
            form.addRow(t("include_view"), self.include)
        form.addRow(t("width"), self.width_px)
        form.addRow(t("height"), self.height_px)
        form.addRow(t("resolution"), self.dpi)
        form.addRow("", self.legend)
        form.addRow("", self.printed)
        form.addRow(t("save_as"), where)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept_if_allowed)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for spin in (self.width_px, self.height_px, self.dpi):
            spin.valueChanged.connect(lambda _: self._update())
        self._restore()
        self.kind.currentIndexChanged.connect(lambda _: self._follow_kind())
        self.path.textChanged.connect(lambda _: self._update())
        self._follow_kind()

    # --- what was chosen -----------------------------------------------------------------

    def picture_size(self) -> QSize:
        return QSize(self.width_px.value(), self.height_px.value())

    def included(self) -> str | None:
        """The linked view drawn under the timeline, if any."""
        return str(self.include.currentData()) or None

    def chosen_path(self) -> Path:
        text = self.path.text().strip()
        out = Path(text).expanduser()
        suffix = str(self.kind.currentData())
        return out if out.suffix.lower() == suffix else out.with_name(out.name + suffix)

    def printed_text(self) -> str:
        dpi = self.dpi.value()
        w_cm = self.width_px.value() / dpi * 2.54
        h_cm = self.height_px.value() / dpi * 2.54
        return self.t(
            "printed_size",
            cm=f"{w_cm:.1f} × {h_cm:.1f}",
            inches=f"{w_cm / 2.54:.1f} × {h_cm / 2.54:.1f}",
        )

    # --- behaviour -----------------------------------------------------------------------

    def _follow_kind(self) -> None:
        """Switching PNG and SVG changes the file name's ending too."""
        text = self.path.text().strip()
        if text:
            stem = Path(text)
            if stem.suffix.lower() in (".png", ".svg"):
                stem = stem.with_suffix("")
            self.path.setText(str(stem) + str(self.kind.currentData()))
        self._update()

    def _update(self) -> None:
        self.printed.setText(self.printed_text())
        ok = bool(self.path.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _browse(self) -> None:
        suffix = str(self.kind.currentData())
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.t("export_view_title"), str(self.chosen_path()), f"*{suffix}"
        )
        if chosen:
            self.path.setText(chosen)
            self._confirmed = str(self.chosen_path())  # the save dialog asked about replacing

    def _accept_if_allowed(self) -> None:
        out = self.chosen_path()
        confirmed = str(out) == self._confirmed  # the save dialog asked already
        if out.exists() and not confirmed:
            title = self.t("export_view_title")
            if not may_replace(self, self.t, title, out):
                return
        self._remember()
        self.accept()

    # --- the last choice -----------------------------------------------------------------

    def _restore(self) -> None:
        s = self.settings
        if s is None:
            return
        kind = self.kind.findData(str(s.value(f"{KEY}/format", "")))
        if kind >= 0:
            self.kind.setCurrentIndex(kind)
        for spin, name in ((self.width_px, "width"), (self.height_px, "height"), (self.dpi, "dpi")):
            value = _int(s.value(f"{KEY}/{name}"))
            if value is not None:
                spin.setValue(value)
        self.legend.setChecked(str(s.value(f"{KEY}/legend", "false")).lower() == "true")

    def _remember(self) -> None:
        s = self.settings
        if s is None:
            return
        s.setValue(f"{KEY}/format", str(self.kind.currentData()))
        s.setValue(f"{KEY}/width", self.width_px.value())
        s.setValue(f"{KEY}/height", self.height_px.value())
        s.setValue(f"{KEY}/dpi", self.dpi.value())
        s.setValue(f"{KEY}/legend", "true" if self.legend.isChecked() else "false")
        s.sync()


def may_replace(parent: QWidget, t: Translator, title: str, path: Path) -> bool:
    """Ask whether to replace `path` (No unless the user says Yes)."""
    answer = QMessageBox.question(
        parent,
        title,
        t("replace_file", path=str(path)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setSingleStep(10 if suffix == " dpi" else 100)
    spin.setAccelerated(True)
    return spin


def _clamp(value: int) -> int:
    return max(MIN_SIDE, min(MAX_SIDE, value))


def _int(value: object) -> int | None:
    """A whole number kept in the settings (None: none, or not a number)."""
    try:
        return int(str(value))
    except ValueError:
        return None
