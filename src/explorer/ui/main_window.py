"""The main window: timeline in the middle, entities/filters/search on the left, details on
the right. It asks the Session for data and never touches the database itself."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QByteArray, QLockFile, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer import __version__, paths
from explorer.model import imported_notes
from explorer.model.annotations import Annotations, project_key
from explorer.model.catalog import Catalog
from explorer.model.filters import Filters, entity_counts, matching_events
from explorer.model.history import History, Selection
from explorer.model.own import add_own_events, own_entity_detail, own_event_detail, with_own
from explorer.model.own_view import own_marks
from explorer.model.session import Session
from explorer.model.timeline import (
    DAY,
    GROUPINGS,
    NO_LANE,
    TimelineRows,
    build_rows,
    epoch_seconds,
    iso_day,
)
from explorer.store.errors import StoreError
from explorer.store.merge import MergeReport
from explorer.store.notes import Note, Target
from explorer.store.records import EntityDetail, EventDetail
from explorer.ui.entity_browser import EntityBrowser, PagedEntityBrowser
from explorer.ui.entity_pane import EntityPane
from explorer.ui.event_pane import EventPane
from explorer.ui.filters_panel import ActiveFiltersBar, FiltersPanel
from explorer.ui.i18n import LANGUAGES, Translator
from explorer.ui.note_editor import NoteEditor
from explorer.ui.notes_panel import NotesPanel
from explorer.ui.own_dialogs import OwnEntityDialog, OwnEventDialog, OwnSourceDialog
from explorer.ui.periods_item import PeriodsItem, bands_of
from explorer.ui.qt_translations import use_qt_translations
from explorer.ui.range_notes_item import RangeNote, RangeNotesItem
from explorer.ui.scale_timeline import ScaleTimeline
from explorer.ui.search_panel import SearchPanel
from explorer.ui.timeline_item import make_style
from explorer.ui.timeline_view import TimelineView, tooltip_html
from explorer.ui.work_dialogs import BackupsDialog, ConflictsDialog, PreferencesDialog

#: In a large project, how many entities of each kind the own-event dialog offers.
LARGE_CHOICES = 1000
#: Above this many events a project is drawn a view at a time (see ScaleTimeline).
LARGE_PROJECT = 20_000
QUALIFIER_MARK = {"circa": "≈ ", "before": "≤ ", "after": "≥ "}


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


class MainWindow(QMainWindow):
    def __init__(
        self,
        session: Session,
        settings: QSettings | None = None,
        lang: str | None = None,
        work: Path | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        # A large project is never loaded whole: its timeline, entity list and counts come
        # from the store a view at a time (the overview pyramid, the R*Tree, entity_stats).
        self.total_events = session.event_count()
        self.large = self.total_events > LARGE_PROJECT
        self.base_catalog: Catalog = (
            Catalog.build([], [], [], session.sources(), [], [])
            if self.large
            else session.catalog()
        )
        self.highlight_entity: str | None = None
        self.catalog: Catalog = self.base_catalog
        self.event_ids: list[str] = [e.id for e in self.catalog.events]
        saved_lang = str(settings.value("lang", "ko")) if settings else "ko"
        self.t = Translator(lang or saved_lang)
        saved_grouping = str(settings.value("grouping", "category")) if settings else "category"
        self.grouping = saved_grouping if saved_grouping in GROUPINGS else "category"
        self.filters = Filters()
        self.visible: set[str] = set(self.event_ids)
        self.history = History()
        self.highlight: set[str] | None = None
        self.selected_event: str | None = None
        self.rows: TimelineRows = build_rows(self.catalog, self.grouping)

        self.scale: ScaleTimeline | None = None
        self.category_colours = session.category_colours()  # a tool's own, when imported
        style = make_style(system_is_dark(), self.category_colours)
        if self.large:
            self.scale = ScaleTimeline(str(session.path), self.t, style)
            self.scale.sigApplied.connect(lambda _result: self._view_applied())
            self.timeline = self.scale.view
        else:
            self.timeline = TimelineView(
                self._row_label,
                self._row_category,
                self._rows_tooltip,
                style,
            )
        self.timeline.set_font(self.font())
        self.timeline.item.many_label = lambda n: self.t("n_events", n=f"{n:,}")
        self.timeline.sigRowsClicked.connect(self._rows_clicked)
        self.range_notes = RangeNotesItem(style.selected)
        self.range_notes.font = self.font()
        self.timeline.plot.addItem(self.range_notes, ignoreBounds=True)
        self.periods = PeriodsItem()  # eras, behind everything
        self.periods.font, self.periods.dark = self.font(), style.dark
        self.periods.set_bands(bands_of(session.periods()))
        self.timeline.plot.addItem(self.periods, ignoreBounds=True)
        self.periods.sigClicked.connect(lambda x0, x1: self.timeline.center_on(x0, x1))
        self.range_notes.sigClicked.connect(lambda note_id: self.edit_note(note_id))
        self.filters_bar = ActiveFiltersBar(self.t)
        self.filters_bar.sigRemove.connect(
            lambda f, v: self.set_filters(self.filters.without(f, v))
        )
        self.filters_bar.sigClearAll.connect(lambda: self.set_filters(Filters()))
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(self.filters_bar)
        cl.addWidget(self.scale if self.scale is not None else self.timeline)
        self.setCentralWidget(central)

        self.browser: EntityBrowser | PagedEntityBrowser = (
            PagedEntityBrowser(self.t, session.kind_counts, session.top_entities)
            if self.large
            else EntityBrowser(self.t)
        )
        self.browser.sigEntityChosen.connect(self.select_entity)
        self.filters_panel = FiltersPanel(self.t)
        self.filters_panel.sigChanged.connect(self._filters_from_panel)
        self.search_panel = SearchPanel(self.t)
        self.search_panel.sigChosen.connect(self._search_chosen)
        self.notes_panel = NotesPanel(self.t)
        self.notes_panel.sigChosen.connect(self.go_to_note)
        self.notes_panel.sigNew.connect(lambda: self.new_note())
        self.left_tabs = QTabWidget()
        self.left_tabs.setObjectName("leftTabs")
        for w in (self.browser, self.filters_panel, self.search_panel, self.notes_panel):
            self.left_tabs.addTab(w, "")
        self.left_dock = QDockWidget()
        self.left_dock.setObjectName("leftDock")
        self.left_dock.setWidget(self.left_tabs)
        self.left_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.left_dock)

        self.placeholder = QLabel()
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.event_pane = EventPane(self.t)
        self.event_pane.browser.sigLink.connect(self._link)
        self.entity_pane = EntityPane(self.t)
        self.entity_pane.header.sigLink.connect(self._link)
        self.entity_pane.companions.sigLink.connect(self._link)
        self.entity_pane.sigEventChosen.connect(lambda e: self.select_event(e, center=True))
        self.entity_pane.sigNoteOnClaim.connect(lambda c: self.new_note(Target("claim", c)))
        self.entity_pane.sigFilterToEntity.connect(
            lambda e: self.set_filters(self.filters.toggled("entities", e))
        )
        self.details = QStackedWidget()
        self.details.setObjectName("details")
        for pane in (self.placeholder, self.event_pane, self.entity_pane):
            self.details.addWidget(pane)
        self.right_dock = QDockWidget()
        self.right_dock.setObjectName("rightDock")
        self.right_dock.setWidget(self.details)
        self.right_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.right_dock)

        self.status = QLabel()
        self.statusBar().addWidget(self.status)
        self.annotations: Annotations | None = None
        self._open_annotations(work)
        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self.run_search)

        self.browser.set_catalog(self.catalog, entity_counts(self.catalog, self.visible))
        self.filters_panel.set_catalog(self.catalog)
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            lambda scheme: self.apply_color_scheme(scheme == Qt.ColorScheme.Dark)
        )
        self.resize(1440, 900)
        self.resizeDocks([self.left_dock, self.right_dock], [280, 400], Qt.Orientation.Horizontal)
        self.retranslate()
        self._refresh_rows()
        self._restore()
        if session.store.warning:  # a crashed writer's file, shown as a recovered copy
            self.statusBar().showMessage(session.store.warning)

    # --- building ------------------------------------------------------------------------

    def _action(
        self, name: str, slot: object, *keys: QKeySequence | QKeySequence.StandardKey | str
    ) -> QAction:
        act = QAction(self)
        act.setObjectName(name)
        act.triggered.connect(slot)
        if keys:
            act.setShortcuts([QKeySequence(k) for k in keys])
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.act_back = self._action("back", self.go_back, "Alt+Left")
        self.act_forward = self._action("forward", self.go_forward, "Alt+Right")
        self.act_fit = self._action("fit_all", self.fit_all, "Ctrl+0")
        self.act_zoom_in = self._action("zoom_in", self.timeline.zoom_in, "Ctrl++", "Ctrl+=")
        self.act_zoom_out = self._action("zoom_out", self.timeline.zoom_out, "Ctrl+-")
        self.act_clear = self._action("clear_selection", self.clear_selection, "Esc")
        self.act_search = self._action("focus_search", self._focus_search, "Ctrl+F")
        self.act_entities = self._action("focus_entities", self._focus_entities, "Ctrl+E")
        self.act_shortcuts = self._action("shortcuts", self.show_shortcuts, "F1")
        self.act_undo = self._action("undo", self.undo, QKeySequence.StandardKey.Undo)
        self.act_redo = self._action("redo", self.redo, "Ctrl+Shift+Z", "Ctrl+Y")
        self.act_new_note = self._action("new_note", lambda: self.new_note(), "Ctrl+N")
        self.act_new_own_event = self._action(
            "new_own_event", lambda: self.new_own("event"), "Ctrl+Shift+N"
        )
        self.act_new_own_entity = self._action("new_own_entity", lambda: self.new_own("entity"))
        self.act_new_own_source = self._action("new_own_source", lambda: self.new_own("source"))
        self.act_export_notes = self._action("export_notes", lambda: self.export_notes())
        self.act_import_notes = self._action("import_notes", lambda: self.import_notes())
        self.act_conflicts = self._action("show_conflicts", lambda: self.show_conflicts())
        self.act_backup = self._action("backup_now", lambda: self.backup_now())
        self.act_restore = self._action("restore_backup", lambda: self.show_backups())
        from explorer.ui.transfer import Transfer

        self.transfer = Transfer(self)
        self.act_preferences = self._action(
            "preferences", lambda: self.show_preferences(), QKeySequence.StandardKey.Preferences
        )
        self.act_about = self._action("about", self._about)
        self.act_quit = self._action("quit", self.close, QKeySequence.StandardKey.Quit)
        # Keys that act on the timeline when it has focus (they mean other things elsewhere).
        plot = self.timeline.plot
        for key, slot in (
            ("+", self.timeline.zoom_in),
            ("=", self.timeline.zoom_in),
            ("-", self.timeline.zoom_out),
            ("Home", self.fit_all),
            ("Left", lambda: self.timeline.pan(-0.1)),
            ("Right", lambda: self.timeline.pan(0.1)),
        ):
            sc = QShortcut(QKeySequence(key), plot, context=Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(slot)
        self._update_history_actions()

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        for act in (self.act_back, self.act_forward):
            bar.addAction(act)
        bar.addSeparator()
        for act in (self.act_fit, self.act_zoom_in, self.act_zoom_out):
            bar.addAction(act)
        bar.addSeparator()
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

    def _build_menus(self) -> None:
        self.menuBar().clear()
        t = self.t
        m = self.menuBar().addMenu(t("file"))
        for act in self.transfer.actions():
            m.addAction(act)
        m.addSeparator()
        for act in (self.act_export_notes, self.act_import_notes, self.act_conflicts):
            m.addAction(act)
        m.addSeparator()
        for act in (self.act_backup, self.act_restore, self.act_preferences):
            m.addAction(act)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = self.menuBar().addMenu(t("edit"))
        for act in (self.act_undo, self.act_redo, self.act_new_note):
            m.addAction(act)
        m.addSeparator()
        for act in (self.act_new_own_event, self.act_new_own_entity, self.act_new_own_source):
            m.addAction(act)
        m = self.menuBar().addMenu(t("view"))
        for act in (self.act_fit, self.act_zoom_in, self.act_zoom_out):
            m.addAction(act)
        m.addSeparator()
        m.addAction(self.act_search)
        m.addAction(self.act_entities)
        m = self.menuBar().addMenu(t("go"))
        for act in (self.act_back, self.act_forward, self.act_clear):
            m.addAction(act)
        m = self.menuBar().addMenu(t("help"))
        m.addAction(self.act_shortcuts)
        m.addAction(self.act_about)

    def retranslate(self) -> None:
        t = self.t
        use_qt_translations(t.lang)
        self.setWindowTitle(f"{t('app')} — {self.session.path.name}")
        for act in (
            self.act_back,
            self.act_forward,
            self.act_fit,
            self.act_zoom_in,
            self.act_zoom_out,
            self.act_clear,
            self.act_shortcuts,
            self.act_about,
            self.act_quit,
            self.act_undo,
            self.act_redo,
            self.act_new_note,
            self.act_new_own_event,
            self.act_new_own_entity,
            self.act_new_own_source,
            self.act_export_notes,
            self.act_import_notes,
            self.act_conflicts,
            self.act_backup,
            self.act_restore,
            self.act_preferences,
            *self.transfer.actions(),
        ):
            act.setText(t(act.objectName()))
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()
            )
            act.setToolTip(f"{t(act.objectName())} ({keys})" if keys else t(act.objectName()))
        self.act_search.setText(t("sc_search"))
        self.act_entities.setText(t("sc_entities"))
        self.group_label.setText(f" {t('group_by')} ")
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        for g in GROUPINGS:
            self.group_combo.addItem(t(f"grouping_{g}"), g)
        self.group_combo.setCurrentIndex(GROUPINGS.index(self.grouping))
        self.group_combo.blockSignals(False)
        for i, lang in enumerate(LANGUAGES):
            self.lang_combo.setItemText(i, t(f"lang_{lang}"))
        self.search_edit.setPlaceholderText(t("search_placeholder"))
        for i, key in enumerate(("entities", "filters", "search_results", "notes")):
            self.left_tabs.setTabText(i, t(key))
        self.left_dock.setWindowTitle(t("entities"))
        self.right_dock.setWindowTitle(t("details"))
        self.placeholder.setText(t("nothing_selected"))
        self.browser.retranslate()
        self.filters_panel.retranslate()
        self.notes_panel.retranslate()
        self.event_pane.refresh()
        self.entity_pane.refresh()
        self._build_menus()
        self._update_status()

    def apply_color_scheme(self, dark: bool) -> None:
        """Follow the system's light or dark appearance (widgets follow Qt's palette; the
        timeline's own colours follow here)."""
        style = make_style(dark, self.category_colours)
        self.timeline.set_style(style)
        self.range_notes.color = style.selected
        self.range_notes.update()
        self.periods.dark = dark
        self.periods.update()

    # --- timeline content ----------------------------------------------------------------

    def _lane_name(self, key: str) -> str:
        if key == NO_LANE:
            return self.t("lane_none")
        if self.grouping == "category":
            return self.t.category(key)
        if self.grouping == "entity_kind":
            return self.t.kind(key)
        if self.grouping == "place":
            info = self.catalog.entities.get(key)
            return info.display_name(self.t.lang) if info else key
        src = self.catalog.sources.get(key)
        return (src.publisher or src.title) if src else key

    def fit_all(self) -> None:
        """Show the whole project."""
        if self.scale is None:
            self.timeline.fit_all()
            return
        extent = self.session.extent()
        if extent is not None:
            x0, x1 = extent[0] * DAY, (extent[1] + 1) * DAY
            pad = max((x1 - x0) * 0.03, 15 * DAY)
            self.timeline.set_range(x0 - pad, x1 + pad)

    def _refresh_rows(self) -> None:
        if self.scale is not None:
            self.scale.set_grouping(self.grouping)
            self._update_status()
            return
        self.rows = build_rows(self.catalog, self.grouping, self.visible)
        self.timeline.set_rows(self.rows, [self._lane_name(lane.key) for lane in self.rows.lanes])
        self._apply_marks()
        self._update_status()

    def _shown_rows(self) -> tuple[TimelineRows, list[str]] | None:
        """The rows on the timeline now and the event id of each (None in density view)."""
        if self.scale is None:
            return self.rows, [self.event_ids[e] for e in self.rows.event.tolist()]
        result = self.scale.result
        if result is None or result.rows is None or result.events is None:
            return None
        events = result.events
        return result.rows, [events[e].id for e in result.rows.event.tolist()]

    def _view_applied(self) -> None:
        self._apply_marks()
        self._update_status()

    def _apply_marks(self) -> None:
        shown = self._shown_rows()
        if shown is None:
            return
        _rows, ids = shown
        highlight = self.highlight
        if self.scale is not None and self.highlight_entity is not None:
            highlight = self.session.linked(self.highlight_entity, sorted(set(ids)))
            highlight |= self.catalog.entity_events.get(self.highlight_entity, set())
        self.timeline.item.set_dimmed(
            None if highlight is None else np.array([i not in highlight for i in ids], dtype=bool)
        )
        noted = self._noted_events()
        self.timeline.item.set_noted(np.array([i in noted for i in ids], dtype=bool))
        sel = self.selected_event
        self.timeline.item.set_selected(
            {r for r, i in enumerate(ids) if i == sel} if sel else set()
        )

    def _row_event(self, row: int) -> str:
        return self.event_ids[int(self.rows.event[row])]

    def _row_label(self, row: int) -> str:
        ev = self.catalog.events[int(self.rows.event[row])]
        mine = "✎ " if ev.origin == "own" else ""
        return (
            mine + QUALIFIER_MARK.get(ev.qualifier, "") + self.catalog.event_title(ev, self.t.lang)
        )

    def _row_category(self, row: int) -> str:
        return self.catalog.events[int(self.rows.event[row])].category

    def _rows_tooltip(self, rows: tuple[int, ...]) -> str:
        events = [self.catalog.events[int(self.rows.event[r])] for r in rows]
        if len(events) == 1:
            ev = events[0]
            when = f"{ev.start}{' – ' + ev.end if ev.end else ''}"
            words = f" · “{ev.date_text}”" if ev.date_text else ""
            return tooltip_html(
                [
                    self.catalog.event_title(ev, self.t.lang),
                    f"{when}{words}",
                    self.t.category(ev.category),
                ]
            )
        lines = [self.t("events_in_group", n=len(events))]
        lines += [f"{e.start}  {self.catalog.event_title(e, self.t.lang)}" for e in events[:12]]
        if len(events) > 12:
            lines.append("…")
        return tooltip_html(lines)

    def _rows_clicked(self, rows: tuple[int, ...]) -> None:
        shown = self._shown_rows()
        if shown is None:
            return
        timeline_rows, ids = shown
        if len(rows) == 1:
            self.select_event(ids[rows[0]])
            return
        x0 = float(min(timeline_rows.x0[list(rows)]))
        x1 = float(max(timeline_rows.x1[list(rows)]))
        pad = max((x1 - x0) * 0.15, DAY)
        self.timeline.set_range(x0 - pad, x1 + pad)

    # --- selection -----------------------------------------------------------------------

    def select_event(self, event_id: str, *, center: bool = False, record: bool = True) -> None:
        try:
            if event_id.startswith("u-"):
                if self.annotations is None:
                    return
                detail = own_event_detail(self.annotations.item(event_id), self.catalog)
            else:
                detail = self.session.event(event_id)
        except StoreError as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return
        self.selected_event = event_id
        if self.highlight is not None and event_id not in self.highlight:
            self.highlight = None  # never dim what the user just selected
        if self.highlight_entity is not None and not (
            self.session.linked(self.highlight_entity, [event_id])
            or (self.highlight is not None and event_id in self.highlight)
        ):
            self.highlight_entity = None
        self._set_event_notes(detail)
        self.event_pane.show_event(detail, self.catalog)
        self.details.setCurrentWidget(self.event_pane)
        if record:
            self.history.visit(Selection("event", event_id))
        if center:
            ev = detail.event
            self.timeline.center_on(ev.t0, ev.t1)
        self._apply_marks()
        self._update_history_actions()

    def select_entity(self, entity_id: str, *, record: bool = True) -> None:
        try:
            if entity_id.startswith("u-"):
                if self.annotations is None:
                    return
                detail = own_entity_detail(self.annotations.item(entity_id), self.catalog)
            else:
                detail = add_own_events(self.session.entity(entity_id), self.catalog)
        except StoreError as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return
        self.highlight = set(self.catalog.entity_events.get(entity_id, set()))
        self.highlight_entity = entity_id
        self.selected_event = None
        self._set_entity_notes(detail)
        self.entity_pane.show_entity(detail, self.catalog)
        self.details.setCurrentWidget(self.entity_pane)
        if record:
            self.history.visit(Selection("entity", entity_id))
        self._apply_marks()
        self._update_history_actions()

    def clear_selection(self) -> None:
        self.highlight = None
        self.highlight_entity = None
        self.selected_event = None
        self.history.clear_current()
        self.details.setCurrentWidget(self.placeholder)
        self._apply_marks()
        self._update_history_actions()

    def _show(self, sel: Selection | None) -> None:
        if sel is None:
            return
        if sel.kind == "event":
            self.select_event(sel.id, center=True, record=False)
        else:
            self.select_entity(sel.id, record=False)

    def go_back(self) -> None:
        if self.history.can_back:
            self._show(self.history.back())

    def go_forward(self) -> None:
        if self.history.can_forward:
            self._show(self.history.forward())

    def _update_history_actions(self) -> None:
        self.act_back.setEnabled(self.history.can_back)
        self.act_forward.setEnabled(self.history.can_forward)

    def _link(self, scheme: str, target: str) -> None:
        if scheme == "entity":
            self.select_entity(target)
        elif scheme == "event":
            self.select_event(target, center=True)
        elif scheme == "note-add":
            self.new_note()
        elif scheme == "note-add-source":
            self.new_note(Target("source", target))
        elif scheme == "note-edit":
            self.edit_note(target)
        elif scheme == "note-delete":
            self.delete_note(target)
        elif scheme == "own-edit":
            self.edit_own(target)
        elif scheme == "own-delete":
            self.delete_own(target)

    # --- notes -----------------------------------------------------------------------------

    def _open_annotations(self, work: Path | None) -> None:
        author = str(self.settings.value("author", "")) if self.settings else ""
        path = work or paths.work_file(project_key(self.session))
        self.notes_read_only = False
        self.notes_lock = QLockFile(f"{path}.lock")
        self.notes_lock.setStaleLockTime(0)  # a dead holder's lock is stale; age is not
        path.parent.mkdir(parents=True, exist_ok=True)
        if not self.notes_lock.tryLock(200):
            info = self.notes_lock.getLockInfo()  # (pid, host, app) when readable
            pid = info[0] if isinstance(info, tuple) and info else "?"
            self.notes_read_only = True
            self.lock_message = self.t("notes_locked", pid=pid)
            self.statusBar().showMessage(self.lock_message)
        try:  # notes an import left waiting in the project are merged first (idempotent)
            imported_notes.deliver(self.session.store, path)
        except StoreError as exc:
            self.statusBar().showMessage(str(exc), 15000)
        try:
            self.annotations = Annotations.open(self.session, path, author or None)
        except StoreError as exc:
            self.annotations = None
            self.statusBar().showMessage(self.t("notes_unavailable", why=str(exc)))
            return
        self.annotations.listeners.append(self._notes_changed)
        keep = self._backups_keep()
        if not self.notes_read_only and self.annotations.list_notes(include_deleted=True):
            try:
                self.annotations.backup(keep=keep)  # a rolling backup at every start
            except (StoreError, OSError) as exc:
                self.statusBar().showMessage(str(exc), 8000)
        self._notes_changed()

    def _notes_on(self, target: Target) -> list[Note] | None:
        if self.annotations is None:
            return None
        return self.annotations.list_notes(target=target)

    def _set_event_notes(self, detail: EventDetail) -> None:
        """The pane's notes: on the event, then on each of its sources (labelled)."""
        own = self._notes_on(Target("event", detail.event.id))
        if own is None:
            self.event_pane.notes = None
            return
        about: dict[str, str] = {}
        for e in detail.evidence:
            for n in self._notes_on(Target("source", e.source.id)) or []:
                if n.id not in about:
                    about[n.id] = self.t("on_source", what=e.source.publisher or e.source.title)
                    own.append(n)
        self.event_pane.notes, self.event_pane.notes_about = own, about

    def _set_entity_notes(self, detail: EntityDetail) -> None:
        """The pane's notes: on the entity, then on each of its figures (labelled)."""
        own = self._notes_on(Target("entity", detail.entity.id))
        if own is None:
            self.entity_pane.notes = None
            return
        about: dict[str, str] = {}
        for c in detail.claims:
            for n in self._notes_on(Target("claim", c.id)) or []:
                label = c.metric_label if self.t.lang == "ko" else c.metric_label_en
                about[n.id] = self.t("on_claim", what=f"{label} {c.value_text}")
                own.append(n)
        self.entity_pane.notes, self.entity_pane.notes_about = own, about

    def _noted_events(self) -> set[str]:
        if self.annotations is None:
            return set()
        return {str(n.target.id) for n in self.annotations.list_notes() if n.target.kind == "event"}

    def target_label(self, target: Target) -> str:
        t, cat = self.t, self.catalog
        if target.problem is not None:
            return t("invalid_target", why=target.problem)
        if target.kind == "range":
            return t("range_label", start=target.start, end=target.end)
        ident = str(target.id)
        if target.kind == "event":
            ev = next((e for e in cat.events if e.id == ident), None)
            return cat.event_title(ev, t.lang) if ev else t("orphaned", id=ident)
        if target.kind == "entity":
            info = cat.entities.get(ident)
            return info.display_name(t.lang) if info else t("orphaned", id=ident)
        if target.kind == "source":
            src = cat.sources.get(ident)
            return (src.publisher or src.title) if src else t("orphaned", id=ident)
        try:
            claim = self.session.claim(ident)
        except StoreError:
            return t("orphaned", id=ident)
        label = claim.metric_label if t.lang == "ko" else claim.metric_label_en
        return f"{label}: {claim.value_text}"

    def current_target(self) -> Target:
        """What a new note is about: the selected event or entity, else the dates in view."""
        if self.details.currentWidget() is self.event_pane and self.event_pane.detail:
            return Target("event", self.event_pane.detail.event.id)
        if self.details.currentWidget() is self.entity_pane and self.entity_pane.detail:
            return Target("entity", self.entity_pane.detail.entity.id)
        x0, x1 = self.timeline.x_range()
        return Target("range", None, iso_day(x0), iso_day(max(x0, x1 - 1)))

    def _writable(self) -> bool:
        """Whether this window may change notes; says why not when it may not."""
        if self.annotations is None:
            return False
        if self.notes_read_only:
            self.statusBar().showMessage(self.t("read_only_notes") + " — " + self.lock_message)
            return False
        return True

    def _backups_keep(self) -> int:
        try:
            return (
                max(1, int(str(self.settings.value("backups_keep", 10)))) if self.settings else 10
            )
        except ValueError:
            return 10

    def new_note(self, target: Target | None = None) -> NoteEditor | None:
        ann = self.annotations
        if ann is None or not self._writable():
            return None
        where = target or self.current_target()
        editor = NoteEditor(
            self.t,
            self.t("note_on", what=self.target_label(where)),
            lambda text, tags, fmt: ann.add(where, text, tags, fmt),
            None,
            self,
        )
        editor.open()
        return editor

    def edit_note(self, note_id: str) -> NoteEditor | None:
        ann = self.annotations
        if ann is None or not self._writable():
            return None
        note = ann.get(note_id)
        editor = NoteEditor(
            self.t,
            self.t("note_on", what=self.target_label(note.target)),
            lambda text, tags, fmt: ann.edit(
                note_id, text=text, tags=tags, fmt=fmt, expected_revision=note.revision
            ),
            note,
            self,
        )
        editor.open()
        return editor

    def delete_note(self, note_id: str) -> None:
        if self.annotations is not None and self._writable():
            try:
                self.annotations.delete(note_id)
            except StoreError as exc:
                self.statusBar().showMessage(str(exc), 8000)

    def undo(self) -> None:
        if self.annotations is not None and self._writable():
            try:
                self.annotations.undo()
            except StoreError as exc:
                self.statusBar().showMessage(str(exc), 8000)

    def redo(self) -> None:
        if self.annotations is not None and self._writable():
            try:
                self.annotations.redo()
            except StoreError as exc:
                self.statusBar().showMessage(str(exc), 8000)

    # --- the annotator's own events, entities and sources --------------------------------

    def _reload_catalog(self) -> None:
        """The curated catalog plus the annotator's own items, and every view of it."""
        if self.annotations is None:
            return
        items = self.annotations.items()
        bad = [i for i in items if i.problem is not None]
        if bad:
            self.statusBar().showMessage(
                self.t("invalid_items", n=len(bad), why=f"{bad[0].id}: {bad[0].problem}"), 15000
            )
        if self.large:  # the project's entities that own items link to, fetched once
            linked = {
                str(link["entity"])
                for i in items
                if i.kind == "event"
                for link in i.data.get("entities", [])
            }
            missing = sorted(e for e in linked - set(self.base_catalog.entities) if e[:2] != "u-")
            self.base_catalog.entities.update(self.session.some_entities(missing).entities)
        self.catalog = with_own(self.base_catalog, items)
        if self.scale is not None:
            self.scale.own = own_marks(items)
        self.event_ids = [e.id for e in self.catalog.events]
        self.visible = matching_events(self.catalog, self.filters)
        self.browser.set_catalog(self.catalog, entity_counts(self.catalog, self.visible))
        self.filters_panel.set_catalog(self.catalog)
        if hasattr(self, "rows"):
            self._refresh_rows()
        selected = self.history.current
        if selected is not None and selected.id.startswith("u-"):
            try:
                if self.annotations.item(selected.id).deleted:
                    self.clear_selection()
                    return
            except StoreError:
                self.clear_selection()
                return
        if self.details.currentWidget() is self.event_pane and self.event_pane.detail:
            self.select_event(self.event_pane.detail.event.id, record=False)
        elif self.details.currentWidget() is self.entity_pane and self.entity_pane.detail:
            self.select_entity(self.entity_pane.detail.entity.id, record=False)

    def _entity_choices(self) -> list[tuple[str, str]]:
        lang = self.t.lang
        choices: dict[str, str] = {
            i.entity.id: f"{i.display_name(lang)} ({self.t.kind(i.entity.kind)})"
            for i in self.catalog.entities.values()
        }
        if self.large:  # not every entity: the most frequent of each kind
            for kind, _n in self.session.kind_counts():
                for ident, name, _count in self.session.top_entities(kind, limit=LARGE_CHOICES):
                    choices.setdefault(ident, f"{name} ({self.t.kind(kind)})")
        return sorted(choices.items(), key=lambda x: x[1])

    def _source_choices(self) -> list[tuple[str, str]]:
        return [(s.id, f"{s.publisher or ''} — {s.title}") for s in self.catalog.sources.values()]

    def new_own(self, kind: str) -> QDialog | None:
        ann = self.annotations
        if ann is None or not self._writable():
            return None
        dialog = self._own_dialog(kind, lambda data: ann.add_item(kind, data), None)
        dialog.open()
        return dialog

    def edit_own(self, item_id: str) -> QDialog | None:
        ann = self.annotations
        if ann is None or not self._writable():
            return None
        item = ann.item(item_id)
        dialog = self._own_dialog(
            item.kind,
            lambda data: ann.edit_item(item_id, data, expected_revision=item.revision),
            item.data,
        )
        dialog.open()
        return dialog

    def _own_dialog(
        self, kind: str, save: Callable[[dict[str, Any]], object], data: dict[str, Any] | None
    ) -> QDialog:
        if kind == "event":
            return OwnEventDialog(
                self.t, save, self._entity_choices(), self._source_choices(), data, self
            )
        if kind == "entity":
            return OwnEntityDialog(self.t, save, data, self)
        return OwnSourceDialog(self.t, save, data, self)

    def delete_own(self, item_id: str) -> None:
        if self.annotations is not None and self._writable():
            try:
                self.annotations.delete_item(item_id)
            except StoreError as exc:
                self.statusBar().showMessage(str(exc), 8000)

    def export_notes(self, path: Path | None = None) -> Path | None:
        if self.annotations is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.t("export_notes"), "notes.explorer-notes.json", "JSON (*.json)"
            )
            if not chosen:
                return None
            path = Path(chosen)  # the dialog has already asked about replacing it
        try:
            n = self.annotations.export(path, force=True)
        except (StoreError, OSError) as exc:
            self._tell(str(exc))
            return None
        self.statusBar().showMessage(self.t("exported", n=n, path=path), 8000)
        return path

    def import_notes(self, path: Path | None = None) -> MergeReport | None:
        if self.annotations is None or not self._writable():
            return None
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.t("import_notes"), "", "JSON (*.json);;*"
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            report = self.annotations.import_(path)
        except (StoreError, OSError) as exc:
            self._tell(str(exc))
            return None
        self.statusBar().showMessage(self.t("imported", summary=report.summary()), 10000)
        if report.conflicts:
            self.show_conflicts()
        return report

    def show_conflicts(self) -> ConflictsDialog | None:
        ann = self.annotations
        if ann is None or not self._writable():
            return None
        dialog = ConflictsDialog(self.t, ann.conflicts, ann.resolve, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def backup_now(self) -> Path | None:
        if self.annotations is None:
            return None
        try:
            path = self.annotations.backup(keep=self._backups_keep())
        except (StoreError, OSError) as exc:
            self._tell(str(exc))
            return None
        self.statusBar().showMessage(self.t("backed_up", path=path), 8000)
        return path

    def show_backups(self) -> BackupsDialog | None:
        ann = self.annotations
        if ann is None or not self._writable():
            return None

        def restore(backup: Path) -> None:
            try:
                safety = ann.restore(backup)
            except (StoreError, OSError) as exc:
                self._tell(str(exc))
                return
            self.statusBar().showMessage(self.t("restored", path=safety), 10000)

        dialog = BackupsDialog(self.t, ann.list_backups(), restore, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_preferences(self) -> PreferencesDialog:
        author = self.annotations.author if self.annotations else ""
        dialog = PreferencesDialog(self.t, author, self._backups_keep(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            name = " ".join(dialog.author.text().split())
            if name and self.annotations is not None:
                self.annotations.author = name
            if self.settings is not None:
                if name:
                    self.settings.setValue("author", name)
                self.settings.setValue("backups_keep", dialog.keep.value())

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def shown_event_ids(self) -> list[str]:
        """The events the user is looking at: those passing the filters, or on a large
        project, those drawn in the current view."""
        if self.large:
            result = self.scale.result if self.scale is not None else None
            events = result.events if result is not None and result.events else []
            return [e.id for e in events]
        return [e for e in self.event_ids if e in self.visible]

    def _tell(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.t("app"), message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.statusBar().showMessage(message, 10000)

    def go_to_note(self, note_id: str) -> None:
        if self.annotations is None:
            return
        t = self.annotations.get(note_id).target
        if t.problem is not None:
            self.statusBar().showMessage(self.target_label(t), 8000)
        elif t.kind == "event" and (t.id in self.event_ids or (self.large and t.id)):
            self.select_event(str(t.id), center=True)
        elif t.kind == "entity" and t.id in self.catalog.entities:
            self.select_entity(str(t.id))
        elif t.kind == "range" and t.start and t.end:
            self.timeline.set_range(epoch_seconds(t.start), epoch_seconds(t.end) + DAY)
        elif t.kind == "claim":
            with contextlib.suppress(StoreError):
                self.select_entity(self.session.claim(str(t.id)).entity_id)
        elif t.kind == "source" and t.id in self.catalog.sources:
            self.set_filters(Filters(sources=frozenset({str(t.id)})))

    def _notes_changed(self, ident: str = "") -> None:
        ann = self.annotations
        if ann is None:
            return
        if not ident or ident.startswith("u-"):
            self._reload_catalog()
        listed = ann.list_notes()
        self.notes_panel.set_notes(listed, {n.id: self.target_label(n.target) for n in listed})
        self.range_notes.set_notes(
            [
                RangeNote(
                    n.id,
                    epoch_seconds(str(n.target.start)),
                    epoch_seconds(str(n.target.end)) + DAY,
                    " ".join(n.text.split())[:80],
                )
                for n in listed
                if n.target.kind == "range" and n.target.problem is None
            ]
        )
        if self.details.currentWidget() is self.event_pane and self.event_pane.detail:
            self._set_event_notes(self.event_pane.detail)
            self.event_pane.refresh()
        if self.details.currentWidget() is self.entity_pane and self.entity_pane.detail:
            self._set_entity_notes(self.entity_pane.detail)
            self.entity_pane.refresh()
        if hasattr(self, "act_undo"):
            self.act_undo.setEnabled(ann.can_undo)
            self.act_redo.setEnabled(ann.can_redo)
        if hasattr(self, "rows"):
            self._apply_marks()

    # --- filters, grouping, search, language ---------------------------------------------

    def set_filters(self, filters: Filters) -> None:
        self.filters_panel.filters = filters
        self.filters_panel.retranslate()
        self._filters_from_panel(filters)

    def _filters_from_panel(self, filters: Filters) -> None:
        self.filters = filters
        if self.scale is not None:  # counted by the worker, a view at a time
            self.scale.filters = filters if filters.active else None
        self.visible = matching_events(self.catalog, filters)
        self.browser.set_counts(entity_counts(self.catalog, self.visible))
        self._refresh_rows()
        labels: dict[str, dict[str, str]] = {
            "categories": {c: self.t.category(c) for c in self.catalog.categories()},
            "kinds": {
                k: self.t.kind(k)
                for k in ("person", "organization", "place", "program", "product", "event_series")
            },
            "entities": {e: i.display_name(self.t.lang) for e, i in self.catalog.entities.items()},
            "sources": {s.id: s.publisher or s.title for s in self.catalog.sources.values()},
        }
        self.filters_bar.show_filters(filters, labels)

    def _grouping_chosen(self, index: int) -> None:
        grouping = self.group_combo.itemData(index)
        if grouping and grouping != self.grouping:
            self.grouping = str(grouping)
            self._refresh_rows()

    def set_grouping(self, grouping: str) -> None:
        self.group_combo.setCurrentIndex(GROUPINGS.index(grouping))

    def run_search(self) -> None:
        text = self.search_edit.text()
        if not text.strip():
            self.search_panel.show_error("")
            return
        try:
            result = self.session.search(text, limit=100)
        except StoreError as exc:
            self.search_panel.show_error(str(exc))
            return
        self.search_panel.show_result(result)
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
            self.select_entity(self.session.claim(ref).entity_id)
        elif kind == "source":
            self.set_filters(Filters(sources=frozenset({ref})))

    def set_language(self, lang: str) -> None:
        if lang == self.t.lang or lang not in LANGUAGES:
            return
        self.t.lang = lang
        self.lang_combo.setCurrentIndex(LANGUAGES.index(lang))
        self.retranslate()
        self._refresh_rows()

    def _update_status(self) -> None:
        if self.scale is not None:  # counted by the worker, a view at a time
            total = self.total_events + len(self.scale.own)
            result = self.scale.result
            if result is None:
                self.status.setText(self.t("events_shown", shown=f"{total:,}", total=f"{total:,}"))
                return
            key = "events_in_view_filtered" if self.filters.active else "events_in_view"
            shown = f"{result.events_in_view:,}"
            self.status.setText(self.t(key, shown=shown, total=f"{total:,}"))
            return
        self.status.setText(
            self.t("events_shown", shown=len(self.visible), total=len(self.event_ids))
        )

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _focus_entities(self) -> None:
        self.left_tabs.setCurrentWidget(self.browser)
        self.browser.setFocus()

    # --- dialogs -------------------------------------------------------------------------

    def shortcut_rows(self) -> list[tuple[str, str]]:
        t = self.t
        return [
            ("+ / −, Ctrl++ / Ctrl+−", t("sc_zoom")),
            ("← / →", t("sc_pan")),
            ("Home, Ctrl+0", t("sc_fit")),
            ("Shift+drag", t("sc_range")),
            ("Wheel / drag", t("sc_wheel")),
            ("Alt+←", t("sc_back")),
            ("Alt+→", t("sc_forward")),
            ("Ctrl+F", t("sc_search")),
            ("Ctrl+E", t("sc_entities")),
            ("Esc", t("sc_clear")),
            ("F1", t("shortcuts")),
        ]

    def show_shortcuts(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setObjectName("shortcutsDialog")
        dialog.setWindowTitle(self.t("shortcuts"))
        rows = self.shortcut_rows()
        table = QTableWidget(len(rows), 2, dialog)
        table.horizontalHeader().setVisible(False)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        for r, (keys, what) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(keys))
            table.setItem(r, 1, QTableWidgetItem(what))
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        dialog.resize(460, 420)
        dialog.show()
        return dialog

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(self.t("about"))
        box.setText(f"Explorer {__version__}\n{self.session.path}")
        box.exec()

    # --- settings ------------------------------------------------------------------------

    def _restore(self) -> None:
        s = self.settings
        geometry = s.value("geometry") if s else None
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = s.value("state") if s else None
        if isinstance(state, QByteArray):
            self.restoreState(state)
        rng = s.value("range") if s else None
        try:
            x0, x1 = (float(v) for v in rng)  # type: ignore[union-attr]
            self.timeline.set_range(x0, x1)
        except (TypeError, ValueError):
            self.fit_all()

    def save_settings(self) -> None:
        s = self.settings
        if s is None:
            return
        s.setValue("geometry", self.saveGeometry())
        s.setValue("state", self.saveState())
        s.setValue("lang", self.t.lang)
        s.setValue("grouping", self.grouping)
        s.setValue("range", list(self.timeline.x_range()))
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._search_timer.stop()  # nothing may reach the session after this
        self.browser.stop()
        self.save_settings()
        if self.annotations is not None:
            self.annotations.close()
            self.annotations = None
        if self.notes_lock.isLocked():
            self.notes_lock.unlock()
        if self.scale is not None:
            self.scale.shutdown()
        super().closeEvent(event)
