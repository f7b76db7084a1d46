"""The main window: the composition root. It opens the project's workspace, builds the
timeline, the panes, docks, toolbar and menus, and connects them to the workspace: views
listen to its `Changes`, and the user's actions go to its use cases. It holds no
application state of its own beyond its widgets, and never touches the database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.model import entity_list, labels
from explorer.model.changes import EVERYTHING, Changes
from explorer.model.exports import shown_event_ids
from explorer.model.filters import Filters
from explorer.model.session import Session
from explorer.model.timeline import DAY, GROUPINGS, TimelineRows
from explorer.model.workspace import Workspace
from explorer.store.errors import StoreError
from explorer.store.notes import Note, Target
from explorer.store.records import Event
from explorer.store.schema import ENTITY_KINDS
from explorer.ui import dialogs
from explorer.ui.actions import TIMELINE_KEYS, Actions
from explorer.ui.entity_browser import EntityBrowser
from explorer.ui.entity_pane import EntityPane
from explorer.ui.event_pane import EventPane
from explorer.ui.filters_panel import ActiveFiltersBar, FiltersPanel
from explorer.ui.i18n import LANGUAGES, Translator
from explorer.ui.notes_panel import NotesPanel
from explorer.ui.opening import open_workspace, store_message
from explorer.ui.periods_item import PeriodsItem, bands_of
from explorer.ui.post import Poster
from explorer.ui.projects_controller import ProjectsController
from explorer.ui.qt_translations import use_qt_translations
from explorer.ui.range_notes_item import RangeNote, RangeNotesItem
from explorer.ui.search_panel import SearchPanel
from explorer.ui.source_pane import SourcePane
from explorer.ui.timeline_pane import TimelinePane
from explorer.ui.timeline_style import make_style
from explorer.ui.timeline_tools import TimelineTools
from explorer.ui.transfer import Transfer
from explorer.ui.views import install_views
from explorer.ui.work_controller import WorkController, tell

log = logging.getLogger(__name__)


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


MIN_WIDTH, MIN_HEIGHT = 900, 580  # px: panes and timeline side by side; fits a 1024x700 laptop


class MainWindow(QMainWindow):
    work: WorkController
    _closed = False

    def __init__(
        self,
        session: Session,
        settings: QSettings | None = None,
        lang: str | None = None,
        work: Path | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        saved_lang = str(settings.value("lang", "ko")) if settings else "ko"
        self.t = Translator(lang or saved_lang)
        self.ws = self._open_workspace(session, work)
        ws = self.ws
        self.t.follow(lambda: self.ws.lang)
        self.category_colours = session.category_colours()  # a tool's own, when imported
        style = make_style(system_is_dark(), self.category_colours)
        self.pane = TimelinePane(ws, self.t, style)
        self.pane.sigPick.connect(self._pick)
        self.pane.sigApplied.connect(lambda _result: self._update_status())
        self.timeline = self.pane.view
        self.timeline.set_font(self.font())
        self.range_notes = RangeNotesItem(style.selected)
        self.range_notes.font = self.font()
        self.timeline.plot.addItem(self.range_notes, ignoreBounds=True)
        self.periods = PeriodsItem()  # eras, behind everything
        self.periods.font, self.periods.dark = self.font(), style.dark
        self.periods.set_bands(bands_of(session.periods()))
        self.timeline.plot.addItem(self.periods, ignoreBounds=True)
        self.periods.sigClicked.connect(lambda x0, x1: ws.center_on(x0, x1))
        self.filters_bar = ActiveFiltersBar(self.t)
        self.filters_bar.sigRemove.connect(lambda f, v: ws.set_filters(ws.filters.without(f, v)))
        self.filters_bar.sigClearAll.connect(lambda: ws.set_filters(Filters()))
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(self.filters_bar)
        cl.addWidget(self.pane)
        self.setCentralWidget(central)

        self.browser = EntityBrowser(ws, self.t)
        self.browser.sigEntityChosen.connect(self.select_entity)
        self.filters_panel = FiltersPanel(self.t)
        self.filters_panel.sigChanged.connect(
            lambda f: ws.set_filters(f, origin=self.filters_panel)
        )
        self.search_panel = SearchPanel(self.t)
        self.search_panel.sigChosen.connect(self._search_chosen)
        self.search_panel.sigMore.connect(lambda shown: self.run_search(offset=shown))
        self.notes_panel = NotesPanel(self.t)
        self.left_tabs = QTabWidget()
        self.left_tabs.setObjectName("leftTabs")
        for w in (self.browser, self.filters_panel, self.search_panel, self.notes_panel):
            self.left_tabs.addTab(w, "")
        self.left_dock = self._dock(
            "leftDock", self.left_tabs, Qt.DockWidgetArea.LeftDockWidgetArea
        )

        self.placeholder = QLabel()
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.event_pane = EventPane(self.t)
        self.event_pane.browser.sigLink.connect(self._link)
        self.entity_pane = EntityPane(self.t)
        self.entity_pane.header.sigLink.connect(self._link)
        self.entity_pane.companions.sigLink.connect(self._link)
        self.entity_pane.sigEventChosen.connect(lambda e: self.select_event(e, center=True))
        self.entity_pane.sigNoteOnClaim.connect(lambda c: self.work.new_note(Target("claim", c)))
        self.entity_pane.sigFilterToEntity.connect(
            lambda e: ws.set_filters(ws.filters.toggled("entities", e))
        )
        self.source_pane = SourcePane(self.t)
        self.source_pane.browser.sigLink.connect(self._link)
        self.details = QStackedWidget()
        self.details.setObjectName("details")
        for pane in (self.placeholder, self.event_pane, self.entity_pane, self.source_pane):
            self.details.addWidget(pane)
        self.right_dock = self._dock(
            "rightDock", self.details, Qt.DockWidgetArea.RightDockWidgetArea
        )

        self.status = QLabel()  # hidden while a message shows (one shown before the window
        self.statusBar().addWidget(self.status)  # is, too: Qt would draw both, overlapping)
        self.statusBar().messageChanged.connect(lambda m: self.status.setVisible(not m))
        self.work = WorkController(self, ws, self.t, settings, self.lock_message)
        self.notes_panel.sigChosen.connect(self.work.go_to_note)
        self.notes_panel.sigNew.connect(lambda: self.work.new_note())
        self.range_notes.sigClicked.connect(self.work.edit_note)
        self.transfer = Transfer(self)
        self.projects = ProjectsController(self, settings)
        self.action_table = Actions(self, self._slots())
        table = self.action_table
        self.act_back, self.act_forward = table["back"], table["forward"]
        self.act_undo, self.act_redo = table["undo"], table["redo"]
        self.act_fit, self.act_clear = table["fit_all"], table["clear_selection"]
        self._timeline_keys()
        self._build_toolbar()
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self.run_search)
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            lambda scheme: self.apply_color_scheme(scheme == Qt.ColorScheme.Dark)
        )
        ws.listeners.append(self._changed)
        self.fit_to_screen()
        self.tools = TimelineTools(self)  # docks' sizes, overview, go to date, legend
        self._changed(EVERYTHING)
        self.projects.restore()
        install_views(self)  # the linked views' docks (ui.views), remembered per project
        if said := store_message(session, self.t):  # a recovered copy, or upgraded
            self.statusBar().showMessage(said)
        elif ws.invalid_events:
            self.statusBar().showMessage(self.t("invalid_events", n=ws.invalid_events))
        elif ws.invalid_items:
            why = f"{ws.invalid_items[0].id}: {ws.invalid_items[0].problem}"
            self.statusBar().showMessage(self.t("invalid_items", n=len(ws.invalid_items), why=why))
        self._backup_at_start()

    # --- building ------------------------------------------------------------------------

    def fit_to_screen(self, width: int = 1440, height: int = 900) -> None:
        """A first size that fits the screen (a 1024×700 laptop's too), centred on it."""
        free = self.screen().availableGeometry()
        w, h = min(width, int(free.width() * 0.96)), min(height, int(free.height() * 0.92))
        self.setMinimumSize(min(MIN_WIDTH, w), min(MIN_HEIGHT, h))
        self.resize(w, h)
        self.move(free.x() + (free.width() - w) // 2, free.y() + (free.height() - h) // 2)

    def _open_workspace(self, session: Session, work: Path | None) -> Workspace:
        author = str(self.settings.value("author", "")) if self.settings else ""
        opened = open_workspace(session, work, author, self.t, "category")
        self.notes_lock, self.lock_message = opened.lock, opened.lock_message
        self.notes_read_only = opened.ws.notes_read_only is not None
        if opened.message:
            self.statusBar().showMessage(opened.message, 15000)
        opened.ws.read_in_background(Poster(self).post)  # a large project's slow reads
        return opened.ws

    def _dock(self, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget()
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(area, dock)
        return dock

    def _slots(self) -> dict[str, Callable[[], object]]:
        ws, work, tr, pr = self.ws, self.work, self.transfer, self.projects
        return {
            "new_project": lambda: pr.new_project(),
            "open_project": lambda: pr.open_project(),
            "close_project": pr.close_project,
            "import_file": lambda: tr.import_file(),
            "import_article": lambda: tr.import_article(),
            "export_view": lambda: tr.export_view(),
            "export_data": lambda: tr.export_data(),
            "export_notes": lambda: work.export_notes(),
            "import_notes": lambda: work.import_notes(),
            "show_conflicts": lambda: work.show_conflicts(),
            "backup_now": lambda: work.backup_now(),
            "restore_backup": lambda: work.show_backups(),
            "preferences": lambda: work.show_preferences(),
            "quit": self.close,
            "undo": work.undo,
            "redo": work.redo,
            "new_note": lambda: work.new_note(),
            "new_own_event": lambda: work.new_own("event"),
            "new_own_entity": lambda: work.new_own("entity"),
            "new_own_source": lambda: work.new_own("source"),
            "fit_all": self.fit_all,
            "zoom_in": self.timeline.zoom_in,
            "zoom_out": self.timeline.zoom_out,
            "focus_search": self._focus_search,
            "focus_entities": self._focus_entities,
            "back": ws.back,
            "forward": ws.forward,
            "clear_selection": self.clear_selection,
            "shortcuts": self.show_shortcuts,
            "about": lambda: dialogs.about(self, self.t, self.ws.path),
        }

    def _timeline_keys(self) -> None:
        """Keys that act on the timeline when it has focus (they mean other things elsewhere)."""
        plot = self.timeline.plot
        slots = {
            "zoom_in": self.timeline.zoom_in,
            "zoom_out": self.timeline.zoom_out,
            "fit_all": self.fit_all,
            "pan_left": lambda: self.timeline.pan(-0.1),
            "pan_right": lambda: self.timeline.pan(0.1),
        }
        for key, name, _words in TIMELINE_KEYS:
            sc = QShortcut(QKeySequence(key), plot, context=Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(slots[name])

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        for name in ("back", "forward", None, "fit_all", "zoom_in", "zoom_out", None):
            bar.addAction(self.action_table[name]) if name else bar.addSeparator()
        self.group_label = QLabel()
        bar.addWidget(self.group_label)
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupBy")
        self.group_combo.currentIndexChanged.connect(self._grouping_chosen)
        bar.addWidget(self.group_combo)
        bar.addSeparator()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(280)
        self.search_edit.textChanged.connect(lambda _: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_enter)
        bar.addWidget(self.search_edit)
        bar.addSeparator()
        self.lang_combo = QComboBox()
        self.lang_combo.setObjectName("language")
        for lang in LANGUAGES:
            self.lang_combo.addItem("", lang)
        self.lang_combo.setCurrentIndex(LANGUAGES.index(self.t.lang))
        self.lang_combo.currentIndexChanged.connect(
            lambda i: self.set_language(str(self.lang_combo.itemData(i)))
        )
        bar.addWidget(self.lang_combo)

    # --- following the workspace ---------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        ws = self.ws
        if changes.language:
            self.retranslate()
        if changes.catalog:
            self.filters_panel.set_catalog(ws.catalog, entity_list.categories(ws))
        if changes.catalog or changes.filters or changes.language:
            self.browser.rebuild()
        if changes.filters or changes.catalog or changes.language:
            if changes.origin is not self.filters_panel:
                self.filters_panel.filters = ws.filters
                self.filters_panel.retranslate()
            self.filters_bar.show_filters(ws.filters, self._chip_labels())
        if changes.grouping:
            self.group_combo.blockSignals(True)
            self.group_combo.setCurrentIndex(GROUPINGS.index(ws.grouping))
            self.group_combo.blockSignals(False)
        if changes.notes:
            self._show_notes()
        if changes.selection or changes.notes or changes.language:
            self._show_selection()
        if changes.history or changes.selection:
            self.act_back.setEnabled(ws.history.can_back)
            self.act_forward.setEnabled(ws.history.can_forward)
        if changes.undo or changes.notes:
            self.act_undo.setEnabled(ws.can_undo)
            self.act_redo.setEnabled(ws.can_redo)
        self._update_status()

    def _show_selection(self) -> None:
        ws = self.ws
        if ws.notice:  # a background read could not be done
            self.statusBar().showMessage(ws.notice, 8000)
            ws.notice = None
        self.placeholder.setText(self.t("reading_detail" if ws.pending else "nothing_selected"))
        if ws.event_detail is not None:
            found = ws.event_notes(ws.event_detail)
            self.event_pane.notes, self.event_pane.notes_about = self._about(found, "on_source")
            self.event_pane.show_event(ws.event_detail, ws.catalog)
            self.details.setCurrentWidget(self.event_pane)
        elif ws.source_detail is not None:
            self.source_pane.notes = ws.notes(Target("source", ws.source_detail.source.id))
            self.source_pane.show_source(ws.source_detail)
            self.details.setCurrentWidget(self.source_pane)
        elif ws.entity_detail is not None:
            found = ws.entity_notes(ws.entity_detail)
            self.entity_pane.notes, self.entity_pane.notes_about = self._about(found, "on_claim")
            self.entity_pane.show_entity(ws.entity_detail, ws.catalog)
            self.details.setCurrentWidget(self.entity_pane)
        else:
            self.details.setCurrentWidget(self.placeholder)

    def _about(
        self, found: tuple[list[Note], dict[str, str]] | None, key: str
    ) -> tuple[list[Note] | None, dict[str, str]]:
        """A pane's notes, and for those on a source or figure what they are on, in words."""
        if found is None:
            return None, {}
        listed, about = found
        return listed, {k: self.t(key, what=v) for k, v in about.items()}

    def _show_notes(self) -> None:
        listed = self.ws.notes()
        self.notes_panel.set_notes(listed, {n.id: self.work.target_label(n.target) for n in listed})
        self.range_notes.set_notes(
            [
                RangeNote(n.id, *self._range_of(n.target), " ".join(n.text.split())[:80])
                for n in listed
                if n.target.kind == "range" and n.target.problem is None
            ]
        )

    @staticmethod
    def _range_of(target: Target) -> tuple[float, float]:
        from explorer.model.timeline import epoch_seconds

        return epoch_seconds(str(target.start)), epoch_seconds(str(target.end)) + DAY

    def _chip_labels(self) -> dict[str, dict[str, str]]:
        cat, t = self.ws.catalog, self.t
        return {
            "categories": {c: t.category(c) for c in entity_list.categories(self.ws)},
            "kinds": {k: t.kind(k) for k in ENTITY_KINDS},
            "entities": self.ws.entity_names(self.ws.filters.entities),
            "sources": {s.id: s.publisher or s.title for s in cat.sources.values()},
        }

    def _update_status(self) -> None:
        ws, result = self.ws, self.pane.result
        total = ws.total_events + len(ws.own)
        if ws.resident or result is None:
            every = len(ws.catalog.events) if ws.resident else total
            shown = len(ws.visible) if ws.resident else total
            self.status.setText(self.t("events_shown", shown=f"{shown:,}", total=f"{every:,}"))
            return
        key = "events_in_view" + ("_filtered" if ws.filters.active else "")
        key += "_undrawn" if result.undrawn else ""  # long spans crowd it: not all drawn
        n, drawn = result.events_in_view, result.events_in_view - result.undrawn
        self.status.setText(self.t(key, shown=f"{n:,}", drawn=f"{drawn:,}", total=f"{total:,}"))

    def retranslate(self) -> None:
        t = self.t
        t.lang = self.ws.lang
        use_qt_translations(t.lang)
        self.setWindowTitle(f"{self.ws.title} — {t('app')}")
        self.action_table.retranslate(t)
        self.group_label.setText(f" {t('group_by')} ")
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        for g in GROUPINGS:
            self.group_combo.addItem(t(f"grouping_{g}"), g)
        self.group_combo.setCurrentIndex(GROUPINGS.index(self.ws.grouping))
        self.group_combo.blockSignals(False)
        self.lang_combo.blockSignals(True)
        for i, lang in enumerate(LANGUAGES):
            self.lang_combo.setItemText(i, t(f"lang_{lang}"))
        self.lang_combo.setCurrentIndex(LANGUAGES.index(t.lang))
        self.lang_combo.blockSignals(False)
        self.search_edit.setPlaceholderText(t("search_placeholder"))
        for i, key in enumerate(("entities", "filters", "search_results", "notes")):
            self.left_tabs.setTabText(i, t(key))
        self.left_dock.setWindowTitle(t("entities"))
        self.right_dock.setWindowTitle(t("details"))
        self.placeholder.setText(t("nothing_selected"))
        self.browser.retranslate()
        self.filters_panel.retranslate()
        self.notes_panel.retranslate()
        self.action_table.build_menus(
            self.menuBar(),
            t,
            {"open_project": self.projects.fill_recent, "zoom_out": self.projects.fill_layers},
        )

    def apply_color_scheme(self, dark: bool) -> None:
        """Follow the system's light or dark appearance (widgets follow Qt's palette; the
        timeline's own colours follow here)."""
        style = make_style(dark, self.category_colours)
        self.timeline.set_style(style)
        self.range_notes.color = style.selected
        self.range_notes.update()
        self.periods.dark = dark
        self.periods.update()

    # --- the user's actions --------------------------------------------------------------

    def _try(self, action: Callable[[], object]) -> None:
        try:
            action()
        except StoreError as exc:
            self.statusBar().showMessage(str(exc), 5000)

    def select_event(self, event_id: str, *, center: bool = False, record: bool = True) -> None:
        self._try(lambda: self.ws.select_event(event_id, center=center, record=record))

    def select_entity(self, entity_id: str, *, record: bool = True) -> None:
        self._try(lambda: self.ws.select_entity(entity_id, record=record))

    def clear_selection(self) -> None:
        self.ws.clear_selection()

    def fit_all(self) -> None:
        self.ws.fit_all()

    def set_filters(self, filters: Filters) -> None:
        self.ws.set_filters(filters)

    def set_grouping(self, grouping: str) -> None:
        self.ws.set_grouping(grouping)

    def set_language(self, lang: str) -> None:
        self.ws.set_language(lang)

    def _grouping_chosen(self, index: int) -> None:
        grouping = self.group_combo.itemData(index)
        if grouping:
            self.ws.set_grouping(str(grouping))

    def _pick(self, events: list[Event]) -> None:
        """A group zooming cannot separate: list its events to pick from."""
        menu = QMenu(self)
        menu.setObjectName("pickEvent")
        for ev in events:
            act = menu.addAction(f"{labels.when(ev)}  {labels.label(ev, self.t.lang)}")
            act.triggered.connect(lambda _=False, e=ev.id: self.select_event(e))
        self.pick_menu = menu
        menu.popup(self.cursor().pos())

    def _link(self, scheme: str, target: str) -> None:
        work = self.work
        handlers: dict[str, Callable[[], object]] = {
            "entity": lambda: self.select_entity(target),
            "event": lambda: self.select_event(target, center=True),
            "note-add": lambda: work.new_note(),
            "note-add-source": lambda: work.new_note(Target("source", target)),
            "note-edit": lambda: work.edit_note(target),
            "note-delete": lambda: work.delete_note(target),
            "own-edit": lambda: work.edit_own(target),
            "own-delete": lambda: work.delete_own(target),
            "source": lambda: self._try(lambda: self.ws.select_source(target)),
            "filter-source": lambda: self.ws.set_filters(Filters(sources=frozenset({target}))),
        }
        if scheme in handlers:
            handlers[scheme]()

    def run_search(self, offset: int = 0) -> None:
        text = self.search_edit.text()
        if not text.strip():
            self.search_panel.show_error("")
            return
        try:
            result = self.ws.search(text, limit=100, offset=offset)
        except StoreError as exc:
            self.search_panel.show_error(str(exc))
            return
        self.search_panel.show_result(result, more=offset > 0)
        self.left_tabs.setCurrentWidget(self.search_panel)

    def _search_enter(self) -> None:
        self._search_timer.stop()
        self.run_search()
        self.search_panel.choose_current()

    def _search_chosen(self, kind: str, ref: str) -> None:
        if kind == "event":
            self.select_event(ref, center=True)
        elif kind == "entity":
            self.select_entity(ref)
        elif kind == "claim":
            self._try(lambda: self.ws.select_entity(self.ws.claim(ref).entity_id))
        elif kind == "source":  # its pane: what it is and what is taken from it
            self._try(lambda: self.ws.select_source(ref))

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _focus_entities(self) -> None:
        self.left_tabs.setCurrentWidget(self.browser)
        self.browser.setFocus()

    def show_shortcuts(self) -> QWidget:
        return dialogs.shortcuts(self, self.t, self.shortcut_rows())

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return self.action_table.shortcut_rows(self.t)

    def _tell(self, message: str) -> None:
        tell(self, self.t, self.statusBar(), message)

    # --- what tests and exports read -----------------------------------------------------

    @property
    def rows(self) -> TimelineRows | None:
        result = self.pane.result
        return result.rows if result is not None else None

    @property
    def event_ids(self) -> list[str]:
        """The id of each event of the view drawn now (rows.event indexes this list)."""
        result = self.pane.result
        return [e.id for e in result.events] if result is not None and result.events else []

    def shown_event_ids(self) -> list[str]:
        return shown_event_ids(self.ws)

    # --- settings ------------------------------------------------------------------------

    def _backup_at_start(self) -> None:
        ann = self.ws.annotations
        if ann is None or self.notes_read_only or not ann.list_notes(include_deleted=True):
            return
        try:
            ann.backup(keep=self.work.backups_keep())  # a rolling backup at every start
        except (StoreError, OSError) as exc:
            self.statusBar().showMessage(str(exc), 8000)

    def save_settings(self) -> None:
        self.projects.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:  # closed once already (the caller may have closed the project)
            super().closeEvent(event)
            return
        self._closed = True
        self._search_timer.stop()  # nothing may reach the project after this
        self.browser.stop()
        try:
            self.save_settings()
        except (StoreError, OSError) as exc:  # never lose the close over it
            log.warning("the project's view could not be saved: %s", exc)
        self.pane.shutdown()
        if self._changed in self.ws.listeners:
            self.ws.listeners.remove(self._changed)
        if self.ws.annotations is not None:
            self.ws.annotations.close()
            self.ws.annotations = None
        if self.notes_lock.isLocked():
            self.notes_lock.unlock()
        super().closeEvent(event)
