"""Is every import step linear in its input on crafted input? For each crafted input at sizes
N, 4N and 16N, prints the seconds and the ratio of each time to what linear growth from the
size N would give (1.0 is linear; 4 at 4N and 16 at 16N would be quadratic).

The markup-to-text step is timed both ways in the same run: the standard library's
html.parser (the old approach, quadratic on repeated '<!--') and lxml (what Explorer uses).
The old approach is left out of a size once it took longer than --limit seconds.

    .venv/bin/python bench/hostile_linear.py            # N = 10,000 characters
    .venv/bin/python bench/hostile_linear.py --n 25000 --limit 30

Whole readers are timed too, on crafted import files (a headline of repeated '<!--' in a
TimelineJS file, an iCalendar line folded a hundred thousand times, a CSV cell spanning many
lines, a JSONL line of nested arrays, a .timeline of many categories), and so is a colleague's
notes file with one note of many tags (different ones, refused past 1,000; the same one
repeated, merged as one tag): a 1.4 MB file of 100,000 tags took 55 s before.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from explorer.exchange import notes_file
from explorer.exchange.imports import read
from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.plain_text import plain
from explorer.store import notes
from explorer.store.connection import create_store
from explorer.store.errors import StoreError

MARKUP = {
    "<!--": "<!--",
    "<a": "<a",
    "</": "</",
    "&#": "&#",
    "<![CDATA[": "<![CDATA[",
    "<a x='": "<a x='",
    "nested <div>": "<div>",
    "nested <b>": "<b>",
    "<!": "<!",
    "<?": "<?",
    "text & <b>": "word <b>x</b> &amp; ",
}


class _OldText(HTMLParser):
    """What Explorer used before: html.parser, collecting data."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def old_plain(text: str) -> str:
    parser = _OldText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def row(name: str, seconds: list[float | None]) -> None:
    base = seconds[0]
    cells = []
    for factor, s in zip((1, 4, 16), seconds, strict=True):
        if s is None:
            cells.append(f"{'skipped':>22}")
        elif base is None or base <= 0:
            cells.append(f"{s:9.3f}s {'':>12}")
        else:
            cells.append(f"{s:9.3f}s x{s / (base * factor):5.2f} lin")
    print(f"{name:34} " + " ".join(cells), flush=True)


def markup(n: int, limit: float) -> None:
    print(f"markup to text, sizes {n:,} / {4 * n:,} / {16 * n:,} characters")
    print(f"{'input':34} {'N':>22} {'4N':>22} {'16N':>22}")
    for label, unit in MARKUP.items():
        for way, fn in (("html.parser (old)", old_plain), ("lxml (Explorer)", plain)):
            seconds: list[float | None] = []
            for factor in (1, 4, 16):
                if seconds and (seconds[-1] is None or seconds[-1] > limit):
                    seconds.append(None)
                    continue
                text = unit * (n * factor // len(unit))
                seconds.append(timed(lambda t=text, f=fn: f(t)))  # type: ignore[misc]
            row(f"{label} {way}", seconds)


def _timelinejs(path: Path, k: int) -> None:
    headline = "<!--" * k
    doc = {"events": [{"start_date": {"year": 2000}, "text": {"headline": "x" + headline}}]}
    path.write_text(json.dumps(doc), encoding="utf-8")


def _ics(path: Path, k: int) -> None:
    folded = "\r\n ".join(["abcdefghij"] * (k // 10))
    path.write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240101T000000Z\r\n"
        f"SUMMARY:{folded}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )


def _csv(path: Path, k: int) -> None:
    cell = "\n".join(["line"] * (k // 5))
    path.write_text(
        f'message,datetime,timestamp_desc\n"{cell}",2020-01-01T00:00:00Z,x\n', encoding="utf-8"
    )


def _jsonl(path: Path, k: int) -> None:
    depth = min(k // 2, 900)
    nested = "[" * depth + "]" * depth
    line = json.dumps({"message": "m", "datetime": "2020-01-01T00:00:00Z"})
    path.write_text((line[:-1] + f', "x": "{"y" * k}", "n": {nested}}}\n'), encoding="utf-8")


def _timeline(path: Path, k: int) -> None:
    cats = "".join(
        f"<category><name>c{i}</name><color>1,2,3</color></category>" for i in range(k // 50)
    )
    path.write_text(
        f"<timeline><version>2.0</version><categories>{cats}</categories><events><event>"
        "<start>2020-01-01 00:00:00</start><end>2020-01-01 00:00:00</end><text>t</text>"
        "<category>c1</category></event></events></timeline>",
        encoding="utf-8",
    )


FILES: dict[str, tuple[str, Callable[[Path, int], None]]] = {
    "TimelineJS headline of '<!--'": ("t.json", _timelinejs),
    "iCalendar line folded many times": ("c.ics", _ics),
    "CSV cell of many lines": ("s.csv", _csv),
    "JSONL line, long text": ("s.jsonl", _jsonl),
    ".timeline, many categories": ("t.timeline", _timeline),
}


def readers(n: int) -> None:
    print(f"\nwhole readers, crafted files of about {n:,} / {4 * n:,} / {16 * n:,} characters")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with create_store(folder / "p.db") as store:
            for label, (name, make) in FILES.items():
                seconds: list[float | None] = []
                for factor in (1, 4, 16):
                    path = folder / name
                    make(path, n * factor)

                    def run(p: Path = path) -> None:
                        with contextlib.suppress(ImportFailed):
                            read(p, "auto", store.db)

                    seconds.append(timed(run))
                row(label, seconds)


def _notes(folder: Path, same: bool) -> Callable[[Path, int], None]:
    """A notes file whose one note carries tags over about k characters."""
    work = notes.open_work(folder / f"from-{same}.db")
    notes.add(work.db, notes.Target("event", "ev-x"), "a note", author="kim")
    notes_file.export_notes_file(work.db, folder / "one.json", author="kim", force=True)
    work.close()
    doc = json.loads((folder / "one.json").read_text("utf-8"))

    def make(path: Path, k: int) -> None:
        count = k // (7 if same else 12)  # '"tag", ' or '"t123456", '
        doc["notes"][0]["tags"] = ["tag"] * count if same else [f"t{i}" for i in range(count)]
        path.write_text(json.dumps(doc), encoding="utf-8")

    return make


def notes_files(n: int) -> None:
    print(f"\nnotes files, one note with tags over {n:,} / {4 * n:,} / {16 * n:,} characters")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, same in (("notes file, different tags", False), ("notes file, one tag", True)):
            make = _notes(folder, same)
            seconds: list[float | None] = []
            for factor in (1, 4, 16):
                path = folder / "tags.json"
                make(path, n * factor)
                work = notes.open_work(folder / f"into-{same}-{factor}.db")

                def run(p: Path = path, db: object = work.db) -> None:
                    with contextlib.suppress(StoreError):
                        notes_file.import_notes_file(db, p)  # type: ignore[arg-type]

                seconds.append(timed(run))
                work.close()
            row(label, seconds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="the size N, in characters")
    ap.add_argument("--limit", type=float, default=10.0, help="seconds before a way is skipped")
    args = ap.parse_args()
    markup(args.n, args.limit)
    readers(args.n * 10)
    notes_files(args.n * 10)


if __name__ == "__main__":
    main()
