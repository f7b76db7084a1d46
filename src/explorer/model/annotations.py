"""The annotator's work on a project: notes with undo and redo, exchange, backups.

The curated database stays read-only; everything here goes to the project's work file in
the per-user data folder. Undo and redo replay earlier states as new revisions, so undoing
is itself saved and merges like any other edit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer import paths
from explorer.exchange import notes_file
from explorer.model.changes import Changes
from explorer.model.session import Session
from explorer.store import backups, merge, notes, queries, user_items
from explorer.store.connection import Store
from explorer.store.errors import NotFound, StoreError
from explorer.store.notes import Note, Target
from explorer.store.user_items import Item


def project_key(session: Session) -> str:
    """The dataset's stable id, or (for a database without one) a key from its path."""
    return store_key(session.store)


def store_key(store: Store) -> str:
    meta = queries.meta(store.db)
    if meta.get("dataset_id"):
        return meta["dataset_id"]
    path = Path(store.path)
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:10]
    return f"{path.stem}-{digest}"


@dataclass(frozen=True)
class Change:
    """One undoable step: the note or item before (None when it did not exist) and after,
    each as a record or as the id of a revision the work file keeps (a merge's steps)."""

    note_id: str
    before: Note | Item | str | None
    after: Note | Item | str


class Annotations:
    def __init__(self, store: Store, session: Session | None, author: str) -> None:
        self._store = store
        self.session = session
        self.author = author
        # Each undoable step is one or more changes (an import of a colleague's notes is one
        # step, whatever it touched).
        self._undo: list[tuple[Change, ...]] = []
        self._redo: list[tuple[Change, ...]] = []
        self.listeners: list[Callable[[Changes], None]] = []

    @classmethod
    def open(
        cls, session: Session, work: Path | None = None, author: str | None = None
    ) -> Annotations:
        path = work or paths.work_file(project_key(session))
        return cls(notes.open_work(path), session, author or notes.default_author())

    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def store(self) -> Store:
        return self._store

    def close(self) -> None:
        self._store.close()

    def _announce(self, ids: set[str] | None = None) -> None:
        """Tell the listeners which notes and own items changed (None: any of them)."""
        if ids is None:
            changes = Changes(notes=True, catalog=True, undo=True)
        else:
            own = any(i.startswith("u-") for i in ids)
            changes = Changes(notes=True, catalog=own, undo=True, ids=frozenset(ids))
        for listener in self.listeners:
            listener(changes)

    # --- targets ---------------------------------------------------------------------------

    def check_target(self, target: Target) -> None:
        """Refuse a note on an id the project does not have (a typo, usually)."""
        if self.session is None or target.kind == "range":
            return
        s, ident = self.session, str(target.id)
        if target.kind == "event":
            s.event(ident)
        elif target.kind == "entity":
            s.entity(ident)
        elif target.kind == "claim":
            s.claim(ident)
        else:
            queries.get_source(s.store.db, ident)

    def orphans(self) -> list[Note]:
        """Notes whose event, entity, claim or source this project does not have."""
        out = []
        for n in notes.list_notes(self._store.db):
            if n.target.kind == "range":
                continue
            try:
                self.check_target(n.target)
            except NotFound:
                out.append(n)
        return out

    # --- changes ---------------------------------------------------------------------------

    def _did(self, change: Change) -> None:
        self._undo.append((change,))
        self._redo.clear()
        self._announce({change.note_id})

    def add(
        self, target: Target, text: str, tags: list[str] | None = None, fmt: str = "plain"
    ) -> Note:
        self.check_target(target)
        note = notes.add(self._store.db, target, text, author=self.author, tags=tags or [], fmt=fmt)
        self._did(Change(note.id, None, note))
        return note

    def edit(
        self,
        note_id: str,
        *,
        text: str | None = None,
        tags: list[str] | None = None,
        fmt: str | None = None,
        expected_revision: str | None = None,
    ) -> Note:
        before = notes.get(self._store.db, note_id)
        after = notes.update(
            self._store.db,
            note_id,
            text=text,
            tags=tags,
            fmt=fmt,
            expected_revision=expected_revision,
        )
        self._did(Change(note_id, before, after))
        return after

    def delete(self, note_id: str, *, expected_revision: str | None = None) -> Note:
        before = notes.get(self._store.db, note_id)
        after = notes.delete(self._store.db, note_id, expected_revision=expected_revision)
        self._did(Change(note_id, before, after))
        return after

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _restore(self, ident: str, state: Note | Item | str | None) -> Note | Item:
        db = self._store.db
        if isinstance(state, str):  # a revision kept in the work file
            if ident.startswith("u-"):
                state = user_items.version(db, ident, state)
            else:
                state = notes.version(db, ident, state)
        if ident.startswith("u-"):  # one of the annotator's own events, entities, sources
            if state is None:
                return user_items.update(db, ident, deleted=True)
            assert isinstance(state, Item)
            return user_items.update(db, ident, data=state.data, deleted=state.deleted)
        if state is None:  # the step created the note: undoing it deletes it
            return notes.update(db, ident, deleted=True)
        assert isinstance(state, Note)
        return notes.update(
            db,
            ident,
            text=state.text,
            tags=list(state.tags),
            fmt=state.format,
            deleted=state.deleted,
        )

    def undo(self) -> Note | Item | None:
        """Undo the last step (all its changes, last first); returns the first record's
        state now."""
        if not self._undo:
            return None
        step = self._undo.pop()
        with notes.saving(self._store.db):  # one step: whole or not at all
            now = [self._restore(c.note_id, c.before) for c in reversed(step)]
        self._redo.append(step)
        self._announce({c.note_id for c in step})
        return now[-1]

    def redo(self) -> Note | Item | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        with notes.saving(self._store.db):
            now = [self._restore(c.note_id, c.after) for c in step]
        self._undo.append(step)
        self._announce({c.note_id for c in step})
        return now[0]

    # --- the annotator's own events, entities and sources ---------------------------------

    def add_item(self, kind: str, data: dict[str, Any]) -> Item:
        item = user_items.add(self._store.db, kind, data, author=self.author)
        self._did(Change(item.id, None, item))
        return item

    def add_items(self, entries: list[tuple[str, str, dict[str, Any]]]) -> list[Item]:
        """Several items at once (a layer from a file), undone as one step."""
        made = user_items.add_many(self._store.db, entries, author=self.author)
        if made:
            self._undo.append(tuple(Change(i.id, None, i) for i in made))
            self._redo.clear()
            self._announce({i.id for i in made})
        return made

    def delete_items(self, item_ids: list[str]) -> None:
        """Several items deleted at once (a layer removed), undone as one step."""
        pairs = user_items.delete_many(self._store.db, item_ids)
        if pairs:
            self._undo.append(tuple(Change(a.id, b, a) for b, a in pairs))
            self._redo.clear()
            self._announce({a.id for _, a in pairs})

    def edit_item(
        self, item_id: str, data: dict[str, Any], *, expected_revision: str | None = None
    ) -> Item:
        before = user_items.get(self._store.db, item_id)
        after = user_items.update(
            self._store.db, item_id, data=data, expected_revision=expected_revision
        )
        self._did(Change(item_id, before, after))
        return after

    def delete_item(self, item_id: str) -> Item:
        before = user_items.get(self._store.db, item_id)
        after = user_items.update(self._store.db, item_id, deleted=True)
        self._did(Change(item_id, before, after))
        return after

    def item(self, item_id: str) -> Item:
        return user_items.get(self._store.db, item_id)

    def items(self, kind: str | None = None) -> list[Item]:
        return user_items.list_items(self._store.db, kind)

    # --- reading ---------------------------------------------------------------------------

    def get(self, note_id: str) -> Note:
        return notes.get(self._store.db, note_id)

    def list_notes(
        self, *, target: Target | None = None, tag: str | None = None, include_deleted: bool = False
    ) -> list[Note]:
        return notes.list_notes(
            self._store.db, target=target, tag=tag, include_deleted=include_deleted
        )

    def notes_on_events(self, ids: list[str]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """event id -> [(text, tags)] of the notes on these events (for reports)."""
        wanted = set(ids)
        out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for note in self.list_notes():
            if note.target.kind == "event" and note.target.id in wanted:
                out.setdefault(str(note.target.id), []).append((note.text, note.tags))
        return out

    def tags(self) -> list[str]:
        rows = self._store.db.execute(
            """SELECT DISTINCT t.tag FROM note_tags t JOIN notes n ON n.id = t.note_id
               WHERE n.deleted = 0 ORDER BY t.tag"""
        )
        return [r[0] for r in rows]

    # --- exchange and safety ---------------------------------------------------------------

    def export(self, out: Path, *, force: bool = False) -> int:
        return notes_file.export_notes_file(self._store.db, out, author=self.author, force=force)

    def import_(self, path: Path) -> merge.MergeReport:
        """Merge a colleague's notes file; undoable as one step."""
        report = notes_file.import_notes_file(self._store.db, path)
        if report.changed:
            self._undo.append(tuple(Change(i, b, a) for i, b, a in report.changed))
            self._redo.clear()
        self._announce()
        return report

    def conflicts(self) -> list[merge.ConflictView]:
        """Every note and own item a colleague changed differently, awaiting a choice."""
        return merge.all_conflicts(self._store.db)

    def resolve(self, ident: str, revision: str, keep: str) -> list[str]:
        kind = "item" if ident.startswith("u-") else "note"
        kept = merge.resolve_any(self._store.db, kind, ident, revision, keep)
        self._announce({ident, *kept})
        return kept

    def backup(self, keep: int = backups.DEFAULT_KEEP) -> Path:
        return backups.make_backup(self._store, keep)

    def list_backups(self) -> list[Path]:
        return backups.list_backups(self._store.path)

    def restore(self, backup: Path) -> Path:
        if not backup.is_file():
            raise StoreError(f"no backup at {backup}")
        safety = backups.restore_backup(self._store, backup)
        self._undo.clear()
        self._redo.clear()
        self._announce()
        return safety
