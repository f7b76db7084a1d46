"""Importing other tools' timelines and Explorer's own exports into a project.

`read` turns a file into a Batch (rows and rejected rows) without touching any project;
`apply.apply` writes a batch in one transaction. Nothing here imports Qt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from explorer.exchange.imports import own_format, timesketch
from explorer.exchange.imports.batch import Batch, Rejected
from explorer.exchange.imports.csv_input import field_limit
from explorer.exchange.imports.errors import ImportCancelled, ImportFailed
from explorer.exchange.imports.series import SeriesBound
from explorer.exchange.imports.text_input import Progress, TextReader
from explorer.exchange.imports.zones import UTC, Zone, parse_zone

FORMATS = (
    "auto",
    "explorer-json",
    "explorer-csv",
    "timelinejs",
    "timelinejs-csv",
    "timeline",
    "timesketch",
    "ics",
)

__all__ = [
    "FORMATS",
    "UTC",
    "Batch",
    "ImportCancelled",
    "ImportFailed",
    "Rejected",
    "SeriesBound",
    "Zone",
    "detect",
    "parse_zone",
    "read",
    "reader",
]


def _head(path: Path, size: int = 65536) -> str:
    with path.open("rb") as f:
        return f.read(size).decode("utf-8", errors="replace").lstrip("\ufeff")


def _blank(path: Path) -> bool:
    """True for a file of nothing but white space (or nothing at all)."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
            return not head.lstrip(b"\xef\xbb\xbf").strip() and not f.read(1)
    except OSError:
        return False


def detect(path: Path) -> str:
    """The format of a file, from its name and first bytes."""
    if path.is_dir():
        if (path / "events.csv").is_file():
            return "explorer-csv"
        raise ImportFailed(f"{path} is a folder without events.csv; it is not an Explorer export")
    if not path.exists():
        raise ImportFailed(f"no file at {path}")
    suffix = path.suffix.lower()
    head = _head(path)
    first_line = head.split("\n", 1)[0]
    if suffix == ".ics" or head.startswith("BEGIN:VCALENDAR"):
        return "ics"
    if suffix in (".jsonl", ".ndjson"):
        return "timesketch"
    if suffix == ".timeline" or (head.lstrip().startswith("<") and "<timeline>" in head):
        return "timeline"
    if suffix == ".json" or head.lstrip().startswith("{"):
        if '"explorer-json"' in head:
            return "explorer-json"
        first = head.lstrip().split("\n", 1)[0]
        stamped = '"datetime"' in first or '"timestamp"' in first
        if first.startswith("{") and first.rstrip().endswith("}") and stamped:
            try:
                json.loads(first)
                return "timesketch"
            except ValueError:
                pass
        return "timelinejs"
    if suffix in (".csv", ".tsv", ".txt") or "," in first_line:
        cols = {c.strip().strip('"').lower() for c in first_line.split(",")}
        if "message" in cols and cols & {"datetime", "timestamp"}:
            return "timesketch"
        if {"year", "headline"} <= cols:
            return "timelinejs-csv"
    raise ImportFailed(
        f"cannot tell what kind of file {path.name} is; name its format with --format "
        f"({', '.join(FORMATS[1:])})"
    )


def reader(
    path: Path,
    fmt: str,
    db: Database,
    progress: Progress | None = None,
    zone: Zone = UTC,
    series: SeriesBound | None = None,
) -> tuple[str, Callable[[Batch], None]]:
    """The format of `path` ('auto' detects it) and a function that reads the file into a
    batch; `db` is the target project (own formats take their columns from it), `zone` the
    one to read times in that the file writes without a zone, `series` how far recurring
    iCalendar events are expanded. Reading raises ImportFailed for a file that cannot be
    read at all."""
    if fmt not in FORMATS:
        raise ImportFailed(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path.is_file() and _blank(path):
        raise ImportFailed(f"{path.name} is empty; there is nothing to import")
    if fmt == "auto":
        fmt = detect(path)

    def fill(batch: Batch) -> None:
        batch.zone, batch.file = zone, path.name
        with field_limit():
            read_format(batch)
        batch.note_floating("time(s)")
        if batch.empty():
            raise ImportFailed(f"{path.name} holds no events; there is nothing to import")

    def read_format(batch: Batch) -> None:
        # the readers of other tools' formats load their libraries (iCalendar, XML) when a
        # file of theirs is read, not with every window
        from explorer.exchange.imports import ics, thetimeline, timelinejs

        if fmt == "explorer-csv":
            own_format.read_csv_folder(path, batch, db, progress)
            return
        text = TextReader(path, progress)
        if fmt == "explorer-json":
            own_format.read_json(text, batch, db)
        elif fmt == "timelinejs":
            timelinejs.read_json(text, batch)
        elif fmt == "timelinejs-csv":
            timelinejs.read_csv(text, batch)
        elif fmt == "timeline":
            thetimeline.read(text, batch)
        elif fmt == "timesketch":
            if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
                timesketch.read_jsonl(text, batch)
            else:
                timesketch.read_csv(text, batch)
        else:
            ics.read(text, batch, series)

    return fmt, fill


def read(
    path: Path,
    fmt: str,
    db: Database,
    progress: Progress | None = None,
    keep: int | None = None,
    zone: Zone = UTC,
    series: SeriesBound | None = None,
) -> Batch:
    """Read `path` as `fmt` into a batch held in memory (with `keep`, only the first `keep`
    rows of each table are held; counts cover them all)."""
    fmt, fill = reader(path, fmt, db, progress, zone, series)
    batch = Batch(fmt, keep=keep)
    fill(batch)
    return batch
