"""Which database files have passed SQLite's full `integrity_check`, as they are now.

A database Explorer did not write itself (a colleague's project, a download) is checked in
full the first time it is opened: `integrity_check` also compares every index with its
table, which `quick_check` does not, and costs about 8x as much (0.5 s at 100,000 events,
7.8 s at 1,000,000 here). A file is known by its resolved path and the size and modification
time of it and its -wal file, kept in a small JSON ledger in the user's data folder; any
change made elsewhere brings the full check back. Files Explorer has just written itself are
recorded when it closes them. The ledger is a cache: if it cannot be read or written, files
are simply checked in full again.
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


def identity(path: Path) -> list[int] | None:
    """Size and modification time of the file and its -wal file (None if it is gone)."""
    try:
        st = path.stat()
    except OSError:
        return None
    wal = path.with_name(path.name + "-wal")
    try:
        wst = wal.stat()
        extra = [wst.st_size, wst.st_mtime_ns]
    except OSError:
        extra = [0, 0]
    return [st.st_size, st.st_mtime_ns, *extra]


def _read() -> dict[str, list[int]]:
    try:
        data = json.loads(_ledger().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, list)}


def known(path: Path) -> bool:
    """Whether `path`, exactly as it is now, passed a full check before."""
    now = identity(path)
    return now is not None and _read().get(str(path.resolve())) == now


def remember(path: Path) -> None:
    now = identity(path)
    if now is None:
        return
    data = _read()
    key = str(path.resolve())
    data.pop(key, None)
    data[key] = now  # newest last
    while len(data) > LIMIT:
        data.pop(next(iter(data)))
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
