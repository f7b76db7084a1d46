"""How reading a large import file scales: Explorer's streamed reader against reading the
whole file into memory first (the simple approach), on a generated Timesketch CSV.

    .venv/bin/python bench/import_stream.py --mb 200

Prints the time and the peak memory that Python allocated (tracemalloc) for each, and their
ratios. The import itself (writing the rows) is timed too, into a new project.
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
import tracemalloc
from pathlib import Path

from explorer.store.connection import create_store
from explorer.store.imports import read
from explorer.store.imports.apply import ImportReport, apply
from explorer.store.imports.text_input import TextReader

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="also import into a project")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "big.csv"
        n = make(src, args.mb)
        print(f"{src.stat().st_size / 2**20:.0f} MB, {n:,} rows")
        _, t_whole, m_whole = measure(
            "CSV rows, whole file in memory", lambda: whole_file_rows(src)
        )
        _, t_stream, m_stream = measure("CSV rows, streamed", lambda: streamed_rows(src))
        print(f"streamed/whole: time {t_stream / t_whole:.2f}x, memory {m_stream / m_whole:.3f}x")
        if args.write:
            store = create_store(Path(tmp) / "p.db")
            batch, _, _ = measure("read as events (Batch)", lambda: read(src, "auto", store.db))
            report = ImportReport(str(src), batch.format, batch.title, batch.seen)
            measure("write into a new project", lambda: apply(store, batch, report))
            print(f"{report.added.get('events', 0):,} events imported")
            store.close()


if __name__ == "__main__":
    main()
