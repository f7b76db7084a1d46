"""Crash test of note saving: a writer process adds notes (with tags) and prints each id once
`add` has returned; it is killed with SIGKILL at a random moment, again and again. Then:
every note the writer reported as saved must be in the work file, whole (its text carries
its own checksum, its tags and its revision history are all there), and the file must pass
PRAGMA integrity_check.

    python bench/crash_notes.py [--kills 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

WRITER = r"""
import hashlib, sys
from pathlib import Path
from explorer.store import notes
store = notes.open_work(Path(sys.argv[1]))
run = sys.argv[2]
i = 0
while True:
    body = f"{run}-{i} " + "메모 내용 " * 50
    digest = hashlib.sha256(body.encode()).hexdigest()
    note = notes.add(store.db, notes.Target("event", "ev-alliance"), f"{body}|{digest}",
                     author="crash", tags=[f"run-{run}", "crash"])
    print(note.id, flush=True)
    i += 1
"""


@dataclass
class Result:
    kills: int
    reported: int
    found: int
    missing: int
    torn: int
    integrity: str
    seconds: float


def _read_until_killed(
    proc: subprocess.Popen[str], delay: float, out: list[str], after_first: bool
) -> None:
    """Kill `proc` `delay` seconds after it starts, or (`after_first`) after it has reported
    its first saved note: on a loaded machine start-up alone can take longer than any
    delay, and no kill would then land while notes are being saved."""
    first = threading.Event()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            out.append(line.strip())
            first.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    if after_first:
        first.wait(30)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    t.join(timeout=5)
    if proc.stdout is not None:
        proc.stdout.close()


def run(kills: int, seed: int, folder: Path) -> Result:
    rng = random.Random(seed)
    path = folder / "work.db"
    reported: list[str] = []
    started = time.perf_counter()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for k in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(k)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        # Kill anywhere from during start-up to well into a run of saves.
        _read_until_killed(proc, rng.uniform(0.05, 0.6), reported, after_first=k % 2 == 1)
    seconds = time.perf_counter() - started
    reported = [r for r in reported if len(r) == 36]
    conn = sqlite3.connect(path)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    rows = {r[0]: r for r in conn.execute("SELECT id, text, revision FROM notes")}
    tags = {}
    for note_id, tag in conn.execute("SELECT note_id, tag FROM note_tags"):
        tags.setdefault(note_id, set()).add(tag)
    history = {(r[0], r[1]) for r in conn.execute("SELECT note_id, revision FROM note_history")}
    conn.close()
    missing = sum(1 for r in reported if r not in rows)
    torn = 0
    for note_id, text, revision in rows.values():
        body, _, digest = text.rpartition("|")
        whole = hashlib.sha256(body.encode()).hexdigest() == digest
        if not whole or len(tags.get(note_id, ())) != 2 or (note_id, revision) not in history:
            torn += 1
    return Result(kills, len(reported), len(rows), missing, torn, integrity, seconds)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = run(args.kills, args.seed, Path(tmp))
    print(f"crash test: {r.kills} SIGKILLs in {r.seconds:.0f} s")
    print(
        f"  notes reported saved: {r.reported}; in the file: {r.found} "
        f"(the file may hold a few more: saved just before the kill, not yet reported)"
    )
    print(
        f"  reported but missing: {r.missing}; half-written: {r.torn}; "
        f"integrity_check: {r.integrity}"
    )
    ok = r.missing == 0 and r.torn == 0 and r.integrity == "ok"
    print("  PASS" if ok else "  FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
