"""Back and forward through what the user selected, like a browser."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Selection:
    kind: str  # "event" or "entity"
    id: str


@dataclass
class History:
    limit: int = 200
    _back: list[Selection] = field(default_factory=list)
    _forward: list[Selection] = field(default_factory=list)
    current: Selection | None = None

    def visit(self, sel: Selection) -> None:
        if sel == self.current:
            return
        if self.current is not None:
            self._back.append(self.current)
            del self._back[: -self.limit]
        self.current = sel
        self._forward.clear()

    def clear_current(self) -> None:
        """Nothing selected; what was selected stays reachable with back()."""
        if self.current is not None:
            self._back.append(self.current)
            self.current = None
            self._forward.clear()

    @property
    def can_back(self) -> bool:
        return bool(self._back)

    @property
    def can_forward(self) -> bool:
        return bool(self._forward)

    def back(self) -> Selection | None:
        if not self._back:
            return self.current
        if self.current is not None:
            self._forward.append(self.current)
        self.current = self._back.pop()
        return self.current

    def forward(self) -> Selection | None:
        if not self._forward:
            return self.current
        if self.current is not None:
            self._back.append(self.current)
        self.current = self._forward.pop()
        return self.current
