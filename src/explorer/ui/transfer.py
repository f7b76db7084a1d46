"""File > Import… and File > Export…: the window's side of moving data in and out.

Import opens ImportDialog and, once a project is written, opens it in a window of its own.
Export writes the visible timeline as PNG or SVG at a chosen size and resolution, the project
as JSON or CSV, the events shown as a TimelineJS file, or an HTML report of them with the
annotator's notes. Every export goes through a save dialog that asks before replacing a file,
and is written to a temporary file first, then renamed.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QObject, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QRegion
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget

from explorer import paths
from explorer.exchange.filenames import safe_filename
from explorer.exchange.imports.batch import Batch
from explorer.model import layers
from explorer.model.article_reader import Suggestion
from explorer.model.exports import export_data, would_replace
from explorer.model.layers import LayerReport
from explorer.model.timeline import period_caption
from explorer.store import dates
from explorer.store.errors import StoreError
from explorer.store.files import atomic_write
from explorer.ui.article_dialog import ArticleDialog
from explorer.ui.export_view_dialog import SCREEN_DPI, ExportViewDialog, may_replace
from explorer.ui.frame_record import writing_out
from explorer.ui.import_dialog import ImportDialog
from explorer.ui.legend import Frame
from explorer.ui.svg_text import clipped, physical_size, text_to_paths

#: Export kinds: key -> (file filter, suffix).
DATA_KINDS = {
    "json": ("JSON (*.json)", ".json"),
    "csv": ("CSV folder (*)", ""),
    "timelinejs": ("TimelineJS (*.json)", ".timelinejs.json"),
    "html": ("HTML (*.html)", ".html"),
}


def data_kind(chosen: str, path: Path) -> tuple[str, Path]:
    """The export a save dialog's answer asks for: the chosen filter's, unless the name typed
    belongs to another kind only (x.html is an HTML report whatever the filter; tl.json under
    the TimelineJS filter is TimelineJS); the filter's suffix added to a bare name."""
    kind = next(k for k, (f, _) in DATA_KINDS.items() if f == chosen)
    if kind == "csv":
        return kind, path
    name = path.name.lower()
    patterns = chosen[chosen.find("(") + 1 : chosen.rfind(")")].split()
    if any(fnmatch.fnmatch(name, p) for p in patterns):
        return kind, path
    by_length = sorted(DATA_KINDS.items(), key=lambda kv: -len(kv[1][1]))
    typed = next((k for k, (_, s) in by_length if s and name.endswith(s)), None)
    if typed is not None:
        return typed, path
    return kind, path.with_name(path.name + DATA_KINDS[kind][1])


def render_view(
    widget: QWidget,
    out: Path,
    size: QSize,
    dpi: int,
    frame: Frame | None = None,
    title: str | None = None,
    below: QWidget | None = None,
) -> None:
    """Draw `widget` (the timeline) into a PNG or SVG of `size` pixels at `dpi`, written
    atomically. The widget is laid out at the size the picture has at screen resolution
    and drawn scaled up, so a figure at 300 dpi has the window's layout, only sharper.
    With a `frame`, the view's title and period go above it and the legend under it, in
    as many columns as the width holds (the timeline is laid out in what is left: the
    legend never covers an event). With `below` (a linked view: the network, the map), the
    two share the height left, half each."""
    scale = dpi / SCREEN_DPI
    whole = QSize(max(1, round(size.width() / scale)), max(1, round(size.height() / scale)))
    top, bottom = frame.margins(whole) if frame is not None else (0, 0)
    layout = QSize(whole.width(), max(1, whole.height() - top - bottom))
    parts = [widget] if below is None else [widget, below]
    tall = [layout.height()] if below is None else [layout.height() - layout.height() // 2]
    tall += [] if below is None else [layout.height() // 2]
    old = [w.size() for w in parts]
    for w, h in zip(parts, tall, strict=True):
        w.resize(QSize(layout.width(), max(1, h)))
    under = None if below is None else (below, top + tall[0])
    QApplication.sendPostedEvents()  # lay the plot out at the new size before drawing
    QApplication.processEvents()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        with writing_out():  # drawn from records, never an image of the screen
            if out.suffix.lower() == ".svg":
                svg = _svg(widget, size, scale, top, frame, title or out.stem, under)
                data = physical_size(svg, size, dpi)
            else:
                image = QImage(size, QImage.Format.Format_ARGB32)
                image.fill(Qt.GlobalColor.white)
                image.setDotsPerMeterX(round(dpi / 0.0254))
                image.setDotsPerMeterY(round(dpi / 0.0254))
                painter = QPainter(image)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
                painter.scale(scale, scale)
                widget.render(painter, QPoint(0, top))
                if under is not None:
                    under[0].render(painter, QPoint(0, under[1]))
                if frame is not None:
                    frame.paint(painter, whole, top)
                painter.end()
                if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # str at run time
                    raise StoreError(f"{out} could not be drawn as PNG")
                data = bytes(buffer.data().data())
    finally:
        for w, size_before in zip(parts, old, strict=True):
            w.resize(size_before)
    atomic_write(out, data)


def _svg_painter(
    buffer: QBuffer, size: QSize, scale: float, title: str
) -> tuple[QPainter, QSvgGenerator]:
    """A painter on an SVG generator (kept alive beside it while it paints)."""
    gen = QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(size)
    gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
    # Fonts are sized at the window's resolution, as in a PNG: at the chosen one they came
    # out `scale` times too large inside the scaled drawing.
    gen.setResolution(SCREEN_DPI)
    gen.setTitle(title)
    painter = QPainter(gen)
    painter.scale(scale, scale)
    return painter, gen


def _svg(
    widget: QWidget,
    size: QSize,
    scale: float,
    top: int,
    frame: Frame | None,
    title: str,
    under: tuple[QWidget, int] | None = None,
) -> bytes:
    """The widget as SVG, its text as the outlines of its glyphs (no font is needed where
    it is opened). Qt's generator ignores clipping: the plot's contents are drawn apart and
    clipped to the plot in the SVG itself, and the whole to the picture."""
    whole = QSize(max(1, round(size.width() / scale)), max(1, round(size.height() / scale)))
    box = getattr(widget, "view_box", None)
    plot = getattr(widget, "plot", None)
    layers = box.childGroup if box is not None and plot is not None else None
    base, inside = QBuffer(), QBuffer()
    base.open(QIODevice.OpenModeFlag.WriteOnly)
    inside.open(QIODevice.OpenModeFlag.WriteOnly)
    painter, _gen = _svg_painter(base, size, scale, title)
    if layers is not None:
        layers.setVisible(False)
    try:
        widget.render(painter, QPoint(0, top))
    finally:
        if layers is not None:
            layers.setVisible(True)
    if under is not None:  # a linked view under the timeline, inside its own frame
        under[0].render(painter, QPoint(0, under[1]))
    if frame is not None:
        frame.paint(painter, whole, top)
    painter.end()
    picture = (0.0, 0.0, float(size.width()), float(size.height()))
    if layers is None:
        return text_to_paths(bytes(base.data().data()))
    assert box is not None and plot is not None
    source = plot.mapFromScene(box.mapRectToScene(box.boundingRect())).boundingRect()
    corner = plot.mapTo(widget, source.topLeft())
    target = QRectF(corner.x(), corner.y() + top, source.width(), source.height())
    painter, _gen = _svg_painter(inside, size, scale, title)
    # through the plot widget, as the window draws it (the items' pixels follow the scale)
    plot.scene().prepareForPaint()
    QWidget.render(plot, painter, QPoint(corner.x(), corner.y() + top), QRegion(source))
    painter.end()
    scaled = QRectF(
        target.x() * scale, target.y() * scale, target.width() * scale, target.height() * scale
    )
    scaled = scaled.intersected(QRectF(*picture))
    area = (scaled.x(), scaled.y(), scaled.width(), scaled.height())
    svg = clipped(bytes(base.data().data()), bytes(inside.data().data()), area, picture)
    return text_to_paths(svg)


class Transfer(QObject):
    def __init__(self, window: Any) -> None:
        """`window` is the main window (its workspace, words, status bar, timeline)."""
        super().__init__(window)
        self.window = window
        self.windows: list[QWidget] = []  # projects opened after an import
        self._article_sources: dict[tuple[str, str], str] = {}  # (title, url) -> own source
        self._last_folder: Path | None = None

    # --- import --------------------------------------------------------------------------

    def import_file(self, path: Path | None = None) -> ImportDialog | None:
        w = self.window
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                w,
                w.t("import_file"),
                str(self._last_folder or Path.home()),
                "Timelines (*.json *.csv *.jsonl *.timeline *.ics);;*",
            )
            if not chosen:
                return None
            path = Path(chosen)
        target = paths.user_data_dir() / "projects" / safe_filename(path.stem, ".db")
        ws, source = w.ws, path
        add_layer = None
        if ws.annotations is not None and ws.notes_read_only is None:

            def add_layer(batch: Batch, skip_bad: bool) -> LayerReport:
                return layers.add_batch(ws, batch, source, skip_bad=skip_bad)

        dialog = ImportDialog(w.t, path, target, w, add_layer)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._imported(dialog))
        dialog.load()
        dialog.open()
        return dialog

    def _imported(self, dialog: ImportDialog) -> None:
        w = self.window
        if dialog.layer_report is not None:  # the file joined this project as a layer
            w.statusBar().showMessage(dialog.layer_report.text().replace("\n", " · "), 15000)
            return
        report = dialog.report
        if report is None:
            return
        w.statusBar().showMessage(report.text().replace("\n", " · "), 15000)
        self.open_project(dialog.target_path)

    def open_project(self, path: Path) -> QWidget | None:
        opened: QWidget | None = self.window.projects.open_path(path)
        if opened is not None and opened is not self.window:
            self.windows.append(opened)
        return opened

    # --- an article -----------------------------------------------------------------------

    def import_article(self) -> ArticleDialog:
        w = self.window
        names: list[tuple[str, str]] = []
        found: dict[str, str] = {}
        for info in w.ws.catalog.entities.values():
            ident = info.entity.id
            names.append((info.entity.name, ident))
            names.extend((n, ident) for ns in info.names.values() for n in ns)
            found[ident] = info.display_name(w.t.lang)
        dialog = ArticleDialog(w.t, names, found, self.event_from, w)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def event_from(self, suggestion: Suggestion, article: dict[str, str]) -> QDialog | None:
        """The annotator's own event dialog, filled from a suggestion; the article becomes
        one of their own sources (once)."""
        w = self.window
        ws = w.ws
        if not w.work.writable():
            return None
        key = (article["title"], article["url"])
        source_id = self._article_sources.get(key)
        if source_id is None:
            published = article["published"]
            try:
                dates.precision_of(published)
            except dates.DateFormatError:
                published = ""
            data = {
                "title": article["title"] or w.t("untitled_article"),
                "publisher": article["publisher"],
                "url": article["url"],
                "published": published,
                "language": "",
            }
            try:
                source_id = ws.add_item("source", data).id
            except StoreError as exc:
                w._tell(str(exc))
                return None
            self._article_sources[key] = source_id
        d = suggestion.date
        prefilled = {
            "title": suggestion.quote[:80],
            "category": "media",
            "start": d.value,
            "end": d.end_value,
            "precision": d.precision,
            "qualifier": d.qualifier,
            "date_text": d.words,
            "entities": [{"entity": e, "role": "subject"} for e in suggestion.entities],
            "sources": [{"source": source_id, "quote": suggestion.quote}],
        }
        dialog: QDialog = w.work.own_dialog(
            "event", lambda data: ws.add_item("event", data), prefilled
        )
        dialog.open()
        return dialog

    # --- export --------------------------------------------------------------------------

    def _ask(self, title: str, name: str, filters: str) -> tuple[Path, str] | None:
        folder = self._last_folder or Path.home()
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self.window, title, str(folder / name), filters
        )
        return (Path(chosen), chosen_filter) if chosen else None

    def export_view(self) -> ExportViewDialog:
        """Ask for the picture's kind, size, resolution and file; then write it."""
        w = self.window
        name = safe_filename(w.ws.path.stem, ".png")
        folder = self._last_folder or Path.home()
        views = getattr(w, "linked_views", None)
        extras = [] if views is None else views.exportable()
        dialog = ExportViewDialog(w.t, folder / name, w.timeline.size(), w, extras, w.settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.write_view(
                dialog.chosen_path(),
                dialog.picture_size(),
                dialog.dpi.value(),
                legend=dialog.legend.isChecked(),
                include=dialog.included(),
            )
        )
        dialog.open()
        return dialog

    def write_view(
        self,
        path: Path,
        size: QSize,
        dpi: int,
        legend: bool = False,
        include: str | None = None,
    ) -> Path | None:
        """The visible timeline (lanes, labels, axis, eras) as `path` (.png or .svg), with
        the view's title, period and the legend of the marks when `legend`, and a linked view
        under it when `include` names one (network, map)."""
        w = self.window
        view = w.timeline  # the plot with its lane labels, axis and period caption
        views = getattr(w, "linked_views", None)
        below = views.picture(include) if views is not None and include else None
        frame = None
        if legend:
            x0, x1 = view.x_range()
            title = w.ws.title
            frame = Frame(title, period_caption(x0, x1), w.t, view.item.style, w.font())
        try:
            render_view(view, path, size, dpi, frame, w.ws.title, below)
        except (StoreError, OSError) as exc:
            w._tell(str(exc))
            return None
        self._last_folder = path.parent
        w.statusBar().showMessage(w.t("exported_to", path=path), 8000)
        return path

    def export_data(self, kind: str | None = None, path: Path | None = None) -> Path | None:
        w = self.window
        if path is None or kind is None:
            filters = ";;".join(f for f, _ in DATA_KINDS.values())
            asked = self._ask(w.t("export_data"), safe_filename(w.ws.path.stem), filters)
            if asked is None:
                return None
            path, chosen = asked
            confirmed = path  # the save dialog asked before replacing this file, not a folder
            kind, path = data_kind(chosen, path)
            # the save dialog asked about the file it showed, not a name it did not, nor the
            # export's own files inside a chosen folder
            unasked = would_replace(kind, path) and (kind == "csv" or path != confirmed)
            if unasked and not may_replace(w, w.t, w.t("export_data"), path):
                return None
        try:
            export_data(w.ws, kind, path, shown=kind in ("timelinejs", "html"), force=True)
        except (StoreError, OSError) as exc:
            w._tell(str(exc))
            return None
        self._last_folder = path.parent
        w.statusBar().showMessage(w.t("exported_to", path=path), 8000)
        return path
