"""File names made from titles, safe to create in a chosen folder on any desktop system.

A title may hold anything a user or a source typed: slashes, '..', control characters,
names Windows reserves ('CON', 'aux.txt'). `safe_filename` turns it into one name, never a
path, that stays in the folder it is joined to and that Windows, macOS and Linux all accept.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that separate paths or that Windows refuses in a name.
FORBIDDEN = '/\\:*?"<>|'
#: Names Windows gives to devices, with or without an extension (compared upper-case).
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]}
)
#: Most file systems (ext4, APFS, NTFS in practice) cap one name at 255 bytes of UTF-8.
MAX_BYTES = 255
FALLBACK = "untitled"

_FORBIDDEN_RUN = re.compile("[" + re.escape(FORBIDDEN) + "]+")
_DASHES = re.compile(r"-{2,}")
_DOTS = re.compile(r"\.{2,}")
_SPACES = re.compile(r"\s+")
#: Unicode categories dropped: controls, format characters (bidi overrides, zero widths),
#: lone surrogates (not encodable) and unassigned code points.
_DROPPED = ("Cc", "Cf", "Cs", "Cn")


def is_reserved(name: str) -> bool:
    """Whether Windows treats `name` as a device ('CON', 'con.txt', 'Com1 .log')."""
    return name.split(".", 1)[0].rstrip(" ").upper() in RESERVED


def _clean(title: str) -> str:
    text = unicodedata.normalize("NFC", title)
    text = "".join(" " if ch.isspace() else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED)
    text = unicodedata.normalize("NFC", text)  # a dropped character may have split a pair
    text = _FORBIDDEN_RUN.sub("-", text)  # 'C:\\Windows' -> 'C-Windows', 'a/b' -> 'a-b'
    text = _DASHES.sub("-", _DOTS.sub(".", _SPACES.sub(" ", text)))
    # No hidden or '.'/'..' names, no name a shell would read as an option.
    return text.lstrip(" .-").rstrip(" .")


def _cut(name: str, max_chars: int, max_bytes: int) -> str:
    name = name[: max(min(max_chars, max_bytes), 0)]  # a character takes 1 byte or more
    while len(name.encode("utf-8")) > max_bytes:
        name = name[:-1]
    return name.rstrip(" .")


def safe_filename(title: str, suffix: str = "", max_len: int = 100) -> str:
    """A file name (no directory part) for `title`, at most `max_len` characters (code
    points) before `suffix` and at most 255 UTF-8 bytes in all, never empty.

    `suffix` (such as '.json') is appended as it is; it must itself be safe.
    """
    if max_len < 1:
        raise ValueError("max_len must be at least 1")
    if suffix.rstrip(" .") != suffix or any(
        ch in FORBIDDEN or (ch.isspace() and ch != " ") or unicodedata.category(ch) in _DROPPED
        for ch in suffix
    ):
        raise ValueError(f"suffix {suffix!r} is not safe in a file name")
    room = MAX_BYTES - len(suffix.encode("utf-8"))
    if room < 2:
        raise ValueError(f"suffix {suffix!r} leaves no room for a name")
    name = _cut(_clean(title), max_len, room) or FALLBACK[:max_len]
    if is_reserved(name + suffix):
        name = "_" + _cut(name, max_len - 1, room - 1)
    return name + suffix
