"""The annotator's side of the window: the dialogs that write notes and one's own events,
entities and sources, exchange notes with colleagues, settle conflicts, back up and restore.
Every write goes through the workspace; its `Changes` refresh the views."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox, QStatusBar, QWidget

from explorer.model import entity_list
from explorer.model import window as tw
from explorer.model.filters import Filters
from explorer.model.timeline import epoch_seconds
from explorer.model.workspace import Workspace
from explorer.store.errors import StoreError
from explorer.store.merge import MergeReport
from explorer.store.notes import Target
from explorer.ui.i18n import Translator
from explorer.ui.note_editor import NoteEditor
from explorer.ui.own_dialogs import OwnEntityDialog, OwnEventDialog, OwnSourceDialog
from explorer.ui.work_dialogs import BackupsDialog, ConflictsDialog, PreferencesDialog

#: In a project not held in memory, how many entities of each kind the event dialog offers.
CHOICES_PER_KIND = 1000


def tell(parent: QWidget, t: Translator, status: QStatusBar, message: str) -> None:
    """A warning the user must see: a dialog (plain text) and the status bar."""
    box = QMessageBox(QMessageBox.Icon.Warning, t("app"), message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    status.showMessage(message, 10000)


class WorkController(QObject):
    def __init__(
        self,
        window: QMainWindow,
        ws: Workspace,
        t: Translator,
        settings: QSettings | None,
        lock_message: str = "",
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ws = ws
        self.t = t
        self.settings = settings
        self.lock_message = lock_message

    # --- helpers ---------------------------------------------------------------------------

    def status(self, message: str, ms: int = 8000) -> None:
        self.window.statusBar().showMessage(message, ms)

    def tell(self, message: str) -> None:
        tell(self.window, self.t, self.window.statusBar(), message)

    def writable(self) -> bool:
        """Whether this window may change notes; says why not when it may not."""
        if self.ws.annotations is None:
            return False
        if self.ws.notes_read_only is not None:
            self.window.statusBar().showMessage(
                self.t("read_only_notes") + " — " + self.lock_message
            )
            return False
        return True

    def backups_keep(self) -> int:
        try:
            value = self.settings.value("backups_keep", 10) if self.settings else 10
            return max(1, int(str(value)))
        except ValueError:
            return 10

    def target_label(self, target: Target) -> str:
        t, info = self.t, self.ws.resolve_target(target)
        if info.problem is not None:
            return t("invalid_target", why=info.problem)
        if info.orphaned or info.what is None:
            return t("orphaned", id=str(target.id))
        if target.kind == "range":
            return t("range_label", start=target.start, end=target.end)
        return info.what

    # --- notes -----------------------------------------------------------------------------

    def new_note(self, target: Target | None = None) -> NoteEditor | None:
        if not self.writable():
            return None
        where = target or self.ws.current_target()
        editor = NoteEditor(
            self.t,
            self.t("note_on", what=self.target_label(where)),
            lambda text, tags, fmt: self.ws.add_note(where, text, tags, fmt),
            None,
            self.window,
        )
        editor.open()
        return editor

    def edit_note(self, note_id: str) -> NoteEditor | None:
        ann = self.ws.annotations
        if ann is None or not self.writable():
            return None
        note = ann.get(note_id)
        editor = NoteEditor(
            self.t,
            self.t("note_on", what=self.target_label(note.target)),
            lambda text, tags, fmt: self.ws.edit_note(note_id, text, tags, fmt, note.revision),
            note,
            self.window,
        )
        editor.open()
        return editor

    def _try(self, write: Callable[[], object]) -> None:
        if self.writable():
            try:
                write()
            except StoreError as exc:
                self.status(str(exc))

    def delete_note(self, note_id: str) -> None:
        self._try(lambda: self.ws.delete_note(note_id))

    def undo(self) -> None:
        self._try(self.ws.undo)

    def redo(self) -> None:
        self._try(self.ws.redo)

    def go_to_note(self, note_id: str) -> None:
        ann = self.ws.annotations
        if ann is None:
            return
        t = ann.get(note_id).target
        ws = self.ws
        try:
            if t.problem is not None:
                self.status(self.target_label(t))
            elif t.kind == "event":
                ws.select_event(str(t.id), center=True)
            elif t.kind == "entity":
                ws.select_entity(str(t.id))
            elif t.kind == "range" and t.start and t.end:  # the days the note is on
                ws.set_window(epoch_seconds(t.start), epoch_seconds(t.end) + tw.DAY)
            elif t.kind == "claim":
                ws.select_entity(ws.claim(str(t.id)).entity_id)
            elif t.kind == "source":
                ws.set_filters(Filters(sources=frozenset({str(t.id)})))
        except StoreError as exc:
            self.status(str(exc), 5000)

    # --- own events, entities, sources ---------------------------------------------------

    def entity_choices(self) -> list[tuple[str, str]]:
        lang, ws = self.t.lang, self.ws
        choices: dict[str, str] = {
            i.entity.id: f"{i.display_name(lang)} ({self.t.kind(i.entity.kind)})"
            for i in ws.catalog.entities.values()
        }
        if not ws.resident:  # not every entity: the most frequent of each kind
            for kind, _n in entity_list.kinds(ws):
                for row in entity_list.page(ws, kind, "", CHOICES_PER_KIND, 0):
                    choices.setdefault(row.id, f"{row.name} ({self.t.kind(kind)})")
        return sorted(choices.items(), key=lambda x: x[1])

    def source_choices(self) -> list[tuple[str, str]]:
        return [
            (s.id, f"{s.publisher or ''} — {s.title}") for s in self.ws.catalog.sources.values()
        ]

    def own_dialog(
        self, kind: str, save: Callable[[dict[str, Any]], object], data: dict[str, Any] | None
    ) -> QDialog:
        if kind == "event":
            return OwnEventDialog(
                self.t, save, self.entity_choices(), self.source_choices(), data, self.window
            )
        if kind == "entity":
            return OwnEntityDialog(self.t, save, data, self.window)
        return OwnSourceDialog(self.t, save, data, self.window)

    def new_own(self, kind: str) -> QDialog | None:
        if not self.writable():
            return None
        dialog = self.own_dialog(kind, lambda data: self.ws.add_item(kind, data), None)
        dialog.open()
        return dialog

    def edit_own(self, item_id: str) -> QDialog | None:
        ann = self.ws.annotations
        if ann is None or not self.writable():
            return None
        item = ann.item(item_id)
        dialog = self.own_dialog(
            item.kind, lambda data: self.ws.edit_item(item_id, data, item.revision), item.data
        )
        dialog.open()
        return dialog

    def delete_own(self, item_id: str) -> None:
        self._try(lambda: self.ws.delete_item(item_id))

    # --- exchange, conflicts, backups, preferences ----------------------------------------

    def export_notes(self, path: Path | None = None) -> Path | None:
        ann = self.ws.annotations
        if ann is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self.window,
                self.t("export_notes"),
                str(Path.home() / "notes.explorer-notes.json"),
                "JSON (*.json)",
            )
            if not chosen:
                return None
            path = Path(chosen)  # the dialog has already asked about replacing it
        try:
            n = ann.export(path, force=True)
        except (StoreError, OSError) as exc:
            self.tell(str(exc))
            return None
        self.status(self.t("exported", n=n, path=path))
        return path

    def import_notes(self, path: Path | None = None) -> MergeReport | None:
        ann = self.ws.annotations
        if ann is None or not self.writable():
            return None
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self.window, self.t("import_notes"), str(Path.home()), "JSON (*.json);;*"
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            report = ann.import_(path)
        except (StoreError, OSError) as exc:
            self.tell(str(exc))
            return None
        self.status(self.t("imported", summary=report.summary()), 10000)
        if report.conflicts:
            self.show_conflicts()
        return report

    def show_conflicts(self) -> ConflictsDialog | None:
        ann = self.ws.annotations
        if ann is None or not self.writable():
            return None
        dialog = ConflictsDialog(self.t, ann.conflicts, ann.resolve, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def backup_now(self) -> Path | None:
        ann = self.ws.annotations
        if ann is None:
            return None
        try:
            path = ann.backup(keep=self.backups_keep())
        except (StoreError, OSError) as exc:
            self.tell(str(exc))
            return None
        self.status(self.t("backed_up", path=path))
        return path

    def show_backups(self) -> BackupsDialog | None:
        ann = self.ws.annotations
        if ann is None or not self.writable():
            return None

        def restore(backup: Path) -> None:
            try:
                safety = ann.restore(backup)
            except (StoreError, OSError) as exc:
                self.tell(str(exc))
                return
            self.status(self.t("restored", path=safety), 10000)

        dialog = BackupsDialog(self.t, ann.list_backups(), restore, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_preferences(self) -> PreferencesDialog:
        ann = self.ws.annotations
        author = ann.author if ann else ""
        dialog = PreferencesDialog(self.t, author, self.backups_keep(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            name = " ".join(dialog.author.text().split())
            if name and self.ws.annotations is not None:
                self.ws.annotations.author = name
            if self.settings is not None:
                if name:
                    self.settings.setValue("author", name)
                self.settings.setValue("backups_keep", dialog.keep.value())

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog
