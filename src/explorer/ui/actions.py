"""The window's actions in one table: name (also the key of its words in ui.i18n), keys,
menu. The window gives each a slot; menus, tooltips and their language come from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar

from explorer.ui.i18n import Translator

Key = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class Spec:
    name: str
    menu: str  # file, edit, view, go, help; "" for none
    keys: tuple[Key, ...] = ()
    group: int = 0  # a separator goes between groups of one menu
    text_key: str | None = None  # its words, when not under its name
    checkable: bool = False  # a setting shown with a tick (its slot gets connected to toggled)


SPECS = (
    Spec("new_project", "file", ("Ctrl+Shift+P",), -1),
    Spec("open_project", "file", (QKeySequence.StandardKey.Open,), -1),
    Spec("close_project", "file", (QKeySequence.StandardKey.Close,), -1),
    Spec("import_file", "file", ("Ctrl+I",), 0),
    Spec("import_article", "file", (), 0),
    Spec("export_view", "file", (), 0),
    Spec("export_data", "file", (), 0),
    Spec("export_notes", "file", (), 1),
    Spec("import_notes", "file", (), 1),
    Spec("show_conflicts", "file", (), 1),
    Spec("backup_now", "file", (), 2),
    Spec("restore_backup", "file", (), 2),
    Spec("preferences", "file", (QKeySequence.StandardKey.Preferences, "Ctrl+,"), 2),
    # Quit and Preferences have no standard keys on every Linux desktop: Ctrl+Q and Ctrl+,
    Spec("quit", "file", (QKeySequence.StandardKey.Quit, "Ctrl+Q"), 3),
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
    Spec("show_statements", "view", (), 2, checkable=True),
    Spec("show_legend", "view", (), 2),
    # the linked views' docks (ui.views connects and checks them)
    Spec("show_network", "view", ("Ctrl+Shift+1",), 2),
    Spec("show_map", "view", ("Ctrl+Shift+2",), 2),
    Spec("show_lifelines", "view", ("Ctrl+Shift+3",), 2),
    Spec("show_table", "view", ("Ctrl+Shift+4",), 2),
    Spec("back", "go", ("Alt+Left",), 0),
    Spec("forward", "go", ("Alt+Right",), 0),
    Spec("clear_selection", "go", ("Esc",), 0),
    Spec("go_to_date", "go", ("Ctrl+G",), 1),
    Spec("shortcuts", "help", ("F1",), 0),
    Spec("about", "help", (), 0),
)
MENUS = ("file", "edit", "view", "go", "help")
#: Keys that act on the timeline when it has focus (they mean other things elsewhere):
#: (key, what it does, the words that say so in the keys' help).
TIMELINE_KEYS = (
    ("+", "zoom_in", "sc_zoom"),
    ("=", "zoom_in", "sc_zoom"),
    ("-", "zoom_out", "sc_zoom"),
    ("Home", "fit_all", "sc_fit"),
    ("Left", "pan_left", "sc_pan"),
    ("Right", "pan_right", "sc_pan"),
)
#: Keys the timeline and the network read themselves (ui.timeline_access): listed as they are.
STEP_KEYS = (("Tab", "Shift+Tab", "Up", "Down"), "sc_step_events")
#: What the mouse does on the timeline (no key: listed in the help as they are).
GESTURES = ("sc_range", "sc_wheel")


def native(key: QKeySequence) -> str:
    return key.toString(QKeySequence.SequenceFormat.NativeText)


def key_sequences(keys: tuple[Key, ...]) -> list[QKeySequence]:
    """Every binding of each key, without repeats: a standard key brings all the platform's
    bindings (Close is Ctrl+F4 and Ctrl+W on Linux), not only its first."""
    found: list[QKeySequence] = []
    for k in keys:
        given = (
            QKeySequence.keyBindings(k)
            if isinstance(k, QKeySequence.StandardKey)
            else [QKeySequence(k)]
        )
        found += [s for s in given if not s.isEmpty() and s not in found]
    return found


class Actions:
    """The QActions of a window, by name, each connected to its slot."""

    def __init__(self, window: QMainWindow, slots: dict[str, Callable[[], object]]) -> None:
        self.by_name: dict[str, QAction] = {}
        for spec in SPECS:
            act = QAction(window)
            act.setObjectName(spec.name)
            act.setCheckable(spec.checkable)
            slot = slots.get(spec.name)  # others are connected later (see `connect`)
            if slot is not None:
                act.triggered.connect(lambda _=False, s=slot: s())
            if spec.keys:
                act.setShortcuts(key_sequences(spec.keys))
            window.addAction(act)
            self.by_name[spec.name] = act

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def connect(self, name: str, slot: Callable[[], object]) -> None:
        """Give an action its slot after the window was built (the timeline's tools)."""
        self.by_name[name].triggered.connect(lambda _=False: slot())

    def retranslate(self, t: Translator) -> None:
        for spec in SPECS:
            act = self.by_name[spec.name]
            words = t(spec.text_key or spec.name)
            act.setText(words)
            keys = ", ".join(native(k) for k in act.shortcuts())
            act.setToolTip(f"{words} ({keys})" if keys else words)

    def build_menus(
        self,
        bar: QMenuBar,
        t: Translator,
        submenus: dict[str, Callable[[QMenu], None]] | None = None,
    ) -> None:
        """The menu bar; `submenus` fills a submenu placed after the action of that name
        (Open recent after Open project)."""
        bar.clear()
        submenus = submenus or {}
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
                fill = submenus.get(spec.name)
                if fill is not None:
                    fill(menu)

    def shortcut_rows(self, t: Translator) -> list[tuple[str, str]]:
        """The keys' help (F1), from the keys themselves: every action's own shortcuts, then
        the timeline's keys, then what the mouse does."""
        keys_of: dict[str, list[str]] = {}  # words -> keys (one row for the same words)
        for spec in SPECS:
            keys = [native(k) for k in self.by_name[spec.name].shortcuts()]
            if keys:
                keys_of.setdefault(t(spec.text_key or spec.name), []).extend(keys)
        on_timeline: dict[str, list[str]] = {}
        for key, _slot, words in TIMELINE_KEYS:
            on_timeline.setdefault(t(words), []).append(native(QKeySequence(key)))
        for words, keys in on_timeline.items():  # the timeline's keys first, then the window's
            keys_of[words] = keys + keys_of.get(words, [])
        rows = [(", ".join(keys), words) for words, keys in keys_of.items()]
        step_keys, step_words = STEP_KEYS
        rows.append((", ".join(native(QKeySequence(k)) for k in step_keys), t(step_words)))
        return rows + [("", t(words)) for words in GESTURES]
