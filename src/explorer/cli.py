"""The `explorer` command. Every failure becomes one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from explorer import __version__, paths
from explorer.cli_common import CliError, db_path, error, open_project, print_json
from explorer.cli_show import claim_line, print_entity, print_event
from explorer.dataset import verify
from explorer.model.session import Session
from explorer.store import content, links, queries
from explorer.store.errors import DatasetError, StoreError
from explorer.store.records import EntityDetail, EventDetail, to_dict
from explorer.store.schema import SCHEMA_VERSION

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def cmd_build_db(args: argparse.Namespace) -> int:
    # the curated data's reader (YAML) and builder load for this command only, not with
    # every window and search
    from explorer.dataset import curated as dataset
    from explorer.dataset.build import build

    source = Path(args.source) if args.source else paths.curated_dir()
    out = Path(args.out or getattr(args, "db", None) or paths.bundled_db())
    ds = dataset.load(source)
    started = time.perf_counter()
    counts = build(ds, out)
    took = time.perf_counter() - started
    if args.seeds:
        with Session.open(out) as s:
            checked, problems = verify.quote_problems(s.store.db, Path(args.seeds))
        if problems:
            raise DatasetError(problems, f"{len(problems)} quote(s) not found verbatim")
        counts["quotes_verified"] = checked
    if args.json:
        print_json({"database": str(out), "seconds": round(took, 3), **counts})
    else:
        summary = ", ".join(f"{v} {k}" for k, v in counts.items())
        print(f"built {out} in {took:.2f} s: {summary}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from explorer.store import checked_files
    from explorer.store.connection import damaged_message
    from explorer.store.errors import DamagedStore

    path = db_path(args)
    as_it_was = checked_files.identity(path)
    # Always the full check, even of a file Explorer wrote or checked before.
    with Session.open(path, readonly=True, check="skip") as s:
        if s.store.warning:
            print(f"explorer: note: {s.store.warning}", file=sys.stderr)
        db = s.store.db
        with s.store.unbounded():  # reads the whole file, on purpose
            integrity = [str(r[0]) for r in db.execute("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            checked_files.forget(path)
            raise DamagedStore(damaged_message(path, integrity))
        if s.store.recovered is None:
            checked_files.remember(path, as_it_was)
        fk = db.execute("PRAGMA foreign_key_check").fetchall()
        report: dict[str, Any] = {
            "database": str(s.path),
            "application_id": hex(int(db.execute("PRAGMA application_id").fetchone()[0])),
            "schema_version": s.store.schema_version,
            "supported_schema_version": SCHEMA_VERSION,
            "integrity": "ok" if integrity == ["ok"] else integrity[:5],
            "foreign_key_problems": len(fk),
            "counts": s.counts(),
            "conflicts": s.conflict_count(),
            "meta": queries.meta(db),
        }
        problems = [] if integrity == ["ok"] else ["integrity_check failed"]
        if fk:
            problems.append(f"{len(fk)} broken foreign key reference(s)")
        problems.extend(links.problems(db))  # what the foreign keys cannot see
        with s.store.unbounded():  # every row, on purpose
            bad, listed = content.problems(db)
        report["content_problems"] = bad
        if bad:
            problems.append(f"{bad:,} row(s) no view can show (they are left out of every view)")
            problems.extend(listed)
        seeds = Path(args.seeds) if args.seeds else None
        if seeds is not None:
            if not seeds.is_dir():
                raise StoreError(f"no article folder at {seeds}")
            checked, quote_problems = verify.quote_problems(db, seeds)
            report["quotes_checked"] = checked
            report["quote_problems"] = quote_problems
            problems.extend(quote_problems)
            # A hard rule: every entity comes from a source (an event's evidence, a figure, a
            # statement or a mention). For review only: summary text with no quote or note
            # behind it, places without coordinates and those drawn at the point of a place
            # that contains them.
            unsourced = verify.unsourced_entities(db)
            report["entities_without_source"] = unsourced
            problems.extend(f"entity {e}: linked to no source" for e in unsourced)
            # Another: the texts a reader sees name an article by its publisher and date,
            # never by the number of its file in the collection ("article 001").
            numbered = verify.articles_named_by_number(db)
            report["articles_named_by_number"] = numbered
            problems.extend(numbered)
            report["summaries_to_review"] = [
                {"event": e, "text": t} for e, t in verify.summaries_to_review(db)
            ]
            report["places_without_coordinates"] = verify.places_without_coordinates(db)
            report["approximate_places"] = [
                {"place": place, "within": within}
                for place, within in verify.approximate_places(db)
            ]
    if args.json:
        print_json({**report, "ok": not problems})
    else:
        c = report["counts"]
        print(
            f"{report['database']}: Explorer schema v{report['schema_version']} "
            f"(application id {report['application_id']})"
        )
        print(
            f"integrity: {'ok' if not problems else 'PROBLEMS'}; "
            f"{c['events']} events, {c['entities']} entities, {c['entity_aliases']} aliases, "
            f"{c['claims']} claims, {c['statements']} statements, {c['sources']} sources; "
            f"{report['conflicts']} conflict(s)"
        )
        if seeds is not None:
            print(
                f"quotes: {report['quotes_checked']} checked against {seeds}, "
                f"{len(report['quote_problems'])} not found; "
                f"{len(report['entities_without_source'])} entities linked to no source; "
                f"{len(report['articles_named_by_number'])} texts naming an article by number"
            )
            review = report["summaries_to_review"]
            print(f"summary text with no quote or note behind it (to review): {len(review)}")
            for item in review:
                print(f"  review: {item['event']}: {item['text']}")
            places = report["places_without_coordinates"]
            print(
                f"places without coordinates: {len(places)}"
                + (f" ({', '.join(places)})" if places else "")
            )
            near = report["approximate_places"]
            print(
                f"places at the point of a place that contains them (approximate): {len(near)}"
                + "".join(f"\n  {a['place']}: the point of {a['within']}" for a in near)
            )
        for p in problems:
            print(f"  problem: {p}")
    return EXIT_OK if not problems else EXIT_ERROR


def cmd_search(args: argparse.Namespace) -> int:
    if not args.query.strip():
        raise CliError("the search query is empty")
    with open_project(args) as s:
        started = time.perf_counter()
        result = s.search(args.query, advanced=args.advanced, limit=args.limit)
        took_ms = (time.perf_counter() - started) * 1000
    if args.json:
        print_json(
            {
                "query": result.query,
                "expression": result.expression,
                "milliseconds": round(took_ms, 2),
                "more": result.more,
                "hits": [to_dict(h) for h in result.hits],
            }
        )
        return EXIT_OK
    if not result.hits:
        print(f"no results for {args.query!r}")
        return EXIT_OK
    for h in result.hits:
        print(f"{h.kind:<7} {h.ref_id:<48} {h.label}")
        if h.snippet != h.label:
            print(f"        {h.field}: {h.snippet}")
    more = " (more: raise --limit)" if result.more else ""
    print(f"{len(result.hits)} result(s) in {took_ms:.1f} ms{more}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    with open_project(args) as s:
        detail: EventDetail | EntityDetail
        detail = s.event(args.id) if args.what == "event" else s.entity(args.id)
    if args.json:
        print_json(to_dict(detail))
    elif isinstance(detail, EventDetail):
        print_event(detail)
    else:
        print_entity(detail)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from explorer.model.exports import export_data
    from explorer.model.workspace import Workspace

    out = Path(args.out)
    ids = [i for i in (args.events or "").split(",") if i] or None
    ws = Workspace.open(db_path(args), create_work=False)
    try:
        if ws.session.store.warning:
            print(f"explorer: note: {ws.session.store.warning}", file=sys.stderr)
        n = export_data(
            ws,
            args.format,
            out,
            event_ids=ids,
            own=not args.without_own,
            lang=args.lang,
            force=args.force,
        )
    finally:
        ws.close()
    what = "rows" if args.format in ("json", "csv") else "events"
    print(f"exported {n} {what} to {out}")
    return EXIT_OK


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1600x900") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000")
    return w, h


def _day(text: str) -> str:
    from explorer.store.dates import DateFormatError, first_day, precision_of

    try:
        return first_day(text, precision_of(text))
    except DateFormatError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_screenshot(args: argparse.Namespace) -> int:
    from explorer.ui.app import Shot, screenshot  # Qt only for the commands that need it

    db = db_path(args)
    with open_project(args) as s:  # fail early, with the usual messages, on a bad database
        if args.event:
            s.event(args.event)
        if args.entity:
            s.entity(args.entity)
    shot = Shot(
        Path(args.out),
        args.lang,
        args.event,
        args.entity,
        args.date_from,
        args.date_to,
        args.size,
        args.group,
        args.view,
    )
    print(f"wrote {screenshot(db, shot)}")
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    from explorer.dataset.demo import generate

    out = Path(args.out)
    if out.exists() and not args.force:
        raise StoreError(f"{out} already exists; pass --force to replace it")
    shown = {"stage": ""}

    def progress(stage: str, fraction: float) -> None:
        if sys.stderr.isatty():  # one line, updated in place
            print(f"\r{stage:<14} {fraction * 100:5.1f}%", end="", file=sys.stderr, flush=True)
        elif stage != shown["stage"]:  # a log: a line per stage
            print(f"{stage:<14} {fraction * 100:5.1f}%", file=sys.stderr, flush=True)
        shown["stage"] = stage

    # written beside PATH and renamed over it when complete: a failure keeps the old file
    figures = generate(out, args.events, args.entities, args.seed, progress, replace=args.force)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"wrote {out}: {figures['events']:,} events, {figures['entities']:,} entities, "
        f"{figures['claims']:,} claims in {figures['seconds']:.1f} s, "
        f"{figures['bytes'] / 2**20:.0f} MB ({figures['bytes'] / max(1, figures['events']):.0f}"
        f" bytes an event; peak memory {figures['peak_mb']:.0f} MB, its second process "
        f"{figures['worker_peak_mb']:.0f} MB); notes to import: "
        f"{out.with_suffix('.notes.json')}"
    )
    return EXIT_OK


def cmd_window(args: argparse.Namespace) -> int:
    from explorer.ui.app import run

    return run(db_path(args))


def cmd_self_test(args: argparse.Namespace) -> int:
    from explorer.ui import selftest

    db = Path(args.db) if getattr(args, "db", None) else None
    if args.startup:
        return selftest.startup(db)
    return selftest.run(db, Path(args.out) if args.out else None)


def cmd_conflicts(args: argparse.Namespace) -> int:
    with open_project(args) as s:
        found = s.conflicts()
        inferred = s.inferred_tensions()
        figures = {cid: s.claim(cid) for n in inferred for k, cid in n.targets if k == "claim"}
    if args.json:
        print_json([to_dict(c) for c in found])
        return EXIT_OK
    if not found:
        print("no conflicting claims")
    for c in found:
        print(f"{c.entity_name} [{c.entity_id}] — {c.metric_label_en}:")
        for claim in c.claims:
            print(f"  - {claim_line(claim)}")
            print(f"    “{claim.quote}”")
    if inferred:
        print("\nThe curators' inferences (no article states them):")
    for n in inferred:
        print(f"[{n.id}] {n.text}")
        for kind, cid in n.targets:
            if kind == "claim":
                print(f"  - {claim_line(figures[cid])}  [{cid}]")
    return EXIT_OK


# --- parser ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database to use (default: $EXPLORER_DB, else the bundled dataset)",
    )
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON")
    unchecked = argparse.ArgumentParser(add_help=False)
    unchecked.add_argument(
        "--no-check",
        action="store_true",
        help="answer at once from a file Explorer has not checked yet, without its full "
        "check (for scripts; wrong answers from a damaged file are possible)",
    )

    parser = argparse.ArgumentParser(
        prog="explorer",
        description="Explore dated events, entities and sources in an Explorer database. "
        "`explorer PROJECT.db` opens the window on a project.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "build-db", parents=[common, as_json], help="build a database from the curated YAML dataset"
    )
    p.add_argument("--source", metavar="DIR", help="curated YAML folder (default: data/curated)")
    p.add_argument(
        "--out", metavar="PATH", help="database to write (default: --db, else data/explorer.db)"
    )
    p.add_argument(
        "--seeds", metavar="DIR", help="also verify every quote against the article texts here"
    )
    p.set_defaults(func=cmd_build_db)

    p = sub.add_parser(
        "check", parents=[common, as_json], help="check integrity, schema version and counts"
    )
    p.add_argument(
        "--seeds", metavar="DIR", help="also verify every quote against the article texts here"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "search",
        parents=[common, as_json, unchecked],
        help="full-text search over events, entities, quotes and claims",
    )
    p.add_argument("query", help="words to find (Korean, Chinese or English); searched literally")
    p.add_argument(
        "--advanced", action="store_true", help='understand AND, OR, NOT, (), "phrases" and prefix*'
    )
    p.add_argument(
        "--limit", type=int, default=20, metavar="N", help="at most N results (default 20)"
    )
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "show", parents=[common, as_json, unchecked], help="show one event or entity"
    )
    p.add_argument("what", choices=("event", "entity"))
    p.add_argument("id")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "export",
        parents=[common, unchecked],
        help="export the project (JSON, CSV), a TimelineJS file or an HTML report",
    )
    p.add_argument("--format", choices=("json", "csv", "timelinejs", "html"), required=True)
    p.add_argument("--out", required=True, metavar="PATH", help="file to write (a folder for csv)")
    p.add_argument(
        "--events", metavar="ID,ID", help="timelinejs and html: only these events (default: all)"
    )
    p.add_argument("--lang", choices=("ko", "en"), default="en", help="timelinejs and html")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    p.add_argument(
        "--without-own",
        action="store_true",
        help="leave out your notes and your own events, entities and sources",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "conflicts",
        parents=[common, as_json, unchecked],
        help="list claims about the same thing that disagree",
    )
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser(
        "screenshot",
        parents=[common, unchecked],
        help="render the main window offscreen to a PNG",
    )
    p.add_argument("out", metavar="OUT.png")
    p.add_argument("--lang", choices=("ko", "en"), default="ko")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--event", metavar="ID", help="select this event")
    target.add_argument("--entity", metavar="ID", help="select this entity")
    p.add_argument("--from", dest="date_from", type=_day, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_day, metavar="DATE")
    p.add_argument(
        "--view",
        choices=("network", "map", "lifelines", "table"),
        help="show this linked view beside the timeline",
    )
    p.add_argument("--size", type=_size, default=(1600, 900), metavar="WxH")
    p.add_argument("--group", choices=("category", "place", "entity_kind", "source"))
    p.set_defaults(func=cmd_screenshot)

    from explorer import cli_import, cli_notes

    cli_notes.add_parser(sub, common)
    cli_import.add_parser(sub, common)

    p = sub.add_parser("demo-data", help="generate a synthetic project of any size")
    p.add_argument("--events", type=int, required=True, metavar="N", help="up to 1,000,000")
    p.add_argument("--entities", type=int, metavar="N", help="default: N/20, at most 50,000")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser("window", parents=[common], help="open the window (the default)")
    p.set_defaults(func=cmd_window)

    p = sub.add_parser(
        "self-test",
        parents=[common],
        help="check this installation offscreen (dataset, window, search, notes) and exit",
    )
    p.add_argument("--out", metavar="DIR", help="keep the screenshots here")
    p.add_argument("--startup", action="store_true", help="only paint the window once")
    p.set_defaults(func=cmd_self_test)
    return parser


def _project_argument(argv: list[str], commands: set[str]) -> list[str]:
    """`explorer PROJECT.db` opens the window on that project, as `--db PROJECT.db` does: a
    first argument that is not a command and names a file is taken as the project."""
    if argv and argv[0] not in commands and not argv[0].startswith("-"):
        candidate = Path(argv[0])
        if candidate.suffix.lower() == ".db" or candidate.is_file():
            return ["window", "--db", argv[0], *argv[1:]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    commands = {
        name
        for action in parser._subparsers._group_actions  # type: ignore[union-attr]
        for name in getattr(action, "choices", {}) or {}
    }
    args = parser.parse_args(_project_argument(given, commands))
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        func = cmd_window
    if getattr(args, "limit", 1) < 1:
        parser.error("--limit must be at least 1")
    from explorer.store import connection

    try:
        return func(args)
    except CliError as exc:
        error(str(exc))
        return EXIT_USAGE
    except DatasetError as exc:  # the list first, then the one line that says why
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        error(exc.head)
        return EXIT_ERROR
    except StoreError as exc:
        error(str(exc))
        return EXIT_ERROR
    except sqlite3.Error as exc:
        why = str(exc)
        if why == "interrupted":  # a statement ran past the time limit (store.connection)
            why = "a query ran too long and was stopped; the file may be damaged"
        error(f"the database could not be read: {why}")
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader (head, less) went away: stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        error(f"{exc.strerror or exc}{where}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except ImportError as exc:
        if "shared object" not in str(exc):
            raise
        # Qt's libraries load the system's (OpenGL, fontconfig, GLib, X11): name the missing one
        error(
            f"a system library the window needs is missing: {exc}. "
            "See the README (Linux: the libraries the app needs) for the packages."
        )
        return EXIT_ERROR
    finally:
        connection.default_check = "now"  # --no-check was for this command only
