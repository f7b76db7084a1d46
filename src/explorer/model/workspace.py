"""The workspace: one model of an open project, which every view follows.

It owns the project's Session and the annotator's Annotations and holds everything the
window shows: the catalog (curated and own), the filters, the grouping, the selection and
what is highlighted, the history of selections, the time window, the language. Its methods
are the use cases (select, go back, filter, group, move the window, write a note, add an
event of one's own, undo); each ends by telling the listeners one `Changes` value. Views
listen, refresh what the flags name, and write the user's actions back through these
methods, never to each other (napari's ViewerModel and its Qt mirrors; Anki's OpChanges).

Qt-free: the command line, the tests and the window use the same object.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from explorer import paths
from explorer.model import note_targets, own_sources, projects
from explorer.model import window as tw
from explorer.model.annotations import Annotations, project_key
from explorer.model.catalog import Catalog
from explorer.model.changes import EVERYTHING, Changes
from explorer.model.filters import Filters, matching_events
from explorer.model.history import History, Selection
from explorer.model.note_targets import TargetInfo
from explorer.model.own import add_own_events, own_entity_detail, own_event_detail, with_own
from explorer.model.own_view import OwnMark, own_marks
from explorer.model.reads import BackgroundReads, Post
from explorer.model.session import Session
from explorer.model.timeline import GROUPINGS
from explorer.store import dates
from explorer.store.errors import NotFound, StoreError
from explorer.store.notes import Note, Target
from explorer.store.records import (
    Claim,
    EntityDetail,
    Event,
    EventDetail,
    SearchResult,
    SourceDetail,
)
from explorer.store.user_items import Item

#: A project with at most this many events is held in memory whole (its catalog): entity
#: counts among the events that pass the filters, facets, targets are answered from it.
#: Beyond, they come from the store a page at a time. Either way the timeline is drawn by
#: one engine (model.viewport), and every view asks the workspace the same questions.
RESIDENT_EVENTS = 20_000
#: Views of a project this small are computed at once, on the caller's thread; larger ones
#: on a worker (the timeline asks `inline_views`).
INLINE_EVENTS = 5_000
LANGUAGES = ("ko", "en")


class ReadOnlyNotes(StoreError):
    """The notes are open read-only here (another window holds them), or unavailable."""


def _drawable(ev: Event) -> bool:
    return dates.written(ev.start, ev.precision) and (
        ev.end is None or dates.written(ev.end, ev.precision)
    )


class Workspace:
    def __init__(
        self,
        session: Session,
        annotations: Annotations | None = None,
        *,
        lang: str = "ko",
        grouping: str = "category",
        notes_read_only: str | None = None,
    ) -> None:
        self.session = session
        self.annotations = annotations
        #: why notes cannot be written here (None: they can)
        self.notes_read_only = notes_read_only
        self.listeners: list[Callable[[Changes], None]] = []
        self.lang = lang if lang in LANGUAGES else "ko"
        self.grouping = grouping if grouping in GROUPINGS else "category"
        self.filters = Filters()
        self.history = History()
        self.window: tw.Window | None = None
        self.selected_event: str | None = None
        self.selected_entity: str | None = None
        self.selected_source: str | None = None
        self.highlight_entity: str | None = None
        self.highlight_events: frozenset[str] | None = None
        self.event_detail: EventDetail | None = None
        self.entity_detail: EntityDetail | None = None
        self.source_detail: SourceDetail | None = None
        #: the kind of detail ("event", "entity") being read in the background, or None
        self.pending: str | None = None
        #: what the last background read could not do, for the window to say (then None)
        self.notice: str | None = None
        #: a large project's slow reads, off the window's thread (see `read_in_background`)
        self.reads: BackgroundReads | None = None
        self.total_events = session.event_count()
        self.resident = self.total_events <= RESIDENT_EVENTS
        self.inline_views = self.total_events <= INLINE_EVENTS
        self.base = (
            session.catalog()
            if self.resident
            else Catalog.build([], [], [], session.sources(), [], [])
        )
        #: rows of a damaged or hostile file no view can show (left out, and said)
        self.invalid_events = 0  # a large project's are found by its background check
        if self.resident:  # its dates must be written as its precision says
            self.invalid_events = session.invalid_events()
            keep = [e for e in self.base.events if _drawable(e)]
            self.invalid_events += len(self.base.events) - len(keep)
            self.base.events = keep
        self.catalog = self.base
        self.own: tuple[OwnMark, ...] = ()
        self._extent: tuple[tuple[object, ...], tw.Window | None] | None = None
        self.catalog_changes = 0  # how often the catalog changed (views key on it)
        self._own_from: tuple[Catalog, list[Any], Filters] | None = None  # what made it
        #: layers of the annotator's own events (imported files) hidden from every view
        self.hidden_layers: set[str] = set()
        self.invalid_items: list[Item] = []
        self.visible: set[str] = {e.id for e in self.catalog.events}
        if annotations is not None:
            annotations.listeners.append(self._annotations_changed)
        self._load_own()

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        work: Path | None = None,
        author: str | None = None,
        lang: str = "ko",
        create_work: bool = True,
    ) -> Workspace:
        """Open a project read-only with its work file (None if the notes cannot be had,
        or, without `create_work`, if the annotator has none yet)."""
        session = Session.open(path)
        annotations = None
        wanted = work or paths.work_file(project_key(session))
        if create_work or wanted.exists():
            try:
                annotations = Annotations.open(session, wanted, author)
            except StoreError:
                annotations = None
        return cls(session, annotations, lang=lang)

    def read_in_background(self, post: Post) -> None:
        """From now on, a large project's details are read on a worker thread and taken in
        through `post` (the window's thread). A small project's are read at once."""
        if not self.inline_views and self.reads is None:
            self.reads = BackgroundReads(self.read_path, post)

    @property
    def read_path(self) -> Path:
        """The file other connections read: the project, or the copy it was recovered into."""
        return self.session.store.recovered or self.session.path

    def close(self) -> None:
        if self.reads is not None:
            self.reads.close()
            self.reads = None
        if self.annotations is not None:
            self.annotations.close()
            self.annotations = None
        self.session.close()

    @property
    def path(self) -> Path:
        return self.session.path

    @property
    def title(self) -> str:
        """The project's name: its dataset's, else its file's."""
        from explorer.store import queries

        return queries.meta(self.session.store.db).get("dataset") or self.path.stem

    @property
    def work_path(self) -> Path:
        if self.annotations is not None:
            return self.annotations.path
        return paths.work_file(project_key(self.session))

    # --- telling ---------------------------------------------------------------------------

    def _tell(self, changes: Changes, changed: bool = True) -> None:
        """Tell the views `changes`; `changed`: they are changes (not a first showing)."""
        if changes.catalog and changed:
            self.catalog_changes += 1
        if changes.anything:
            for listener in list(self.listeners):
                listener(changes)

    def _annotations_changed(self, changes: Changes) -> None:
        if changes.own_items():
            changes = changes | self._load_own()
        self._tell(changes)

    def _load_own(self) -> Changes:
        """The catalog with the annotator's own items, after they changed."""
        items = self.annotations.items() if self.annotations is not None else []
        self.invalid_items = [i for i in items if i.problem is not None]
        if not self.resident:  # the project's entities that own events link, fetched once
            linked = {
                str(link["entity"])
                for i in items
                if i.kind == "event" and i.problem is None
                for link in i.data.get("entities", [])
            }
            missing = sorted(e for e in linked - set(self.base.entities) if e[:2] != "u-")
            if missing:
                self.base.entities.update(self.session.some_entities(missing).entities)
        shown = [i for i in items if i.data.get("layer") not in self.hidden_layers]
        made = self._own_from
        if made is not None and made[0] is self.base and made[1:] == (shown, self.filters):
            return Changes()  # the same items over the same project: nothing to make again
        self._own_from = self.base, shown, self.filters
        self.catalog = with_own(self.base, shown)
        self.own = own_marks(shown)
        self.visible = matching_events(self.catalog, self.filters)
        changed = Changes(catalog=True)
        for ident in (self.selected_event, self.selected_entity):  # a deleted own item
            if ident and ident.startswith("u-") and self._own_gone(ident):
                return changed | self._clear()
        if self.selected_event:
            self.event_detail = self._detail("event", self.selected_event, Changes())
            changed = changed | Changes(selection=True)
        elif self.selected_entity:
            self.entity_detail = self._detail("entity", self.selected_entity, Changes())
            changed = changed | Changes(selection=True)
        return changed

    def _own_gone(self, ident: str) -> bool:
        try:
            return self.annotations is None or self.annotations.item(ident).deleted
        except NotFound:
            return True

    # --- selection and history -------------------------------------------------------------

    def _event_detail(self, event_id: str) -> EventDetail:
        if event_id.startswith("u-"):
            if self.annotations is None:
                raise NotFound(f"no event with id {event_id!r}")
            return own_event_detail(self.annotations.item(event_id), self.catalog)
        return self.session.event(event_id)

    def _entity_detail(self, entity_id: str) -> EntityDetail:
        if entity_id.startswith("u-"):
            if self.annotations is None:
                raise NotFound(f"no entity with id {entity_id!r}")
            return own_entity_detail(self.annotations.item(entity_id), self.catalog)
        return add_own_events(self.session.entity(entity_id), self.catalog)

    def _detail(self, kind: str, ident: str, then: Changes, center: bool = False) -> Any:
        """The selected event's or entity's detail, read at once (raising StoreError), or on
        a large project read in the background: None now, and when it arrives it is taken
        in and the listeners are told (`then`, and the window centred on an event)."""
        self._cancel_read()
        if self.reads is None or ident.startswith("u-"):
            return self._event_detail(ident) if kind == "event" else self._entity_detail(ident)

        def read(session: Session) -> Any:
            return session.event(ident) if kind == "event" else session.entity(ident)

        def arrived(result: Any) -> None:
            self.pending = None
            if getattr(self, f"selected_{kind}") != ident:
                return
            if isinstance(result, Exception):
                self.notice = str(result) if isinstance(result, StoreError) else repr(result)
                self._tell(self._clear() | then)
                return
            changes = then | Changes(selection=True)
            if kind == "event":
                self.event_detail = result
                if center:
                    changes = changes | self._center(result.event.t0, result.event.t1)
            else:
                self.entity_detail = add_own_events(result, self.catalog)
            self._tell(changes)

        self.pending = kind
        self.reads.submit("detail", read, arrived)
        return None

    def _cancel_read(self) -> None:
        if self.reads is not None:
            self.reads.cancel("detail")
        self.pending = None

    def select_event(
        self, event_id: str, *, center: bool = False, record: bool = True, origin: object = None
    ) -> EventDetail | None:
        """Select an event (raises StoreError for one the project does not have; on a large
        project its detail comes later, see `_detail`). What is highlighted stays only if the
        event is part of it: the selection is never dimmed."""
        detail: EventDetail | None = self._detail("event", event_id, Changes(origin=origin), center)
        self.event_detail, self.entity_detail, self.source_detail = detail, None, None
        self.selected_event, self.selected_entity, self.selected_source = event_id, None, None
        if self.highlight_events is not None and event_id not in self.highlight_events:
            self.highlight_events = None
        if self.highlight_entity is not None and not self.highlighted([event_id]):
            self.highlight_entity = None
        if record:
            self.history.visit(Selection("event", event_id))
        changes = Changes(selection=True, history=True, origin=origin)
        if center and detail is not None:
            changes = changes | self._center(detail.event.t0, detail.event.t1)
        self._tell(changes)
        return detail

    def select_entity(
        self, entity_id: str, *, record: bool = True, origin: object = None
    ) -> EntityDetail | None:
        """Select an entity: its events are highlighted, the rest dimmed (on a large project
        its detail comes later, see `_detail`)."""
        detail: EntityDetail | None = self._detail("entity", entity_id, Changes(origin=origin))
        self.entity_detail, self.event_detail, self.source_detail = detail, None, None
        self.selected_entity, self.selected_event, self.selected_source = entity_id, None, None
        self.highlight_entity, self.highlight_events = entity_id, None
        if record:
            self.history.visit(Selection("entity", entity_id))
        self._tell(Changes(selection=True, history=True, origin=origin))
        return detail

    def select_source(
        self, source_id: str, *, record: bool = True, origin: object = None
    ) -> SourceDetail:
        """Select a source: what it is, and the events, figures, statements and mentions
        the project takes from it (those events highlighted)."""
        detail = own_sources.source_detail(self, source_id)
        self._cancel_read()
        self.source_detail, self.event_detail, self.entity_detail = detail, None, None
        self.selected_source, self.selected_event, self.selected_entity = source_id, None, None
        self.highlight_entity = None
        self.highlight_events = frozenset(c.event.id for c in detail.events)
        if record:
            self.history.visit(Selection("source", source_id))
        self._tell(Changes(selection=True, history=True, origin=origin))
        return detail

    def highlight(self, event_ids: frozenset[str] | None, origin: object = None) -> None:
        """Highlight these events (the rest dimmed), or nothing."""
        self.highlight_events, self.highlight_entity = event_ids, None
        self._tell(Changes(selection=True, origin=origin))

    def _clear(self) -> Changes:
        self._cancel_read()
        self.selected_event = self.selected_entity = self.highlight_entity = None
        self.selected_source = None
        self.highlight_events = None
        self.event_detail = self.entity_detail = self.source_detail = None
        self.history.clear_current()
        return Changes(selection=True, history=True)

    def clear_selection(self, origin: object = None) -> None:
        self._tell(self._clear() | Changes(origin=origin))

    def _show(self, sel: Selection | None) -> None:
        if sel is None:
            return
        if sel.kind == "event":  # as it was: no highlight chosen after it stays
            self.highlight_entity = self.highlight_events = None
            self.select_event(sel.id, center=True, record=False)
        elif sel.kind == "source":
            self.select_source(sel.id, record=False)
        else:
            self.select_entity(sel.id, record=False)

    def back(self) -> None:
        if self.history.can_back:
            self._show(self.history.back())

    def forward(self) -> None:
        if self.history.can_forward:
            self._show(self.history.forward())

    def highlighted(self, event_ids: Sequence[str]) -> set[str] | None:
        """Which of these events are highlighted; None when nothing is (none dimmed)."""
        if self.highlight_entity is None and self.highlight_events is None:
            return None
        found: set[str] = set()
        if self.highlight_events is not None:
            found |= self.highlight_events.intersection(event_ids)
        entity = self.highlight_entity
        if entity is not None:
            curated = [i for i in event_ids if not i.startswith("u-")]
            if not entity.startswith("u-") and curated:
                found |= self.session.linked(entity, curated)
            found |= self.catalog.entity_events.get(entity, set()).intersection(event_ids)
        return found

    # --- what is shown ---------------------------------------------------------------------

    def set_filters(self, filters: Filters, origin: object = None) -> None:
        if filters == self.filters:
            return
        self.filters = filters
        self.visible = matching_events(self.catalog, filters)
        self._tell(Changes(filters=True, origin=origin))

    def set_grouping(self, grouping: str, origin: object = None) -> None:
        if grouping not in GROUPINGS:
            raise StoreError(f"unknown grouping {grouping!r}; use one of {', '.join(GROUPINGS)}")
        if grouping != self.grouping:
            self.grouping = grouping
            self._tell(Changes(grouping=True, origin=origin))

    def set_language(self, lang: str, origin: object = None) -> None:
        if lang in LANGUAGES and lang != self.lang:
            self.lang = lang
            self._tell(Changes(language=True, origin=origin))

    def extent(self) -> tw.Window | None:
        """First and last instant of the project's events and the annotator's own (asked
        at every step of a zoom and every frame of a drag: kept while the catalog and the
        own events are those; a large project's, read from its store, while the catalog has
        not changed since)."""
        size = len(self.catalog.events) if self.resident else self.catalog_changes
        key = self.catalog, self.own, size
        held = self._extent
        if held is not None:
            (catalog, own, n), found = held
            if catalog is key[0] and own is key[1] and n == key[2]:
                return found
        found = self._find_extent()
        self._extent = key, found
        return found

    def _find_extent(self) -> tw.Window | None:
        spans: list[tuple[float, float]] = []
        if self.resident:
            spans += [(e.t0, e.t1) for e in self.catalog.events]
        else:
            days = self.session.extent()
            if days is not None:
                spans.append((days[0] * tw.DAY, (days[1] + 1) * tw.DAY))
            spans += [(m.event.t0, m.event.t1) for m in self.own]
        if not spans:
            return None
        return min(s[0] for s in spans), max(s[1] for s in spans)

    def set_window(self, x0: float, x1: float, origin: object = None) -> None:
        """Look at [x0, x1) (kept between the narrowest and the widest span)."""
        new = tw.clamp((x0, x1), self.extent())
        if new != self.window:
            self.window = new
            self._tell(Changes(window=True, origin=origin))

    def fit_all(self, origin: object = None) -> None:
        whole = tw.fitted(self.extent())
        if whole is not None:
            self.set_window(*whole, origin=origin)

    def zoom(self, factor: float, center: float | None = None) -> None:
        if self.window is not None:
            self.set_window(*tw.zoomed(self.window, factor, center))

    def pan(self, fraction: float) -> None:
        if self.window is not None:
            self.set_window(*tw.panned(self.window, fraction))

    def _center(self, x0: float, x1: float) -> Changes:
        current = self.window or tw.around(x0, x1)
        new = tw.clamp(tw.centered(current, x0, x1), self.extent())
        if new == self.window:
            return Changes()
        self.window = new
        return Changes(window=True)

    def center_on(self, x0: float, x1: float, origin: object = None) -> None:
        self._tell(self._center(x0, x1) | Changes(origin=origin))

    # --- reading ---------------------------------------------------------------------------

    def search(self, text: str, limit: int = 100, offset: int = 0) -> SearchResult:
        return self.session.search(text, limit=limit, offset=offset)

    def entity_names(self, ids: set[str] | frozenset[str]) -> dict[str, str]:
        """Names of these entities in the interface language (a project not held in memory
        is asked for those it has not loaded)."""
        names = {
            i: info.display_name(self.lang) for i in ids if (info := self.catalog.entities.get(i))
        }
        missing = sorted(i for i in ids if i not in names and not i.startswith("u-"))
        if missing:
            found = self.session.some_entities(missing).entities
            names.update({i: info.display_name(self.lang) for i, info in found.items()})
        return names

    def claim(self, claim_id: str) -> Claim:
        return self.session.claim(claim_id)

    # --- notes and own items ---------------------------------------------------------------

    def writable_annotations(self) -> Annotations:
        """The annotations, when this window may write them (else ReadOnlyNotes)."""
        if self.annotations is None:
            raise ReadOnlyNotes("notes are unavailable for this project")
        if self.notes_read_only is not None:
            raise ReadOnlyNotes(self.notes_read_only)
        return self.annotations

    def notes(self, target: Target | None = None, tag: str | None = None) -> list[Note]:
        if self.annotations is None:
            return []
        return self.annotations.list_notes(target=target, tag=tag)

    def add_note(self, target: Target, text: str, tags: list[str], fmt: str = "plain") -> Note:
        return self.writable_annotations().add(target, text, tags, fmt)

    def edit_note(
        self, note_id: str, text: str, tags: list[str], fmt: str, expected: str | None
    ) -> Note:
        return self.writable_annotations().edit(
            note_id, text=text, tags=tags, fmt=fmt, expected_revision=expected
        )

    def delete_note(self, note_id: str) -> Note:
        return self.writable_annotations().delete(note_id)

    def add_item(self, kind: str, data: dict[str, Any]) -> Item:
        return self.writable_annotations().add_item(kind, data)

    def edit_item(self, item_id: str, data: dict[str, Any], expected: str | None) -> Item:
        return self.writable_annotations().edit_item(item_id, data, expected_revision=expected)

    def delete_item(self, item_id: str) -> Item:
        return self.writable_annotations().delete_item(item_id)

    def undo(self) -> None:
        self.writable_annotations().undo()

    def redo(self) -> None:
        self.writable_annotations().redo()

    @property
    def can_undo(self) -> bool:
        return self.annotations is not None and self.annotations.can_undo

    @property
    def can_redo(self) -> bool:
        return self.annotations is not None and self.annotations.can_redo

    def noted_events(self) -> set[str]:
        return {str(n.target.id) for n in self.notes() if n.target.kind == "event"}

    def resolve_target(self, target: Target) -> TargetInfo:
        """What a note is on, named for showing."""
        return note_targets.resolve_target(self, target)

    def current_target(self) -> Target:
        """What a new note is about: the selected event or entity, else the days in view."""
        if self.selected_event:
            return Target("event", self.selected_event)
        if self.selected_entity:
            return Target("entity", self.selected_entity)
        if self.selected_source:
            return Target("source", self.selected_source)

        x0, x1 = self.window or (0.0, tw.DAY)
        return Target(
            "range", None, dates.day_of_seconds(x0), dates.day_of_seconds(max(x0, x1 - 1))
        )

    def event_notes(self, detail: EventDetail) -> tuple[list[Note], dict[str, str]] | None:
        return note_targets.event_notes(self, detail)

    def entity_notes(self, detail: EntityDetail) -> tuple[list[Note], dict[str, str]] | None:
        return note_targets.entity_notes(self, detail)

    # --- the project's own view (model.projects keeps it) --------------------------------

    def view_state(self) -> dict[str, Any]:
        return projects.view_state(self)

    def restore_view(self, state: dict[str, Any] | None) -> None:
        projects.restore_view(self, state)

    def refresh_own(self, changes: Changes) -> None:
        """Read the own items again (a layer hidden or shown) and tell `changes` with it
        (the catalog counts as changed only when it was made again)."""
        loaded = self._load_own()
        self._tell(loaded | changes, changed=loaded.catalog)

    def reload(self) -> None:
        """Read the notes and own items again (another window or process wrote them) and
        tell the views."""
        self._tell(self._load_own() | Changes(notes=True, undo=True))

    def announce_everything(self) -> None:
        """Tell the views to show the project afresh (it was just opened: what they show
        of its catalog, made since, stays)."""
        self._tell(EVERYTHING, changed=False)
