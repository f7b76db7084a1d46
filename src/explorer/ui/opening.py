"""Opening a project in a window: its workspace, with the notes writable here unless
another Explorer window holds them (a lock file beside the work file), and any notes an
import left waiting merged first."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile

from explorer import paths
from explorer.model import imported_notes
from explorer.model.annotations import Annotations, project_key
from explorer.model.session import Session
from explorer.model.workspace import Workspace
from explorer.store.errors import StoreError
from explorer.ui.i18n import Translator


@dataclass
class Opened:
    ws: Workspace
    lock: QLockFile
    lock_message: str  # why the notes are read-only here ("" when they are not)
    message: str  # what the status bar should say, if anything


def open_workspace(
    session: Session, work: Path | None, author: str, t: Translator, grouping: str
) -> Opened:
    path = work or paths.work_file(project_key(session))
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(f"{path}.lock")
    lock.setStaleLockTime(0)  # a dead holder's lock is stale; age is not
    read_only: str | None = None
    if not lock.tryLock(200):
        info = lock.getLockInfo()  # (pid, host, app) when readable
        pid = info[0] if isinstance(info, tuple) and info else "?"
        read_only = t("notes_locked", pid=pid)
    message = read_only or ""
    try:  # notes an import left waiting in the project are merged first (idempotent)
        imported_notes.deliver(session.store, path)
    except StoreError as exc:
        message = str(exc)
    annotations: Annotations | None
    try:
        annotations = Annotations.open(session, path, author or None)
    except StoreError as exc:
        annotations = None
        message = t("notes_unavailable", why=str(exc))
    ws = Workspace(session, annotations, lang=t.lang, grouping=grouping, notes_read_only=read_only)
    settle(ws)
    return Opened(ws, lock, read_only or "", message)


def store_message(session: Session, t: Translator) -> str | None:
    """What the window says of how its project was opened, in its language: a recovered
    copy of a file whose last write did not finish, or an upgrade (store.warning)."""
    store = session.store
    if store.recovered is not None:
        return t("recovered_copy", path=store.path)
    if store.upgraded_from is not None:
        kept = store.backup_path or "-"
        return t("upgraded", path=store.path, old=store.upgraded_from, new=store.schema_version,
                 kept=kept)  # fmt: skip
    return None


def settle(ws: Workspace) -> None:
    """Once a project is open, what is alive is kept out of full collections (see below):
    at the first opening in this process (Qt's and the libraries' objects: without it,
    steps at 1,000 events had a p99 of 143-198 ms, 31-44 ms with it), and again for a
    large project (its catalog)."""
    if gc.get_freeze_count() == 0 or ws.total_events >= FREEZE_FROM:  # none kept out yet
        keep_out_of_full_collections()


#: From this many events on, a project's own objects are worth keeping out too (it costs a
#: full collection at the opening; the suite opens hundreds of small windows).
FREEZE_FROM = 5_000


def keep_out_of_full_collections() -> None:
    """What is alive once a project is open (its catalog above all) is kept out of the
    garbage collector's full passes: each such pass walked it all, 100-120 ms at 10,000
    events, five times in one zoom from the whole span to a day; now they take 3-11 ms.
    The garbage of projects opened before is collected first (it is let back in)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
