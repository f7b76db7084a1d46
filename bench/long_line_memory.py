"""Peak memory of importing a file with one very long line: a Timesketch JSONL file whose
first line is one event of --mb MB (150 by default), followed by one ordinary event.

    .venv/bin/python bench/long_line_memory.py            # one 150 MB line
    .venv/bin/python bench/long_line_memory.py --mb 300

Each row is one child process; its peak resident memory is the child's own VmHWM (read by
the child from /proc/self/status as it ends: it starts afresh at exec, so the parent's
memory is not counted). The rows: `explorer import --skip-bad` of a small file (what the
process needs anyway), of the file with the long line in ASCII and in Korean (two bytes a
character in Python's strings), and the simple approach: reading the line whole and parsing
it with json.loads. An earlier Explorer peaked at 1.19 GB on the 150 MB line. Then a
TimelineJS document holding one event with a text of the same size (`--skip-bad`), and a
TimelineJS document of --mb MB made of ordinary events (about 600 bytes each): Explorer's
import of it (which ends by rebuilding the project's search index and overview, as every
import does) and its preview (the file read, nothing written) against the simple approach,
`json.load` of the whole document (nothing written), with the ratio of their peaks. Last,
a `.timeline` (XML) of --mb MB of events, imported.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TAIL = '{"message": "b", "datetime": "2001-01-01T00:00:00Z", "timestamp_desc": "x"}\n'


def write(path: Path, mb: float, char: str) -> None:
    """One JSONL event whose message is about `mb` MB of `char`, then one ordinary event."""
    size = len(char.encode("utf-8"))
    block = char * ((1 << 20) // size)
    with path.open("w", encoding="utf-8") as f:
        f.write('{"datetime": "2001-01-01T00:00:00Z", "timestamp_desc": "x", "message": "')
        for _ in range(int(mb)):
            f.write(block)
        f.write('"}\n')
        f.write(TAIL)


def write_timelinejs(path: Path, mb: float) -> None:
    """A TimelineJS document (JSON, read whole) with one event whose text is about `mb` MB."""
    block = "a" * (1 << 20)
    with path.open("w", encoding="utf-8") as f:
        f.write('{"events": [{"start_date": {"year": 2001}, "text": {"headline": "h", "text": "')
        for _ in range(int(mb)):
            f.write(block)
        f.write('"}}]}\n')


def write_timelinejs_events(path: Path, mb: float) -> int:
    """A TimelineJS document of about `mb` MB of ordinary events; returns how many."""
    n = 0
    with path.open("w", encoding="utf-8") as f:
        f.write('{"title": {"text": {"headline": "A long timeline"}}, "events": [\n')
        while f.tell() < mb * (1 << 20):
            event = {
                "start_date": {"year": str(1800 + n % 200), "month": str(1 + n % 12), "day": "7"},
                "text": {
                    "headline": f"Event number {n} of a long timeline",
                    "text": f"<p>What happened on day {n}: " + "words of the slide " * 20 + "</p>",
                },
                "group": f"group {n % 17}",
                "unique_id": f"event-{n}",
            }
            f.write(("," if n else "") + json.dumps(event) + "\n")
            n += 1
        f.write('], "eras": [{"start_date": {"year": 1800}, "end_date": {"year": 1850}}]}\n')
    return n


def write_timeline_xml(path: Path, mb: float) -> int:
    """A `.timeline` (The Timeline Project's XML) of about `mb` MB of events; how many."""
    n = 0
    with path.open("w", encoding="utf-8") as f:
        f.write(
            "<?xml version='1.0' encoding='utf-8'?>\n<timeline><version>2.0</version>"
            "<timetype>gregoriantime</timetype><categories><category><name>work</name>"
            "<color>10,20,30</color></category></categories><events>\n"
        )
        while f.tell() < mb * (1 << 20):
            when = f"{1800 + n % 200}-02-03 04:05:06"
            f.write(
                f"<event><start>{when}</start><end>{when}</end><text>event {n} of a long "
                "timeline</text><description>What happened: "
                + "words of the event " * 10
                + "</description><category>work</category></event>\n"
            )
            n += 1
        f.write("</events><view></view></timeline>\n")
    return n


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(argv: list[str]) -> None:
    """Run one command in this process, then print its exit code and VmHWM in MB."""
    if argv[0] == "simple":  # the line read whole, then parsed
        with open(argv[1], encoding="utf-8") as f:
            json.loads(f.readline())
        code = 0
    elif argv[0] == "preview":  # what File > Import shows: every row read, 200 held
        from explorer.model.importing import preview

        preview(Path(argv[1]), "timelinejs", "UTC")
        code = 0
    elif argv[0] == "simple-document":  # the whole document parsed at once
        with open(argv[1], encoding="utf-8") as f:
            json.load(f)
        code = 0
    else:
        from explorer.cli import main

        with open(os.devnull, "w") as quiet:
            sys.stdout = quiet
            code = main(argv[1:])
            sys.stdout = sys.__stdout__
    print(f"{code} {peak_mb():.0f}")


def run(label: str, argv: list[str]) -> float:
    started = time.perf_counter()
    r = subprocess.run(
        [sys.executable, __file__, "--child", *argv], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else "? ?"
    code, peak = last.split()
    why = r.stderr.strip().splitlines()[-1][:90] if r.stderr.strip() else ""
    print(f"{label:44} {seconds:7.1f} {peak:>8}  {code:>4}  {why}")
    return float(peak) if peak != "?" else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=150.0)
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small, ascii_, korean = folder / "small.jsonl", folder / "ascii.jsonl", folder / "ko.jsonl"
        document, many = folder / "document.json", folder / "many.json"
        small.write_text(TAIL, encoding="utf-8")
        write(ascii_, args.mb, "a")
        write(korean, args.mb, "가")
        write_timelinejs(document, args.mb)
        events = write_timelinejs_events(many, args.mb)
        for path in (ascii_, korean):
            print(f"{path.name}: one line of {path.stat().st_size / 2**20:.0f} MB, then one more")
        print(f"{document.name}: one event of {document.stat().st_size / 2**20:.0f} MB")
        print(f"{many.name}: {events:,} events, {many.stat().st_size / 2**20:.0f} MB")
        print(f"{'':44} {'seconds':>7} {'peak MB':>8}  exit  last line on stderr")
        imp = ["--format", "timesketch", "--skip-bad"]
        for label, src in (
            ("explorer import, a one-line file", small),
            (f"explorer import, one {args.mb:.0f} MB line (ASCII)", ascii_),
            (f"explorer import, one {args.mb:.0f} MB line (Korean)", korean),
        ):
            db = folder / f"{src.stem}.db"
            run(label, ["explorer", "import", str(src), "--db", str(db), *imp])
        run("readline + json.loads of the long line", ["simple", str(ascii_)])
        db = folder / "document.db"
        tjs = ["--format", "timelinejs", "--skip-bad"]
        run(
            f"explorer import, TimelineJS, one {args.mb:.0f} MB event",
            ["explorer", "import", str(document), "--db", str(db), *tjs],
        )
        db = folder / "many.db"
        ours = run(
            f"explorer import, {args.mb:.0f} MB TimelineJS, many events",
            ["explorer", "import", str(many), "--db", str(db), *tjs],
        )
        run("preview of it (read, first 200 rows held)", ["preview", str(many)])
        simple = run("json.load of the same document", ["simple-document", str(many)])
        print(f"peak of the simple approach / Explorer's import: {simple / ours:.1f}x")
        xml = folder / "many.timeline"
        events = write_timeline_xml(xml, args.mb)
        print(f"{xml.name}: {events:,} events, {xml.stat().st_size / 2**20:.0f} MB")
        db = folder / "xml.db"
        run(
            f"explorer import, {args.mb:.0f} MB .timeline",
            ["explorer", "import", str(xml), "--db", str(db), "--format", "timeline"],
        )


if __name__ == "__main__":
    main()
