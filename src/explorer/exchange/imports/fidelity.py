"""What an import kept, changed and dropped of the file, by field and count.

Every reader tells its batch's Fidelity what became of each field it met: kept (stored where
it belongs, or kept as a line of text), changed (stored differently from how the file wrote
it: a time shifted to UTC, a title made up, a series expanded) or dropped (not stored). The
report shows it on every import, as text and as data, so nothing is dropped or changed
without the user being told.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

KINDS = ("kept", "changed", "dropped")


@dataclass
class Fidelity:
    kept: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)

    def keep(self, what: str, n: int = 1) -> None:
        self.kept[what] += n

    def change(self, what: str, n: int = 1) -> None:
        self.changed[what] += n

    def drop(self, what: str, n: int = 1) -> None:
        self.dropped[what] += n

    def __bool__(self) -> bool:
        return bool(self.kept or self.changed or self.dropped)

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {kind: dict(sorted(getattr(self, kind).items())) for kind in KINDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fidelity:
        return cls(*(Counter(data.get(kind) or {}) for kind in KINDS))

    def entries(self) -> list[tuple[str, int, str]]:
        """(kept/changed/dropped, count, what), one a field, kept first."""
        return [
            (kind, n, what) for kind in KINDS for what, n in sorted(getattr(self, kind).items())
        ]

    def lines(self) -> list[str]:
        """'kept: 3 location(s) as a place with coordinates', one line a field."""
        return [f"{kind}: {n} {what}" for kind, n, what in self.entries()]
