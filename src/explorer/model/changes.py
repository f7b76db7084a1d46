"""What changed in an open project, said once to every listener.

Every use case of the workspace (and every write of the annotations) ends by telling its
listeners one `Changes` value: which parts of what the views show are no longer what they
showed, and who started it. A view refreshes what the flags name and nothing else, and may
ignore a change it started itself (`origin`), as Anki's operations return one `OpChanges`
broadcast once.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Changes:
    #: the events, entities and sources shown: the annotator's own items, a project reloaded
    catalog: bool = False
    #: notes (their list, their marks on the timeline, the notes in the panes)
    notes: bool = False
    filters: bool = False
    grouping: bool = False
    #: the selected event or entity and what is highlighted
    selection: bool = False
    #: what back and forward can reach
    history: bool = False
    #: the time window the timeline shows
    window: bool = False
    language: bool = False
    #: what undo and redo can do
    undo: bool = False
    #: the ids of the notes and own items written, when a write says which
    ids: frozenset[str] = frozenset()
    #: who asked for the change (a view passes itself), so that it can ignore its own
    origin: object = None

    def __or__(self, other: Changes) -> Changes:
        flags = {
            f.name: getattr(self, f.name) or getattr(other, f.name)
            for f in fields(self)
            if f.name not in ("ids", "origin")
        }
        return Changes(**flags, ids=self.ids | other.ids, origin=self.origin or other.origin)

    @property
    def anything(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name not in ("ids", "origin"))

    def own_items(self) -> bool:
        """Whether the annotator's own events, entities or sources may have changed."""
        return self.catalog or any(i.startswith("u-") for i in self.ids)


#: Everything: a project opened, a backup restored.
EVERYTHING = Changes(
    catalog=True,
    notes=True,
    filters=True,
    grouping=True,
    selection=True,
    history=True,
    window=True,
    language=True,
    undo=True,
)
