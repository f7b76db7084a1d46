"""Coverage-guided fuzzing of the import readers with atheris (libFuzzer for Python).

    make fuzz                      # each reader in turn, FUZZ_SECONDS (60) each
    .venv/bin/python fuzz/fuzz_readers.py -max_total_time=60 -- ics

The first byte of an input picks nothing: the format is named on the command line (after
'--'), and every input is written to a file and read as that format. A reader may end in a
batch or in ImportFailed with one line of text; anything else is a crash that libFuzzer
reports with the input that caused it. Not part of `make test`.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["explorer.exchange"]):
    from explorer.exchange.imports import ImportFailed, read
    from explorer.exchange.imports.batch import unstorable
    from explorer.store.connection import create_store

SUFFIX = {
    "timelinejs": ".json",
    "timelinejs-csv": ".csv",
    "timeline": ".timeline",
    "timesketch": ".jsonl",
    "timesketch-csv": ".csv",
    "ics": ".ics",
    "explorer-json": ".json",
}


FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def seeds(fmt: str, folder: Path) -> Path:
    """A corpus folder seeded with the test fixtures of the format's kind."""
    corpus = folder / "corpus"
    corpus.mkdir()
    for i, path in enumerate(sorted(FIXTURES.rglob(f"*{SUFFIX[fmt]}"))):
        if path.is_file() and path.stat().st_size < 200_000:
            (corpus / f"seed-{i}").write_bytes(path.read_bytes())
    if fmt == "explorer-json":
        (corpus / "seed-export").write_text(json.dumps(EXPORT_SEED), encoding="utf-8")
    return corpus


EVENT = {"id": "e1", "title": "t", "category": "c", "start": "2001-02", "precision": "month"}
EXPORT_SEED = {
    "format": "explorer-json",
    "format_version": 1,
    "sources": [{"id": "s1", "title": "s", "language": "en"}],
    "entities": [{"id": "p1", "kind": "place", "name": "Seoul"}],
    "events": [{**EVENT, "qualifier": "exact", "summary": "x"}],
    "event_sources": [{"event_id": "e1", "source_id": "s1", "quote": "q"}],
    "locations": [{"entity_id": "p1", "lat": 37.5, "lon": 127.0, "source": "f"}],
    "notes": [
        {
            "id": "n1",
            "target": {"kind": "event", "id": "e1"},
            "text": "note",
            "format": "plain",
            "author": "a",
            "created": "2001-01-01T00:00:00Z",
            "updated": "2001-01-01T00:00:00Z",
            "revision": 1,
            "deleted": False,
            "tags": ["t"],
            "history": [],
        }
    ],
}


def main() -> None:
    args = sys.argv
    fmt = args[args.index("--") + 1] if "--" in args else "ics"
    libfuzzer_args = args[: args.index("--")] if "--" in args else list(args)
    folder = Path(tempfile.mkdtemp(prefix="explorer-fuzz-"))
    if not any(Path(a).is_dir() for a in libfuzzer_args[1:]):
        libfuzzer_args.append(str(seeds(fmt, folder)))
    store = create_store(folder / "p.db")
    path = folder / f"input{SUFFIX[fmt]}"
    fmt_read = "timesketch" if fmt == "timesketch-csv" else fmt

    def one(data: bytes) -> None:
        path.write_bytes(data)
        try:
            batch = read(path, fmt_read, store.db, keep=20)
        except ImportFailed as exc:
            if "\n" in str(exc):
                raise AssertionError(f"a message of several lines: {exc!r}") from None
            return
        for rows in batch.rows.values():
            for row in rows:
                problem = unstorable(list(row.values()))
                if problem:
                    raise AssertionError(f"a row that cannot be stored: {problem}")

    atheris.Setup(libfuzzer_args, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
