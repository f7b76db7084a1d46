"""Coverage-guided fuzzing of the import readers with atheris (libFuzzer for Python).

    make fuzz                      # each reader in turn, FUZZ_SECONDS (60) each
    .venv/bin/python fuzz/fuzz_readers.py -max_total_time=60 -- ics

The first byte of an input picks nothing: the format is named on the command line (after
'--'), and every input is written to a file and read as that format. A reader may end in a
batch or in ImportFailed with one line of text; anything else is a crash that libFuzzer
reports with the input that caused it. Not part of `make test`.
"""

from __future__ import annotations

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
    return corpus


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
