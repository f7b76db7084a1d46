"""The window's actions in one table: name (also the key of its words in ui.i18n), keys,
menu. The window gives each a slot; menus, tooltips and their language come from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenuBar

from explorer.ui.i18n import Translator

Key = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class Spec:
    name: str
    menu: str  # file, edit, view, go, help; "" for none
    keys: tuple[Key, ...] = ()
    group: int = 0  # a separator goes between groups of one menu
    text_key: str | None = None  # its words, when not under its name


SPECS = (
    Spec("import_file", "file", ("Ctrl+I",), 0),
    Spec("import_article", "file", (), 0),
    Spec("export_view", "file", (), 0),
    Spec("export_data", "file", (), 0),
    Spec("export_notes", "file", (), 1),
    Spec("import_notes", "file", (), 1),
    Spec("show_conflicts", "file", (), 1),
    Spec("backup_now", "file", (), 2),
    Spec("restore_backup", "file", (), 2),
    Spec("preferences", "file", (QKeySequence.StandardKey.Preferences,), 2),
    Spec("quit", "file", (QKeySequence.StandardKey.Quit,), 3),
    Spec("undo", "edit", (QKeySequence.StandardKey.Undo,), 0),
    Spec("redo", "edit", ("Ctrl+Shift+Z", "Ctrl+Y"), 0),
    Spec("new_note", "edit", ("Ctrl+N",), 0),
    Spec("new_own_event", "edit", ("Ctrl+Shift+N",), 1),
    Spec("new_own_entity", "edit", (), 1),
    Spec("new_own_source", "edit", (), 1),
    Spec("fit_all", "view", ("Ctrl+0",), 0),
    Spec("zoom_in", "view", ("Ctrl++", "Ctrl+="), 0),
    Spec("zoom_out", "view", ("Ctrl+-",), 0),
    Spec("focus_search", "view", ("Ctrl+F",), 1, "sc_search"),
    Spec("focus_entities", "view", ("Ctrl+E",), 1, "sc_entities"),
    # the linked views' docks (ui.views connects and checks them)
    Spec("show_network", "view", ("Ctrl+Shift+1",), 2),
    Spec("show_map", "view", ("Ctrl+Shift+2",), 2),
    Spec("show_lifelines", "view", ("Ctrl+Shift+3",), 2),
    Spec("show_table", "view", ("Ctrl+Shift+4",), 2),
    Spec("back", "go", ("Alt+Left",), 0),
    Spec("forward", "go", ("Alt+Right",), 0),
    Spec("clear_selection", "go", ("Esc",), 0),
    Spec("shortcuts", "help", ("F1",), 0),
    Spec("about", "help", (), 0),
)
MENUS = ("file", "edit", "view", "go", "help")


class Actions:
    """The QActions of a window, by name, each connected to its slot."""

    def __init__(self, window: QMainWindow, slots: dict[str, Callable[[], object]]) -> None:
        self.by_name: dict[str, QAction] = {}
        for spec in SPECS:
            act = QAction(window)
            act.setObjectName(spec.name)
            slot = slots.get(spec.name)
            if slot is not None:  # else whoever owns the action connects it (ui.views)
                act.triggered.connect(lambda _=False, s=slot: s())
            if spec.keys:
                act.setShortcuts([QKeySequence(k) for k in spec.keys])
            window.addAction(act)
            self.by_name[spec.name] = act

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def retranslate(self, t: Translator) -> None:
        for spec in SPECS:
            act = self.by_name[spec.name]
            words = t(spec.text_key or spec.name)
            act.setText(words)
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()
            )
            act.setToolTip(f"{words} ({keys})" if keys else words)

    def build_menus(self, bar: QMenuBar, t: Translator) -> None:
        bar.clear()
        for menu_name in MENUS:
            menu = bar.addMenu(t(menu_name))
            group = None
            for spec in SPECS:
                if spec.menu != menu_name:
                    continue
                if group is not None and spec.group != group:
                    menu.addSeparator()
                group = spec.group
                menu.addAction(self.by_name[spec.name])
