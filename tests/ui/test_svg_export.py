"""An exported SVG looks like the PNG: its text is the outline of the glyphs the window
drew (no font is named, so no other machine substitutes one), at the PNG's size."""

import os
import shutil
import subprocess

import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from explorer.ui.transfer import render_view


def _gray(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
    return raw.reshape(h, image.bytesPerLine())[:, :w].astype(int)


def _alike(png: np.ndarray, svg: np.ndarray, exact: bool = True, ink: float = 0.1) -> None:
    """The same picture: as much ink (within `ink`), and when `exact` in the same place,
    pixel by pixel nearly equal."""
    assert png.shape == svg.shape
    ink_png, ink_svg = (png < 128).sum(), (svg < 128).sum()
    assert abs(ink_svg - ink_png) < ink * ink_png, (ink_png, ink_svg)
    if not exact:
        return
    rows_png, cols_png = np.nonzero(png < 128)
    rows_svg, cols_svg = np.nonzero(svg < 128)
    for a, b in ((rows_png, rows_svg), (cols_png, cols_svg)):
        assert abs(int(a.min()) - int(b.min())) <= 3 and abs(int(a.max()) - int(b.max())) <= 3
    assert np.abs(png - svg).mean() < 4.0


@pytest.fixture
def exported(make_window, bundled_copy, cjk_font, tmp_path, qtbot):
    window = make_window(db=bundled_copy, lang="ko")  # Hangul labels, the bundled font
    window.resize(1200, 800)
    qtbot.wait(50)  # the docks settle
    window.timeline.fit_all()
    qtbot.waitUntil(window.pane.settled)  # the view is drawn as it will be exported
    qtbot.wait(300)  # the entity list fills in the background; the docks settle after it
    view = window.timeline
    size = QSize(view.width() * 2, view.height() * 2)
    png, svg = tmp_path / "v.png", tmp_path / "v.svg"
    render_view(view, png, size, 192)
    render_view(view, svg, size, 192)
    return png, svg, size


def test_the_svg_names_no_font_and_draws_like_the_png(exported):
    png, svg, size = exported
    text = svg.read_text(encoding="utf-8")
    assert "<text" not in text and "font-family" not in text.split("</defs>")[-1]
    assert text.count("<path") > 50  # the labels, as outlines
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    # Qt's own SVG renderer (a tiny profile) draws frames and gradients its own way: only
    # the amount of ink is compared (text twice the PNG's size had three times as much)
    _alike(_gray(QImage(str(png))), _gray(image), exact=False, ink=0.2)


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs librsvg's rsvg-convert")
def test_librsvg_without_any_font_draws_it_like_the_png(exported, tmp_path):
    png, svg, size = exported
    # a fontconfig that knows no font at all: what a machine without ours could substitute
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig><cachedir>' + str(tmp_path) + "</cachedir></fontconfig>"
    )
    out = tmp_path / "rsvg.png"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    subprocess.run(
        ["rsvg-convert", "-w", str(size.width()), "-h", str(size.height()), "-b", "white",
         "-o", str(out), str(svg)],
        check=True, env=env, timeout=60,
    )  # fmt: skip
    _alike(_gray(QImage(str(png))), _gray(QImage(str(out))))
