"""Writing files so that a crash or a full disk never leaves a half-written one."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from explorer.store.errors import StoreError, StoreNotFound


def regular_file(path: Path, what: str) -> os.stat_result:
    """The file's status if `path` is a regular file (a link to one counts); otherwise a
    StoreError saying what it is. Opening a FIFO, a socket or a device for reading would block
    or read without end, so nothing else is ever opened."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise StoreNotFound(f"no file at {path}") from None
    except OSError as exc:
        raise StoreError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{path} is a folder, not {what}")
    if not stat.S_ISREG(st.st_mode):
        kind = "a named pipe" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
        raise StoreError(f"{path} is {kind}, not a regular file; it is not {what}")
    return st


def atomic_write(out: Path, data: bytes) -> None:
    """Write to a temporary file beside `out`, flush it to disk, then rename it over `out`."""
    with atomic_writer(out) as f:
        f.write(data)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once while the module loads: setting the umask to read it is not safe among threads.
_UMASK = _read_umask()


def _mode_for(out: Path) -> int:
    """The permissions `out` should end with: those of the file it replaces, else what any new
    file gets under the user's umask (a temporary file is made private, 0600, and a colleague
    on a shared drive could not read an export made through one)."""
    try:
        return out.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


@contextmanager
def atomic_writer(out: Path) -> Iterator[BinaryIO]:
    """A file to write `out` into piece by piece: a temporary file beside it, flushed to disk
    and renamed over `out` when the block ends, removed if the block fails."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        os.chmod(name, _mode_for(out))
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(name, out)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
