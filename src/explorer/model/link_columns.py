"""The link index's columns, and how they are read from a project: its events sorted by
start, each event's links (entity, role) and cited sources after one another in that order,
with where each event's run of them starts. A small project's columns are held in memory;
a large one's are written once to flat files in the user's cache folder and read from
there a block of rows at a time, so that the views never hold a ten-million-event project in
memory. Reading them from the project streams its rows: memory grows with the number of
events (a few bytes each), never with a list of rows. Qt-free.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from explorer.store.schema import ENTITY_KINDS

#: `place_within` of a place's own point, and of an approximate one whose container is unknown
EXACT, APPROXIMATE = -1, -2
#: Rows read from SQLite, and written to the columns, at a time.
CHUNK = 1 << 16
#: Links (or citations) of a large project put in place at a time: the rows are read back
#: from their file once per part, and memory holds one part's.
PART = 1 << 22
#: The small tables and the names of things, held in memory for every project.
SMALL = (
    "entity_kind",
    "place_entity",
    "place_lat",
    "place_lon",
    "place_within",
    "block_first",
    "block_end",
    "events",
    "block",
)
LISTS = ("categories", "entity_ids", "roles", "source_ids")
#: Each column's type: events (by position), links and citations (in runs by event).
WIDE = {
    "rowid": np.int64,
    "t0": np.float64,
    "t1": np.float64,
    "category": np.int16,
    "link_start": np.int64,
    "link_entity": np.int32,
    "link_role": np.int16,
    "cite_start": np.int64,
    "cite_source": np.int32,
}


class Columns:
    """Named arrays held in memory, read by row range."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._arrays = arrays

    def read(self, name: str, lo: int, hi: int) -> np.ndarray:
        return self._arrays[name][lo:hi]

    def whole(self, name: str) -> np.ndarray:
        return self._arrays[name]


class FileColumns(Columns):
    """Columns in flat files of a folder (`NAME.bin`, native byte order), each read a range
    at a time: nothing stays in memory but what a caller keeps."""

    def __init__(self, folder: Path) -> None:
        super().__init__({})
        self.folder = folder

    def read(self, name: str, lo: int, hi: int) -> np.ndarray:
        kind = np.dtype(WIDE[name])
        if hi <= lo:
            return np.zeros(0, dtype=kind)
        path = self.folder / f"{name}.bin"
        return np.fromfile(path, dtype=kind, count=hi - lo, offset=lo * kind.itemsize)

    def whole(self, name: str) -> np.ndarray:
        return np.fromfile(self.folder / f"{name}.bin", dtype=WIDE[name])


class _Sink:
    """Where the columns are written as they are read: memory, or a folder's files."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in WIDE}

    def put(self, name: str, values: np.ndarray) -> None:
        values = np.ascontiguousarray(values, dtype=WIDE[name])
        if self.folder is None:
            self.parts[name].append(values)
        else:
            with open(self.folder / f"{name}.bin", "ab") as out:
                values.tofile(out)

    def columns(self) -> Columns:
        if self.folder is not None:
            return FileColumns(self.folder)
        return Columns(
            {k: np.concatenate(v) if v else np.zeros(0, WIDE[k]) for k, v in self.parts.items()}
        )


def _at(places: np.ndarray, rowids: tuple[Any, ...]) -> np.ndarray:
    """Each rowid's place in `places` (rowid-indexed), -1 for a rowid past it: a link whose
    event, entity or source is gone (store/links.py) is left out, as the views leave it."""
    at = np.array(rowids, dtype=np.int64)
    out = np.full(at.size, -1, dtype=np.int64)
    inside = at < places.size
    out[inside] = places[at[inside]]
    return out


def _rows(conn: sqlite3.Connection, sql: str) -> Iterator[list[tuple[Any, ...]]]:
    cur = conn.execute(sql)
    while rows := cur.fetchmany(CHUNK):
        yield rows


def _code(values: Any, index: dict[str, int]) -> np.ndarray:
    return np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64)


def read(conn: sqlite3.Connection, folder: Path | None) -> tuple[Columns, dict[str, Any]]:
    """Read a project's columns (into `folder`'s files, or memory when None) and its small
    tables and names."""
    sink = _Sink(folder)
    n, top = conn.execute("SELECT count(*), max(rowid) FROM events").fetchone()
    top = top or 0
    # events by (start, rowid), from the start index; their ends and categories by rowid
    end = np.zeros(top + 1, dtype=np.float64)
    category = np.zeros(top + 1, dtype=np.int16)
    categories: dict[str, int] = {}
    for rows in _rows(conn, "SELECT rowid, t1, category FROM events"):
        ids, t1s, cats = zip(*rows, strict=True)
        at = np.array(ids, dtype=np.int64)
        end[at] = t1s
        category[at] = _code(cats, categories)
    position = np.full(top + 1, -1, dtype=np.int32)
    done = 0
    first: list[float] = []  # each block's first start and latest end (a chunk is a block)
    latest: list[float] = []
    for rows in _rows(conn, "SELECT rowid, t0 FROM events ORDER BY t0, rowid"):
        ids, t0s = zip(*rows, strict=True)
        at = np.array(ids, dtype=np.int64)
        position[at] = np.arange(done, done + at.size)
        done += at.size
        sink.put("rowid", at)
        sink.put("t0", np.array(t0s, dtype=np.float64))
        sink.put("t1", end[at])
        sink.put("category", category[at])
        first.append(float(t0s[0]))
        latest.append(float(end[at].max()))
    del end, category

    ents = conn.execute("SELECT rowid, id, kind FROM entities ORDER BY rowid").fetchall()
    ent_pos = np.full(max((r[0] for r in ents), default=0) + 1, -1, dtype=np.int64)
    ent_pos[[r[0] for r in ents]] = np.arange(len(ents))
    kind_index = {k: i for i, k in enumerate(ENTITY_KINDS)}
    # the roles' codes in the order of their numbers (store/links.py), read as numbers
    named = conn.execute("SELECT id, name FROM link_roles ORDER BY id").fetchall()
    roles = {str(name): code for code, (_, name) in enumerate(named)}
    role_code = np.full(max((r[0] for r in named), default=0) + 1, -1, dtype=np.int64)
    role_code[[r[0] for r in named]] = np.arange(len(named))

    def links(rows: list[tuple[Any, ...]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ev, en, role = zip(*rows, strict=True)
        return _at(position, ev), _at(ent_pos, en), _at(role_code, role)

    _runs(
        sink,
        n,
        "link",
        ("link_entity", "link_role"),
        (
            links(rows)
            for rows in _rows(
                conn,
                "SELECT event, entity, role FROM event_entity_links",
            )
        ),
        roles,
    )
    srcs = conn.execute("SELECT rowid, id FROM sources ORDER BY rowid").fetchall()
    src_pos = np.full(max((r[0] for r in srcs), default=0) + 1, -1, dtype=np.int64)
    src_pos[[r[0] for r in srcs]] = np.arange(len(srcs))

    def cites(rows: list[tuple[Any, ...]]) -> tuple[np.ndarray, np.ndarray]:
        ev, src = zip(*rows, strict=True)
        return _at(position, ev), _at(src_pos, src)

    _runs(
        sink,
        n,
        "cite",
        ("cite_source",),
        (
            cites(rows)
            for rows in _rows(
                conn,
                "SELECT event, source FROM event_source_links",
            )
        ),
    )
    small: dict[str, Any] = {
        "events": done,
        "block": CHUNK,
        "block_first": np.array(first, dtype=np.float64),
        "block_end": np.array(latest, dtype=np.float64),
        "entity_kind": np.array([kind_index.get(r[2], 0) for r in ents], dtype=np.int64),
        "categories": list(categories),
        "entity_ids": [str(r[1]) for r in ents],
        "roles": list(roles),
        "source_ids": [str(r[1]) for r in srcs],
    }
    small.update(_places(conn, ent_pos))
    return sink.columns(), small


class _Spill:
    """Chunks of rows kept until they are put in place: in memory, or in files of a folder
    (removed when read back)."""

    def __init__(self, folder: Path | None, prefix: str) -> None:
        self.folder = folder
        self.prefix = prefix
        self.held: list[tuple[np.ndarray, ...]] = []
        self.sizes: list[int] = []

    def _path(self, k: int) -> Path:
        assert self.folder is not None
        return self.folder / f"{self.prefix}-spill-{k}.bin"

    def put(self, chunk: tuple[np.ndarray, ...]) -> None:
        if self.folder is None:
            self.held.append(chunk)
            return
        self.sizes.append(chunk[0].size)
        for k, column in enumerate(chunk):
            with open(self._path(k), "ab") as out:
                column.tofile(out)

    def chunks(self, names: tuple[str, ...]) -> Iterator[tuple[np.ndarray, ...]]:
        if self.folder is None:
            yield from self.held
            return
        kinds = [np.dtype(np.int32)] + [np.dtype(WIDE[name]) for name in names]
        done = 0
        for size in self.sizes:
            yield tuple(
                np.fromfile(self._path(k), dtype=kind, count=size, offset=done * kind.itemsize)
                for k, kind in enumerate(kinds)
            )
            done += size

    def close(self) -> None:
        self.held.clear()
        if self.folder is not None:
            for path in self.folder.glob(f"{self.prefix}-spill-*.bin"):
                path.unlink(missing_ok=True)


def _runs(
    sink: _Sink,
    n: int,
    prefix: str,
    names: tuple[str, ...],
    chunks: Iterator[tuple[np.ndarray, ...]],
    names_of: dict[str, int] | None = None,
) -> None:
    """Write rows (event position, key, value...) as runs by event, each run sorted by key
    with one row per (event, key): the first, or with `names_of` (the names of the first
    value's codes), the one whose first value's name sorts first; and where each event's run
    starts. The rows come in any order: they are counted per event and put in place (a
    counting sort), so memory holds the rows' values and a count per event, never a sort of
    all of them; a large project's rows wait in a file of the cache folder meanwhile."""
    counts = np.zeros(n + 1, dtype=np.int32)
    spill = _Spill(sink.folder, prefix)
    for pos, *values in chunks:
        keep = (pos >= 0) & (values[0] >= 0)  # a link to a row that is not there: none
        pos = pos[keep]
        np.add.at(counts, pos + 1, 1)
        kept = [v[keep].astype(WIDE[name]) for v, name in zip(values, names, strict=True)]
        spill.put((pos.astype(np.int32), *kept))
    total = int(counts.sum(dtype=np.int64))
    start = np.cumsum(counts, dtype=np.int64 if total >= 2**31 else np.int32)
    del counts
    tie = np.zeros(1 << 16, dtype=np.int64)  # each code's place by name (codes are int16)
    if names_of:
        tie[[names_of[k] for k in sorted(names_of)]] = np.arange(len(names_of))
    written = 0
    lo = 0
    while lo < n:  # a part of the events at a time: memory holds its rows, not all rows
        hi = min(n, lo + CHUNK)
        while hi < n and (sink.folder is None or start[min(n, hi + CHUNK)] - start[lo] <= PART):
            hi = min(n, hi + CHUNK)
        base = int(start[lo])
        out = [np.empty(int(start[hi]) - base, dtype=WIDE[name]) for name in names]
        fill = start[lo:hi] - base
        for pos, *values in spill.chunks(names):
            inside = (pos >= lo) & (pos < hi)
            if not inside.any():
                continue
            pos = pos[inside] - lo
            order = np.argsort(pos, kind="stable")
            pos = pos[order]
            first = np.r_[True, pos[1:] != pos[:-1]]
            group = np.flatnonzero(first)
            rank = np.arange(pos.size) - np.repeat(group, np.diff(np.r_[group, pos.size]))
            at = fill[pos] + rank
            for column, v in zip(out, values, strict=True):
                column[at] = v[inside][order]
            fill[pos[group]] += np.diff(np.r_[group, pos.size]).astype(fill.dtype)
        del fill
        # each event's run sorted by key, one row per (event, key), a block at a time
        for b_lo in range(lo, hi, CHUNK):
            b_hi = min(hi, b_lo + CHUNK)
            a, b = int(start[b_lo]) - base, int(start[b_hi]) - base
            event = np.repeat(np.arange(b_lo, b_hi), np.diff(start[b_lo : b_hi + 1]))
            key = out[0][a:b]
            ties = tie[out[1][a:b]] if len(out) > 1 else np.zeros(b - a, dtype=np.int64)
            order = np.lexsort((np.arange(b - a), ties, key, event))
            event, key = event[order], key[order]
            first = np.ones(event.size, dtype=bool)
            first[1:] = (event[1:] != event[:-1]) | (key[1:] != key[:-1])
            sink.put(
                f"{prefix}_start", written + np.searchsorted(event[first], np.arange(b_lo, b_hi))
            )
            for name, column in zip(names, out, strict=True):
                sink.put(name, column[a:b][order][first])
            written += int(first.sum())
        del out
        lo = hi
    spill.close()
    sink.put(f"{prefix}_start", np.array([written]))


def _places(conn: sqlite3.Connection, ent_pos: np.ndarray) -> dict[str, np.ndarray]:
    """Places with coordinates: entity position, latitude, longitude, and for a point that
    is not the place's own, the position of the place containing it whose point it is
    (EXACT for a place's own point, APPROXIMATE when no container is named)."""
    has_locations = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'locations'"
    ).fetchone()
    columns = {r[1] for r in conn.execute("PRAGMA table_info(locations)")}
    within, join = str(EXACT), ""
    if "approximate" in columns:  # schema 11
        within = (
            f"CASE WHEN NOT l.approximate THEN {EXACT} ELSE coalesce(w.rowid, {APPROXIMATE}) END"
        )
        join = "LEFT JOIN entities w ON w.id = l.within_id"
    found = (
        conn.execute(
            f"""SELECT en.rowid, l.lat, l.lon, {within} FROM locations l
                JOIN entities en ON en.id = l.entity_id {join}"""
        ).fetchall()
        if has_locations
        else []
    )
    return {
        "place_entity": ent_pos[np.array([p[0] for p in found], dtype=np.int64)],
        "place_lat": np.array([p[1] for p in found], dtype=np.float64),
        "place_lon": np.array([p[2] for p in found], dtype=np.float64),
        "place_within": np.array(
            [ent_pos[p[3]] if p[3] >= 0 else p[3] for p in found], dtype=np.int64
        ),
    }


# --- the cache ------------------------------------------------------------------------


def save_small(folder: Path, small: dict[str, Any], stamp: str) -> None:
    arrays: dict[str, Any] = {k: small[k] for k in SMALL}
    with open(folder / "small.npz", "wb") as out:
        np.savez(out, **arrays)
    lists = {k: small[k] for k in LISTS}
    (folder / "names.json").write_text(json.dumps(lists, ensure_ascii=False), encoding="utf-8")
    # written last: a folder without it (a write cut short) is not a cache
    (folder / "stamp").write_text(stamp, encoding="utf-8")


def load_small(folder: Path, stamp: str) -> dict[str, Any] | None:
    """The small tables and names of a cache folder made from this very file, or None."""
    try:
        if (folder / "stamp").read_text(encoding="utf-8") != stamp:
            return None
        with np.load(folder / "small.npz", allow_pickle=False) as saved:
            small: dict[str, Any] = {k: saved[k] for k in SMALL}
        small["events"], small["block"] = int(small["events"]), int(small["block"])
        lists = json.loads((folder / "names.json").read_text(encoding="utf-8"))
        small.update({k: [str(v) for v in lists[k]] for k in LISTS})
        n = small["events"]
        size = {name: (folder / f"{name}.bin").stat().st_size for name in WIDE}
        rows = {name: size[name] // np.dtype(kind).itemsize for name, kind in WIDE.items()}
        whole = all(
            size[name] == rows[name] * np.dtype(kind).itemsize for name, kind in WIDE.items()
        )
        events = all(rows[k] == n for k in ("rowid", "t0", "t1", "category"))
        starts = rows["link_start"] == rows["cite_start"] == n + 1
        if not (whole and events and starts):  # a write cut short: not a cache
            return None
        columns = FileColumns(folder)  # the last start of each: how many rows follow
        links = int(columns.read("link_start", n, n + 1)[0])
        cites = int(columns.read("cite_start", n, n + 1)[0])
        if not (rows["link_entity"] == rows["link_role"] == links and rows["cite_source"] == cites):
            return None
        return small
    except (OSError, KeyError, ValueError, TypeError):
        return None


def replace_folder(part: Path, folder: Path) -> Path:
    """Put a finished cache folder in place of the one before it, and say where it is: if
    another process put its own there meanwhile (two windows on one new project), that one,
    and this one is removed."""
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    try:
        os.replace(part, folder)
    except OSError:
        if not (folder / "stamp").is_file():
            return part  # kept where it was written: whole, and used from there
        shutil.rmtree(part, ignore_errors=True)
    return folder
