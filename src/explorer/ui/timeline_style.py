"""The timeline's colours: each category's own (a tool's, when imported, kept readable), a
stable palette colour for any other, on a light or a dark background."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from PySide6.QtGui import QColor


@dataclass(frozen=True)
class Style:
    text: QColor
    background: QColor
    lane_stripe: QColor
    selected: QColor
    colors: dict[str, QColor]  # category -> colour
    dark: bool = False

    def color(self, category: str) -> QColor:
        """The category's colour: its own, else one of a fixed palette picked by its name
        (so a category from another tool keeps the same colour from run to run)."""
        known = self.colors.get(category)
        if known is not None:
            return QColor(known)
        if not category:
            return QColor(self.text)
        digest = hashlib.sha1(category.encode("utf-8")).digest()
        hue = QColor(_FALLBACK_HUES[digest[0] % len(_FALLBACK_HUES)])
        return hue.lighter(130) if self.dark else hue


_CATEGORY_HUES = {
    "conference": "#3b7dd8",
    "founding": "#d8572a",
    "launch": "#2a9d8f",
    "opening": "#8a5cc2",
    "policy": "#c2185b",
    "partnership": "#e09f3e",
    "visit": "#d62828",
    "deployment": "#43aa8b",
    "investment": "#6d597a",
    "media": "#7f8c8d",
}


_FALLBACK_HUES = ("#1b6ca8", "#b5651d", "#2e8b57", "#9c27b0", "#c0392b", "#00838f",
                  "#7a6c00", "#5c6bc0", "#ad1457", "#558b2f", "#6d4c41", "#0277bd")  # fmt: skip


def readable(colour: QColor, dark: bool) -> QColor:
    """The same hue, light or dark enough to stand out from the background (other tools
    favour pastel fills behind black text; here the colour marks small shapes)."""
    lightness = colour.lightnessF()
    if not dark and lightness > 0.6:
        return colour.darker(int(100 * lightness / 0.45))
    if dark and lightness < 0.4:
        return colour.lighter(int(100 * 0.55 / max(lightness, 0.1)))
    return colour


def make_style(dark: bool, custom: dict[str, str] | None = None) -> Style:
    """Colours for a light or dark background; `custom` colours (a project's own, from the
    tool it was imported from) come before Explorer's."""
    colors = {k: QColor(v).lighter(130) if dark else QColor(v) for k, v in _CATEGORY_HUES.items()}
    for name, value in (custom or {}).items():
        if QColor(value).isValid():
            colors[name] = readable(QColor(value), dark)
    if dark:
        return Style(
            QColor("#e6e6e6"),
            QColor("#1e1f22"),
            QColor(255, 255, 255, 10),
            QColor("#ffd166"),
            colors,
            dark=True,
        )
    return Style(
        QColor("#1d1d1f"), QColor("#ffffff"), QColor(0, 0, 0, 10), QColor("#f4a100"), colors
    )


__all__ = ["Style", "make_style", "readable"]
