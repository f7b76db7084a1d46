"""A WAL database on a really read-only filesystem (a read-only bind mount in a private
mount namespace) opens and searches, and is not modified."""

import hashlib
import shutil
import sqlite3
import subprocess
import sys

import pytest


def _can_mount_read_only() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount --bind /tmp /tmp && mount -o remount,ro,bind /tmp"],
        capture_output=True,
    )
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not _can_mount_read_only(), reason="needs unprivileged user and mount namespaces"
)


def test_wal_database_on_read_only_mount(mini_db, tmp_path):
    conn = sqlite3.connect(mini_db)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    folder = mini_db.parent
    before = hashlib.sha256(mini_db.read_bytes()).hexdigest()
    script = (
        f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && "
        f"{sys.executable} -m explorer --db {mini_db} search 바이두 --json && "
        f"{sys.executable} -m explorer --db {mini_db} check"
    )
    run = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert '"ref_id": "ent-baidu"' in run.stdout
    assert "integrity: ok" in run.stdout
    assert hashlib.sha256(mini_db.read_bytes()).hexdigest() == before
