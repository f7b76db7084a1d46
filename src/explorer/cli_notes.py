"""`explorer notes …`: the annotator's work from the command line."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from explorer import paths
from explorer.model.annotations import Annotations
from explorer.model.session import Session
from explorer.store.notes import Note, Target


def _annotations(args: argparse.Namespace) -> tuple[Session, Annotations]:
    db = Path(getattr(args, "db", None) or paths.default_db())
    session = Session.open(db)
    try:
        work = Path(args.work) if getattr(args, "work", None) else None
        return session, Annotations.open(session, work, getattr(args, "author", None))
    except BaseException:
        session.close()
        raise


def _target(args: argparse.Namespace) -> Target | None:
    for kind in ("event", "entity", "claim", "source"):
        value = getattr(args, kind, None)
        if value:
            return Target(kind, value)
    if getattr(args, "range", None):
        start, end = args.range
        return Target("range", None, start, end)
    return None


def note_json(note: Note) -> dict[str, Any]:
    t = note.target
    return {"id": note.id, "target": {"kind": t.kind, "id": t.id, "start": t.start,
            "end": t.end}, "text": note.text, "format": note.format, "tags": list(note.tags),
            "author": note.author, "created": note.created, "updated": note.updated,
            "revision": note.revision, "deleted": note.deleted}  # fmt: skip


def _where(note: Note) -> str:
    t = note.target
    where = f"{t.start}..{t.end}" if t.kind == "range" else f"{t.kind} {t.id}"
    return f"{where} (cannot be shown: {t.problem})" if t.problem else where


def run(args: argparse.Namespace) -> int:
    session, ann = _annotations(args)
    try:
        return _run(args, ann)
    finally:
        ann.close()
        session.close()


def _run(args: argparse.Namespace, ann: Annotations) -> int:
    cmd = args.notes_command
    if cmd == "add":
        target = _target(args)
        assert target is not None  # argparse requires one
        note = ann.add(target, args.text, args.tag or [], "markdown" if args.markdown else "plain")
        print(note.id)  # printed only now: the note is committed and synced to disk
    elif cmd == "list":
        listed = ann.list_notes(target=_target(args), tag=args.tag, include_deleted=args.deleted)
        if args.json:
            print(json.dumps([note_json(n) for n in listed], ensure_ascii=False, indent=2))
        else:
            for n in listed:
                tags = f" [{', '.join(n.tags)}]" if n.tags else ""
                gone = " (deleted)" if n.deleted else ""
                print(f"{n.id}  {_where(n)}  {n.author} {n.updated}{tags}{gone}")
                print(f"    {n.text[:200]}")
            print(f"{len(listed)} note(s) in {ann.path}")
    elif cmd == "edit":
        new_tags: list[str] | None = [] if args.no_tags else (args.tag or None)
        print(ann.edit(args.id, text=args.text, tags=new_tags).id)
    elif cmd == "delete":
        ann.delete(args.id)
        print(f"deleted {args.id}")
    elif cmd == "export":
        count = ann.export(Path(args.out), force=args.force)
        print(f"exported {count} note(s) to {args.out}")
    elif cmd == "import":
        report = ann.import_(Path(args.file))
        print(report.summary())
    elif cmd == "conflicts":
        found = ann.conflicts()
        if args.json:
            print(json.dumps([asdict(c) for c in found], ensure_ascii=False, indent=2))
        else:
            for c in found:
                print(f"{c.id}  theirs: revision {c.their_revision} by {c.theirs_author}")
                print(f"    mine:   {c.mine_text[:200]}")
                print(f"    theirs: {c.theirs_text[:200]}")
            print(f"{len(found)} conflict(s)")
    elif cmd == "resolve":
        print(" ".join(ann.resolve(args.id, args.revision, args.keep)))
    elif cmd == "backup":
        print(ann.backup(keep=args.keep))
    elif cmd == "backups":
        for b in ann.list_backups():
            print(b)
    elif cmd == "restore":
        safety = ann.restore(Path(args.backup))
        print(f"restored {args.backup}; the state before is saved as {safety}")
    return 0


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    def work_options(default: Any) -> argparse.ArgumentParser:
        work = argparse.ArgumentParser(add_help=False)
        work.add_argument(
            "--work",
            metavar="PATH",
            default=default,
            help="work file (default: the project's, in the per-user data folder)",
        )
        work.add_argument(
            "--author", metavar="NAME", default=default, help="author of new notes (default: you)"
        )
        return work

    # Given before the action or after it: the action's parser must not put its own default
    # over a value given before it (argparse's sub-parsers would), so there it has none.
    parents = [common, work_options(argparse.SUPPRESS)]
    notes = sub.add_parser(
        "notes", parents=[common, work_options(None)], help="notes and tags: add, list, exchange"
    )
    nsub = notes.add_subparsers(dest="notes_command", metavar="ACTION", required=True)

    def target_options(p: argparse.ArgumentParser, required: bool) -> None:
        group = p.add_mutually_exclusive_group(required=required)
        for kind in ("event", "entity", "claim", "source"):
            group.add_argument(f"--{kind}", metavar="ID")
        group.add_argument(
            "--range",
            nargs=2,
            metavar=("FROM", "TO"),
            help="a note on a date range, e.g. --range 2019-07-01 2019-07-31",
        )

    p = nsub.add_parser("add", parents=parents, help="add a note")
    target_options(p, required=True)
    p.add_argument("--text", required=True)
    p.add_argument("--tag", action="append", metavar="TAG", help="repeat for several tags")
    p.add_argument("--markdown", action="store_true", help="the text is Markdown")
    p = nsub.add_parser("list", parents=parents, help="list notes")
    target_options(p, required=False)
    p.add_argument("--tag", metavar="TAG")
    p.add_argument("--deleted", action="store_true", help="include deleted notes")
    p.add_argument("--json", action="store_true")
    p = nsub.add_parser("edit", parents=parents, help="change a note's text or tags")
    p.add_argument("id")
    p.add_argument("--text")
    p.add_argument("--tag", action="append", metavar="TAG")
    p.add_argument("--no-tags", action="store_true", help="remove every tag")
    p = nsub.add_parser("delete", parents=parents, help="delete a note")
    p.add_argument("id")
    p = nsub.add_parser("export", parents=parents, help="write all notes to one portable file")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = nsub.add_parser("import", parents=parents, help="merge a colleague's notes file")
    p.add_argument("file", metavar="FILE")
    p = nsub.add_parser("conflicts", parents=parents, help="notes edited differently by two people")
    p.add_argument("--json", action="store_true")
    p = nsub.add_parser("resolve", parents=parents, help="settle a conflict")
    p.add_argument("id")
    p.add_argument("revision", help="the other version's revision (see `notes conflicts`)")
    p.add_argument("--keep", required=True, choices=("mine", "theirs", "both"))
    p = nsub.add_parser("backup", parents=parents, help="back up the work file now")
    p.add_argument("--keep", type=int, default=10, metavar="N", help="backups to keep (10)")
    nsub.add_parser("backups", parents=parents, help="list backups")
    p = nsub.add_parser("restore", parents=parents, help="restore a backup")
    p.add_argument("backup", metavar="BACKUP")
    notes.set_defaults(func=run)
