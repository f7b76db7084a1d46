"""Which database files are known to be sound as they are now: they passed SQLite's full
`integrity_check`, or Explorer wrote them itself.

A file in this ledger is opened without reading it (store.connection.open_store); any other
is checked in full, before its first use or in the background (store.integrity). The full
check also compares every index with its table, which `quick_check` does not, and reads the
whole file (7.8 s at a million events here, minutes for ten million from a cold disk).

A file is known by its resolved path and, for it and its -wal file, the size, the
modification time, the inode number and the status-change time (ctime), kept in a small JSON
ledger in the user's data folder. The ctime is what catches a change made elsewhere that put
the size and modification time back as they were (a one-byte edit followed by `touch -d`):
the kernel sets it on every write and on every change of the modification time, and no
program can set it back. What the ledger cannot see, and so what an open of a known file
does not detect until `explorer check` (which always checks in full) or a read of the
damaged page: a change that bypasses the file system (bit rot on the disk, writes to the raw
device), a file system that keeps no ctime, or a clock set back to the old ctime by root.

Files Explorer has just written itself are recorded when it closes them. The ledger is a
cache: if it cannot be read or written, files are simply checked in full again.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from explorer import paths

LEDGER = "checked-files.json"
LIMIT = 500  # files remembered; the oldest are forgotten first


def _ledger() -> Path:
    return paths.user_data_dir() / LEDGER


def _stat(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def identity(path: Path) -> list[int] | None:
    """Size, modification time, inode and status-change time of the file and of its -wal
    file (None if the file is gone)."""
    try:
        st = path.stat()
    except OSError:
        return None
    wal = path.with_name(path.name + "-wal")
    try:
        wst = wal.stat()
    except OSError:
        wst = None
    # An empty log holds nothing (SQLite makes one at the first read of a file in WAL mode)
    extra = _stat(wst) if wst is not None and wst.st_size > 0 else [0, 0, 0, 0]
    return [*_stat(st), *extra]


def _read() -> dict[str, list[int]]:
    try:
        data = json.loads(_ledger().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, list)}


def forget(path: Path) -> None:
    """Drop `path` from the ledger (a check found it damaged)."""
    data = _read()
    if data.pop(str(path.resolve()), None) is not None:
        _write(data)


def known(path: Path) -> bool:
    """Whether `path`, exactly as it is now, passed a full check before."""
    now = identity(path)
    return now is not None and _read().get(str(path.resolve())) == now


def remember(path: Path, as_it_was: list[int] | None = None) -> None:
    """Record `path` as sound as it is now; with `as_it_was` (its identity when a check
    began), only if it has not changed since."""
    now = identity(path)
    if now is None or (as_it_was is not None and now != as_it_was):
        return
    data = _read()
    key = str(path.resolve())
    data.pop(key, None)
    data[key] = now  # newest last
    while len(data) > LIMIT:
        data.pop(next(iter(data)))
    _write(data)


def _write(data: dict[str, list[int]]) -> None:
    ledger = _ledger()
    try:  # replaced whole (no fsync: losing it only means checking again)
        ledger.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{LEDGER}.", dir=ledger.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=0)
            os.replace(name, ledger)
        finally:
            Path(name).unlink(missing_ok=True)
    except OSError:
        pass  # a cache: the next open checks in full again
