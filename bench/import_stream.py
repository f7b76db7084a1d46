"""How reading a large import file scales: Explorer's streamed reader against reading the
whole file into memory first (the simple approach), on a generated Timesketch CSV.

    .venv/bin/python bench/import_stream.py --mb 200

Prints the time and the peak memory that Python allocated (tracemalloc) for each, and their
ratios. With --write, the whole import (reading and writing into a new project) is timed
too, each way in a process of its own (peak resident memory from getrusage, time without
tracemalloc): Explorer's import, which writes rows into its transaction as it reads them,
against reading the whole file into a batch first and then writing it.

    .venv/bin/python bench/import_stream.py --mb 200 --write --write-mb 40
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from explorer.exchange.imports import Batch, read, reader
from explorer.exchange.imports.apply import ImportReport, apply
from explorer.exchange.imports.text_input import TextReader
from explorer.store.connection import create_store

LINE = "event number {n} of a long timeline,2015-07-24T19:{m:02d}:{s:02d}+02:00,Write time,x{n}\n"


def make(path: Path, mb: int) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        f.write("message,datetime,timestamp_desc,extra\n")
        while f.tell() < mb << 20:
            f.write("".join(LINE.format(n=n + i, m=(n + i) % 60, s=i % 60) for i in range(5000)))
            n += 5000
    return n


def measure(label: str, fn):  # type: ignore[no-untyped-def]
    tracemalloc.start()
    t = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<34} {seconds:7.2f} s   peak {peak / 2**20:8.1f} MB")
    return result, seconds, peak


def whole_file_rows(path: Path) -> int:
    text = path.read_text(encoding="utf-8")  # the simple way: all of it, then parse
    return sum(1 for _ in csv.reader(io.StringIO(text)))


def streamed_rows(path: Path) -> int:
    return sum(1 for _ in csv.reader(TextReader(path).lines()))


def peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux from VmHWM, which starts afresh at exec
    (getrusage's maxrss keeps the parent's peak across fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_once(mode: str, src: Path, db: Path) -> None:
    """One import in this process; prints seconds, peak RSS in MB and events written."""
    store = create_store(db)
    t = time.perf_counter()
    if mode == "streamed":
        fmt, fill = reader(src, "auto", store.db)
        report = ImportReport(str(src), fmt, None, 0)
        apply(store, Batch(fmt), report, fill=fill)
    else:
        batch = read(src, "auto", store.db)
        report = ImportReport(str(src), batch.format, batch.title, batch.seen)
        apply(store, batch, report)
    seconds = time.perf_counter() - t
    store.close()
    rss = peak_rss_mb()
    print(f"{seconds:.2f} {rss:.0f} {report.added.get('events', 0)}")


def compare_imports(mb: int, tmp: Path) -> None:
    src = tmp / "write.csv"
    n = make(src, mb)
    print(f"\nimport into a new project: {src.stat().st_size / 2**20:.0f} MB, {n:,} rows")
    figures = {}
    for mode in ("streamed", "batch"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(src), str(tmp / f"{mode}.db")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        seconds, rss, events = float(out[0]), float(out[1]), int(out[2])
        figures[mode] = seconds, rss
        label = {"streamed": "written as read (Explorer)", "batch": "whole batch, then write"}
        print(f"{label[mode]:<34} {seconds:7.2f} s   peak RSS {rss:8.0f} MB   {events:,} events")
    (ts, ms), (tb, mb_) = figures["streamed"], figures["batch"]
    print(f"streamed/batch: time {ts / tb:.2f}x, peak RSS {ms / mb_:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="also compare whole imports")
    parser.add_argument("--write-mb", type=int, default=40, help="file size for --write")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "SRC", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, src, db = args.child
        import_once(mode, Path(src), Path(db))
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "big.csv"
        n = make(src, args.mb)
        print(f"{src.stat().st_size / 2**20:.0f} MB, {n:,} rows")
        _, t_whole, m_whole = measure(
            "CSV rows, whole file in memory", lambda: whole_file_rows(src)
        )
        _, t_stream, m_stream = measure("CSV rows, streamed", lambda: streamed_rows(src))
        print(f"streamed/whole: time {t_stream / t_whole:.2f}x, memory {m_stream / m_whole:.3f}x")
        src.unlink()
        if args.write:
            compare_imports(args.write_mb, Path(tmp))


if __name__ == "__main__":
    main()
