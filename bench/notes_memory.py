"""Peak memory and time of importing a large notes file, as the user runs it
(`explorer notes import FILE`, a whole process), and of exporting it again, beside the simple
approach of reading the document whole (`json.load` of the file, nothing merged), in the
same run.

A colleague's notes file of `--mb` megabytes is generated: notes of Korean and English text
with tags and a revision history, on events, entities and date ranges, and own items.

    python bench/notes_memory.py [--mb 189] [--note-chars 600]

Peak memory is each child's own maximum resident set (wait4), in MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

STAMP = "2026-03-01T09:00:00+00:00"


def _note(i: int, chars: int) -> dict[str, object]:
    targets = [
        {"kind": "event", "id": "ev-alliance", "start": None, "end": None},
        {"kind": "entity", "id": "ent-baidu", "start": None, "end": None},
        {"kind": "range", "id": None, "start": "2019-07-01", "end": "2019-07-31"},
    ]
    body = (f"메모 {i}: 상하이 인공지능 산업 연맹 note {i} " * (chars // 30 + 1))[:chars]
    return {
        "id": str(uuid.UUID(int=i + 1)),
        "target": targets[i % 3],
        "text": body,
        "format": "markdown" if i % 2 else "plain",
        "author": "colleague",
        "created": STAMP,
        "updated": STAMP,
        "revision": str(uuid.UUID(int=(1 << 100) + i)),
        "deleted": i % 50 == 0,
        "tags": ["shanghai", f"batch-{i % 20}", "연맹"],
        "history": [str(uuid.UUID(int=(1 << 101) + i))],
    }


def _item(i: int) -> dict[str, object]:
    return {
        "id": f"u-{uuid.UUID(int=(1 << 102) + i)}",
        "kind": "event",
        "data": {
            "title": f"Own event {i} 자체 사건",
            "category": "policy",
            "start": "2020-01-02",
            "precision": "day",
        },
        "author": "colleague",
        "created": STAMP,
        "updated": STAMP,
        "revision": str(uuid.UUID(int=(1 << 103) + i)),
        "deleted": False,
        "history": [],
    }


def write_notes_file(path: Path, megabytes: float, chars: int) -> int:
    """A notes file of about `megabytes` MB, written as it grows; returns its note count."""
    limit = int(megabytes * 2**20)
    head = {"format": "explorer-annotations", "format_version": 1, "author": "colleague"}
    n = 0
    with path.open("w", encoding="utf-8") as f:
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "notes": [\n')
        while f.tell() < limit:
            f.write(("" if n == 0 else ",\n") + json.dumps(_note(n, chars), ensure_ascii=False))
            n += 1
        f.write('\n], "items": [\n')
        f.write(",\n".join(json.dumps(_item(i), ensure_ascii=False) for i in range(1000)))
        f.write("\n]}\n")
    return n


def _child(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, last line of output) of one child process; its own
    maximum resident set, from wait4."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().strip().splitlines()
    return seconds, usage.ru_maxrss / 1024, child.returncode, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=189.0)
    parser.add_argument("--note-chars", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "colleague.explorer-notes.json"
        count = write_notes_file(path, args.mb, args.note_chars)
        size = path.stat().st_size / 2**20
        print(f"notes file: {size:.0f} MB, {count:,} notes and 1,000 own items")
        env = {**os.environ, "EXPLORER_HOME": str(folder / "home")}
        python = sys.executable
        rows = []
        work = folder / "work.db"
        ours = [python, "-m", "explorer", "notes", "--work", str(work), "import", str(path)]
        rows.append(("explorer notes import (streamed)", *_child(ours, env)))
        back = [python, "-m", "explorer", "notes", "--work", str(work), "export", "--out",
                str(folder / "back.json")]  # fmt: skip
        rows.append(("explorer notes export of it (streamed)", *_child(back, env)))
        whole = [
            python,
            "-c",
            f"import json; d = json.load(open({str(path)!r}, 'rb')); print('read')",
        ]
        rows.append(("json.load of the whole file only", *_child(whole, env)))
        print(f"{'approach':38} {'seconds':>8} {'peak MB':>8}  exit  last line")
        for name, seconds, peak, code, line in rows:
            print(f"{name:38} {seconds:8.1f} {peak:8.0f}  {code:4}  {line[:300]}")
        ratio = rows[-1][2] / rows[0][2]
        print(f"peak memory: the whole-document read holds {ratio:.1f}x what the import holds")


if __name__ == "__main__":
    main()
