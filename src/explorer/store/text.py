"""Text that may be stored: the same checks for every way in (a form, a notes file, an
import). Python strings can hold what UTF-8 cannot (a lone surrogate, which JSON's "\\ud800"
escape gives); SQLite and every file Explorer writes would fail on it later, half-way
through a write, so it is refused where it comes in, with a sentence."""

from __future__ import annotations

import re

from explorer.store.errors import StoreError

_SURROGATE = re.compile("[\ud800-\udfff]")


def problem(value: str, *, limit: int | None = None, nul: bool = False) -> str | None:
    """Why `value` cannot be stored, or None. A NUL is refused only when `nul` is False."""
    if limit is not None and len(value) > limit:
        return f"has {len(value):,} characters (at most {limit:,})"
    found = _SURROGATE.search(value)
    if found is not None:
        return (
            f"holds a character that is not valid Unicode (U+{ord(found.group()):04X}, "
            f"at character {found.start() + 1:,})"
        )
    if not nul and "\x00" in value:
        return "holds a NUL character"
    return None


def check_text(value: str, what: str, *, limit: int | None = None) -> None:
    """Raise StoreError naming `what` if `value` cannot be stored."""
    why = problem(value, limit=limit)
    if why is not None:
        raise StoreError(f"{what} {why}")
