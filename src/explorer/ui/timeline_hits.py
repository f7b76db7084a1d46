"""What the timeline drew where, in device pixels: for hovers and clicks, and for a label
to know whether it crosses a mark (then it gets a backing).

A label used to test every shape drawn before it: 200,000 tests a step on a view of
3,000 events. Shapes are filed here by bands of height, so a label tests only those beside
it.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QRectF

BAND = 16.0  # px: the height of a band shapes are filed in


class Hit(NamedTuple):
    """One thing drawn (a tuple: one is made per mark and label of every frame drawn)."""

    rect: QRectF  # device pixels
    rows: tuple[int, ...]  # row indices into TimelineRows
    label: bool = False  # a text label (these must never overlap each other)
    text: str = ""  # what a label says (as drawn: elided when it had no room)


class Hits(list[Hit]):
    """The hits of one paint, in the order they were drawn, filed by band of height."""

    def __init__(self) -> None:
        super().__init__()
        self._bands: dict[int, list[Hit]] = {}

    def append(self, hit: Hit) -> None:
        super().append(hit)
        for band in self._bands_of(hit.rect):
            self._bands.setdefault(band, []).append(hit)

    def crossing(self, rect: QRectF, rows: tuple[int, ...]) -> bool:
        """Whether `rect` crosses a hit of other rows."""
        seen: set[int] = set()
        for band in self._bands_of(rect):
            for hit in self._bands.get(band, ()):
                if id(hit) not in seen and hit.rows != rows and hit.rect.intersects(rect):
                    return True
                seen.add(id(hit))
        return False

    @staticmethod
    def _bands_of(rect: QRectF) -> range:
        return range(int(rect.top() // BAND), int(rect.bottom() // BAND) + 1)

    def moved(self, dx: float) -> Hits:
        """The same hits, `dx` pixels to the right (a recorded frame played moved)."""
        out = Hits()
        for hit in self:
            out.append(Hit(hit.rect.translated(dx, 0.0), hit.rows, hit.label, hit.text))
        return out

    def remapped(self, rows: dict[int, int]) -> Hits:
        """The hits of rows still there, by their indices in new rows (`rows`: old to new)."""
        out = Hits()
        for hit in self:
            if all(r in rows for r in hit.rows):
                out.append(Hit(hit.rect, tuple(rows[r] for r in hit.rows), hit.label, hit.text))
        return out
