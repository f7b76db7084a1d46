"""What every `explorer` command shares: the project it reads (checked before its first
answer unless the file is known), JSON output, and the usage error."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from explorer import paths
from explorer.model.session import Session
from explorer.store.errors import StoreError


class CliError(Exception):
    """A usage problem found after parsing (empty query, ...)."""


# Line breaks and other control characters, as a file name from elsewhere may hold them.
_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` as one line: each control character written as its escape (a file named
    'a<newline>b.json' is shown as 'a\\nb.json'), so that an error is always one line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def error(message: str) -> None:
    """The one line on stderr that says why a command failed."""
    print(f"explorer: error: {one_line(message)}", file=sys.stderr)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def db_path(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "db", None) or paths.default_db())


def open_project(args: argparse.Namespace) -> Session:
    """The project, read-only. A file Explorer wrote itself, or one already checked as it is
    now, answers at once. Any other is checked in full first, once per version of the file,
    with a progress line on stderr (or, with --no-check, not at all, and said so)."""
    from explorer.store import connection

    path = db_path(args)
    skip = bool(getattr(args, "no_check", False))
    if skip:  # also for what the command opens later in this process (the screenshot)
        connection.default_check = "skip"
    session = Session.open(path, readonly=True, check="skip" if skip else "later")
    try:
        if session.store.warning:
            print(f"explorer: note: {session.store.warning}", file=sys.stderr)
        if session.store.check_state == "skipped":
            print(
                f"explorer: note: {path} has not been checked (--no-check): if it is damaged, "
                f"answers may be wrong; `explorer check --db {path}` checks it",
                file=sys.stderr,
            )
        elif session.store.awaiting_check:
            check_now(session)
    except BaseException:
        session.close()
        raise
    return session


def check_now(session: Session) -> None:
    """The full check of a file Explorer has not seen as it is now, before it answers. Quiet
    when it takes under half a second; then a line on stderr says what is happening (with
    the share done, updated in place, on a terminal)."""
    import threading

    from explorer.store.integrity import QUIET_SECONDS, CheckOutcome, IntegrityCheck

    path = session.path
    check = IntegrityCheck(path)
    done: list[CheckOutcome] = []
    worker = threading.Thread(target=lambda: done.append(check.run()), daemon=True)
    worker.start()
    line = (
        f"explorer: checking {path} ({path.stat().st_size / 2**20:,.0f} MB) before its first "
        "use, once per version of the file (--no-check skips it)"
    )
    tty, shown = sys.stderr.isatty(), False
    try:
        while worker.is_alive():
            worker.join(QUIET_SECONDS)
            if worker.is_alive() and (tty or not shown):
                text = f"\r{line}: {check.fraction * 100:.0f}%" if tty else f"{line}\n"
                print(text, end="", file=sys.stderr, flush=True)
                shown = True
    except KeyboardInterrupt:
        check.cancel()
        worker.join()
        raise
    if shown and tty:
        print(file=sys.stderr)
    outcome = done[0]
    error = outcome.error()
    if error is not None:
        raise error
    if not session.store.check_passed(outcome):  # it changed while it was read
        raise StoreError(f"{path} changed while it was being checked; try again")
    if shown:
        print(f"explorer: {path} checked in {outcome.seconds:.1f} s: ok", file=sys.stderr)


# --- commands ----------------------------------------------------------------------------
