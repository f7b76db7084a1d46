"""The corpus of real files (tests/fixtures/interop) as a markdown table: each file imported
into a new project of its own through the import use case the CLI and the window call
(model.importing.run_import, with --skip-bad so that a file with items that cannot be read
still shows what it holds), with what its fidelity report says was changed or dropped.

    .venv/bin/python bench/interop_table.py [--out corpus.md]

Columns: the file, its origin and licence (from the corpus README), the items the file holds
(events, rows, VEVENTs), the events imported, the items rejected (without --skip-bad such a
file is refused whole, with the list), and the report's changed and dropped lines and notes
(what was kept is reported too, not listed here). Then the count of files per format and
the totals.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from explorer.exchange.imports import ImportFailed
from explorer.model.importing import run_import
from explorer.store.errors import StoreError

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "interop"
NO_HOME = " (no place for it in Explorer)"


@dataclass
class Row:
    name: str
    origin: str
    format: str = "–"
    items: int | None = None
    imported: int | None = None
    rejected: int = 0
    refused: str | None = None
    reported: list[str] = field(default_factory=list)


def origins(readme: Path) -> dict[str, str]:
    """file -> 'repository, path, commit (licence)' from the corpus README's table."""
    found: dict[str, str] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`"):
            found[cells[0].strip("`")] = f"{cells[1]} ({cells[2]})"
    return found


def summary(fidelity: dict[str, dict[str, int]], warnings: list[str]) -> list[str]:
    """The report's changed and dropped lines, fields without a home grouped, then notes."""
    out = [f"changed {n} {what}" for what, n in sorted(fidelity.get("changed", {}).items())]
    homeless = []
    for what, n in sorted(fidelity.get("dropped", {}).items()):
        if what.endswith(NO_HOME):
            homeless.append(f"{what.removesuffix(NO_HOME)}×{n}")
        else:
            out.append(f"dropped {n} {what}")
    if homeless:
        out.append("dropped fields without a home: " + ", ".join(homeless))
    out.extend(f"note: {w}" for w in warnings)
    return out


def import_one(path: Path, folder: Path, origin: str) -> Row:
    row = Row(str(path.relative_to(CORPUS)), origin)
    try:
        report = run_import(path, folder / "project.db", skip_bad=True)
    except (ImportFailed, StoreError) as exc:
        row.refused = str(exc)
        return row
    row.format, row.items = report.format, report.seen
    row.imported = report.added.get("events", 0) + report.updated.get("events", 0)
    row.rejected = len(report.rejected)
    row.reported = summary(report.fidelity, report.warnings)
    row.reported += [f"rejected {r}" for r in report.rejected]
    return row


def cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|")


def table(rows: list[Row]) -> str:
    lines = [
        "| file | origin (repository, path, commit; licence) | items | imported | rejected "
        "| reported changes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        if r.refused is not None:
            counts = "– | refused | – "
            reported = f"refused: {r.refused}"
        else:
            counts = f"{r.items} | {r.imported} | {r.rejected} "
            reported = "; ".join(r.reported) or "nothing changed or dropped"
        lines.append(f"| `{r.name}` | {cell(r.origin)} | {counts}| {cell(reported)} |")
    return "\n".join(lines)


def totals(rows: list[Row]) -> str:
    kinds: dict[str, Counter[str]] = {}
    for r in rows:
        folder = r.name.split("/", 1)[0]
        c = kinds.setdefault(folder, Counter())
        c["files"] += 1
        c["refused"] += r.refused is not None
        c["items"] += r.items or 0
        c["imported"] += r.imported or 0
        c["rejected"] += r.rejected
        c["with changes"] += bool(r.reported) and r.refused is None
        if r.format != "–":
            c[f"format {r.format}"] += 1
    lines = [
        "| folder | files | read as | refused | items | imported | rejected "
        "| files with changed or dropped lines |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    whole: Counter[str] = Counter()
    for folder, c in sorted(kinds.items()):
        read_as = sorted((k.removeprefix("format "), n) for k, n in c.items() if "format " in k)
        formats = ", ".join(f"{k} {n}" for k, n in read_as)
        lines.append(
            f"| {folder} | {c['files']} | {formats or '–'} | {c['refused']} | {c['items']} "
            f"| {c['imported']} | {c['rejected']} | {c['with changes']} |"
        )
        whole.update({k: v for k, v in c.items() if not k.startswith("format ")})
    lines.append(
        f"| **all** | {whole['files']} | | {whole['refused']} | {whole['items']} "
        f"| {whole['imported']} | {whole['rejected']} | {whole['with changes']} |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    known = origins(CORPUS / "README.md")
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
    began = time.perf_counter()
    rows = []
    for path in files:
        with tempfile.TemporaryDirectory() as folder:
            name = str(path.relative_to(CORPUS))
            rows.append(import_one(path, Path(folder), known.get(name, "(not in the README)")))
    seconds = time.perf_counter() - began
    text = (
        f"# The import corpus: {len(rows)} real files from other tools\n\n"
        "Each file imported into a new project of its own with `explorer import --skip-bad`'s "
        "use case (model.importing.run_import, default zone UTC, default series bound of "
        "1,000 occurrences or 2 years). 'rejected' items would refuse the file whole without "
        "--skip-bad. Produced by `bench/interop_table.py` "
        f"in {seconds:.1f} s.\n\n## Files per folder and totals\n\n{totals(rows)}\n\n"
        f"## Every file\n\n{table(rows)}\n"
    )
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    missing = [r.name for r in rows if r.origin == "(not in the README)"]
    if missing:
        print(f"files without an origin in the README: {', '.join(missing)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
