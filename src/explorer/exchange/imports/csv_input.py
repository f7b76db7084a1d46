"""Reading CSV strictly: every record is either a row of the header's width or a rejection
that names its line (or its lines, for a record whose quoted cells span several).

The csv module is lenient by default: a quote that is never closed swallows the rest of the
file into one cell, a file cut inside a quoted cell ends in the cut text, and a row with more
cells than the header loses them (DictReader files them under the key None). Here the reader
is strict, the width of every record is checked, and the csv module's field limit (131,072
characters) is raised only while a file is read, so that Explorer's own export, whose notes
may hold a million characters, reads back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager

from explorer.exchange.imports.errors import ImportFailed
from explorer.exchange.imports.text_input import MAX_LINE, LineTooLong, TextReader


@contextmanager
def field_limit(limit: int = MAX_LINE) -> Iterator[None]:
    """The csv module's field limit raised while the block runs, then put back as it was."""
    old = csv.field_size_limit(max(limit, csv.field_size_limit()))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _lines(reader: TextReader) -> Iterator[str]:
    for line in reader.lines(universal=True):
        if isinstance(line, LineTooLong):
            raise ImportFailed(f"{reader.path.name}: {line}; it cannot be read as CSV")
        yield line


def where(first: int, last: int) -> str:
    return f"line {first}" if last <= first else f"lines {first}–{last}"


class CsvFile:
    """A CSV file read strictly. `header` is its first record; `records()` gives, for every
    later record that is not blank, (where, cells) or (where, reason it cannot be read)."""

    def __init__(self, reader: TextReader) -> None:
        self.name = reader.path.name
        self._rows = csv.reader(_lines(reader), strict=True)
        try:
            first = next(self._rows)
        except StopIteration:
            raise ImportFailed(f"{self.name} is empty; there is nothing to import") from None
        except csv.Error as exc:
            raise ImportFailed(f"{self.name} is not CSV: its header {exc}") from None
        self.header = [h.strip() for h in first]

    def records(self) -> Iterator[tuple[str, list[str] | str]]:
        rows, width = self._rows, len(self.header)
        while True:
            first = rows.line_num + 1
            try:
                cells = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                yield where(first, max(first, rows.line_num)), f"it is not CSV: {_reason(exc)}"
                continue
            at = where(first, rows.line_num)
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != width:
                yield at, f"{len(cells)} cells for {width} columns (a stray quote or comma?)"
                continue
            yield at, cells


def _reason(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "the file ends inside a quoted cell (a quote is never closed, or the file is cut)"
    if "expected after" in text:
        return f"a quote inside a quoted cell is not doubled ({text})"
    return text
