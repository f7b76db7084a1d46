"""The bundled CJK font (resources/fonts/, a Noto Sans CJK KR subset): registering it with Qt
at start-up and building the UI font, so Korean and Chinese render without any CJK font
installed on the machine. Latin text keeps the platform's own UI family."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from explorer import paths

log = logging.getLogger(__name__)

FONT_SUFFIXES = frozenset({".otf", ".ttf", ".otc", ".ttc"})

# Font file -> the families Qt registered for it, so repeated calls never add a file twice.
_registered: dict[Path, list[str]] = {}


def fonts_dir() -> Path:
    """The folder holding the bundled font files and their licence."""
    return paths.resources_dir() / "fonts"


def bundled_font_files() -> list[Path]:
    """The bundled font files, sorted; empty when the folder is missing."""
    folder = fonts_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


def register_bundled_fonts() -> list[str]:
    """Add every bundled font to Qt's application fonts; return their family names.

    Safe to call more than once. Never raises: a missing folder or a file Qt rejects is
    logged as a warning and skipped. Needs a QGuiApplication (returns [] without one)."""
    if QGuiApplication.instance() is None:
        log.warning("no QGuiApplication yet: bundled fonts not registered")
        return []
    files = bundled_font_files()
    if not files:
        log.warning("no bundled fonts in %s: CJK text needs a system font", fonts_dir())
        return []
    families: list[str] = []
    for path in files:
        known = _registered.get(path)
        if known is None or not all(QFontDatabase.hasFamily(f) for f in known):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                log.warning("Qt could not load the bundled font %s", path)
                continue
            known = QFontDatabase.applicationFontFamilies(font_id)
            _registered[path] = known
        families.extend(f for f in known if f not in families)
    return families


def ui_font(point_size: float | None = None) -> QFont:
    """The platform's UI font with the bundled CJK families as fallback.

    Latin text is drawn in the platform family; Hangul and Han glyphs it lacks come from the
    bundled font before Qt's own fallback. Registers the bundled fonts if needed."""
    font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
    families = [f for f in font.families() if f] or [font.family()]
    families.extend(f for f in register_bundled_fonts() if f not in families)
    font.setFamilies(families)
    if point_size is not None:
        font.setPointSizeF(point_size)
    return font


def apply_app_font(app: QApplication) -> None:
    """Make `ui_font()` the application's default font."""
    app.setFont(ui_font())
