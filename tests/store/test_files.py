"""Files Explorer writes whole (exports, reports) get the permissions any file would."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from explorer.store.files import atomic_writer

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_a_new_export_is_readable_as_any_new_file(tmp_path: Path) -> None:
    """A temporary file is private (0600); an export made through one was unreadable by a
    colleague sharing the folder. It now gets what the umask gives a new file."""
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"x")
    out = tmp_path / "export.json"
    with atomic_writer(out) as f:
        f.write(b"{}")
    assert out.read_bytes() == b"{}"
    assert _mode(out) == _mode(plain)
    assert _mode(out) & stat.S_IRGRP or not _mode(plain) & stat.S_IRGRP


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_bytes(b"old")
    out.chmod(0o640)
    with atomic_writer(out) as f:
        f.write(b"new")
    assert out.read_bytes() == b"new"
    assert _mode(out) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_writer(out) as f:
        f.write(b"half")
        raise RuntimeError("disk full")
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
