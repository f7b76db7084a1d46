"""`explorer import`: another tool's timeline, or an Explorer export, into a project."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from explorer.exchange.imports import FORMATS, SeriesBound
from explorer.exchange.imports.apply import ImportRefused, ImportReport
from explorer.model.importing import run_import
from explorer.store.errors import StoreError

EXIT_OK, EXIT_ERROR = 0, 1


class _Meter:
    """Progress on stderr, at most a few times a second, only for a terminal."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.shown = 0.0
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if self.tty and total and now - self.shown > 0.25:
            self.shown = now
            print(f"\rreading {self.name}: {100 * done // total}%", end="", file=sys.stderr)
        return True

    def end(self) -> None:
        if self.tty and self.shown:
            print("\r" + " " * 40 + "\r", end="", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    if not getattr(args, "db", None):
        raise StoreError("name the project to import into with --db PATH (created if missing)")
    src, target = Path(args.file), Path(args.db)
    meter = _Meter(src.name)
    try:
        report = run_import(
            src,
            target,
            fmt=args.format,
            zone=args.zone,
            skip_bad=args.skip_bad,
            dry_run=args.dry_run,
            progress=meter,
            series=SeriesBound(args.series_limit, args.series_years),
        )
    except ImportRefused as exc:
        meter.end()
        _show(exc.report, args.json, file=sys.stderr)
        raise
    meter.end()
    _show(report, args.json)
    return EXIT_OK


def _show(report: ImportReport, as_json: bool, file: Any = None) -> None:
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), file=file)
    else:
        print(report.text(), file=file)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import",
        parents=[common],
        help="import a timeline (TimelineJS, .timeline, Timesketch, iCalendar, Explorer export)",
        description="Import FILE into the project --db PATH (a new project is created if PATH "
        "does not exist). The import is one transaction: it lands whole or not at all.",
    )
    p.add_argument("file", metavar="FILE", help="file to import (a folder for explorer-csv)")
    p.add_argument("--format", choices=FORMATS, default="auto", help="default: detect it")
    p.add_argument(
        "--skip-bad", action="store_true", help="leave out rows that cannot be read, and list them"
    )
    p.add_argument(
        "--zone",
        default="UTC",
        metavar="ZONE",
        help="zone of times the file writes without one (iCalendar floating times, "
        "The Timeline Project, TimelineJS): UTC (default), an offset such as +09:00, "
        "or a name such as Asia/Seoul",
    )
    p.add_argument(
        "--series-limit",
        type=_positive,
        default=SeriesBound.occurrences,
        metavar="N",
        help="iCalendar: expand a recurring event to at most N occurrences (default %(default)s)",
    )
    p.add_argument(
        "--series-years",
        type=_positive,
        default=SeriesBound.years,
        metavar="Y",
        help="iCalendar: and to none more than Y years after its first (default %(default)s)",
    )
    p.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_import)
