"""A frame of the timeline kept, to be drawn again moved.

A drag moves what is drawn and nothing else: the same plans, the same marks, at another
place. Drawing a view of 600 events call by call took 11 ms of Python a frame at 1600x900;
playing the calls back from a record about 2 ms, and drawing an image of them 0.5 ms. A
frame's drawing is recorded (a QPicture, played onto the device at once) with a key of
everything it was drawn from except where, reaching a quarter of the device's width past
either side of it. A later frame with the same key (a drag) plays the record moved by the
difference of where. On screen, once the event loop is idle an image is made of it (2-4 ms,
between frames rather than in one, and only for a drag: 9 MB at 1600x900), and the frames
after draw the image moved, to the whole pixel, until a drag goes past what the record
reaches; a picture written out (SVG, PNG at any resolution) is always drawn from the record.
What was hit-tested is moved with it (ui.timeline_hits). A density's frame is simpler to
draw than to record and play (its recording frame took 20-30 ms at 1600x900, drawing it
8-11): a drag's first frame draws it, and its image is drawn straight once the loop is idle
(`FrameRecord.later`), with no record.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QImage, QPainter, QPicture

#: A record reaches this share of the device's width past either side of it.
MARGIN = 0.25

#: a picture is being written out (see `writing_out`)
_WRITING = [False]

Reach = tuple[float, float]  # device pixels a drawing covers, from left to right
Draw = Callable[[QPainter, Reach], object]


@dataclass(frozen=True)
class _Later:
    """A frame to draw into an image once the loop is idle (`FrameRecord.later`)."""

    key: object
    at: float
    reach: tuple[int, int]
    size: tuple[int, float]  # the device's height and pixel ratio
    font: QFont
    hints: QPainter.RenderHint
    draw: Draw


class FrameRecord:
    def __init__(self) -> None:
        self._key: object = None
        self._picture: QPicture | None = None
        self._at = 0.0
        self._reach: tuple[int, int] = (0, 0)
        self._size = (0, 1.0)  # the device's height and pixel ratio when recorded
        self._image: QImage | None = None
        #: an image is asked for (a timer of the record's own, freed by the collector on
        #: another thread, made Qt warn: Qt's single shot lives and dies on this thread)
        self._asked = False
        self._later_asked = False
        self._pending: _Later | None = None  # what `later` draws once the loop is idle
        self.played = 0  # frames drawn from a record
        self.recorded = 0  # frames drawn and recorded
        self.imaged = 0  # images made of a record

    def clear(self) -> None:
        self._key, self._picture, self._image = None, None, None
        self._pending = None

    def play(self, p: QPainter, key: object, at: float) -> float | None:
        """Draw the frame recorded with `key`, moved right by `at` less where it was
        recorded (an image of it to the whole pixel); returns by how much exactly. None:
        nothing is recorded for `key`, or not as far as the device now reaches."""
        device = p.device()
        if (self._picture is None and self._image is None) or key != self._key:
            return None
        if device is None:
            return None
        dx = at - self._at
        shift = round(dx)
        left, right = self._reach
        if -shift < left or device.width() - shift > right:
            return None
        size = (device.height(), device.devicePixelRatioF())
        on_screen = not _WRITING[0]  # never an image in a picture written out (an SVG's
        if on_screen and self._image is not None and self._size == size:  # text, a PNG
            p.drawImage(QPointF(left + shift, 0.0), self._image)  # at 300 dpi)
        elif self._picture is None:  # an image alone (`later`), of no use here
            return None
        else:
            p.save()
            p.translate(dx, 0.0)
            p.drawPicture(QPointF(0.0, 0.0), self._picture)
            p.restore()
            if on_screen and not self._asked:  # a drag has begun: an image for what follows
                self._image, self._size, self._asked = None, size, True  # (at this size)
                QTimer.singleShot(0, self.make_image)
        self.played += 1
        return dx

    def make_image(self) -> None:
        """An image of the record, for the frames after (done when the loop is idle)."""
        self._asked = False
        if self._picture is None or self._image is not None:
            return
        image, q = _blank(self._reach, self._size)
        q.drawPicture(QPointF(0.0, 0.0), self._picture)
        q.end()
        self._image = image
        self.imaged += 1

    def record(self, p: QPainter, at: float, draw: Draw) -> None:
        """Draw with `draw` (given a painter in `p`'s device pixels, with its font and
        hints, and the pixels to cover), record it and play it onto `p`; keep it at `at`
        for the key `draw` returns (compared by value; what it holds stays alive with it).
        A key of None keeps nothing."""
        self.clear()
        device = p.device()
        width = device.width() if device is not None else 0
        margin = math.ceil(width * MARGIN)
        reach = (-margin, width + margin)
        picture = QPicture()
        q = QPainter(picture)
        q.setFont(p.font())
        q.setRenderHints(p.renderHints())
        try:
            key = draw(q, (float(reach[0]), float(reach[1])))
        finally:
            q.end()
        p.drawPicture(QPointF(0.0, 0.0), picture)
        if key is not None:
            self._key, self._picture, self._at, self._reach = key, picture, at, reach
            self.recorded += 1

    def later(self, p: QPainter, at: float, key: object, draw: Draw) -> None:
        """Keep, for `key` at `at`, an image of what `draw` draws (given a painter in `p`'s
        device pixels, with its font and hints, and the pixels to cover), made once the
        loop is idle rather than in this frame: a frame drawn directly (the first of a
        drag) costs its drawing alone, where recording it there cost the drawing twice
        (recorded, then played). The frames after draw the image moved."""
        self.clear()
        device = p.device()
        if device is None:
            return
        width = device.width()
        margin = math.ceil(width * MARGIN)
        size = (device.height(), device.devicePixelRatioF())
        reach = (-margin, width + margin)
        self._pending = _Later(key, at, reach, size, QFont(p.font()), p.renderHints(), draw)
        if not self._later_asked:
            self._later_asked = True
            QTimer.singleShot(0, self._make_later)

    def _make_later(self) -> None:
        self._later_asked = False
        pending, self._pending = self._pending, None
        if pending is None:
            return
        image, q = _blank(pending.reach, pending.size)
        q.setFont(pending.font)
        q.setRenderHints(pending.hints)
        try:
            pending.draw(q, (float(pending.reach[0]), float(pending.reach[1])))
        finally:
            q.end()
        self._key, self._picture, self._image = pending.key, None, image
        self._at, self._reach, self._size = pending.at, pending.reach, pending.size
        self.imaged += 1


def _blank(reach: tuple[int, int], size: tuple[int, float]) -> tuple[QImage, QPainter]:
    """A transparent image of the device pixels `reach` (left, right) at `size` (height,
    pixel ratio), and a painter on it in the device's pixels."""
    left, right = reach
    height, ratio = size
    image = QImage(
        QSize(math.ceil((right - left) * ratio), math.ceil(height * ratio)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    q = QPainter(image)
    q.translate(-left, 0.0)
    return image, q


def writing() -> bool:
    """Whether a picture of the window is being written out (`writing_out`)."""
    return _WRITING[0]


@contextmanager
def writing_out() -> Iterator[None]:
    """While a picture of the window is written out (a widget rendered into an SVG or a
    PNG), frames are drawn from their records, never from an image (Qt paints such a
    widget as if on screen: an image there put raster where the SVG had text, and a PNG
    at 300 dpi at the screen's resolution)."""
    before, _WRITING[0] = _WRITING[0], True
    try:
        yield
    finally:
        _WRITING[0] = before
