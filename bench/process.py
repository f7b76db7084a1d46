"""Whole-process figures: `explorer search` and `explorer screenshot` as a user runs them, on
the bundled data and on large projects, first and later opens (figures only, nothing is
asserted). Each command is a new process, timed from its start to its exit, with its peak
resident memory (from `/usr/bin/time -v` where it exists).

    python bench/process.py bench/.projects/demo-1000000.db [more projects...]

For each project:
- "first, in the folder that built it": the user folder in which `explorer demo-data` wrote
  the project (it knows the file as sound: no check);
- "first, in a fresh folder": a colleague's copy, never seen: the full check runs before the
  first answer (the default), or is skipped with --no-check;
- "later": the same command again, in the same folder (median of 3).
The simple approach in the same run: one Python process that opens the file and scans it
with LIKE for the same words (what a script without Explorer's index would do).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Whole processes are timed as an installed app runs them: with its modules' bytecode
# written (a shell that forbids writing it would have every start compile them all).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parents[1]
TIME = Path("/usr/bin/time")
QUERY = "上海"
SIMPLE = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)\n"
    'rows = c.execute("SELECT id, title FROM events WHERE title LIKE ?1 OR title_en LIKE ?1'
    " OR summary LIKE ?1 LIMIT 20\", [f'%{sys.argv[2]}%']).fetchall()\n"
    "print(len(rows))\n"
)


def load() -> str:
    try:
        return os.getloadavg().__repr__()
    except OSError:
        return "?"


def run(argv: list[str], home: Path) -> tuple[float, float, str]:
    """Seconds from start to exit, peak resident MB (0 if unknown), stderr."""
    env = {**os.environ, "EXPLORER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = str(ROOT / "src")
    cmd = [sys.executable, *argv]
    if TIME.exists():
        cmd = [str(TIME), "-f", "%M", *cmd]
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    took = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{argv} failed: {p.stderr[-500:]}")
    peak = 0.0
    err = p.stderr
    if TIME.exists():
        lines = err.rstrip("\n").split("\n")
        peak, err = int(lines[-1]) / 1024, "\n".join(lines[:-1])
    return took, peak, err


def row(label: str, took: float, peak: float, base: float | None) -> None:
    ratio = f"{took / base:8.1f}x" if base else " " * 9
    print(f"  {label:<62} {took:8.2f} s {peak:7.0f} MB {ratio}  load {load()}")


def bench(db: Path, built_home: Path | None, base: dict[str, float], out: Path) -> dict[str, float]:
    size = db.stat().st_size / 2**20
    print(f"\n== {db} ({size:,.0f} MB)")
    print(f"  {'command':<62} {'time':>10} {'peak':>10} {'ratio':>9}  (ratio: to the bundled data)")
    figures: dict[str, float] = {}
    search = ["-m", "explorer", "search", QUERY, "--db", str(db), "--limit", "20"]
    shot = ["-m", "explorer", "screenshot", str(out), "--db", str(db)]
    for name, argv in (("search", search), ("screenshot", shot)):
        if built_home is not None:
            home = Path(tempfile.mkdtemp(prefix="explorer-proc-"))
            ledger = built_home / "checked-files.json"
            if ledger.exists():  # what that folder knows of the files it wrote
                shutil.copyfile(ledger, home / ledger.name)
            took, peak, _ = run(argv, home)
            row(
                f"explorer {name}: first, in the folder that built it",
                took,
                peak,
                base.get(f"{name} first"),
            )
            figures[f"{name} first"] = took
        home = Path(tempfile.mkdtemp(prefix="explorer-proc-"))
        took, peak, err = run(argv, home)
        checked = "checked first" if "checking" in err else "no check needed"
        row(
            f"explorer {name}: first, in a fresh folder ({checked})",
            took,
            peak,
            base.get(f"{name} first"),
        )
        figures.setdefault(f"{name} first", took)
        figures[f"{name} fresh"] = took
        later = [run(argv, home) for _ in range(3)]
        took = statistics.median(t for t, _, _ in later)
        peak = max(p for _, p, _ in later)
        row(f"explorer {name}: later (median of 3)", took, peak, base.get(f"{name} later"))
        figures[f"{name} later"] = took
        if built_home is not None:
            home = Path(tempfile.mkdtemp(prefix="explorer-proc-"))
            took, peak, _ = run([*argv, "--no-check"], home)
            row(
                f"explorer {name} --no-check: first, in a fresh folder",
                took,
                peak,
                base.get(f"{name} first"),
            )
    home = Path(tempfile.mkdtemp(prefix="explorer-proc-"))
    simple = [run(["-c", SIMPLE, str(db), QUERY], home)[0] for _ in range(3)]
    row(
        "simple: a Python process scanning titles with LIKE",
        statistics.median(simple),
        0,
        base.get("simple"),
    )
    figures["simple"] = statistics.median(simple)
    return figures


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("projects", nargs="*", type=Path)
    ap.add_argument(
        "--home",
        type=Path,
        help="the user folder in which the projects were built (default: this user's)",
    )
    args = ap.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; query {QUERY!r}"
    )
    out = Path(tempfile.mkdtemp(prefix="explorer-shot-")) / "shot.png"
    sys.path.insert(0, str(ROOT / "src"))
    from explorer import paths

    base = bench(paths.bundled_db(), None, {}, out)
    built = args.home or paths.user_data_dir()
    for db in args.projects:
        bench(db, built, base, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
