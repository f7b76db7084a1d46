"""Qt's own strings (the buttons of standard dialogs, the file dialog, context menus) in the
interface language: Qt ships them as .qm catalogues; the Korean one is loaded while the
interface is Korean. Our own strings are in explorer.ui.i18n."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication

_installed: QTranslator | None = None


def use_qt_translations(lang: str) -> bool:
    """Install Qt's catalogue for `lang` (none is needed for English); True if one is in
    use. A missing catalogue is not an error: the standard dialogs stay in English."""
    global _installed
    app = QApplication.instance()
    if app is None:
        return False
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if lang == "en":
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{lang}", folder):
        return False
    app.installTranslator(translator)
    _installed = translator
    return True
