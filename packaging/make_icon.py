"""Draw the application icon and write it in the formats each platform wants:
resources/icons/explorer.png (1024 px; Linux and the window icon), explorer.ico (Windows,
16–256 px) and explorer.icns (macOS). Run once after changing the design; the files are
committed. Needs Qt (the app's own) and Pillow (a build requirement).

    python packaging/make_icon.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZE = 1024

# A timeline: a dark tile, three lanes of event bars in the timeline's own category colours,
# and a time axis with a marker, readable down to 16 px.
LANES = [
    (0.30, [(0.16, 0.36, "#3b7dd8"), (0.50, 0.62, "#3b7dd8")]),
    (0.47, [(0.26, 0.54, "#d65a31"), (0.66, 0.84, "#d65a31")]),
    (0.64, [(0.14, 0.30, "#2a9d8f"), (0.40, 0.74, "#2a9d8f")]),
]


def draw(size: int = SIZE) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    tile = QPainterPath()
    tile.addRoundedRect(QRectF(0.06 * s, 0.06 * s, 0.88 * s, 0.88 * s), 0.2 * s, 0.2 * s)
    p.fillPath(tile, QColor("#1f2a44"))
    bar = 0.085 * s
    for y, bars in LANES:
        for x0, x1, colour in bars:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(colour))
            p.drawRoundedRect(QRectF(x0 * s, y * s - bar / 2, (x1 - x0) * s, bar), bar / 3, bar / 3)
    p.setPen(QPen(QColor("#e8edf5"), 0.03 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(0.14 * s, 0.80 * s), QPointF(0.86 * s, 0.80 * s))
    for x in (0.26, 0.5, 0.74):
        p.drawLine(QPointF(x * s, 0.77 * s), QPointF(x * s, 0.83 * s))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#ffd166"))
    p.drawEllipse(QPointF(0.58 * s, 0.80 * s), 0.045 * s, 0.045 * s)
    p.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841 (Qt needs it to paint)
    OUT.mkdir(parents=True, exist_ok=True)
    png = OUT / "explorer.png"
    if not draw().save(str(png)):
        print(f"could not write {png}", file=sys.stderr)
        return 1
    image = Image.open(png).convert("RGBA")
    image.save(OUT / "explorer.ico", sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
    image.save(OUT / "explorer.icns")
    small = image.resize((256, 256), Image.Resampling.LANCZOS)
    small.save(OUT / "explorer-256.png")
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parents[1])}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
