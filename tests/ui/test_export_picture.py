"""Pictures of the timeline (File > Export view): the legend fits any width, wrapping onto
more lines; the heading is the project's title; the dialog starts from the last choice; and
an SVG shows nothing past the plot's or the picture's edges."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from explorer.ui.legend import Frame, legend_size

SVG = "{http://www.w3.org/2000/svg}"


def _frame(window) -> Frame:
    return Frame(
        window.ws.title, "2014 – 2026", window.t, window.timeline.item.style, window.font()
    )


@pytest.mark.parametrize("size", [QSize(1024, 600), QSize(1024, 420), QSize(640, 480)])
def test_the_legend_wraps_to_the_pictures_width_and_fits_under_the_view(
    make_window, bundled_copy, tmp_path, qtbot, size
):
    window = make_window(db=bundled_copy)
    qtbot.waitUntil(window.pane.settled)
    frame = _frame(window)
    top, bottom = frame.margins(size)
    legend = legend_size(window.t, frame.font, size.width() - 16)
    assert legend.width() <= size.width() - 16  # never wider than the picture
    rows = 5 if size.width() >= 1024 else 7  # wrapped onto a few lines, not one long column
    assert legend.height() <= 22 * rows + 12
    assert top + bottom < size.height() * 0.6  # the timeline keeps most of the picture
    out = tmp_path / "v.png"
    assert window.transfer.write_view(out, size, 96, legend=True) == out
    image = QImage(str(out))
    assert (image.width(), image.height()) == (size.width(), size.height())
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h = gray.width(), gray.height()
    raw = np.frombuffer(gray.constBits(), np.uint8, count=gray.bytesPerLine() * h)
    pixels = raw.reshape(h, gray.bytesPerLine())[:, :w]
    strip = pixels[h - bottom + 4 : h - 4]
    assert (strip < 120).sum() > 200  # the legend's words and marks are there, under the view
    assert (pixels[h - 2 :] < 120).sum() == 0  # and nothing runs off the bottom edge


def test_the_pictures_heading_is_the_projects_title(make_window, bundled_copy, tmp_path, qtbot):
    window = make_window(db=bundled_copy)
    qtbot.waitUntil(window.pane.settled)
    title = window.ws.title
    assert title != bundled_copy.stem
    out = window.transfer.write_view(tmp_path / "v.svg", QSize(1200, 700), 96, legend=True)
    assert out is not None
    root = ET.parse(out).getroot()
    assert root.find(f"{SVG}title").text == title
    words = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert any(w.startswith(f"{title} — ") for w in words)


def test_the_export_dialog_starts_from_the_last_choice(window, tmp_path, qtbot, settings):
    dialog = window.transfer.export_view()
    dialog.kind.setCurrentIndex(1)  # SVG
    dialog.width_px.setValue(1024)
    dialog.height_px.setValue(640)
    dialog.dpi.setValue(150)
    dialog.legend.setChecked(True)
    dialog.path.setText(str(tmp_path / "figure.svg"))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: (tmp_path / "figure.svg").exists())
    again = window.transfer.export_view()
    assert str(again.kind.currentData()) == ".svg"
    assert again.chosen_path().suffix == ".svg"
    assert again.picture_size() == QSize(1024, 640)
    assert again.dpi.value() == 150 and again.legend.isChecked()
    again.reject()
    assert settings.value("export_view/width") is not None  # kept in the settings


def _exported_svg(make_window, bundled_copy, tmp_path, qtbot):
    window = make_window(db=bundled_copy)
    window.resize(1024, 700)
    qtbot.wait(50)
    window.timeline.fit_all()
    qtbot.waitUntil(window.pane.settled)
    out = window.transfer.write_view(tmp_path / "v.svg", QSize(1024, 600), 96, legend=True)
    assert out is not None
    return out


def test_the_svgs_plot_is_clipped_to_the_plot_and_the_whole_to_the_picture(
    make_window, bundled_copy, tmp_path, qtbot
):
    out = _exported_svg(make_window, bundled_copy, tmp_path, qtbot)
    root = ET.parse(out).getroot()
    clips = {c.get("id"): c.find(f"{SVG}rect") for c in root.iter(f"{SVG}clipPath")}
    plot = clips["explorer-plot"]
    picture = clips["explorer-picture"]
    assert [float(picture.get(k)) for k in ("x", "y", "width", "height")] == [0, 0, 1024, 600]
    x, y, w, h = (float(plot.get(k)) for k in ("x", "y", "width", "height"))
    assert x > 40 and x + w <= 1024 and y >= 0 and y + h < 600
    group = next(g for g in root.iter(f"{SVG}g") if g.get("clip-path") == "url(#explorer-plot)")
    assert len(list(group.iter(f"{SVG}path"))) > 20  # the events' marks and labels
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))  # the two drawings' gradients stay apart


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert is missing")
def test_nothing_in_the_svg_lies_past_its_edges(make_window, bundled_copy, tmp_path, qtbot):
    # drawn by librsvg over a canvas 60 px larger on each side than the picture: no ink
    # outside the picture (Qt's SVG generator ignores clipping: the statements' links
    # and marks past the plot's edge used to run off the picture)
    out = _exported_svg(make_window, bundled_copy, tmp_path, qtbot)
    text = out.read_text(encoding="utf-8")
    m = 60
    text = re.sub(
        r'viewBox="0 0 1024 600"', f'viewBox="{-m} {-m} {1024 + 2 * m} {600 + 2 * m}"', text
    )
    text = re.sub(r'(<svg[^>]*?)\swidth="[^"]*"', rf'\1 width="{1024 + 2 * m}"', text, count=1)
    text = re.sub(r'(<svg[^>]*?)\sheight="[^"]*"', rf'\1 height="{600 + 2 * m}"', text, count=1)
    big = tmp_path / "big.svg"
    big.write_text(text, encoding="utf-8")
    png = tmp_path / "big.png"
    subprocess.run(["rsvg-convert", str(big), "-o", str(png)], check=True, timeout=60)
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_ARGB32)
    assert (image.width(), image.height()) == (1024 + 2 * m, 600 + 2 * m)
    alpha = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)[..., 3]
    inside = np.zeros(alpha.shape, bool)
    inside[m : m + 600, m : m + 1024] = True
    assert int((alpha[~inside] > 20).sum()) == 0
    assert int((alpha[inside] > 20).sum()) > 1000
