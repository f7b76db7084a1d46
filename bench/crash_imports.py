"""Crash test of imports: `explorer import` of an Explorer export that carries notes and own
items is killed with SIGKILL at a random moment, again and again, half of the time into a
project that exists and half into a new path. After each kill:

- the project is either exactly as before (or absent, for a new path) or fully imported:
  its rows are compared with the two expected dumps, never anything in between;
- once the project has been opened again (the next import), the work file holds either none
  of the export's notes or all of them, and all of them exactly when the rows landed;
- no file is left over beside the projects once the next import has run.

    python bench/crash_imports.py [--kills 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from explorer import paths
from explorer.dataset.demo import generate
from explorer.exchange.export import dump, export_json
from explorer.model.annotations import store_key
from explorer.model.imported_notes import deliver
from explorer.model.importing import run_import
from explorer.store import notes
from explorer.store.connection import open_store
from explorer.store.notes import Target


@dataclass
class Result:
    kills: int = 0
    before: int = 0  # project as it was (or absent)
    after: int = 0  # project fully imported
    between: int = 0  # anything else: must be 0
    notes_split: int = 0  # work file with some of the notes, or notes without rows: must be 0
    leftovers: list[str] = field(default_factory=list)
    integrity_failures: int = 0
    seconds: float = 0.0


def _rows(path: Path) -> str | None:
    if not path.exists():
        return None
    with open_store(path) as store:
        if store.db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "damaged"
        deliver(store)  # the next open delivers a parcel left waiting
        data = dump(store.db)
    return json.dumps(data, sort_keys=True, default=str)


def _notes_in_work(project: Path, home: Path) -> int:
    if not project.exists():
        return 0
    with open_store(project, readonly=True) as store:
        work = paths.work_file(store_key(store))
    assert work.is_relative_to(home)
    if not work.exists():
        return 0
    with notes.open_work(work) as w:
        return len(notes.list_notes(w.db, include_deleted=True))


def _prepare(folder: Path) -> tuple[Path, Path, int]:
    """A project of one's own (made by importing a small export), and an export of a bigger
    one that carries notes."""
    small = folder / "small.db"
    generate(small, 3000, 300, 2, lambda *_: None)
    with open_store(small, readonly=True) as store:
        export_json(store.db, folder / "small.json")
    base = folder / "base.db"
    run_import(folder / "small.json", base)
    big = folder / "big.db"
    generate(big, 15000, 800, 3, lambda *_: None)
    work = notes.open_work(folder / "big-work.db")
    for i in range(40):
        notes.add(work.db, Target("event", f"ev-{i:07d}"), f"note {i}", author="crash")
    export = folder / "export.json"
    with open_store(big, readonly=True) as store:
        export_json(store.db, export, work=work.db)
    work.close()
    return base, export, 40


def run(kills: int, seed: int, folder: Path) -> Result:
    rng = random.Random(seed)
    home = folder / "home"
    os.environ["EXPLORER_HOME"] = str(home)  # this process delivers waiting notes there too
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    base, export, carried = _prepare(folder)
    projects = folder / "projects"
    projects.mkdir()
    # what "before" and "after" look like, and how long a whole import takes
    existing_before = _rows(base)
    probe = projects / "probe.db"
    shutil.copyfile(base, probe)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "explorer", "import", str(export), "--db", str(probe)],
        env=env,
        check=True,
        capture_output=True,
    )
    whole = time.perf_counter() - started
    existing_after = _rows(probe)
    fresh = projects / "fresh-probe.db"
    subprocess.run(
        [sys.executable, "-m", "explorer", "import", str(export), "--db", str(fresh)],
        env=env,
        check=True,
        capture_output=True,
    )
    new_after = _rows(fresh)
    r = Result()
    started = time.perf_counter()
    for k in range(kills):
        into_new = k % 2 == 1
        target = projects / f"p{k}.db"
        if not into_new:
            shutil.copyfile(base, target)
        proc = subprocess.Popen(
            [sys.executable, "-m", "explorer", "import", str(export), "--db", str(target)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, whole * 1.3))  # some land after the end
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        r.kills += 1
        now = _rows(target)
        expected_before = None if into_new else existing_before
        expected_after = new_after if into_new else existing_after
        if now == "damaged":
            r.integrity_failures += 1
        elif now == expected_before:
            r.before += 1
        elif now == expected_after:
            r.after += 1
        else:
            r.between += 1
        found = _notes_in_work(target, home)
        landed = now == expected_after
        if found not in (0, carried) or (found == carried) != landed:
            r.notes_split += 1
    # the next import into the folder clears what killed ones left
    last = projects / "last.db"
    subprocess.run(
        [sys.executable, "-m", "explorer", "import", str(export), "--db", str(last)],
        env=env,
        check=True,
        capture_output=True,
    )
    r.leftovers = sorted(p.name for p in projects.iterdir() if p.name.startswith("."))
    r.seconds = time.perf_counter() - started
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = run(args.kills, args.seed, Path(tmp))
    print(f"import crash test: {r.kills} SIGKILLs in {r.seconds:.0f} s")
    print(f"  project as before: {r.before}; fully imported: {r.after}; in between: {r.between}")
    print(
        f"  notes split from their rows: {r.notes_split}; damaged: {r.integrity_failures}; "
        f"files left over after the next import: {len(r.leftovers)} {r.leftovers or ''}"
    )
    ok = r.between == 0 and r.notes_split == 0 and not r.leftovers and not r.integrity_failures
    print("  PASS" if ok else "  FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
