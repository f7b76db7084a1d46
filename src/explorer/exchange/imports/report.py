"""What an import did: rows added and updated per table, rejected items with their reasons,
notes, what was kept, changed and dropped (the fidelity report), and whether anything was
written. Shown by the command line and the import dialog."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from explorer.exchange.imports.batch import TABLES, Rejected
from explorer.exchange.imports.fidelity import Fidelity


@dataclass
class ImportReport:
    path: str
    format: str
    title: str | None
    seen: int
    added: dict[str, int] = field(default_factory=dict)  # new rows per table
    updated: dict[str, int] = field(default_factory=dict)  # rows already there, rewritten
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    annotations: dict[str, int] = field(default_factory=dict)  # notes and own items merged
    #: what became of the file's fields: {"kept"|"changed"|"dropped": {what: count}}
    fidelity: dict[str, dict[str, int]] = field(default_factory=dict)

    def fidelity_lines(self) -> list[str]:
        """The fidelity report as lines of text ('dropped: 3 alarm(s) (VALARM)')."""
        return Fidelity.from_dict(self.fidelity).lines()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rejected"] = [{"where": r.where, "reason": r.reason} for r in self.rejected]
        return d

    def text(self) -> str:
        lines = [f"{self.path} ({self.format}): {self.seen} item(s) read"]
        if self.written:
            ev_new, ev_old = self.added.get("events", 0), self.updated.get("events", 0)
            lines.append(f"events: {ev_new} added, {ev_old} already there (updated)")
            others = [
                f"{t}: +{self.added[t]}" for t in TABLES if t != "events" and self.added.get(t)
            ]
            if others:
                lines.append("also " + ", ".join(others))
        elif self.dry_run and (self.added or self.updated):
            ev_new, ev_old = self.added.get("events", 0), self.updated.get("events", 0)
            lines.append(f"dry run: events: {ev_new} would be added, {ev_old} already there")
            lines.append("nothing was written")
        else:
            lines.append("nothing was written")
        if self.rejected:
            head = "skipped" if self.written else "rejected"
            lines.append(f"{len(self.rejected)} {head}:")
            lines.extend(f"  {r}" for r in self.rejected)
        if self.annotations:
            a = self.annotations
            lines.append(
                f"notes and own items: {a['added']} added, {a['updated']} updated, "
                f"{a['unchanged']} unchanged, {a['conflicts']} conflict(s) to resolve"
            )
        lines.extend(f"note: {w}" for w in self.warnings)
        lines.extend(self.fidelity_lines())
        return "\n".join(lines)
