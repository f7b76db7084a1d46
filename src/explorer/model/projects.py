"""Projects a researcher works with: the recently opened ones (the bundled dataset always
among them), and each project's own view (time window, grouping, filters, selection, hidden
layers), kept in the per-user data folder so that every project opens where it was left and
a project with no remembered view opens fitted to its data.

Qt-free: files of JSON, written whole (a write that fails leaves the old one), read
forgivingly (a damaged or foreign value is ignored, never fatal).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer import paths
from explorer.model import window as tw
from explorer.model.changes import EVERYTHING, Changes
from explorer.model.filters import Filters
from explorer.model.timeline import GROUPINGS
from explorer.store.errors import StoreError

if TYPE_CHECKING:
    from explorer.model.workspace import Workspace

RECENT = "recent-projects.json"
VIEWS = "views"
RECENT_LIMIT = 12
FACETS = ("kinds", "entities", "sources", "categories")


def _write_json(path: Path, data: object) -> None:
    """Replace `path` whole; a failure (a full disk) keeps what was there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def recent() -> list[Path]:
    """Recently opened projects that still exist, the most recent first; the bundled
    dataset is always there (last, unless it was opened recently)."""
    data = _read_json(paths.user_data_dir() / RECENT)
    found: list[Path] = []
    if isinstance(data, list):
        for item in data:
            if isinstance(item, str) and Path(item).is_file() and Path(item) not in found:
                found.append(Path(item))
    bundled = paths.bundled_db()
    if bundled.is_file() and not any(_same(p, bundled) for p in found):
        found.append(bundled)
    return found[:RECENT_LIMIT]


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def remember(path: Path) -> None:
    """Put `path` first among the recent projects (a cache: failures are ignored)."""
    listed = [p for p in recent() if not _same(p, path)]
    with contextlib.suppress(OSError):  # a cache
        _write_json(
            paths.user_data_dir() / RECENT,
            [str(p) for p in [path.resolve(), *listed][:RECENT_LIMIT]],
        )


def view_file(key: str) -> Path:
    """Where a project's view is kept; `key` is the project's (Annotations.project_key)."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in key)[:60]
    return paths.user_data_dir() / VIEWS / f"{safe}-{digest}.json"


def filters_to_dict(f: Filters) -> dict[str, Any]:
    out: dict[str, Any] = {facet: sorted(getattr(f, facet)) for facet in FACETS}
    out["date_from"], out["date_to"] = f.date_from, f.date_to
    return out


def filters_from_dict(data: object) -> Filters:
    """Filters from a remembered view; anything malformed is left out."""
    if not isinstance(data, dict):
        return Filters()
    sets: dict[str, frozenset[str]] = {}
    for facet in FACETS:
        values = data.get(facet)
        if isinstance(values, list):
            sets[facet] = frozenset(v for v in values if isinstance(v, str))
    days: dict[str, str | None] = {}
    for key in ("date_from", "date_to"):
        value = data.get(key)
        days[key] = value if isinstance(value, str) and len(value) <= 20 else None
    f = Filters(**sets, **days)  # type: ignore[arg-type]
    try:  # a date that is not a day is dropped, not fatal
        _ = f.t_from, f.t_to
    except ValueError:
        f = Filters(**sets)  # type: ignore[arg-type]
    return f


def save_view(key: str, state: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):  # without it, the project opens fitted to its data
        _write_json(view_file(key), state)


def load_view(key: str) -> dict[str, Any] | None:
    data = _read_json(view_file(key))
    return data if isinstance(data, dict) else None


def valid_window(value: object) -> tuple[float, float] | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and abs(v) < 1e20 for v in value)
        and value[0] < value[1]
    ):
        return float(value[0]), float(value[1])
    return None


def valid_grouping(value: object) -> str | None:
    return value if isinstance(value, str) and value in GROUPINGS else None


def folder_for(path: Path) -> None:
    """Make the folder a new project file goes in, or say in a sentence why it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"the folder {path.parent} cannot be made ({exc.strerror or exc}); "
            "choose another place for the project"
        ) from None


def new_project(path: Path) -> Path:
    """An empty project of one's own at `path` (its folder made if need be); refuses a path
    that exists."""
    from explorer.store.connection import create_store

    path = path.expanduser()
    if path.exists():
        raise StoreError(f"{path} already exists; choose a new name for the project")
    folder_for(path)
    create_store(path).close()
    remember(path)
    return path


def view_state(ws: Workspace) -> dict[str, Any]:
    """What to reopen a project on: window, grouping, filters, selection, hidden layers."""
    selected = None
    if ws.selected_event:
        selected = {"kind": "event", "id": ws.selected_event}
    elif ws.selected_entity:
        selected = {"kind": "entity", "id": ws.selected_entity}
    elif ws.selected_source:
        selected = {"kind": "source", "id": ws.selected_source}
    return {
        "window": list(ws.window) if ws.window else None,
        "grouping": ws.grouping,
        "filters": filters_to_dict(ws.filters),
        "selected": selected,
        "hidden_layers": sorted(ws.hidden_layers),
    }


def restore_view(ws: Workspace, state: dict[str, Any] | None) -> None:
    """Open a project on a remembered view; without one (or with a broken one), fitted to
    its data. Anything the project no longer has is left out."""
    state = state if isinstance(state, dict) else {}
    ws.grouping = valid_grouping(state.get("grouping")) or ws.grouping
    layers = state.get("hidden_layers")
    if isinstance(layers, list):
        ws.hidden_layers = {x for x in layers if isinstance(x, str)}
    ws.filters = filters_from_dict(state.get("filters"))
    ws.refresh_own(Changes())  # the own items without the hidden layers; filters applied
    window = valid_window(state.get("window"))
    ws.window = tw.clamp(window, ws.extent()) if window else tw.fitted(ws.extent())
    selected = state.get("selected")
    if isinstance(selected, dict) and isinstance(selected.get("id"), str):
        choosers: dict[str, Callable[..., object]] = {
            "event": ws.select_event,
            "entity": ws.select_entity,
            "source": ws.select_source,
        }
        chosen = choosers.get(str(selected.get("kind")))
        if chosen is not None:
            with contextlib.suppress(StoreError):  # gone since: open without it
                chosen(selected["id"])
    ws.refresh_own(EVERYTHING)
